//! `root-cause --window` on Tempo with TraceQL metrics, against an in-process server that
//! replays recorded answers (`testdata/tempo-metrics/`) at Tempo's real routes, and every
//! way the metrics API can fail, each ending in the traces being fetched with the reason
//! stated.
//!
//! Response shapes (see `testdata/tempo-metrics/README.md`), all from grafana/tempo:
//! * instant answers `{series:[{labels, promLabels, value}], metrics, status, message}`:
//!   `modules/frontend/metrics_query_handler.go` (`translateQueryRangeToInstant`, marshalled
//!   with gogo `jsonpb`);
//! * range answers `{series:[{labels:[{key, value:{stringValue}}], promLabels,
//!   samples:[{timestampMs, value}], exemplars:[{labels, value, timestampMs}]}], metrics:
//!   {inspectedTraces, inspectedBytes, …}}`: `modules/frontend/metrics_query_range_handler_test.go`
//!   and `modules/frontend/combiner/metrics_query_range_test.go`;
//! * the routes and their `q`, `start`, `end`, `step` parameters:
//!   `docs/sources/tempo/api_docs/_index.md` ("TraceQL Metrics", "Instant");
//! * "localblocks processor not found", Tempo's answer when the metrics-generator's
//!   local-blocks processor is off: `modules/generator/instance.go` (`QueryRange`).

mod common;

use std::time::Duration;

use mockito::{Matcher, Mock, Server, ServerGuard};

use common::incident_data::{generate, otlp_json, Row};
use common::{closed_port, read, testdata, tracediag};
use tracediag::model::span_metrics::SpanMetrics;
use tracediag::source::backend::{self, TraceSource};
use tracediag::source::http::HttpOptions;
use tracediag::source::spec::SourceSpec;

const JSON: (&str, &str) = ("content-type", "application/json");
const COUNT: &str = "{ } | count_over_time() by (resource.service.name, name)";
const MEDIAN: &str = "{ } | quantile_over_time(duration, .5) by (resource.service.name, name)";
const ERRORS: &str = "{ status = error } | count_over_time() by (resource.service.name)";

/// 2024-05-06T07:00:00Z: the baseline is its first minute, the window the second.
const T0_S: i64 = 1_714_978_800;
const BASELINE: &str = "2024-05-06T07:00:00Z..2024-05-06T07:01:00Z";
const WINDOW: &str = "2024-05-06T07:01:00Z..2024-05-06T07:02:00Z";

fn ns(s: i64) -> String {
    (s * 1_000_000_000).to_string()
}

fn recorded(name: &str) -> Vec<u8> {
    read(&testdata("tempo-metrics").join(name))
}

fn open(url: &str, timeout: Duration) -> Box<dyn TraceSource> {
    let spec = SourceSpec::parse(&format!("tempo+{url}")).expect("spec");
    let opts = HttpOptions {
        backoff: Duration::from_millis(10),
        timeout,
        quiet: true,
        ..HttpOptions::default()
    };
    backend::open(&spec, &opts).unwrap_or_else(|e| panic!("open: {e}"))
}

/// The instant answer to `q` over the range starting at `start_s`.
fn instant(server: &mut ServerGuard, q: &str, start_s: i64, body: Vec<u8>) -> Mock {
    server
        .mock("GET", "/api/metrics/query")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("q".into(), q.into()),
            Matcher::UrlEncoded("start".into(), ns(start_s)),
            Matcher::UrlEncoded("end".into(), ns(start_s + 60)),
        ]))
        .with_header(JSON.0, JSON.1)
        .with_body(body)
        .expect(1)
        .create()
}

/// The recorded instant answers for both ranges.
/// `path` unknown to the server, answered as Go's mux answers an unknown route.
fn not_found(server: &mut ServerGuard, path: &str) -> Mock {
    server
        .mock("GET", path)
        .match_query(Matcher::Any)
        .with_status(404)
        .with_body("404 page not found\n")
        .create()
}

fn metrics_answers(server: &mut ServerGuard) -> Vec<Mock> {
    let mut mocks = Vec::new();
    for (side, start) in [("baseline", T0_S), ("window", T0_S + 60)] {
        for (q, file) in [
            (COUNT, "count-by-op"),
            (MEDIAN, "median-by-op"),
            (ERRORS, "errors-by-service"),
        ] {
            let body = recorded(&format!("{file}.{side}.json"));
            mocks.push(instant(server, q, start, body));
        }
    }
    mocks
}

