//! Jaeger v1 JSON: the query-API envelope `{"data":[trace…],"errors":…}` and a bare trace
//! object `{traceID, spans, processes, warnings}` (jaeger-ui download), with either the
//! `processID` + `processes` map or the embedded `process` flavour (jaeger-anonymizer).
//!
//! Spans are converted to the model while the `spans` array is read, so the raw form of at
//! most one span exists at a time; `processes` may follow `spans`, so service names are
//! resolved when the trace object ends.

use rustc_hash::FxHashMap as HashMap;
use std::fmt;
use std::sync::Arc;

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::alongside::{read_and_convert, room_for, Located, Sink};
use super::common::{map_exact, parent_id, us_to_ns, Collected, Scalar, Str};
use crate::model::shared_text::shared;
use crate::model::status::normalize_status;
use crate::model::{
    normalized_id, AttrValue, Attributes, CompactString, Event, Link, Origin, RefType, Span,
    SpanKind,
};

/// Service name used when a span's process is missing (the OTLP convention).
const UNKNOWN_SERVICE: &str = "unknown_service";

#[derive(Deserialize)]
struct RawKv<'a> {
    #[serde(borrow)]
    key: Str<'a>,
    #[serde(default, rename = "type", borrow)]
    kind: Option<Str<'a>>,
    #[serde(default, borrow)]
    value: Option<Scalar<'a>>,
}

#[derive(Deserialize)]
struct RawRef<'a> {
    #[serde(default, rename = "refType", borrow)]
    ref_type: Option<Str<'a>>,
    #[serde(default, rename = "traceID", borrow)]
    trace_id: Option<Str<'a>>,
    #[serde(default, rename = "spanID", borrow)]
    span_id: Option<Str<'a>>,
}

#[derive(Deserialize)]
struct RawLog<'a> {
    #[serde(default, borrow)]
    timestamp: Option<Scalar<'a>>,
    #[serde(default, borrow)]
    fields: Option<Vec<RawKv<'a>>>,
}

#[derive(Deserialize)]
struct RawProcess<'a> {
    #[serde(default, rename = "serviceName", borrow)]
    service_name: Option<Str<'a>>,
    #[serde(default, borrow)]
    tags: Option<Vec<RawKv<'a>>>,
}

#[derive(Deserialize)]
struct RawSpan<'a> {
    #[serde(default, rename = "traceID", borrow)]
    trace_id: Option<Str<'a>>,
    #[serde(default, rename = "spanID", borrow)]
    span_id: Option<Str<'a>>,
    /// Deprecated, but still written by old clients and some converters.
    #[serde(default, rename = "parentSpanID", borrow)]
    parent_span_id: Option<Str<'a>>,
    #[serde(default, rename = "operationName", borrow)]
    operation_name: Option<Str<'a>>,
    #[serde(default, borrow)]
    references: Option<Vec<RawRef<'a>>>,
    #[serde(default, rename = "startTime", borrow)]
    start_time: Option<Scalar<'a>>,
    #[serde(default, borrow)]
    duration: Option<Scalar<'a>>,
    #[serde(default, borrow)]
    tags: Option<Vec<RawKv<'a>>>,
    #[serde(default, borrow)]
    logs: Option<Vec<RawLog<'a>>>,
    #[serde(default, rename = "processID", borrow)]
    process_id: Option<Str<'a>>,
    #[serde(default, borrow)]
    process: Option<RawProcess<'a>>,
    #[serde(default, borrow)]
    warnings: Option<Vec<Str<'a>>>,
}

impl Located for RawSpan<'_> {
    fn address(&self) -> Option<usize> {
        self.span_id.as_ref().and_then(Str::address)
    }
}

/// A process, resolved: what every span of it gets.
///
/// Only the process tags a person compares requests by (a version, a pod, a region) are
/// kept as the resource of `Span::origin` (one copy per process, shared by its spans): the bookkeeping tags
/// every Jaeger client sets (`jaeger.version`, `client-uuid`, the host and ip) say nothing
/// about a request. The host is kept in `Span::host`.
#[derive(Debug, Clone, Default)]
struct Process {
    service: CompactString,
    host: Option<CompactString>,
    origin: Arc<Origin>,
}

/// Process tags every Jaeger client sets, read by no analysis.
const BOOKKEEPING_TAGS: &[&str] = &[
    "jaeger.version",
    "client-uuid",
    "hostname",
    "ip",
    "host.name",
];

