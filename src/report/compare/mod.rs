//! `compare`: two traces, aligned. The document is built once ([`CompareDoc::build`]) and the
//! table, Markdown (`render.rs`) and JSON are renderings of it, so they cannot disagree.
//!
//! Nothing is cut silently (tempo-cli's trace diff: "a truncated change list lies by
//! omission"): the tree is capped by `--max-rows`, keeping every differing row and its
//! ancestors first, and `omitted_rows` says how many were left out; the lists of changes
//! are never capped.

use serde::Serialize;

use crate::analysis::compare::{Comparison, Row, Side};
use crate::model::{IndexedTrace, Span};

mod render;

pub use render::compare;

use super::text::{finite, ms, rfc3339_ms};
use super::SCHEMA_VERSION;

/// The `compare` document.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CompareDoc {
    /// Version of the layout.
    pub schema_version: &'static str,
    /// Always `compare`.
    pub command: &'static str,
    /// The first trace (the reference).
    pub a: BriefDoc,
    /// The second trace.
    pub b: BriefDoc,
    /// How the spans were paired.
    pub alignment: AlignmentDoc,
    /// The first row of the tree (in `rows` order) missing on one side or failing on one
    /// side only; without such a row, the earliest flagged pair whose children are not.
    pub first_divergence: Option<RowDoc>,
    /// `service.operation`s present on one side only.
    pub missing_operations: MissingDoc,
    /// Aligned span pairs whose duration changed by at least `factor` (either way).
    pub duration_changes: Vec<RowDoc>,
    /// Spans failing on one side only (aligned pairs with different status, and failed
    /// spans without a partner).
    pub error_differences: Vec<RowDoc>,
    /// Per `service.operation`: counts, total time and errors on each side.
    pub operations: Vec<OperationDoc>,
    /// Time on the critical path per `service.operation`, largest change of share first.
    pub critical_path: Vec<PathShareDoc>,
    /// The merged tree in pre-order (siblings by start offset).
    pub rows: Vec<RowDoc>,
    /// True when `rows` was capped.
    pub truncated: bool,
    /// Rows of the merged tree not in `rows`.
    pub omitted_rows: usize,
}

/// One side.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct BriefDoc {
    /// Trace id.
    pub trace_id: String,
    /// Where it was read from.
    pub source: String,
    /// Root span's service.
    pub root_service: Option<String>,
    /// Root span's operation.
    pub root_operation: Option<String>,
    /// Start of the earliest span, RFC 3339 UTC.
    pub start_time: String,
    /// From the earliest start to the latest end.
    pub duration_ms: f64,
    /// Spans.
    pub span_count: usize,
    /// Failed spans.
    pub error_count: usize,
}

/// Pairing counts.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AlignmentDoc {
    /// Aligned span pairs.
    pub pairs: usize,
    /// Spans of A without a partner.
    pub only_in_a: usize,
    /// Spans of B without a partner.
    pub only_in_b: usize,
    /// Flag threshold for duration ratios.
    pub factor: f64,
    /// Smallest duration change flagged.
    pub min_delta_ms: f64,
    /// False when the traces were too large for the sequence alignment and spans were
    /// paired by parent path and sibling position alone.
    pub sequence_aligned: bool,
}

/// Operations found on one side only.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct MissingDoc {
    /// In A, not in B.
    pub only_in_a: Vec<String>,
    /// In B, not in A.
    pub only_in_b: Vec<String>,
}

/// One row of the merged tree.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RowDoc {
    /// `=` aligned and alike, `~` aligned and different (duration flag or status),
    /// `-` only in A, `+` only in B.
    pub mark: &'static str,
    /// Depth in the merged tree.
    pub depth: u32,
    /// Service name.
    pub service: String,
    /// Operation name.
    pub operation: String,
    /// Span id in A (null: only in B).
    pub a_span_id: Option<String>,
    /// Span id in B (null: only in A).
    pub b_span_id: Option<String>,
    /// Start, from the start of trace A.
    pub a_start_offset_ms: Option<f64>,
    /// Start, from the start of trace B.
    pub b_start_offset_ms: Option<f64>,
    /// Duration in A.
    pub a_duration_ms: Option<f64>,
    /// Duration in B.
    pub b_duration_ms: Option<f64>,
    /// B's duration over A's.
    pub ratio: Option<f64>,
    /// `ok` or `error` in A.
    pub a_status: Option<&'static str>,
    /// `ok` or `error` in B.
    pub b_status: Option<&'static str>,
    /// The error message, from whichever side failed (B first).
    pub error_message: Option<String>,
}

