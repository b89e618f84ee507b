//! OTLP protobuf: a bare `TracesData` (or `ExportTraceServiceRequest`, the same on the
//! wire), the OpenTelemetry Collector file exporter's `format: proto` files (each message
//! preceded by its length as 4 bytes big-endian), and Tempo's `TraceByIDResponse`.
//!
//! Each `ResourceSpans` is decoded and converted on its own, so the message tree of one
//! block, not of the whole file, is alive next to the model. The mapping to the model is
//! `otlp_mapping`'s, shared with the JSON reader: both give the same spans.

pub mod wire;

use base64::Engine;
use prost::encoding::{decode_key, decode_varint, skip_field, DecodeContext, WireType};
use prost::{DecodeError, Message};

use super::common::{group, map_exact, parent_id, to_hex};
use super::otlp_mapping::{
    apply_resource, apply_scope, kvlist_text, link, missing_span_id, status_code_number, Origins,
};
use crate::error::{Error, Result};
use crate::model::shared_text::shared;
use crate::model::{AttrValue, Attributes, Event, Span, SpanKind, Trace};

/// zstd's frame magic: the file exporter's `compression: zstd`.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];

/// The first byte of a `TracesData` with spans: field 1, length-delimited.
const RESOURCE_SPANS_KEY: u8 = 0x0A;

/// Whether `bytes` are binary rather than text. JSON and CSV never hold control bytes other
/// than tab, CR and LF; a protobuf message has one within its first few bytes (field keys
/// 0x12, 0x1A…, short lengths), so a look at the head decides.
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    let head = bytes.get(..256).unwrap_or(bytes);
    head.iter()
        .any(|&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7F)
        || bytes.starts_with(&ZSTD_MAGIC)
}

/// Decode binary input as OTLP protobuf: file exporter frames or one bare message.
pub(crate) fn decode(bytes: &[u8], what: &str) -> Result<Vec<Trace>> {
    if bytes.starts_with(&ZSTD_MAGIC) {
        return Err(Error::input(
            what,
            "zstd-compressed data (the file exporter's `compression: zstd`): decompress it first (`zstd -d`)",
        ));
    }
    let mut spans = Vec::new();
    if is_length_prefixed(bytes) {
        for (index, frame) in frames(bytes, what)?.into_iter().enumerate() {
            if frame.starts_with(&ZSTD_MAGIC) {
                return Err(Error::input(
                    what,
                    "OTLP protobuf frames compressed with zstd (the file exporter's `compression: zstd`) are not read; export without compression, or as JSON",
                ));
            }
            let at = format!(" in message #{}", index + 1);
            traces_data(frame, &mut spans).map_err(|e| proto_error(what, &e, &at))?;
        }
    } else if bytes.first() == Some(&RESOURCE_SPANS_KEY) {
        traces_data(bytes, &mut spans).map_err(|e| proto_error(what, &e, ""))?;
    } else {
        return Err(Error::input(
            what,
            format!(
                "{}: the input is binary data, neither OTLP protobuf nor gzip",
                super::NOT_RECOGNISED
            ),
        ));
    }
    Ok(group(spans, Vec::new()))
}

/// What Tempo's `/api/v2/traces/<id>` answered in protobuf.
pub(crate) struct TempoAnswer {
    pub traces: Vec<Trace>,
    /// `status: PARTIAL`, with Tempo's message (possibly empty).
    pub partial: Option<String>,
}

/// Decode Tempo's `TraceByIDResponse`.
pub(crate) fn decode_tempo_response(bytes: &[u8], what: &str) -> Result<TempoAnswer> {
    let mut spans = Vec::new();
    let mut partial = false;
    let mut message = String::new();
    let mut buf = bytes;
    let read = (|| -> std::result::Result<(), ReadError> {
        while let Some((tag, field)) = next_field(&mut buf)? {
            match (tag, field) {
                (1, Field::Bytes(trace)) => traces_data(trace, &mut spans)?,
                (3, Field::Varint(status)) => partial = status == 1,
                (4, Field::Bytes(text)) => message = String::from_utf8_lossy(text).into_owned(),
                _ => {}
            }
        }
        Ok(())
    })();
    read.map_err(|e| proto_error(what, &e, ""))?;
    Ok(TempoAnswer {
        traces: group(spans, Vec::new()),
        partial: partial.then_some(message),
    })
}

