//! An OTLP JSON document read directly, without serde's machinery: the same raw spans,
//! converted by the same code, at about twice the speed. Only what is plainly a document
//! `{"resourceSpans": […]}` is read here, in every spelling the serde reader accepts; any
//! other shape, any value of a type it does not expect, a duplicate field, a span without
//! an id, anything malformed: `None`, with the spans as they were, and the caller reads the
//! document with serde (same spans, or the located error message).

use super::super::alongside::{feed_alongside, room_for, Feed, Sink};
use super::super::common::{Collected, Str};
use super::super::json_cursor::Cursor;
use super::{
    apply_resource, apply_scope, attributes, check, convert, AnyValue, Code, Kind, Nanos,
    RawAnyValue, RawArray, RawEvent, RawKeyValue, RawKvList, RawLink, RawSpan, RawStatus,
};
use crate::model::{Attributes, Span};

/// Documents this long are converted on a second thread (a batch of spans is ~0.6 MB).
const TWO_THREADS_AT_BYTES: usize = 1 << 20;

/// Read `text` as one OTLP document into `out`; `None` (with `out` unchanged) when it is not
/// one this reader reads. `text` need not have been checked as UTF-8: strings are.
pub(crate) fn read_document(text: &[u8], out: &mut Collected) -> Option<()> {
    let first = out.spans.len();
    let mut sink = DocSink(&mut out.spans);
    let fixes = feed_alongside(text.len() >= TWO_THREADS_AT_BYTES, &mut sink, |feed| {
        let mut reader = Reader {
            feed,
            next: first,
            fixes: Fixes::default(),
        };
        let mut c = Cursor::new(text);
        let mut any = false;
        c.object(|key, c| match key.as_ref() {
            "resourceSpans" | "resource_spans" | "batches" => {
                any = true;
                reader.resource_list(c)
            }
            _ => None,
        })
        .filter(|()| any && c.at_end())
        .map(|()| reader.fixes)
    });
    let Some(fixes) = fixes else {
        out.spans.truncate(first);
        return None;
    };
    // Each span is in one scope block and one resource block: its scope is applied, then
    // its resource, as when each block is finished in turn.
    for (start, end, name, version) in fixes.scopes {
        apply_scope(&mut out.spans[start..end], name, version);
    }
    for (start, end, resource) in &fixes.resources {
        apply_resource(&mut out.spans[*start..*end], resource, &mut out.origins);
    }
    Some(())
}

/// A scope's name and version, as finally read.
type ScopeName = Option<String>;

/// What is applied once every span is converted: each scope block's spans, name and version,
/// each resource block's spans and attributes.
#[derive(Default)]
struct Fixes {
    scopes: Vec<(usize, usize, ScopeName, ScopeName)>,
    resources: Vec<(usize, usize, Attributes)>,
}

/// Converted spans of a document.
struct DocSink<'c>(&'c mut Vec<Span>);

impl<'de> Sink<RawSpan<'de>> for DocSink<'_> {
    fn expect(&mut self, more: usize) {
        room_for(self.0, more);
    }

    fn take(&mut self, raw: RawSpan<'de>) {
        self.0.push(convert(raw));
    }
}

/// The blocks of a document, read while their spans are converted: `next` is the index the
/// next span pushed will have.
struct Reader<'f, 'g, 'c, 'a> {
    feed: &'f mut Feed<'g, RawSpan<'a>, DocSink<'c>>,
    next: usize,
    fixes: Fixes,
}

impl<'a> Reader<'_, '_, '_, 'a> {
    fn resource_list(&mut self, c: &mut Cursor<'a>) -> Option<()> {
        each_of(c, |c| self.resource_block(c))
    }

    fn resource_block(&mut self, c: &mut Cursor<'a>) -> Option<()> {
        let first = self.next;
        let mut resource = Attributes::new();
        c.object(|key, c| match key.as_ref() {
            "resource" => {
                resource = attributes(optional(c, resource_attributes)?.flatten());
                Some(())
            }
            "scopeSpans"
            | "scope_spans"
            | "instrumentationLibrarySpans"
            | "instrumentation_library_spans" => self.scope_list(c),
            _ => c.skip(),
        })?;
        self.fixes.resources.push((first, self.next, resource));
        Some(())
    }

    fn scope_list(&mut self, c: &mut Cursor<'a>) -> Option<()> {
        each_of(c, |c| self.scope_block(c))
    }

    fn scope_block(&mut self, c: &mut Cursor<'a>) -> Option<()> {
        let first = self.next;
        let mut scope_name = None;
        let mut scope_version = None;
        c.object(|key, c| match key.as_ref() {
            "scope" | "instrumentationLibrary" | "instrumentation_library" => {
                if let Some((name, version)) = optional(c, scope)? {
                    scope_name = name.map(|n: Str| n.0.into_owned());
                    scope_version = version.map(|v: Str| v.0.into_owned());
                }
                Some(())
            }
            "spans" => self.span_list(c),
            _ => c.skip(),
        })?;
        self.fixes
            .scopes
            .push((first, self.next, scope_name, scope_version));
        Some(())
    }

    fn span_list(&mut self, c: &mut Cursor<'a>) -> Option<()> {
        each_of(c, |c| {
            let raw = span(c)?;
            // A span without an id is serde's error to report.
            check(&raw, 0).ok()?;
            self.feed.push(raw);
            self.next += 1;
            Some(())
        })
    }
}

