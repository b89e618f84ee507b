//! Clock-skew adjustment with Jaeger's rule (jaeger `adjuster/clockskew.go`):
//! spans are grouped by host; a child on another host than its parent that does not fit in
//! the parent's window is centred in it, assuming equal request and response latency
//! (latency = (parent − child) / 2). Descendants on the child's host move with it. Shifts
//! larger than a bound are not applied: a shift that big is more likely asynchronous work
//! or a broken clock than network skew, and hiding it would hide the problem.

use super::integrity::SkewAdjustment;
use super::span::Span;
use super::trace::Trace;
use super::tree::{is_async_edge, Tree};

/// Shift spans of `trace` in place; returns what was shifted. Rebuild the tree afterwards.
pub fn adjust_clock_skew(trace: &mut Trace, tree: &Tree, max_shift_ns: i64) -> Vec<SkewAdjustment> {
    let n = trace.spans.len();
    // Shift already applied to each span (inherited from same-host ancestors).
    let mut shift = vec![0i64; n];
    let mut applied = Vec::new();
    for &i in &tree.preorder {
        let Some(p) = tree.parent[i] else { continue };
        let (ps, cs) = (&trace.spans[p], &trace.spans[i]);
        if host(ps) == host(cs) {
            shift[i] = shift[p];
            continue;
        }
        if is_async_edge(trace, p, i) {
            continue;
        }
        let parent_start = ps.start_ns.saturating_add(shift[p]);
        let skew = skew_for(parent_start, ps.duration_ns, cs.start_ns, cs.duration_ns);
        if skew != 0 && skew.unsigned_abs() <= max_shift_ns.unsigned_abs() {
            shift[i] = skew;
            applied.push(SkewAdjustment {
                span_id: cs.span_id.to_string(),
                shift_ns: skew,
            });
        }
    }
    if applied.is_empty() {
        // Nothing moved: the spans stay shared with whoever else holds them.
        return applied;
    }
    for (s, d) in trace.spans_mut().iter_mut().zip(&shift) {
        if *d != 0 {
            s.start_ns = s.start_ns.saturating_add(*d);
            for e in &mut s.events {
                e.time_ns = e.time_ns.saturating_add(*d);
            }
        }
    }
    applied
}

fn host(s: &Span) -> &str {
    s.host.as_deref().unwrap_or(&s.service)
}

fn skew_for(parent_start: i64, parent_dur: i64, child_start: i64, child_dur: i64) -> i64 {
    // Saturating throughout: timestamps come from the input and may be anything.
    let parent_end = parent_start.saturating_add(parent_dur);
    let child_end = child_start.saturating_add(child_dur);
    if parent_dur < child_dur {
        // The child cannot fit; only align its start.
        return if child_start < parent_start {
            parent_start.saturating_sub(child_start)
        } else {
            0
        };
    }
    if child_start >= parent_start && child_end <= parent_end {
        return 0;
    }
    let latency = parent_dur.saturating_sub(child_dur) / 2;
    parent_start
        .saturating_add(latency)
        .saturating_sub(child_start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centres_a_child_that_starts_early() {
        // parent 0..100, child -65..-35 (30 long) → centred at 35..65
        assert_eq!(skew_for(0, 100, -65, 30), 100);
        assert_eq!(skew_for(0, 100, 10, 30), 0);
        assert_eq!(skew_for(0, 10, -5, 30), 5);
    }
}
