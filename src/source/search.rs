//! What `search` asks for, and its translations: Jaeger v1 query parameters, Jaeger api_v3
//! parameters (both the v2.19+ camelCase and the older snake_case names), TraceQL for Tempo,
//! and a predicate for traces read from a file.

use serde::Serialize;

use crate::model::{Span, SpanIndex, Trace};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StatusFilter {
    Error,
    Ok,
}

/// A search, in backend-neutral terms. Times are ns since the epoch.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchQuery {
    pub service: Option<String>,
    pub operation: Option<String>,
    pub min_duration_ns: Option<i64>,
    pub max_duration_ns: Option<i64>,
    pub status: Option<StatusFilter>,
    pub tags: Vec<(String, String)>,
    pub start_ns: i64,
    pub end_ns: i64,
    /// Whether the user chose the window. Files are exports of the past, so only a chosen
    /// window filters them; the default "last hour" would hide everything.
    pub explicit_window: bool,
    /// The service and operation filters name the trace's root span, not any span (where the
    /// backend can say so: PostgreSQL and files; others are filtered by their summaries).
    pub root_only: bool,
    /// When set, the hits closest in time to this instant are kept under the limit, rather
    /// than the newest.
    pub near_ns: Option<i64>,
    pub limit: usize,
    /// A raw TraceQL query (Tempo only); replaces the translated one.
    pub traceql: Option<String>,
}

impl Default for SearchQuery {
    fn default() -> SearchQuery {
        let now = now_ns();
        SearchQuery {
            service: None,
            operation: None,
            min_duration_ns: None,
            max_duration_ns: None,
            status: None,
            tags: Vec::new(),
            start_ns: now - 3_600_000_000_000,
            end_ns: now,
            explicit_window: false,
            root_only: false,
            near_ns: None,
            limit: 20,
            traceql: None,
        }
    }
}

/// One search hit. Counts are None when the backend does not report them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceSummary {
    pub trace_id: String,
    pub start_ns: i64,
    pub duration_ns: i64,
    pub root_service: String,
    pub root_operation: String,
    pub span_count: Option<usize>,
    pub error_count: Option<usize>,
}

impl TraceSummary {
    /// Summarise a trace read in full. The root is the earliest span whose parent is absent.
    pub fn of(trace: &Trace) -> TraceSummary {
        let root = root_span(trace);
        TraceSummary {
            trace_id: trace.id.clone(),
            start_ns: trace.start_ns(),
            duration_ns: trace.duration_ns(),
            root_service: root.map_or_else(String::new, |s| s.service.to_string()),
            root_operation: root.map_or_else(String::new, |s| s.operation.to_string()),
            span_count: Some(trace.spans.len()),
            error_count: Some(trace.error_count()),
        }
    }
}

/// The span a summary calls the root: the earliest span whose parent is absent (else the
/// earliest span).
fn root_span(trace: &Trace) -> Option<&Span> {
    let spans = &trace.spans;
    // The earliest span without a parent id answers unless a span with a parent id starts no
    // later: only then is it worth indexing the ids to see whether that parent is absent (a
    // million-span trace's index costs a tenth of a second; such spans are rare).
    let first_root = spans
        .iter()
        .filter(|s| s.parent_id.is_none())
        .min_by_key(|s| s.start_ns);
    if let Some(r) = first_root {
        if !spans
            .iter()
            .any(|s| s.parent_id.is_some() && s.start_ns <= r.start_ns)
        {
            return Some(r);
        }
    }
    let ids = SpanIndex::of(spans.iter().map(|s| s.span_id.as_str()));
    spans
        .iter()
        .filter(|s| s.parent_id.as_deref().is_none_or(|p| !ids.contains(p)))
        .min_by_key(|s| s.start_ns)
        .or_else(|| spans.iter().min_by_key(|s| s.start_ns))
}

/// Left-pad a hex trace id to 32 digits: Tempo search strips leading zeros, and the
/// `/api/traces/<id>` lookup and other tools expect the full width.
pub fn pad_trace_id(id: &str) -> String {
    let id = id.trim();
    if !id.is_empty() && id.len() <= 32 && id.bytes().all(|b| b.is_ascii_hexdigit()) {
        format!("{:0>32}", id.to_ascii_lowercase())
    } else {
        id.to_string()
    }
}