/// One operation's numbers on each side.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct OperationDoc {
    /// `service.operation`.
    pub operation: String,
    /// Spans in A.
    pub a_count: usize,
    /// Spans in B.
    pub b_count: usize,
    /// Summed duration in A.
    pub a_total_ms: f64,
    /// Summed duration in B.
    pub b_total_ms: f64,
    /// B total over A total.
    pub ratio: Option<f64>,
    /// Changed by at least the factor and the minimum delta.
    pub flagged: bool,
    /// Failed spans in A.
    pub a_errors: usize,
    /// Failed spans in B.
    pub b_errors: usize,
}

/// One operation's part of the critical path.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PathShareDoc {
    /// `service.operation`.
    pub operation: String,
    /// Time on A's critical path.
    pub a_ms: f64,
    /// Time on B's critical path.
    pub b_ms: f64,
    /// Share of A's critical path (0–1).
    pub a_share: f64,
    /// Share of B's critical path (0–1).
    pub b_share: f64,
}

fn status(s: &Span) -> &'static str {
    if s.is_error() {
        "error"
    } else {
        "ok"
    }
}

fn brief(t: &IndexedTrace, source: &str) -> BriefDoc {
    let root = t
        .tree
        .main_root(&t.trace)
        .and_then(|r| t.trace.spans.get(r));
    BriefDoc {
        trace_id: t.trace.id.clone(),
        source: source.to_string(),
        root_service: root.map(|s| s.service.to_string()),
        root_operation: root.map(|s| s.operation.to_string()),
        start_time: rfc3339_ms(t.trace.start_ns()),
        duration_ms: ms(t.trace.duration_ns().max(0)),
        span_count: t.trace.spans.len(),
        error_count: t.trace.error_count(),
    }
}

/// One row of the merged tree, with both sides' spans looked up.
fn row_doc(a: &IndexedTrace, b: &IndexedTrace, r: &Row) -> RowDoc {
    let (a0, b0) = (a.trace.start_ns(), b.trace.start_ns());
    let sa = match r.side {
        Side::Both(x, _) | Side::OnlyA(x) => a.trace.spans.get(x),
        Side::OnlyB(_) => None,
    };
    let sb = match r.side {
        Side::Both(_, y) | Side::OnlyB(y) => b.trace.spans.get(y),
        Side::OnlyA(_) => None,
    };
    let any = sa.or(sb);
    let mark = match r.side {
        Side::Both(..) if r.duration_flag || r.status_differs => "~",
        Side::Both(..) => "=",
        Side::OnlyA(_) => "-",
        Side::OnlyB(_) => "+",
    };
    let message = sb
        .filter(|s| s.is_error())
        .or(sa.filter(|s| s.is_error()))
        .and_then(|s| s.status.message.clone());
    RowDoc {
        mark,
        depth: r.depth,
        service: any.map_or_else(String::new, |s| s.service.to_string()),
        operation: any.map_or_else(String::new, |s| s.operation.to_string()),
        a_span_id: sa.map(|s| s.span_id.to_string()),
        b_span_id: sb.map(|s| s.span_id.to_string()),
        a_start_offset_ms: sa.map(|s| ms(s.start_ns.saturating_sub(a0))),
        b_start_offset_ms: sb.map(|s| ms(s.start_ns.saturating_sub(b0))),
        a_duration_ms: sa.map(|s| ms(s.duration_ns)),
        b_duration_ms: sb.map(|s| ms(s.duration_ns)),
        ratio: r.ratio.map(finite),
        a_status: sa.map(status),
        b_status: sb.map(status),
        error_message: message,
    }
}

/// `service.operation`s with spans on one side only (A's when `side_a`).
fn only_on(c: &Comparison, side_a: bool) -> Vec<String> {
    c.operations
        .iter()
        .filter(|o| {
            if side_a {
                o.count_b == 0
            } else {
                o.count_a == 0
            }
        })
        .map(|o| o.label.clone())
        .collect()
}

