//! JSON input: one pass over each top-level value, dispatching every key to the reader that
//! owns it. Sniffing the format first would parse a 40 MB document twice; the formats' top
//! level keys do not collide (`data`/`traceID`/`spans` are Jaeger, `resourceSpans`/`batches`
//! OTLP, `result`/`trace` wrap OTLP), so a single visitor can read them all.
//!
//! Several top-level values one after another are JSON Lines (OpenTelemetry Collector file
//! exporter): each is read the same way and their spans are pooled.

use std::fmt;

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::common::{expected_more, group, move_onto, Collected, Scalar, Str};
use super::file_bytes::as_text;
use super::jaeger_json::{DataSeed, RawError, TraceBuilder};
use super::json_lines;
use super::otlp_json::{self, ResourceSpansSeed};
use super::zipkin_json;
use super::NOT_RECOGNISED;
use crate::error::{Error, Result};
use crate::model::Trace;

/// What one top-level value turned out to be.
#[derive(Debug, Default)]
struct DocInfo {
    /// A trace container was present (even if empty).
    trace_like: bool,
    /// Top-level keys nobody reads, for the "not a trace document" message.
    unknown_keys: Vec<String>,
    /// Jaeger envelope `errors[]` messages.
    errors: Vec<String>,
    /// Jaeger api_v3 `{"error":{…}}` message.
    api_error: Option<String>,
    /// A top-level array whose elements no reader recognised.
    unknown_array: bool,
    /// The value was a bare string, number, boolean or null.
    scalar: bool,
}

/// Decode JSON text (a document or JSON Lines) into traces.
pub(crate) fn decode(bytes: &[u8], what: &str) -> Result<Vec<Trace>> {
    let mut out = Collected::default();
    // A plain OTLP document is read directly, before any other pass over the input (a scan
    // for lines, a UTF-8 check), each of which would read a big file once more.
    if otlp_json::read_document(bytes, &mut out).is_some() {
        return Ok(group(out.spans, out.warnings));
    }
    // Zipkin spans of every value, cleaned together at the end: a client half and its
    // server half may come on different lines of a JSON Lines file.
    let mut zipkin = zipkin_json::Builder::default();
    let mut infos = Vec::new();
    // serde_json finds the end of a value (and locates any error) by counting lines from the
    // start of its input: over JSON Lines that is quadratic (1,000 lines of 300 MB: 15 s).
    // Each line starting with `{` is read on its own; on any error the whole input is read
    // again in one piece, so messages name the line and value in the file.
    let parts = json_lines::split(bytes);
    let whole = parts.len() <= 1
        || read_lines(
            &parts,
            json_lines::TWO_THREADS_AT_BYTES,
            &mut out,
            &mut zipkin,
            &mut infos,
        )
        .is_err();
    if whole {
        out = Collected::default();
        zipkin = zipkin_json::Builder::default();
        infos.clear();
        read_values(bytes, &mut out, &mut zipkin, &mut infos)
            .map_err(|(e, i)| json_error(what, &e, i))?;
    }
    zipkin.finish(&mut out);

    let errors: Vec<String> = infos
        .iter()
        .flat_map(|i| i.errors.iter().cloned())
        .collect();
    let api_error = infos.iter().find_map(|i| i.api_error.clone());
    if out.spans.is_empty() {
        if let Some(e) = api_error {
            return Err(Error::input(
                what,
                format!("the trace API returned an error: {e}"),
            ));
        }
        if !errors.is_empty() {
            return Err(Error::input(
                what,
                format!(
                    "Jaeger returned no traces, only errors: {}",
                    errors.join("; ")
                ),
            ));
        }
    }
    if !infos.iter().any(|i| i.trace_like) {
        return Err(Error::input(
            what,
            format!("{NOT_RECOGNISED}: {}", describe(&infos)),
        ));
    }
    for e in errors {
        out.warnings
            .push((None, format!("Jaeger reported an error: {e}")));
    }
    Ok(group(out.spans, out.warnings))
}

/// What reading some lines gave: spans, Zipkin spans to clean, and what each value was.
#[derive(Default)]
struct LinesRead {
    out: Collected,
    zipkin: zipkin_json::Builder,
    infos: Vec<DocInfo>,
}

#[cfg(test)]
#[path = "document_tests.rs"]
mod tests;

