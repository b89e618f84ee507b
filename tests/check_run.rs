//! `tracediag check --run`: trigger → wait for the trace → assert. The command gets a fresh
//! trace context; the trace is polled until it settles (a Jaeger that has parts of it, a file
//! the exporter appends to), then the rules run. Exit 1 on a failed rule or command, 2 when
//! the trace never arrives complete, with the spans seen and the polls made.
//!
//! The end-to-end tests at the bottom run a real instrumented service (the OpenTelemetry
//! Python SDK, `tests/data/otelsvc.py`) and are ignored unless asked for.

mod common;

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{http_response, read_head, tracediag};

/// One OTLP JSON line of `n` spans of trace `$TRACE_ID`, as a shell `printf` appending to
/// `file`: a root whose parent is the traceparent's span id, and children under it. `err`
/// makes the last child fail.
fn append_spans_cmd(file: &Path, n: usize, err: bool) -> String {
    let mut spans = Vec::new();
    for i in 0..n {
        let parent = if i == 0 {
            "\"parentSpanId\":\"%s\",".to_string()
        } else {
            "\"parentSpanId\":\"00000000000000a0\",".to_string()
        };
        let status = if err && i + 1 == n && n > 1 { 2 } else { 0 };
        spans.push(format!(
            "{{\"traceId\":\"%s\",\"spanId\":\"00000000000000a{i}\",{parent}\"name\":\"op{i}\",\"kind\":2,\"startTimeUnixNano\":\"{}\",\"endTimeUnixNano\":\"{}\",\"status\":{{\"code\":{status}}}}}",
            1_000_000_000 + i * 1000,
            1_000_000_000 + 50_000_000 - i * 1000
        ));
    }
    let line = format!(
        "{{\"resourceSpans\":[{{\"resource\":{{\"attributes\":[{{\"key\":\"service.name\",\"value\":{{\"stringValue\":\"api\"}}}}]}},\"scopeSpans\":[{{\"spans\":[{}]}}]}}]}}",
        spans.join(",")
    );
    // The parent span id is the third field of TRACEPARENT.
    let mut args = String::new();
    for i in 0..n {
        args.push_str(" \"$TRACE_ID\"");
        if i == 0 {
            args.push_str(" \"$P\"");
        }
    }
    format!(
        "P=$(echo \"$TRACEPARENT\" | cut -d- -f3); printf '{line}\\n'{args} >> '{}'",
        file.display()
    )
}

fn run_json(args: &[&str]) -> (i32, serde_json::Value, String) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let r = tracediag(&all, &[]);
    let v = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", r.stdout, r.stderr));
    (r.code, v, r.stderr)
}

#[test]
fn a_trace_the_command_appends_to_a_file_is_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("traces.jsonl");
    let cmd = append_spans_cmd(&file, 3, false);
    let (code, v, err) = run_json(&[
        "--source",
        &file.display().to_string(),
        "--run",
        &cmd,
        "--rule",
        "no-errors",
        "--rule",
        "no-broken-trace",
        "--settle",
        "300ms",
        "--poll-interval",
        "100ms",
    ]);
    assert_eq!(code, 0, "{v}\n{err}");
    let run = &v["run"]["runs"][0];
    assert_eq!(run["stopped"], "complete");
    assert_eq!(run["spans_seen"], 3);
    assert!(run["polls"].as_u64().unwrap_or(0) >= 2, "{run}");
    assert_eq!(run["exit_status"], 0);
    let tp = run["traceparent"].as_str().unwrap_or_default();
    let id = run["trace_id"].as_str().unwrap_or_default();
    assert_eq!(tp.len(), 55, "{tp}");
    assert!(
        tp.starts_with(&format!("00-{id}-")) && tp.ends_with("-01"),
        "{tp}"
    );
    assert_eq!(v["traces"][0]["trace_id"], id);
    assert_eq!(v["run"]["stats"]["root_duration_p95_ms"], 50.0);
    common::validate("check", &serde_json::to_string(&v).unwrap_or_default());
}

