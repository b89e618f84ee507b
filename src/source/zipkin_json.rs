//! Zipkin JSON: a top-level array of spans (`GET /api/v2/trace/{id}`, zipkin-lens test data),
//! an array of such arrays (`GET /api/v2/traces`), or one span object; v2 spans
//! (`localEndpoint`, `kind`, `tags`) and v1 spans (`annotations` with endpoints,
//! `binaryAnnotations`, see `zipkin_v1.rs`) alike. Read field by field from `document.rs`'s
//! visitors, because an element is only known to be a Zipkin span (and not a Jaeger trace
//! object) once its keys are seen.
//!
//! Spans are gathered in Zipkin's own v2 shape first and cleaned the way Zipkin's UI does
//! (`zipkin_clean.rs`: fragments merged, shared client/server ids split, spans without a
//! timestamp placed) before they become model spans.

use std::collections::BTreeMap;

use serde::de::{IgnoredAny, MapAccess};

use super::common::{parent_id, us_to_ns, Collected, Scalar};
use super::zipkin_clean;
use super::zipkin_span::{Annotation, Endpoint, ZSpan};
use super::zipkin_v1::{self, BinaryAnnotation};
use crate::model::status::normalize_status;
use crate::model::{
    normalize_id, normalized_id, AttrValue, CompactString, Event, Span, SpanKind, StatusCode,
};

const UNKNOWN_SERVICE: &str = "unknown_service";

/// The fields of one Zipkin span object, filled key by key.
#[derive(Default)]
pub(crate) struct RawSpan {
    trace_id: Option<String>,
    id: Option<String>,
    parent_id: Option<String>,
    name: Option<String>,
    kind: Option<String>,
    timestamp: Option<i64>,
    duration: Option<i64>,
    local: Option<Endpoint>,
    remote: Option<Endpoint>,
    tags: Vec<(String, String)>,
    annotations: Vec<Annotation>,
    binary_annotations: Option<Vec<BinaryAnnotation>>,
    shared: bool,
}

impl RawSpan {
    /// Read the value of `key`; false (value skipped) when the key is not a Zipkin span field.
    pub fn read_value<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error> {
        let int = |s: Option<Scalar>| s.and_then(|s| s.to_i64());
        match key {
            "traceId" => self.trace_id = map.next_value::<Option<String>>()?,
            "id" => self.id = map.next_value::<Option<String>>()?,
            "parentId" => self.parent_id = map.next_value::<Option<String>>()?,
            "name" => self.name = map.next_value::<Option<String>>()?,
            "kind" => self.kind = map.next_value::<Option<String>>()?,
            "timestamp" => self.timestamp = int(map.next_value::<Option<Scalar>>()?),
            "duration" => self.duration = int(map.next_value::<Option<Scalar>>()?),
            "localEndpoint" => self.local = map.next_value::<Option<Endpoint>>()?,
            "remoteEndpoint" => self.remote = map.next_value::<Option<Endpoint>>()?,
            "tags" => {
                let tags: Option<BTreeMap<String, Scalar>> = map.next_value()?;
                // BTreeMap sorts the keys; Zipkin tags are a JSON object, so there is no
                // meaningful source order to lose.
                self.tags = tags
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(k, v)| (k, v.to_text()))
                    .collect();
            }
            "annotations" => {
                self.annotations = map
                    .next_value::<Option<Vec<Annotation>>>()?
                    .unwrap_or_default()
            }
            "binaryAnnotations" => {
                self.binary_annotations = Some(
                    map.next_value::<Option<Vec<BinaryAnnotation>>>()?
                        .unwrap_or_default(),
                )
            }
            "shared" => self.shared = map.next_value::<Option<bool>>()?.unwrap_or(false),
            "debug" | "traceIdHigh" => {
                map.next_value::<IgnoredAny>()?;
            }
            _ => {
                map.next_value::<IgnoredAny>()?;
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// A span from the fields of a lone JSON object (see `document.rs`).
    pub fn from_fields(
        fields: serde_json::Map<String, serde_json::Value>,
    ) -> Result<RawSpan, serde_json::Error> {
        use serde::de::Deserializer;
        struct Fields;
        impl<'de> serde::de::Visitor<'de> for Fields {
            type Value = RawSpan;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a Zipkin span")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawSpan, A::Error> {
                let mut raw = RawSpan::default();
                while let Some(key) = map.next_key::<String>()? {
                    raw.read_value(&key, &mut map)?;
                }
                Ok(raw)
            }
        }
        serde_json::Value::Object(fields).deserialize_map(Fields)
    }

    /// Whether the span is v1: `binaryAnnotations`, or annotations that name their endpoint,
    /// and no v2 `localEndpoint`.
    fn is_v1(&self) -> bool {
        self.local.is_none()
            && (self.binary_annotations.is_some()
                || self.annotations.iter().any(|a| a.endpoint.is_some()))
    }
}

/// Whether `key` is a field of a Zipkin span (v1 or v2).
pub(crate) fn is_span_key(key: &str) -> bool {
    matches!(
        key,
        "traceId"
            | "id"
            | "parentId"
            | "name"
            | "kind"
            | "timestamp"
            | "duration"
            | "localEndpoint"
            | "remoteEndpoint"
            | "tags"
            | "annotations"
            | "binaryAnnotations"
            | "shared"
            | "debug"
            | "traceIdHigh"
    )
}

/// Zipkin spans of one input, cleaned and converted at the end.
#[derive(Default)]
pub(crate) struct Builder {
    spans: Vec<ZSpan>,
}

impl Builder {
    /// Take the spans `later` read from input that follows this builder's.
    pub fn append(&mut self, later: Builder) {
        let shift = self.spans.len();
        self.spans.extend(later.spans.into_iter().map(|mut s| {
            s.order += shift;
            s
        }));
    }