/// Read JSON Lines `parts` in order into `out`, `zipkin` and `infos`; Err when any fails.
/// Large input is read in two halves side by side (see [`json_lines::read_in_halves`]).
fn read_lines(
    parts: &[&[u8]],
    two_threads_at: usize,
    out: &mut Collected,
    zipkin: &mut zipkin_json::Builder,
    infos: &mut Vec<DocInfo>,
) -> std::result::Result<(), ()> {
    let halves = json_lines::read_in_halves(
        parts,
        two_threads_at,
        |part, r: &mut LinesRead| {
            read_line(part, &mut r.out, &mut r.zipkin, &mut r.infos).map_err(drop)
        },
        |r: &mut LinesRead, read, wanted| {
            // Room for the spans still to come, at the rate so far: growth by doubling would
            // copy them and leave the old vectors' memory behind.
            let spans = &mut r.out.spans;
            let _ = spans.try_reserve(expected_more(spans.len(), read, wanted - read));
        },
    )?;
    // The first half made room for the second: joined without copying the first.
    for half in halves {
        if out.spans.is_empty() {
            out.spans = half.out.spans;
        } else {
            move_onto(&mut out.spans, half.out.spans);
        }
        out.warnings.extend(half.out.warnings);
        zipkin.append(half.zipkin);
        infos.extend(half.infos);
    }
    Ok(())
}

/// One line of JSON Lines: read directly when it is a plain OTLP document (the whole input
/// was tried so in [`decode`]), else by serde.
fn read_line(
    line: &[u8],
    out: &mut Collected,
    zipkin: &mut zipkin_json::Builder,
    infos: &mut Vec<DocInfo>,
) -> std::result::Result<(), (serde_json::Error, usize)> {
    if otlp_json::read_document(line, out).is_none() {
        return read_values(line, out, zipkin, infos);
    }
    let trace_like = true;
    infos.push(DocInfo {
        trace_like,
        ..DocInfo::default()
    });
    Ok(())
}

/// Read every top-level value of `bytes` into `out` with serde; an error comes with the
/// index of the value it is in.
fn read_values(
    bytes: &[u8],
    out: &mut Collected,
    zipkin: &mut zipkin_json::Builder,
    infos: &mut Vec<DocInfo>,
) -> std::result::Result<(), (serde_json::Error, usize)> {
    // UTF-8 checked once for the whole input (a fast scan) rather than string by string as
    // the parser reads them; input that is not UTF-8 is read as bytes, for the parser's
    // own message at the right place.
    match as_text(bytes) {
        Some(text) => read_each(serde_json::Deserializer::from_str(text), out, zipkin, infos),
        None => read_each(
            serde_json::Deserializer::from_slice(bytes),
            out,
            zipkin,
            infos,
        ),
    }
}

fn read_each<'de, R: serde_json::de::Read<'de>>(
    mut de: serde_json::Deserializer<R>,
    out: &mut Collected,
    zipkin: &mut zipkin_json::Builder,
    infos: &mut Vec<DocInfo>,
) -> std::result::Result<(), (serde_json::Error, usize)> {
    loop {
        let info = DocSeed {
            out: &mut *out,
            zipkin: &mut *zipkin,
            nested: false,
        }
        .deserialize(&mut de)
        .map_err(|e| (e, infos.len()))?;
        infos.push(info);
        // `end` fails when more than whitespace follows; the next value is then read from
        // where this one stopped (the reader does not move past the whitespace it skipped).
        if de.end().is_ok() {
            return Ok(());
        }
    }
}

fn json_error(what: &str, e: &serde_json::Error, index: usize) -> Error {
    use serde_json::error::Category;
    let at = if index > 0 {
        format!(" in JSON value #{}", index + 1)
    } else {
        String::new()
    };
    // serde_json's message already ends with "at line L column C".
    let message = match e.classify() {
        Category::Syntax if e.to_string().starts_with("recursion limit exceeded") => format!(
            "JSON nested more than 128 levels deep{at} at line {} column {}; no trace format nests like this: check what the file holds",
            e.line(),
            e.column()
        ),
        Category::Eof => format!(
            "truncated JSON (the input ends in the middle of a value){at}: {e}; it was cut off: export or download it again"
        ),
        Category::Syntax => {
            format!("malformed JSON{at}: {e}; fix the file there, or export the trace again")
        }
        Category::Data => format!(
            "unexpected JSON content{at}: {e}; is this an unmodified Jaeger or OTLP export?"
        ),
        Category::Io => format!("cannot read JSON{at}: {e}"),
    };
    Error::input(what, message)
}

