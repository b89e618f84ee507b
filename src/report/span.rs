//! One span in full (`tracediag span <trace> <span>`): identity, status, every attribute,
//! resource attribute, event (Jaeger log) and link — what a Jaeger UI user opens first. Also
//! the attribute and event lists `diagnose --attributes --events` adds to JSON `spans[]`,
//! and the compact `key=value` lists of the llm format, so the three show values alike.
//!
//! Values are as the source gave them after `--max-attr-size` (longer ones end in
//! `…[truncated N bytes]`) and, for output that leaves, after redaction: both happen when
//! the trace is read. JSON keeps them typed; the text formats clean them (`text::clean`).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::model::{
    AttrValue, Attributes, CompactString, Event, RefType, Span, SpanKind, StatusCode, Trace,
};

use super::text::{clean, ms, rfc3339_ms, truncate};

/// Version of the `span` document.
pub const SPAN_SCHEMA_VERSION: &str = "1";

/// How a value cut by `--max-attr-size` ends (see `source::limits::truncate_str`).
const CUT_MARK: &str = "…[truncated ";

/// Attributes by key, keys sorted. A key given twice shows its last value, as OTLP
/// collectors keep it.
pub type AttrMap = BTreeMap<String, Value>;

/// `span --format json`: one span of a trace in full.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SpanDetailDoc {
    /// Version of this layout.
    pub schema_version: &'static str,
    /// Always `span`.
    pub command: &'static str,
    /// The trace the span belongs to (normalised id).
    pub trace_id: String,
    /// The span id (normalised).
    pub span_id: String,
    /// The parent span id as written; null for a root.
    pub parent_span_id: Option<String>,
    /// `child_of` or `follows_from` (asynchronous); null for a root.
    pub parent_ref: Option<&'static str>,
    /// Service name.
    pub service: String,
    /// Operation (span name).
    pub operation: String,
    /// `server`, `client`, `internal`, `producer`, `consumer` or `unspecified`.
    pub kind: SpanKind,
    /// The host the span ran on, when the source names it (Jaeger: the process's
    /// `hostname` or `ip` tag).
    pub host: Option<String>,
    /// Start of the span, RFC 3339 UTC with milliseconds, as recorded (no skew adjustment).
    pub start_time: String,
    /// Start, from the start of the trace (its earliest span).
    pub start_offset_ms: f64,
    /// Duration.
    pub duration_ms: f64,
    /// `ok`, `error` or `unset`.
    pub status: StatusCode,
    /// The status message (the error message for failed spans).
    pub status_message: Option<String>,
    /// Span attributes (Jaeger tags), keys sorted, values typed as read.
    pub attributes: AttrMap,
    /// Resource attributes (Jaeger process tags), keys sorted.
    pub resource: AttrMap,
    /// Events (Jaeger logs) in time order.
    pub events: Vec<EventDoc>,
    /// Links (OTLP) and references beyond the parent (Jaeger).
    pub links: Vec<LinkDoc>,
    /// Warnings the source attached to this span.
    pub warnings: Vec<String>,
    /// Other spans of the trace with the same id (a broken trace); this is the first.
    pub same_id_spans: usize,
    /// Values of this span cut at `--max-attr-size` (they end in `…[truncated N bytes]`).
    pub cut_values: usize,
    /// `--max-attr-size` in force, in bytes.
    pub max_attr_size_bytes: usize,
}

/// One event (OTLP) or log (Jaeger).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct EventDoc {
    /// Time from the start of the span (negative when recorded before it).
    pub offset_ms: f64,
    /// Event name (Jaeger: the `event` field, else `log`).
    pub name: String,
    /// The event's attributes (Jaeger: the log fields), keys sorted.
    pub attributes: AttrMap,
}

/// A link to another span.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct LinkDoc {
    /// The linked trace.
    pub trace_id: String,
    /// The linked span.
    pub span_id: String,
    /// `child_of` or `follows_from`.
    pub ref_type: &'static str,
}

fn ref_name(r: RefType) -> &'static str {
    match r {
        RefType::ChildOf => "child_of",
        RefType::FollowsFrom => "follows_from",
    }
}

/// The value as JSON, typed (a NaN or infinite float becomes its text).
fn value_json(v: &AttrValue) -> Value {
    match v {
        AttrValue::Float(f) if !f.is_finite() => Value::String(f.to_string()),
        AttrValue::List(items) => Value::Array(items.iter().map(value_json).collect()),
        other => serde_json::to_value(other).unwrap_or(Value::Null),
    }
}

/// Attributes as a JSON object with sorted keys.
pub fn attr_map<'a>(attrs: impl IntoIterator<Item = &'a (CompactString, AttrValue)>) -> AttrMap {
    attrs
        .into_iter()
        .map(|(k, v)| (k.to_string(), value_json(v)))
        .collect()
}