impl SearchQuery {
    /// Jaeger v1 `/api/traces` parameters.
    pub fn jaeger_v1_params(&self) -> Vec<(&'static str, String)> {
        let mut p = Vec::new();
        if let Some(s) = &self.service {
            p.push(("service", s.clone()));
        }
        if let Some(o) = &self.operation {
            p.push(("operation", o.clone()));
        }
        let tags = self.jaeger_tags();
        if !tags.is_empty() {
            p.push(("tags", tags_json(&tags)));
        }
        if let Some(d) = self.min_duration_ns {
            p.push(("minDuration", go_duration(d)));
        }
        if let Some(d) = self.max_duration_ns {
            p.push(("maxDuration", go_duration(d)));
        }
        // v1 times are unix microseconds.
        p.push(("start", (self.start_ns / 1000).to_string()));
        p.push(("end", (self.end_ns / 1000).to_string()));
        p.push(("limit", self.limit.to_string()));
        // Raw traces: tracediag adjusts clock skew itself and reports what it changed.
        p.push(("raw", "true".into()));
        p
    }

    /// Jaeger api_v3 `/api/v3/traces` parameters, each under its v2.19+ camelCase name and
    /// its older snake_case alias, so one request works on every api_v3 version (the server
    /// ignores names it does not know).
    pub fn jaeger_v3_params(&self) -> Vec<(&'static str, String)> {
        let mut p = Vec::new();
        let mut both = |camel: &'static str, snake: &'static str, v: String| {
            p.push((camel, v.clone()));
            if camel != snake {
                p.push((snake, v));
            }
        };
        if let Some(s) = &self.service {
            both("query.serviceName", "query.service_name", s.clone());
        }
        if let Some(o) = &self.operation {
            both("query.operationName", "query.operation_name", o.clone());
        }
        both(
            "query.startTimeMin",
            "query.start_time_min",
            rfc3339(self.start_ns),
        );
        both(
            "query.startTimeMax",
            "query.start_time_max",
            rfc3339(self.end_ns),
        );
        if let Some(d) = self.min_duration_ns {
            both("query.durationMin", "query.duration_min", go_duration(d));
        }
        if let Some(d) = self.max_duration_ns {
            both("query.durationMax", "query.duration_max", go_duration(d));
        }
        both(
            "query.searchDepth",
            "query.num_traces",
            self.limit.to_string(),
        );
        both("query.rawTraces", "query.raw_traces", "true".into());
        let tags = self.jaeger_tags();
        if !tags.is_empty() {
            both("query.attributes", "query.attributes", tags_json(&tags));
        }
        p
    }

    /// Jaeger has no status parameter; an error span carries the tag `error=true` in both APIs.
    fn jaeger_tags(&self) -> Vec<(String, String)> {
        let mut tags = self.tags.clone();
        if self.status == Some(StatusFilter::Error) && !tags.iter().any(|(k, _)| k == "error") {
            tags.push(("error".into(), "true".into()));
        }
        tags
    }

    /// The TraceQL for Tempo: `--traceql` as given, or the translation of the other filters,
    /// e.g. `{ resource.service.name = "x" && name = "op" && duration >= 1s && status = error }`.
    pub fn to_traceql(&self) -> String {
        if let Some(q) = &self.traceql {
            return q.clone();
        }
        let mut conds = Vec::new();
        if let Some(s) = &self.service {
            conds.push(format!("resource.service.name = {}", quote(s)));
        }
        if let Some(o) = &self.operation {
            conds.push(format!("name = {}", quote(o)));
        }
        // Inclusive bounds, as Jaeger's minDuration/maxDuration are.
        if let Some(d) = self.min_duration_ns {
            conds.push(format!("duration >= {}", go_duration(d)));
        }
        if let Some(d) = self.max_duration_ns {
            conds.push(format!("duration <= {}", go_duration(d)));
        }
        match self.status {
            Some(StatusFilter::Error) => conds.push("status = error".into()),
            Some(StatusFilter::Ok) => conds.push("status != error".into()),
            None => {}
        }
        for (k, v) in &self.tags {
            conds.push(format!("{} = {}", traceql_attr(k), traceql_value(v)));
        }
        if conds.is_empty() {
            "{}".into()
        } else {
            format!("{{ {} }}", conds.join(" && "))
        }
    }

    /// Whether a summary's root passes the root filters (always when `root_only` is off or
    /// the backend did not name the root).
    pub fn root_matches(&self, h: &TraceSummary) -> bool {
        !self.root_only
            || h.root_service.is_empty()
            || (self.service.as_ref().is_none_or(|x| &h.root_service == x)
                && self
                    .operation
                    .as_ref()
                    .is_none_or(|x| &h.root_operation == x))
    }