/// The file exporter's framing: a 4-byte big-endian length, then a message starting with
/// field 1. A bare message starts with that key itself, so the two cannot be confused.
/// A file cut inside its first length still starts with the length's zero high byte.
fn is_length_prefixed(bytes: &[u8]) -> bool {
    match bytes.get(4..) {
        Some(rest) => {
            bytes[0] != RESOURCE_SPANS_KEY
                && (rest.first() == Some(&RESOURCE_SPANS_KEY) || rest.starts_with(&ZSTD_MAGIC))
        }
        None => bytes.first() == Some(&0),
    }
}

fn frames<'a>(bytes: &'a [u8], what: &str) -> Result<Vec<&'a [u8]>> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let cut = |detail: String| {
            Error::input(
                what,
                format!("truncated OTLP protobuf: message #{} {detail}; the file was cut off: export or copy it again", out.len() + 1),
            )
        };
        let Some((len, body)) = rest.split_first_chunk::<4>() else {
            return Err(cut(format!(
                "has only {} of its 4 length bytes",
                rest.len()
            )));
        };
        let len = u32::from_be_bytes(*len) as usize;
        if body.len() < len {
            return Err(cut(format!(
                "declares {len} bytes but only {} follow",
                body.len()
            )));
        }
        let (frame, next) = body.split_at(len);
        out.push(frame);
        rest = next;
    }
    Ok(out)
}

/// A decoding failure: prost's, or a span the model cannot take.
enum ReadError {
    Proto(DecodeError),
    Shape(String),
    /// A field longer than what is left of the input.
    Truncated,
}

impl From<DecodeError> for ReadError {
    fn from(e: DecodeError) -> ReadError {
        ReadError::Proto(e)
    }
}

fn proto_error(what: &str, e: &ReadError, at: &str) -> Error {
    match e {
        ReadError::Shape(m) => Error::input(what, format!("{m}{at}")),
        ReadError::Truncated => Error::input(
            what,
            format!("truncated OTLP protobuf{at} (the input ends in the middle of a message); it was cut off: export or download it again"),
        ),
        ReadError::Proto(e) => {
            let text = e.to_string();
            let text = text
                .strip_prefix("failed to decode Protobuf message: ")
                .unwrap_or(&text);
            if text.contains("buffer underflow") {
                Error::input(
                    what,
                    format!("truncated OTLP protobuf{at} (the input ends in the middle of a message: {text}); it was cut off: export or download it again"),
                )
            } else {
                Error::input(
                    what,
                    format!("malformed OTLP protobuf{at}: {text}; is this an unmodified OTLP export?"),
                )
            }
        }
    }
}

enum Field<'a> {
    Bytes(&'a [u8]),
    Varint(u64),
    Other,
}

/// The next field of a message: its number and value; `None` at the end.
fn next_field<'a>(buf: &mut &'a [u8]) -> std::result::Result<Option<(u32, Field<'a>)>, ReadError> {
    if buf.is_empty() {
        return Ok(None);
    }
    let (tag, wire_type) = decode_key(buf)?;
    let field = match wire_type {
        WireType::LengthDelimited => {
            let len = usize::try_from(decode_varint(buf)?).unwrap_or(usize::MAX);
            if len > buf.len() {
                return Err(ReadError::Truncated);
            }
            let (body, rest) = buf.split_at(len);
            *buf = rest;
            Field::Bytes(body)
        }
        WireType::Varint => Field::Varint(decode_varint(buf)?),
        other => {
            skip_field(other, tag, buf, DecodeContext::default())?;
            Field::Other
        }
    };
    Ok(Some((tag, field)))
}