/// Events as JSON, offsets from `span_start_ns`.
pub fn event_docs(events: &[Event], span_start_ns: i64) -> Vec<EventDoc> {
    let mut docs: Vec<(i64, EventDoc)> = events
        .iter()
        .map(|e| {
            let offset = e.time_ns.saturating_sub(span_start_ns);
            let doc = EventDoc {
                offset_ms: ms(offset),
                name: e.name.to_string(),
                attributes: attr_map(&e.attributes),
            };
            (offset, doc)
        })
        .collect();
    // Stable: events recorded at the same instant keep their order.
    docs.sort_by_key(|(t, _)| *t);
    docs.into_iter().map(|(_, d)| d).collect()
}

/// Whether a value was cut at `--max-attr-size`.
fn is_cut(v: &AttrValue) -> bool {
    match v {
        AttrValue::Str(s) | AttrValue::Bytes(s) => s
            .rfind(CUT_MARK)
            .is_some_and(|at| s[at..].ends_with(" bytes]")),
        AttrValue::List(items) => items.iter().any(is_cut),
        _ => false,
    }
}

fn cut_values(s: &Span) -> usize {
    let events = s.events.iter().flat_map(|e| e.attributes.iter());
    s.attributes_and_scope()
        .chain(s.resource())
        .chain(events)
        .filter(|(_, v)| is_cut(v))
        .count()
}

/// The document of span `index` of `trace`.
pub fn detail(trace: &Trace, index: usize, max_attr_bytes: usize) -> Option<SpanDetailDoc> {
    let s = trace.spans.get(index)?;
    let prefix = format!("span {}: ", s.span_id);
    Some(SpanDetailDoc {
        schema_version: SPAN_SCHEMA_VERSION,
        command: "span",
        trace_id: trace.id.clone(),
        span_id: s.span_id.to_string(),
        parent_span_id: s.parent_id.as_deref().map(str::to_string),
        parent_ref: s.parent_id.as_ref().map(|_| ref_name(s.parent_ref)),
        service: s.service.to_string(),
        operation: s.operation.to_string(),
        kind: s.kind,
        host: s.host.as_deref().map(str::to_string),
        start_time: rfc3339_ms(s.start_ns),
        start_offset_ms: ms(s.start_ns.saturating_sub(trace.start_ns())),
        duration_ms: ms(s.duration_ns),
        status: s.status.code,
        status_message: s.status.message.clone(),
        attributes: attr_map(s.attributes_and_scope()),
        resource: attr_map(s.resource()),
        events: event_docs(&s.events, s.start_ns),
        links: s
            .links
            .iter()
            .map(|l| LinkDoc {
                trace_id: l.trace_id.to_string(),
                span_id: l.span_id.to_string(),
                ref_type: ref_name(l.ref_type),
            })
            .collect(),
        warnings: trace
            .warnings
            .iter()
            .filter_map(|w| w.strip_prefix(&prefix).map(str::to_string))
            .collect(),
        same_id_spans: trace
            .spans
            .iter()
            .filter(|o| o.span_id == s.span_id)
            .count()
            .saturating_sub(1),
        cut_values: cut_values(s),
        max_attr_size_bytes: max_attr_bytes,
    })
}

/// A value as one line of text: cleaned, lists as `[a, b]`.
pub fn value_text(v: &Value) -> String {
    let raw = match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(value_text).collect();
            format!("[{}]", parts.join(", "))
        }
        other => other.to_string(),
    };
    clean(&raw)
}

/// `key=value, key=value` for a prompt: keys sorted, each value cut to `max_value`
/// columns, and at most `max_items` pairs, the rest counted (`+3 more`).
pub fn compact(attrs: &Attributes, max_value: usize, max_items: usize) -> String {
    let map = attr_map(attrs);
    let mut parts: Vec<String> = map
        .iter()
        .take(max_items)
        .map(|(k, v)| {
            format!(
                "{}={}",
                truncate(&clean(k), max_value),
                truncate(&value_text(v), max_value)
            )
        })
        .collect();
    if map.len() > max_items {
        parts.push(format!("+{} more", map.len() - max_items));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(pairs: &[(&str, AttrValue)]) -> Attributes {
        pairs
            .iter()
            .map(|(k, v)| ((*k).into(), v.clone()))
            .collect()
    }

    #[test]
    fn attributes_are_sorted_and_typed() {
        let a = attrs(&[
            ("z", AttrValue::Int(3)),
            ("a", AttrValue::Str("x".into())),
            ("m", AttrValue::Float(f64::NAN)),
            ("l", AttrValue::List(vec![AttrValue::Bool(true)])),
        ]);
        let text = serde_json::to_string(&attr_map(&a)).unwrap();
        assert_eq!(text, r#"{"a":"x","l":[true],"m":"NaN","z":3}"#);
    }

    #[test]
    fn compact_lists_are_bounded() {
        let a = attrs(&[
            ("b", AttrValue::Str("line\nbreak".into())),
            ("a", AttrValue::Str("x".repeat(50).into())),
            ("c", AttrValue::Int(1)),
        ]);
        let c = compact(&a, 10, 2);
        assert_eq!(c, "a=xxxxxxxxx…, b=line\\nbre…, +1 more");
    }

    #[test]
    fn cut_values_are_recognised() {
        assert!(is_cut(&AttrValue::Str("abc…[truncated 12 bytes]".into())));
        assert!(!is_cut(&AttrValue::Str("…[truncated".into())));
    }
}
