//! The single-trace commands: diagnose, gaps, root-cause, timeline, summary. They share the
//! whole pipeline and differ only in the section the document shows.

use crate::analysis::diagnose;
use crate::analysis::rerank::rerank;
use crate::analysis::verdict::judge;
use crate::error::Result;
use crate::model::IndexedTrace;
use crate::report::{Document, TraceReport};
use crate::source::search::TraceSummary;

use super::options::TraceRequest;
use super::prepared::Prepared;
use super::select::{load_trace, open_source};
use super::{Options, Outcome};

pub fn build(opts: &Options, req: &TraceRequest) -> Result<Outcome> {
    let (indexed, baseline) = super::prepared::prepared(opts, req, || prepare(opts, req))?;
    let mut diagnosis = diagnose(&indexed, &req.analysis.thresholds);
    let judged = judge(&indexed, &diagnosis, baseline.as_ref());
    rerank(&indexed, &mut diagnosis, &judged, baseline.as_ref());
    Ok(Outcome::ok(Document::Trace(Box::new(TraceReport {
        trace: indexed,
        diagnosis,
        judged,
        view: req.kind,
    }))))
}

/// The trace read, masked and indexed, and its baseline.
fn prepare(opts: &Options, req: &TraceRequest) -> Result<Prepared> {
    let source = open_source(opts)?;
    let trace = load_trace(opts, source.as_ref(), req.trace_id.as_deref())?;
    // The baseline (other traces read and indexed, or a query) and the trace's own index
    // are independent: built side by side, the baseline costs no wall time on a big trace.
    let target = TraceSummary::of(&trace);
    let (indexed, baseline) = std::thread::scope(|s| {
        let baseline =
            s.spawn(|| super::baseline::for_trace(opts, source.as_ref(), &target, &req.baseline));
        let indexed = IndexedTrace::new(trace, req.analysis.max_skew);
        let baseline = baseline
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (indexed, baseline)
    });
    Ok((indexed, baseline))
}
