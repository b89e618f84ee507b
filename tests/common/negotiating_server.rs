//! An HTTP server on 127.0.0.1 that answers every request by its `Accept` header, as Tempo
//! does: protobuf when asked for it, JSON otherwise (shared by `tests/otlp_protobuf.rs` and
//! `benches/otlp_protobuf.rs` through `#[path]`).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the server sends for a request that asks for protobuf.
#[derive(Clone)]
pub enum OnProtobuf {
    /// This status line, this content type, these bytes.
    Answer(&'static str, &'static str, Vec<u8>),
    /// Refuse with this status (406, 415): the client must ask again for JSON.
    Refuse(&'static str),
}

pub struct NegotiatingServer {
    pub port: u16,
    /// The request heads seen, in order.
    pub requests: Arc<Mutex<Vec<String>>>,
}

impl NegotiatingServer {
    /// Serves up to `max_connections` requests, then stops.
    pub fn start(protobuf: OnProtobuf, json: Vec<u8>, max_connections: usize) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        std::thread::spawn(move || {
            for conn in listener.incoming().take(max_connections) {
                let Ok(mut conn) = conn else { break };
                let head = read_head(&mut conn);
                let wants_protobuf = head
                    .to_ascii_lowercase()
                    .lines()
                    .any(|l| l.starts_with("accept:") && l.contains("application/protobuf"));
                seen.lock().unwrap().push(head);
                let (status, ctype, body): (&str, &str, &[u8]) = match (&protobuf, wants_protobuf) {
                    (OnProtobuf::Answer(s, c, b), true) => (s, c, b),
                    (OnProtobuf::Refuse(s), true) => (s, "text/plain", b"not acceptable"),
                    (_, false) => ("200 OK", "application/json", &json),
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\nContent-Type: {ctype}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = conn.write_all(head.as_bytes());
                let _ = conn.write_all(body);
                let _ = conn.flush();
                let _ = conn.shutdown(std::net::Shutdown::Both);
            }
        });
        NegotiatingServer { port, requests }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

fn read_head(conn: &mut TcpStream) -> String {
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
