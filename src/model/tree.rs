//! The tree index over a trace's spans, built once: parent and children by index, children
//! in start order, roots, depth, and the integrity findings met on the way.
//!
//! Everything is iterative: a 100,000-deep chain must not overflow the stack.

use std::sync::Arc;

use super::integrity::{
    Integrity, Orphan, OutsideParent, PlacedSpan, NO_DURATION_ATTR, PLACED_FROM_ATTR,
};
use super::parent_links::ParentLinks;
use super::span::{RefType, Span, SpanKind};
use super::trace::Trace;

#[derive(Debug, Clone, Default)]
pub struct Tree {
    /// Index of each span's parent, `None` for roots and orphans.
    pub parent: Vec<Option<usize>>,
    /// Children of each span, ordered by start time (then input order).
    pub children: Children,
    /// Spans without a resolvable parent (roots and orphans), ordered by start time.
    pub roots: Vec<usize>,
    /// Distance from the span's root.
    pub depth: Vec<u32>,
    /// Spans in depth-first pre-order (parents before children, siblings by start).
    pub preorder: Vec<usize>,
    pub integrity: Integrity,
}

impl Tree {
    pub fn build(trace: &Trace) -> Tree {
        Tree::build_with(trace, trace.parent_links())
    }

    /// [`Tree::build`] with the parent links of `trace`'s spans already at hand.
    pub fn build_with(trace: &Trace, links: Arc<ParentLinks>) -> Tree {
        Tree::untimed(trace, links).timed(trace)
    }

    /// [`Tree::build_with`] without the timing findings (spans outside their parent's time,
    /// durations missing or not positive, spans placed by time), for a caller that may move
    /// the spans in time first and then asks for them once, with [`Tree::timed`] or
    /// [`Tree::retimed`]: on a million skewed spans, finding them twice cost 0.1 s.
    pub fn untimed(trace: &Trace, links: Arc<ParentLinks>) -> Tree {
        let spans = &trace.spans;
        let n = spans.len();
        let mut integrity = Integrity {
            inferred_parents: trace.parents_inferred,
            ..Integrity::default()
        };
        report_links(trace, &links, &mut integrity);
        let mut parent = Arc::try_unwrap(links).map_or_else(|l| l.parent.clone(), |l| l.parent);

        let starts = starts(spans);
        let by_start = by_start(&starts);
        let mut children = Children::of(&parent, by_start);
        let mut roots: Vec<usize> = (0..n).filter(|&i| parent[i].is_none()).collect();
        // In start order already, so that the walk looking for loops is the tree's pre-order
        // when it finds none.
        roots.sort_by(by_start);
        let walked = cut_cycles(
            trace,
            &starts,
            &mut parent,
            &mut children,
            &mut roots,
            &mut integrity,
        );
        if !integrity.cycles.is_empty() {
            children = Children::of(&parent, by_start);
        }
        Tree::ordered(trace, parent, children, roots, integrity, walked)
    }

    /// The tree of `trace` after its spans were moved in time (clock-skew adjustment), from
    /// this tree of the same spans before the move: the same as [`Tree::build`], without
    /// resolving every parent by id again, which is most of the cost of building. Parents,
    /// orphans and duplicates depend on ids only and stay; child and root order, pre-order
    /// and the timing findings are redone. Which edge of a loop is cut depends on times, so
    /// a tree that had loops is built again from the start.
    pub fn retimed(self, trace: &Trace) -> Tree {
        if !self.integrity.cycles.is_empty() || self.parent.len() != trace.spans.len() {
            let mut tree = Tree::build(trace);
            tree.integrity.inferred_parents = self.integrity.inferred_parents;
            return tree;
        }
        let Tree {
            parent,
            roots,
            integrity,
            ..
        } = self;
        let children = Children::of(&parent, by_start(&starts(&trace.spans)));
        Tree::ordered(trace, parent, children, roots, integrity, None).timed(trace)
    }

    /// The tree with the timing findings of `trace`'s spans as they are now, replacing any
    /// found before.
    pub fn timed(mut self, trace: &Trace) -> Tree {
        check_timing(trace, &self.parent, &mut self.integrity);
        self
    }

