//! Helpers for the HTTP source tests: running the binary in a clean environment, reading the
//! shared fixtures, and a raw TCP server for faults an HTTP library will not produce
//! (truncated bodies, stalls, bodies without a length).

#![allow(dead_code)]

pub mod big_trace;
pub mod incident_data;
pub mod inputs;
pub mod mcp_client;
pub mod negotiating_server;
pub mod otlp_encode;
pub mod population;
pub mod prereq;

#[allow(unused_imports)]
pub use prereq::{
    require_datasets, require_fixtures, require_postgres, require_program, require_python_module,
};

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// The shared fixtures' `traces/` directory. Never skips: when TRACEDIAG_FIXTURES is unset
/// the test fails with a hint (such tests are `#[ignore = "needs TRACEDIAG_FIXTURES …"]`).
pub fn fixture_traces() -> PathBuf {
    require_fixtures().join("traces")
}

/// [`fixture_traces`] for callers written when fixtures could be skipped: always `Some`, and
/// fails loudly (never skips) when TRACEDIAG_FIXTURES is unset.
pub fn fixtures(_test: &str) -> Option<PathBuf> {
    Some(fixture_traces())
}

pub fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

pub fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(name)
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        assert_eq!(self.code, 0, "exit {}: {}", self.code, self.stderr);
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }

    /// The error line, which must be exactly one line.
    pub fn error_line(&self) -> &str {
        let lines: Vec<&str> = self
            .stderr
            .lines()
            .filter(|l| l.starts_with("tracediag: error:"))
            .collect();
        assert_eq!(lines.len(), 1, "expected one error line: {}", self.stderr);
        lines[0]
    }
}

/// Run the binary with an empty config directory and none of the user's tracediag variables.
pub fn tracediag(args: &[&str], env: &[(&str, &str)]) -> Run {
    let config = tempfile::tempdir().expect("tempdir");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tracediag"));
    cmd.args(args)
        .env_remove("TRACEDIAG_SOURCE")
        .env_remove("TRACEDIAG_TOKEN")
        .env("XDG_CONFIG_HOME", config.path())
        .env("HOME", config.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let started = std::time::Instant::now();
    let out: Output = cmd.output().expect("run tracediag");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed: started.elapsed(),
    }
}

/// What the raw server does with one connection.
#[derive(Clone)]
pub enum Reply {
    /// Send these bytes, then close.
    Bytes(Vec<u8>),
    /// Read the request, wait, then send the bytes (a stalled server).
    After(Duration, Vec<u8>),
}

/// A server on 127.0.0.1 answering successive connections with the given replies (the last
/// one repeats), recording each request head. Stops after `max_connections`.
pub struct RawServer {
    pub port: u16,
    pub requests: Arc<Mutex<Vec<String>>>,
    _thread: JoinHandle<()>,
}

impl RawServer {
    pub fn start(replies: Vec<Reply>, max_connections: usize) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        let thread = std::thread::spawn(move || {
            for (i, conn) in listener.incoming().take(max_connections).enumerate() {
                let Ok(mut conn) = conn else { break };
                let head = read_head(&mut conn);
                seen.lock().unwrap().push(head);
                let reply = replies.get(i).or(replies.last()).cloned();
                match reply {
                    Some(Reply::Bytes(b)) => {
                        let _ = conn.write_all(&b);
                    }
                    Some(Reply::After(d, b)) => {
                        std::thread::sleep(d);
                        let _ = conn.write_all(&b);
                    }
                    None => {}
                }
                let _ = conn.flush();
                let _ = conn.shutdown(std::net::Shutdown::Both);
            }
        });
        RawServer {
            port,
            requests,
            _thread: thread,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// The request line and headers of one HTTP request (up to the blank line).
pub fn read_head(conn: &mut TcpStream) -> String {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") && buf.len() < 64 * 1024 {
        match conn.read(&mut byte) {
            Ok(1) => buf.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// An HTTP/1.1 response with the given status line, headers and body, and a correct length.
pub fn http_response(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    )
    .into_bytes();
    for (k, v) in headers {
        out.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

/// A port nothing listens on: bound, then released.
pub fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

/// Assert that `out` (a command's `--format json` output) carries its `schema_version` ("2"
/// for the single-trace documents, "1" for the others) and validates against
/// `tracediag schema <cmd>`.
pub fn validate(cmd: &str, out: &str) {
    let r = tracediag(&["schema", cmd], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let schema: serde_json::Value = serde_json::from_str(&r.stdout).expect("schema is JSON");
    let doc: serde_json::Value =
        serde_json::from_str(out).unwrap_or_else(|e| panic!("{cmd}: not JSON ({e}): {out}"));
    let version = match cmd {
        "diagnose" | "gaps" | "root-cause" | "timeline" | "summary" => "2",
        _ => "1",
    };
    assert_eq!(doc["schema_version"], version, "{cmd}");
    let required = schema["required"].as_array().cloned().unwrap_or_default();
    assert!(
        required.contains(&serde_json::Value::from("schema_version")),
        "{cmd}: schema_version not required"
    );
    let v = jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{cmd}: bad schema: {e}"));
    let errors: Vec<String> = v
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "{cmd}: output does not match its schema: {errors:?}"
    );
}
