//! `span <trace> <span>` and `diagnose --attributes --events` through the binary: what a
//! Jaeger UI user opens first — a span's tags, process, logs and links — on the
//! repository's traces and on the shared fixtures' real ones.

mod common;

use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use common::{fixture_traces, testdata, tracediag, validate, Run};

const FAILURE: &str = "cases/execution-failure.jaeger.json";
const FAILURE_TRACE: &str = "4000000000000000";
/// `web.compute_totals`: failed, one `exception` log.
const FAILED_SPAN: &str = "4000000000000004";

fn run(args: &[&str]) -> Run {
    tracediag(args, &[])
}

fn span(source: &str, trace: &str, span: &str, format: &str) -> Run {
    run(&["span", trace, span, "--source", source, "--format", format])
}

fn assert_fits(out: &str, what: &str) {
    for line in out.lines() {
        assert!(
            UnicodeWidthStr::width(line) <= 80,
            "{what}: line wider than 80 columns: {line:?}"
        );
    }
}

#[test]
fn table_shows_identity_tags_and_logs() {
    let file = testdata(FAILURE).display().to_string();
    let r = span(&file, FAILURE_TRACE, FAILED_SPAN, "table");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = &r.stdout;
    assert!(
        out.starts_with("Span 4000000000000004 · web.compute_totals\n"),
        "{out}"
    );
    for want in [
        "parent    4000000000000002",
        "kind      internal",
        "host      web-0",
        "start     +30ms from the trace start (2024-03-05T10:00:00.030Z)",
        "duration  150ms",
        "status    error: division by zero",
        "Attributes (2)",
        "  error      true",
        "Events (1)",
        "  +150ms  exception",
        "      exception.message  division by zero",
        "      exception.type     ZeroDivisionError",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
    assert_fits(out, "span table");
}

#[test]
fn json_is_typed_sorted_and_matches_its_schema() {
    let file = testdata(FAILURE).display().to_string();
    let r = span(&file, FAILURE_TRACE, FAILED_SPAN, "json");
    validate("span", &r.stdout);
    let d = r.json();
    assert_eq!(d["command"], "span");
    assert_eq!(d["span_id"], FAILED_SPAN);
    assert_eq!(d["status"], "error");
    assert_eq!(d["attributes"]["error"], Value::Bool(true));
    let keys: Vec<&String> = d["attributes"].as_object().unwrap().keys().collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(d["events"][0]["name"], "exception");
    assert_eq!(d["events"][0]["offset_ms"], 150.0);
    assert_eq!(
        d["events"][0]["attributes"]["exception.type"],
        "ZeroDivisionError"
    );
}

#[test]
fn markdown_and_llm_carry_the_same_values() {
    let file = testdata(FAILURE).display().to_string();
    for format in ["markdown", "llm"] {
        let r = span(&file, FAILURE_TRACE, FAILED_SPAN, format);
        assert_eq!(r.code, 0, "{format}: {}", r.stderr);
        for want in [
            "ZeroDivisionError",
            "division by zero",
            "exception",
            "+150ms",
        ] {
            assert!(
                r.stdout.contains(want),
                "{format}: no {want}:\n{}",
                r.stdout
            );
        }
    }
    let r = run(&[
        "span",
        FAILURE_TRACE,
        FAILED_SPAN,
        "--source",
        &file,
        "--format",
        "llm",
        "--max-tokens",
        "100",
    ]);
    assert!(r.stdout.len() <= 400, "{}", r.stdout);
    assert!(
        r.stdout.contains("Omitted for the token budget"),
        "{}",
        r.stdout
    );
}

#[test]
fn an_unknown_span_is_one_line_naming_it_and_exit_2() {
    let file = testdata(FAILURE).display().to_string();
    let r = span(&file, FAILURE_TRACE, "feedfacefeedface", "table");
    assert_eq!(r.code, 2, "{}", r.stderr);
    let line = r.error_line();
    assert!(line.contains("no span feedfacefeedface"), "{line}");
    assert!(line.contains(FAILED_SPAN), "the ids to choose from: {line}");
    let r = span(&file, "123", FAILED_SPAN, "table");
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = run(&["span", FAILURE_TRACE, "--source", &file]);
    assert_eq!(
        r.code, 2,
        "a missing span id is a usage error: {}",
        r.stderr
    );
}

/// A trace whose span carries a long SQL statement, a control sequence and a huge payload.
fn awkward_trace(dir: &std::path::Path) -> String {
    let sql = format!(
        "SELECT {} FROM orders WHERE id = $1",
        (0..40)
            .map(|i| format!("col_{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let doc = format!(
        r#"{{"data":[{{"traceID":"abc","spans":[
  {{"traceID":"abc","spanID":"1","operationName":"GET /orders","startTime":1000,"duration":50,"processID":"p1","references":[],
    "tags":[{{"key":"db.statement","type":"string","value":"{sql}"}},
            {{"key":"a.very.long.attribute.key.that.does.not.fit.a.column","type":"int64","value":7}},
            {{"key":"evil","type":"string","value":"x\u001b[2Jy"}},
            {{"key":"payload","type":"string","value":"{}"}}],
    "logs":[{{"timestamp":1010,"fields":[{{"key":"event","type":"string","value":"retry"}},{{"key":"attempt","type":"int64","value":2}}]}}]}}],
  "processes":{{"p1":{{"serviceName":"api","tags":[]}}}}}}]}}"#,
        "p".repeat(5000)
    );
    let path = dir.join("awkward.json");
    std::fs::write(&path, doc).unwrap();
    path.display().to_string()
}

