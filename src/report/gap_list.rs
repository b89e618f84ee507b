//! Which gaps a report lists: the largest first, so the stretch that explains a slow request
//! is the first row rather than row 400 in tree order, and what was left out is counted.

use crate::analysis::gaps::Gap;

use super::text::human;
use super::Ctx;

/// Indices of at most `budget` gaps, largest first (equal ones in trace order), and how
/// many were left out.
pub fn largest(gaps: &[Gap], budget: usize) -> (Vec<usize>, usize) {
    let mut idx: Vec<usize> = (0..gaps.len()).collect();
    // A total order (no two gaps have the same index): the `budget` first are the same
    // whether all are sorted or only those, once picked out (a big trace has 100,000 gaps
    // and lists 500).
    let order = |&g: &usize| (std::cmp::Reverse(gaps[g].duration_ns), g);
    if budget < idx.len() {
        idx.select_nth_unstable_by_key(budget, order);
    }
    let omitted = idx.len().saturating_sub(budget);
    idx.truncate(budget);
    idx.sort_unstable_by_key(order);
    (idx, omitted)
}

/// The `gaps` report's list: gaps at least `--gap-threshold` long, largest first, within
/// `--max-spans`.
#[derive(Debug, Clone, PartialEq)]
pub struct GapListing {
    /// Indices into `Diagnosis::gaps`, largest first.
    pub shown: Vec<usize>,
    /// The threshold applied (`Diagnosis::thresholds.gap_ns`).
    pub threshold_ns: i64,
    /// Gaps shorter than the threshold, not listed.
    pub below: usize,
    /// The longest of those.
    pub longest_below_ns: Option<i64>,
    /// Gaps that reach the threshold but did not fit `--max-spans`.
    pub over_budget: usize,
}

impl GapListing {
    pub fn omitted(&self) -> usize {
        self.below + self.over_budget
    }

