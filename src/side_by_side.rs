//! Two independent passes over one big trace (its analyses; its depth check and value limits),
//! on two cores.

/// Spans from which a trace's analyses are split across two threads. Below it a thread costs
/// more than it saves, and window root cause diagnoses many thousands of small traces.
pub(crate) const SPLIT_FROM_SPANS: usize = 10_000;

/// `(a(), b())`, with `a` on a second thread when `split`. Both see the same data and
/// return their own results, so the answer does not depend on which finishes first.
pub(crate) fn side_by_side<A: Send, B>(
    split: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B,
) -> (A, B) {
    if !split {
        return (a(), b());
    }
    std::thread::scope(|s| {
        let other = s.spawn(a);
        let b = b();
        let a = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (a, b)
    })
}

#[cfg(test)]
mod tests {
    use super::side_by_side;

    #[test]
    fn gives_both_results_in_order_either_way() {
        for split in [false, true] {
            let data = [1, 2, 3];
            let (a, b) = side_by_side(
                split,
                || data.iter().sum::<i32>(),
                || data.iter().product::<i32>(),
            );
            assert_eq!((a, b), (6, 6));
        }
    }
}