#[test]
fn long_values_wrap_within_80_columns_and_cuts_are_stated() {
    let dir = tempfile::tempdir().unwrap();
    let file = awkward_trace(dir.path());
    let r = run(&[
        "span",
        "abc",
        "1",
        "--source",
        &file,
        "--max-attr-size",
        "1KiB",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_fits(&r.stdout, "awkward span");
    // Wrapped, not cut: every column name of the statement is there.
    let joined: String = r.stdout.split_whitespace().collect();
    assert!(joined.contains("col_39FROMorders"), "{}", r.stdout);
    assert!(
        r.stdout.contains("x\\x1b[2Jy"),
        "control sequence shown inert"
    );
    assert!(!r.stdout.contains('\u{1b}'));
    assert!(r.stdout.contains("…[truncated 3976 bytes]"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("1 value(s) cut at --max-attr-size (1024 bytes)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("  +10µs  retry"), "{}", r.stdout);
    let d = run(&[
        "span",
        "abc",
        "1",
        "--source",
        &file,
        "--max-attr-size",
        "1KiB",
        "--format",
        "json",
    ])
    .json();
    assert_eq!(d["cut_values"], 1);
    assert_eq!(d["max_attr_size_bytes"], 1024);
    assert_eq!(
        d["attributes"]["a.very.long.attribute.key.that.does.not.fit.a.column"],
        7
    );
    assert_eq!(d["events"][0]["attributes"]["attempt"], 2);
}

#[test]
fn diagnose_adds_attributes_and_events_to_spans_only_when_asked() {
    let file = testdata(FAILURE).display().to_string();
    let plain = run(&["diagnose", "--source", &file, "--format", "json"]).json();
    for s in plain["spans"].as_array().unwrap() {
        assert!(s.get("attributes").is_none() && s.get("events").is_none());
    }
    let r = run(&[
        "diagnose",
        "--source",
        &file,
        "--format",
        "json",
        "--attributes",
        "--events",
    ]);
    validate("diagnose", &r.stdout);
    let d = r.json();
    let spans = d["spans"].as_array().unwrap();
    let failed = spans
        .iter()
        .find(|s| s["span_id"] == FAILED_SPAN)
        .expect("the failed span is listed");
    assert_eq!(failed["attributes"]["error"], Value::Bool(true));
    assert_eq!(failed["events"][0]["name"], "exception");
    assert_eq!(
        failed["events"][0]["attributes"]["exception.message"],
        "division by zero"
    );
    assert!(spans.iter().all(|s| s["attributes"].is_object()));
    let only = run(&[
        "timeline", "--source", &file, "--format", "json", "--events",
    ])
    .json();
    assert!(only["spans"][0].get("attributes").is_none());
    assert!(only["spans"][0]["events"].is_array());
    let md = run(&[
        "diagnose",
        "--source",
        &file,
        "--format",
        "markdown",
        "--attributes",
        "--events",
    ]);
    assert_eq!(md.code, 0, "{}", md.stderr);
    let at = md
        .stdout
        .find("### Span Details:")
        .expect("a details section");
    assert!(
        md.stdout[at..].contains("- `4000000000000004` web.compute_totals\n  - Attributes: error=true, span.kind=internal\n  - Event +150ms exception: event=exception, exception.message=division by zero, exception.type=ZeroDivisionError"),
        "{}",
        &md.stdout[at..]
    );
    let plain = run(&["diagnose", "--source", &file, "--format", "markdown"]);
    assert!(!plain.stdout.contains("Span Details"));
    let r = run(&["gaps", "--source", &file, "--attributes"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r
        .error_line()
        .contains("--attributes goes with diagnose or timeline"));
}

#[test]
fn llm_diagnosis_lists_the_failed_spans_attributes() {
    let file = testdata(FAILURE).display().to_string();
    let r = run(&["diagnose", "--source", &file, "--format", "llm"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let at = r
        .stdout
        .find("\n## Attributes\n")
        .expect("an Attributes section");
    let section = &r.stdout[at..];
    assert!(
        section.contains("web: GET /report [span 4000000000000001]: http.response.status_code=500"),
        "{section}"
    );
    // Before the critical path: what failed comes before where the time went.
    assert!(at < r.stdout.find("## Critical path").unwrap_or(usize::MAX));
}

/// Every span of every single-trace fixture: the table fits 80 columns and the JSON
/// matches its schema, on real Jaeger, OTLP, Tempo and Zipkin data.
#[test]
#[ignore = "needs TRACEDIAG_FIXTURES (the shared trace fixtures)"]
fn every_fixture_span_renders() {
    let dir = fixture_traces();
    let mut checked = 0;
    for name in [
        "jaeger-v1__jaeger__ui_01.json",
        "jaeger-v1__jaeger-ui__genaiTestTrace.json",
        "jaeger-v1__jaeger-ui__TraceGraph-testTrace.json",
        "tempo-v1-trace__kiali__responseTrace.json",
        "otlp__opentelemetry-proto__trace.json",
        "zipkin-v2__zipkin__yelp.json",
    ] {
        let file = dir.join(name).display().to_string();
        let d = run(&["timeline", "--source", &file, "--format", "json"]).json();
        let trace = d["trace"]["trace_id"].as_str().unwrap().to_string();
        let ids: Vec<String> = d["spans"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["span_id"].as_str().unwrap().to_string())
            .take(20)
            .collect();
        for id in ids {
            let t = span(&file, &trace, &id, "table");
            assert_eq!(t.code, 0, "{name} {id}: {}", t.stderr);
            assert_fits(&t.stdout, &format!("{name} {id}"));
            let j = span(&file, &trace, &id, "json");
            validate("span", &j.stdout);
            checked += 1;
        }
    }
    assert!(checked > 50, "{checked}");
}

#[test]
#[ignore = "needs TRACEDIAG_FIXTURES (the shared trace fixtures)"]
fn jaeger_logs_otlp_events_links_and_resources_are_shown() {
    let dir = fixture_traces();
    // Jaeger's converter golden file: two logs, one named by its `event` field, and a span
    // id used twice.
    let ui = dir
        .join("jaeger-v1__jaeger__ui_01.json")
        .display()
        .to_string();
    let d = span(&ui, "1", "2", "json").json();
    let names: Vec<&str> = d["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["some-event", "log"]);
    assert_eq!(d["events"][1]["attributes"]["x"], "y");
    assert_eq!(d["same_id_spans"], 1);
    let t = span(&ui, "1", "2", "table");
    assert!(
        t.stdout.contains("1 other span(s) share this id"),
        "{}",
        t.stdout
    );
    // OTLP: resource attributes, events with attributes, links.
    let otlp = dir
        .join("otlp__jaeger__memory-otel_traces_01.json")
        .display()
        .to_string();
    let d = span(&otlp, "00000000000000010000000000000000", "2", "json").json();
    assert_eq!(d["resource"]["service.name"], "service-x");
    assert_eq!(d["kind"], "server");
    assert_eq!(d["links"].as_array().map(Vec::len), Some(2));
    assert_eq!(d["links"][1]["span_id"], "00000000000000ff");
    assert_eq!(d["events"][0]["name"], "testing-event");
    assert_eq!(d["events"][0]["attributes"]["event-x"], "event-y");
    let t = span(&otlp, "00000000000000010000000000000000", "2", "table");
    for want in [
        "Resource (1)",
        "Links (2)",
        "(no name)",
        "temperature         72.5",
    ] {
        assert!(t.stdout.contains(want), "no {want:?}:\n{}", t.stdout);
    }
    // Tempo (kiali): Envoy's string attributes and annotations as events.
    let tempo = dir
        .join("tempo-v1-trace__kiali__responseTrace.json")
        .display()
        .to_string();
    let tl = run(&[
        "timeline",
        "--source",
        &tempo,
        "--format",
        "json",
        "--attributes",
        "--events",
    ])
    .json();
    let with_events = tl["spans"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| !s["events"].as_array().unwrap().is_empty())
        .count();
    assert!(with_events > 0, "no span with events in {tempo}");
    assert!(tl["spans"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["attributes"]["http.status_code"] == "200"));
}