#[test]
fn placeholders_and_a_failing_command() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("traces.jsonl");
    let seen = dir.path().join("seen");
    // The placeholder reaches the command; the command then fails after writing the trace.
    let cmd = format!(
        "echo '{{traceparent}} {{trace_id}}' > '{}'; {}; echo 'upstream said 503' >&2; exit 22",
        seen.display(),
        append_spans_cmd(&file, 2, true)
    );
    let junit = dir.path().join("junit.xml");
    let (code, v, err) = run_json(&[
        "--source",
        &file.display().to_string(),
        "--run",
        &cmd,
        "--rule",
        "no-errors",
        "--settle",
        "200ms",
        "--poll-interval",
        "100ms",
        "--junit",
        &junit.display().to_string(),
    ]);
    assert_eq!(code, 1, "{v}\n{err}");
    let run = &v["run"]["runs"][0];
    let written = std::fs::read_to_string(&seen).unwrap_or_default();
    assert_eq!(
        written.trim(),
        format!(
            "{} {}",
            run["traceparent"].as_str().unwrap_or_default(),
            run["trace_id"].as_str().unwrap_or_default()
        )
    );
    assert_eq!(run["exit_status"], 22);
    assert_eq!(run["stderr_tail"], serde_json::json!(["upstream said 503"]));
    let results = &v["traces"][0]["results"];
    assert_eq!(results[0]["rule"], "command succeeds");
    assert_eq!(results[0]["passed"], false);
    assert_eq!(
        results[0]["message"],
        "the command ended with exit status 22"
    );
    assert_eq!(results[1]["rule"], "no-errors");
    assert_eq!(results[1]["passed"], false);
    assert_eq!(
        v["run"]["stats"]["error_origins"],
        serde_json::json!(["api.op1"])
    );
    let xml = std::fs::read_to_string(&junit).unwrap_or_default();
    assert!(xml.contains("failures=\"2\""), "{xml}");
    assert!(err.contains("FAILED 2 of 2 checks"), "{err}");
}

#[test]
fn timeout_is_exit_2_with_spans_seen_and_polls() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The file never appears: every poll is "not yet".
    let file = dir.path().join("traces.jsonl");
    let started = Instant::now();
    let r = tracediag(
        &[
            "check",
            "--source",
            &file.display().to_string(),
            "--run",
            "true",
            "--rule",
            "no-errors",
            "--max-wait",
            "1s",
            "--poll-interval",
            "200ms",
        ],
        &[],
    );
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        r.stdout
            .contains("ERROR no complete trace within 1s: 0 span(s) seen, "),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("poll(s); last: the trace was not found"));
    assert!(r.stdout.contains("max-wait after"), "{}", r.stdout);
    // The summary and the error line carry the whole reason; the rest fits 80 columns.
    for line in r
        .stdout
        .lines()
        .filter(|l| !l.starts_with("tracediag check:") && !l.starts_with("  ERROR"))
    {
        assert!(line.chars().count() <= 80, "{line}");
    }
}

#[test]
fn a_failed_command_without_a_trace_is_exit_1_and_counted_in_junit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let junit = dir.path().join("junit.xml");
    let (code, v, err) = run_json(&[
        "--source",
        &dir.path().join("none.jsonl").display().to_string(),
        "--run",
        "echo refused >&2; exit 7",
        "--rule",
        "no-errors",
        "--settle",
        "200ms",
        "--junit",
        &junit.display().to_string(),
    ]);
    // The failure is the finding: 1, not the 2 of a trace that never came.
    assert_eq!(code, 1, "{v}\n{err}");
    assert_eq!(v["run"]["runs"][0]["stopped"], "command-failed");
    assert!(err.contains("first: "), "{err}");
    assert!(
        err.contains("command succeeds: the command ended with exit status 7"),
        "{err}"
    );
    let xml = std::fs::read_to_string(&junit).unwrap_or_default();
    assert!(
        xml.contains("tests=\"2\" failures=\"1\" errors=\"1\""),
        "{xml}"
    );
    assert_eq!(xml.matches("<testcase ").count(), 2, "{xml}");
}