    /// The tree from resolved, loop-free links: roots in start order, depth and pre-order
    /// (the timing findings are [`Tree::timed`]'s). `walked` is the depth and pre-order when
    /// already found by walking these children from these roots in start order.
    fn ordered(
        trace: &Trace,
        parent: Vec<Option<usize>>,
        children: Children,
        mut roots: Vec<usize>,
        integrity: Integrity,
        walked: Option<Walk>,
    ) -> Tree {
        let spans = &trace.spans;
        let n = spans.len();
        roots.sort_by(|a, b| spans[*a].start_ns.cmp(&spans[*b].start_ns).then(a.cmp(b)));
        let (depth, preorder) = walked.unwrap_or_else(|| {
            let mut depth = vec![u32::MAX; n];
            let mut preorder = Vec::with_capacity(n);
            for &r in &roots {
                walk(r, &children, &mut depth, &mut preorder);
            }
            (depth, preorder)
        });
        Tree {
            parent,
            children,
            roots,
            depth,
            preorder,
            integrity,
        }
    }

    pub fn len(&self) -> usize {
        self.parent.len()
    }

    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }

    /// Ancestors of `i`, nearest first.
    pub fn ancestors(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.parent.get(i).copied().flatten(), move |&p| {
            self.parent.get(p).copied().flatten()
        })
    }

    /// The root span: the earliest root with the longest duration among those that start
    /// first. Traces with several roots still have one span that best represents the request.
    pub fn main_root(&self, trace: &Trace) -> Option<usize> {
        self.roots.iter().copied().min_by(|&a, &b| {
            let (sa, sb) = (&trace.spans[a], &trace.spans[b]);
            // Prefer true roots over orphans, then the earliest, then the longest.
            let orphan = |i: usize| trace.spans[i].parent_id.is_some();
            orphan(a)
                .cmp(&orphan(b))
                .then(sa.start_ns.cmp(&sb.start_ns))
                .then(sb.duration_ns.cmp(&sa.duration_ns))
        })
    }
}

/// Span positions ordered by start time, then by position (input order).
fn by_start(starts: &[i64]) -> impl Fn(&usize, &usize) -> std::cmp::Ordering + Copy + '_ {
    move |a, b| starts[*a].cmp(&starts[*b]).then(a.cmp(b))
}

/// Each span's start, for [`by_start`]: sorting a big trace's children compares spans at
/// random places, and eight bytes a span stay in cache where whole spans do not.
fn starts(spans: &[Span]) -> Vec<i64> {
    spans.iter().map(|s| s.start_ns).collect()
}

/// Whether the parent→child edge is asynchronous work (the child may outlive its parent).
pub fn is_async_edge(trace: &Trace, parent: usize, child: usize) -> bool {
    let (p, c) = (&trace.spans[parent], &trace.spans[child]);
    c.parent_ref == RefType::FollowsFrom
        || p.kind == SpanKind::Producer
        || c.kind == SpanKind::Consumer
}

/// What the links say about the trace's integrity: spans whose id an earlier span already
/// has (never anyone's parent), spans without a parent id (roots) and spans whose parent is
/// not in the trace (orphans).
fn report_links(trace: &Trace, links: &ParentLinks, integrity: &mut Integrity) {
    let spans = &trace.spans;
    integrity.duplicate_span_ids = links
        .duplicates
        .iter()
        .map(|&i| spans[i].span_id.to_string())
        .collect();
    integrity.duplicate_span_ids.sort();
    integrity.duplicate_span_ids.dedup();
    for (s, parent) in spans.iter().zip(&links.parent) {
        match (s.parent_id.as_deref(), parent) {
            (None, _) => integrity.root_span_ids.push(s.span_id.to_string()),
            (Some(pid), None) => integrity.orphans.push(Orphan {
                span_id: s.span_id.to_string(),
                missing_parent_id: pid.to_string(),
            }),
            (Some(_), Some(_)) => {}
        }
    }
}