/// Why a valid JSON document was not read as traces, with a hint for known look-alikes.
fn describe(infos: &[DocInfo]) -> String {
    let keys: Vec<&str> = infos
        .iter()
        .flat_map(|i| i.unknown_keys.iter().map(String::as_str))
        .collect();
    if keys.iter().any(|k| matches!(*k, "traces" | "summaries")) {
        return "this is a trace search response (a list of trace summaries), not a trace; fetch one trace by id"
            .into();
    }
    if infos.iter().any(|i| i.scalar) {
        return "a JSON value that is not an object or array".into();
    }
    if infos.iter().any(|i| i.unknown_array) {
        return "a JSON array whose elements are neither Jaeger trace objects nor Zipkin v2 spans"
            .into();
    }
    if keys.is_empty() {
        return "a JSON document without spans".into();
    }
    let mut shown: Vec<&str> = keys.iter().take(5).copied().collect();
    if keys.len() > shown.len() {
        shown.push("…");
    }
    format!(
        "JSON object with keys {} (expected data, traceID/spans, resourceSpans, batches, result or trace)",
        shown.join(", ")
    )
}

struct DocSeed<'c> {
    out: &'c mut Collected,
    zipkin: &'c mut zipkin_json::Builder,
    /// Inside `result`/`trace`: envelopes do not nest further.
    nested: bool,
}