    /// Order hits as the limit should keep them: closest to `near_ns` first when set, else
    /// newest first; then cut to the limit.
    pub fn keep(&self, hits: &mut Vec<TraceSummary>) {
        match self.near_ns {
            Some(at) => hits.sort_by_key(|h| (h.start_ns.abs_diff(at), h.start_ns)),
            None => hits.sort_by_key(|h| std::cmp::Reverse(h.start_ns)),
        }
        hits.truncate(self.limit);
    }

    /// Whether a trace read from a file matches: some span satisfies the span filters (as in
    /// Jaeger and TraceQL), and the trace starts inside the window when one was given.
    pub fn matches(&self, t: &Trace, use_window: bool) -> bool {
        if use_window
            && !t.spans.is_empty()
            && (t.start_ns() < self.start_ns || t.start_ns() > self.end_ns)
        {
            return false;
        }
        match self.status {
            Some(StatusFilter::Error) if t.error_count() == 0 => return false,
            Some(StatusFilter::Ok) if t.error_count() > 0 => return false,
            _ => {}
        }
        let names = |s: &crate::model::Span| {
            self.service.as_ref().is_none_or(|x| s.service == x)
                && self.operation.as_ref().is_none_or(|x| s.operation == x)
        };
        if self.root_only && !root_span(t).is_some_and(names) {
            return false;
        }
        t.spans.iter().any(|s| {
            (self.root_only || names(s))
                && self.min_duration_ns.is_none_or(|d| s.duration_ns >= d)
                && self.max_duration_ns.is_none_or(|d| s.duration_ns <= d)
                && self
                    .tags
                    .iter()
                    .all(|(k, v)| s.attr(k).is_some_and(|a| &a.as_text() == v))
        })
    }
}

