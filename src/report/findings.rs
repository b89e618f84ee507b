//! One line per finding. Root-cause candidates and call patterns about the same category and
//! service.operation are grouped into one line with a count and example span ids: a trace
//! with 28 identical sequential fan-outs tells the reader one thing, and 28 lines of it cost
//! a terminal its screen and an LLM its token budget.
//!
//! The groups and their wording are decided here once; each format passes how it writes a
//! span's name (cleaned, escaped, emphasised), a span id and a duration, so the table, the
//! Markdown and the llm text say the same thing.

use std::collections::HashMap;

use crate::analysis::patterns::RepeatKind;

use super::text::finite;
use super::Ctx;

/// Span ids a grouped line names as examples.
pub const EXAMPLE_IDS: usize = 2;

/// Root-cause candidates with one category at one service.operation.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateGroup {
    /// 1-based rank of the best member.
    pub rank: usize,
    /// Indices into `Diagnosis::root_causes`, in rank order.
    pub members: Vec<usize>,
}

/// The candidates from rank `from + 1` on, grouped by category and service.operation, in the
/// order of each group's best member (candidates are ranked, so the first is the best).
pub fn candidate_groups(c: &Ctx, from: usize) -> Vec<CandidateGroup> {
    let mut groups: Vec<CandidateGroup> = Vec::new();
    let mut by_key: HashMap<(&'static str, Option<String>), usize> = HashMap::new();
    for (k, rc) in c.d.root_causes.iter().enumerate().skip(from) {
        let key = (rc.category.as_str(), rc.span.map(|i| c.label(i)));
        match by_key.get(&key) {
            Some(&g) => groups[g].members.push(k),
            None => {
                by_key.insert(key, groups.len());
                groups.push(CandidateGroup {
                    rank: k + 1,
                    members: vec![k],
                });
            }
        }
    }
    groups
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PatternKind {
    Sequential,
    NPlusOne,
    Retry,
}

/// Call patterns of one kind about one service.operation (and, for repeated calls, one
/// caller).
#[derive(Debug, Clone, PartialEq)]
pub struct PatternGroup {
    pub kind: PatternKind,
    /// The span whose name the line gives: a fan-out's parent, or the repeated call.
    pub subject: usize,
    /// Repeated calls: the span they were made under. None for a sequential fan-out.
    pub parent: Option<usize>,
    /// The span each finding is about (the fan-out's parent, the repeated calls' parent).
    pub spans: Vec<usize>,
    /// Children run one after another, or calls repeated, over all findings.
    pub calls: usize,
    /// Time in those children or calls, over all findings.
    pub total_ns: i64,
    /// Sequential fan-outs: the parents' durations, summed.
    pub parent_ns: i64,
}

impl PatternGroup {
    pub fn count(&self) -> usize {
        self.spans.len()
    }
}

/// Patterns grouped by kind and service.operation, the most time first (repeated calls
/// before fan-outs on a tie, then in the order they were found).
pub fn pattern_groups(c: &Ctx) -> Vec<PatternGroup> {
    let p = &c.d.patterns;
    let mut groups: Vec<PatternGroup> = Vec::new();
    let mut by_key: HashMap<(PatternKind, String, String), usize> = HashMap::new();
    let mut add = |kind, subject: usize, parent: Option<usize>, span, calls, total, pns| {
        let key = (
            kind,
            c.label(subject),
            parent.map(|i| c.label(i)).unwrap_or_default(),
        );
        let g = *by_key.entry(key).or_insert_with(|| {
            groups.push(PatternGroup {
                kind,
                subject,
                parent,
                spans: Vec::new(),
                calls: 0,
                total_ns: 0,
                parent_ns: 0,
            });
            groups.len() - 1
        });
        let g = &mut groups[g];
        g.spans.push(span);
        g.calls += calls;
        g.total_ns = g.total_ns.saturating_add(total);
        g.parent_ns = g.parent_ns.saturating_add(pns);
    };
    for r in &p.repeated {
        let kind = match r.kind {
            RepeatKind::NPlusOne => PatternKind::NPlusOne,
            RepeatKind::Retry => PatternKind::Retry,
        };
        let subject = r.calls.first().copied().unwrap_or(r.parent);
        add(
            kind,
            subject,
            Some(r.parent),
            r.parent,
            r.calls.len(),
            r.total_ns,
            0,
        );
    }
    for s in &p.sequential {
        add(
            PatternKind::Sequential,
            s.parent,
            None,
            s.parent,
            s.children.len(),
            s.children_sum_ns,
            s.parent_ns,
        );
    }
    groups.sort_by_key(|g| std::cmp::Reverse(g.total_ns));
    groups
}

/// How a format writes the parts of a finding line.
pub struct Words<'a> {
    /// A span's service.operation (cleaned; escaped and emphasised as the format needs).
    pub name: Box<dyn Fn(usize) -> String + 'a>,
    /// A span's id (cleaned, escaped).
    pub id: Box<dyn Fn(usize) -> String + 'a>,
    /// A duration.
    pub dur: fn(i64) -> String,
}

impl Words<'_> {
    /// `span 1a2b` for one finding, `e.g. spans 1a2b, 3c4d` for a group.
    pub fn ids(&self, spans: &[usize]) -> String {
        match spans {
            [] => String::new(),
            [one] => format!("span {}", (self.id)(*one)),
            many => {
                let ids: Vec<String> = many
                    .iter()
                    .take(EXAMPLE_IDS)
                    .map(|&i| (self.id)(i))
                    .collect();
                format!("e.g. spans {}", ids.join(", "))
            }
        }
    }

    /// `sequential fan-out in a.b × 28: 84 children one after another (50s of 56s in
    /// all), e.g. spans …`; `N+1 calls: 12 × db.query under api.get (1.2s), span …`.
    pub fn pattern(&self, g: &PatternGroup) -> String {
        let name = (self.name)(g.subject);
        let ids = self.ids(&g.spans);
        let dur = self.dur;
        let (times, in_all) = if g.count() > 1 {
            (format!(" × {}", g.count()), " in all")
        } else {
            (String::new(), "")
        };
        match g.kind {
            PatternKind::Sequential => format!(
                "sequential fan-out in {name}{times}: {} children one after another ({} of {}{in_all}), {ids}",
                g.calls,
                dur(g.total_ns),
                dur(g.parent_ns)
            ),
            PatternKind::NPlusOne | PatternKind::Retry => {
                let kind = if g.kind == PatternKind::Retry {
                    "retries"
                } else {
                    "N+1 calls"
                };
                let parent = g.parent.map(|p| (self.name)(p)).unwrap_or_default();
                if g.count() > 1 {
                    format!(
                        "{kind}: {name} under {parent}{times}: {} calls ({}{in_all}), {ids}",
                        g.calls,
                        dur(g.total_ns)
                    )
                } else {
                    format!(
                        "{kind}: {} × {name} under {parent} ({}), {ids}",
                        g.calls,
                        dur(g.total_ns)
                    )
                }
            }
        }
    }

    /// `3. PERFORMANCE_DEGRADATION at a.b × 5 (best score 0.25), e.g. spans …`, or for one
    /// candidate `2. EXECUTION_FAILURE at a.b (score 0.30), span …`.
    pub fn candidate(&self, c: &Ctx, g: &CandidateGroup) -> String {
        let members: Vec<&crate::analysis::root_cause::Candidate> = g
            .members
            .iter()
            .filter_map(|&k| c.d.root_causes.get(k))
            .collect();
        let Some(best) = members.first() else {
            return format!("{}. ?", g.rank);
        };
        let at = best
            .span
            .map(|i| format!(" at {}", (self.name)(i)))
            .unwrap_or_default();
        let spans: Vec<usize> = members.iter().filter_map(|rc| rc.span).collect();
        let ids = match self.ids(&spans) {
            s if s.is_empty() => s,
            s => format!(", {s}"),
        };
        let score = members
            .iter()
            .map(|rc| finite(rc.score))
            .fold(0.0, f64::max);
        if members.len() > 1 {
            format!(
                "{}. {}{at} × {} (best score {score:.2}){ids}",
                g.rank,
                best.category.as_str(),
                members.len()
            )
        } else {
            format!(
                "{}. {}{at} (score {score:.2}){ids}",
                g.rank,
                best.category.as_str()
            )
        }
    }
}
