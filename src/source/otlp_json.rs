//! OTLP JSON in all the spellings met in the wild: spec encoding (camelCase, hex ids, enum
//! numbers, int64 as strings), protobuf-JSON marshallers (base64 ids, `SPAN_KIND_*` names,
//! Tempo), snake_case keys with numeric int64 (Grafana test data), and the containers
//! `resourceSpans`/`batches` with `scopeSpans`/`instrumentationLibrarySpans`.
//!
//! The envelopes (`{"result":…}` of Jaeger api_v3, `{"trace":…}` of Tempo v2) are unwrapped by
//! `document.rs`; this file reads what is inside them. As with Jaeger, spans are converted
//! while the array is read; resource and scope may come after their spans in the object, so
//! they are applied to the block's spans when the block ends.

use std::fmt;

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::alongside::{read_and_convert, room_for, Located, Sink};
use super::common::{map_exact, otlp_id, parent_id, Collected, Scalar, Str};
use super::otlp_mapping::{
    apply_resource, apply_scope, kvlist_text, link, missing_span_id, status_code_number,
};
use crate::model::shared_text::shared;
use crate::model::{AttrValue, Attributes, CompactString, Event, Span, SpanKind, StatusCode};

#[path = "otlp_json_direct.rs"]
mod direct;
pub(crate) use direct::read_document;

#[derive(Deserialize)]
struct RawAnyValue<'a> {
    #[serde(default, rename = "stringValue", alias = "string_value", borrow)]
    string_value: Option<Str<'a>>,
    #[serde(default, rename = "intValue", alias = "int_value", borrow)]
    int_value: Option<Scalar<'a>>,
    #[serde(default, rename = "doubleValue", alias = "double_value", borrow)]
    double_value: Option<Scalar<'a>>,
    #[serde(default, rename = "boolValue", alias = "bool_value", borrow)]
    bool_value: Option<Scalar<'a>>,
    #[serde(default, rename = "bytesValue", alias = "bytes_value", borrow)]
    bytes_value: Option<Str<'a>>,
    #[serde(default, rename = "arrayValue", alias = "array_value", borrow)]
    array_value: Option<RawArray<'a>>,
    #[serde(default, rename = "kvlistValue", alias = "kvlist_value", borrow)]
    kvlist_value: Option<RawKvList<'a>>,
}

/// An `AnyValue` reduced to the one field [`any_value`] takes (the first of string, int,
/// double, bool, bytes, array, kvlist), as soon as [`RawAnyValue`] has read it with the
/// same names and errors: each attribute a raw span holds is then a few words rather than
/// seven optional fields, which were copied with the span from parser to converter.
enum AnyValue<'a> {
    Str(Str<'a>),
    Int(Scalar<'a>),
    Double(Scalar<'a>),
    Bool(Scalar<'a>),
    Bytes(Str<'a>),
    Array(Vec<AnyValue<'a>>),
    KvList(Vec<RawKeyValue<'a>>),
    Empty,
}

impl<'a> From<RawAnyValue<'a>> for AnyValue<'a> {
    fn from(v: RawAnyValue<'a>) -> AnyValue<'a> {
        if let Some(s) = v.string_value {
            AnyValue::Str(s)
        } else if let Some(i) = v.int_value {
            AnyValue::Int(i)
        } else if let Some(d) = v.double_value {
            AnyValue::Double(d)
        } else if let Some(b) = v.bool_value {
            AnyValue::Bool(b)
        } else if let Some(b) = v.bytes_value {
            AnyValue::Bytes(b)
        } else if let Some(a) = v.array_value {
            AnyValue::Array(a.values.unwrap_or_default())
        } else if let Some(kv) = v.kvlist_value {
            AnyValue::KvList(kv.values.unwrap_or_default())
        } else {
            AnyValue::Empty
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for AnyValue<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<AnyValue<'a>, D::Error> {
        RawAnyValue::deserialize(d).map(AnyValue::from)
    }
}

/// A scalar reduced as soon as it is read (the raw span keeps the answer, not the scalar):
/// nanoseconds as an integer, when they are one.
struct Nanos(Option<i64>);

impl<'de> Deserialize<'de> for Nanos {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Nanos, D::Error> {
        Scalar::deserialize(d).map(|s| Nanos(s.to_i64()))
    }
}

/// `kind`, reduced as it is read.
struct Kind(SpanKind);

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Kind, D::Error> {
        Scalar::deserialize(d).map(|s| Kind(span_kind(&s)))
    }
}

/// `status.code`, reduced as it is read.
struct Code(StatusCode);

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
        Scalar::deserialize(d).map(|s| Code(status_code(&s)))
    }
}

#[derive(Deserialize)]
struct RawArray<'a> {
    #[serde(default, borrow)]
    values: Option<Vec<AnyValue<'a>>>,
}

#[derive(Deserialize)]
struct RawKvList<'a> {
    #[serde(default, borrow)]
    values: Option<Vec<RawKeyValue<'a>>>,
}

#[derive(Deserialize)]
struct RawKeyValue<'a> {
    #[serde(borrow)]
    key: Str<'a>,
    #[serde(default, borrow)]
    value: Option<AnyValue<'a>>,
}

#[derive(Deserialize)]
struct RawStatus<'a> {
    #[serde(default)]
    code: Option<Code>,
    #[serde(default, borrow)]
    message: Option<Str<'a>>,
}

