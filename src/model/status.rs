//! Error detection across the conventions real data uses.
//!
//! Readers fill `Span::status` from what the format states explicitly (OTLP `status.code`);
//! [`normalize_status`] then folds in every other convention so analyses only ever look at
//! `Span::status`.

use super::span::{attr, Span, StatusCode};

/// Values of a `status` attribute or column (compared lower-cased) that mean the span
/// failed: the words span tables write (`failed`, `timeout`, …; the `beacon` preset's
/// `trace_spans.status` uses `failed` and `timeout`) and OpenTelemetry's error status code
/// as a name or a number. Readers apply it in memory; the Postgres source also binds it into SQL, so search
/// and stats count the same spans as failed as a fetched trace does.
pub const ERROR_STATUS_WORDS: &[&str] = &[
    "failed",
    "failure",
    "error",
    "timeout",
    "timed_out",
    "cancelled",
    "status_code_error",
    "2",
];

/// Apply every error convention to `span.status`. An explicit OTLP `OK` is respected: the
/// specification says instrumentation must not override a status the user set to OK.
pub fn normalize_status(span: &mut Span) {
    if span.status.code == StatusCode::Ok {
        return;
    }
    if span.status.code == StatusCode::Error {
        if span.status.message.is_none() {
            span.status.message = error_message(span);
        }
        return;
    }
    if let Some(reason) = error_reason(span) {
        span.status.code = StatusCode::Error;
        if span.status.message.is_none() {
            span.status.message = error_message(span).or(Some(reason));
        }
    } else if let Some(code) = attr(&span.attributes, "otel.status_code") {
        if code.as_text().eq_ignore_ascii_case("ok") {
            span.status.code = StatusCode::Ok;
        }
    }
}

/// Why the span counts as failed, when some convention says so.
fn error_reason(span: &Span) -> Option<String> {
    let a = &span.attributes;
    if let Some(v) = attr(a, "error") {
        if v.as_bool() == Some(true) {
            return Some("error tag set".into());
        }
    }
    if let Some(v) = attr(a, "otel.status_code") {
        let t = v.as_text();
        if t.eq_ignore_ascii_case("error")
            || t.eq_ignore_ascii_case("status_code_error")
            || t == "2"
        {
            return Some("otel.status_code=ERROR".into());
        }
    }
    for key in ["http.response.status_code", "http.status_code"] {
        if let Some(code) = attr(a, key).and_then(|v| v.as_i64()) {
            if code >= 500 {
                return Some(format!("HTTP {code}"));
            }
        }
    }
    if let Some(code) = attr(a, "rpc.grpc.status_code").and_then(|v| v.as_i64()) {
        if code != 0 {
            return Some(format!("gRPC status {code}"));
        }
    }
    if let Some(v) = attr(a, "status") {
        let t = v.as_text().to_ascii_lowercase();
        if ERROR_STATUS_WORDS.contains(&t.as_str()) {
            return Some(format!("status {t}"));
        }
    }
    let has_exception = span.events.iter().any(|e| {
        e.name == "exception"
            || attr(&e.attributes, "exception.type").is_some()
            || attr(&e.attributes, "exception.message").is_some()
            || attr(&e.attributes, "error.object").is_some()
            || attr(&e.attributes, "event").is_some_and(|v| v.as_text() == "error")
    });
    if has_exception {
        return Some("exception recorded".into());
    }
    None
}

/// The most specific error message the span carries.
fn error_message(span: &Span) -> Option<String> {
    for key in [
        "error.message",
        "error_message",
        "otel.status_description",
        "exception.message",
    ] {
        if let Some(v) = attr(&span.attributes, key) {
            return Some(v.as_text());
        }
    }
    for e in &span.events {
        for key in ["exception.message", "message", "error.object", "error.kind"] {
            if let Some(v) = attr(&e.attributes, key) {
                let text = v.as_text();
                if !text.is_empty() {
                    return Some(text);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AttrValue;

    fn with_status(value: &str) -> Span {
        let mut s = Span {
            attributes: vec![("status".into(), AttrValue::Str(value.into()))],
            ..Span::default()
        };
        normalize_status(&mut s);
        s
    }

    #[test]
    fn status_words_mark_errors() {
        for word in ERROR_STATUS_WORDS {
            assert!(with_status(&word.to_ascii_uppercase()).is_error(), "{word}");
        }
        assert!(!with_status("completed").is_error());
        assert_eq!(
            with_status("timeout").status.message.as_deref(),
            Some("status timeout")
        );
    }
}
