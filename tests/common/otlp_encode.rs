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
    for span in traces.iter().flat_map(|t| t.spans.iter()) {
        let all: Attributes = span.attributes_and_scope().cloned().collect();
        let (scope, attributes) = split_scope(&all);
        let resource = key_values(span.resource());
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
        name: s.operation.to_string(),
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
                name: e.name.to_string(),
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
            key: k.to_string(),
            value: Some(any_value(v)),
        })
        .collect()
}

fn any_value(v: &AttrValue) -> wire::AnyValue {
    use wire::Value;
    let value = match v {
        AttrValue::Str(s) => Value::StringValue(s.to_string()),
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

/// Tempo's v2 JSON answer around `traces` (`{"trace": {"resourceSpans": …}}`), in the OTLP
/// spec encoding: hex ids, enums as numbers, 64-bit integers as strings.
pub fn encode_tempo_json(traces: &[Trace]) -> Vec<u8> {
    use serde_json::json;
    let m = message(traces);
    let kv = |attrs: &[wire::KeyValue]| -> Vec<serde_json::Value> {
        attrs
            .iter()
            .map(|a| json!({"key": a.key, "value": any_json(a.value.as_ref())}))
            .collect()
    };
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    let blocks: Vec<serde_json::Value> = m
        .resource_spans
        .iter()
        .map(|rs| {
            let scopes: Vec<serde_json::Value> = rs
                .scope_spans
                .iter()
                .map(|ss| {
                    let spans: Vec<serde_json::Value> = ss
                        .spans
                        .iter()
                        .map(|s| {
                            let status = s.status.clone().unwrap_or_default();
                            json!({
                                "traceId": hex(&s.trace_id), "spanId": hex(&s.span_id),
                                "parentSpanId": hex(&s.parent_span_id), "name": s.name,
                                "kind": s.kind,
                                "startTimeUnixNano": s.start_time_unix_nano.to_string(),
                                "endTimeUnixNano": s.end_time_unix_nano.to_string(),
                                "attributes": kv(&s.attributes),
                                "events": s.events.iter().map(|e| json!({
                                    "timeUnixNano": e.time_unix_nano.to_string(),
                                    "name": e.name, "attributes": kv(&e.attributes)})).collect::<Vec<_>>(),
                                "links": s.links.iter().map(|l| json!({
                                    "traceId": hex(&l.trace_id), "spanId": hex(&l.span_id)})).collect::<Vec<_>>(),
                                "status": {"code": status.code, "message": status.message},
                            })
                        })
                        .collect();
                    let scope = ss.scope.clone().unwrap_or_default();
                    json!({"scope": {"name": scope.name, "version": scope.version}, "spans": spans})
                })
                .collect();
            let resource = rs.resource.clone().unwrap_or_default();
            json!({"resource": {"attributes": kv(&resource.attributes)}, "scopeSpans": scopes})
        })
        .collect();
    serde_json::to_vec(&json!({"trace": {"resourceSpans": blocks}})).expect("JSON")
}

fn any_json(v: Option<&wire::AnyValue>) -> serde_json::Value {
    use serde_json::json;
    use wire::Value;
    match v.and_then(|v| v.value.as_ref()) {
        None => json!({}),
        Some(Value::StringValue(s)) => json!({ "stringValue": s }),
        Some(Value::BoolValue(b)) => json!({ "boolValue": b }),
        Some(Value::IntValue(i)) => json!({ "intValue": i.to_string() }),
        Some(Value::DoubleValue(d)) => json!({ "doubleValue": d }),
        Some(Value::BytesValue(b)) => {
            json!({ "bytesValue": base64::engine::general_purpose::STANDARD.encode(b) })
        }
        Some(Value::ArrayValue(a)) => json!({"arrayValue": {"values":
            a.values.iter().map(|x| any_json(Some(x))).collect::<Vec<_>>()}}),
        Some(Value::KvlistValue(kv)) => json!({"kvlistValue": {"values":
            kv.values.iter().map(|p| json!({"key": p.key, "value": any_json(p.value.as_ref())})).collect::<Vec<_>>()}}),
    }
}
