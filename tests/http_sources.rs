//! Jaeger and Tempo over HTTP against an in-process server on 127.0.0.1: real recorded
//! responses replayed at their real paths, and every fault the client must survive, each
//! with its exact outcome (result, or message and exit code).

mod common;

use std::time::Duration;

use mockito::{Matcher, Server};
use serde_json::Value;

use common::{
    closed_port, fixture_traces, http_response, read, testdata, tracediag, RawServer, Reply,
};
use tracediag::source::backend::{self, TraceSource};
use tracediag::source::http::HttpOptions;
use tracediag::source::spec::SourceSpec;

const JSON: (&str, &str) = ("content-type", "application/json");

fn open(spec: &str) -> Box<dyn TraceSource> {
    let spec = SourceSpec::parse(spec).expect("spec");
    // Short backoff: the retry tests measure the real one through the binary.
    let opts = HttpOptions {
        backoff: Duration::from_millis(10),
        quiet: true,
        ..HttpOptions::default()
    };
    backend::open(&spec, &opts).unwrap_or_else(|e| panic!("open: {e}"))
}

fn v3_services(server: &mut Server) -> mockito::Mock {
    server
        .mock("GET", "/api/v3/services")
        .with_header(JSON.0, JSON.1)
        .with_body(r#"{"services":["foo"]}"#)
        .create()
}

// ---------------------------------------------------------------------------------------
// Replay of recorded responses
// ---------------------------------------------------------------------------------------

#[test]
#[ignore = "needs TRACEDIAG_FIXTURES (the shared fixtures folder)"]
fn jaeger_api_v3_trace_is_fetched_raw() {
    let dir = fixture_traces();
    let mut server = Server::new();
    let _services = v3_services(&mut server);
    let trace = server
        .mock("GET", "/api/v3/traces/00000000000000000000000000000001")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("rawTraces".into(), "true".into()),
            Matcher::UrlEncoded("raw_traces".into(), "true".into()),
        ]))
        .with_header(JSON.0, JSON.1)
        .with_body(read(&dir.join("jaeger-v3__jaeger__GetTrace.json")))
        .expect(1)
        .create();
    let source = open(&format!("jaeger+{}", server.url()));
    let t = source
        .trace("00000000000000000000000000000001")
        .unwrap_or_else(|e| panic!("{e}"));
    trace.assert();
    assert_eq!(t.id, "00000000000000000000000000000001");
    assert_eq!(t.spans.len(), 1);
    assert_eq!(t.spans[0].operation, "foobar");
    assert_eq!(t.error_count(), 1);
}

#[test]
#[ignore = "needs TRACEDIAG_FIXTURES (the shared fixtures folder)"]
fn jaeger_v1_trace_is_used_when_api_v3_is_missing() {
    let dir = fixture_traces();
    let mut server = Server::new();
    // No /api/v3 routes: mockito answers 501, as an old Jaeger answers 404.
    let m = server
        .mock("GET", "/api/traces/2db17286b3e6b148")
        .match_query(Matcher::UrlEncoded("raw".into(), "true".into()))
        .with_header(JSON.0, JSON.1)
        .with_body(read(
            &dir.join("jaeger-v1__jaeger-analytics-java__ui-trace.json"),
        ))
        .expect(1)
        .create();
    let opaque = server
        .mock("GET", "/api/traces/trace-123")
        .match_query(Matcher::Any)
        .with_header(JSON.0, JSON.1)
        .with_body(read(
            &dir.join("jaeger-v1__jaeger-ui__TraceGraph-testTrace.json"),
        ))
        .create();
    let source = open(&format!("jaeger+{}", server.url()));
    let t = source
        .trace("2db17286b3e6b148")
        .unwrap_or_else(|e| panic!("{e}"));
    m.assert();
    assert_eq!(t.spans.len(), 2);
    assert_eq!(t.services(), vec!["jaeger-query"]);
    let t = source.trace("trace-123").unwrap_or_else(|e| panic!("{e}"));
    opaque.assert();
    assert_eq!(t.spans.len(), 11);
}

#[test]
#[ignore = "needs TRACEDIAG_FIXTURES (the shared fixtures folder)"]
fn tempo_trace_falls_back_to_v1_and_decodes_base64_ids() {
    let dir = fixture_traces();
    let mut server = Server::new();
    let id = "3ba55609c3cde49649cd77d1f9dcd936";
    let v2 = server
        .mock("GET", format!("/api/v2/traces/{id}").as_str())
        .with_status(404)
        .expect(1)
        .create();
    let v1 = server
        .mock("GET", format!("/api/traces/{id}").as_str())
        // Asked for protobuf, answered JSON (as Tempo v1 answers without protobuf support):
        // the body's content decides how it is read.
        .match_header("accept", "application/protobuf")
        .with_header(JSON.0, JSON.1)
        .with_body(read(&dir.join("tempo-v1-trace__kiali__responseTrace.json")))
        .expect(1)
        .create();
    let source = open(&format!("tempo+{}", server.url()));
    let t = source.trace(id).unwrap_or_else(|e| panic!("{e}"));
    v2.assert();
    v1.assert();
    assert_eq!(t.id, id);
    assert_eq!(t.spans.len(), 8);
    assert_eq!(t.services().len(), 5);
}

