//! Where the time went: the spans with the most own time on the critical path, and, when
//! work outlived the root span (messaging, fire-and-forget, FOLLOWS_FROM), the asynchronous
//! chain that ended last. Always reported, for healthy requests too — as a breakdown, not a
//! cause.

use crate::model::IndexedTrace;

use super::Diagnosis;

/// Spans listed in the breakdown at most.
const TOP: usize = 3;

#[derive(Debug, Clone, PartialEq)]
pub struct Breakdown {
    /// The root span's duration: how long the caller waited.
    pub root_ns: i64,
    /// From the earliest span start to the latest span end.
    pub extent_ns: i64,
    /// The spans with the most time on the critical path, most first: (span, ns).
    pub top: Vec<(usize, i64)>,
    /// The asynchronous work that ended last, when something outlived the root.
    pub async_tail: Option<AsyncTail>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AsyncTail {
    /// The span that ended last.
    pub last: usize,
    /// Its ancestors below the root, nearest the root first, then `last` itself: the
    /// chain that carried the work past the root's end.
    pub chain: Vec<usize>,
    /// How long after the root's end it ended.
    pub after_root_ns: i64,
}

pub fn breakdown(t: &IndexedTrace, d: &Diagnosis) -> Breakdown {
    let spans = &t.trace.spans;
    let root = t.tree.main_root(&t.trace);
    let root_ns = root
        .and_then(|r| spans.get(r))
        .map_or(0, |s| s.duration_ns.max(0));
    let mut top: Vec<(usize, i64)> = d
        .critical_path
        .on_path_ns
        .iter()
        .enumerate()
        .filter(|&(_, &ns)| ns > 0)
        .map(|(i, &ns)| (i, ns))
        .collect();
    top.sort_by_key(|&(i, ns)| (std::cmp::Reverse(ns), i));
    top.truncate(TOP);
    Breakdown {
        root_ns,
        extent_ns: t.trace.duration_ns().max(0),
        top,
        async_tail: root.and_then(|r| async_tail(t, r)),
    }
}

fn async_tail(t: &IndexedTrace, root: usize) -> Option<AsyncTail> {
    let spans = &t.trace.spans;
    let root_end = spans.get(root)?.end_ns();
    let (last, end) = spans
        .iter()
        .enumerate()
        .map(|(i, s)| (i, s.end_ns()))
        .max_by_key(|&(i, end)| (end, std::cmp::Reverse(i)))?;
    if end <= root_end || last == root {
        return None;
    }
    let mut chain = vec![last];
    let mut at = t.tree.parent.get(last).copied().flatten();
    while let Some(p) = at {
        if p == root || chain.len() > spans.len() {
            break;
        }
        chain.push(p);
        at = t.tree.parent.get(p).copied().flatten();
    }
    chain.reverse();
    Some(AsyncTail {
        last,
        chain,
        after_root_ns: end.saturating_sub(root_end),
    })
}
