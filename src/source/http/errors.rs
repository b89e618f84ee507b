//! Transport failures as one-line messages that say what failed (host not found, refused,
//! timed out) and what to check, with every secret masked.

use std::time::Duration;

use super::client::HttpClient;

impl HttpClient {
    pub(super) fn transport_error(&self, e: &reqwest::Error, shown: &str) -> String {
        let cause = self.masker.mask(&chain(e));
        let base = self.base_display();
        let lower = cause.to_ascii_lowercase();
        if e.is_connect() {
            let what = if lower.contains("dns")
                || lower.contains("resolve")
                || lower.contains("name or service")
            {
                "host not found"
            } else if lower.contains("refused") {
                "connection refused"
            } else if e.is_timeout() || lower.contains("timed out") {
                "connect timed out"
            } else {
                "cannot connect"
            };
            return format!(
                "cannot reach {shown} ({what}); is {} running at {base}? check --source",
                self.server
            );
        }
        if e.is_timeout() {
            return format!(
                "{shown} did not answer within {}; raise --timeout or check that {} at {base} is healthy",
                human_duration(self.opts.timeout),
                self.server
            );
        }
        format!(
            "request to {shown} failed: {cause}; is {} running at {base}? check --source",
            self.server
        )
    }
}

/// A duration as a flag would take it (`30s`, `1500ms`), for messages.
pub(super) fn human_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}

/// The error and its causes on one line.
pub(super) fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        let t = s.to_string();
        if !parts.iter().any(|p| p.contains(&t)) {
            parts.push(t);
        }
        cur = s.source();
    }
    parts.join(": ")
}

/// The innermost cause, which names what actually happened ("connection closed before
/// message completed").
pub(super) fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur: &(dyn std::error::Error + 'static) = e;
    while let Some(s) = cur.source() {
        cur = s;
    }
    cur.to_string()
}