/// Each span's depth, and the pre-order, of a walk from the roots.
type Walk = (Vec<u32>, Vec<usize>);

/// Break every parent loop, so the tree is a forest. A span is reachable from a root unless
/// it lies on, or below, a loop; each loop is cut at its earliest span, which becomes a
/// root, and reported from there following parents. Returns the walk that found no loop.
fn cut_cycles(
    trace: &Trace,
    starts: &[i64],
    parent: &mut [Option<usize>],
    children: &mut Children,
    roots: &mut Vec<usize>,
    integrity: &mut Integrity,
) -> Option<Walk> {
    let spans = &trace.spans;
    let n = spans.len();
    let by_start = by_start(starts);
    let mut depth = vec![u32::MAX; n];
    let mut preorder = Vec::with_capacity(n);
    for &r in roots.iter() {
        walk(r, children, &mut depth, &mut preorder);
    }
    if preorder.len() == n {
        return Some((depth, preorder));
    }
    let mut on_path = vec![false; n];
    for start in 0..n {
        if depth[start] != u32::MAX {
            continue;
        }
        // Follow parents until a reached span or a span already on this path.
        let mut path = Vec::new();
        let mut cur = start;
        while depth[cur] == u32::MAX && !on_path[cur] {
            on_path[cur] = true;
            path.push(cur);
            match parent[cur] {
                Some(p) => cur = p,
                None => break,
            }
        }
        for &p in &path {
            on_path[p] = false;
        }
        if depth[cur] != u32::MAX || !path.contains(&cur) {
            continue; // hangs below a reached span: walk() will reach it
        }
        let pos = path.iter().position(|&p| p == cur).unwrap_or(0);
        let cycle = &path[pos..];
        let cut = *cycle.iter().min_by(|a, b| by_start(a, b)).unwrap_or(&cur);
        let cut_pos = cycle.iter().position(|&c| c == cut).unwrap_or(0);
        // Report the loop starting from the span where it was cut, following parents.
        let ids = cycle[cut_pos..]
            .iter()
            .chain(&cycle[..cut_pos])
            .map(|&c| spans[c].span_id.to_string())
            .collect();
        integrity.cycles.push(ids);
        if let Some(p) = parent[cut].take() {
            children.remove(p, cut);
        }
        roots.push(cut);
        walk(cut, children, &mut depth, &mut preorder);
    }
    None
}

/// Spans with a zero, negative or missing duration, spans placed without a start, and spans
/// that start before or end after their parent (expected on asynchronous edges, clock skew
/// otherwise).
fn check_timing(trace: &Trace, parent: &[Option<usize>], integrity: &mut Integrity) {
    // These findings depend on times: they replace any found before the spans moved.
    integrity.placed_spans.clear();
    integrity.missing_durations.clear();
    integrity.non_positive_durations.clear();
    integrity.outside_parent.clear();
    let spans = &trace.spans;
    for (i, s) in spans.iter().enumerate() {
        if let Some(from) = super::span::attr(&s.attributes, PLACED_FROM_ATTR) {
            integrity.placed_spans.push(PlacedSpan {
                span_id: s.span_id.to_string(),
                from: from.as_text(),
            });
        }
        if super::span::attr(&s.attributes, NO_DURATION_ATTR).is_some() {
            integrity.missing_durations.push(s.span_id.to_string());
        } else if s.duration_ns <= 0 {
            integrity.non_positive_durations.push(s.span_id.to_string());
        }
        if let Some(p) = parent[i] {
            let ps = &spans[p];
            let early = ps.start_ns.saturating_sub(s.start_ns).max(0);
            let late = s.end_ns().saturating_sub(ps.end_ns()).max(0);
            if early > 0 || late > 0 {
                integrity.outside_parent.push(OutsideParent {
                    span_id: s.span_id.to_string(),
                    parent_id: ps.span_id.to_string(),
                    early_ns: early,
                    late_ns: late,
                    asynchronous: is_async_edge(trace, p, i),
                });
            }
        }
    }
}

