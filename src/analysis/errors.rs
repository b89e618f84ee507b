//! Where an error started and how it travelled to the root.

use crate::model::IndexedTrace;

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorOrigin {
    /// The deepest error span: no span below it failed.
    pub origin: usize,
    /// Errored ancestors the error propagated through, nearest first, up to the root when it
    /// failed too. Ancestors that did not record a failure are skipped rather than ending the
    /// chain: client spans often carry no status of their own, and a failed root above them
    /// still failed because of this origin.
    pub chain: Vec<usize>,
}

/// Every error origin, earliest first (ties: deeper first, then input order).
///
/// An origin is an errored span with no errored descendant: the deepest point the failure
/// can be pinned to. Spans above it that failed are the propagation chain, not separate
/// causes — even when a span in between (typically an uninstrumented client span) did not
/// record the error.
pub fn error_origins(t: &IndexedTrace) -> Vec<ErrorOrigin> {
    let spans = &t.trace.spans;
    let tree = &t.tree;
    let is_err = |i: usize| spans.get(i).is_some_and(|s| s.is_error());
    // Children come after their parent in pre-order, so a reverse sweep sees every
    // descendant before its ancestors.
    let mut failed_below = vec![false; spans.len()];
    for &i in tree.preorder.iter().rev() {
        let below = tree.children.get(i).is_some_and(|cs| {
            cs.iter()
                .any(|&c| is_err(c) || failed_below.get(c).copied().unwrap_or(false))
        });
        if let Some(slot) = failed_below.get_mut(i) {
            *slot = below;
        }
    }
    let mut out: Vec<ErrorOrigin> = Vec::new();
    for i in 0..spans.len() {
        if !is_err(i) || failed_below.get(i).copied().unwrap_or(false) {
            continue;
        }
        // Bounded by the tree's size: cycles were cut when the tree was built, but the
        // bound keeps a corrupt index from looping forever.
        let chain = tree
            .ancestors(i)
            .take(spans.len())
            .filter(|&p| is_err(p))
            .collect();
        out.push(ErrorOrigin { origin: i, chain });
    }
    let depth = |i: usize| tree.depth.get(i).copied().unwrap_or(0);
    let start = |i: usize| spans.get(i).map_or(0, |s| s.start_ns);
    out.sort_by(|a, b| {
        start(a.origin)
            .cmp(&start(b.origin))
            .then(depth(b.origin).cmp(&depth(a.origin)))
            .then(a.origin.cmp(&b.origin))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_support::*;

    #[test]
    fn leaf_error_propagates_to_root() {
        let t = indexed(vec![
            failed(span_ms("r", None, "api.handle", 0, 100), ""),
            failed(
                span_ms("s", Some("r"), "orders.get", 10, 80),
                "upstream failed",
            ),
            ok(span_ms("ok", Some("s"), "orders.cache", 12, 5)),
            failed(
                span_ms("db", Some("s"), "orders.db", 20, 30),
                "connection refused",
            ),
            // A second, independent failure under the root whose parent did not fail.
            ok(span_ms("m", Some("r"), "api.metrics", 5, 90)),
            failed(span_ms("x", Some("m"), "metrics.push", 5, 1), "boom"),
        ]);
        let origins = error_origins(&t);
        assert_eq!(
            origins,
            vec![
                ErrorOrigin {
                    origin: idx(&t, "x"),
                    chain: vec![idx(&t, "r")]
                },
                ErrorOrigin {
                    origin: idx(&t, "db"),
                    chain: vec![idx(&t, "s"), idx(&t, "r")]
                },
            ]
        );
    }

    #[test]
    fn ties_deeper_first() {
        let t = indexed(vec![
            ok(span_ms("r", None, "a.r", 0, 100)),
            failed(span_ms("a", Some("r"), "a.a", 10, 10), "x"),
            ok(span_ms("b", Some("r"), "a.b", 10, 10)),
            failed(span_ms("c", Some("b"), "a.c", 10, 5), "y"),
        ]);
        let o: Vec<usize> = error_origins(&t).iter().map(|o| o.origin).collect();
        assert_eq!(o, vec![idx(&t, "c"), idx(&t, "a")]);
    }
}
