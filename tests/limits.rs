//! The input limits, each at its boundary and through the real binary: exactly at the limit
//! passes, one over fails with a one-line error (exit 2, exit 3 for an HTTP response) or is
//! cut with a stated warning. And a 100,000-deep chain with `--max-depth 200000` completes
//! in a debug build: nothing recurses on the depth of the span tree.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{http_response, tracediag, RawServer, Reply, Run};

/// A Jaeger document of one trace `abc`: `spans` spans in a chain (each the child of the one
/// before), and the last span carrying `payload` when given.
fn chain(spans: usize, payload: Option<&str>) -> String {
    let mut out = String::from(r#"{"data":[{"traceID":"abc","spans":["#);
    for i in 0..spans {
        if i > 0 {
            out.push(',');
        }
        let refs = if i == 0 {
            String::new()
        } else {
            format!(r#"{{"refType":"CHILD_OF","traceID":"abc","spanID":"{i:x}"}}"#)
        };
        let tags = match payload {
            Some(p) if i + 1 == spans => {
                format!(r#"{{"key":"payload","type":"string","value":"{p}"}}"#)
            }
            _ => String::new(),
        };
        out.push_str(&format!(
            r#"{{"traceID":"abc","spanID":"{:x}","operationName":"op{}","startTime":{},"duration":{},"processID":"p1","references":[{refs}],"tags":[{tags}]}}"#,
            i + 1,
            i % 7,
            1_700_000_000_000_000u64 + i as u64,
            2 * (spans - i)
        ));
    }
    out.push_str(r#"],"processes":{"p1":{"serviceName":"svc","tags":[]}}}]}"#);
    out
}

/// `doc` padded with trailing whitespace to exactly `len` bytes.
fn padded(doc: &str, len: usize) -> Vec<u8> {
    assert!(doc.len() <= len, "{} > {len}", doc.len());
    let mut b = doc.as_bytes().to_vec();
    b.resize(len, b' ');
    b
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).expect("compress");
    gz.finish().expect("compress")
}

fn file(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write");
    path.display().to_string()
}

/// Run the binary with `stdin` piped in, in a clean environment.
fn with_stdin(args: &[&str], stdin: &[u8]) -> Run {
    let config = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_tracediag"))
        .args(args)
        .env_remove("TRACEDIAG_SOURCE")
        .env("XDG_CONFIG_HOME", config.path())
        .env("HOME", config.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut input = child.stdin.take().expect("stdin");
    let bytes = stdin.to_vec();
    // A refused input closes the pipe early; the writer must not block or panic on that.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&bytes);
    });
    let out = child.wait_with_output().expect("wait");
    let _ = writer.join();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed: std::time::Duration::ZERO,
    }
}

fn ok(run: &Run) {
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
}

fn fails(run: &Run, code: i32, want: &str) {
    assert_eq!(
        run.code, code,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    let line = run.error_line();
    assert!(line.contains(want), "{line}");
}

#[test]
fn max_response_size_for_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = chain(3, None);
    let at = file(&dir, "at.json", &padded(&doc, 1000));
    let over = file(&dir, "over.json", &padded(&doc, 1001));
    ok(&tracediag(
        &["summary", "--source", &at, "--max-response-size", "1000"],
        &[],
    ));
    let run = tracediag(
        &["summary", "--source", &over, "--max-response-size", "1000"],
        &[],
    );
    fails(
        &run,
        2,
        &format!("{over}: the file is larger than the 1000 bytes limit; raise --max-response-size"),
    );
}

#[test]
fn max_response_size_for_stdin() {
    let doc = chain(3, None);
    ok(&with_stdin(
        &["summary", "--source", "-", "--max-response-size", "1KiB"],
        &padded(&doc, 1024),
    ));
    let run = with_stdin(
        &["summary", "--source", "-", "--max-response-size", "1KiB"],
        &padded(&doc, 1025),
    );
    fails(
        &run,
        2,
        "stdin: the input is larger than the 1 KiB limit; raise --max-response-size",
    );
    // Piped without --source too.
    let run = with_stdin(
        &["summary", "--max-response-size", "1KiB"],
        &padded(&doc, 1025),
    );
    fails(&run, 2, "stdin: the input is larger than the 1 KiB limit");
}

#[test]
fn max_response_size_for_gzip_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = chain(3, None);
    let at = file(&dir, "at.json.gz", &gzip(&padded(&doc, 2000)));
    let over = file(&dir, "over.json.gz", &gzip(&padded(&doc, 2001)));
    ok(&tracediag(
        &["summary", "--source", &at, "--max-response-size", "2000"],
        &[],
    ));
    let run = tracediag(
        &["summary", "--source", &over, "--max-response-size", "2000"],
        &[],
    );
    fails(
        &run,
        2,
        &format!("{over}: the gzip data decompressed is larger than the 2000 bytes limit"),
    );
}