/// The rows of the tree (`all`, as `row_doc` built them, in `c.rows` order) whose comparison
/// row passes `pick`.
fn picked(c: &Comparison, all: &[RowDoc], pick: impl Fn(&Row, &RowDoc) -> bool) -> Vec<RowDoc> {
    c.rows
        .iter()
        .zip(all)
        .filter(|(r, d)| pick(r, d))
        .map(|(_, d)| d.clone())
        .collect()
}

fn operations(c: &Comparison) -> Vec<OperationDoc> {
    c.operations
        .iter()
        .map(|o| OperationDoc {
            operation: o.label.clone(),
            a_count: o.count_a,
            b_count: o.count_b,
            a_total_ms: ms(o.total_a_ns),
            b_total_ms: ms(o.total_b_ns),
            ratio: o.ratio.map(finite),
            flagged: o.flagged,
            a_errors: o.errors_a,
            b_errors: o.errors_b,
        })
        .collect()
}

fn critical_path(c: &Comparison) -> Vec<PathShareDoc> {
    c.critical_path
        .iter()
        .map(|p| PathShareDoc {
            operation: p.label.clone(),
            a_ms: ms(p.a_ns),
            b_ms: ms(p.b_ns),
            a_share: finite(p.a_share),
            b_share: finite(p.b_share),
        })
        .collect()
}

impl CompareDoc {
    pub fn build(
        a: &IndexedTrace,
        b: &IndexedTrace,
        c: &Comparison,
        sources: (&str, &str),
        max_rows: usize,
    ) -> CompareDoc {
        let all: Vec<RowDoc> = c.rows.iter().map(|r| row_doc(a, b, r)).collect();
        let keep = keep_rows(&all, max_rows);
        let omitted = all.len() - keep.iter().filter(|&&k| k).count();
        let pairs = c.alignment.pairs().count();
        CompareDoc {
            schema_version: SCHEMA_VERSION,
            command: "compare",
            a: brief(a, sources.0),
            b: brief(b, sources.1),
            alignment: AlignmentDoc {
                pairs,
                only_in_a: a.trace.spans.len() - pairs,
                only_in_b: b.trace.spans.len() - pairs,
                factor: finite(c.options.factor),
                min_delta_ms: ms(c.options.min_delta_ns),
                sequence_aligned: c.alignment.sequence_aligned,
            },
            first_divergence: c.first_divergence.and_then(|i| all.get(i).cloned()),
            missing_operations: MissingDoc {
                only_in_a: only_on(c, true),
                only_in_b: only_on(c, false),
            },
            duration_changes: picked(c, &all, |r, _| r.duration_flag),
            error_differences: picked(c, &all, |r, d| {
                r.status_differs
                    || (!matches!(r.side, Side::Both(..))
                        && (d.a_status == Some("error") || d.b_status == Some("error")))
            }),
            operations: operations(c),
            critical_path: critical_path(c),
            rows: all
                .into_iter()
                .zip(&keep)
                .filter(|(_, &k)| k)
                .map(|(r, _)| r)
                .collect(),
            truncated: omitted > 0,
            omitted_rows: omitted,
        }
    }
}

/// Which rows stay under the cap: differing rows and their ancestors first, then the rest
/// in order.
fn keep_rows(rows: &[RowDoc], max: usize) -> Vec<bool> {
    if rows.len() <= max {
        return vec![true; rows.len()];
    }
    let mut keep = vec![false; rows.len()];
    let mut kept = 0;
    for i in 0..rows.len() {
        if rows[i].mark == "=" {
            continue;
        }
        // The row and its ancestors (the nearest earlier row one level up, and so on).
        let mut want = rows[i].depth;
        let mut j = i + 1;
        while j > 0 && kept < max {
            j -= 1;
            if rows[j].depth == want || j == i {
                if !keep[j] {
                    keep[j] = true;
                    kept += 1;
                }
                if want == 0 {
                    break;
                }
                want -= 1;
            }
        }
    }
    for k in keep.iter_mut() {
        if kept >= max {
            break;
        }
        if !*k {
            *k = true;
            kept += 1;
        }
    }
    keep
}
