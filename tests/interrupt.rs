//! Ctrl-C: the process exits 130 at once, also in the middle of a slow fetch of many traces,
//! and leaves no output file and no temporary file; `profile trigger` keeps what it
//! collected in a finished cohort and exits 130 too.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A Jaeger v1 search answer: three small traces.
fn search_body() -> String {
    let trace = |id: &str| {
        format!(
            r#"{{"traceID":"{id}","spans":[{{"traceID":"{id}","spanID":"1","operationName":"GET /","startTime":1700000000000000,"duration":50,"processID":"p1","references":[]}}],"processes":{{"p1":{{"serviceName":"api","tags":[]}}}}}}"#
        )
    };
    format!(
        r#"{{"data":[{},{},{}],"total":3,"limit":0,"offset":0,"errors":null}}"#,
        trace("a1"),
        trace("a2"),
        trace("a3")
    )
}

fn respond(conn: &mut std::net::TcpStream, status: &str, body: &str) {
    let _ = conn.write_all(&common::http_response(
        status,
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    ));
    let _ = conn.flush();
}

/// A Jaeger (v1 API) on 127.0.0.1 that answers the API probe and the search at once and
/// each trace after `trace_delay`. Every trace request is reported on the channel as it
/// arrives.
fn jaeger(trace_delay: Duration) -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!(
        "http://127.0.0.1:{}",
        listener.local_addr().expect("addr").port()
    );
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { break };
            let tx = tx.clone();
            std::thread::spawn(move || {
                let head = common::read_head(&mut conn);
                let path = head.split_whitespace().nth(1).unwrap_or("").to_string();
                if path.starts_with("/api/v3/") {
                    respond(&mut conn, "404 Not Found", "404 page not found");
                } else if path.starts_with("/api/traces?") {
                    respond(&mut conn, "200 OK", &search_body());
                } else if let Some(rest) = path.strip_prefix("/api/traces/") {
                    let id = rest.split('?').next().unwrap_or("").to_string();
                    let _ = tx.send(id.clone());
                    std::thread::sleep(trace_delay);
                    let one = format!(
                        r#"{{"data":[{}],"total":1,"limit":0,"offset":0,"errors":null}}"#,
                        extract_trace(&search_body(), &id)
                    );
                    respond(&mut conn, "200 OK", &one);
                } else {
                    respond(&mut conn, "404 Not Found", "{}");
                }
            });
        }
    });
    (url, rx)
}

/// The trace object with `id` from the search body (the traces are built the same way).
fn extract_trace(body: &str, id: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(body).expect("json");
    v["data"]
        .as_array()
        .and_then(|a| a.iter().find(|t| t["traceID"] == id))
        .map(|t| t.to_string())
        .unwrap_or_else(|| "{}".into())
}

fn spawn(args: &[&str], dir: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_tracediag"))
        .args(args)
        .current_dir(dir)
        .env_remove("TRACEDIAG_SOURCE")
        .env_remove("TRACEDIAG_TOKEN")
        .env("XDG_CONFIG_HOME", dir)
        .env("HOME", dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn tracediag")
}

fn sigint(child: &Child) {
    let pid = i32::try_from(child.id()).expect("pid");
    // SAFETY: kill(2) with a pid this test spawned and has not reaped yet.
    let rc = unsafe { libc::kill(pid, libc::SIGINT) };
    assert_eq!(rc, 0, "kill(SIGINT)");
}

/// Wait for the child at most `limit`; returns (exit code, stderr).
fn finish(mut child: Child, limit: Duration) -> (Option<i32>, String) {
    let deadline = Instant::now() + limit;
    loop {
        match child.try_wait().expect("try_wait") {
            Some(status) => {
                let mut err = String::new();
                if let Some(mut e) = child.stderr.take() {
                    let _ = e.read_to_string(&mut err);
                }
                return (status.code(), err);
            }
            None if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("tracediag did not exit within {limit:?} of Ctrl-C");
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read_dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn check_args(url: &str) -> Vec<String> {
    [
        "check",
        "--search",
        "--service",
        "api",
        "--since",
        "1h",
        "--rule",
        "no-errors",
        "--junit",
        "out.xml",
        "--concurrency",
        "2",
        "--source",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([format!("jaeger+{url}")])
    .collect()
}

#[test]
fn ctrl_c_during_a_slow_fetch_exits_130_and_writes_nothing() {
    let (url, fetches) = jaeger(Duration::from_secs(60));
    let dir = tempfile::tempdir().expect("tempdir");
    let args = check_args(&url);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let child = spawn(&args, dir.path());
    // Wait until the traces are being fetched (the server holds them for a minute).
    let id = fetches
        .recv_timeout(Duration::from_secs(60))
        .expect("tracediag asked for a trace");
    assert!(id.starts_with('a'), "{id}");
    std::thread::sleep(Duration::from_millis(200));
    let sent = Instant::now();
    sigint(&child);
    let (code, stderr) = finish(child, Duration::from_secs(10));
    assert_eq!(code, Some(130), "stderr: {stderr}");
    assert!(
        sent.elapsed() < Duration::from_secs(5),
        "exits at once, not after the fetch"
    );
    assert!(stderr.contains("tracediag: interrupted"), "{stderr}");
    assert_eq!(
        entries(dir.path()),
        Vec::<String>::new(),
        "no report and no temporary file"
    );
}

#[test]
fn without_ctrl_c_the_report_is_written_whole() {
    let (url, _fetches) = jaeger(Duration::from_millis(10));
    let dir = tempfile::tempdir().expect("tempdir");
    let args = check_args(&url);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let child = spawn(&args, dir.path());
    let (code, stderr) = finish(child, Duration::from_secs(60));
    assert_eq!(code, Some(0), "stderr: {stderr}");
    assert_eq!(entries(dir.path()), vec!["out.xml".to_string()]);
    let xml = std::fs::read_to_string(dir.path().join("out.xml")).expect("junit");
    assert!(xml.contains("<testsuites") && xml.trim_end().ends_with("</testsuites>"));
}

#[test]
fn ctrl_c_stops_profile_trigger_with_a_finished_cohort() {
    let dir = tempfile::tempdir().expect("tempdir");
    let traces = dir.path().join("traces.jsonl");
    std::fs::write(&traces, "").expect("write");
    let traces = traces.display().to_string();
    // The collector never writes a profile: Ctrl-C arrives while it runs.
    let child = spawn(
        &[
            "profile",
            "trigger",
            "--source",
            &traces,
            "--service",
            "api",
            "--command",
            "sleep 60",
            "--window",
            "1s",
            "--max-wait",
            "5m",
            "--out",
            "slow",
        ],
        dir.path(),
    );
    std::thread::sleep(Duration::from_millis(1500));
    sigint(&child);
    let (code, stderr) = finish(child, Duration::from_secs(30));
    assert_eq!(code, Some(130), "stderr: {stderr}");
    let names = entries(dir.path());
    assert!(names.iter().all(|n| !n.contains("partial")), "{names:?}");
    let manifest = std::fs::read(dir.path().join("slow").join("manifest.json"))
        .expect("the cohort was finished");
    let m: serde_json::Value = serde_json::from_slice(&manifest).expect("manifest JSON");
    assert_eq!(m["complete"], false);
    assert_eq!(m["stopped_by"], "interrupt");
}