/// 40 requests over two minutes, payment slower (and some failing) in the second: the
/// search answers for each minute and every trace by id, expecting searches of `limit`.
fn traces(server: &mut ServerGuard, limit: usize) -> Vec<Mock> {
    let mut by_trace: Vec<Vec<Row>> = Vec::new();
    let t0_us = T0_S * 1_000_000;
    let fault = (t0_us + 60_000_000, t0_us + 120_000_000);
    generate(40, t0_us, 120_000_000, fault, 7, |rows| {
        by_trace.push(rows.to_vec())
    });
    let mut mocks = Vec::new();
    for (start, end) in [(T0_S, T0_S + 60), (T0_S + 60, T0_S + 120)] {
        let hits: Vec<String> = by_trace
            .iter()
            .filter(|rows| (start * 1_000_000..end * 1_000_000).contains(&rows[0].start_us))
            .map(|rows| {
                format!(
                    r#"{{"traceID":"{:032x}","rootServiceName":"gateway","rootTraceName":"GET /checkout","startTimeUnixNano":"{}","durationMs":{}}}"#,
                    rows[0].trace,
                    rows[0].start_us * 1000,
                    rows[0].dur_us / 1000
                )
            })
            .collect();
        mocks.push(
            server
                .mock("GET", "/api/search")
                .match_query(Matcher::AllOf(vec![
                    Matcher::UrlEncoded("start".into(), start.to_string()),
                    Matcher::UrlEncoded("limit".into(), limit.to_string()),
                ]))
                .with_header(JSON.0, JSON.1)
                .with_body(format!(r#"{{"traces":[{}]}}"#, hits.join(",")))
                .expect(1)
                .create(),
        );
    }
    for rows in &by_trace {
        mocks.push(
            server
                .mock(
                    "GET",
                    format!("/api/v2/traces/{:032x}", rows[0].trace).as_str(),
                )
                .with_header(JSON.0, JSON.1)
                .with_body(format!(r#"{{"trace":{}}}"#, otlp_json(rows)))
                .create(),
        );
    }
    mocks
}

fn root_cause(url: &str, format: &str) -> common::Run {
    tracediag(
        &[
            "root-cause",
            "--source",
            &format!("tempo+{url}"),
            "--window",
            WINDOW,
            "--baseline",
            BASELINE,
            "--format",
            format,
            "--timeout",
            "20s",
            "--pushdown",
        ],
        &[],
    )
}

/// The JSON report without `--pushdown` (every trace fetched) from the server at `url`.
fn without_pushdown(url: &str) -> serde_json::Value {
    let url = format!("tempo+{url}");
    let run = tracediag(
        &[
            "root-cause",
            "--source",
            &url,
            "--window",
            WINDOW,
            "--baseline",
            BASELINE,
            "--format",
            "json",
        ],
        &[],
    );
    run.json()
}

/// The ranked services without `--pushdown` on the same server.
fn ranked_in_memory(server: &mut ServerGuard) -> serde_json::Value {
    let _t = traces(server, 5000);
    without_pushdown(&server.url())["services"].clone()
}

#[test]
fn metrics_over_every_span_and_the_ranking_on_a_sample() {
    let mut server = Server::new();
    let metrics = metrics_answers(&mut server);
    let fetched = traces(&mut server, 200);
    let run = root_cause(&server.url(), "json");
    common::validate("root-cause-window", &run.stdout);
    let v = run.json();
    for m in metrics.iter().chain(&fetched[..2]) {
        m.assert();
    }
    let store = &v["store_metrics"];
    assert_eq!(
        (&store["window_spans"], &store["baseline_spans"]),
        (&200.into(), &200.into())
    );
    let top = &store["operations"][0];
    assert_eq!(
        (&top["service"], &top["operation"]),
        (&"gateway".into(), &"GET /checkout".into())
    );
    assert_eq!(
        (
            top["baseline_median_ms"].as_f64(),
            top["window_median_ms"].as_f64()
        ),
        (Some(19.2), Some(59.6))
    );
    let pay = store["operations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["service"] == "payment")
        .unwrap();
    assert_eq!(
        (
            pay["window_spans"].as_u64(),
            pay["window_median_ms"].as_f64()
        ),
        (Some(20), Some(52.1))
    );
    assert_eq!(store["error_spans"][0]["service"], "payment");
    assert_eq!(store["error_spans"][0]["window_error_spans"], 2);
    assert_eq!(store["error_spans"][0]["window_error_share"], 0.1);
    assert_eq!(store["error_spans"][0]["baseline_error_spans"], 0);
    let parts = v["coverage"]["parts"].as_array().unwrap();
    assert_eq!(parts[0]["statistics"], "span_latency_and_errors");
    assert_eq!(
        (&parts[0]["computed_in"], parts[0]["spans"].as_u64()),
        (&"store".into(), Some(400))
    );
    assert!(parts[0].get("traces").is_none(), "{v:#}");
    assert_eq!(
        (&parts[1]["statistics"], &parts[1]["computed_in"]),
        (&"ranking".into(), &"fetched_traces".into())
    );
    assert_eq!(parts[1]["traces"], 40);
    assert!(v["coverage"].get("fallback").is_none());
    assert_eq!(v["coverage"]["notes"][0], "the store gives no self time, call edges or trace shapes, so the ranking is computed on a sample of fetched traces");
    // The ranking comes from the fetched traces: all 40 fit in the sample, so it is the
    // ranking without pushdown, evidence numbers and all.
    assert_eq!(v["services"], ranked_in_memory(&mut server));
    assert_eq!(v["services"][0]["service"], "db", "{v:#}");
    assert_eq!(v["traces"]["window"], 20);
}

#[test]
fn the_table_says_what_the_store_computed_and_what_was_fetched() {
    let mut server = Server::new();
    let _m = metrics_answers(&mut server);
    let _t = traces(&mut server, 200);
    let run = root_cause(&server.url(), "markdown");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(
        "In the store, over 200 window and 200 baseline spans: median span duration rose most for gateway.GET /checkout 19.2 → 59.6 ms, frontend.checkout 18.1 → 58.5 ms, payment.charge 11.8 → 52.1 ms; error spans rose most in payment 0 → 2 (0.0% → 10.0% of its spans), db 0 → 2 (0.0% → 5.0% of its spans)."
    ), "{}", run.stdout);
    assert!(run.stdout.contains(
        "coverage: span_latency_and_errors computed in the store over 400 spans; ranking on 40 fetched traces"
    ), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("so the ranking is computed on a sample of fetched traces."),
        "{}",
        run.stdout
    );
}

#[test]
fn a_tempo_without_the_instant_route_is_asked_for_one_step_ranges() {
    let mut server = Server::new();
    let _gone = not_found(&mut server, "/api/metrics/query");
    let mut ranges = Vec::new();
    for (q, file) in [
        (COUNT, "range-count-by-op.json"),
        (MEDIAN, "range-median-by-op.json"),
        (ERRORS, "range-errors-by-service.json"),
    ] {
        ranges.push(
            server
                .mock("GET", "/api/metrics/query_range")
                .match_query(Matcher::AllOf(vec![
                    Matcher::UrlEncoded("q".into(), q.into()),
                    Matcher::UrlEncoded("step".into(), "60s".into()),
                ]))
                .with_header(JSON.0, JSON.1)
                .with_body(recorded(file))
                .expect(1)
                .create(),
        );
    }
    let source = open(&server.url(), Duration::from_secs(5));
    let m: SpanMetrics = source
        .span_metrics((T0_S + 60) * 1_000_000_000, (T0_S + 120) * 1_000_000_000)
        .expect("metrics");
    for r in &ranges {
        r.assert();
    }
    assert_eq!(m.spans, 60);
    let pay = m.ops[&("payment".to_string(), "charge".to_string())];
    // Two steps: counts add up, medians are averaged.
    assert_eq!(pay.spans, 20);
    assert!((pay.median_ms.unwrap() - 52.0).abs() < 1e-9, "{pay:?}");
    // A NaN step (no spans in it) is left out.
    let db = m.ops[&("db".to_string(), "query".to_string())];
    assert!((db.median_ms.unwrap() - 3.0).abs() < 1e-9, "{db:?}");
    assert_eq!(m.error_spans.get("payment"), Some(&2));
}

/// What `span_metrics` says when every metrics route answers `status` with `body`.
fn reason(status: usize, body: &str) -> String {
    let mut server = Server::new();
    for route in ["/api/metrics/query", "/api/metrics/query_range"] {
        server
            .mock("GET", route)
            .match_query(Matcher::Any)
            .with_status(status)
            .with_body(body)
            .create();
    }
    let source = open(&server.url(), Duration::from_secs(5));
    let err = source
        .span_metrics(T0_S * 1_000_000_000, (T0_S + 60) * 1_000_000_000)
        .expect_err("a reason");
    err.replace(&server.url(), "URL")
}

#[test]
fn every_metrics_failure_is_a_stated_reason() {
    let q = "q=%7B+%7D+%7C+count_over_time%28%29+by+%28resource.service.name%2C+name%29&start=1714978800000000000&end=1714978860000000000";
    assert_eq!(reason(404, "404 page not found\n"), format!("Tempo has no TraceQL metrics API (URL/api/metrics/query_range?{q}&step=60s answered HTTP 404)"));
    assert_eq!(
        reason(500, "localblocks processor not found"),
        format!("TraceQL metrics are not enabled on this Tempo (they need the metrics-generator's local-blocks processor): URL/api/metrics/query?{q} answered HTTP 500 Internal Server Error 3 times (\"localblocks processor not found\"); check that the server and any proxy in front of it are healthy")
    );
    assert_eq!(
        reason(400, "metrics generator not enabled"),
        "TraceQL metrics are not enabled on this Tempo (they need the metrics-generator's local-blocks processor): \"metrics generator not enabled\""
    );
    assert_eq!(reason(403, "forbidden"), format!("Tempo's TraceQL metrics query failed (URL/api/metrics/query?{q} answered HTTP 403: \"forbidden\")"));
    let cut = reason(
        200,
        r#"{"series":[{"labels":[{"key":"resource.service.name","#,
    );
    assert!(cut.starts_with(&format!("Tempo's TraceQL metrics answer could not be read (URL/api/metrics/query?{q} returned malformed JSON")), "{cut}");
    let partial = reason(200, std::str::from_utf8(&recorded("partial.json")).unwrap());
    assert_eq!(partial, format!("Tempo's TraceQL metrics answer at URL/api/metrics/query?{q} is partial (series limit reached)"));
    let html = reason(200, "<html><body>login</body></html>");
    assert!(
        html.starts_with(
            "Tempo's TraceQL metrics answer could not be read (URL/api/metrics/query?"
        ),
        "{html}"
    );
}

#[test]
fn a_metrics_query_past_the_timeout_is_a_reason() {
    let mut server = Server::new();
    let _slow = server
        .mock("GET", "/api/metrics/query")
        .match_query(Matcher::Any)
        .with_chunked_body(|w| {
            std::thread::sleep(Duration::from_secs(3));
            w.write_all(b"{}")
        })
        .create();
    let source = open(&server.url(), Duration::from_secs(1));
    let err = source
        .span_metrics(T0_S * 1_000_000_000, (T0_S + 60) * 1_000_000_000)
        .expect_err("a reason");
    assert!(
        err.starts_with("Tempo's TraceQL metrics query failed: "),
        "{err}"
    );
    assert!(err.contains("within 1s"), "{err}");
}

#[test]
fn without_metrics_the_traces_are_fetched_and_the_output_says_why() {
    let mut server = Server::new();
    let _gone = not_found(&mut server, "/api/metrics/query");
    let _gone_too = not_found(&mut server, "/api/metrics/query_range");
    // Not the 200-trace sample: up to --max-traces.
    let fetched = traces(&mut server, 5000);
    let run = root_cause(&server.url(), "json");
    let v = run.json();
    fetched[0].assert();
    fetched[1].assert();
    assert!(v.get("store_metrics").is_none(), "{v:#}");
    let fallback = v["coverage"]["fallback"].as_str().unwrap();
    assert!(
        fallback.starts_with("Tempo has no TraceQL metrics API ("),
        "{fallback}"
    );
    let parts = v["coverage"]["parts"].as_array().unwrap();
    assert_eq!(
        (
            &parts[0]["statistics"],
            &parts[0]["computed_in"],
            &parts[0]["traces"]
        ),
        (&"ranking".into(), &"fetched_traces".into(), &40.into())
    );
    assert_eq!(v["services"], ranked_in_memory(&mut server));

    let table = root_cause(&server.url(), "table");
    assert_eq!(table.code, 0, "{}", table.stderr);
    let flat = table
        .stdout
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains("the store did not aggregate (Tempo has no TraceQL metrics API ("),
        "{flat}"
    );
    assert!(
        flat.contains("answered HTTP 404)), so traces were fetched."),
        "{flat}"
    );
}

#[test]
fn without_pushdown_no_metrics_are_asked() {
    let mut server = Server::new();
    let none = server
        .mock("GET", "/api/metrics/query")
        .match_query(Matcher::Any)
        .expect(0)
        .create();
    let _t = traces(&mut server, 5000);
    let v = without_pushdown(&server.url());
    none.assert();
    assert!(v["coverage"].get("fallback").is_none());
    assert_eq!(v["coverage"]["parts"][0]["traces"], 40);
}

#[test]
fn an_unreachable_tempo_exits_3_and_a_bad_window_exits_2() {
    let url = format!("tempo+http://127.0.0.1:{}", closed_port());
    let run = tracediag(
        &[
            "root-cause",
            "--source",
            &url,
            "--window",
            WINDOW,
            "--baseline",
            BASELINE,
        ],
        &[],
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.error_line().contains("connection refused"),
        "{}",
        run.stderr
    );
    let run = tracediag(
        &["root-cause", "--source", &url, "--window", "yesterday-ish"],
        &[],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.error_line().contains("--window"), "{}", run.stderr);
}