impl<'de> DeserializeSeed<'de> for DocSeed<'_> {
    type Value = DocInfo;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<DocInfo, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DocSeed<'_> {
    type Value = DocInfo;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a trace document (a JSON object or array)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DocInfo, A::Error> {
        let mut info = DocInfo::default();
        let mut jaeger = TraceBuilder::default();
        // A lone Zipkin span object (v1 or v2): its fields, kept until the keys show it is one.
        let mut zipkin_fields = serde_json::Map::new();
        let mut status: Option<String> = None;
        let mut message: Option<String> = None;
        let first = self.out.spans.len();
        while let Some(key) = map.next_key::<Str>()? {
            let k = key.as_str();
            match k {
                "data" => {
                    map.next_value_seed(DataSeed(&mut *self.out))?;
                    info.trace_like = true;
                }
                "errors" => {
                    let errs: Option<Vec<RawError>> = map.next_value()?;
                    info.errors
                        .extend(errs.unwrap_or_default().iter().map(RawError::describe));
                }
                "resourceSpans" | "resource_spans" | "batches" => {
                    map.next_value_seed(ResourceSpansSeed(&mut *self.out))?;
                    info.trace_like = true;
                }
                "result" | "trace" if !self.nested => {
                    let inner = map.next_value_seed(DocSeed {
                        out: &mut *self.out,
                        zipkin: &mut *self.zipkin,
                        nested: true,
                    })?;
                    info.trace_like |= inner.trace_like;
                    info.errors.extend(inner.errors);
                    info.api_error = info.api_error.or(inner.api_error);
                    if !inner.trace_like {
                        info.unknown_keys.push(k.to_string());
                    }
                }
                "status" => status = map.next_value::<Scalar>()?.as_str().map(str::to_string),
                "message" => message = map.next_value::<Scalar>()?.as_str().map(str::to_string),
                "error" => info.api_error = Some(api_error(map.next_value::<ApiError>()?)),
                k if TraceBuilder::handles(k) => jaeger.read_value(k, &mut map)?,
                _ => {
                    info.unknown_keys.push(k.to_string());
                    if zipkin_json::is_span_key(k) {
                        zipkin_fields.insert(k.to_string(), map.next_value()?);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
        }
        let ids = ["traceId", "id"]
            .iter()
            .all(|k| zipkin_fields.contains_key(*k));
        if ids && !jaeger.seen_spans {
            info.unknown_keys.retain(|k| !zipkin_fields.contains_key(k));
            let raw = zipkin_json::RawSpan::from_fields(zipkin_fields)
                .map_err(serde::de::Error::custom)?;
            if let Some(e) = self.zipkin.push(raw) {
                return Err(serde::de::Error::custom(e));
            }
            info.trace_like = true;
        }
        if jaeger.seen_spans {
            info.trace_like = true;
            jaeger.finish(self.out);
        }
        // Tempo v2: `status: PARTIAL` means spans were dropped (size limit, filter).
        if status
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("partial"))
        {
            let text = format!(
                "trace is partial: {}",
                message.as_deref().unwrap_or("some spans were not returned")
            );
            let mut ids: Vec<String> = self
                .out
                .spans
                .get(first..)
                .unwrap_or_default()
                .iter()
                .map(|s| s.trace_id.to_string())
                .collect();
            ids.sort_unstable();
            ids.dedup();
            self.out
                .warnings
                .extend(ids.into_iter().map(|id| (Some(id), text.clone())));
        }
        Ok(info)
    }

    fn visit_unit<E>(self) -> Result<DocInfo, E> {
        Ok(DocInfo {
            scalar: true,
            ..DocInfo::default()
        })
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<DocInfo, E> {
        self.visit_unit()
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<DocInfo, E> {
        self.visit_unit()
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<DocInfo, E> {
        self.visit_unit()
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<DocInfo, E> {
        self.visit_unit()
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<DocInfo, E> {
        self.visit_unit()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<DocInfo, A::Error> {
        let mut info = DocInfo::default();
        let mut any = false;
        while let Some(item) = seq.next_element_seed(ArrayItemSeed {
            out: &mut *self.out,
            zipkin: &mut *self.zipkin,
        })? {
            any = true;
            match item {
                Item::Trace | Item::ZipkinSpan => info.trace_like = true,
                Item::Unknown => info.unknown_array = true,
            }
        }
        if !any {
            // `[]`: an empty list of traces or spans.
            info.trace_like = true;
        }
        if info.unknown_array {
            info.trace_like = false;
        }
        Ok(info)
    }
}

#[derive(Deserialize)]
struct ApiError<'a> {
    #[serde(default, borrow)]
    message: Option<Str<'a>>,
    #[serde(default, rename = "httpCode")]
    http_code: Option<Scalar<'a>>,
}

fn api_error(e: ApiError<'_>) -> String {
    let msg = e
        .message
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "unknown error".into());
    match e.http_code.map(|c| c.to_text()).filter(|c| !c.is_empty()) {
        Some(code) => format!("{msg} (HTTP {code})"),
        None => msg,
    }
}

/// An element of a nested array: true when it was a Zipkin span.
struct ZipkinSpanSeed<'c>(&'c mut zipkin_json::Builder);

impl<'de> DeserializeSeed<'de> for ZipkinSpanSeed<'_> {
    type Value = bool;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ZipkinSpanSeed<'_> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Zipkin span")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut raw = zipkin_json::RawSpan::default();
        let mut zipkin_keys = false;
        while let Some(key) = map.next_key::<Str>()? {
            zipkin_keys |= raw.read_value(key.as_str(), &mut map)?;
        }
        if !zipkin_keys {
            return Ok(false);
        }
        if let Some(e) = self.0.push(raw) {
            return Err(serde::de::Error::custom(e));
        }
        Ok(true)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(false)
    }
    fn visit_unit<E>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_str<E>(self, _: &str) -> Result<bool, E> {
        Ok(false)
    }
}

enum Item {
    Trace,
    ZipkinSpan,
    Unknown,
}

/// An element of a top-level array: a Jaeger trace object (`[{traceID, spans…}]`), a Zipkin
/// span, or an array of Zipkin spans. Their keys differ (`traceID` vs `traceId`), so the
/// keys decide.
struct ArrayItemSeed<'c> {
    out: &'c mut Collected,
    zipkin: &'c mut zipkin_json::Builder,
}

impl<'de> DeserializeSeed<'de> for ArrayItemSeed<'_> {
    type Value = Item;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Item, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ArrayItemSeed<'_> {
    type Value = Item;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Jaeger trace object or a Zipkin v2 span")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item, A::Error> {
        let mut jaeger = TraceBuilder::default();
        let mut zipkin = zipkin_json::RawSpan::default();
        let mut zipkin_keys = false;
        while let Some(key) = map.next_key::<Str>()? {
            let k = key.as_str();
            if TraceBuilder::handles(k) {
                jaeger.read_value(k, &mut map)?;
            } else if zipkin.read_value(k, &mut map)? {
                zipkin_keys = true;
            }
        }
        if jaeger.seen_spans {
            jaeger.finish(self.out);
            return Ok(Item::Trace);
        }
        if zipkin_keys {
            if let Some(e) = self.zipkin.push(zipkin) {
                return Err(serde::de::Error::custom(e));
            }
            return Ok(Item::ZipkinSpan);
        }
        Ok(Item::Unknown)
    }
    /// An array of arrays: Zipkin's `GET /api/v2/traces` (or v1 `/api/v1/traces`), one array
    /// of spans per trace.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Item, A::Error> {
        let mut all = true;
        let mut any = false;
        while let Some(is_span) = seq.next_element_seed(ZipkinSpanSeed(&mut *self.zipkin))? {
            any = true;
            all &= is_span;
        }
        Ok(match (any, all) {
            (false, _) => Item::Trace, // `[]`: a trace without spans
            (true, true) => Item::ZipkinSpan,
            (true, false) => Item::Unknown,
        })
    }
    fn visit_unit<E>(self) -> Result<Item, E> {
        Ok(Item::Unknown)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Item, E> {
        Ok(Item::Unknown)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Item, E> {
        Ok(Item::Unknown)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Item, E> {
        Ok(Item::Unknown)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Item, E> {
        Ok(Item::Unknown)
    }
    fn visit_str<E>(self, _: &str) -> Result<Item, E> {
        Ok(Item::Unknown)
    }
}