#[derive(Deserialize)]
struct RawEvent<'a> {
    #[serde(default, rename = "timeUnixNano", alias = "time_unix_nano")]
    time: Option<Nanos>,
    #[serde(default, borrow)]
    name: Option<Str<'a>>,
    #[serde(default, borrow)]
    attributes: Option<Vec<RawKeyValue<'a>>>,
}

#[derive(Deserialize)]
struct RawLink<'a> {
    #[serde(default, rename = "traceId", alias = "trace_id", borrow)]
    trace_id: Option<Str<'a>>,
    #[serde(default, rename = "spanId", alias = "span_id", borrow)]
    span_id: Option<Str<'a>>,
}

#[derive(Deserialize)]
struct RawSpan<'a> {
    #[serde(default, rename = "traceId", alias = "trace_id", borrow)]
    trace_id: Option<Str<'a>>,
    #[serde(default, rename = "spanId", alias = "span_id", borrow)]
    span_id: Option<Str<'a>>,
    #[serde(default, rename = "parentSpanId", alias = "parent_span_id", borrow)]
    parent_span_id: Option<Str<'a>>,
    #[serde(default, borrow)]
    name: Option<Str<'a>>,
    #[serde(default)]
    kind: Option<Kind>,
    #[serde(default, rename = "startTimeUnixNano", alias = "start_time_unix_nano")]
    start: Option<Nanos>,
    #[serde(default, rename = "endTimeUnixNano", alias = "end_time_unix_nano")]
    end: Option<Nanos>,
    #[serde(default, borrow)]
    attributes: Option<Vec<RawKeyValue<'a>>>,
    #[serde(default, borrow)]
    events: Option<Vec<RawEvent<'a>>>,
    #[serde(default, borrow)]
    links: Option<Vec<RawLink<'a>>>,
    #[serde(default, borrow)]
    status: Option<RawStatus<'a>>,
}

impl Located for RawSpan<'_> {
    fn address(&self) -> Option<usize> {
        self.span_id.as_ref().and_then(Str::address)
    }
}

#[derive(Deserialize)]
struct RawResource<'a> {
    #[serde(default, borrow)]
    attributes: Option<Vec<RawKeyValue<'a>>>,
}

#[derive(Deserialize)]
struct RawScope<'a> {
    #[serde(default, borrow)]
    name: Option<Str<'a>>,
    #[serde(default, borrow)]
    version: Option<Str<'a>>,
}

fn any_value(v: Option<AnyValue<'_>>) -> AttrValue {
    match v.unwrap_or(AnyValue::Empty) {
        AnyValue::Str(s) => AttrValue::Str(CompactString::from(s.as_str())),
        AnyValue::Int(i) => i
            .to_i64()
            .map(AttrValue::Int)
            .unwrap_or_else(|| i.to_attr()),
        AnyValue::Double(d) => d
            .to_f64()
            .map(AttrValue::Float)
            .unwrap_or_else(|| d.to_attr()),
        AnyValue::Bool(b) => match b {
            Scalar::Bool(b) => AttrValue::Bool(b),
            Scalar::Str(s) if s.eq_ignore_ascii_case("true") => AttrValue::Bool(true),
            Scalar::Str(s) if s.eq_ignore_ascii_case("false") => AttrValue::Bool(false),
            other => other.to_attr(),
        },
        AnyValue::Bytes(b) => AttrValue::Bytes(CompactString::from(b.as_str())),
        AnyValue::Array(values) => AttrValue::List(map_exact(values, |x| any_value(Some(x)))),
        AnyValue::KvList(values) => kvlist_text(
            values
                .into_iter()
                .map(|p| (shared(p.key.as_str()), any_value(p.value))),
        ),
        AnyValue::Empty => AttrValue::Str(CompactString::default()),
    }
}

