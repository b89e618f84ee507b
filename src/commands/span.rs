//! `span <trace> <span>`: one span in full — attributes, resource, events, links.

use crate::error::{Error, Result};
use crate::model::{id_matches, Trace};
use crate::report::span::detail;
use crate::report::Document;

use super::options::SpanRequest;
use super::select::{load_trace, open_source};
use super::{Options, Outcome};

/// Span ids listed in the error for an unknown one, so the next try can be a paste.
const IDS_IN_ERROR: usize = 5;

pub fn build(opts: &Options, req: &SpanRequest) -> Result<Outcome> {
    let source = open_source(opts)?;
    let trace = load_trace(opts, source.as_ref(), Some(&req.trace_id))?;
    let index = find(&trace, &req.span_id)?;
    let doc = detail(&trace, index, opts.limits().max_attr_bytes)
        .ok_or_else(|| not_found(&trace, &req.span_id))?;
    Ok(Outcome::ok(Document::Span(Box::new(doc))))
}

/// The first span whose id is `query` (leading zeros may be left out).
fn find(trace: &Trace, query: &str) -> Result<usize> {
    trace
        .spans
        .iter()
        .position(|s| id_matches(&s.span_id, query))
        .ok_or_else(|| not_found(trace, query))
}

fn not_found(trace: &Trace, query: &str) -> Error {
    let mut ids: Vec<&str> = Vec::new();
    for s in trace.spans.iter() {
        if ids.len() == IDS_IN_ERROR {
            break;
        }
        if !ids.contains(&s.span_id.as_str()) {
            ids.push(s.span_id.as_str());
        }
    }
    let distinct: std::collections::HashSet<&str> =
        trace.spans.iter().map(|s| s.span_id.as_str()).collect();
    let more = distinct.len().saturating_sub(ids.len());
    let more = if more > 0 {
        format!(", and {more} more")
    } else {
        String::new()
    };
    Error::input(
        format!("trace {}", trace.id),
        format!(
            "no span {}; its span ids: {}{more}",
            crate::text::clean(query),
            ids.join(", ")
        ),
    )
}