fn tags_json(tags: &[(String, String)]) -> String {
    let map: serde_json::Map<String, serde_json::Value> = tags
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// A TraceQL string literal.
fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// An attribute reference: scoped names are kept, others are unscoped (`.key` matches span or
/// resource attributes).
fn traceql_attr(k: &str) -> String {
    let scoped = ["span.", "resource.", "event.", "link.", "instrumentation."]
        .iter()
        .any(|p| k.starts_with(p));
    if scoped || k.starts_with('.') {
        k.to_string()
    } else {
        format!(".{k}")
    }
}

/// Numbers and booleans are typed in TraceQL (`.http.status_code = 500` does not match the
/// string "500"), so keep them bare.
fn traceql_value(v: &str) -> String {
    if v == "true"
        || v == "false"
        || v.parse::<i64>().is_ok()
        || (v.parse::<f64>().is_ok_and(f64::is_finite) && v.contains('.'))
    {
        v.to_string()
    } else {
        quote(v)
    }
}

/// A Go/TraceQL duration in the largest unit that keeps it exact (`1500ms`, `2s`).
pub fn go_duration(ns: i64) -> String {
    for (unit, scale) in [
        ("h", 3_600_000_000_000),
        ("m", 60_000_000_000),
        ("s", 1_000_000_000),
        ("ms", 1_000_000),
        ("us", 1_000),
    ] {
        if ns != 0 && ns % scale == 0 {
            return format!("{}{unit}", ns / scale);
        }
    }
    format!("{ns}ns")
}

pub use crate::time::now_ns;

/// RFC 3339 in UTC with nanoseconds, as Jaeger api_v3 wants.
pub fn rfc3339(ns: i64) -> String {
    crate::time::format_rfc3339_ns(ns)
}

/// A short UTC timestamp for tables: `2024-05-01 12:00:03.123`.
pub fn short_time(ns: i64) -> String {
    let s = rfc3339(ns);
    // "YYYY-MM-DDTHH:MM:SS.mmm"
    s.get(..23).map(|t| t.replacen('T', " ", 1)).unwrap_or(s)
}

pub use crate::time::parse_time;

#[cfg(test)]
mod tests {
    use super::*;

    fn query() -> SearchQuery {
        SearchQuery {
            service: Some("frontend".into()),
            operation: Some("GET /x".into()),
            min_duration_ns: Some(1_000_000_000),
            max_duration_ns: Some(1_500_000),
            status: Some(StatusFilter::Error),
            tags: vec![
                ("http.status_code".into(), "500".into()),
                ("peer".into(), "a \"b\"".into()),
            ],
            start_ns: 1_700_000_000_000_000_000,
            end_ns: 1_700_003_600_000_000_000,
            explicit_window: true,
            root_only: false,
            near_ns: None,
            limit: 20,
            traceql: None,
        }
    }

    #[test]
    fn translates_to_traceql() {
        assert_eq!(
            query().to_traceql(),
            r#"{ resource.service.name = "frontend" && name = "GET /x" && duration >= 1s && duration <= 1500us && status = error && .http.status_code = 500 && .peer = "a \"b\"" }"#
        );
        assert_eq!(
            SearchQuery {
                traceql: Some("{ x }".into()),
                ..query()
            }
            .to_traceql(),
            "{ x }"
        );
        assert_eq!(SearchQuery::default().to_traceql(), "{}");
    }

    #[test]
    fn translates_to_jaeger_params() {
        let v1 = query().jaeger_v1_params();
        assert!(v1.contains(&("service", "frontend".into())));
        assert!(v1.contains(&("minDuration", "1s".into())));
        assert!(v1.contains(&("start", "1700000000000000".into())));
        assert!(v1.contains(&(
            "tags",
            r#"{"error":"true","http.status_code":"500","peer":"a \"b\""}"#.into()
        )));
        let v3 = query().jaeger_v3_params();
        assert!(v3.contains(&("query.serviceName", "frontend".into())));
        assert!(v3.contains(&("query.service_name", "frontend".into())));
        assert!(v3.contains(&(
            "query.startTimeMin",
            "2023-11-14T22:13:20.000000000Z".into()
        )));
        assert!(v3.contains(&("query.num_traces", "20".into())));
        assert!(v3.contains(&("query.rawTraces", "true".into())));
    }

    #[test]
    fn parses_times() {
        let now = 1_700_000_000_000_000_000;
        assert_eq!(parse_time("2023-11-14T22:13:20Z", 0), Ok(now));
        assert_eq!(
            parse_time("2023-11-15T00:13:20.5+02:00", 0),
            Ok(now + 500_000_000)
        );
        assert_eq!(parse_time("1h", now), Ok(now - 3_600_000_000_000));
        assert_eq!(parse_time("now-30m", now), Ok(now - 1_800_000_000_000));
        assert_eq!(parse_time("now", now), Ok(now));
        assert_eq!(parse_time("1d", now), Ok(now - 86_400_000_000_000));
        assert_eq!(parse_time("-7d", now), Ok(now - 7 * 86_400_000_000_000));
        assert_eq!(parse_time("now-2w", now), Ok(now - 14 * 86_400_000_000_000));
        assert!(parse_time("yesterday", now).is_err());
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000000000Z");
    }

    #[test]
    fn pads_tempo_ids() {
        assert_eq!(
            pad_trace_id("2e299711ce47710289dc6640727404f"),
            "02e299711ce47710289dc6640727404f"
        );
        assert_eq!(pad_trace_id("abc"), "00000000000000000000000000000abc");
        assert_eq!(pad_trace_id("trace-1"), "trace-1");
    }

    fn span(id: &str, parent: Option<&str>, start_ns: i64, operation: &str) -> Span {
        Span {
            span_id: id.into(),
            parent_id: parent.map(Into::into),
            start_ns,
            duration_ns: 10,
            operation: operation.into(),
            ..Span::default()
        }
    }

    fn root_of(spans: Vec<Span>) -> String {
        let t = Trace::with_spans("t".into(), spans);
        TraceSummary::of(&t).root_operation
    }

    #[test]
    fn the_root_is_the_earliest_span_whose_parent_is_absent() {
        let a = "00000000000000a1";
        let b = "00000000000000b2";
        // The parentless span, its child later.
        assert_eq!(
            root_of(vec![span(b, Some(a), 5, "child"), span(a, None, 1, "root")]),
            "root"
        );
        // An orphan earlier than the parentless span is the root.
        assert_eq!(
            root_of(vec![
                span(a, None, 5, "root"),
                span(b, Some("ff"), 1, "orphan")
            ]),
            "orphan"
        );
        // A child starting with its parent does not take its place, in either order.
        assert_eq!(
            root_of(vec![span(b, Some(a), 1, "child"), span(a, None, 1, "root")]),
            "root"
        );
        // On a tie the first absent-parent span in order wins, orphan or not.
        assert_eq!(
            root_of(vec![
                span(b, Some("ff"), 1, "orphan"),
                span(a, None, 1, "root")
            ]),
            "orphan"
        );
        // Only spans with parents, all present (a loop): the earliest span.
        assert_eq!(
            root_of(vec![span(a, Some(b), 3, "x"), span(b, Some(a), 2, "y")]),
            "y"
        );
    }
}