#[test]
fn run_needs_a_source_and_conflicts_with_trace_ids() {
    let r = tracediag(&["check", "--run", "true", "-r", "no-errors"], &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.error_line().contains("check --run needs --source"),
        "{}",
        r.stderr
    );
    let r = tracediag(
        &[
            "check",
            "abc",
            "--run",
            "true",
            "-r",
            "no-errors",
            "-s",
            "x.json",
        ],
        &[],
    );
    assert_eq!(r.code, 2);
    let r = tracediag(
        &["check", "--repeat", "2", "-r", "no-errors", "-s", "x"],
        &[],
    );
    assert_eq!(r.code, 2, "--repeat without --run: {}", r.stderr);
}

/// A Jaeger (v1 API) or a Tempo whose trace arrives in parts: "not found" twice, then the
/// root's child alone (its parent missing), then the whole trace. The trace id comes from the
/// file the command writes its TRACEPARENT to.
struct FakeBackend {
    port: u16,
    trace_requests: Arc<Mutex<Vec<String>>>,
}

#[derive(Clone, Copy, PartialEq)]
enum Backend {
    Jaeger,
    Tempo,
}

fn jaeger_trace(id: &str, remote_parent: &str, whole: bool) -> String {
    let span = |sid: &str, parent: &str, op: &str, dur: u64| {
        format!(
            r#"{{"traceID":"{id}","spanID":"{sid}","operationName":"{op}","references":[{{"refType":"CHILD_OF","traceID":"{id}","spanID":"{parent}"}}],"startTime":1700000000000000,"duration":{dur},"tags":[],"logs":[],"processID":"p1"}}"#
        )
    };
    let mut spans = vec![span("00000000000000b2", "00000000000000b1", "SELECT", 4000)];
    if whole {
        spans.push(span(
            "00000000000000b1",
            remote_parent,
            "GET /checkout",
            9000,
        ));
    }
    format!(
        r#"{{"data":[{{"traceID":"{id}","spans":[{}],"processes":{{"p1":{{"serviceName":"shop","tags":[]}}}}}}],"errors":null}}"#,
        spans.join(",")
    )
}

/// Tempo's `/api/v2/traces` answer: OTLP JSON under `trace`.
fn tempo_trace(id: &str, remote_parent: &str, whole: bool) -> String {
    let span = |sid: &str, parent: &str, op: &str, dur: u64| {
        format!(
            r#"{{"traceId":"{id}","spanId":"{sid}","parentSpanId":"{parent}","name":"{op}","kind":2,"startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"{}"}}"#,
            1_700_000_000_000_000_000u64 + dur * 1000
        )
    };
    let mut spans = vec![span("00000000000000b2", "00000000000000b1", "SELECT", 4000)];
    if whole {
        spans.push(span(
            "00000000000000b1",
            remote_parent,
            "GET /checkout",
            9000,
        ));
    }
    format!(
        r#"{{"trace":{{"resourceSpans":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"shop"}}}}]}},"scopeSpans":[{{"spans":[{}]}}]}}]}}}}"#,
        spans.join(",")
    )
}

impl FakeBackend {
    fn start(ctx_file: PathBuf, backend: Backend) -> FakeBackend {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let trace_requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&trace_requests);
        let trace_path = match backend {
            Backend::Jaeger => "/api/traces/",
            Backend::Tempo => "/api/v2/traces/",
        };
        std::thread::spawn(move || {
            for conn in listener.incoming().take(300) {
                let Ok(mut conn) = conn else { break };
                let head = read_head(&mut conn);
                let path = head.split_whitespace().nth(1).unwrap_or("").to_string();
                let not_found = br#"{"data":null,"errors":[{"code":404,"msg":"trace not found"}]}"#;
                let reply = if path.starts_with("/api/services") {
                    http_response("200 OK", &[], br#"{"data":["shop"],"total":1}"#)
                } else if path == "/api/echo" {
                    http_response("200 OK", &[], b"echo")
                } else if let Some(rest) = path.strip_prefix(trace_path) {
                    let id = rest.split('?').next().unwrap_or("").to_string();
                    let n = {
                        let mut s = seen.lock().unwrap_or_else(|p| p.into_inner());
                        s.push(id.clone());
                        s.len()
                    };
                    let ctx = std::fs::read_to_string(&ctx_file).unwrap_or_default();
                    let parts: Vec<&str> = ctx.trim().split('-').collect();
                    match (n, parts.as_slice()) {
                        (1..=2, _) => http_response("404 Not Found", &[], not_found),
                        (_, [_, tid, parent, _]) if *tid == id => {
                            let body = match backend {
                                Backend::Jaeger => jaeger_trace(&id, parent, n > 3),
                                Backend::Tempo => tempo_trace(&id, parent, n > 3),
                            };
                            http_response("200 OK", &[], body.as_bytes())
                        }
                        _ => http_response("404 Not Found", &[], not_found),
                    }
                } else {
                    http_response("404 Not Found", &[], b"404 page not found")
                };
                let _ = conn.write_all(&reply);
                let _ = conn.flush();
            }
        });
        FakeBackend {
            port,
            trace_requests,
        }
    }
}