#[test]
fn a_gzip_bomb_stops_at_the_limit() {
    // 1 GiB of spaces after a valid document, in 1,024 concatenated gzip members of 1 MiB
    // each: about 1 MB on disk.
    let member = gzip(&vec![b' '; 1 << 20]);
    let mut bomb = gzip(chain(2, None).as_bytes());
    for _ in 0..1024 {
        bomb.extend_from_slice(&member);
    }
    assert!(bomb.len() < 2 << 20, "{}", bomb.len());
    let dir = tempfile::tempdir().expect("tempdir");
    let path = file(&dir, "bomb.json.gz", &bomb);
    let started = std::time::Instant::now();
    let run = tracediag(
        &["summary", "--source", &path, "--max-response-size", "16MiB"],
        &[],
    );
    fails(
        &run,
        2,
        "the gzip data decompressed is larger than the 16 MiB limit",
    );
    assert!(
        started.elapsed().as_secs() < 30,
        "stopped early: {:?}",
        started.elapsed()
    );
}

#[test]
fn max_response_size_for_http_responses() {
    // Jaeger's api_v3 service list, padded to the limit and one over.
    let body = r#"{"services":["api","db"]}"#;
    let reply = |len: usize| {
        Reply::Bytes(http_response(
            "200 OK",
            &[("Content-Type", "application/json")],
            &padded(body, len),
        ))
    };
    let server = RawServer::start(vec![reply(512)], 4);
    let run = tracediag(
        &[
            "services",
            "--source",
            &format!("jaeger+{}", server.url()),
            "--max-response-size",
            "512",
        ],
        &[],
    );
    ok(&run);
    assert_eq!(run.stdout, "api\ndb\n");
    let server = RawServer::start(vec![reply(513)], 4);
    let run = tracediag(
        &[
            "services",
            "--source",
            &format!("jaeger+{}", server.url()),
            "--max-response-size",
            "512",
        ],
        &[],
    );
    fails(
        &run,
        3,
        "/api/v3/services: the response is larger than the 512 bytes limit; raise --max-response-size",
    );
}

#[test]
fn max_trace_spans() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = file(&dir, "five.json", chain(5, None).as_bytes());
    ok(&tracediag(
        &["summary", "--source", &path, "--max-trace-spans", "5"],
        &[],
    ));
    let run = tracediag(
        &["summary", "--source", &path, "--max-trace-spans", "4"],
        &[],
    );
    fails(
        &run,
        2,
        &format!("{path}: trace abc has 5 spans, more than the --max-trace-spans limit of 4; raise --max-trace-spans if that is expected"),
    );
    // The default is a million; the flag takes separators.
    ok(&tracediag(
        &[
            "summary",
            "--source",
            &path,
            "--max-trace-spans",
            "1_000_000",
        ],
        &[],
    ));
}

#[test]
fn max_trace_spans_from_a_remote_source_is_an_input_error() {
    let doc = chain(5, None);
    let reply = Reply::Bytes(http_response(
        "200 OK",
        &[("Content-Type", "application/json")],
        doc.as_bytes(),
    ));
    // api_v3 probe (HTML: not v3), then the v1 trace.
    let not_v3 = Reply::Bytes(http_response("404 Not Found", &[], b"404 page not found"));
    let server = RawServer::start(vec![not_v3, reply], 2);
    let run = tracediag(
        &[
            "summary",
            "abc",
            "--source",
            &format!("jaeger+{}", server.url()),
            "--max-trace-spans",
            "4",
        ],
        &[],
    );
    fails(
        &run,
        2,
        "trace abc has 5 spans, more than the --max-trace-spans limit of 4",
    );
}

#[test]
fn max_depth() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = file(&dir, "fifty.json", chain(50, None).as_bytes());
    ok(&tracediag(
        &["summary", "--source", &path, "--max-depth", "50"],
        &[],
    ));
    let run = tracediag(&["summary", "--source", &path, "--max-depth", "49"], &[]);
    fails(
        &run,
        2,
        &format!("{path}: trace abc is 50 spans deep, more than the --max-depth limit of 49; raise --max-depth if that is expected"),
    );
}

