//! The llm format's attribute lines: the root-cause span's and the failed spans' attributes
//! as compact `key=value` lists, each value bounded, within the token budget like every
//! section. They are what a reader of a diagnosis asks next (which statement, which URL,
//! which status code), so they come right after the errors.

use super::span::compact;
use super::text::{clean, truncate};
use super::Ctx;

/// Longest value shown; longer ones end in `…`.
const VALUE: usize = 80;
/// Most pairs a span shows; the rest are counted (`+3 more`).
const PAIRS: usize = 12;
/// Most failed spans listed besides the root-cause span.
const ERROR_SPANS: usize = 5;
/// Attributes the line says already (kind, status), left out.
const SAID: &[&str] = &[
    "span.kind",
    "error",
    "otel.status_code",
    "otel.status_description",
];

/// The spans whose attributes are listed: the root-cause span (when a cause is shown), the
/// spans where errors started, then the other failed spans; each once.
fn spans(c: &Ctx) -> (Vec<usize>, usize) {
    let mut out: Vec<usize> = Vec::new();
    if super::verdict_text::shows_causes(c) {
        out.extend(c.d.root_causes.first().and_then(|rc| rc.span));
    }
    let origins = c.d.error_origins.iter().map(|e| e.origin);
    let failed = (0..c.len()).filter(|&i| c.is_error(i));
    let mut errors: Vec<usize> = Vec::new();
    for i in origins.chain(failed) {
        if !out.contains(&i) && !errors.contains(&i) {
            errors.push(i);
        }
    }
    let total = out.len() + errors.len();
    out.extend(errors.into_iter().take(ERROR_SPANS));
    (out, total)
}

/// The "Attributes" section's lines (`label` names a span as the other sections do), how
/// many spans qualify, and why some are not listed.
pub(super) fn lines(c: &Ctx, label: &dyn Fn(usize) -> String) -> (Vec<String>, usize, String) {
    let (idx, total) = spans(c);
    let items: Vec<String> = idx
        .iter()
        .filter_map(|&i| {
            let s = c.span(i)?;
            let attrs: crate::model::Attributes = s
                .attributes_and_scope()
                .filter(|(k, _)| !SAID.contains(&k.as_str()))
                .cloned()
                .collect();
            let list = if attrs.is_empty() {
                "(none)".to_string()
            } else {
                compact(&attrs, VALUE, PAIRS)
            };
            Some(format!(
                "- {} [span {}]: {list}",
                label(i),
                truncate(&clean(&c.id(i)), 40)
            ))
        })
        .collect();
    let why = format!("only the first {ERROR_SPANS} failed spans are listed");
    (items, total, why)
}