impl Process {
    fn from_raw(raw: RawProcess<'_>) -> Process {
        let tags: Attributes = map_exact(raw.tags.unwrap_or_default(), kv);
        // Jaeger groups spans by host for clock-skew adjustment; these are the tags clients set.
        let host = ["hostname", "host.name", "ip"]
            .iter()
            .find_map(|k| tags.iter().find(|(key, _)| key == k))
            .map(|(_, v)| CompactString::from(v.as_text()))
            .filter(|h| !h.is_empty());
        let service = raw
            .service_name
            .map(|s| CompactString::from(s.as_str()))
            .filter(|s| !s.is_empty());
        let resource = tags
            .into_iter()
            .filter(|(k, _)| !BOOKKEEPING_TAGS.contains(&k.as_str()))
            .collect::<Attributes>();
        Process {
            service: service.unwrap_or_else(|| UNKNOWN_SERVICE.into()),
            host,
            origin: Arc::new(Origin {
                resource,
                scope: Attributes::new(),
            }),
        }
    }
}

/// Where a span's process comes from, until the trace object ends.
enum ProcRef {
    /// Index into `TraceBuilder::process_ids`: a trace has a handful of processes and up to
    /// 100,000s of spans, so each id is stored once rather than once per span.
    Id(u32),
    Embedded(usize),
    None,
}

/// Accumulates one Jaeger trace object (keys `traceID`, `spans`, `processes`, `warnings`).
/// Used both for `data[]` elements and for a bare trace at the top level, where these keys
/// share the object with keys of other formats.
#[derive(Default)]
pub(crate) struct TraceBuilder {
    trace_id: Option<CompactString>,
    spans: Vec<Span>,
    procs: Vec<ProcRef>,
    process_ids: Vec<String>,
    process_index: HashMap<String, u32>,
    embedded: Vec<Process>,
    processes: HashMap<String, Process>,
    warnings: Vec<(Option<String>, String)>,
    /// Whether `spans` was seen: the object is a Jaeger trace.
    pub seen_spans: bool,
}

impl TraceBuilder {
    /// The keys this builder reads.
    pub fn handles(key: &str) -> bool {
        matches!(key, "traceID" | "spans" | "processes" | "warnings")
    }

    /// Read the value of `key` (one of [`Self::handles`]).
    pub fn read_value<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match key {
            "traceID" => {
                let id: Option<Str> = map.next_value()?;
                self.trace_id = id.map(|s| normalized_id(s.as_str()));
            }
            "spans" => {
                map.next_value_seed(SpansSeed(self))?;
                self.seen_spans = true;
            }
            "processes" => {
                let raw: Option<HashMap<String, RawProcess>> = map.next_value()?;
                for (k, p) in raw.unwrap_or_default() {
                    self.processes.insert(k, Process::from_raw(p));
                }
            }
            "warnings" => {
                let raw: Option<Vec<Str>> = map.next_value()?;
                for w in raw.unwrap_or_default() {
                    // Trace-level warnings belong to the trace; the id may not be known yet.
                    self.warnings.push((None, w.0.into_owned()));
                }
            }
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }

    /// Resolve processes and hand the spans over.
    pub fn finish(self, out: &mut Collected) {
        let TraceBuilder {
            trace_id,
            mut spans,
            procs,
            process_ids,
            embedded,
            processes,
            warnings,
            ..
        } = self;
        let unknown = Process {
            service: UNKNOWN_SERVICE.into(),
            ..Process::default()
        };
        for (span, pref) in spans.iter_mut().zip(procs) {
            let p = match &pref {
                ProcRef::Id(i) => process_ids
                    .get(*i as usize)
                    .and_then(|id| processes.get(id))
                    .unwrap_or(&unknown),
                ProcRef::Embedded(i) => embedded.get(*i).unwrap_or(&unknown),
                ProcRef::None => &unknown,
            };
            span.service.clone_from(&p.service);
            span.host.clone_from(&p.host);
            if !p.origin.resource.is_empty() {
                span.origin = Arc::clone(&p.origin);
            }
            if span.trace_id.is_empty() {
                span.trace_id = trace_id.clone().unwrap_or_default();
            }
            normalize_status(span);
        }
        // Trace warnings go to the envelope trace, or to the spans' trace when it has no id.
        let target = trace_id
            .or_else(|| spans.first().map(|s| s.trace_id.clone()))
            .map(String::from);
        out.warnings.extend(
            warnings
                .into_iter()
                .map(|(id, w)| (id.or_else(|| target.clone()), w)),
        );
        if out.spans.is_empty() {
            out.spans = spans;
        } else {
            out.spans.append(&mut spans);
        }
    }

    /// What makes a span unreadable, checked while the array is read.
    fn check(raw: &RawSpan<'_>, index: usize) -> Result<(), String> {
        match raw.span_id {
            Some(_) => Ok(()),
            None => Err(format!("Jaeger span #{index} has no spanID")),
        }
    }

