//! What is structurally wrong with a trace. Always computed; reports show it when non-empty,
//! because every later conclusion is less certain on a broken trace.

use serde::Serialize;

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
    /// Clock-skew shifts applied (empty when adjustment is off or nothing needed it).
    pub skew_adjustments: Vec<SkewAdjustment>,
    /// Set when parent links were not in the data and were inferred from time containment.
    pub inferred_parents: bool,
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
            || !self.skew_adjustments.is_empty()
            || self.inferred_parents
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
        if !self.skew_adjustments.is_empty() {
            out.push(format!(
                "{} span(s) shifted to correct clock skew",
                self.skew_adjustments.len()
            ));
        }
        out
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
