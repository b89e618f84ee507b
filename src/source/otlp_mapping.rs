//! What OTLP means in the model, shared by the JSON and the protobuf readers so both give
//! the same spans: resource attributes become service, host and resource; the scope becomes
//! `otel.scope.*` attributes (held once per block, in the span's [`Origin`]); status and
//! kind numbers; links; maps as readable text.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::model::status::normalize_status;
use crate::model::{AttrValue, Attributes, CompactString, Link, Origin, RefType, Span, StatusCode};

/// Service name when the resource has none (OpenTelemetry SDK default).
pub(crate) const UNKNOWN_SERVICE: &str = "unknown_service";

/// Origins already made for an input, by content. An OTLP export repeats each service's
/// resource and scope in every block it sends: a JSON Lines file of 100,000 traces held
/// 700,000 resource blocks and a handful of distinct origins.
#[derive(Debug, Default)]
pub(crate) struct Origins(rustc_hash::FxHashMap<u64, Vec<Arc<Origin>>>);

/// Distinct origins remembered per input; past it, further ones are made without being kept
/// (an input whose every block differs would only fill the map).
const ORIGINS_KEPT: usize = 4096;

impl Origins {
    /// The origin of `resource` and `scope`: one made before for the same content, or a new one.
    fn get(&mut self, resource: &Attributes, scope: &Attributes) -> Arc<Origin> {
        let mut h = rustc_hash::FxHasher::default();
        hash_attributes(resource, &mut h);
        hash_attributes(scope, &mut h);
        let key = h.finish();
        if let Some(o) = self.0.get(&key).and_then(|same| {
            same.iter()
                .find(|o| o.resource == *resource && o.scope == *scope)
        }) {
            return Arc::clone(o);
        }
        let made = Arc::new(Origin {
            resource: resource.clone(),
            scope: scope.clone(),
        });
        if self.0.len() < ORIGINS_KEPT {
            self.0.entry(key).or_default().push(Arc::clone(&made));
        }
        made
    }
}

fn hash_attributes(attrs: &Attributes, h: &mut impl Hasher) {
    h.write_usize(attrs.len());
    for (k, v) in attrs {
        h.write(k.as_bytes());
        hash_value(v, h);
    }
}

fn hash_value(v: &AttrValue, h: &mut impl Hasher) {
    match v {
        AttrValue::Str(s) => (0u8, s.as_str()).hash(h),
        AttrValue::Int(i) => (1u8, i).hash(h),
        AttrValue::Float(f) => (2u8, f.to_bits()).hash(h),
        AttrValue::Bool(b) => (3u8, b).hash(h),
        AttrValue::Bytes(s) => (4u8, s.as_str()).hash(h),
        AttrValue::List(items) => {
            (5u8, items.len()).hash(h);
            items.iter().for_each(|i| hash_value(i, h));
        }
    }
}

/// Apply a resource block's attributes to its spans (`spans` are the block's, in order,
/// each scope block's already given its scope by [`apply_scope`]): one [`Origin`] for each
/// run of spans that shared one, taken from `origins` when one like it was made before.
pub(crate) fn apply_resource(spans: &mut [Span], resource: &Attributes, origins: &mut Origins) {
    let text = |key: &str| {
        resource
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| CompactString::from(v.as_text()))
    };
    let service = text("service.name")
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| UNKNOWN_SERVICE.into());
    let host = text("host.name").filter(|s| !s.is_empty());
    let mut scoped: Option<(Arc<Origin>, Arc<Origin>)> = None;
    for span in spans {
        span.service.clone_from(&service);
        span.host.clone_from(&host);
        let origin = match &scoped {
            Some((given, made)) if Arc::ptr_eq(given, &span.origin) => Arc::clone(made),
            _ => {
                let made = origins.get(resource, &span.origin.scope);
                scoped = Some((Arc::clone(&span.origin), Arc::clone(&made)));
                made
            }
        };
        span.origin = origin;
        normalize_status(span);
    }
}

/// Apply a scope block's name and version to its spans, under the names Jaeger's
/// OTLP→Jaeger translation uses, so both inputs look alike. Empty values are absent.
/// Called before [`apply_resource`], which keeps the scope.
pub(crate) fn apply_scope(spans: &mut [Span], name: Option<String>, version: Option<String>) {
    let origin = Arc::new(Origin {
        resource: Attributes::new(),
        scope: scope_attributes(name, version),
    });
    for span in spans {
        span.origin = Arc::clone(&origin);
    }
}

/// The attributes [`apply_scope`] gives the spans of a scope block, in order.
pub(crate) fn scope_attributes(name: Option<String>, version: Option<String>) -> Attributes {
    let name = name.filter(|n| !n.is_empty());
    let version = version.filter(|n| !n.is_empty());
    let mut extra = Vec::new();
    if let Some(n) = name {
        extra.push(("otel.scope.name".into(), AttrValue::Str(n.into())));
    }
    if let Some(v) = version {
        extra.push(("otel.scope.version".into(), AttrValue::Str(v.into())));
    }
    extra
}

/// A `kvlistValue`: the model has no map type; a readable `{k=v, …}` keeps the content
/// searchable.
pub(crate) fn kvlist_text(pairs: impl Iterator<Item = (CompactString, AttrValue)>) -> AttrValue {
    let parts: Vec<String> = pairs.map(|(k, v)| format!("{k}={}", v.as_text())).collect();
    AttrValue::Str(format!("{{{}}}", parts.join(", ")).into())
}

/// `status.code` as its enum number (0 unset, 1 ok, 2 error).
pub(crate) fn status_code_number(code: i64) -> StatusCode {
    match code {
        1 => StatusCode::Ok,
        2 => StatusCode::Error,
        _ => StatusCode::Unset,
    }
}

/// An OTLP link. Jaeger's OTLP mapping turns links into FOLLOWS_FROM references.
pub(crate) fn link(trace_id: CompactString, span_id: CompactString) -> Link {
    Link {
        trace_id,
        span_id,
        ref_type: RefType::FollowsFrom,
    }
}

/// The error for a span without a span id (`index` counts within its `spans` list).
pub(crate) fn missing_span_id(index: usize) -> String {
    format!("OTLP span #{index} has no spanId")
}