fn poll_backend(backend: Backend) {
    let dir = tempfile::tempdir().expect("tempdir");
    let ctx_file = dir.path().join("ctx");
    let server = FakeBackend::start(ctx_file.clone(), backend);
    let cmd = format!("echo \"$TRACEPARENT\" > '{}'", ctx_file.display());
    let scheme = match backend {
        Backend::Jaeger => "jaeger",
        Backend::Tempo => "tempo",
    };
    let (code, v, err) = run_json(&[
        "--source",
        &format!("{scheme}+http://127.0.0.1:{}", server.port),
        "--run",
        &cmd,
        "--rule",
        "span[name=\"SELECT\"] duration < 10ms",
        "--rule",
        "no-broken-trace",
        "--settle",
        "200ms",
        "--poll-interval",
        "100ms",
        "--max-wait",
        "10s",
    ]);
    assert_eq!(code, 0, "{v}\n{err}");
    let run = &v["run"]["runs"][0];
    assert_eq!(run["stopped"], "complete");
    assert_eq!(run["spans_seen"], 2);
    // Two "not found", one with the parent missing, then the whole trace until it settled.
    assert!(run["polls"].as_u64().unwrap_or(0) >= 5, "{run}");
    assert_eq!(run["root_duration_ms"], 9.0);
    let asked = server
        .trace_requests
        .lock()
        .map(|r| r.clone())
        .unwrap_or_default();
    assert!(asked.len() >= 5, "{asked:?}");
    assert!(asked
        .iter()
        .all(|id| Some(id.as_str()) == run["trace_id"].as_str()));
}

#[test]
fn jaeger_polling_waits_through_not_found_and_a_missing_parent() {
    poll_backend(Backend::Jaeger);
}

#[test]
fn tempo_polling_waits_through_not_found_and_a_missing_parent() {
    poll_backend(Backend::Tempo);
}

// ---- End to end with the OpenTelemetry Python SDK ----------------------------------------

