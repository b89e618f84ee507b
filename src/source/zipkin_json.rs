//! Zipkin v2 JSON: a top-level array of spans (`GET /api/v2/trace/{id}`, zipkin-lens test
//! data). Read field by field from `document.rs`'s array visitor, because an array element is
//! only known to be a Zipkin span (and not a Jaeger trace object) once its keys are seen.
//!
//! Shared client/server span ids are kept as written: the tree index reports them as
//! duplicates, which is what they are.

use std::collections::BTreeMap;

use serde::de::{IgnoredAny, MapAccess};
use serde::Deserialize;

use super::common::{parent_id, us_to_ns, Collected, Scalar};
use crate::model::status::normalize_status;
use crate::model::{normalize_id, AttrValue, Event, Span, SpanKind, StatusCode};

const UNKNOWN_SERVICE: &str = "unknown_service";

#[derive(Deserialize, Default)]
pub(crate) struct Endpoint {
    #[serde(default, rename = "serviceName")]
    service_name: Option<String>,
    #[serde(default)]
    ipv4: Option<String>,
    #[serde(default)]
    ipv6: Option<String>,
}

#[derive(Deserialize)]
struct Annotation {
    #[serde(default)]
    timestamp: Option<i64>,
    #[serde(default)]
    value: Option<String>,
}

/// The fields of one Zipkin span, filled key by key.
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
            "shared" | "debug" => {
                map.next_value::<IgnoredAny>()?;
            }
            _ => {
                map.next_value::<IgnoredAny>()?;
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// Converted Zipkin spans of one array.
#[derive(Default)]
pub(crate) struct Builder {
    spans: Vec<Span>,
}

impl Builder {
    /// Convert one span; `Some(message)` when it cannot be a span.
    pub fn push(&mut self, raw: RawSpan) -> Option<String> {
        let (Some(trace_id), Some(id)) = (raw.trace_id, raw.id) else {
            return Some("Zipkin span without traceId or id".into());
        };
        let local = raw.local.unwrap_or_default();
        let mut span = Span {
            trace_id: normalize_id(&trace_id),
            span_id: normalize_id(&id),
            parent_id: raw.parent_id.and_then(|p| parent_id(normalize_id(&p))),
            operation: raw.name.unwrap_or_default(),
            kind: raw.kind.as_deref().map(SpanKind::parse).unwrap_or_default(),
            start_ns: us_to_ns(raw.timestamp.unwrap_or(0)),
            duration_ns: us_to_ns(raw.duration.unwrap_or(0)),
            service: local
                .service_name
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| UNKNOWN_SERVICE.into()),
            host: local.ipv4.or(local.ipv6),
            ..Span::default()
        };
        if let Some(peer) = raw.remote.and_then(|r| r.service_name) {
            span.attributes
                .push(("peer.service".into(), AttrValue::Str(peer)));
        }
        for (k, v) in raw.tags {
            // Zipkin's `error` tag holds the message (often just "401"), not a boolean.
            if k == "error" {
                span.status.code = StatusCode::Error;
                if !v.is_empty() && !v.eq_ignore_ascii_case("true") {
                    span.status.message = Some(v.clone());
                }
            }
            span.attributes.push((k, AttrValue::Str(v)));
        }
        for a in raw.annotations {
            span.events.push(Event {
                time_ns: us_to_ns(a.timestamp.unwrap_or(0)),
                name: a.value.unwrap_or_default(),
                attributes: Vec::new(),
            });
        }
        normalize_status(&mut span);
        self.spans.push(span);
        None
    }

    pub fn finish(self, out: &mut Collected) {
        out.spans.extend(self.spans);
    }
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
}
