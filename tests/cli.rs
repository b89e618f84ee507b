//! End-to-end: the binary on the repository's own testdata.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(name)
}

fn tracediag(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tracediag"))
        .args(args)
        .env_remove("TRACEDIAG_SOURCE")
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .output()
        .expect("run tracediag")
}

fn tracediag_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tracediag"))
        .args(args)
        .env_remove("TRACEDIAG_SOURCE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn tracediag");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn json_of(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

fn diagnose_json(file: &str, id: Option<&str>) -> Value {
    let path = testdata(file);
    let mut args = vec![
        "diagnose",
        "--format",
        "json",
        "--source",
        path.to_str().unwrap(),
    ];
    if let Some(id) = id {
        args.insert(1, id);
    }
    json_of(&tracediag(&args))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn execution_2193_is_a_network_timeout_on_the_response_leg() {
    for file in ["execution-2193.jaeger.json", "execution-2193.otlp.json"] {
        let v = diagnose_json(file, Some("2193"));
        assert_eq!(v["schema_version"], "2");
        assert_eq!(v["verdict"], "slow", "{file}: {}", v["verdict_reason"]);
        let top = &v["root_causes"][0];
        assert_eq!(top["category"], "NETWORK_TIMEOUT", "{file}: {top:#}");
        assert_eq!(top["service"], "runner");
        assert_eq!(top["operation"], "hybrid_router_call");
        assert_eq!(top["peer_service"], "router");
        assert_eq!(top["peer_operation"], "inference_request");
        let evidence = top["evidence"].to_string();
        for needle in ["156117", "16:22:34.891", "16:25:11.008"] {
            assert!(
                evidence.contains(needle),
                "{file}: evidence lacks {needle}: {evidence}"
            );
        }
        let gap = v["gaps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["operation"] == "hybrid_router_call" && g["position"] == "after_last_child")
            .expect("response-leg gap");
        assert_eq!(gap["leg"], "response");
        assert_eq!(gap["gap_ms"], 156117.0);
    }
}

#[test]
fn the_same_trace_in_both_formats_gives_the_same_diagnosis() {
    let a = diagnose_json("execution-2193.jaeger.json", None);
    let b = diagnose_json("execution-2193.otlp.json", None);
    for key in [
        "root_causes",
        "gaps",
        "critical_path",
        "anomalies",
        "error_origins",
    ] {
        assert_eq!(
            a[key], b[key],
            "{key} differs between Jaeger and OTLP input"
        );
    }
}

#[test]
fn each_category_case_is_classified() {
    // (file, verdict, top category or "" when none is listed, service, operation)
    let cases = [
        (
            "cases/connection-failure.otlp.json",
            "failed",
            "CONNECTION_FAILURE",
            "checkout",
            "SELECT orders",
        ),
        (
            "cases/service-timeout.jaeger.json",
            "failed",
            "SERVICE_TIMEOUT",
            "inventory",
            "inventory.Check",
        ),
        (
            "cases/rate-limited.otlp.json",
            "failed",
            "RATE_LIMITED",
            "assistant",
            "POST api.llm.example/v1/chat",
        ),
        (
            "cases/execution-failure.jaeger.json",
            "failed",
            "EXECUTION_FAILURE",
            "web",
            "compute_totals",
        ),
        (
            "cases/broken-trace.otlp.json",
            "partial",
            "BROKEN_TRACE",
            "users",
            "GET /users/{id}",
        ),
        // Alone, a 5 s search is where the time goes in that system: nothing to compare
        // it with, so it is not called degraded (see the baseline case below).
        (
            "cases/performance-degradation.jaeger.json",
            "ok",
            "",
            "",
            "",
        ),
        ("cases/healthy.otlp.json", "ok", "", "", ""),
    ];
    for (file, verdict, category, service, operation) in cases {
        let v = diagnose_json(file, None);
        assert_eq!(v["verdict"], verdict, "{file}: {}", v["verdict_reason"]);
        if category.is_empty() {
            assert_eq!(v["root_causes"], Value::Array(vec![]), "{file}");
            continue;
        }
        let top = &v["root_causes"][0];
        assert_eq!(top["category"], category, "{file}: {:#}", v["root_causes"]);
        assert_eq!(top["service"], service, "{file}");
        assert_eq!(top["operation"], operation, "{file}");
        assert!(
            !top["recommendation"].as_str().unwrap_or("").is_empty(),
            "{file}: no recommendation"
        );
    }
}

/// The same 5.2 s search against 30 earlier searches of ~250 ms: slow, and the cause is
/// the query that took the time.
#[test]
fn a_slow_request_is_slow_against_its_baseline() {
    let path = testdata("cases/performance-degradation.jaeger.json");
    let doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let trace = &doc["data"][0];
    let mut traces = Vec::new();
    for i in 0..30u64 {
        let mut t = trace.clone();
        let factor = 0.045 + i as f64 * 0.0005;
        let t0 = t["spans"][0]["startTime"].as_u64().unwrap() - (i + 1) * 60_000_000;
        let first = trace["spans"][0]["startTime"].as_u64().unwrap();
        let id = format!("{:016x}", 0x6000 + i);
        t["traceID"] = Value::from(id.clone());
        for sp in t["spans"].as_array_mut().unwrap() {
            let start = sp["startTime"].as_u64().unwrap();
            let dur = sp["duration"].as_u64().unwrap();
            sp["traceID"] = Value::from(id.clone());
            sp["startTime"] = Value::from(t0 + ((start - first) as f64 * factor) as u64);
            sp["duration"] = Value::from(((dur as f64 * factor) as u64).max(1));
            if let Some(refs) = sp["references"].as_array_mut() {
                for r in refs {
                    r["traceID"] = Value::from(id.clone());
                }
            }
        }
        traces.push(t);
    }
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    std::fs::write(&baseline, serde_json::json!({ "data": traces }).to_string()).unwrap();
    let out = tracediag(&[
        "diagnose",
        "--format",
        "json",
        "--source",
        path.to_str().unwrap(),
        "--baseline-from",
        baseline.to_str().unwrap(),
    ]);
    let v = json_of(&out);
    assert_eq!(v["verdict"], "slow", "{}", v["verdict_reason"]);
    assert_eq!(v["baseline"]["traces"], 30);
    assert_eq!(v["baseline"]["request"]["slow"], true);
    let top = &v["root_causes"][0];
    assert_eq!(
        top["category"], "PERFORMANCE_DEGRADATION",
        "{:#}",
        v["root_causes"]
    );
    assert_eq!(top["operation"], "SELECT products");
}

#[test]
fn n_plus_one_calls_are_reported() {
    let v = diagnose_json("cases/n-plus-one.jaeger.json", None);
    let text = v["patterns"].to_string();
    assert!(text.contains("n_plus_one"), "{text}");
    assert!(text.contains("SELECT comments WHERE post_id = ?"), "{text}");
}

#[test]
fn error_origin_and_chain_are_reported() {
    let v = diagnose_json("cases/connection-failure.otlp.json", None);
    let origin = &v["error_origins"][0];
    assert_eq!(origin["operation"], "SELECT orders");
    assert_eq!(origin["chain"].as_array().unwrap().len(), 2, "{origin:#}");
}

#[test]
fn every_subcommand_runs_in_every_format() {
    let path = testdata("execution-2193.jaeger.json");
    for sub in ["diagnose", "gaps", "root-cause", "timeline", "summary"] {
        for format in ["table", "json", "markdown"] {
            let out = tracediag(&[sub, "--format", format, "--source", path.to_str().unwrap()]);
            assert!(out.status.success(), "{sub} {format}: {}", stderr(&out));
            assert!(!out.stdout.is_empty(), "{sub} {format}: empty output");
            if format == "json" {
                let v: Value = serde_json::from_slice(&out.stdout).unwrap();
                assert_eq!(v["schema_version"], "2", "{sub}");
            }
        }
    }
}

#[test]
fn summary_names_the_slowest_span_and_services() {
    let path = testdata("cases/connection-failure.otlp.json");
    let v = json_of(&tracediag(&[
        "summary",
        "--format",
        "json",
        "--source",
        path.to_str().unwrap(),
    ]));
    let text = v.to_string();
    assert!(
        text.contains("connection refused"),
        "first error missing: {text}"
    );
    assert_eq!(v["trace"]["span_count"], 4);
    assert_eq!(v["trace"]["error_count"], 3);
}

#[test]
fn table_fits_80_columns_and_colour_follows_the_flags() {
    let path = testdata("execution-2193.jaeger.json");
    let plain = tracediag(&[
        "diagnose",
        "--color",
        "never",
        "--source",
        path.to_str().unwrap(),
    ]);
    let text = String::from_utf8(plain.stdout).unwrap();
    assert!(!text.contains('\x1b'), "colour codes with --color never");
    for line in text.lines() {
        assert!(
            unicode_width::UnicodeWidthStr::width(line) <= 80,
            "line wider than 80: {line:?}"
        );
    }
    assert!(text.contains("NETWORK_TIMEOUT"));
    let coloured = tracediag(&[
        "diagnose",
        "--color",
        "always",
        "--source",
        path.to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&coloured.stdout).contains('\x1b'));
    // Not a terminal: auto means no colour.
    let auto = tracediag(&["diagnose", "--source", path.to_str().unwrap()]);
    assert!(!String::from_utf8_lossy(&auto.stdout).contains('\x1b'));
}

#[test]
fn stdin_is_a_source() {
    let bytes = std::fs::read(testdata("execution-2193.otlp.json")).unwrap();
    let out = tracediag_stdin(&["root-cause", "--format", "json", "--source", "-"], &bytes);
    assert_eq!(
        json_of(&out)["root_causes"][0]["category"],
        "NETWORK_TIMEOUT"
    );
    let out = tracediag_stdin(&["root-cause", "--format", "json"], &bytes);
    assert_eq!(
        json_of(&out)["root_causes"][0]["category"],
        "NETWORK_TIMEOUT",
        "piped stdin without --source"
    );
}

#[test]
fn input_errors_exit_2_with_one_line() {
    let missing = tracediag(&["diagnose", "--source", "/nonexistent/trace.json"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("/nonexistent/trace.json"),
        "{}",
        stderr(&missing)
    );

    let path = testdata("execution-2193.jaeger.json");
    let unknown = tracediag(&["diagnose", "ffff", "--source", path.to_str().unwrap()]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("trace ffff not found"),
        "{}",
        stderr(&unknown)
    );

    for (input, what) in [
        (
            &b"{\"data\": [{\"traceID\": \"ab\", \"spans\": ["[..],
            "truncated JSON",
        ),
        (&b""[..], "empty input"),
        (&[0u8, 159, 146, 150, 255, 1, 2][..], "binary garbage"),
        (&b"{\"foo\": 1}"[..], "JSON that is not a trace"),
    ] {
        let out = tracediag_stdin(&["diagnose", "--source", "-"], input);
        assert_eq!(out.status.code(), Some(2), "{what}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{what}: {err}");
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "{what}: not one line: {err}"
        );
        assert!(err.starts_with("tracediag: error: stdin"), "{what}: {err}");
    }

    let usage = tracediag(&[
        "diagnose",
        "--slow-factor",
        "-1",
        "--source",
        path.to_str().unwrap(),
    ]);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn no_source_is_a_usage_error() {
    let out = tracediag(&["diagnose"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--source"), "{}", stderr(&out));
}

#[test]
fn cycles_and_duplicate_ids_are_diagnosed_not_fatal() {
    // a → b → a loop, a duplicated span id, and a span under the loop.
    let doc = br#"{"traceID":"abc","spans":[
      {"traceID":"abc","spanID":"a","operationName":"A","references":[{"refType":"CHILD_OF","traceID":"abc","spanID":"b"}],"startTime":1000,"duration":50,"processID":"p1"},
      {"traceID":"abc","spanID":"b","operationName":"B","references":[{"refType":"CHILD_OF","traceID":"abc","spanID":"a"}],"startTime":1010,"duration":30,"processID":"p1"},
      {"traceID":"abc","spanID":"b","operationName":"B2","references":[],"startTime":1020,"duration":5,"processID":"p1"},
      {"traceID":"abc","spanID":"c","operationName":"C","references":[{"refType":"CHILD_OF","traceID":"abc","spanID":"b"}],"startTime":1012,"duration":3,"processID":"p1"}
    ],"processes":{"p1":{"serviceName":"svc","tags":[]}}}"#;
    let out = tracediag_stdin(&["diagnose", "--format", "json", "--source", "-"], doc);
    let v = json_of(&out);
    assert_eq!(
        v["integrity"]["cycles"].as_array().unwrap().len(),
        1,
        "{:#}",
        v["integrity"]
    );
    assert_eq!(
        v["integrity"]["duplicate_span_ids"],
        serde_json::json!(["b"])
    );
    assert_eq!(v["trace"]["span_count"], 4);
    let table = tracediag_stdin(&["diagnose", "--source", "-"], doc);
    assert!(table.status.success());
    assert!(String::from_utf8_lossy(&table.stdout).contains("parent cycle"));
}

#[test]
fn quiet_prints_nothing_and_verbose_says_what_was_read() {
    let path = testdata("execution-2193.jaeger.json");
    let quiet = tracediag(&["diagnose", "-q", "--source", path.to_str().unwrap()]);
    assert!(quiet.status.success() && quiet.stdout.is_empty());
    let verbose = tracediag(&["diagnose", "-v", "--source", path.to_str().unwrap()]);
    assert!(
        stderr(&verbose).contains("read 1 trace(s), 5 span(s)"),
        "{}",
        stderr(&verbose)
    );
}

#[test]
fn max_spans_truncates_json_and_says_so() {
    let path = testdata("cases/n-plus-one.jaeger.json");
    let v = json_of(&tracediag(&[
        "diagnose",
        "--format",
        "json",
        "--max-spans",
        "3",
        "--source",
        path.to_str().unwrap(),
    ]));
    assert_eq!(v["truncated"], true);
    let shown = v["spans"].as_array().unwrap().len() as u64;
    assert_eq!(shown + v["omitted_spans"].as_u64().unwrap(), 14);
    assert!(!v["omitted_reason"].as_str().unwrap_or("").is_empty());
}