    /// Convert a span [`Self::check`] accepted.
    fn push(&mut self, raw: RawSpan<'_>) {
        let mut span = Span {
            span_id: raw
                .span_id
                .as_ref()
                .map(|id| normalized_id(id.as_str()))
                .unwrap_or_default(),
            trace_id: raw
                .trace_id
                .as_ref()
                .map(|t| normalized_id(t.as_str()))
                .unwrap_or_default(),
            operation: raw
                .operation_name
                .map(|s| CompactString::from(s.as_str()))
                .unwrap_or_default(),
            start_ns: us_to_ns(
                raw.start_time
                    .as_ref()
                    .and_then(Scalar::to_i64)
                    .unwrap_or(0),
            ),
            duration_ns: us_to_ns(raw.duration.as_ref().and_then(Scalar::to_i64).unwrap_or(0)),
            ..Span::default()
        };

        link_references(
            &mut span,
            raw.references.unwrap_or_default(),
            raw.parent_span_id,
        );

        span.attributes = map_exact(raw.tags.unwrap_or_default(), kv);
        if let Some((_, v)) = span.attributes.iter().find(|(k, _)| k == "span.kind") {
            span.kind = match v {
                AttrValue::Str(s) => SpanKind::parse(s),
                other => SpanKind::parse(&other.as_text()),
            };
        }
        let logs = raw.logs.unwrap_or_default();
        span.events.reserve_exact(logs.len());
        for log in logs {
            let attributes: Attributes = map_exact(log.fields.unwrap_or_default(), kv);
            let name = attributes
                .iter()
                .find(|(k, _)| k == "event")
                .map(|(_, v)| CompactString::from(v.as_text()))
                .unwrap_or_else(|| "log".into());
            let time_ns = us_to_ns(log.timestamp.as_ref().and_then(Scalar::to_i64).unwrap_or(0));
            span.events.push(Event {
                time_ns,
                name,
                attributes,
            });
        }
        for w in raw.warnings.unwrap_or_default() {
            let tid = if span.trace_id.is_empty() {
                None
            } else {
                Some(span.trace_id.to_string())
            };
            self.warnings
                .push((tid, format!("span {}: {}", span.span_id, w.as_str())));
        }
        let pref = match (raw.process_id, raw.process) {
            (_, Some(p)) => {
                self.embedded.push(Process::from_raw(p));
                ProcRef::Embedded(self.embedded.len() - 1)
            }
            (Some(id), None) => match self.process_index.get(id.as_str()) {
                Some(&i) => ProcRef::Id(i),
                None => {
                    let i = u32::try_from(self.process_ids.len()).unwrap_or(u32::MAX);
                    self.process_ids.push(id.0.clone().into_owned());
                    self.process_index.insert(id.0.into_owned(), i);
                    ProcRef::Id(i)
                }
            },
            (None, None) => ProcRef::None,
        };
        self.spans.push(span);
        self.procs.push(pref);
    }
}

/// The span's parent and links from its references: the parent is the first CHILD_OF
/// reference within the trace, else the first FOLLOWS_FROM (Jaeger's `Span.ParentSpanID`),
/// else the span's own `parentSpanID`; every other reference is a link.
fn link_references(span: &mut Span, references: Vec<RawRef<'_>>, parent_span_id: Option<Str<'_>>) {
    let refs: Vec<(RefType, CompactString, CompactString)> = references
        .into_iter()
        .filter_map(|r| {
            let span_id = normalized_id(r.span_id?.as_str());
            let trace_id = r
                .trace_id
                .map(|t| normalized_id(t.as_str()))
                .unwrap_or_else(|| span.trace_id.clone());
            let kind = match &r.ref_type {
                Some(t) if t.as_str().eq_ignore_ascii_case("FOLLOWS_FROM") => RefType::FollowsFrom,
                _ => RefType::ChildOf,
            };
            Some((kind, trace_id, span_id))
        })
        .collect();
    let in_trace = |r: &(RefType, CompactString, CompactString)| {
        span.trace_id.is_empty() || r.1 == span.trace_id
    };
    let parent_pos = refs
        .iter()
        .position(|r| in_trace(r) && r.0 == RefType::ChildOf)
        .or_else(|| {
            refs.iter()
                .position(|r| in_trace(r) && r.0 == RefType::FollowsFrom)
        });
    for (i, (kind, trace_id, span_id)) in refs.into_iter().enumerate() {
        if Some(i) == parent_pos {
            span.parent_id = parent_id(span_id);
            span.parent_ref = kind;
        } else {
            span.links.push(Link {
                trace_id,
                span_id,
                ref_type: kind,
            });
        }
    }
    if span.parent_id.is_none() && parent_pos.is_none() {
        if let Some(p) = parent_span_id {
            span.parent_id = parent_id(normalized_id(p.as_str()));
        }
    }
}

