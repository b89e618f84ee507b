//! Model traces written as OTLP protobuf with the library's own message definitions, so a
//! trace read from JSON can be read back from protobuf and compared (shared by
//! `tests/otlp_protobuf.rs` and `benches/otlp_protobuf.rs` through `#[path]`).

use base64::Engine;
use prost::Message;
use tracediag::model::{AttrValue, Attributes, Span, SpanKind, StatusCode, Trace};
use tracediag::source::otlp_proto::wire;

/// `TracesData` bytes for `traces`: consecutive spans with the same resource and scope
/// share one block, as an SDK batches them.
pub fn encode(traces: &[Trace]) -> Vec<u8> {
    message(traces).encode_to_vec()
}

/// The same, framed as the Collector's file exporter writes `format: proto`: each
/// message (one per trace here) preceded by its length, 4 bytes big-endian.
pub fn encode_framed(traces: &[Trace]) -> Vec<u8> {
    let mut out = Vec::new();
    for t in traces {
        let m = message(std::slice::from_ref(t)).encode_to_vec();
        out.extend_from_slice(&(m.len() as u32).to_be_bytes());
        out.extend_from_slice(&m);
    }
    out
}

/// Tempo's `TraceByIDResponse` around `traces`; `partial` sets `status: PARTIAL`.
pub fn encode_tempo(traces: &[Trace], partial: Option<&str>) -> Vec<u8> {
    wire::TraceByIdResponse {
        trace: Some(message(traces)),
        status: i32::from(partial.is_some()),
        message: partial.unwrap_or_default().to_string(),
    }
    .encode_to_vec()
}

fn message(traces: &[Trace]) -> wire::TracesData {
    let mut out = wire::TracesData::default();
    for span in traces.iter().flat_map(|t| &t.spans) {
        let (scope, attributes) = split_scope(&span.attributes);
        let resource = key_values(&span.resource);
        let same = out.resource_spans.last().is_some_and(|rs| {
            rs.resource.as_ref().map(|r| &r.attributes) == Some(&resource)
                && rs.scope_spans.last().and_then(|s| s.scope.as_ref()) == scope.as_ref()
        });
        if !same {
            out.resource_spans.push(wire::ResourceSpans {
                resource: Some(wire::Resource {
                    attributes: resource,
                }),
                scope_spans: vec![wire::ScopeSpans {
                    scope: scope.clone(),
                    spans: Vec::new(),
                }],
                instrumentation_library_spans: Vec::new(),
            });
        }
        let block = out.resource_spans.last_mut().expect("pushed");
        block.scope_spans[0]
            .spans
            .push(span_message(span, attributes));
    }
    out
}

/// The `otel.scope.*` attributes the readers add, taken back out into a scope.
fn split_scope(attrs: &Attributes) -> (Option<wire::InstrumentationScope>, Vec<wire::KeyValue>) {
    let text = |k: &str| {
        attrs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_text())
    };
    let (name, version) = (text("otel.scope.name"), text("otel.scope.version"));
    let scope = (name.is_some() || version.is_some()).then(|| wire::InstrumentationScope {
        name: name.unwrap_or_default(),
        version: version.unwrap_or_default(),
    });
    let rest: Attributes = attrs
        .iter()
        .filter(|(k, _)| k != "otel.scope.name" && k != "otel.scope.version")
        .cloned()
        .collect();
    (scope, key_values(&rest))
}

fn span_message(s: &Span, attributes: Vec<wire::KeyValue>) -> wire::Span {
    wire::Span {
        trace_id: id_bytes(&s.trace_id),
        span_id: id_bytes(&s.span_id),
        parent_span_id: s.parent_id.as_deref().map(id_bytes).unwrap_or_default(),
        name: s.operation.clone(),
        kind: match s.kind {
            SpanKind::Unspecified => 0,
            SpanKind::Internal => 1,
            SpanKind::Server => 2,
            SpanKind::Client => 3,
            SpanKind::Producer => 4,
            SpanKind::Consumer => 5,
        },
        start_time_unix_nano: s.start_ns as u64,
        end_time_unix_nano: s.end_ns() as u64,
        attributes,
        events: s
            .events
            .iter()
            .map(|e| wire::Event {
                time_unix_nano: e.time_ns as u64,
                name: e.name.clone(),
                attributes: key_values(&e.attributes),
            })
            .collect(),
        links: s
            .links
            .iter()
            .map(|l| wire::Link {
                trace_id: id_bytes(&l.trace_id),
                span_id: id_bytes(&l.span_id),
            })
            .collect(),
        status: Some(wire::Status {
            message: s.status.message.clone().unwrap_or_default(),
            code: match s.status.code {
                StatusCode::Unset => 0,
                StatusCode::Ok => 1,
                StatusCode::Error => 2,
            },
        }),
    }
}

fn id_bytes(hex: &str) -> Vec<u8> {
    (0..hex.len() / 2)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("hex id"))
        .collect()
}

fn key_values(attrs: &Attributes) -> Vec<wire::KeyValue> {
    attrs
        .iter()
        .map(|(k, v)| wire::KeyValue {
            key: k.clone(),
            value: Some(any_value(v)),
        })
        .collect()
}

fn any_value(v: &AttrValue) -> wire::AnyValue {
    use wire::Value;
    let value = match v {
        AttrValue::Str(s) => Value::StringValue(s.clone()),
        AttrValue::Bool(b) => Value::BoolValue(*b),
        AttrValue::Int(i) => Value::IntValue(*i),
        AttrValue::Float(f) => Value::DoubleValue(*f),
        AttrValue::Bytes(b) => Value::BytesValue(
            base64::engine::general_purpose::STANDARD
                .decode(b)
                .expect("base64 bytes"),
        ),
        AttrValue::List(items) => Value::ArrayValue(wire::ArrayValue {
            values: items.iter().map(any_value).collect(),
        }),
    };
    wire::AnyValue { value: Some(value) }
}
