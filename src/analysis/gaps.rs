//! Uninstrumented time inside spans: the stretches of a parent no child covers, before the
//! first child, between children, after the last child.

use serde::Serialize;

use crate::model::{IndexedTrace, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GapPosition {
    /// From the parent's start to its first child's start.
    BeforeFirstChild,
    /// Between the end of the children covered so far and the next child's start.
    BetweenChildren,
    /// From the last child's end to the parent's end.
    AfterLastChild,
}

/// Which network leg an uncovered stretch sits on when the parent and the adjacent child
/// are in different services: time before the child starts is the request leg (the call
/// travelling to the callee), time after it ends is the response leg (the answer travelling back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Leg {
    Request,
    Response,
}

/// Positions are held as `u32` (a trace of more than 4 billion spans cannot be held): a
/// big trace has a gap or two for most of its spans, and 64 bytes a gap were a tenth of a
/// 100,000-span report's peak memory.
#[derive(Debug, Clone, PartialEq)]
pub struct Gap {
    pub start_ns: i64,
    pub duration_ns: i64,
    /// The span the gap is inside.
    span: u32,
    /// The child that ended just before the gap (None for `BeforeFirstChild`).
    after_child: Option<u32>,
    /// The child that starts right after the gap (None for `AfterLastChild`).
    before_child: Option<u32>,
    pub position: GapPosition,
    /// Set when the gap borders a child in another service.
    pub leg: Option<Leg>,
}

impl Gap {
    pub fn new(
        span: usize,
        position: GapPosition,
        (start_ns, duration_ns): (i64, i64),
        after_child: Option<usize>,
        before_child: Option<usize>,
        leg: Option<Leg>,
    ) -> Gap {
        Gap {
            start_ns,
            duration_ns,
            span: compact(span),
            after_child: after_child.map(compact),
            before_child: before_child.map(compact),
            position,
            leg,
        }
    }

    /// The span the gap is inside.
    pub fn span(&self) -> usize {
        self.span as usize
    }

    /// The child that ended just before the gap (None for `BeforeFirstChild`).
    pub fn after_child(&self) -> Option<usize> {
        self.after_child.map(|c| c as usize)
    }

    /// The child that starts right after the gap (None for `AfterLastChild`).
    pub fn before_child(&self) -> Option<usize> {
        self.before_child.map(|c| c as usize)
    }
}

fn compact(position: usize) -> u32 {
    u32::try_from(position).expect("span positions fit in 32 bits")
}

/// Gaps of every span that has children, in span pre-order then time order. Zero-length gaps
/// are not reported. Children are clipped to the parent's window; asynchronous children
/// (FOLLOWS_FROM, consumer) still cover the time they overlap.
pub fn find_gaps(t: &IndexedTrace) -> Vec<Gap> {
    let spans = &t.trace.spans;
    // Most spans with children have a gap or two: reserve to avoid regrowing on big traces.
    let mut out = Vec::with_capacity(spans.len());
    for &p in &t.tree.preorder {
        let (Some(ps), Some(children)) = (spans.get(p), t.tree.children.get(p)) else {
            continue;
        };
        if children.is_empty() {
            continue;
        }
        let (start, end) = window(ps);
        let cross = |c: Option<usize>| {
            c.and_then(|c| spans.get(c))
                .is_some_and(|cs| cs.service != ps.service)
        };
        let mut push = |position,
                        from: i64,
                        to: i64,
                        after_child: Option<usize>,
                        before_child: Option<usize>| {
            if to <= from {
                return;
            }
            let leg = match position {
                GapPosition::BeforeFirstChild => cross(before_child).then_some(Leg::Request),
                GapPosition::AfterLastChild => cross(after_child).then_some(Leg::Response),
                GapPosition::BetweenChildren => {
                    if cross(after_child) {
                        Some(Leg::Response)
                    } else {
                        cross(before_child).then_some(Leg::Request)
                    }
                }
            };
            out.push(Gap::new(
                p,
                position,
                (from, to - from),
                after_child,
                before_child,
                leg,
            ));
        };
        // Sweep the children in start order (clipping keeps that order), tracking the end of
        // the covered run and the child that reaches it.
        let mut covered_to = start;
        let mut last: Option<usize> = None;
        for &c in children {
            let Some(cs) = spans.get(c) else { continue };
            let (cs, ce) = window(cs);
            let (cs, ce) = (cs.max(start), ce.min(end));
            // Drop children outside the window, and empty ones on its edge: they split
            // nothing and would turn the edge gap into a "between" one.
            if ce < cs || (ce == cs && (cs == start || cs == end)) {
                continue;
            }
            if cs > covered_to {
                let position = if last.is_none() {
                    GapPosition::BeforeFirstChild
                } else {
                    GapPosition::BetweenChildren
                };
                push(position, covered_to, cs, last, Some(c));
            }
            if last.is_none() || ce > covered_to {
                covered_to = covered_to.max(ce);
                last = Some(c);
            }
        }
        // With no child inside the window the parent is uncovered throughout, but that is the
        // span's own time rather than a gap next to a child.
        if last.is_some() {
            push(GapPosition::AfterLastChild, covered_to, end, last, None);
        }
    }
    out
}