/// The elements of a block list (`resourceSpans`, `scopeSpans`, `spans`), which may be
/// `null` (the serde reader's visitors take it as empty).
fn each_of<'a>(c: &mut Cursor<'a>, each: impl FnMut(&mut Cursor<'a>) -> Option<()>) -> Option<()> {
    if c.null() {
        return Some(());
    }
    c.array(each)
}

/// A field whose `null` is absence, as serde reads an `Option`.
fn optional<'a, T>(
    c: &mut Cursor<'a>,
    read: impl FnOnce(&mut Cursor<'a>) -> Option<T>,
) -> Option<Option<T>> {
    if c.null() {
        Some(None)
    } else {
        read(c).map(Some)
    }
}

/// Once-only optional field: `seen` marks that the key was met, even with `null`.
fn field<'a, T>(
    seen: &mut bool,
    slot: &mut Option<T>,
    c: &mut Cursor<'a>,
    read: impl FnOnce(&mut Cursor<'a>) -> Option<T>,
) -> Option<()> {
    if std::mem::replace(seen, true) {
        return None;
    }
    *slot = optional(c, read)?;
    Some(())
}

fn text<'a>(c: &mut Cursor<'a>) -> Option<Str<'a>> {
    c.string().map(Str)
}

/// A `resource` object: its `attributes`.
fn resource_attributes<'a>(c: &mut Cursor<'a>) -> Option<Option<Vec<RawKeyValue<'a>>>> {
    let (mut seen, mut attrs) = (false, None);
    c.object(|key, c| match key.as_ref() {
        "attributes" => field(&mut seen, &mut attrs, c, key_values),
        _ => c.skip(),
    })?;
    Some(attrs)
}

/// A `scope` object: its name and version.
fn scope<'a>(c: &mut Cursor<'a>) -> Option<(Option<Str<'a>>, Option<Str<'a>>)> {
    let (mut name, mut version) = (None, None);
    let (mut name_seen, mut version_seen) = (false, false);
    c.object(|key, c| match key.as_ref() {
        "name" => field(&mut name_seen, &mut name, c, text),
        "version" => field(&mut version_seen, &mut version, c, text),
        _ => c.skip(),
    })?;
    Some((name, version))
}

fn span<'a>(c: &mut Cursor<'a>) -> Option<RawSpan<'a>> {
    let mut s = RawSpan {
        trace_id: None,
        span_id: None,
        parent_span_id: None,
        name: None,
        kind: None,
        start: None,
        end: None,
        attributes: None,
        events: None,
        links: None,
        status: None,
    };
    // One bit a field: a second value is serde's "duplicate field" error.
    let mut seen = [false; 11];
    c.object(|key, c| match key.as_ref() {
        "traceId" | "trace_id" => field(&mut seen[0], &mut s.trace_id, c, text),
        "spanId" | "span_id" => field(&mut seen[1], &mut s.span_id, c, text),
        "parentSpanId" | "parent_span_id" => field(&mut seen[2], &mut s.parent_span_id, c, text),
        "name" => field(&mut seen[3], &mut s.name, c, text),
        "kind" => field(&mut seen[4], &mut s.kind, c, |c| {
            c.scalar().map(|v| Kind(super::span_kind(&v)))
        }),
        "startTimeUnixNano" | "start_time_unix_nano" => field(&mut seen[5], &mut s.start, c, nanos),
        "endTimeUnixNano" | "end_time_unix_nano" => field(&mut seen[6], &mut s.end, c, nanos),
        "attributes" => field(&mut seen[7], &mut s.attributes, c, key_values),
        "events" => field(&mut seen[8], &mut s.events, c, |c| list(c, event)),
        "links" => field(&mut seen[9], &mut s.links, c, |c| list(c, link)),
        "status" => field(&mut seen[10], &mut s.status, c, status),
        _ => c.skip(),
    })?;
    Some(s)
}

fn nanos(c: &mut Cursor<'_>) -> Option<Nanos> {
    c.scalar().map(|v| Nanos(v.to_i64()))
}

