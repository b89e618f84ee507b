//! BROKEN_TRACE: orphans, cycles or several roots. A broken tree makes every other
//! conclusion less certain, and time that belongs to an orphan looks like its lost parent's
//! own slowness.

use std::collections::HashMap;

use crate::analysis::units::{fmt_ms, fmt_timestamp};
use crate::model::{IndexedTrace, SpanKind};

use super::{Candidate, Category, Context};

/// Factor applied to every other score when the tree is broken.
pub(super) const BROKEN_CONFIDENCE: f64 = 0.85;

/// Demote what the broken tree makes up and add the broken tree itself. Time that belongs to
/// a span whose child lost its parent link looks like that span's own slowness: such
/// findings are artefacts, so their score is halved and BROKEN_TRACE takes their place,
/// pointing at the first orphan and the span it most likely belongs to. Every other score is
/// lowered by [`BROKEN_CONFIDENCE`].
pub(super) fn weigh_broken_tree(cx: &Context, out: &mut Vec<Candidate>) {
    let lost = lost_parents(cx.t);
    let mut displaced: f64 = 0.0;
    for c in out.iter_mut() {
        let slow = matches!(
            c.category,
            Category::PerformanceDegradation | Category::NetworkTimeout
        );
        let Some(link) = c.span.and_then(|s| lost.iter().find(|l| l.parent == s)) else {
            continue;
        };
        if slow {
            displaced = displaced.max(c.score);
            c.score *= 0.5;
            c.evidence.push(format!(
                "{} ({}) runs inside this span but lost its parent link: the time may be its",
                cx.label(link.orphan),
                fmt_ms(cx.spans[link.orphan].duration_ns)
            ));
        }
    }
    let explained = out.iter().any(|c| c.score >= 0.4);
    for c in out.iter_mut() {
        c.score *= BROKEN_CONFIDENCE;
    }
    let score = if displaced > 0.0 {
        displaced.max(0.6)
    } else if explained {
        0.2
    } else {
        0.6
    };
    let mut broken = broken_candidate(cx, score);
    if let Some(link) = lost.first() {
        broken.span = Some(link.orphan);
        broken.peer_span = Some(link.parent);
        broken.evidence.insert(
            1,
            format!(
                "{} ({}, {}) runs inside {} ({}): most likely its caller, where the trace context was dropped",
                cx.label(link.orphan),
                fmt_ms(cx.spans[link.orphan].duration_ns),
                fmt_timestamp(cx.spans[link.orphan].start_ns),
                cx.label(link.parent),
                fmt_ms(cx.spans[link.parent].duration_ns)
            ),
        );
    }
    out.push(broken);
}

fn broken_candidate(cx: &Context, score: f64) -> Candidate {
    let integrity = &cx.t.tree.integrity;
    let index_of = |id: &str| cx.spans.iter().position(|s| s.span_id == id);
    let mut evidence = Vec::new();
    if let Some(first) = integrity.orphans.first() {
        evidence.push(format!(
            "{} orphan span(s) whose parent is not in the trace (e.g. {} → missing {}): context propagation was lost \
             or the parent was not sampled",
            integrity.orphans.len(),
            first.span_id,
            first.missing_parent_id
        ));
    }
    if integrity.root_span_ids.len() > 1 {
        evidence.push(format!(
            "{} root spans instead of one",
            integrity.root_span_ids.len()
        ));
    }
    if !integrity.cycles.is_empty() {
        evidence.push(format!(
            "{} parent cycle(s), cut to build the tree",
            integrity.cycles.len()
        ));
    }
    evidence.push(format!(
        "{} spans in the trace; conclusions about it are less certain",
        cx.spans.len()
    ));
    let span = integrity
        .orphans
        .first()
        .map(|o| o.span_id.as_str())
        .or_else(|| {
            integrity
                .cycles
                .first()
                .and_then(|c| c.first())
                .map(String::as_str)
        })
        .or_else(|| integrity.root_span_ids.get(1).map(String::as_str))
        .and_then(index_of);
    Candidate {
        category: Category::BrokenTrace,
        span,
        peer_span: None,
        score,
        evidence,
        recommendation: "Check trace-context propagation (traceparent/B3 headers through every proxy, queue and thread \
                         hop) and sampling consistency between services, then look at this trace again."
            .into(),
    }
}

/// Orphans examined for the span they were lost from.
const MAX_LOST_LINKS: usize = 16;

/// An orphan and the span that most likely was its parent before the link was lost.
struct LostLink {
    orphan: usize,
    parent: usize,
}

/// For each orphan, the innermost span outside its subtree whose window contains the
/// orphan's, preferring client and producer spans (the side that makes the call and should
/// have propagated the context). Orphans with no such span (a late or early fragment) are
/// left out.
fn lost_parents(t: &IndexedTrace) -> Vec<LostLink> {
    let spans = &t.trace.spans;
    let by_id: HashMap<&str, usize> = spans
        .iter()
        .enumerate()
        .map(|(i, s)| (s.span_id.as_str(), i))
        .collect();
    let mut out = Vec::new();
    // Each orphan costs a pass over the trace; a handful is enough to explain the picture.
    for o in t.tree.integrity.orphans.iter().take(MAX_LOST_LINKS) {
        let Some(&orphan) = by_id.get(o.span_id.as_str()) else {
            continue;
        };
        let os = &spans[orphan];
        // The orphan's own subtree cannot hold its parent.
        let mut in_subtree = vec![false; spans.len()];
        let mut stack = vec![orphan];
        while let Some(i) = stack.pop() {
            if let Some(slot) = in_subtree.get_mut(i) {
                if !*slot {
                    *slot = true;
                    stack.extend(t.tree.children.get(i).into_iter().flatten().copied());
                }
            }
        }
        let calls_out = |i: usize| matches!(spans[i].kind, SpanKind::Client | SpanKind::Producer);
        let best = (0..spans.len())
            .filter(|&i| !in_subtree[i])
            .filter(|&i| spans[i].start_ns <= os.start_ns && spans[i].end_ns() >= os.end_ns())
            .min_by(|&a, &b| {
                calls_out(b)
                    .cmp(&calls_out(a))
                    .then(spans[a].duration_ns.cmp(&spans[b].duration_ns))
                    .then(a.cmp(&b))
            });
        if let Some(parent) = best {
            out.push(LostLink { orphan, parent });
        }
    }
    out
}
