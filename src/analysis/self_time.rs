//! Self time: the part of a span no child covers. A sweep over the union of child intervals
//! (clipped to the parent), so overlapping children are not subtracted twice.

use crate::model::IndexedTrace;

use super::gaps::window;

/// Self time of every span, by index. Never negative, never more than the span's duration.
pub fn self_times(t: &IndexedTrace) -> Vec<i64> {
    let spans = &t.trace.spans;
    let mut out = Vec::with_capacity(spans.len());
    for (i, s) in spans.iter().enumerate() {
        let (start, end) = window(s);
        let children = t.tree.children.get(i).unwrap_or(&[]);
        // Children are in start order, and clipping the start to the parent's keeps that
        // order, so one pass that extends the current covered run is enough.
        let mut covered = 0i64;
        let mut run: Option<(i64, i64)> = None;
        for &c in children {
            let Some(cs) = spans.get(c) else { continue };
            let (cs, ce) = window(cs);
            let (cs, ce) = (cs.max(start), ce.min(end));
            if ce <= cs {
                continue; // outside the parent or empty: covers nothing
            }
            run = match run {
                Some((rs, re)) if cs <= re => Some((rs, re.max(ce))),
                Some((rs, re)) => {
                    covered += re - rs;
                    Some((cs, ce))
                }
                None => Some((cs, ce)),
            };
        }
        if let Some((rs, re)) = run {
            covered += re - rs;
        }
        out.push((end - start - covered).max(0));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_support::*;

    #[test]
    fn overlapping_children_are_not_subtracted_twice() {
        // parent 0..100; children 10..40 and 30..60 overlap (union 10..60), 70..80 apart,
        // 95..130 overflows the parent and counts only up to 100.
        let t = indexed(vec![
            span_ms("p", None, "a.p", 0, 100),
            span_ms("c1", Some("p"), "a.c1", 10, 30),
            span_ms("c2", Some("p"), "b.c2", 30, 30),
            span_ms("c3", Some("p"), "b.c3", 70, 10),
            span_ms("c4", Some("p"), "b.c4", 95, 35),
        ]);
        let st = self_times(&t);
        assert_eq!(st[idx(&t, "p")], ms(100 - 50 - 10 - 5));
        assert_eq!(st[idx(&t, "c1")], ms(30));
        assert_eq!(st[idx(&t, "c4")], ms(35));
    }

    #[test]
    fn never_negative() {
        // A child longer than its parent, and a parent with negative duration.
        let t = indexed(vec![
            span_ms("p", None, "a.p", 0, 10),
            span_ms("c", Some("p"), "a.c", -5, 30),
            span_ms("q", None, "a.q", 0, -10),
            span_ms("d", Some("q"), "a.d", 0, 5),
        ]);
        let st = self_times(&t);
        assert_eq!(st[idx(&t, "p")], 0);
        assert_eq!(st[idx(&t, "q")], 0);
    }
}