    /// Take one span; `Some(message)` when it cannot be a span.
    pub fn push(&mut self, raw: RawSpan) -> Option<String> {
        let (Some(trace_id), Some(id)) = (raw.trace_id.clone(), raw.id.clone()) else {
            return Some("Zipkin span without traceId or id".into());
        };
        let order = self.spans.len();
        if raw.is_v1() {
            let v1 = zipkin_v1::V1Span {
                trace_id: normalize_id(&trace_id),
                id: normalize_id(&id),
                parent_id: raw
                    .parent_id
                    .and_then(|p| parent_id(normalized_id(&p)))
                    .map(String::from),
                name: raw.name,
                timestamp: raw.timestamp.filter(|t| *t != 0),
                duration: raw.duration.filter(|d| *d != 0),
                annotations: raw.annotations,
                binary_annotations: raw.binary_annotations.unwrap_or_default(),
            };
            for (k, mut span) in zipkin_v1::convert(v1).into_iter().enumerate() {
                span.order = order + k;
                self.spans.push(span);
            }
            return None;
        }
        let annotations = raw
            .annotations
            .iter()
            .map(|a| (a.micros().unwrap_or(0), a.value.clone().unwrap_or_default()))
            .collect();
        self.spans.push(ZSpan {
            trace_id: normalize_id(&trace_id),
            id: normalize_id(&id),
            parent_id: raw
                .parent_id
                .and_then(|p| parent_id(normalized_id(&p)))
                .map(String::from),
            name: raw.name,
            kind: raw
                .kind
                .as_deref()
                .map(SpanKind::parse)
                .filter(|k| *k != SpanKind::Unspecified),
            // Zipkin treats 0 as "not set" (`if (span.timestamp)` in zipkin-lens).
            timestamp: raw.timestamp.filter(|t| *t != 0),
            duration: raw.duration.filter(|d| *d != 0),
            local: raw.local.unwrap_or_default(),
            remote: raw.remote.unwrap_or_default(),
            tags: raw.tags,
            annotations,
            shared: raw.shared,
            order,
            placed_from: None,
        });
        None
    }