#[test]
fn max_attr_size_cuts_at_a_char_boundary_with_one_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    // 10 × "é" (2 bytes each) + "x": 21 bytes.
    let value = format!("{}x", "é".repeat(10));
    let path = file(&dir, "attr.json", chain(3, Some(&value)).as_bytes());
    let group = |run: &Run| -> String {
        let doc = run.json();
        doc["groups"]
            .as_array()
            .and_then(|g| {
                g.iter()
                    .filter_map(|g| g["group"].as_str())
                    .find(|g| *g != "(none)")
            })
            .unwrap_or_default()
            .to_string()
    };
    let stats = |limit: &str| {
        tracediag(
            &[
                "stats",
                "--group-by",
                "attr:payload",
                "--format",
                "json",
                "--source",
                &path,
                "--max-attr-size",
                limit,
            ],
            &[],
        )
    };
    // Exactly at the limit: whole, and nothing said.
    let run = stats("21");
    assert_eq!(group(&run), value);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    // One over: cut, marked, and one warning for the trace.
    let run = stats("20");
    assert_eq!(
        group(&run),
        format!("{}…[truncated 1 bytes]", "é".repeat(10))
    );
    let warnings: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        warnings,
        vec!["tracediag: warning: trace abc: 1 attribute value(s) longer than 20 bytes were cut (marked …[truncated N bytes]); raise --max-attr-size to keep them whole"]
    );
    // A limit inside a character cuts before it.
    let run = stats("19");
    assert_eq!(
        group(&run),
        format!("{}…[truncated 3 bytes]", "é".repeat(9))
    );
    // The report carries the warning too; -q silences stderr.
    let diagnose = |extra: &[&str]| {
        let mut args = vec![
            "diagnose",
            "--source",
            &path,
            "--max-attr-size",
            "20",
            "--format",
            "json",
        ];
        args.extend(extra);
        tracediag(&args, &[])
    };
    let run = diagnose(&[]);
    assert_eq!(
        run.json()["trace"]["warnings"][0],
        "1 attribute value(s) longer than 20 bytes were cut (marked …[truncated N bytes]); raise --max-attr-size to keep them whole"
    );
    let run = diagnose(&["-q"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

#[test]
fn limit_flags_reject_nonsense() {
    for (flag, value) in [
        ("--max-trace-spans", "0"),
        ("--max-depth", "ten"),
        ("--max-attr-size", "1 parsec"),
        ("--max-response-size", "0"),
    ] {
        let run = tracediag(&["summary", flag, value, "--source", "x.json"], &[]);
        assert_eq!(run.code, 2, "{flag} {value}: {}", run.stderr);
        assert!(run.stderr.contains(flag), "{}", run.stderr);
    }
}

#[test]
fn a_100000_deep_chain_completes_without_recursion() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = file(&dir, "deep.json", chain(100_000, None).as_bytes());
    // The default refuses it, quickly and clearly.
    let run = tracediag(&["summary", "--source", &path], &[]);
    fails(
        &run,
        2,
        "trace abc is 100000 spans deep, more than the --max-depth limit of 10000",
    );
    // Raised, every view of the tree completes: the tree index, critical path, gaps, root
    // cause, waterfall, JSON, Markdown and LLM output, and rule selectors over descendants.
    for args in [
        vec!["diagnose", "--max-spans", "100000"],
        vec!["diagnose", "--format", "llm"],
        vec!["timeline", "--format", "markdown", "--max-spans", "100000"],
        vec![
            "check",
            "--rule",
            r#"span[name="op1"] span[name="op2"] duration < 1h"#,
        ],
    ] {
        let mut all = args.clone();
        all.extend(["--max-depth", "200000"]);
        all.extend(["--source", &path]);
        let run = tracediag(&all, &[]);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(!run.stdout.is_empty(), "{args:?}");
    }
    let all = [
        "diagnose",
        "--format",
        "json",
        "--max-spans",
        "100000",
        "--max-depth",
        "200000",
        "--source",
        &path,
    ];
    let doc = tracediag(&all, &[]).json();
    assert_eq!(doc["trace"]["span_count"], 100_000);
    let spans = doc["spans"].as_array().map_or(0, Vec::len);
    assert_eq!(spans, 100_000);
    assert_eq!(doc["spans"][99_999]["depth"], 99_999);
}
