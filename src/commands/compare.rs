//! `compare`: two traces, from one source or two (--source-b), aligned span by span.

use crate::analysis::compare::compare;
use crate::error::Result;
use crate::model::IndexedTrace;
use crate::report::compare::CompareDoc;
use crate::report::Document;

use super::options::CompareRequest;
use super::select::{open_named, open_source};
use super::{Options, Outcome};

pub fn build(opts: &Options, req: &CompareRequest) -> Result<Outcome> {
    let source_a = open_source(opts)?;
    let trace_a = source_a.trace(&req.trace_a)?;
    let (trace_b, describe_b) = match &req.source_b {
        Some(spec) => {
            let source_b = open_named(opts, spec)?;
            (source_b.trace(&req.trace_b)?, source_b.describe())
        }
        None => (source_a.trace(&req.trace_b)?, source_a.describe()),
    };
    let max_skew = req.analysis.max_skew;
    let a = IndexedTrace::new(trace_a, max_skew);
    let b = IndexedTrace::new(trace_b, max_skew);
    let c = compare(&a, &b, &req.compare);
    let doc = CompareDoc::build(
        &a,
        &b,
        &c,
        (&source_a.describe(), &describe_b),
        req.max_rows,
    );
    Ok(Outcome::ok(Document::Compare(Box::new(doc))))
}