    pub fn finish(self, out: &mut Collected) {
        let cleaned = zipkin_clean::clean(self.spans);
        out.spans.extend(cleaned.into_iter().map(to_model));
    }
}

/// A cleaned Zipkin span as a model span.
fn to_model(z: ZSpan) -> Span {
    let mut span = Span {
        trace_id: z.trace_id.into(),
        span_id: z.id.into(),
        parent_id: z.parent_id.map(CompactString::from),
        operation: z.name.unwrap_or_default().into(),
        kind: z.kind.unwrap_or_default(),
        start_ns: us_to_ns(z.timestamp.unwrap_or(0)),
        duration_ns: us_to_ns(z.duration.unwrap_or(0)),
        service: z
            .local
            .service()
            .map(CompactString::from)
            .unwrap_or_else(|| UNKNOWN_SERVICE.into()),
        host: z
            .local
            .ipv4
            .as_deref()
            .or(z.local.ipv6.as_deref())
            .map(CompactString::from),
        ..Span::default()
    };
    let remote = z.remote;
    if let Some(peer) = remote.service() {
        span.attributes
            .push(("peer.service".into(), AttrValue::Str(peer.into())));
    }
    if let Some(ip) = remote.ipv4.or(remote.ipv6) {
        span.attributes
            .push(("net.peer.ip".into(), AttrValue::Str(ip.into())));
    }
    if let Some(port) = remote.port {
        span.attributes
            .push(("net.peer.port".into(), AttrValue::Int(port)));
    }
    for (k, v) in z.tags {
        // Zipkin's `error` tag holds the message (often just "401"), not a boolean.
        if k == "error" {
            span.status.code = StatusCode::Error;
            if !v.is_empty() && !v.eq_ignore_ascii_case("true") {
                span.status.message = Some(v.clone());
            }
        }
        span.attributes.push((k.into(), AttrValue::Str(v.into())));
    }
    if z.duration.is_none() {
        span.attributes.push((
            crate::model::integrity::NO_DURATION_ATTR.into(),
            AttrValue::Bool(true),
        ));
    }
    if let Some(from) = z.placed_from {
        span.attributes.push((
            crate::model::integrity::PLACED_FROM_ATTR.into(),
            AttrValue::Str(from.into()),
        ));
    }
    for (ts, name) in z.annotations {
        span.events.push(Event {
            time_ns: us_to_ns(ts),
            name: name.into(),
            attributes: Vec::new(),
        });
    }
    normalize_status(&mut span);
    span
}

#[cfg(test)]
mod tests {
    use crate::model::{SpanKind, StatusCode};
    fn decode(bytes: &[u8], what: &str) -> crate::error::Result<Vec<crate::model::Trace>> {
        crate::source::decode(bytes, what, &crate::source::Limits::default())
    }

    #[test]
    fn reads_zipkin_v2() {
        let t = decode(
            br#"[{"traceId":"1e223ff1f80f1c69","id":"74280ae0c10d8062","parentId":"bf396325699c84bf","kind":"SERVER",
                  "name":"post","timestamp":10,"duration":5,"localEndpoint":{"serviceName":"b","ipv4":"1.2.3.4"},
                  "tags":{"error":"401","http.path":"/x"},"shared":true,
                  "annotations":[{"timestamp":11,"value":"ws"}]}]"#,
            "x",
        )
        .unwrap();
        let s = &t[0].spans[0];
        assert_eq!(s.kind, SpanKind::Server);
        assert_eq!(s.service, "b");
        assert_eq!(s.host.as_deref(), Some("1.2.3.4"));
        assert_eq!(s.status.code, StatusCode::Error);
        assert_eq!(s.status.message.as_deref(), Some("401"));
        assert_eq!(s.duration_ns, 5000);
        assert_eq!(s.events[0].name, "ws");
    }

    #[test]
    fn reads_an_array_of_traces_and_a_single_span() {
        let t = decode(
            br#"[[{"traceId":"a","id":"1","name":"x","timestamp":10,"duration":5,"localEndpoint":{"serviceName":"s"}}],
                 [{"traceId":"b","id":"2","name":"y","timestamp":20,"duration":5,"localEndpoint":{"serviceName":"s"}}]]"#,
            "x",
        )
        .unwrap();
        assert_eq!(t.len(), 2);
        let t = decode(
            br#"{"traceId":"a","id":"1","name":"x","timestamp":10,"duration":5,"localEndpoint":{"serviceName":"s"}}"#,
            "x",
        )
        .unwrap();
        assert_eq!(t[0].spans[0].operation, "x");
    }

    /// JSON Lines: the client half on one line, the server half on the next.
    #[test]
    fn halves_on_separate_lines_are_paired() {
        let t = decode(
            br#"{"traceId":"a","id":"1","kind":"CLIENT","name":"x","timestamp":10,"duration":9,"localEndpoint":{"serviceName":"c"}}
{"traceId":"a","id":"1","kind":"SERVER","name":"x","timestamp":11,"duration":5,"localEndpoint":{"serviceName":"s"},"shared":true}"#,
            "x",
        )
        .unwrap();
        let ids: Vec<&str> = t[0].spans.iter().map(|s| s.span_id.as_str()).collect();
        assert_eq!(ids, ["1", "1.server"]);
    }
}