fn attributes(raw: Option<Vec<RawKeyValue<'_>>>) -> Attributes {
    map_exact(raw.unwrap_or_default(), |kv| {
        (shared(kv.key.as_str()), any_value(kv.value))
    })
}

/// An enum written as a JSON number (as the spec's JSON writes kinds and status codes),
/// read without making text (this runs twice a span). serde_json hands non-negative numbers
/// over as `u64`; one past `i64`'s range is 0, the unset value its text would also give.
fn enum_number(raw: &Scalar<'_>) -> Option<i64> {
    match raw {
        Scalar::I64(n) => Some(*n),
        Scalar::U64(n) => Some(i64::try_from(*n).unwrap_or(0)),
        _ => None,
    }
}

/// `kind` as a number (spec) or a `SPAN_KIND_*` name (protobuf-JSON).
fn span_kind(raw: &Scalar<'_>) -> SpanKind {
    if let Some(n) = enum_number(raw) {
        return SpanKind::from_number(n);
    }
    match raw {
        Scalar::Str(s) => SpanKind::parse(s),
        other => SpanKind::parse(&other.to_text()),
    }
}

fn status_code(raw: &Scalar<'_>) -> StatusCode {
    if let Some(n) = enum_number(raw) {
        return status_code_number(n);
    }
    let t = raw.to_text().to_ascii_uppercase();
    match t.strip_prefix("STATUS_CODE_").unwrap_or(&t) {
        "OK" => StatusCode::Ok,
        "ERROR" => StatusCode::Error,
        n => status_code_number(n.parse().unwrap_or(0)),
    }
}

/// What makes a span unreadable, checked while the array is read.
fn check(raw: &RawSpan<'_>, index: usize) -> Result<(), String> {
    match &raw.span_id {
        Some(id) if !id.as_str().trim().is_empty() => Ok(()),
        _ => Err(missing_span_id(index)),
    }
}

/// Convert a span [`check`] accepted (its scope and resource are applied to its block's
/// spans once the block is read).
fn convert(raw: RawSpan<'_>) -> Span {
    let start = raw.start.and_then(|n| n.0).unwrap_or(0);
    let end = raw.end.and_then(|n| n.0).unwrap_or(start);
    let mut span = Span {
        span_id: raw
            .span_id
            .as_ref()
            .map(|id| otlp_id(id.as_str()))
            .unwrap_or_default(),
        trace_id: raw
            .trace_id
            .as_ref()
            .map(|t| otlp_id(t.as_str()))
            .unwrap_or_default(),
        parent_id: raw
            .parent_span_id
            .and_then(|p| parent_id(otlp_id(p.as_str()))),
        operation: raw
            .name
            .map(|n| CompactString::from(n.as_str()))
            .unwrap_or_default(),
        kind: raw.kind.map(|k| k.0).unwrap_or_default(),
        start_ns: start,
        duration_ns: end.saturating_sub(start),
        attributes: attributes(raw.attributes),
        events: raw
            .events
            .unwrap_or_default()
            .into_iter()
            .map(|e| Event {
                time_ns: e.time.and_then(|n| n.0).unwrap_or(0),
                name: e
                    .name
                    .map(|n| CompactString::from(n.as_str()))
                    .unwrap_or_default(),
                attributes: attributes(e.attributes),
            })
            .collect(),
        ..Span::default()
    };
    let links = raw.links.unwrap_or_default();
    span.links.reserve_exact(links.len());
    for l in links {
        let Some(span_id) = l.span_id else { continue };
        let trace_id = l
            .trace_id
            .map(|t| otlp_id(t.as_str()))
            .unwrap_or_else(|| span.trace_id.clone());
        span.links.push(link(trace_id, otlp_id(span_id.as_str())));
    }
    if let Some(st) = raw.status {
        span.status.code = st.code.map(|c| c.0).unwrap_or_default();
        span.status.message = st
            .message
            .map(|m| m.0.into_owned())
            .filter(|m| !m.is_empty());
    }
    span
}

