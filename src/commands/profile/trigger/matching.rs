//! Which requests of the service a trace holds, and whether they match the criteria.

use std::collections::HashMap;

use crate::commands::options::TriggerRequest;
use crate::model::{attr, Span, Trace};
use crate::source::profile::cohort::RequestInfo;
use crate::source::search::rfc3339;

/// A request of the service seen in the source.
#[derive(Clone)]
pub(super) struct Request {
    pub(super) info: RequestInfo,
    pub(super) start_ns: i64,
    pub(super) end_ns: i64,
    pub(super) matched: bool,
    /// Trace id and the service's span ids, for id labels.
    pub(super) ids: Vec<String>,
}

/// The request the service handled in this trace: its entry span (no parent in the same
/// service; the earliest, preferring server spans).
fn entry_span<'a>(t: &'a Trace, service: &str) -> Option<&'a Span> {
    let by_id: HashMap<&str, &Span> = t.spans.iter().map(|s| (s.span_id.as_str(), s)).collect();
    t.spans
        .iter()
        .filter(|s| s.service == service)
        .filter(|s| {
            s.parent_id
                .as_deref()
                .and_then(|p| by_id.get(p))
                .is_none_or(|p| p.service != service)
        })
        .min_by_key(|s| (s.kind != crate::model::SpanKind::Server, s.start_ns))
}

fn http_status(s: &Span) -> Option<i64> {
    ["http.response.status_code", "http.status_code"]
        .iter()
        .find_map(|k| s.attr(k).and_then(|v| v.as_i64()))
}

/// `5xx`, `4xx`, `503`, `error`.
pub fn status_matches(pattern: &str, http: Option<i64>, is_error: bool) -> bool {
    let p = pattern.trim().to_ascii_lowercase();
    if p == "error" {
        return is_error;
    }
    let Some(code) = http else { return false };
    let code = code.to_string();
    p.len() == code.len()
        && p.chars()
            .zip(code.chars())
            .all(|(pc, cc)| pc == 'x' || pc == cc)
}

/// Glob with `*` and `?` (iterative, no backtracking blow-up).
pub fn glob_matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            pi += 1;
            mark = ti;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

fn url_of(s: &Span) -> String {
    [
        "http.route",
        "url.path",
        "http.target",
        "http.url",
        "url.full",
    ]
    .iter()
    .find_map(|k| attr(&s.attributes, k).map(|v| v.as_text()))
    .unwrap_or_else(|| s.operation.to_string())
}

/// The service's request in `t`, and whether it matches the criteria.
pub(super) fn request_of(t: &Trace, a: &TriggerRequest) -> Option<Request> {
    let e = entry_span(t, &a.service)?;
    let http = http_status(e);
    let is_error = t
        .spans
        .iter()
        .any(|s| s.service == a.service && s.is_error());
    let url = url_of(e);
    let matched = a.min_duration.is_none_or(|d| e.duration_ns >= d)
        && a.max_duration.is_none_or(|d| e.duration_ns <= d)
        && a.status_code
            .as_deref()
            .is_none_or(|p| status_matches(p, http, is_error))
        && a.url_pattern
            .as_deref()
            .is_none_or(|p| glob_matches(p, &url) || glob_matches(p, &e.operation));
    let mut ids = vec![t.id.clone()];
    ids.extend(
        t.spans
            .iter()
            .filter(|s| s.service == a.service)
            .map(|s| s.span_id.to_string()),
    );
    Some(Request {
        info: RequestInfo {
            trace_id: t.id.clone(),
            span_id: e.span_id.to_string(),
            operation: e.operation.to_string(),
            start: rfc3339(e.start_ns),
            duration_ms: e.duration_ns as f64 / 1e6,
            status: if is_error { "error" } else { "ok" }.into(),
            http_status: http,
        },
        start_ns: e.start_ns,
        end_ns: e.end_ns(),
        matched,
        ids,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_matches("/pay*", "/pay/123"));
        assert!(glob_matches("/p?y", "/pay"));
        assert!(!glob_matches("/pay*", "/api/pay"));
        assert!(glob_matches("*", ""));
        assert!(glob_matches(&"*a".repeat(20), &"a".repeat(40)));
    }

    #[test]
    fn status_patterns() {
        assert!(status_matches("5xx", Some(503), false));
        assert!(!status_matches("5xx", Some(404), false));
        assert!(status_matches("404", Some(404), false));
        assert!(status_matches("error", None, true));
        assert!(!status_matches("5xx", None, true));
    }
}
