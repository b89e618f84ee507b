//! One span, normalised from whatever format it was read from.

use std::sync::{Arc, OnceLock};

pub use compact_str::CompactString;
use serde::Serialize;
pub use thin_vec::ThinVec;

/// A typed attribute value. Formats disagree on types (Jaeger's int64-as-string, OTLP's
/// `intValue` as a string, Tempo's all-string attributes); readers convert once, here.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum AttrValue {
    Str(CompactString),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// Binary values, kept as the base64 text the source sent.
    Bytes(CompactString),
    List(Vec<AttrValue>),
}

impl AttrValue {
    /// The value as text, for matching and display.
    pub fn as_text(&self) -> String {
        match self {
            AttrValue::Str(s) | AttrValue::Bytes(s) => s.to_string(),
            AttrValue::Int(i) => i.to_string(),
            AttrValue::Float(f) => f.to_string(),
            AttrValue::Bool(b) => b.to_string(),
            AttrValue::List(items) => {
                let parts: Vec<String> = items.iter().map(AttrValue::as_text).collect();
                format!("[{}]", parts.join(", "))
            }
        }
    }

    /// The value as an integer when it is one or a string holding one (`"503"`).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            AttrValue::Int(i) => Some(*i),
            AttrValue::Float(f) if f.fract() == 0.0 => Some(*f as i64),
            AttrValue::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// The value as a boolean when it is one or the strings `"true"`/`"false"`.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            AttrValue::Bool(b) => Some(*b),
            AttrValue::Str(s) if s.eq_ignore_ascii_case("true") => Some(true),
            AttrValue::Str(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }
}

/// Key/value pairs in source order. A `Vec` rather than a map: spans carry few attributes,
/// order is worth keeping for display, and a linear scan beats hashing at these sizes.
pub type Attributes = Vec<(CompactString, AttrValue)>;

/// Look up an attribute by key.
pub fn attr<'a>(attrs: &'a Attributes, key: &str) -> Option<&'a AttrValue> {
    attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SpanKind {
    #[default]
    Unspecified,
    Internal,
    Server,
    Client,
    Producer,
    Consumer,
}

impl SpanKind {
    /// Parse OTLP numbers (`2`), OTLP enum names (`SPAN_KIND_SERVER`) and Jaeger's
    /// `span.kind` tag values (`server`).
    pub fn parse(text: &str) -> SpanKind {
        const PREFIX: &str = "span_kind_";
        // Compared without case rather than lower-cased: this runs once per span.
        let t = text.trim();
        let t = match t.get(..PREFIX.len()) {
            Some(p) if p.eq_ignore_ascii_case(PREFIX) => &t[PREFIX.len()..],
            _ => t,
        };
        if let [digit @ b'0'..=b'9'] = t.as_bytes() {
            return SpanKind::from_number(i64::from(digit - b'0'));
        }
        [
            SpanKind::Internal,
            SpanKind::Server,
            SpanKind::Client,
            SpanKind::Producer,
            SpanKind::Consumer,
        ]
        .into_iter()
        .find(|kind| t.eq_ignore_ascii_case(kind.as_str()))
        .unwrap_or(SpanKind::Unspecified)
    }

    /// An OTLP kind number; 0 and numbers OTLP does not define are unspecified.
    pub fn from_number(n: i64) -> SpanKind {
        match n {
            1 => SpanKind::Internal,
            2 => SpanKind::Server,
            3 => SpanKind::Client,
            4 => SpanKind::Producer,
            5 => SpanKind::Consumer,
            _ => SpanKind::Unspecified,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SpanKind::Unspecified => "unspecified",
            SpanKind::Internal => "internal",
            SpanKind::Server => "server",
            SpanKind::Client => "client",
            SpanKind::Producer => "producer",
            SpanKind::Consumer => "consumer",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum StatusCode {
    #[default]
    Unset,
    Ok,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Status {
    pub code: StatusCode,
    pub message: Option<String>,
}

/// How a span relates to its parent. `FollowsFrom` (Jaeger) and producer→consumer pairs are
/// asynchronous: a child that outlives its parent is then expected, not clock skew.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RefType {
    #[default]
    ChildOf,
    FollowsFrom,
}

/// A timestamped event (OTLP) or log (Jaeger).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub time_ns: i64,
    pub name: CompactString,
    pub attributes: Attributes,
}

/// What every span of one resource block (a Jaeger process) and one instrumentation scope
/// shares, held once for all of them: an OTLP exporter repeats its scope's name on every
/// span, and copying it into each span's own attributes was a fifth of a decoded trace.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Origin {
    /// Resource attributes (Jaeger process tags).
    pub resource: Attributes,
    /// The scope's name and version (`otel.scope.name`, `otel.scope.version`), read as the
    /// span's attributes after its own: see [`Span::attributes_and_scope`].
    pub scope: Attributes,
}

/// A link (OTLP) or an extra reference (Jaeger) to another span.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    pub trace_id: CompactString,
    pub span_id: CompactString,
    pub ref_type: RefType,
}