/// A Jaeger tag or log field → attribute, honouring the declared type. int64 values above
/// 2^53 arrive as strings; binary values are kept as the base64 text.
fn kv(raw: RawKv<'_>) -> (CompactString, AttrValue) {
    let value = raw.value.unwrap_or(Scalar::Null);
    let declared = raw.kind.as_ref().map(|k| k.as_str());
    let is = |name: &str| declared.is_some_and(|d| d.eq_ignore_ascii_case(name));
    let attr = if is("string") {
        AttrValue::Str(value.to_compact_text())
    } else if is("bool") {
        match &value {
            Scalar::Bool(b) => AttrValue::Bool(*b),
            Scalar::Str(s) if s.eq_ignore_ascii_case("true") => AttrValue::Bool(true),
            Scalar::Str(s) if s.eq_ignore_ascii_case("false") => AttrValue::Bool(false),
            other => other.to_attr(),
        }
    } else if is("int64") {
        match value.to_i64() {
            Some(i) if !matches!(value, Scalar::F64(_)) => AttrValue::Int(i),
            _ => value.to_attr(),
        }
    } else if is("float64") {
        value
            .to_f64()
            .map(AttrValue::Float)
            .unwrap_or_else(|| value.to_attr())
    } else if is("binary") {
        AttrValue::Bytes(value.to_compact_text())
    } else {
        value.to_attr()
    };
    (shared(raw.key.as_str()), attr)
}

impl<'de> Sink<RawSpan<'de>> for TraceBuilder {
    fn expect(&mut self, more: usize) {
        room_for(&mut self.spans, more);
        room_for(&mut self.procs, more);
    }

    fn take(&mut self, raw: RawSpan<'de>) {
        self.push(raw);
    }
}

/// The `spans` array: each element converted as soon as it is read.
struct SpansSeed<'b>(&'b mut TraceBuilder);

impl<'de> DeserializeSeed<'de> for SpansSeed<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for SpansSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Jaeger `spans` array")
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        read_and_convert(seq, TraceBuilder::check, self.0)
    }
}

/// The envelope's `data` array of trace objects (null when empty).
pub(crate) struct DataSeed<'c>(pub &'c mut Collected);

impl<'de> DeserializeSeed<'de> for DataSeed<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DataSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Jaeger `data` array of trace objects")
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(TraceSeed(&mut *self.0))?.is_some() {}
        Ok(())
    }
}

/// One Jaeger trace object.
pub(crate) struct TraceSeed<'c>(pub &'c mut Collected);

impl<'de> DeserializeSeed<'de> for TraceSeed<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TraceSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Jaeger trace object (`data` holds something else: is this a services or operations response?)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut b = TraceBuilder::default();
        while let Some(key) = map.next_key::<Str>()? {
            b.read_value(key.as_str(), &mut map)?;
        }
        b.finish(self.0);
        Ok(())
    }
}

/// One `errors[]` entry of the envelope.
#[derive(Deserialize)]
pub(crate) struct RawError<'a> {
    #[serde(default)]
    code: Option<Scalar<'a>>,
    #[serde(default, borrow)]
    msg: Option<Str<'a>>,
    #[serde(default, rename = "traceID", borrow)]
    trace_id: Option<Str<'a>>,
}

