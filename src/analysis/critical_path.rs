//! Critical path with jaeger-ui's semantics (`TracePage/CriticalPath/index.ts`): walk back
//! from the end of a span through its last-finishing child; parent time no child covers is
//! on the path; children are clipped to the parent first and those entirely outside it are
//! dropped.

use crate::model::tree::is_async_edge;
use crate::model::IndexedTrace;

use super::gaps::window;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub span: usize,
    pub start_ns: i64,
    pub end_ns: i64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CriticalPath {
    /// Non-overlapping segments in time order, covering the main root's window exactly.
    pub segments: Vec<Segment>,
    /// Time each span spends on the path, by span index (0 when off the path).
    pub on_path_ns: Vec<i64>,
}

impl CriticalPath {
    pub fn contains(&self, span: usize) -> bool {
        self.on_path_ns.get(span).is_some_and(|&ns| ns > 0)
    }
}

/// The critical path of the trace's main root (see `Tree::main_root`).
///
/// Differences from jaeger-ui, on purpose:
/// - A child that ends exactly where the walk stands (back-to-back siblings) is taken;
///   jaeger-ui's strict `<` skips it and charges its time to the parent, which would then
///   look like uninstrumented parent time.
/// - The walk is iterative (an explicit stack), so a 100,000-deep chain is fine.
pub fn critical_path(t: &IndexedTrace) -> CriticalPath {
    let spans = &t.trace.spans;
    let n = spans.len();
    let mut path = CriticalPath {
        segments: Vec::new(),
        on_path_ns: vec![0; n],
    };
    let Some(root) = t.tree.main_root(&t.trace) else {
        return path;
    };
    let Some(root_span) = spans.get(root) else {
        return path;
    };

    // Sanitised window of each visited span: the span clipped to its (sanitised) parent,
    // like jaeger-ui's sanitizeOverFlowingChildren, so grandchildren are clipped to the
    // already clipped child.
    let mut win: Vec<(i64, i64)> = vec![(0, 0); n];
    win[root] = window(root_span);

    // Children a span may hand the path to: synchronous ones that overlap its window,
    // latest end first (ties: earlier start, then input order, as jaeger-ui's scan finds
    // them). Appended to `kids` once per span, when the walk enters it; the frames form a
    // stack, so each frame's children sit at the end of the buffer while it is on top.
    let push_kids = |p: usize, win: &mut Vec<(i64, i64)>, kids: &mut Vec<usize>| {
        let (ps, pe) = win.get(p).copied().unwrap_or((0, 0));
        let from = kids.len();
        for &c in t.tree.children.get(p).unwrap_or(&[]) {
            let Some(cs) = spans.get(c) else { continue };
            if is_async_edge(&t.trace, p, c) {
                continue; // asynchronous work does not delay the parent's response
            }
            let (s, e) = window(cs);
            if s >= pe || e <= ps {
                continue; // entirely outside the parent: dropped, with its subtree
            }
            if let Some(w) = win.get_mut(c) {
                *w = (s.max(ps), e.min(pe));
            }
            kids.push(c);
        }
        kids[from..].sort_by(|&a, &b| {
            let (wa, wb) = (win[a], win[b]);
            wb.1.cmp(&wa.1).then(wa.0.cmp(&wb.0)).then(a.cmp(&b))
        });
        from
    };

    /// A span being walked: its children are `kids[next..end]`, `first` is where they begin.
    struct Frame {
        span: usize,
        first: usize,
        next: usize,
    }
    let mut segments_rev: Vec<Segment> = Vec::new();
    let mut push = |span: usize, start_ns: i64, end_ns: i64| {
        if end_ns > start_ns {
            segments_rev.push(Segment {
                span,
                start_ns,
                end_ns,
            });
        }
    };
    let mut point = win[root].1;
    let mut kids: Vec<usize> = Vec::new();
    let first = push_kids(root, &mut win, &mut kids);
    let mut stack = vec![Frame {
        span: root,
        first,
        next: first,
    }];
    while let Some(top) = stack.last_mut() {
        let p = top.span;
        // The walk only moves back in time, so children skipped once (ending after the
        // current point) stay skipped: one cursor per span keeps this linear.
        while top.next < kids.len() && win[kids[top.next]].1 > point {
            top.next += 1;
        }
        if let Some(&c) = kids.get(top.next) {
            top.next += 1;
            let (_, c_end) = win[c];
            // Parent time between this child's end and the current point is the parent's own.
            push(p, c_end, point);
            point = c_end;
            let first = push_kids(c, &mut win, &mut kids);
            stack.push(Frame {
                span: c,
                first,
                next: first,
            });
        } else {
            let p_start = win[p].0.min(point);
            push(p, p_start, point);
            point = p_start;
            kids.truncate(top.first);
            stack.pop();
        }
    }
    segments_rev.reverse();
    for seg in &segments_rev {
        if let Some(v) = path.on_path_ns.get_mut(seg.span) {
            *v += seg.end_ns - seg.start_ns;
        }
    }
    path.segments = segments_rev;
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_support::*;
    use crate::model::SpanKind;

    fn segs(t: &IndexedTrace, cp: &CriticalPath) -> Vec<(String, i64, i64)> {
        cp.segments
            .iter()
            .map(|s| {
                (
                    t.trace.spans[s.span].span_id.to_string(),
                    s.start_ns / 1_000_000,
                    s.end_ns / 1_000_000,
                )
            })
            .collect()
    }

    fn assert_covers_root(t: &IndexedTrace, cp: &CriticalPath) {
        let root = &t.trace.spans[t.tree.main_root(&t.trace).unwrap()];
        let total: i64 = cp.segments.iter().map(|s| s.end_ns - s.start_ns).sum();
        assert_eq!(total, root.duration_ns);
        assert_eq!(cp.on_path_ns.iter().sum::<i64>(), root.duration_ns);
        for w in cp.segments.windows(2) {
            assert_eq!(
                w[0].end_ns, w[1].start_ns,
                "segments are contiguous and do not overlap"
            );
        }
    }

    fn own(id: &str, s: i64, e: i64) -> (String, i64, i64) {
        (id.to_string(), s, e)
    }

    #[test]
    fn sequential_children() {
        // Back-to-back children: both on the path, the parent only at the edges.
        let t = indexed(vec![
            span_ms("p", None, "a.p", 0, 100),
            span_ms("c1", Some("p"), "a.c1", 10, 40),
            span_ms("c2", Some("p"), "b.c2", 50, 40),
        ]);
        let cp = critical_path(&t);
        assert_eq!(
            segs(&t, &cp),
            vec![
                own("p", 0, 10),
                own("c1", 10, 50),
                own("c2", 50, 90),
                own("p", 90, 100)
            ]
        );
        assert_covers_root(&t, &cp);
    }

    #[test]
    fn overlapping_children() {
        // jaeger-ui test-case shape: the last finisher (c2) is on the path; c1 overlaps c2 so
        // from c2's start the walk looks for a child ending before 30: c0.
        let t = indexed(vec![
            span_ms("p", None, "a.p", 0, 100),
            span_ms("c0", Some("p"), "a.c0", 5, 15),
            span_ms("c1", Some("p"), "a.c1", 25, 50),
            span_ms("c2", Some("p"), "a.c2", 30, 60),
            span_ms("g", Some("c2"), "a.g", 40, 20),
        ]);
        let cp = critical_path(&t);
        assert_eq!(
            segs(&t, &cp),
            vec![
                own("p", 0, 5),
                own("c0", 5, 20),
                own("p", 20, 30),
                own("c2", 30, 40),
                own("g", 40, 60),
                own("c2", 60, 90),
                own("p", 90, 100)
            ]
        );
        assert!(!cp.contains(idx(&t, "c1")));
        assert_covers_root(&t, &cp);
    }

    #[test]
    fn child_overflowing_parent_is_clipped_and_outside_child_dropped() {
        // c overflows the parent's end (clipped to 100); its child g runs past the clipped
        // end too and is clipped again; d lies entirely after the parent and is dropped.
        let t = indexed(vec![
            span_ms("p", None, "a.p", 0, 100),
            span_ms("c", Some("p"), "a.c", 60, 80),
            span_ms("g", Some("c"), "a.g", 90, 40),
            span_ms("d", Some("p"), "a.d", 120, 10),
            span_ms("e", Some("p"), "a.e", -20, 30),
        ]);
        let cp = critical_path(&t);
        assert_eq!(
            segs(&t, &cp),
            vec![
                own("e", 0, 10),
                own("p", 10, 60),
                own("c", 60, 90),
                own("g", 90, 100)
            ]
        );
        assert!(!cp.contains(idx(&t, "d")));
        assert_covers_root(&t, &cp);
    }

    #[test]
    fn asynchronous_children_are_pruned() {
        let t = indexed(vec![
            with_kind(span_ms("p", None, "a.p", 0, 100), SpanKind::Producer),
            with_kind(span_ms("c", Some("p"), "b.c", 20, 70), SpanKind::Consumer),
        ]);
        let cp = critical_path(&t);
        assert_eq!(segs(&t, &cp), vec![own("p", 0, 100)]);
    }

    #[test]
    fn seed_2193() {
        let t = execution_2193();
        let cp = critical_path(&t);
        assert_covers_root(&t, &cp);
        assert_eq!(cp.on_path_ns[idx(&t, "2")], ms(156_117 + 227));
        assert_eq!(cp.on_path_ns[idx(&t, "5")], ms(77_333));
    }

    #[test]
    fn empty_and_deep() {
        assert_eq!(critical_path(&indexed(vec![])), CriticalPath::default());
        let t = deep_chain(100_000);
        let cp = critical_path(&t);
        assert_covers_root(&t, &cp);
    }
}