#[test]
#[ignore = "needs TRACEDIAG_FIXTURES (the shared fixtures folder)"]
fn tempo_v2_partial_trace_is_a_warning() {
    let dir = fixture_traces();
    let body = String::from_utf8_lossy(&read(
        &dir.join("tempo-v1-trace__kiali__responseTrace.json"),
    ))
    .replacen("\"batches\"", "\"resourceSpans\"", 1);
    let v2 =
        format!(r#"{{"trace": {body}, "status": "PARTIAL", "message": "trace exceeds max size"}}"#);
    let mut server = Server::new();
    let id = "3ba55609c3cde49649cd77d1f9dcd936";
    let _m = server
        .mock("GET", format!("/api/v2/traces/{id}").as_str())
        .with_header(JSON.0, JSON.1)
        .with_body(v2)
        .create();
    let source = open(&format!("tempo+{}", server.url()));
    let t = source.trace(id).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(t.spans.len(), 8);
    assert_eq!(
        t.warnings,
        vec![
            "Tempo returned a partial trace (status PARTIAL: trace exceeds max size); spans are missing, so gaps and the root cause may be wrong"
                .to_string()
        ]
    );
}

#[test]
#[ignore = "needs TRACEDIAG_FIXTURES (the shared fixtures folder)"]
fn tempo_search_lists_the_fixture_hits_in_table_and_json() {
    let dir = fixture_traces();
    let mut server = Server::new();
    let q = r#"{ resource.service.name = "productpage.bookinfo" && status = error }"#;
    let _a = server
        .mock("GET", "/api/search")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("q".into(), q.into()),
            Matcher::UrlEncoded("limit".into(), "5".into()),
            Matcher::Regex("start=[0-9]+".into()),
            Matcher::Regex("end=[0-9]+".into()),
        ]))
        .with_header(JSON.0, JSON.1)
        .with_body(read(&dir.join("tempo-search__kiali__response.json")))
        .create();
    let _b = server
        .mock("GET", "/api/search")
        .match_query(Matcher::UrlEncoded("q".into(), "{ .x = 1 }".into()))
        .with_header(JSON.0, JSON.1)
        .with_body(read(&dir.join("tempo-search__kiali__responseAmbient.json")))
        .create();
    let src = format!("tempo+{}", server.url());
    let args = [
        "search",
        "--source",
        &src,
        "--service",
        "productpage.bookinfo",
        "--status",
        "error",
        "--limit",
        "5",
    ];
    let run = tracediag(&args, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let row = run
        .stdout
        .lines()
        .find(|l| l.starts_with("100cb753…afc176ed "))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(row.contains("2023-12-05 12:07:35 "), "{row}");
    assert!(row.contains("9ms"), "{row}");
    // The root gives way to fit 80 columns…
    assert!(row.contains("istio-ingressgatewa…"), "{row}");
    assert!(run.stdout.contains("1 trace(s)"), "{}", run.stdout);
    // …and Markdown has it whole.
    let md = tracediag(&[&args[..], &["--format", "markdown"]].concat(), &[]);
    assert!(md.stdout.contains("| istio-ingressgateway.istio-system: productpage.bookinfo.svc.cluster.local:9080/productpage |"), "{}", md.stdout);

    let run = tracediag(
        &[
            "search",
            "--source",
            &src,
            "--traceql",
            "{ .x = 1 }",
            "--format",
            "json",
        ],
        &[],
    );
    let v = run.json();
    let hit = &v["traces"][0];
    // Tempo strips a leading zero; the id is padded back to 32 hex digits.
    assert_eq!(hit["trace_id"], "02e299711ce47710289dc6640727404f");
    assert_eq!(hit["root_service"], "waypoint.bookinfo");
    assert_eq!(hit["duration_ms"], 12.0);
    assert_eq!(hit["start_ns"], 1_736_952_956_641_922_000_i64);
    assert!(hit["span_count"].as_u64().is_some_and(|n| n > 0), "{hit}");
    assert_eq!(v["source"], src);
}

#[test]
#[ignore = "needs TRACEDIAG_FIXTURES (the shared fixtures folder)"]
fn jaeger_api_v3_search_uses_trace_summaries_with_both_parameter_spellings() {
    let dir = fixture_traces();
    let mut server = Server::new();
    let _services = v3_services(&mut server);
    let m = server
        .mock("GET", "/api/v3/trace-summaries")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("query.serviceName".into(), "frontend".into()),
            Matcher::UrlEncoded("query.service_name".into(), "frontend".into()),
            Matcher::UrlEncoded("query.durationMin".into(), "250ms".into()),
            Matcher::UrlEncoded("query.duration_min".into(), "250ms".into()),
            Matcher::UrlEncoded(
                "query.attributes".into(),
                r#"{"error":"true","http.method":"GET"}"#.into(),
            ),
            Matcher::UrlEncoded("query.rawTraces".into(), "true".into()),
            Matcher::Regex("query.startTimeMin=[0-9]{4}-".into()),
            Matcher::Regex("query.start_time_max=[0-9]{4}-".into()),
        ]))
        .with_header(JSON.0, JSON.1)
        .with_body(read(
            &dir.join("jaeger-v3__jaeger__FindTraceSummaries.json"),
        ))
        .expect(2)
        .create();
    let src = format!("jaeger+{}", server.url());
    let base = [
        "search",
        "--source",
        &src,
        "--service",
        "frontend",
        "--min-duration",
        "250ms",
    ];
    let mut args = base.to_vec();
    args.extend(["--status", "error", "--tag", "http.method=GET"]);
    let run = tracediag(&args, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let row = run
        .stdout
        .lines()
        // A 128-bit id with a zero high half reads as the 64-bit id it is.
        .find(|l| l.starts_with("0000000000000001 "))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(row.contains("frontend: HTTP GET /"), "{row}");
    assert!(row.contains("1970-01-01 00:16:40 "), "{row}");
    assert!(row.contains("1.0s"), "{row}");
    args.extend(["--format", "json"]);
    let v = tracediag(&args, &[]).json();
    m.assert();
    let hit = &v["traces"][0];
    assert_eq!(hit["trace_id"], "00000000000000000000000000000001");
    assert_eq!(hit["span_count"], 2);
    assert_eq!(hit["error_count"], 1);
    assert_eq!(hit["duration_ms"], 1000.0);
    assert_eq!(hit["root_service"], "frontend");
    assert_eq!(hit["root_operation"], "HTTP GET /");
}

