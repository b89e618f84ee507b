//! A minimal MCP client over the server's stdio (JSON-RPC, one message a line): the
//! tracediag binary's `mcp` on a source, with an empty configuration of its own.

use std::ffi::OsStr;
use std::io::{BufRead, Write};
use std::process::{Command, Stdio};

pub struct Mcp {
    child: std::process::Child,
    out: std::io::BufReader<std::process::ChildStdout>,
    next_id: u64,
    _config: tempfile::TempDir,
}

impl Mcp {
    /// Start the server on `source` and initialise the session as `client`.
    pub fn start(source: impl AsRef<OsStr>, client: &str) -> Mcp {
        let config = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_tracediag"))
            .arg("mcp")
            .arg("--source")
            .arg(source)
            .env("XDG_CONFIG_HOME", config.path())
            .env("HOME", config.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let out = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut mcp = Mcp {
            child,
            out,
            next_id: 1,
            _config: config,
        };
        mcp.request(
            "initialize",
            serde_json::json!({"protocolVersion": "2025-06-18", "capabilities": {},
                               "clientInfo": {"name": client, "version": "1"}}),
        );
        mcp.send(&serde_json::json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        mcp
    }

    pub fn send(&mut self, msg: &serde_json::Value) {
        let stdin = self.child.stdin.as_mut().unwrap();
        writeln!(stdin, "{msg}").unwrap();
        stdin.flush().unwrap();
    }

    /// Send a request and wait for the answer with its id.
    pub fn request(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(
            &serde_json::json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}),
        );
        let mut line = String::new();
        loop {
            line.clear();
            assert!(
                self.out.read_line(&mut line).unwrap() > 0,
                "the server closed stdout"
            );
            let msg: serde_json::Value = serde_json::from_str(&line).unwrap();
            if msg.get("id") == Some(&serde_json::json!(id)) {
                return msg;
            }
        }
    }
}

impl Drop for Mcp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
