//! Parent links from time containment, for span tables that have no parent column (the
//! `beacon` preset's `trace_spans`): a span's parent is the innermost span whose interval
//! contains it.
//!
//! One sort and one stack sweep, O(n log n): after sorting by (start ascending, end
//! descending), every span that contains the current one and is still open sits on the stack,
//! innermost on top, because intervals that contain each other nest.

/// The interval and service of one span, as the inference needs them.
#[derive(Debug, Clone, Copy)]
pub struct Interval<'a> {
    pub start_ns: i64,
    pub end_ns: i64,
    pub service: &'a str,
}

/// The parent of each span (by index into `spans`), or None for spans nothing contains.
///
/// Identical intervals are the ambiguous case (a client span and the server span it caused,
/// recorded with the same times). Among them, the span of the enclosing span's service comes
/// first and becomes the parent: a call leaves its caller's service before it enters the
/// callee's, so the caller-side span is the outer one. Remaining ties keep input order, which
/// for a table is the order the spans were written.
pub fn infer_parents(spans: &[Interval<'_>]) -> Vec<Option<usize>> {
    let n = spans.len();
    let mut order: Vec<usize> = (0..n).collect();
    // A negative duration is bad data, not a reason to break the sweep: treat it as zero.
    let end = |i: usize| spans[i].end_ns.max(spans[i].start_ns);
    order.sort_by(|&a, &b| {
        spans[a]
            .start_ns
            .cmp(&spans[b].start_ns)
            .then(end(b).cmp(&end(a)))
            .then(a.cmp(&b))
    });
    let mut parent = vec![None; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < n {
        // The group of spans with exactly this interval.
        let first = order[i];
        let mut j = i + 1;
        while j < n
            && spans[order[j]].start_ns == spans[first].start_ns
            && end(order[j]) == end(first)
        {
            j += 1;
        }
        // Close every open span that does not contain the group.
        while let Some(&top) = stack.last() {
            if end(top) >= end(first) {
                break;
            }
            stack.pop();
        }
        let group = &mut order[i..j];
        if group.len() > 1 {
            if let Some(&top) = stack.last() {
                let outer = spans[top].service;
                // Stable: same-service spans first, input order otherwise kept.
                group.sort_by_key(|&g| spans[g].service != outer);
            }
        }
        for &g in group.iter() {
            parent[g] = stack.last().copied();
            stack.push(g);
        }
        i = j;
    }
    parent
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(start: i64, end: i64, service: &str) -> Interval<'_> {
        Interval {
            start_ns: start,
            end_ns: end,
            service,
        }
    }

    #[test]
    fn nests_a_scrambled_call_chain() {
        // runner.execute_question ⊃ runner.hybrid_router_call ⊃ router.inference_request ⊃
        // router.modal_call ⊃ modal.inference, given in scrambled order.
        let spans = [
            iv(30, 80, "modal"),
            iv(0, 1000, "runner"),
            iv(20, 100, "router"),
            iv(5, 995, "runner"),
            iv(22, 90, "router"),
        ];
        let p = infer_parents(&spans);
        assert_eq!(p, vec![Some(4), None, Some(3), Some(1), Some(2)]);
    }

    #[test]
    fn siblings_and_a_second_root() {
        let spans = [
            iv(0, 100, "a"),
            iv(10, 20, "b"),
            iv(30, 40, "b"),
            iv(35, 38, "c"),
            iv(200, 300, "a"),
            iv(250, 260, "d"),
        ];
        assert_eq!(
            infer_parents(&spans),
            vec![None, Some(0), Some(0), Some(2), None, Some(4)]
        );
    }

    #[test]
    fn partial_overlap_is_not_containment() {
        let spans = [iv(0, 100, "a"), iv(50, 150, "b")];
        assert_eq!(infer_parents(&spans), vec![None, None]);
    }

    #[test]
    fn identical_intervals_put_the_callers_service_outside() {
        // Under a runner span, a router span and a runner client span share their times: the
        // runner one is the caller, whatever the input order.
        let spans = [
            iv(0, 100, "runner"),
            iv(10, 90, "router"),
            iv(10, 90, "runner"),
        ];
        assert_eq!(infer_parents(&spans), vec![None, Some(2), Some(0)]);
        // Without an enclosing span, input order decides.
        let spans = [iv(10, 90, "router"), iv(10, 90, "runner")];
        assert_eq!(infer_parents(&spans), vec![None, Some(0)]);
    }

    #[test]
    fn shared_start_longest_is_outer() {
        let spans = [iv(0, 10, "x"), iv(0, 100, "x"), iv(0, 50, "y")];
        assert_eq!(infer_parents(&spans), vec![Some(2), None, Some(1)]);
    }

    #[test]
    fn bad_durations_and_many_spans() {
        let spans = [iv(0, 100, "a"), iv(50, 10, "b")];
        assert_eq!(infer_parents(&spans), vec![None, Some(0)]);
        // A 200,000-deep chain and 200,000 siblings finish quickly (no quadratic step).
        let n = 200_000;
        let chain: Vec<Interval> = (0..n).map(|i| iv(i, 2 * n - i, "s")).collect();
        let p = infer_parents(&chain);
        assert_eq!(p[n as usize - 1], Some(n as usize - 2));
        let flat: Vec<Interval> = std::iter::once(iv(0, 10 * n, "r"))
            .chain((0..n).map(|i| iv(i * 5 + 1, i * 5 + 3, "s")))
            .collect();
        assert!(infer_parents(&flat)[1..].iter().all(|p| *p == Some(0)));
    }
}