    /// What was left out and why, without a final stop (`37 gaps shorter than the 5.0s gap
    /// threshold (the longest 12ms); lower --gap-threshold to list them`); None when nothing
    /// was.
    pub fn omitted_reason(&self, max_spans: usize) -> Option<String> {
        let mut parts = Vec::new();
        if self.below > 0 {
            let longest = self
                .longest_below_ns
                .map(|ns| format!(" (the longest {})", human(ns)))
                .unwrap_or_default();
            parts.push(format!(
                "{} shorter than the {} gap threshold{longest}; lower --gap-threshold to list them",
                gaps_word(self.below),
                human(self.threshold_ns)
            ));
        }
        if self.over_budget > 0 {
            parts.push(format!(
                "{} more reaching it, the shortest, beyond max_spans {max_spans}",
                gaps_word(self.over_budget)
            ));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

impl GapListing {
    /// Said instead of the list when it is empty although the trace has gaps.
    pub fn nothing_listed(&self, max_spans: usize) -> String {
        match (self.over_budget, self.longest_below_ns) {
            (0, Some(longest)) => format!(
                "No gap reaches the {} gap threshold: {} shorter, the longest {}; lower \
                 --gap-threshold to list them.",
                human(self.threshold_ns),
                if self.below == 1 {
                    "the only one is".to_string()
                } else {
                    format!("all {} are", self.below)
                },
                human(longest)
            ),
            _ => format!(
                "No gap listed: {}.",
                self.omitted_reason(max_spans).unwrap_or_default()
            ),
        }
    }
}

/// `1 gap`, `12 gaps`.
fn gaps_word(n: usize) -> String {
    if n == 1 {
        "1 gap".into()
    } else {
        format!("{n} gaps")
    }
}

pub fn listing(c: &Ctx) -> GapListing {
    let gaps = &c.d.gaps;
    let threshold_ns = c.d.thresholds.gap_ns;
    let (order, _) = largest(gaps, usize::MAX);
    let (long, short): (Vec<usize>, Vec<usize>) = order
        .into_iter()
        .partition(|&g| gaps[g].duration_ns >= threshold_ns);
    let over_budget = long.len().saturating_sub(c.o.max_spans);
    let mut shown = long;
    shown.truncate(c.o.max_spans);
    GapListing {
        shown,
        threshold_ns,
        below: short.len(),
        longest_below_ns: short.first().map(|&g| gaps[g].duration_ns),
        over_budget,
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::gaps::{Gap, GapPosition};
    use crate::analysis::{diagnose as analyse, Diagnosis, Thresholds};
    use crate::model::{IndexedTrace, Span, Trace};
    use crate::report::{gaps as render, Format, RenderOptions};

    use super::*;

    const MS: i64 = 1_000_000;

    /// A root with ten children; gaps of the given lengths (ms) inside the root, in trace
    /// order.
    fn trace_with_gaps(lengths: &[i64], threshold_ms: i64) -> (IndexedTrace, Diagnosis) {
        let mut spans = vec![Span {
            span_id: "r".into(),
            service: "api".into(),
            operation: "get".into(),
            duration_ns: 100_000 * MS,
            ..Span::default()
        }];
        for k in 0..10 {
            spans.push(Span {
                span_id: format!("c{k}").into(),
                parent_id: Some("r".into()),
                service: "db".into(),
                operation: format!("q{k}").into(),
                start_ns: k * 1_000 * MS,
                duration_ns: MS,
                ..Span::default()
            });
        }
        let trace = Trace::with_spans("t".into(), spans);
        let t = IndexedTrace::new(trace, None);
        let mut d = analyse(
            &t,
            &Thresholds {
                gap_ns: threshold_ms * MS,
                ..Thresholds::default()
            },
        );
        d.gaps = lengths
            .iter()
            .enumerate()
            .map(|(k, &ms)| {
                Gap::new(
                    1 + k % 10,
                    GapPosition::BetweenChildren,
                    (k as i64 * 1_000 * MS, ms * MS),
                    None,
                    None,
                    None,
                )
            })
            .collect();
        (t, d)
    }

    fn opts(max_spans: usize) -> RenderOptions {
        RenderOptions {
            max_spans,
            ..RenderOptions::default()
        }
    }

    #[test]
    fn largest_first_ties_in_trace_order_and_capped() {
        let (_, d) = trace_with_gaps(&[5, 40, 7, 40, 1, 90], 0);
        assert_eq!(largest(&d.gaps, 10), (vec![5, 1, 3, 2, 0, 4], 0));
        assert_eq!(largest(&d.gaps, 2), (vec![5, 1], 4));
        assert_eq!(largest(&[], 3), (vec![], 0));
    }

    #[test]
    fn the_threshold_filters_and_what_is_left_out_is_counted() {
        // Threshold 40 ms: 40 reaches it (at least, not more than).
        let (t, d) = trace_with_gaps(&[5, 40, 7, 40, 1, 90, 39], 40);
        let o = opts(500);
        let c = Ctx::new(&t, &d, &o);
        let l = listing(&c);
        assert_eq!(l.shown, vec![5, 1, 3]);
        assert_eq!(
            (l.below, l.longest_below_ns, l.over_budget),
            (4, Some(39 * MS), 0)
        );
        assert_eq!(
            l.omitted_reason(500).as_deref(),
            Some("4 gaps shorter than the 40ms gap threshold (the longest 39ms); lower --gap-threshold to list them")
        );
        // --max-spans cuts the shortest of those that reach the threshold.
        let o = opts(2);
        let c = Ctx::new(&t, &d, &o);
        let l = listing(&c);
        assert_eq!(
            (l.shown.clone(), l.below, l.over_budget),
            (vec![5, 1], 4, 1)
        );
        assert!(l
            .omitted_reason(2)
            .unwrap()
            .ends_with("; 1 gap more reaching it, the shortest, beyond max_spans 2"));
        // None reach it.
        let (t, d) = trace_with_gaps(&[5, 7], 1_000);
        let o = opts(500);
        let c = Ctx::new(&t, &d, &o);
        let l = listing(&c);
        assert!(l.shown.is_empty());
        assert_eq!(
            l.nothing_listed(500),
            "No gap reaches the 1.0s gap threshold: all 2 are shorter, the longest 7ms; lower \
             --gap-threshold to list them."
        );
    }

    #[test]
    fn every_format_of_the_gaps_report_lists_largest_first_above_the_threshold() {
        let (t, d) = trace_with_gaps(&[5, 40, 7, 60, 1, 90, 39], 40);
        let o = opts(500);
        let table = render(&t, &d, Format::Table, &o);
        let rows: Vec<&str> = table.lines().filter(|l| l.starts_with("db.q")).collect();
        assert_eq!(rows.len(), 3, "{table}");
        for (row, (op, gap)) in
            rows.iter()
                .zip([("db.q5", "90ms"), ("db.q3", "60ms"), ("db.q1", "40ms")])
        {
            assert!(row.starts_with(op) && row.ends_with(gap), "{table}");
        }
        assert!(
            table.contains("… not listed: 4 gaps shorter than the 40ms gap threshold"),
            "{table}"
        );
        assert!(table.contains("7 gaps in all"));
        let md = render(&t, &d, Format::Markdown, &o);
        let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| db.q")).collect();
        assert_eq!(rows.len(), 3, "{md}");
        assert!(
            rows[0].contains("| 90ms |") && rows[2].contains("| 40ms |"),
            "{md}"
        );
        assert!(
            md.contains("_Not listed: 4 gaps shorter than the 40ms gap threshold"),
            "{md}"
        );
        let llm = render(&t, &d, Format::Llm, &o);
        let rows: Vec<&str> = llm.lines().filter(|l| l.starts_with("- ")).collect();
        assert_eq!(
            rows,
            [
                "- 90ms inside db: q5 at +5.0s",
                "- 60ms inside db: q3 at +3.0s",
                "- 40ms inside db: q1 at +1.0s"
            ],
            "{llm}"
        );
        assert!(
            llm.contains(
                "_3 of 7 gaps shown; 4 omitted: 4 gaps shorter than the 40ms gap threshold"
            ),
            "{llm}"
        );
        let v: serde_json::Value = serde_json::from_str(&render(&t, &d, Format::Json, &o)).unwrap();
        let ms: Vec<f64> = v["gaps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["gap_ms"].as_f64().unwrap())
            .collect();
        assert_eq!(ms, [90.0, 60.0, 40.0]);
        assert_eq!(v["omitted_gaps"], 4);
        assert_eq!(v["truncated"], true);
        // Nothing reaches a higher threshold: said in every format.
        let (t, d) = trace_with_gaps(&[5, 7], 1_000);
        for f in [Format::Table, Format::Markdown, Format::Llm] {
            let out = render(&t, &d, f, &o);
            assert!(
                out.replace('\n', " ").contains(
                    "No gap reaches the 1.0s gap threshold: all 2 are shorter, the longest 7ms"
                ),
                "{f:?}:\n{out}"
            );
        }
    }
}
