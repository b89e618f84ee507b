//! What kind of failure an error span is: connection, timeout or rate limit, read from its
//! status codes first and then from the text of its message, attributes and events.

use crate::model::{attr, Span};

use super::Category;

/// How an error origin was classified, and on what signal.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorClass {
    pub category: Category,
    /// What decided it (`HTTP status 429`, `the error text mentions "connection refused"`).
    pub signal: String,
    /// False for the EXECUTION_FAILURE fallback, when no known signal matched.
    pub specific: bool,
}

/// Case-insensitive text patterns, most specific category first: a throttling message often
/// also says "exceeded" or mentions the connection, and a connect timeout is first of all a
/// failure to connect.
const RATE_PATTERNS: &[&str] = &[
    "too many requests",
    "rate limit",
    "rate-limit",
    "ratelimit",
    "rate exceeded",
    "throttl",
    "quota",
    "resource_exhausted",
    "resource exhausted",
];
const CONNECTION_PATTERNS: &[&str] = &[
    "connection refused",
    "connection reset",
    "connection aborted",
    "connection closed",
    "econnrefused",
    "econnreset",
    "dial tcp",
    "no route",
    "unreachable",
    "broken pipe",
    "could not connect",
    "failed to connect",
    "unable to connect",
    "connectexception",
    "connecterror",
    "connectionerror",
    "no such host",
    "name or service not known",
    "getaddrinfo",
    "unavailable",
];
const TIMEOUT_PATTERNS: &[&str] = &[
    "timeout",
    "timed out",
    "time out",
    "deadline exceeded",
    "deadline_exceeded",
    "etimedout",
    "deadlineexceeded",
];

/// Attribute keys whose text describes the error.
const ERROR_TEXT_KEYS: &[&str] = &[
    "error.type",
    "error.message",
    "error_message",
    "exception.type",
    "exception.message",
    "otel.status_description",
    "rpc.grpc.status_message",
];
/// Event attribute keys whose text describes the error (OTLP exceptions, Jaeger logs).
const EVENT_TEXT_KEYS: &[&str] = &[
    "exception.type",
    "exception.message",
    "message",
    "error.kind",
    "error.object",
];

/// Classify a failed span by its status codes first (explicit), then the text of its
/// status message, error attributes and exception events.
pub fn classify_error(s: &Span) -> ErrorClass {
    let class = |category, signal: String| ErrorClass {
        category,
        signal,
        specific: true,
    };
    for key in ["http.response.status_code", "http.status_code"] {
        if let Some(code) = s.attr(key).and_then(|v| v.as_i64()) {
            let category = match code {
                429 => Category::RateLimited,
                502 | 503 => Category::ConnectionFailure,
                408 | 504 => Category::ServiceTimeout,
                _ => continue,
            };
            return class(category, format!("HTTP status {code}"));
        }
    }
    if let Some(code) = s.attr("rpc.grpc.status_code").and_then(|v| v.as_i64()) {
        let found = match code {
            4 => Some((Category::ServiceTimeout, "DEADLINE_EXCEEDED")),
            8 => Some((Category::RateLimited, "RESOURCE_EXHAUSTED")),
            14 => Some((Category::ConnectionFailure, "UNAVAILABLE")),
            _ => None,
        };
        if let Some((category, name)) = found {
            return class(category, format!("gRPC status {code} {name}"));
        }
    }

    let mut text = String::new();
    let mut add = |t: &str| {
        text.push_str(&t.to_ascii_lowercase());
        text.push('\n');
    };
    if let Some(m) = &s.status.message {
        add(m);
    }
    for key in ERROR_TEXT_KEYS {
        if let Some(v) = s.attr(key) {
            add(&v.as_text());
        }
    }
    for e in &s.events {
        for key in EVENT_TEXT_KEYS {
            if let Some(v) = attr(&e.attributes, key) {
                add(&v.as_text());
            }
        }
    }
    if contains_number(&text, "429") {
        return class(
            Category::RateLimited,
            "the error text mentions \"429\"".into(),
        );
    }
    for (category, patterns) in [
        (Category::RateLimited, RATE_PATTERNS),
        (Category::ConnectionFailure, CONNECTION_PATTERNS),
        (Category::ServiceTimeout, TIMEOUT_PATTERNS),
    ] {
        if let Some(p) = patterns.iter().find(|p| text.contains(*p)) {
            return class(category, format!("the error text mentions \"{p}\""));
        }
    }
    ErrorClass {
        category: Category::ExecutionFailure,
        signal: "no connection, timeout or rate-limit signal in the error".into(),
        specific: false,
    }
}

/// Whether `needle` (digits) occurs in `hay` as a whole number, not inside a longer one
/// (`429` but not port `14290`).
fn contains_number(hay: &str, needle: &str) -> bool {
    let bytes = hay.as_bytes();
    hay.match_indices(needle).any(|(at, m)| {
        let before = at
            .checked_sub(1)
            .and_then(|b| bytes.get(b))
            .is_some_and(u8::is_ascii_digit);
        let after = bytes.get(at + m.len()).is_some_and(u8::is_ascii_digit);
        !before && !after
    })
}