/// A span. `Span::default()` is the blank span readers fill in: no ids, no parent, kind
/// and status unset, zero times, and the one shared empty resource (a blank span allocates
/// nothing).
///
/// Ids, names, hosts and attribute keys are `CompactString`s: the same 24 bytes as a
/// `String`, but text of up to 24 bytes (a span id, most service and operation names and
/// keys) lives inside them instead of in an allocation of its own. Measured on a
/// 100,000-span Jaeger file: 10 MB less peak RSS, the same time.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub trace_id: CompactString,
    pub span_id: CompactString,
    pub parent_id: Option<CompactString>,
    /// How this span relates to `parent_id`.
    pub parent_ref: RefType,
    pub service: CompactString,
    pub operation: CompactString,
    pub kind: SpanKind,
    /// Start, in nanoseconds since the Unix epoch.
    pub start_ns: i64,
    /// Duration in nanoseconds. Zero or negative values are kept as read and reported by the
    /// integrity check rather than silently fixed.
    pub duration_ns: i64,
    pub status: Status,
    pub attributes: Attributes,
    /// Shared by every span of one process, or of one resource and scope block: one copy,
    /// not one per span.
    pub origin: Arc<Origin>,
    /// Thin vectors: one pointer, and no allocation when empty, as they mostly are.
    pub events: ThinVec<Event>,
    pub links: ThinVec<Link>,
    /// Host identity used to group spans for clock-skew adjustment (Jaeger groups by host).
    pub host: Option<CompactString>,
}

impl Default for Span {
    fn default() -> Span {
        static NO_ORIGIN: OnceLock<Arc<Origin>> = OnceLock::new();
        Span {
            trace_id: CompactString::default(),
            span_id: CompactString::default(),
            parent_id: None,
            parent_ref: RefType::default(),
            service: CompactString::default(),
            operation: CompactString::default(),
            kind: SpanKind::default(),
            start_ns: 0,
            duration_ns: 0,
            status: Status::default(),
            attributes: Attributes::new(),
            origin: Arc::clone(NO_ORIGIN.get_or_init(Arc::default)),
            events: ThinVec::new(),
            links: ThinVec::new(),
            host: None,
        }
    }
}

impl Span {
    pub fn end_ns(&self) -> i64 {
        self.start_ns.saturating_add(self.duration_ns.max(0))
    }

    pub fn is_error(&self) -> bool {
        self.status.code == StatusCode::Error
    }

    /// Span attribute first (its own, then its scope's), then resource attribute.
    pub fn attr(&self, key: &str) -> Option<&AttrValue> {
        attr(&self.attributes, key)
            .or_else(|| attr(&self.origin.scope, key))
            .or_else(|| attr(&self.origin.resource, key))
    }

    /// The span's attributes as a reader sees them: its own, then its scope's.
    pub fn attributes_and_scope(&self) -> impl Iterator<Item = &(CompactString, AttrValue)> {
        self.attributes.iter().chain(self.origin.scope.iter())
    }

    /// The resource attributes (Jaeger process tags).
    pub fn resource(&self) -> &Attributes {
        &self.origin.resource
    }

    /// `service.operation`, the token used in reports and similarity.
    pub fn label(&self) -> String {
        format!("{}.{}", self.service, self.operation)
    }
}

// Every byte of a span is a megabyte on a million-span trace: keep it from growing unnoticed.
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Span>() <= 248);

#[cfg(test)]
mod tests {
    use super::SpanKind;

    #[test]
    fn kinds_are_read_from_any_spelling() {
        for (text, kind) in [
            ("SPAN_KIND_SERVER", SpanKind::Server),
            ("span_kind_client", SpanKind::Client),
            (" Producer ", SpanKind::Producer),
            ("consumer", SpanKind::Consumer),
            ("1", SpanKind::Internal),
            ("SPAN_KIND_", SpanKind::Unspecified),
            ("span_kind_x", SpanKind::Unspecified),
            ("servers", SpanKind::Unspecified),
            ("", SpanKind::Unspecified),
            ("é", SpanKind::Unspecified),
        ] {
            assert_eq!(SpanKind::parse(text), kind, "{text:?}");
        }
        for n in -1..8 {
            assert_eq!(
                SpanKind::from_number(n),
                SpanKind::parse(&n.to_string()),
                "{n}"
            );
        }
    }
}
