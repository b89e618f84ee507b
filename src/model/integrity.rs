//! What is structurally wrong with a trace. Always computed; reports show it when non-empty,
//! because every later conclusion is less certain on a broken trace.

use serde::Serialize;

/// The span attribute a source sets on a span whose start was not in the data and was
/// inferred (value: where from, e.g. `annotations`, `parent`); the tree reports such spans.
pub const PLACED_FROM_ATTR: &str = "tracediag.placed_from";

/// The span attribute a source sets on a span the data gave no duration (Zipkin one-way
/// spans, spans never finished); its duration is then 0 but not reported as such.
pub const NO_DURATION_ATTR: &str = "tracediag.no_duration";

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Integrity {
    /// Spans whose parent id is not in the trace: context propagation was lost, or the
    /// parent was not sampled or not yet received.
    pub orphans: Vec<Orphan>,
    /// Span ids of spans without a parent id. More than one means several roots.
    pub root_span_ids: Vec<String>,
    /// Parent chains that loop; each cycle was cut at its earliest span, which became a root.
    pub cycles: Vec<Vec<String>>,
    /// Span ids that occur more than once (Zipkin-style shared client/server ids, or
    /// duplicates from overlapping exports). Children attach to the first occurrence.
    pub duplicate_span_ids: Vec<String>,
    /// Children that start before or end after their parent.
    pub outside_parent: Vec<OutsideParent>,
    /// Spans whose duration is zero or negative.
    pub non_positive_durations: Vec<String>,
    /// Spans the data gave no duration at all (see [`NO_DURATION_ATTR`]).
    pub missing_durations: Vec<String>,
    /// Clock-skew shifts applied (empty when adjustment is off or nothing needed it).
    pub skew_adjustments: Vec<SkewAdjustment>,
    /// Set when parent links were not in the data and were inferred from time containment.
    pub inferred_parents: bool,
    /// Spans that had no start time in the data (Zipkin spans without `timestamp`) and were
    /// placed from their annotations, children, parent or the trace's start.
    pub placed_spans: Vec<PlacedSpan>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlacedSpan {
    pub span_id: String,
    /// What the start was taken from: `annotations`, `children`, `parent`, `trace start`.
    pub from: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Orphan {
    pub span_id: String,
    pub missing_parent_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutsideParent {
    pub span_id: String,
    pub parent_id: String,
    /// How much earlier than its parent the child starts (0 when it does not).
    pub early_ns: i64,
    /// How much later than its parent the child ends (0 when it does not).
    pub late_ns: i64,
    /// True for FOLLOWS_FROM references and producer→consumer pairs, where outliving the
    /// parent is normal asynchronous work rather than clock skew.
    pub asynchronous: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkewAdjustment {
    pub span_id: String,
    pub shift_ns: i64,
}

impl Integrity {
    /// True when there is something worth telling the user.
    pub fn has_findings(&self) -> bool {
        !self.orphans.is_empty()
            || self.root_span_ids.len() > 1
            || !self.cycles.is_empty()
            || !self.duplicate_span_ids.is_empty()
            || !self.outside_parent.is_empty()
            || !self.non_positive_durations.is_empty()
            || !self.missing_durations.is_empty()
            || !self.skew_adjustments.is_empty()
            || self.inferred_parents
            || !self.placed_spans.is_empty()
    }

    /// True when the tree itself is unreliable (lost context, loops), which makes a root-cause
    /// conclusion uncertain.
    pub fn is_broken(&self) -> bool {
        !self.orphans.is_empty() || !self.cycles.is_empty() || self.root_span_ids.len() > 1
    }

    /// One line per finding, for tables and Markdown.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.inferred_parents {
            out.push(
                "parent links inferred from time containment (the source has no parent column)"
                    .into(),
            );
        }
        if !self.placed_spans.is_empty() {
            out.push(self.placed_line());
        }
        if !self.orphans.is_empty() {
            let first = &self.orphans[0];
            out.push(format!(
                "{} orphan span(s): parent not in trace, context propagation lost (e.g. span {} → missing {})",
                self.orphans.len(),
                first.span_id,
                first.missing_parent_id
            ));
        }
        if self.root_span_ids.len() > 1 {
            out.push(format!(
                "{} root spans: the trace has several roots",
                self.root_span_ids.len()
            ));
        }
        for c in &self.cycles {
            out.push(format!("parent cycle {} (cut at {})", c.join(" → "), c[0]));
        }
        if !self.duplicate_span_ids.is_empty() {
            out.push(format!(
                "{} duplicate span id(s): {}",
                self.duplicate_span_ids.len(),
                abbreviate(&self.duplicate_span_ids)
            ));
        }
        let (asynchronous, skewed): (Vec<_>, Vec<_>) =
            self.outside_parent.iter().partition(|o| o.asynchronous);
        if !skewed.is_empty() {
            out.push(format!(
                "{} span(s) outside their parent's window: clock skew or unmarked async work",
                skewed.len()
            ));
        }
        if !asynchronous.is_empty() {
            out.push(format!(
                "{} asynchronous span(s) (FOLLOWS_FROM / producer→consumer) outlive their parent",
                asynchronous.len()
            ));
        }
        if !self.non_positive_durations.is_empty() {
            out.push(format!(
                "{} span(s) with zero or negative duration: {}",
                self.non_positive_durations.len(),
                abbreviate(&self.non_positive_durations)
            ));
        }
        if !self.missing_durations.is_empty() {
            out.push(format!(
                "{} span(s) without a duration in the data (one-way, or never finished), shown as 0: {}",
                self.missing_durations.len(),
                abbreviate(&self.missing_durations)
            ));
        }
        if !self.skew_adjustments.is_empty() {
            out.push(format!(
                "{} span(s) shifted to correct clock skew",
                self.skew_adjustments.len()
            ));
        }
        out
    }
}

impl Integrity {
    /// "N span(s) had no timestamp; placed from annotations (a), parent (b)".
    fn placed_line(&self) -> String {
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for p in &self.placed_spans {
            match counts.iter_mut().find(|(f, _)| *f == p.from) {
                Some(c) => c.1 += 1,
                None => counts.push((&p.from, 1)),
            }
        }
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let from: Vec<String> = counts.iter().map(|(f, n)| format!("{f} ({n})")).collect();
        format!(
            "{} span(s) had no timestamp; placed from {}",
            self.placed_spans.len(),
            from.join(", ")
        )
    }
}

fn abbreviate(ids: &[String]) -> String {
    const SHOWN: usize = 3;
    let mut s = ids
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() > SHOWN {
        s.push_str(&format!(", … ({} more)", ids.len() - SHOWN));
    }
    s
}
