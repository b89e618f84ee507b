//! A response read in full, and what it says when it is not what was asked for: JSON checks
//! that name what came instead (HTML login pages, empty or cut-off bodies) and status errors
//! with the server's own message.

use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// A response read in full (within the size limit), whatever its status.
#[derive(Debug)]
pub struct Response {
    pub status: StatusCode,
    pub content_type: String,
    pub body: Vec<u8>,
    /// The request URL, masked, for messages.
    pub url: String,
}

impl Response {
    pub fn is_success(&self) -> bool {
        self.status.is_success()
    }

    /// Check the body is JSON; otherwise a one-line error saying what came instead.
    pub fn check_json(&self, server: &str) -> Result<()> {
        match serde_json::from_slice::<serde::de::IgnoredAny>(&self.body) {
            Ok(_) => Ok(()),
            Err(e) => Err(self.not_json(server, &e)),
        }
    }

    /// Deserialize the body, with the same errors as [`Response::check_json`].
    pub fn json<T: DeserializeOwned>(&self, server: &str) -> Result<T> {
        self.check_json(server)?;
        serde_json::from_slice(&self.body).map_err(|e| {
            Error::Unreachable(format!(
                "{} returned JSON of an unexpected shape ({e}); is this a {server} API? check --source",
                self.url
            ))
        })
    }

    fn not_json(&self, server: &str, e: &serde_json::Error) -> Error {
        let trimmed = trim_ascii_start(&self.body);
        let ct = self.content_type.to_ascii_lowercase();
        if self.body.is_empty() || trimmed.is_empty() {
            return Error::Unreachable(format!(
                "{} returned an empty body (HTTP {}) where JSON was expected; is this a {server} API? check --source",
                self.url,
                self.status.as_u16()
            ));
        }
        if ct.contains("html") || trimmed.first() == Some(&b'<') {
            return Error::Unreachable(format!(
                "{} returned HTML where JSON was expected (a login page or a proxy error?); check --source, and --header or TRACEDIAG_TOKEN if it needs a login; it begins: {}",
                self.url,
                first_bytes(&self.body)
            ));
        }
        if !ct.contains("json") && !looks_like_json_start(trimmed) {
            let shown = if ct.is_empty() {
                "a non-JSON body".to_string()
            } else {
                self.content_type.clone()
            };
            return Error::Unreachable(format!(
                "{} returned {shown} where JSON was expected; it begins: {}",
                self.url,
                first_bytes(&self.body)
            ));
        }
        if e.is_eof() {
            return Error::Unreachable(format!(
                "{} returned malformed JSON: it ends at byte {} in the middle of a value (cut off?); retry, or check a proxy in between",
                self.url,
                self.body.len()
            ));
        }
        Error::Unreachable(format!(
            "{} returned malformed JSON at byte offset {}: {}; is this a {server} API? check --source, or a proxy in between",
            self.url,
            byte_offset(&self.body, e.line(), e.column()),
            strip_position(&e.to_string())
        ))
    }

    /// The error for a status the caller has no special meaning for.
    pub fn status_error(&self, server: &str) -> Error {
        let code = self.status.as_u16();
        if code == 401 || code == 403 {
            return Error::Unreachable(format!(
                "authentication failed at {} (HTTP {code}); set --header or TRACEDIAG_TOKEN",
                self.url
            ));
        }
        let detail = error_detail(&self.body);
        Error::Unreachable(format!(
            "{} answered HTTP {}{}; check that {server} is healthy and --source points at it",
            self.url,
            status_text(self.status),
            if detail.is_empty() {
                String::new()
            } else {
                format!(": {detail}")
            }
        ))
    }
}

pub(super) fn status_text(s: StatusCode) -> String {
    match s.canonical_reason() {
        Some(r) => format!("{} {r}", s.as_u16()),
        None => s.as_u16().to_string(),
    }
}

fn trim_ascii_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

fn looks_like_json_start(b: &[u8]) -> bool {
    matches!(b.first(), Some(b'{' | b'[' | b'"'))
}

/// serde_json reports line and column; users of a one-line body want the byte offset.
fn byte_offset(body: &[u8], line: usize, column: usize) -> usize {
    let mut offset = 0;
    for _ in 1..line {
        match body[offset..].iter().position(|&c| c == b'\n') {
            Some(p) => offset += p + 1,
            None => break,
        }
    }
    (offset + column.saturating_sub(1)).min(body.len())
}

/// serde_json appends " at line L column C"; the message gives the byte offset instead.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// The start of a body, on one line, for messages.
pub fn first_bytes(body: &[u8]) -> String {
    const MAX: usize = 120;
    let text = String::from_utf8_lossy(&body[..body.len().min(MAX * 4)]);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = one_line.chars().take(MAX).collect();
    if one_line.chars().count() > MAX || body.len() > MAX * 4 {
        out.push('…');
    }
    format!("{out:?}")
}

/// What an error body says, in one line: the Jaeger v1 `errors[].msg`, the api_v3
/// `error.message`, or the first bytes of a text body.
pub(super) fn error_detail(body: &[u8]) -> String {
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) {
        if let Some(msgs) = v.get("errors").and_then(|e| e.as_array()) {
            let m: Vec<&str> = msgs
                .iter()
                .filter_map(|e| e.get("msg").and_then(|m| m.as_str()))
                .collect();
            if !m.is_empty() {
                return m.join("; ");
            }
        }
        if let Some(m) = v.pointer("/error/message").and_then(|m| m.as_str()) {
            return m.to_string();
        }
    }
    if body.iter().all(|c| c.is_ascii_whitespace()) {
        return String::new();
    }
    first_bytes(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_offsets_count_lines() {
        assert_eq!(byte_offset(b"{\n  \"a\": x}", 2, 8), 9);
        assert_eq!(byte_offset(b"{\"a\": x}", 1, 7), 6);
    }
}