#[test]
#[ignore = "needs TRACEDIAG_FIXTURES (the shared fixtures folder)"]
fn jaeger_v1_search_returns_the_traces_found() {
    let dir = fixture_traces();
    let mut server = Server::new();
    let m = server
        .mock("GET", "/api/traces")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("service".into(), "telemetrygen".into()),
            Matcher::UrlEncoded("operation".into(), "okey-dokey-0".into()),
            Matcher::UrlEncoded("limit".into(), "20".into()),
            Matcher::UrlEncoded("raw".into(), "true".into()),
            Matcher::Regex("start=[0-9]{16}".into()),
        ]))
        .with_header(JSON.0, JSON.1)
        .with_body(read(&dir.join("jaeger-v1__jaeger__otlp2jaeger-out.json")))
        .create();
    let src = format!("jaeger+{}", server.url());
    let run = tracediag(
        &[
            "search",
            "--source",
            &src,
            "--service",
            "telemetrygen",
            "--operation",
            "okey-dokey-0",
            "--since",
            "2h",
            "--format",
            "json",
        ],
        &[],
    );
    let v = run.json();
    m.assert();
    assert_eq!(
        v["traces"][0]["trace_id"],
        "83a9efd15c1c98a977e0711cc93ee28b"
    );
    assert_eq!(v["traces"][0]["span_count"], 2);
}