impl RawError<'_> {
    /// `msg (code 404, trace abc)`.
    pub fn describe(&self) -> String {
        let mut s = self
            .msg
            .as_ref()
            .map(|m| m.as_str().to_string())
            .unwrap_or_else(|| "error".into());
        let mut extra = Vec::new();
        if let Some(c) = self
            .code
            .as_ref()
            .map(Scalar::to_text)
            .filter(|c| !c.is_empty())
        {
            extra.push(format!("code {c}"));
        }
        if let Some(t) = &self.trace_id {
            extra.push(format!("trace {}", t.as_str()));
        }
        if !extra.is_empty() {
            s.push_str(&format!(" ({})", extra.join(", ")));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{AttrValue, RefType, SpanKind};
    fn decode(bytes: &[u8], what: &str) -> crate::error::Result<Vec<crate::model::Trace>> {
        crate::source::decode(bytes, what, &crate::source::Limits::default())
    }

    fn one(json: &str) -> crate::model::Trace {
        let mut t = decode(json.as_bytes(), "test").expect("decodes");
        assert_eq!(t.len(), 1);
        t.remove(0)
    }

    const TRACE: &str = r#"{"traceID":"ABC","spans":[
      {"traceID":"abc","spanID":"1","operationName":"root","startTime":10,"duration":"5",
       "references":[],"processID":"p1","tags":[
         {"key":"big","type":"int64","value":"9223372036854775222"},
         {"key":"small","type":"int64","value":42},
         {"key":"blob","type":"binary","value":"AAAwOQ=="},
         {"key":"f","type":"float64","value":"1.5"},
         {"key":"span.kind","type":"string","value":"server"},
         {"key":"error","type":"bool","value":"true"}],
       "logs":[{"timestamp":11,"fields":[{"key":"event","type":"string","value":"retry"}]},
               {"timestamp":12,"fields":[{"key":"x","type":"string","value":"y"}]}]},
      {"traceID":"abc","spanID":"2","operationName":"child","startTime":11,"duration":1,"processID":"p2",
       "references":[{"refType":"FOLLOWS_FROM","traceID":"abc","spanID":"1"},
                     {"refType":"FOLLOWS_FROM","traceID":"abc","spanID":"9"}]},
      {"traceID":"abc","spanID":"3","parentSpanID":"2","operationName":"legacy","startTime":11,"duration":1,
       "process":{"serviceName":"emb","tags":[{"key":"hostname","type":"string","value":"h1"}]}}
    ],"processes":{"p1":{"serviceName":"svc","tags":[{"key":"ip","type":"string","value":"10.0.0.1"}]},
                   "p2":{"serviceName":"other","tags":[]}},
     "warnings":["w1"]}"#;

    #[test]
    fn reads_tag_types() {
        let t = one(TRACE);
        let s = &t.spans[0];
        assert_eq!(s.attr("big"), Some(&AttrValue::Int(9223372036854775222)));
        assert_eq!(s.attr("small"), Some(&AttrValue::Int(42)));
        assert_eq!(s.attr("blob"), Some(&AttrValue::Bytes("AAAwOQ==".into())));
        assert_eq!(s.attr("f"), Some(&AttrValue::Float(1.5)));
        assert_eq!(s.kind, SpanKind::Server);
        assert!(s.is_error(), "string \"true\" error tag");
        assert_eq!(s.start_ns, 10_000);
        assert_eq!(s.duration_ns, 5_000);
        assert_eq!(s.events[0].name, "retry");
        assert_eq!(s.events[1].name, "log");
    }

    #[test]
    fn resolves_processes_declared_after_spans() {
        let t = one(TRACE);
        assert_eq!(t.id, "abc");
        assert_eq!(t.spans[0].service, "svc");
        assert_eq!(t.spans[0].host.as_deref(), Some("10.0.0.1"));
        assert_eq!(t.spans[1].service, "other");
        assert_eq!(t.spans[2].service, "emb");
        assert_eq!(t.spans[2].host.as_deref(), Some("h1"));
        assert_eq!(t.warnings, vec!["w1".to_string()]);
    }

    #[test]
    fn follows_from_and_legacy_parent() {
        let t = one(TRACE);
        assert_eq!(t.spans[1].parent_id.as_deref(), Some("1"));
        assert_eq!(t.spans[1].parent_ref, RefType::FollowsFrom);
        assert_eq!(t.spans[1].links.len(), 1);
        assert_eq!(t.spans[2].parent_id.as_deref(), Some("2"));
    }

    #[test]
    fn envelope_errors_without_data_fail() {
        let e = decode(
            br#"{"data":null,"errors":[{"code":404,"msg":"trace not found"}]}"#,
            "x",
        )
        .unwrap_err();
        assert!(e.to_string().contains("trace not found"), "{e}");
    }

    #[test]
    fn envelope_errors_with_data_are_warnings() {
        let doc = r#"{"data":[{"traceID":"1","spans":[{"spanID":"a","processID":"p1"}],"processes":{}}],
                     "errors":[{"code":404,"msg":"trace not found","traceID":"2"}]}"#;
        let t = one(doc);
        assert_eq!(t.spans[0].service, "unknown_service");
        assert!(
            t.warnings.iter().any(|w| w.contains("trace not found")),
            "{:?}",
            t.warnings
        );
    }

    #[test]
    fn spans_of_other_traces_split() {
        let doc = r#"{"data":[{"traceID":"1","spans":[{"traceID":"1","spanID":"a"},{"traceID":"2","spanID":"b"}]}]}"#;
        let t = decode(doc.as_bytes(), "x").unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].id, "1");
        assert_eq!(t[1].id, "2");
    }
}