/// Read a `TracesData` one `ResourceSpans` at a time, appending its spans to `out`.
fn traces_data(bytes: &[u8], out: &mut Vec<Span>) -> std::result::Result<(), ReadError> {
    let mut buf = bytes;
    let mut origins = Origins::default();
    while let Some((tag, field)) = next_field(&mut buf)? {
        if let (1, Field::Bytes(block)) = (tag, field) {
            resource_spans(wire::ResourceSpans::decode(block)?, out, &mut origins)?;
        }
    }
    Ok(())
}

fn resource_spans(
    rs: wire::ResourceSpans,
    out: &mut Vec<Span>,
    origins: &mut Origins,
) -> std::result::Result<(), ReadError> {
    let first = out.len();
    let resource = attributes(rs.resource.map(|r| r.attributes).unwrap_or_default());
    for scope in rs
        .scope_spans
        .into_iter()
        .chain(rs.instrumentation_library_spans)
    {
        let start = out.len();
        out.reserve(scope.spans.len());
        for (index, span) in scope.spans.into_iter().enumerate() {
            out.push(convert(span, index).map_err(ReadError::Shape)?);
        }
        let (name, version) = scope.scope.map(|s| (s.name, s.version)).unzip();
        apply_scope(out.get_mut(start..).unwrap_or_default(), name, version);
    }
    apply_resource(out.get_mut(first..).unwrap_or_default(), &resource, origins);
    Ok(())
}

fn convert(raw: wire::Span, index: usize) -> std::result::Result<Span, String> {
    if raw.span_id.is_empty() {
        return Err(missing_span_id(index));
    }
    let start = nanos(raw.start_time_unix_nano);
    // proto3 has no "absent": an end of 0 is an end not given, as in the JSON reader.
    let end = match raw.end_time_unix_nano {
        0 => start,
        n => nanos(n),
    };
    let trace_id = to_hex(&raw.trace_id);
    let mut span = Span {
        span_id: to_hex(&raw.span_id),
        parent_id: parent_id(to_hex(&raw.parent_span_id)),
        operation: raw.name.into(),
        kind: SpanKind::from_number(i64::from(raw.kind)),
        start_ns: start,
        duration_ns: end.saturating_sub(start),
        attributes: attributes(raw.attributes),
        events: raw
            .events
            .into_iter()
            .map(|e| Event {
                time_ns: nanos(e.time_unix_nano),
                name: e.name.into(),
                attributes: attributes(e.attributes),
            })
            .collect(),
        trace_id,
        ..Span::default()
    };
    span.links.reserve_exact(raw.links.len());
    for l in raw.links {
        if l.span_id.is_empty() {
            continue;
        }
        let trace_id = if l.trace_id.is_empty() {
            span.trace_id.clone()
        } else {
            to_hex(&l.trace_id)
        };
        span.links.push(link(trace_id, to_hex(&l.span_id)));
    }
    if let Some(st) = raw.status {
        span.status.code = status_code_number(i64::from(st.code));
        span.status.message = Some(st.message).filter(|m| !m.is_empty());
    }
    Ok(span)
}

/// Unsigned nanoseconds, saturating as the JSON reader does past year 2262.
fn nanos(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn attributes(raw: Vec<wire::KeyValue>) -> Attributes {
    map_exact(raw, |kv| (shared(&kv.key), any_value(kv.value)))
}

fn any_value(v: Option<wire::AnyValue>) -> AttrValue {
    use wire::Value;
    match v.and_then(|v| v.value) {
        None => AttrValue::Str(Default::default()),
        Some(Value::StringValue(s)) => AttrValue::Str(s.into()),
        Some(Value::BoolValue(b)) => AttrValue::Bool(b),
        Some(Value::IntValue(i)) => AttrValue::Int(i),
        Some(Value::DoubleValue(d)) => AttrValue::Float(d),
        // Base64, as OTLP JSON writes bytes, so both readers agree.
        Some(Value::BytesValue(b)) => {
            AttrValue::Bytes(base64::engine::general_purpose::STANDARD.encode(b).into())
        }
        Some(Value::ArrayValue(a)) => AttrValue::List(map_exact(a.values, |x| any_value(Some(x)))),
        Some(Value::KvlistValue(kv)) => kvlist_text(
            kv.values
                .into_iter()
                .map(|p| (shared(&p.key), any_value(p.value))),
        ),
    }
}