/// A span's time window, `[start, end]`, with a negative duration read as zero.
pub(crate) fn window(s: &Span) -> (i64, i64) {
    (s.start_ns, s.end_ns())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_support::*;

    #[test]
    fn before_between_and_after_with_legs() {
        // api.handle 0..100 calls db.query 10..30 and db.query 25..40 (overlapping), then
        // api.render 50..60, then cache.get 70..90.
        let t = indexed(vec![
            span_ms("p", None, "api.handle", 0, 100),
            span_ms("a", Some("p"), "db.query", 10, 20),
            span_ms("b", Some("p"), "db.query", 25, 15),
            span_ms("r", Some("p"), "api.render", 50, 10),
            span_ms("c", Some("p"), "cache.get", 70, 20),
        ]);
        let gaps = find_gaps(&t);
        let (p, a, b, r, c) = (
            idx(&t, "p"),
            idx(&t, "a"),
            idx(&t, "b"),
            idx(&t, "r"),
            idx(&t, "c"),
        );
        let got: Vec<_> = gaps
            .iter()
            .map(|g| {
                (
                    g.span(),
                    g.position,
                    g.start_ns,
                    g.duration_ns,
                    g.after_child(),
                    g.before_child(),
                    g.leg,
                )
            })
            .collect();
        use GapPosition::*;
        assert_eq!(
            got,
            vec![
                (
                    p,
                    BeforeFirstChild,
                    ms(0),
                    ms(10),
                    None,
                    Some(a),
                    Some(Leg::Request)
                ),
                // After the union a∪b the neighbour is b, which ends last; it is in another
                // service, so the stretch is the response leg of that call.
                (
                    p,
                    BetweenChildren,
                    ms(40),
                    ms(10),
                    Some(b),
                    Some(r),
                    Some(Leg::Response)
                ),
                // Same-service neighbour before, cross-service after: request leg.
                (
                    p,
                    BetweenChildren,
                    ms(60),
                    ms(10),
                    Some(r),
                    Some(c),
                    Some(Leg::Request)
                ),
                (
                    p,
                    AfterLastChild,
                    ms(90),
                    ms(10),
                    Some(c),
                    None,
                    Some(Leg::Response)
                ),
            ]
        );
    }

    #[test]
    fn same_service_children_have_no_leg_and_clipping_applies() {
        // Child overflows both ends of the parent: no gap. Next parent: child entirely
        // outside is ignored, leaving no gaps at all (no child inside the window).
        let t = indexed(vec![
            span_ms("p", None, "a.p", 0, 100),
            span_ms("c", Some("p"), "a.c", -10, 200),
            span_ms("q", None, "a.q", 500, 10),
            span_ms("d", Some("q"), "a.d", 600, 10),
            span_ms("r", None, "a.r", 1000, 10),
            span_ms("e", Some("r"), "a.e", 1002, 3),
        ]);
        let gaps = find_gaps(&t);
        assert_eq!(gaps.len(), 2);
        assert!(gaps
            .iter()
            .all(|g| g.span() == idx(&t, "r") && g.leg.is_none()));
        assert_eq!((gaps[0].start_ns, gaps[0].duration_ns), (ms(1000), ms(2)));
        assert_eq!((gaps[1].start_ns, gaps[1].duration_ns), (ms(1005), ms(5)));
    }

    #[test]
    fn seed_2193_response_leg() {
        let t = execution_2193();
        let g = find_gaps(&t);
        let hybrid = idx(&t, "2");
        let after = g
            .iter()
            .find(|g| g.span() == hybrid && g.position == GapPosition::AfterLastChild)
            .expect("gap after the router call");
        assert_eq!(after.duration_ns, ms(156_117));
        assert_eq!(after.leg, Some(Leg::Response));
        assert_eq!(after.after_child(), Some(idx(&t, "3")));
    }
}
