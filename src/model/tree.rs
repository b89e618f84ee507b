//! The tree index over a trace's spans, built once: parent and children by index, children
//! in start order, roots, depth, and the integrity findings met on the way.
//!
//! Everything is iterative: a 100,000-deep chain must not overflow the stack.

use std::collections::HashMap;

use super::integrity::{Integrity, Orphan, OutsideParent};
use super::span::{RefType, SpanKind};
use super::trace::Trace;

#[derive(Debug, Clone, Default)]
pub struct Tree {
    /// Index of each span's parent, `None` for roots and orphans.
    pub parent: Vec<Option<usize>>,
    /// Children of each span, ordered by start time (then input order).
    pub children: Vec<Vec<usize>>,
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
        let spans = &trace.spans;
        let n = spans.len();
        let mut integrity = Integrity::default();

        let mut by_id: HashMap<&str, usize> = HashMap::with_capacity(n);
        for (i, s) in spans.iter().enumerate() {
            if by_id.contains_key(s.span_id.as_str()) {
                integrity.duplicate_span_ids.push(s.span_id.clone());
            } else {
                by_id.insert(s.span_id.as_str(), i);
            }
        }
        integrity.duplicate_span_ids.sort();
        integrity.duplicate_span_ids.dedup();

        let mut parent: Vec<Option<usize>> = vec![None; n];
        for (i, s) in spans.iter().enumerate() {
            match s.parent_id.as_deref() {
                None => integrity.root_span_ids.push(s.span_id.clone()),
                Some(pid) => match by_id.get(pid) {
                    Some(&p) => parent[i] = Some(p),
                    None => integrity.orphans.push(Orphan {
                        span_id: s.span_id.clone(),
                        missing_parent_id: pid.to_string(),
                    }),
                },
            }
        }

        let by_start = |a: &usize, b: &usize| spans[*a].start_ns.cmp(&spans[*b].start_ns).then(a.cmp(b));

        // Cut cycles: a span is reachable from a root unless it lies on, or below, a loop.
        let mut depth = vec![u32::MAX; n];
        let mut children = children_of(&parent);
        let mut roots: Vec<usize> = (0..n).filter(|&i| parent[i].is_none()).collect();
        let mut preorder = Vec::with_capacity(n);
        for &r in &roots {
            walk(r, &children, &mut depth, &mut preorder);
        }
        if preorder.len() < n {
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
                    .map(|&c| spans[c].span_id.clone())
                    .collect();
                integrity.cycles.push(ids);
                if let Some(p) = parent[cut].take() {
                    children[p].retain(|&c| c != cut);
                }
                roots.push(cut);
                walk(cut, &children, &mut depth, &mut preorder);
            }
        }

        for list in children.iter_mut() {
            list.sort_by(by_start);
        }
        roots.sort_by(by_start);
        preorder.clear();
        for &r in &roots {
            walk(r, &children, &mut depth, &mut preorder);
        }

        for (i, s) in spans.iter().enumerate() {
            if s.duration_ns <= 0 {
                integrity.non_positive_durations.push(s.span_id.clone());
            }
            if let Some(p) = parent[i] {
                let ps = &spans[p];
                let early = (ps.start_ns - s.start_ns).max(0);
                let late = (s.end_ns() - ps.end_ns()).max(0);
                if early > 0 || late > 0 {
                    integrity.outside_parent.push(OutsideParent {
                        span_id: s.span_id.clone(),
                        parent_id: ps.span_id.clone(),
                        early_ns: early,
                        late_ns: late,
                        asynchronous: is_async_edge(trace, p, i),
                    });
                }
            }
        }

        Tree { parent, children, roots, depth, preorder, integrity }
    }

    pub fn len(&self) -> usize {
        self.parent.len()
    }

    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }

    /// Ancestors of `i`, nearest first.
    pub fn ancestors(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.parent[i], move |&p| self.parent[p])
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

/// Whether the parent→child edge is asynchronous work (the child may outlive its parent).
pub fn is_async_edge(trace: &Trace, parent: usize, child: usize) -> bool {
    let (p, c) = (&trace.spans[parent], &trace.spans[child]);
    c.parent_ref == RefType::FollowsFrom || p.kind == SpanKind::Producer || c.kind == SpanKind::Consumer
}

fn children_of(parent: &[Option<usize>]) -> Vec<Vec<usize>> {
    let mut children = vec![Vec::new(); parent.len()];
    for (i, p) in parent.iter().enumerate() {
        if let Some(p) = p {
            children[*p].push(i);
        }
    }
    children
}

/// Iterative pre-order walk from `root`, filling depth and order.
fn walk(root: usize, children: &[Vec<usize>], depth: &mut [u32], order: &mut Vec<usize>) {
    let mut stack = vec![(root, 0u32)];
    while let Some((i, d)) = stack.pop() {
        depth[i] = d;
        order.push(i);
        for &c in children[i].iter().rev() {
            stack.push((c, d + 1));
        }
    }
}