/// `resourceSpans` / `resource_spans` / `batches`: an array of resource blocks.
pub(crate) struct ResourceSpansSeed<'c>(pub &'c mut Collected);

impl<'de> DeserializeSeed<'de> for ResourceSpansSeed<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ResourceSpansSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an OTLP `resourceSpans` array")
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(ResourceSeed(&mut *self.0))?.is_some() {}
        Ok(())
    }
}

/// One resource block: `resource` plus its scope blocks.
struct ResourceSeed<'c>(&'c mut Collected);

impl<'de> DeserializeSeed<'de> for ResourceSeed<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ResourceSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an OTLP resource spans object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let first = self.0.spans.len();
        let mut resource: Attributes = Vec::new();
        while let Some(key) = map.next_key::<Str>()? {
            match key.as_str() {
                "resource" => {
                    let r: Option<RawResource> = map.next_value()?;
                    resource = attributes(r.and_then(|r| r.attributes));
                }
                "scopeSpans"
                | "scope_spans"
                | "instrumentationLibrarySpans"
                | "instrumentation_library_spans" => {
                    map.next_value_seed(ScopeListSeed(&mut self.0.spans))?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let out = &mut *self.0;
        let spans = out.spans.get_mut(first..).unwrap_or_default();
        apply_resource(spans, &resource, &mut out.origins);
        Ok(())
    }
}

/// `scopeSpans`: an array of scope blocks.
struct ScopeListSeed<'c>(&'c mut Vec<Span>);

impl<'de> DeserializeSeed<'de> for ScopeListSeed<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ScopeListSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an OTLP `scopeSpans` array")
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(ScopeSeed(&mut *self.0))?.is_some() {}
        Ok(())
    }
}

/// One scope block: `scope` (or `instrumentationLibrary`) and `spans`.
struct ScopeSeed<'c>(&'c mut Vec<Span>);

impl<'de> DeserializeSeed<'de> for ScopeSeed<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ScopeSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an OTLP scope spans object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let first = self.0.len();
        let mut scope_name = None;
        let mut scope_version = None;
        while let Some(key) = map.next_key::<Str>()? {
            match key.as_str() {
                "scope" | "instrumentationLibrary" | "instrumentation_library" => {
                    if let Some(s) = map.next_value::<Option<RawScope>>()? {
                        scope_name = s.name.map(|n| n.0.into_owned());
                        scope_version = s.version.map(|n| n.0.into_owned());
                    }
                }
                "spans" => map.next_value_seed(SpanListSeed(&mut *self.0))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        // The scope as finally read: it may have come after its spans, or twice.
        let spans = self.0.get_mut(first..).unwrap_or_default();
        apply_scope(spans, scope_name, scope_version);
        Ok(())
    }
}

/// The `spans` array of a scope block.
struct SpanListSeed<'c>(&'c mut Vec<Span>);

impl<'de> DeserializeSeed<'de> for SpanListSeed<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for SpanListSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an OTLP `spans` array")
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        read_and_convert(seq, check, &mut ScopeSink(self.0))
    }
}

/// The spans of a scope block.
struct ScopeSink<'c>(&'c mut Vec<Span>);