/// An array whose elements are objects read by `read` (serde reads `null` elements of a
/// struct type as an error: left to it).
fn list<'a, T>(
    c: &mut Cursor<'a>,
    mut read: impl FnMut(&mut Cursor<'a>) -> Option<T>,
) -> Option<Vec<T>> {
    let mut out = Vec::new();
    c.array(|c| {
        out.push(read(c)?);
        Some(())
    })?;
    Some(out)
}

fn key_values<'a>(c: &mut Cursor<'a>) -> Option<Vec<RawKeyValue<'a>>> {
    list(c, key_value)
}

fn key_value<'a>(c: &mut Cursor<'a>) -> Option<RawKeyValue<'a>> {
    let (mut key, mut value) = (None, None);
    let (mut key_seen, mut value_seen) = (false, false);
    c.object(|k, c| match k.as_ref() {
        "key" => {
            if std::mem::replace(&mut key_seen, true) {
                return None;
            }
            key = Some(text(c)?);
            Some(())
        }
        "value" => field(&mut value_seen, &mut value, c, any_value),
        _ => c.skip(),
    })?;
    Some(RawKeyValue { key: key?, value })
}

fn any_value<'a>(c: &mut Cursor<'a>) -> Option<AnyValue<'a>> {
    let mut v = RawAnyValue {
        string_value: None,
        int_value: None,
        double_value: None,
        bool_value: None,
        bytes_value: None,
        array_value: None,
        kvlist_value: None,
    };
    let mut seen = [false; 7];
    c.object(|key, c| match key.as_ref() {
        "stringValue" | "string_value" => field(&mut seen[0], &mut v.string_value, c, text),
        "intValue" | "int_value" => field(&mut seen[1], &mut v.int_value, c, Cursor::scalar),
        "doubleValue" | "double_value" => {
            field(&mut seen[2], &mut v.double_value, c, Cursor::scalar)
        }
        "boolValue" | "bool_value" => field(&mut seen[3], &mut v.bool_value, c, Cursor::scalar),
        "bytesValue" | "bytes_value" => field(&mut seen[4], &mut v.bytes_value, c, text),
        "arrayValue" | "array_value" => field(&mut seen[5], &mut v.array_value, c, |c| {
            values(c, |c| list(c, any_value)).map(|values| RawArray { values })
        }),
        "kvlistValue" | "kvlist_value" => field(&mut seen[6], &mut v.kvlist_value, c, |c| {
            values(c, key_values).map(|values| RawKvList { values })
        }),
        _ => c.skip(),
    })?;
    Some(AnyValue::from(v))
}

/// An `arrayValue` or `kvlistValue` object: its `values`.
fn values<'a, T>(
    c: &mut Cursor<'a>,
    mut read: impl FnMut(&mut Cursor<'a>) -> Option<T>,
) -> Option<Option<T>> {
    let (mut seen, mut values) = (false, None);
    c.object(|key, c| match key.as_ref() {
        "values" => field(&mut seen, &mut values, c, &mut read),
        _ => c.skip(),
    })?;
    Some(values)
}

fn event<'a>(c: &mut Cursor<'a>) -> Option<RawEvent<'a>> {
    let mut e = RawEvent {
        time: None,
        name: None,
        attributes: None,
    };
    let mut seen = [false; 3];
    c.object(|key, c| match key.as_ref() {
        "timeUnixNano" | "time_unix_nano" => field(&mut seen[0], &mut e.time, c, nanos),
        "name" => field(&mut seen[1], &mut e.name, c, text),
        "attributes" => field(&mut seen[2], &mut e.attributes, c, key_values),
        _ => c.skip(),
    })?;
    Some(e)
}

fn link<'a>(c: &mut Cursor<'a>) -> Option<RawLink<'a>> {
    let mut l = RawLink {
        trace_id: None,
        span_id: None,
    };
    let mut seen = [false; 2];
    c.object(|key, c| match key.as_ref() {
        "traceId" | "trace_id" => field(&mut seen[0], &mut l.trace_id, c, text),
        "spanId" | "span_id" => field(&mut seen[1], &mut l.span_id, c, text),
        _ => c.skip(),
    })?;
    Some(l)
}

fn status<'a>(c: &mut Cursor<'a>) -> Option<RawStatus<'a>> {
    let mut s = RawStatus {
        code: None,
        message: None,
    };
    let mut seen = [false; 2];
    c.object(|key, c| match key.as_ref() {
        "code" => field(&mut seen[0], &mut s.code, c, |c| {
            c.scalar().map(|v| Code(super::status_code(&v)))
        }),
        "message" => field(&mut seen[1], &mut s.message, c, text),
        _ => c.skip(),
    })?;
    Some(s)
}

#[cfg(test)]
#[path = "otlp_json_direct_tests.rs"]
mod tests;