struct Service {
    child: Child,
    port: u16,
    traces: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_service(export: bool) -> Service {
    let dir = tempfile::tempdir().expect("tempdir");
    let traces = dir.path().join("traces.jsonl");
    let port_file = dir.path().join("port");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/otelsvc.py");
    let mut cmd = Command::new("python3");
    cmd.arg(&script).arg(&traces).arg(&port_file);
    if !export {
        cmd.arg("--no-export");
    }
    let child = cmd
        .stdin(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start python3: {e}"));
    let mut svc = Service {
        child,
        port: 0,
        traces,
        _dir: dir,
    };
    let started = Instant::now();
    svc.port = loop {
        if let Some(p) = std::fs::read_to_string(&port_file)
            .ok()
            .and_then(|s| s.trim().parse().ok())
        {
            break p;
        }
        if let Ok(Some(status)) = svc.child.try_wait() {
            panic!("the Python service exited: {status}");
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the Python service did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    svc
}

fn curl(svc: &Service, query: &str, traceparent: bool) -> String {
    let header = if traceparent {
        "-H 'traceparent: {traceparent}' "
    } else {
        ""
    };
    format!(
        "curl -s -o /dev/null {header}'http://127.0.0.1:{}/checkout{query}'",
        svc.port
    )
}

fn check_service(svc: &Service, cmd: &str, extra: &[&str]) -> (i32, serde_json::Value, String) {
    let source = svc.traces.display().to_string();
    let mut args = vec![
        "--source",
        &source,
        "--run",
        cmd,
        "--rule",
        "no-errors",
        "--rule",
        "no-broken-trace",
        "--settle",
        "1s",
        "--poll-interval",
        "200ms",
    ];
    args.extend_from_slice(extra);
    run_json(&args)
}

fn require_otel() {
    common::require_program("curl");
    common::require_python_module("opentelemetry.sdk");
}

#[test]
#[ignore = "needs python3 with opentelemetry-sdk"]
fn instrumented_service_passes_then_fails_on_an_injected_error() {
    require_otel();
    let svc = start_service(true);
    let dir = tempfile::tempdir().expect("tempdir");
    let baseline = dir.path().join("baseline.json");

    let (code, v, err) = check_service(&svc, &curl(&svc, "", true), &["--repeat", "3"]);
    assert_eq!(code, 0, "{v}\n{err}");
    assert_eq!(v["run"]["stats"]["complete"], 3);
    for (run, trace) in v["run"]["runs"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .zip(v["traces"].as_array().unwrap_or(&Vec::new()))
    {
        // shop: GET /checkout, price cart, GET /inventory (client); inventory: GET /inventory,
        // SELECT stock — across two services joined by the propagated context.
        assert_eq!(run["spans_seen"], 5, "{run}");
        assert_eq!(trace["root_service"], "shop");
        assert_eq!(trace["root_operation"], "GET /checkout");
    }
    assert!(
        v["run"]["stats"]["root_duration_p95_ms"]
            .as_f64()
            .unwrap_or(0.0)
            > 10.0
    );
    std::fs::write(&baseline, serde_json::to_string(&v).unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"));

    let b = baseline.display().to_string();
    let (code, v, err) = check_service(
        &svc,
        &curl(&svc, "?fail=1", true),
        &["--baseline-report", &b, "--max-regression", "1000%"],
    );
    assert_eq!(code, 1, "{v}\n{err}");
    let no_errors = &v["traces"][0]["results"][0];
    assert_eq!(no_errors["rule"], "no-errors");
    assert_eq!(no_errors["passed"], false);
    let evidence = no_errors["evidence"].to_string();
    assert!(evidence.contains("stock table locked"), "{evidence}");
    assert_eq!(
        v["run"]["baseline"]["new_error_origins"],
        serde_json::json!(["inventory.SELECT stock"])
    );
    assert!(
        err.contains("baseline: new error origin(s): inventory.SELECT stock"),
        "{err}"
    );
}

#[test]
#[ignore = "needs python3 with opentelemetry-sdk"]
fn instrumented_service_times_out_without_the_traceparent() {
    require_otel();
    let svc = start_service(true);
    // The request carries no traceparent: the service starts a trace of its own, and ours
    // never arrives.
    let (code, v, err) = check_service(&svc, &curl(&svc, "", false), &["--max-wait", "2s"]);
    assert_eq!(code, 2, "{v}\n{err}");
    let run = &v["run"]["runs"][0];
    assert_eq!(run["stopped"], "max-wait");
    assert!(run["polls"].as_u64().unwrap_or(0) >= 5, "{run}");
    let e = v["traces"][0]["error"].as_str().unwrap_or_default();
    assert!(
        e.starts_with("no complete trace within 2s: 0 span(s) seen, "),
        "{e}"
    );
    // The service did export: its own trace is in the file, just not ours.
    let text = std::fs::read_to_string(&svc.traces).unwrap_or_default();
    assert!(text.contains("GET /checkout"), "{text}");

    // A service that never exports: the same, with the traceparent sent.
    let quiet = start_service(false);
    let (code, v, _) = check_service(&quiet, &curl(&quiet, "", true), &["--max-wait", "2s"]);
    assert_eq!(code, 2);
    assert_eq!(v["run"]["runs"][0]["spans_seen"], 0);
}