/// Each span's children, all in one array (one allocation, not one per span): the children
/// of `i` are `items[start[i]..start[i + 1]]`.
#[derive(Debug, Clone, Default)]
pub struct Children {
    start: Vec<u32>,
    items: Vec<usize>,
}

/// A child cut away while breaking a loop, until the lists are built again.
const CUT: usize = usize::MAX;

impl Children {
    /// The children of every span by `parent`, each list ordered by `order`.
    fn of(
        parent: &[Option<usize>],
        order: impl Fn(&usize, &usize) -> std::cmp::Ordering,
    ) -> Children {
        let n = parent.len();
        let mut start = vec![0u32; n + 1];
        for p in parent.iter().flatten() {
            start[p + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut fill: Vec<u32> = start[..n].to_vec();
        let mut items = vec![0usize; start[n] as usize];
        for (i, p) in parent.iter().enumerate() {
            if let Some(p) = *p {
                items[fill[p] as usize] = i;
                fill[p] += 1;
            }
        }
        for i in 0..n {
            items[start[i] as usize..start[i + 1] as usize].sort_by(&order);
        }
        Children { start, items }
    }

    /// The children of span `i`, None past the last span.
    pub fn get(&self, i: usize) -> Option<&[usize]> {
        let (a, b) = (*self.start.get(i)?, *self.start.get(i + 1)?);
        Some(&self.items[a as usize..b as usize])
    }

    /// How many spans the lists are for.
    pub fn len(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn remove(&mut self, parent: usize, child: usize) {
        let (a, b) = (self.start[parent] as usize, self.start[parent + 1] as usize);
        for c in &mut self.items[a..b] {
            if *c == child {
                *c = CUT;
            }
        }
    }
}

impl std::ops::Index<usize> for Children {
    type Output = [usize];

    fn index(&self, i: usize) -> &[usize] {
        self.get(i).unwrap_or(&[])
    }
}

/// Iterative pre-order walk from `root`, filling depth and order.
fn walk(root: usize, children: &Children, depth: &mut [u32], order: &mut Vec<usize>) {
    let mut stack = vec![(root, 0u32)];
    while let Some((i, d)) = stack.pop() {
        depth[i] = d;
        order.push(i);
        for &c in children[i].iter().rev().filter(|&&c| c != CUT) {
            stack.push((c, d + 1));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::span::Span;

    fn span(id: &str, parent: Option<&str>, start: i64, dur: i64) -> Span {
        Span {
            trace_id: "t".into(),
            span_id: id.into(),
            parent_id: parent.map(Into::into),
            service: "svc".into(),
            operation: format!("op-{id}").into(),
            kind: SpanKind::Internal,
            start_ns: start,
            duration_ns: dur,
            ..Span::default()
        }
    }

    fn trace(spans: Vec<Span>) -> Trace {
        Trace::with_spans("t".into(), spans)
    }

    #[test]
    fn a_retimed_tree_is_the_tree_built_again() {
        let mut t = trace(vec![
            span("r", None, 0, 100),
            span("b", Some("r"), 50, 10),
            span("a", Some("r"), 10, 10),
            span("c", Some("a"), 12, 0),
            span("o", Some("missing"), 5, 1),
            span("a", Some("r"), 30, 5),
            span("late", Some("b"), 55, 200),
        ]);
        let before = Tree::build(&t);
        // Move spans as a skew adjustment would: children now start in another order, one
        // span leaves its parent's window and one comes back into it.
        let spans = t.spans_mut();
        spans[1].start_ns = 5;
        spans[2].start_ns = 60;
        spans[3].start_ns = 95;
        spans[6].start_ns = -20;
        spans[6].duration_ns = 20;
        let rebuilt = Tree::build(&t);
        let retimed = before.clone().retimed(&t);
        assert_eq!(format!("{retimed:?}"), format!("{rebuilt:?}"));
        assert_ne!(format!("{before:?}"), format!("{rebuilt:?}"));

        // With a loop, which edge is cut depends on times: built again.
        let mut t = trace(vec![
            span("x", Some("y"), 0, 10),
            span("y", Some("x"), 5, 10),
        ]);
        let before = Tree::build(&t);
        t.spans_mut()[0].start_ns = 7;
        let retimed = before.retimed(&t);
        assert_eq!(format!("{retimed:?}"), format!("{:?}", Tree::build(&t)));
    }

    #[test]
    fn orders_children_by_start_and_computes_depth() {
        let t = trace(vec![
            span("r", None, 0, 100),
            span("b", Some("r"), 50, 10),
            span("a", Some("r"), 10, 10),
            span("c", Some("a"), 12, 2),
        ]);
        let tree = Tree::build(&t);
        assert_eq!(tree.roots, vec![0]);
        assert_eq!(tree.children[0], vec![2, 1]);
        assert_eq!(tree.depth, vec![0, 1, 1, 2]);
        assert_eq!(tree.preorder, vec![0, 2, 3, 1]);
        assert!(!tree.integrity.has_findings());
    }

    #[test]
    fn reports_orphans_and_several_roots() {
        let t = trace(vec![
            span("r", None, 0, 100),
            span("x", Some("missing"), 10, 5),
            span("r2", None, 1, 5),
        ]);
        let tree = Tree::build(&t);
        assert_eq!(tree.integrity.orphans.len(), 1);
        assert_eq!(tree.integrity.orphans[0].missing_parent_id, "missing");
        assert_eq!(tree.integrity.root_span_ids, vec!["r", "r2"]);
        assert!(tree.integrity.is_broken());
        assert_eq!(tree.main_root(&t), Some(0));
    }

    #[test]
    fn cuts_cycles_at_the_earliest_span() {
        // a → b → c → a, plus d under c; and a self-loop e.
        let t = trace(vec![
            span("a", Some("c"), 30, 10),
            span("b", Some("a"), 10, 10),
            span("c", Some("b"), 20, 10),
            span("d", Some("c"), 21, 1),
            span("e", Some("e"), 5, 1),
        ]);
        let tree = Tree::build(&t);
        assert_eq!(tree.integrity.cycles.len(), 2);
        assert!(tree.integrity.cycles.contains(&vec![
            "b".to_string(),
            "a".to_string(),
            "c".to_string()
        ]));
        assert!(tree.integrity.cycles.contains(&vec!["e".to_string()]));
        assert_eq!(
            tree.preorder.len(),
            5,
            "every span is reachable after the cut"
        );
        assert_eq!(
            tree.parent[1], None,
            "b, the earliest of the loop, became a root"
        );
    }

    #[test]
    fn duplicate_ids_attach_children_to_the_first() {
        let t = trace(vec![
            span("r", None, 0, 100),
            span("r", None, 0, 100),
            span("c", Some("r"), 1, 1),
        ]);
        let tree = Tree::build(&t);
        assert_eq!(tree.integrity.duplicate_span_ids, vec!["r"]);
        assert_eq!(tree.parent[2], Some(0));
        assert_eq!(tree.preorder.len(), 3);
    }

    #[test]
    fn flags_children_outside_the_parent_and_bad_durations() {
        let mut late = span("late", Some("r"), 90, 20);
        late.parent_ref = RefType::FollowsFrom;
        let t = trace(vec![
            span("r", None, 0, 100),
            span("early", Some("r"), -5, 10),
            late,
            span("zero", Some("r"), 5, 0),
        ]);
        let tree = Tree::build(&t);
        let o = &tree.integrity.outside_parent;
        assert_eq!(o.len(), 2);
        assert_eq!((o[0].early_ns, o[0].asynchronous), (5, false));
        assert_eq!((o[1].late_ns, o[1].asynchronous), (10, true));
        assert_eq!(tree.integrity.non_positive_durations, vec!["zero"]);
    }

    #[test]
    fn a_deep_chain_does_not_overflow_the_stack() {
        let n = 200_000;
        let spans = (0..n)
            .map(|i| {
                let parent = (i > 0).then(|| (i - 1).to_string());
                span(&i.to_string(), parent.as_deref(), i, (n - i) * 2)
            })
            .collect();
        let tree = Tree::build(&trace(spans));
        assert_eq!(tree.depth[n as usize - 1], n as u32 - 1);
    }
}
