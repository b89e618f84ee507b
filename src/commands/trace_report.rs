//! The single-trace commands: diagnose, gaps, root-cause, timeline, summary. They share the
//! whole pipeline and differ only in the section the document shows.

use crate::analysis::diagnose;
use crate::error::Result;
use crate::model::IndexedTrace;
use crate::report::{Document, TraceReport};

use super::options::TraceRequest;
use super::select::load_trace;
use super::{Options, Outcome};

pub fn build(opts: &Options, req: &TraceRequest) -> Result<Outcome> {
    let trace = load_trace(opts, req.trace_id.as_deref())?;
    let indexed = IndexedTrace::new(trace, req.analysis.max_skew);
    let diagnosis = diagnose(&indexed, &req.analysis.thresholds);
    Ok(Outcome::ok(Document::Trace(Box::new(TraceReport {
        trace: indexed,
        diagnosis,
        view: req.kind,
    }))))
}
