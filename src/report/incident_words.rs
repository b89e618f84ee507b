//! The wording the `root-cause --window` and `cohorts` reports share in every format: what
//! a piece of evidence shows, whether anything moved, and the two cohorts.

use crate::analysis::cohort::CohortComparison;
use crate::analysis::incident::{Evidence, EvidenceKind, Incident};

use super::text::clean;

/// One line saying what the evidence shows, with its numbers.
pub fn describe(e: &Evidence) -> String {
    let op = e.operation.as_deref().unwrap_or("?");
    let peer = e.peer.as_deref().unwrap_or("?");
    let extra = e.extra_ms_per_trace.unwrap_or(0.0);
    match e.kind {
        EvidenceKind::SelfTime => format!(
            "own time of {op}: median {:.1}ms → {:.1}ms (z {:.1}, +{:.1}ms per trace)",
            e.baseline, e.window, e.z, extra
        ),
        EvidenceKind::CallerSideDelay => format!(
            "calls from {peer} wait outside its server spans: median {:.1}ms → {:.1}ms (z {:.1}, +{:.1}ms per trace)",
            e.baseline, e.window, e.z, extra
        ),
        EvidenceKind::OutgoingDelay => format!(
            "its calls to {peer} are slow to leave: median {:.1}ms → {:.1}ms (z {:.1}, +{:.1}ms per trace)",
            e.baseline, e.window, e.z, extra
        ),
        EvidenceKind::MissingCalls => format!(
            "{op} calls {peer} less: {:.2} → {:.2} per invocation (z {:.1})",
            e.baseline, e.window, e.z
        ),
        EvidenceKind::NewCalls => format!(
            "{op} calls {peer} more: {:.2} → {:.2} per invocation (z {:.1})",
            e.baseline, e.window, e.z
        ),
        EvidenceKind::ErrorOrigins => format!(
            "errors starting here: {:.2} → {:.2} per trace (z {:.1})",
            e.baseline, e.window, e.z
        ),
        EvidenceKind::FailedInvocations
        | EvidenceKind::FailedAfterCall
        | EvidenceKind::VanishedCall => {
            let what = match e.kind {
                EvidenceKind::FailedInvocations => format!("{op} fails more often"),
                EvidenceKind::FailedAfterCall => {
                    format!("{peer} {op} fails right after its call here returns")
                }
                _ => format!("{peer} {op} fails where it used to call here, and the call is gone"),
            };
            format!(
                "{what}: {:.0}% → {:.0}% of invocations (z {:.1})",
                100.0 * e.baseline,
                100.0 * e.window,
                e.z
            )
        }
        EvidenceKind::TotalLatency => format!(
            "only its total latency moved: median {:.1}ms → {:.1}ms (z {:.1})",
            e.baseline, e.window, e.z
        ),
    }
}

/// The first statement: whether anything moved, and how many services nothing points at.
pub fn significance_line(inc: &Incident) -> String {
    let unranked = inc
        .services
        .iter()
        .filter(|s| s.evidence.is_empty())
        .count();
    let rest = if unranked > 0 {
        format!(" {unranked} service(s) without evidence are not ranked.")
    } else {
        String::new()
    };
    if inc.significant {
        return format!("Services ranked by the evidence that they changed.{rest}\n\n");
    }
    let largest = inc
        .with_evidence()
        .next()
        .map(|s| {
            let what = s.evidence.first().map(describe).unwrap_or_default();
            format!(" The largest shift was {} ({}).", clean(&s.service), what)
        })
        .unwrap_or_default();
    format!(
        "No service changed significantly between the baseline and the window.{largest}{rest}\n\n"
    )
}

/// The two cohorts: their filters, sizes and mean durations, one line each.
pub fn cohorts_head(c: &CohortComparison, a: &str, b: &str) -> String {
    format!(
        "A: {a} ({} traces, mean {:.1}ms)\nB: {b} ({} traces, mean {:.1}ms)\n\n",
        c.a_traces, c.a_mean_ms, c.b_traces, c.b_mean_ms
    )
}