impl<'de> Sink<RawSpan<'de>> for ScopeSink<'_> {
    fn expect(&mut self, more: usize) {
        room_for(self.0, more);
    }

    fn take(&mut self, raw: RawSpan<'de>) {
        self.0.push(convert(raw));
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{AttrValue, SpanKind, StatusCode};
    fn decode(bytes: &[u8], what: &str) -> crate::error::Result<Vec<crate::model::Trace>> {
        crate::source::decode(bytes, what, &crate::source::Limits::default())
    }

    fn spans(json: &str) -> Vec<crate::model::Span> {
        decode(json.as_bytes(), "test")
            .expect("decodes")
            .into_iter()
            .flat_map(|t| t.spans.to_vec())
            .collect()
    }

    #[test]
    fn spec_encoding() {
        let s = spans(
            r#"{"resourceSpans":[{"scopeSpans":[{"scope":{"name":"lib"},"spans":[
              {"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174","parentSpanId":"",
               "name":"op","kind":2,"startTimeUnixNano":"1000","endTimeUnixNano":"3000",
               "status":{"code":2,"message":"boom"},
               "attributes":[{"key":"i","value":{"intValue":"12"}},{"key":"d","value":{"doubleValue":1.5}},
                             {"key":"b","value":{"boolValue":true}},{"key":"x","value":{"bytesValue":"AAE="}},
                             {"key":"a","value":{"arrayValue":{"values":[{"stringValue":"p"},{"intValue":3}]}}},
                             {"key":"m","value":{"kvlistValue":{"values":[{"key":"k","value":{"stringValue":"v"}}]}}}]}
            ]}],"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}},
                                           {"key":"host.name","value":{"stringValue":"h"}}]}}]}"#,
        );
        let s = &s[0];
        assert_eq!(s.trace_id, "5b8efff798038103d269b633813fc60c");
        assert_eq!(s.span_id, "eee19b7ec3c1b174");
        assert_eq!(s.parent_id, None);
        assert_eq!(s.kind, SpanKind::Server);
        assert_eq!(s.duration_ns, 2000);
        assert_eq!(s.status.code, StatusCode::Error);
        assert_eq!(s.status.message.as_deref(), Some("boom"));
        assert_eq!(s.service, "svc", "resource after scopeSpans still applies");
        assert_eq!(s.host.as_deref(), Some("h"));
        assert_eq!(s.attr("i"), Some(&AttrValue::Int(12)));
        assert_eq!(s.attr("d"), Some(&AttrValue::Float(1.5)));
        assert_eq!(s.attr("b"), Some(&AttrValue::Bool(true)));
        assert_eq!(s.attr("x"), Some(&AttrValue::Bytes("AAE=".into())));
        assert_eq!(
            s.attr("a"),
            Some(&AttrValue::List(vec![
                AttrValue::Str("p".into()),
                AttrValue::Int(3)
            ]))
        );
        assert_eq!(s.attr("m"), Some(&AttrValue::Str("{k=v}".into())));
        assert_eq!(
            s.attr("otel.scope.name"),
            Some(&AttrValue::Str("lib".into()))
        );
        assert_eq!(s.attr("service.name"), Some(&AttrValue::Str("svc".into())));
    }

    #[test]
    fn scope_attributes_follow_the_last_scope_wherever_it_is() {
        let block = |body: &str| {
            spans(&format!(
                r#"{{"resourceSpans":[{{"scopeSpans":[{{{body}}}]}}]}}"#
            ))
        };
        let span = r#"{"traceId":"aa","spanId":"01","name":"a","attributes":[{"key":"k","value":{"stringValue":"v"}}]}"#;
        let keys = |s: &crate::model::Span| {
            s.attributes_and_scope()
                .map(|(k, v)| format!("{k}={}", v.as_text()))
                .collect::<Vec<_>>()
        };
        let want = vec!["k=v", "otel.scope.name=lib", "otel.scope.version=2"];
        for body in [
            format!(r#""scope":{{"name":"lib","version":"2"}},"spans":[{span}]"#),
            format!(r#""spans":[{span}],"scope":{{"name":"lib","version":"2"}}"#),
            format!(
                r#""scope":{{"name":"old"}},"spans":[{span}],"scope":{{"name":"lib","version":"2"}}"#
            ),
        ] {
            let s = block(&body);
            assert_eq!(keys(&s[0]), want, "{body}");
        }
        let s = block(&format!(
            r#""scope":{{"name":"lib"}},"spans":[{span}],"scope":{{"name":""}}"#
        ));
        assert_eq!(keys(&s[0]), vec!["k=v"]);
    }

    #[test]
    fn tempo_protobuf_json_and_snake_case() {
        let s = spans(
            r#"{"batches":[{"resource":{"attributes":[]},"instrumentationLibrarySpans":[{"spans":[
              {"traceId":"O6VWCcPN5JZJzXfR+dzZNg==","spanId":"Sc130fnc2TY=","parentSpanId":"AAAAAAAAAAE=",
               "kind":"SPAN_KIND_CLIENT","startTimeUnixNano":"10","endTimeUnixNano":"20",
               "status":{"code":"STATUS_CODE_ERROR"}}]}]},
              {"resource_spans_ignored":1,"scope_spans":[{"spans":[
              {"trace_id":"3BA55609C3CDE49649CD77D1F9DCD936","span_id":"0000000000000001",
               "start_time_unix_nano":10,"end_time_unix_nano":15,"kind":"SPAN_KIND_SERVER","status":{}}]}]}]}"#,
        );
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].trace_id, "3ba55609c3cde49649cd77d1f9dcd936");
        assert_eq!(s[0].span_id, "49cd77d1f9dcd936");
        assert_eq!(s[0].parent_id.as_deref(), Some("0000000000000001"));
        assert_eq!(s[0].kind, SpanKind::Client);
        assert_eq!(s[0].status.code, StatusCode::Error);
        assert_eq!(s[0].service, "unknown_service");
        assert_eq!(s[1].trace_id, s[0].trace_id);
        assert_eq!(s[1].duration_ns, 5);
        assert_eq!(s[1].kind, SpanKind::Server);
        assert_eq!(s[1].status.code, StatusCode::Unset);
    }

    #[test]
    fn envelopes_and_partial() {
        let t = decode(
            br#"{"trace":{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"01","spanId":"02"}]}]}]},
                 "status":"PARTIAL","message":"too big"}"#,
            "x",
        )
        .unwrap();
        assert_eq!(t[0].warnings, vec!["trace is partial: too big".to_string()]);
        let t = decode(br#"{"result":{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"01","spanId":"02","status":{"code":"STATUS_CODE_OK"}}]}]}]}}"#, "x").unwrap();
        assert_eq!(t[0].spans[0].status.code, StatusCode::Ok);
    }

    #[test]
    fn groups_several_traces() {
        let t = decode(
            br#"{"resourceSpans":[{"scopeSpans":[{"spans":[
              {"traceId":"bb","spanId":"1"},{"traceId":"aa","spanId":"2"},{"traceId":"bb","spanId":"3"}]}]}]}"#,
            "x",
        )
        .unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].id, "aa");
        assert_eq!(
            t[1].spans
                .iter()
                .map(|s| s.span_id.as_str())
                .collect::<Vec<_>>(),
            ["1", "3"]
        );
    }

    #[test]
    fn json_lines() {
        let line =
            r#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"aa","spanId":"1"}]}]}]}"#;
        let line2 = line.replace("\"1\"", "\"2\"");
        let t = decode(format!("{line}\n{line2}\n").as_bytes(), "x").unwrap();
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].spans.len(), 2);
    }

    #[test]
    fn blocks_alike_share_one_origin_across_lines() {
        let block = |svc: &str, scope: &str, id: u32| {
            format!(
                r#"{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"{svc}"}}}}]}},"scopeSpans":[{{"scope":{{"name":"{scope}"}},"spans":[{{"traceId":"aa","spanId":"{id:02}"}}]}}]}}"#
            )
        };
        let line = |blocks: [String; 2]| format!(r#"{{"resourceSpans":[{}]}}"#, blocks.join(","));
        let text = [
            line([block("a", "lib", 1), block("b", "lib", 2)]),
            line([block("a", "lib", 3), block("a", "other", 4)]),
        ]
        .join("\n");
        let t = decode(text.as_bytes(), "x").unwrap();
        let by_id = |id: &str| {
            let s = t[0].spans.iter().find(|s| s.span_id == id).expect("span");
            (s.service.to_string(), std::sync::Arc::clone(&s.origin))
        };
        let (a1, b2, a3, a4) = (by_id("01"), by_id("02"), by_id("03"), by_id("04"));
        assert_eq!(
            (a1.0.as_str(), b2.0.as_str(), a4.0.as_str()),
            ("a", "b", "a")
        );
        assert!(
            std::sync::Arc::ptr_eq(&a1.1, &a3.1),
            "same resource and scope"
        );
        assert!(!std::sync::Arc::ptr_eq(&a1.1, &b2.1), "another resource");
        assert!(!std::sync::Arc::ptr_eq(&a1.1, &a4.1), "another scope");
        let scope = |o: &crate::model::Origin| o.scope[0].1.as_text();
        assert_eq!((scope(&a1.1), scope(&a4.1)), ("lib".into(), "other".into()));
    }
}