#[test]
fn services_and_operations_on_jaeger_v3_v1_and_tempo() {
    // api_v3
    let mut server = Server::new();
    let _s = server
        .mock("GET", "/api/v3/services")
        .with_header(JSON.0, JSON.1)
        .with_body(r#"{"services":["foo","bar"]}"#)
        .create();
    let _o = server
        .mock("GET", "/api/v3/operations")
        .match_query(Matcher::UrlEncoded("service".into(), "foo".into()))
        .with_header(JSON.0, JSON.1)
        .with_body(r#"{"operations":[{"name":"get_users","spanKind":"server"},{"name":"get_users","spanKind":"client"}]}"#)
        .create();
    let src = format!("jaeger+{}", server.url());
    let run = tracediag(&["services", "--source", &src], &[]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "bar\nfoo\n"),
        "{}",
        run.stderr
    );
    let run = tracediag(&["operations", "foo", "--source", &src], &[]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "get_users\n"),
        "{}",
        run.stderr
    );

    // v1 only
    let mut server = Server::new();
    let _s = server
        .mock("GET", "/api/services")
        .with_header(JSON.0, JSON.1)
        .with_body(r#"{"data":["svc b","svc-a"],"total":2,"limit":0,"offset":0,"errors":null}"#)
        .create();
    let _o = server
        .mock("GET", "/api/services/svc%20b/operations")
        .with_header(JSON.0, JSON.1)
        .with_body(r#"{"data":["op1","op0"],"errors":null}"#)
        .create();
    let src = format!("jaeger+{}", server.url());
    let v = tracediag(&["services", "--source", &src, "--format", "json"], &[]).json();
    assert_eq!(v["services"], serde_json::json!(["svc b", "svc-a"]));
    let run = tracediag(&["operations", "svc b", "--source", &src], &[]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "op0\nop1\n"),
        "{}",
        run.stderr
    );

    // Tempo: tag values (v1 strings for services, v2 typed values for span names)
    let mut server = Server::new();
    let _s = server
        .mock("GET", "/api/search/tag/service.name/values")
        .with_header(JSON.0, JSON.1)
        .with_body(r#"{"tagValues":["productpage","details"]}"#)
        .create();
    let _o = server
        .mock("GET", "/api/v2/search/tag/name/values")
        .match_query(Matcher::UrlEncoded(
            "q".into(),
            r#"{ resource.service.name = "details" }"#.into(),
        ))
        .with_header(JSON.0, JSON.1)
        .with_body(r#"{"tagValues":[{"type":"string","value":"GET /details"}],"metrics":{}}"#)
        .create();
    let src = format!("tempo+{}", server.url());
    let run = tracediag(&["services", "--source", &src], &[]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "details\nproductpage\n"),
        "{}",
        run.stderr
    );
    let run = tracediag(&["operations", "details", "--source", &src], &[]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "GET /details\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_plain_url_is_probed() {
    let mut jaeger = Server::new();
    let _s = v3_services(&mut jaeger);
    let run = tracediag(&["services", "--source", &jaeger.url(), "-v"], &[]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "foo\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("{} is Jaeger", jaeger.url())),
        "{}",
        run.stderr
    );

    let mut tempo = Server::new();
    let _e = tempo.mock("GET", "/api/echo").with_body("echo").create();
    let _s = tempo
        .mock("GET", "/api/search/tag/service.name/values")
        .with_header(JSON.0, JSON.1)
        .with_body(r#"{"tagValues":["a"]}"#)
        .create();
    let run = tracediag(&["services", "--source", &tempo.url()], &[]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "a\n"),
        "{}",
        run.stderr
    );

    let neither = Server::new();
    let run = tracediag(&["services", "--source", &neither.url()], &[]);
    assert_eq!(run.code, 3);
    let url = neither.url();
    assert_eq!(
        run.error_line(),
        format!("tracediag: error: {url} answers, but neither as Jaeger (/api/v3/services, /api/services) nor as Tempo (/api/echo); say which with jaeger+{url} or tempo+{url}")
    );
}

#[test]
fn a_named_source_comes_from_the_config_file() {
    let mut server = Server::new();
    let m = server
        .mock("GET", "/api/search/tag/service.name/values")
        .match_header("x-scope-orgid", "team-a")
        .match_header("x-api-key", "from-config")
        .with_header(JSON.0, JSON.1)
        .with_body(r#"{"tagValues":["a"]}"#)
        .expect(1)
        .create();
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("tracediag")).expect("mkdir");
    std::fs::write(
        dir.path().join("tracediag/config.toml"),
        format!(
            "[sources.prod]\nurl = \"tempo+{}\"\ntenant = \"team-a\"\nheaders = {{ X-Api-Key = \"from-config\" }}\n\n[defaults]\nformat = \"json\"\n",
            server.url()
        ),
    )
    .expect("write config");
    let run = tracediag(
        &["services", "--source", "prod"],
        &[("XDG_CONFIG_HOME", dir.path().to_str().unwrap_or_default())],
    );
    m.assert();
    assert_eq!(
        run.json()["services"],
        serde_json::json!(["a"]),
        "the config's default format applies"
    );
}

// ---------------------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------------------

#[test]
fn connection_refused_exits_3_and_names_the_url() {
    let port = closed_port();
    let run = tracediag(
        &[
            "diagnose",
            "abc",
            "--source",
            &format!("jaeger+http://127.0.0.1:{port}"),
            "-v",
        ],
        &[],
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(
        run.error_line(),
        format!(
            "tracediag: error: cannot reach http://127.0.0.1:{port}/api/v3/services (connection refused); is Jaeger running at http://127.0.0.1:{port}? check --source"
        )
    );
    // Connection errors are retried: three attempts, two waits.
    assert_eq!(
        run.stderr.matches("retrying in").count(),
        2,
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_host_exits_3() {
    // `.invalid` never resolves (RFC 2606), so no query leaves the machine for long.
    let run = tracediag(
        &[
            "services",
            "--source",
            "tempo+http://no-such-host.invalid:3200",
        ],
        &[],
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.error_line().starts_with("tracediag: error: cannot reach http://no-such-host.invalid:3200/api/search/tag/service.name/values ("),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("is Tempo running at http://no-such-host.invalid:3200?"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_slow_response_past_the_timeout_exits_3() {
    let body = http_response("200 OK", &[JSON], br#"{"services":[]}"#);
    let server = RawServer::start(vec![Reply::After(Duration::from_secs(4), body)], 1);
    let url = server.url();
    let run = tracediag(
        &[
            "services",
            "--source",
            &format!("jaeger+{url}"),
            "--timeout",
            "1s",
        ],
        &[],
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(
        run.error_line(),
        format!("tracediag: error: {url}/api/v3/services did not answer within 1s; raise --timeout or check that Jaeger at {url} is healthy")
    );
    assert!(
        run.elapsed < Duration::from_secs(3),
        "a timeout is not retried: took {:?}",
        run.elapsed
    );
}

#[test]
fn a_500_then_success_is_retried() {
    let mut server = Server::new();
    let fail = server
        .mock("GET", "/api/v3/services")
        .with_status(500)
        .with_body("storage hiccup")
        .expect(1)
        .create();
    let ok = server
        .mock("GET", "/api/v3/services")
        .with_header(JSON.0, JSON.1)
        .with_body(r#"{"services":["foo"]}"#)
        .expect(2)
        .create();
    let run = tracediag(
        &["services", "--source", &format!("jaeger+{}", server.url())],
        &[],
    );
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "foo\n"),
        "{}",
        run.stderr
    );
    fail.assert();
    // Once for the API probe (after the retry), once for the list.
    ok.assert();
}

#[test]
fn a_429_with_retry_after_is_waited_for() {
    let mut server = Server::new();
    let limited = server
        .mock("GET", "/api/search/tag/service.name/values")
        .with_status(429)
        .with_header("retry-after", "1")
        .expect(1)
        .create();
    let ok = server
        .mock("GET", "/api/search/tag/service.name/values")
        .with_header(JSON.0, JSON.1)
        .with_body(r#"{"tagValues":["a"]}"#)
        .expect(1)
        .create();
    let run = tracediag(
        &["services", "--source", &format!("tempo+{}", server.url())],
        &[],
    );
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "a\n"),
        "{}",
        run.stderr
    );
    limited.assert();
    ok.assert();
    assert!(
        run.elapsed >= Duration::from_secs(1),
        "Retry-After: 1 was not honoured ({:?})",
        run.elapsed
    );

    // Always 429: three attempts, then a one-line error.
    let mut server = Server::new();
    let m = server
        .mock("GET", "/api/search/tag/service.name/values")
        .with_status(429)
        .with_header("retry-after", "0")
        .expect(3)
        .create();
    let url = server.url();
    let run = tracediag(&["services", "--source", &format!("tempo+{url}")], &[]);
    m.assert();
    assert_eq!(run.code, 3);
    assert_eq!(
        run.error_line(),
        format!("tracediag: error: {url}/api/search/tag/service.name/values answered HTTP 429 Too Many Requests 3 times; the server is rate limiting; wait and try again")
    );

    // A Retry-After longer than tracediag waits fails at once.
    let mut server = Server::new();
    let m = server
        .mock("GET", "/api/search/tag/service.name/values")
        .with_status(503)
        .with_header("retry-after", "3600")
        .expect(1)
        .create();
    let url = server.url();
    let run = tracediag(&["services", "--source", &format!("tempo+{url}")], &[]);
    m.assert();
    assert_eq!(run.code, 3);
    assert_eq!(
        run.error_line(),
        format!("tracediag: error: {url}/api/search/tag/service.name/values answered HTTP 503 Service Unavailable and asked to retry after 3600s, longer than tracediag waits (30s); try again later")
    );
}

#[test]
fn a_truncated_body_exits_3() {
    // Content-Length promises 1000 bytes; the connection closes after 100.
    let mut reply = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n".to_vec();
    let partial: Vec<u8> = std::iter::once(b'{')
        .chain(std::iter::repeat_n(b' ', 99))
        .collect();
    reply.extend_from_slice(&partial);
    let server = RawServer::start(vec![Reply::Bytes(reply)], 1);
    let url = server.url();
    let run = tracediag(&["services", "--source", &format!("jaeger+{url}")], &[]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let line = run.error_line();
    assert!(
        line.starts_with(&format!("tracediag: error: {url}/api/v3/services: the response was cut off after 100 bytes of 1000 (")),
        "{line}"
    );
    assert!(
        line.ends_with("); retry, or check a proxy in between"),
        "{line}"
    );

    // No length, connection closed mid-document: the JSON ends early.
    let mut reply =
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n".to_vec();
    reply.extend_from_slice(br#"{"tagValues":["a","b"#);
    let server = RawServer::start(vec![Reply::Bytes(reply)], 1);
    let url = server.url();
    let run = tracediag(&["services", "--source", &format!("tempo+{url}")], &[]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(
        run.error_line(),
        format!("tracediag: error: {url}/api/search/tag/service.name/values returned malformed JSON: it ends at byte 20 in the middle of a value (cut off?); retry, or check a proxy in between")
    );
}

#[test]
fn an_html_body_exits_3_with_its_first_bytes() {
    let mut server = Server::new();
    let _m = server
        .mock("GET", "/api/search/tag/service.name/values")
        .with_header("content-type", "text/html; charset=utf-8")
        .with_body("<!DOCTYPE html>\n<html><head><title>Sign in</title></head>\n<body>Please log in</body></html>")
        .create();
    let url = server.url();
    let run = tracediag(&["services", "--source", &format!("tempo+{url}")], &[]);
    assert_eq!(run.code, 3);
    assert_eq!(
        run.error_line(),
        format!("tracediag: error: {url}/api/search/tag/service.name/values returned HTML where JSON was expected (a login page or a proxy error?); check --source, and --header or TRACEDIAG_TOKEN if it needs a login; it begins: \"<!DOCTYPE html> <html><head><title>Sign in</title></head> <body>Please log in</body></html>\"")
    );

    // A proxy's plain-text error page.
    let mut server = Server::new();
    let _m = server
        .mock("GET", "/api/search/tag/service.name/values")
        .with_header("content-type", "text/plain")
        .with_body("upstream connect error")
        .create();
    let url = server.url();
    let run = tracediag(&["services", "--source", &format!("tempo+{url}")], &[]);
    assert_eq!(run.code, 3);
    assert_eq!(
        run.error_line(),
        format!("tracediag: error: {url}/api/search/tag/service.name/values returned text/plain where JSON was expected; it begins: \"upstream connect error\"")
    );
}

#[test]
fn malformed_json_exits_3_with_the_byte_offset() {
    let mut server = Server::new();
    let _m = server
        .mock("GET", "/api/v3/services")
        .with_header(JSON.0, JSON.1)
        .with_body(r#"{"services": ["a" "b"]}"#)
        .create();
    let url = server.url();
    // The probe sees no JSON object and falls back to v1, which is the same route here.
    let _v1 = server
        .mock("GET", "/api/services")
        .with_header(JSON.0, JSON.1)
        .with_body(r#"{"data": ["a" "b"]}"#)
        .create();
    let run = tracediag(&["services", "--source", &format!("jaeger+{url}")], &[]);
    assert_eq!(run.code, 3);
    assert_eq!(run.error_line(), format!("tracediag: error: {url}/api/services returned malformed JSON at byte offset 14: expected `,` or `]`; is this a Jaeger API? check --source, or a proxy in between"));
}

#[test]
fn a_401_exits_3_and_says_how_to_authenticate() {
    let mut server = Server::new();
    let _m = server
        .mock("GET", "/api/v3/services")
        .with_status(401)
        .with_body("unauthorized")
        .create();
    let url = server.url();
    let run = tracediag(
        &["diagnose", "abc", "--source", &format!("jaeger+{url}")],
        &[],
    );
    assert_eq!(run.code, 3);
    assert_eq!(
        run.error_line(),
        format!("tracediag: error: authentication failed at {url}/api/v3/services (HTTP 401); set --header or TRACEDIAG_TOKEN")
    );
}

#[test]
fn a_404_for_a_trace_exits_2() {
    let mut server = Server::new();
    let _s = v3_services(&mut server);
    let _m = server
        .mock("GET", "/api/v3/traces/abc")
        .match_query(Matcher::Any)
        .with_status(404)
        .with_header(JSON.0, JSON.1)
        .with_body(r#"{"error":{"httpCode":404,"message":"trace not found"}}"#)
        .create();
    let url = server.url();
    let run = tracediag(
        &["diagnose", "abc", "--source", &format!("jaeger+{url}")],
        &[],
    );
    assert_eq!(run.code, 2);
    assert_eq!(
        run.error_line(),
        format!("tracediag: error: trace abc not found in jaeger+{url} (find recent trace ids with `tracediag search`)")
    );

    // Tempo: 404 from v2 and from v1, on a server that is Tempo (it answers /api/echo).
    let mut server = Server::new();
    let _echo = server.mock("GET", "/api/echo").with_body("echo").create();
    let id = "0000000000000000000000000000abcd";
    let v2 = server
        .mock("GET", format!("/api/v2/traces/{id}").as_str())
        .with_status(404)
        .with_body("trace not found")
        .expect(1)
        .create();
    let v1 = server
        .mock("GET", format!("/api/traces/{id}").as_str())
        .with_status(404)
        .with_body("trace not found")
        .expect(1)
        .create();
    let url = server.url();
    let run = tracediag(
        &["timeline", "abcd", "--source", &format!("tempo+{url}")],
        &[],
    );
    v2.assert();
    v1.assert();
    assert_eq!(run.code, 2);
    assert_eq!(
        run.error_line(),
        format!("tracediag: error: trace abcd not found in tempo+{url} (find recent trace ids with `tracediag search`)")
    );
}

#[test]
fn api_v3_404_on_an_empty_search_is_zero_results() {
    let mut server = Server::new();
    let _s = v3_services(&mut server);
    let m = server
        .mock("GET", "/api/v3/trace-summaries")
        .match_query(Matcher::Any)
        .with_status(404)
        .with_header(JSON.0, JSON.1)
        .with_body(r#"{"error":{"httpCode":404,"message":"No traces found"}}"#)
        .expect(2)
        .create();
    let src = format!("jaeger+{}", server.url());
    let run = tracediag(&["search", "--source", &src, "--service", "foo"], &[]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "no traces found\n"),
        "{}",
        run.stderr
    );
    let v = tracediag(
        &[
            "search",
            "--source",
            &src,
            "--service",
            "foo",
            "--format",
            "json",
        ],
        &[],
    )
    .json();
    m.assert();
    assert_eq!(v["traces"], serde_json::json!([]));
}

#[test]
fn api_v3_before_trace_summaries_searches_traces() {
    let mut server = Server::new();
    let _s = v3_services(&mut server);
    // Jaeger before v2.19 has no trace-summaries route: Go's mux answers a plain-text 404.
    let _missing = server
        .mock("GET", "/api/v3/trace-summaries")
        .match_query(Matcher::Any)
        .with_status(404)
        .with_body("404 page not found\n")
        .create();
    let m = server
        .mock("GET", "/api/v3/traces")
        .match_query(Matcher::UrlEncoded("query.service_name".into(), "foo".into()))
        .with_status(404)
        .with_header(JSON.0, JSON.1)
        .with_body(r#"{"error":{"grpcCode":5,"httpCode":404,"message":"No traces found","httpStatus":"Not Found"}}"#)
        .expect(1)
        .create();
    let run = tracediag(
        &[
            "search",
            "--source",
            &format!("jaeger+{}", server.url()),
            "--service",
            "foo",
        ],
        &[],
    );
    m.assert();
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "no traces found\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn v1_errors_array_with_http_200() {
    let mut server = Server::new();
    let _t = server
        .mock("GET", "/api/traces/abc")
        .match_query(Matcher::Any)
        .with_header(JSON.0, JSON.1)
        .with_body(r#"{"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":404,"msg":"trace not found","traceID":"abc"}]}"#)
        .create();
    let _s = server
        .mock("GET", "/api/traces")
        .match_query(Matcher::Any)
        .with_header(JSON.0, JSON.1)
        .with_body(r#"{"data":[],"total":0,"limit":0,"offset":0,"errors":[{"code":500,"msg":"cassandra: no hosts available"}]}"#)
        .create();
    let url = server.url();
    let src = format!("jaeger+{url}");
    let run = tracediag(&["diagnose", "abc", "--source", &src], &[]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.error_line(),
        format!("tracediag: error: trace abc not found in {src} (find recent trace ids with `tracediag search`)")
    );

    let run = tracediag(&["search", "--source", &src, "--service", "x"], &[]);
    assert_eq!(run.code, 3);
    let line = run.error_line();
    assert!(
        line.starts_with(&format!("tracediag: error: {url}/api/traces?service=x&")),
        "{line}"
    );
    assert!(
        line.ends_with(" reported an error: cassandra: no hosts available; check the query and that Jaeger's storage is healthy"),
        "{line}"
    );
}

#[test]
fn a_response_over_the_size_limit_is_refused() {
    let big = format!(r#"{{"services":["{}"]}}"#, "x".repeat(4096));
    let mut server = Server::new();
    let _m = server
        .mock("GET", "/api/v3/services")
        .with_header(JSON.0, JSON.1)
        .with_body(&big)
        .create();
    let url = server.url();
    let run = tracediag(
        &[
            "services",
            "--source",
            &format!("jaeger+{url}"),
            "--max-response-size",
            "1KiB",
        ],
        &[],
    );
    assert_eq!(run.code, 3);
    assert_eq!(
        run.error_line(),
        format!("tracediag: error: {url}/api/v3/services: the response is larger than the 1 KiB limit; raise --max-response-size (or max_response_size in the config) if that is expected")
    );

    // Without a Content-Length the limit is enforced while reading.
    let mut reply =
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n".to_vec();
    reply.extend_from_slice(big.as_bytes());
    let server = RawServer::start(vec![Reply::Bytes(reply)], 1);
    let url = server.url();
    let run = tracediag(
        &[
            "services",
            "--source",
            &format!("jaeger+{url}"),
            "--max-response-size",
            "1KiB",
        ],
        &[],
    );
    assert_eq!(run.code, 3);
    assert!(
        run.error_line()
            .contains("the response is larger than the 1 KiB limit"),
        "{}",
        run.stderr
    );
}

#[test]
fn secrets_are_sent_but_never_printed() {
    let mut server = Server::new();
    let m = server
        .mock("GET", "/api/v3/services")
        .match_header("authorization", "Bearer header-secret-1")
        .match_header("x-extra", "extra-secret-2")
        .with_status(403)
        .with_body("denied for Bearer header-secret-1")
        .expect(1)
        .create();
    let url = server.url();
    let run = tracediag(
        &[
            "services",
            "--source",
            &format!("jaeger+{url}"),
            "--header",
            "Authorization: Bearer header-secret-1",
            "--header",
            "X-Extra: extra-secret-2",
            "-vv",
        ],
        &[("TRACEDIAG_TOKEN", "token-secret-3")],
    );
    m.assert();
    assert_eq!(run.code, 3);
    for secret in ["header-secret-1", "extra-secret-2", "token-secret-3"] {
        assert!(
            !run.stderr.contains(secret),
            "{secret} printed: {}",
            run.stderr
        );
    }
    assert!(
        run.stderr.contains("> authorization: ***"),
        "-vv shows headers, masked: {}",
        run.stderr
    );

    // TRACEDIAG_TOKEN alone becomes a bearer token.
    let mut server = Server::new();
    let m = server
        .mock("GET", "/api/v3/services")
        .match_header("authorization", "Bearer token-secret-3")
        .with_status(401)
        .expect(1)
        .create();
    let run = tracediag(
        &[
            "services",
            "--source",
            &format!("jaeger+{}", server.url()),
            "-vv",
        ],
        &[("TRACEDIAG_TOKEN", "token-secret-3")],
    );
    m.assert();
    assert!(!run.stderr.contains("token-secret-3"), "{}", run.stderr);

    // Basic auth in the URL: sent as a header, masked in every message.
    let port = closed_port();
    let run = tracediag(
        &[
            "services",
            "--source",
            &format!("jaeger+http://alice:pw-secret-4@127.0.0.1:{port}"),
            "-vv",
        ],
        &[],
    );
    assert_eq!(run.code, 3);
    assert!(
        !run.stderr.contains("pw-secret-4") && !run.stderr.contains("alice"),
        "{}",
        run.stderr
    );
    let mut server = Server::new();
    // "alice:pw-secret-4" in base64
    let m = server
        .mock("GET", "/api/search/tag/service.name/values")
        .match_header("authorization", "Basic YWxpY2U6cHctc2VjcmV0LTQ=")
        .with_header(JSON.0, JSON.1)
        .with_body(r#"{"tagValues":[]}"#)
        .expect(1)
        .create();
    let with_auth = server
        .url()
        .replacen("http://", "tempo+http://alice:pw-secret-4@", 1);
    let run = tracediag(&["services", "--source", &with_auth, "-v"], &[]);
    m.assert();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("pw-secret-4"), "{}", run.stderr);
}

#[test]
fn usage_errors_exit_2() {
    let run = tracediag(&["search", "--source", "jaeger+http://127.0.0.1:1"], &[]);
    assert_eq!(run.code, 2);
    let run = tracediag(&["services", "--source", "ftp://x"], &[]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.error_line(),
        "tracediag: error: unsupported source ftp://x: use a file path, -, jaeger+http(s)://, tempo+http(s)://, http(s)://, postgres:// or a name from the config file"
    );
    let run = tracediag(&["diagnose", "--source", "tempo+http://127.0.0.1:1"], &[]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.error_line(),
        "tracediag: error: name the trace to read from tempo+http://127.0.0.1:1: tracediag diagnose <TRACE_ID> (find one with `tracediag search`)"
    );
}

// ---------------------------------------------------------------------------------------
// The same trace over HTTP and from a file gives the same diagnosis
// ---------------------------------------------------------------------------------------

fn diagnosis(args: &[&str]) -> Value {
    let run = tracediag(args, &[]);
    let mut v = run.json();
    // The source name differs by design; everything the analysis found must not.
    if let Some(obj) = v.as_object_mut() {
        obj.remove("source");
    }
    v
}

#[test]
fn diagnosis_over_http_matches_the_file_reader() {
    let jaeger_file = testdata("execution-2193.jaeger.json");
    let otlp_file = testdata("execution-2193.otlp.json");
    let jaeger_body = read(&jaeger_file);
    let otlp_body = read(&otlp_file);
    let otlp_text = String::from_utf8_lossy(&otlp_body);

    let from_file = diagnosis(&[
        "diagnose",
        "2193",
        "--format",
        "json",
        "--source",
        jaeger_file.to_str().unwrap_or_default(),
    ]);
    let from_otlp_file = diagnosis(&[
        "diagnose",
        "2193",
        "--format",
        "json",
        "--source",
        otlp_file.to_str().unwrap_or_default(),
    ]);

    // Jaeger v1
    let mut v1 = Server::new();
    let _t = v1
        .mock("GET", "/api/traces/2193")
        .match_query(Matcher::Any)
        .with_header(JSON.0, JSON.1)
        .with_body(&jaeger_body)
        .create();
    let over_v1 = diagnosis(&[
        "diagnose",
        "2193",
        "--format",
        "json",
        "--source",
        &format!("jaeger+{}", v1.url()),
    ]);

    // Jaeger api_v3: the OTLP document in its result envelope.
    let mut v3 = Server::new();
    let _s = v3_services(&mut v3);
    let _t = v3
        .mock("GET", "/api/v3/traces/2193")
        .match_query(Matcher::Any)
        .with_header(JSON.0, JSON.1)
        .with_body(format!(r#"{{"result": {otlp_text}}}"#))
        .create();
    let over_v3 = diagnosis(&[
        "diagnose",
        "2193",
        "--format",
        "json",
        "--source",
        &format!("jaeger+{}", v3.url()),
    ]);

    // Tempo v2: the OTLP document under "trace". The wire id is padded to 32 digits.
    let mut tempo = Server::new();
    let _t = tempo
        .mock("GET", "/api/v2/traces/00000000000000000000000000002193")
        .with_header(JSON.0, JSON.1)
        .with_body(format!(
            r#"{{"trace": {otlp_text}, "metrics": {{"inspectedBytes": "1"}}}}"#
        ))
        .create();
    let over_tempo = diagnosis(&[
        "diagnose",
        "2193",
        "--format",
        "json",
        "--source",
        &format!("tempo+{}", tempo.url()),
    ]);

    assert_eq!(from_file["root_causes"][0]["category"], "NETWORK_TIMEOUT");
    for key in [
        "root_causes",
        "gaps",
        "critical_path",
        "error_origins",
        "anomalies",
        "trace",
    ] {
        assert_eq!(
            over_v1[key], from_file[key],
            "{key}: Jaeger v1 over HTTP differs from the file"
        );
        assert_eq!(
            over_v3[key], from_otlp_file[key],
            "{key}: Jaeger api_v3 over HTTP differs from the file"
        );
        assert_eq!(
            over_tempo[key], from_otlp_file[key],
            "{key}: Tempo over HTTP differs from the file"
        );
    }
    assert_eq!(over_v1["root_causes"], over_tempo["root_causes"]);
}

#[test]
fn search_diagnose_prints_one_line_per_hit() {
    let jaeger_body = read(&testdata("execution-2193.jaeger.json"));
    let mut server = Server::new();
    let _search = server
        .mock("GET", "/api/traces")
        .match_query(Matcher::UrlEncoded("service".into(), "runner".into()))
        .with_header(JSON.0, JSON.1)
        .with_body(&jaeger_body)
        .create();
    let fetch = server
        .mock("GET", "/api/traces/0000000000002193")
        .match_query(Matcher::Any)
        .with_header(JSON.0, JSON.1)
        .with_body(&jaeger_body)
        .expect(1)
        .create();
    let src = format!("jaeger+{}", server.url());
    let run = tracediag(
        &[
            "search",
            "--source",
            &src,
            "--service",
            "runner",
            "--start",
            "2025-10-01T00:00:00Z",
            "--diagnose",
        ],
        &[],
    );
    fetch.assert();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    assert!(lines[0].starts_with("0000000000002193 "), "{}", lines[0]);
    assert!(
        // At 80 columns the operation gives way; --wide has it.
        lines[0].ends_with("NETWORK_TIMEOUT at runner:…"),
        "{}",
        lines[0]
    );

    // The same search on the file.
    let file = testdata("execution-2193.jaeger.json");
    let run = tracediag(
        &[
            "search",
            "--source",
            file.to_str().unwrap_or_default(),
            "--service",
            "runner",
            "--diagnose",
            "--format",
            "json",
        ],
        &[],
    );
    let v = run.json();
    assert_eq!(v["traces"][0]["diagnosis"]["category"], "NETWORK_TIMEOUT");
    assert_eq!(
        v["traces"][0]["diagnosis"]["operation"],
        "hybrid_router_call"
    );
}

/// `similar` on Jaeger: the search asks for the target's root operation in the 24 h either
/// side of the target (not the last hour), and over the --candidates cap the traces nearest
/// the target are fetched.
#[test]
fn similar_on_jaeger_searches_around_the_target() {
    let file: Value =
        serde_json::from_slice(&read(&testdata("executions.jaeger.json"))).expect("json");
    let traces = file["data"].as_array().expect("data").clone();
    let mut server = Server::new();
    let by_id = traces.clone();
    let _get = server
        .mock(
            "GET",
            Matcher::Regex(r"^/api/traces/[0-9a-f]+(\?.*)?$".into()),
        )
        .with_header(JSON.0, JSON.1)
        .with_body_from_request(move |req| {
            let id = req
                .path()
                .split('?')
                .next()
                .unwrap_or("")
                .rsplit('/')
                .next()
                .unwrap_or("")
                .trim_start_matches('0');
            let hit: Vec<&Value> = by_id
                .iter()
                .filter(|t| t["traceID"].as_str().unwrap_or("").trim_start_matches('0') == id)
                .collect();
            serde_json::json!({ "data": hit }).to_string().into_bytes()
        })
        .create();
    // 2186 starts at 1761144120000000 µs; the window is a day either side.
    let search = server
        .mock("GET", "/api/traces")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("service".into(), "runner".into()),
            Matcher::UrlEncoded("operation".into(), "execute_question".into()),
            Matcher::UrlEncoded("start".into(), "1761057720000000".into()),
            Matcher::UrlEncoded("end".into(), "1761230520000000".into()),
        ]))
        .with_header(JSON.0, JSON.1)
        .with_body(serde_json::json!({ "data": traces }).to_string())
        .create();
    let src = format!("jaeger+{}", server.url());
    let run = tracediag(
        &[
            "similar",
            "2186",
            "--source",
            &src,
            "--candidates",
            "4",
            "--min-score",
            "0",
            "--format",
            "json",
        ],
        &[],
    );
    search.assert();
    let v = run.json();
    let mut ids: Vec<&str> = v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["trace_id"].as_str())
        .collect();
    ids.sort();
    assert_eq!(
        ids,
        [
            "0000000000002184",
            "0000000000002185",
            "0000000000002187",
            "0000000000002188"
        ],
        "{v}"
    );
    assert_eq!(v["window_start"], "2025-10-21T14:42:00.000000000Z");
    assert_eq!(v["candidate_limit_reached"], true);
}

/// A plain web server named as Jaeger or Tempo is "not a Jaeger (Tempo) query API", exit 3
/// — not "trace not found".
#[test]
fn a_web_server_named_as_jaeger_or_tempo_is_not_the_api() {
    let mut server = Server::new();
    let _page = server
        .mock("GET", Matcher::Any)
        .with_status(404)
        .with_header("content-type", "text/html")
        .with_body("<html><body>404 Not Found</body></html>")
        .create();
    let url = server.url();
    for (kind, api, hint) in [("jaeger", "Jaeger", "16686"), ("tempo", "Tempo", "3200")] {
        let run = tracediag(
            &["diagnose", "89a", "--source", &format!("{kind}+{url}")],
            &[],
        );
        assert_eq!(run.code, 3, "{kind}: {}", run.stderr);
        let line = run.error_line();
        assert!(
            line.starts_with(&format!(
                "tracediag: error: {url} is not a {api} query API: "
            )),
            "{line}"
        );
        assert!(line.contains(hint), "{line}");
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    }
    // JSON of another shape at every path is not Jaeger either.
    let mut server = Server::new();
    let _json = server
        .mock("GET", Matcher::Any)
        .with_status(404)
        .with_header(JSON.0, JSON.1)
        .with_body(r#"{"message":"no route"}"#)
        .create();
    let run = tracediag(
        &[
            "diagnose",
            "89a",
            "--source",
            &format!("jaeger+{}", server.url()),
        ],
        &[],
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.error_line().contains("is not a Jaeger query API"),
        "{}",
        run.stderr
    );
}
