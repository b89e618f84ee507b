//! `compare`: two traces, aligned. The document is built once ([`CompareDoc::build`]) and the
//! table, Markdown and JSON are renderings of it, so they cannot disagree.
//!
//! Nothing is cut silently (tempo-cli's trace diff: "a truncated change list lies by
//! omission"): the tree is capped by `--max-rows`, keeping every differing row and its
//! ancestors first, and `omitted_rows` says how many were left out; the lists of changes
//! are never capped.

use serde::Serialize;

use crate::analysis::compare::{Comparison, Side};
use crate::model::{IndexedTrace, Span};

use super::grid::{lay_out, Cell, Column};
use super::markdown_table::{table as md_table, Col};
use super::style::{Painter, Role};
use super::text::{clean, finite, human, ms, rfc3339_ms, truncate};
use super::{Format, RenderOptions, SCHEMA_VERSION};

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
        root_service: root.map(|s| s.service.clone()),
        root_operation: root.map(|s| s.operation.clone()),
        start_time: rfc3339_ms(t.trace.start_ns()),
        duration_ms: ms(t.trace.duration_ns().max(0)),
        span_count: t.trace.spans.len(),
        error_count: t.trace.error_count(),
    }
}

impl CompareDoc {
    pub fn build(
        a: &IndexedTrace,
        b: &IndexedTrace,
        c: &Comparison,
        sources: (&str, &str),
        max_rows: usize,
    ) -> CompareDoc {
        let (a0, b0) = (a.trace.start_ns(), b.trace.start_ns());
        let row = |r: &crate::analysis::compare::Row| -> RowDoc {
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
                service: any.map(|s| s.service.clone()).unwrap_or_default(),
                operation: any.map(|s| s.operation.clone()).unwrap_or_default(),
                a_span_id: sa.map(|s| s.span_id.clone()),
                b_span_id: sb.map(|s| s.span_id.clone()),
                a_start_offset_ms: sa.map(|s| ms(s.start_ns.saturating_sub(a0))),
                b_start_offset_ms: sb.map(|s| ms(s.start_ns.saturating_sub(b0))),
                a_duration_ms: sa.map(|s| ms(s.duration_ns)),
                b_duration_ms: sb.map(|s| ms(s.duration_ns)),
                ratio: r.ratio.map(finite),
                a_status: sa.map(status),
                b_status: sb.map(status),
                error_message: message,
            }
        };
        let all: Vec<RowDoc> = c.rows.iter().map(row).collect();
        let only = |side_a: bool| -> Vec<String> {
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
        };
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
                only_in_a: only(true),
                only_in_b: only(false),
            },
            duration_changes: c
                .rows
                .iter()
                .zip(&all)
                .filter(|(r, _)| r.duration_flag)
                .map(|(_, d)| d.clone())
                .collect(),
            error_differences: c
                .rows
                .iter()
                .zip(&all)
                .filter(|(r, d)| {
                    r.status_differs
                        || (!matches!(r.side, Side::Both(..))
                            && (d.a_status == Some("error") || d.b_status == Some("error")))
                })
                .map(|(_, d)| d.clone())
                .collect(),
            operations: c
                .operations
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
                .collect(),
            critical_path: c
                .critical_path
                .iter()
                .map(|p| PathShareDoc {
                    operation: p.label.clone(),
                    a_ms: ms(p.a_ns),
                    b_ms: ms(p.b_ns),
                    a_share: finite(p.a_share),
                    b_share: finite(p.b_share),
                })
                .collect(),
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

pub fn compare(doc: &CompareDoc, format: Format, o: &RenderOptions) -> String {
    match format {
        Format::Json => super::json::to_string(doc),
        // No dedicated LLM view: Markdown is the compact form for prompts.
        Format::Markdown | Format::Llm => markdown(doc),
        Format::Table => table(doc, o),
    }
}

fn dur(v: Option<f64>) -> String {
    v.map_or_else(|| "-".into(), |m| human((m * 1e6) as i64))
}

fn ratio(v: Option<f64>) -> String {
    v.map_or_else(String::new, |r| format!("{r:.2}×"))
}

fn label(r: &RowDoc) -> String {
    clean(&format!("{}.{}", r.service, r.operation))
}

fn row_line(r: &RowDoc) -> String {
    let what = match r.mark {
        "-" => "only in A".to_string(),
        "+" => "only in B".to_string(),
        _ => {
            let d = format!(
                "{} → {} ({})",
                dur(r.a_duration_ms),
                dur(r.b_duration_ms),
                ratio(r.ratio)
            );
            if r.a_status != r.b_status {
                let side = if r.b_status == Some("error") {
                    "B"
                } else {
                    "A"
                };
                format!("fails only in {side}, {d}")
            } else {
                d
            }
        }
    };
    let at = r
        .a_start_offset_ms
        .or(r.b_start_offset_ms)
        .map(|m| format!(", at +{}", human((m * 1e6) as i64)))
        .unwrap_or_default();
    let msg = r
        .error_message
        .as_deref()
        .map(|m| format!(": {}", clean(m)))
        .unwrap_or_default();
    format!("{}: {what}{at}{msg}", label(r))
}

fn brief_line(tag: &str, b: &BriefDoc) -> String {
    format!(
        "{tag} {} · {}.{} · {} · {} spans · {} errors",
        clean(&b.trace_id),
        clean(b.root_service.as_deref().unwrap_or("?")),
        clean(b.root_operation.as_deref().unwrap_or("?")),
        human((b.duration_ms * 1e6) as i64),
        b.span_count,
        b.error_count
    )
}

fn table(doc: &CompareDoc, o: &RenderOptions) -> String {
    let p = Painter::new(o.color);
    let fit = |s: String| {
        if o.wide {
            s
        } else {
            truncate(&s, o.width.max(1))
        }
    };
    let mut lines = vec![
        p.paint(&fit(brief_line("A", &doc.a)), Some(Role::Heading), false),
        p.paint(&fit(brief_line("B", &doc.b)), Some(Role::Heading), false),
    ];
    if doc.a.source != doc.b.source {
        lines.push(fit(format!(
            "  from {} and {}",
            clean(&doc.a.source),
            clean(&doc.b.source)
        )));
    }
    let al = &doc.alignment;
    lines.push(fit(format!(
        "{} aligned pair(s) · {} only in A · {} only in B{}",
        al.pairs,
        al.only_in_a,
        al.only_in_b,
        if al.sequence_aligned {
            ""
        } else {
            " · too large to align by sequence: paired by parent path and position"
        }
    )));
    lines.push(String::new());
    match &doc.first_divergence {
        Some(r) => lines.push(p.paint(
            &fit(format!("First divergence: {}", row_line(r))),
            Some(Role::Error),
            false,
        )),
        None => lines.push("First divergence: none, the traces match".into()),
    }
    let list = |lines: &mut Vec<String>, title: String, items: Vec<String>| {
        if items.is_empty() {
            return;
        }
        lines.push(title);
        for i in items {
            lines.push(fit(format!("  {i}")));
        }
    };
    let m = &doc.missing_operations;
    list(
        &mut lines,
        "Operations only in A:".into(),
        m.only_in_a.iter().map(|s| clean(s)).collect(),
    );
    list(
        &mut lines,
        "Operations only in B:".into(),
        m.only_in_b.iter().map(|s| clean(s)).collect(),
    );
    list(
        &mut lines,
        format!("Duration changed ≥ {:.1}×:", al.factor),
        doc.duration_changes.iter().map(row_line).collect(),
    );
    list(
        &mut lines,
        "Error differences:".into(),
        doc.error_differences.iter().map(row_line).collect(),
    );
    let path: Vec<String> = doc
        .critical_path
        .iter()
        .filter(|s| (s.b_share - s.a_share).abs() >= 0.01)
        .map(|s| {
            format!(
                "{}: {:.0}% → {:.0}% ({} → {})",
                clean(&s.operation),
                s.a_share * 100.0,
                s.b_share * 100.0,
                human((s.a_ms * 1e6) as i64),
                human((s.b_ms * 1e6) as i64)
            )
        })
        .collect();
    list(&mut lines, "Critical path share:".into(), path);
    lines.push(String::new());
    let cols = [
        Column::left(" "),
        Column::flex("SPAN", 8),
        Column::right("A"),
        Column::right("B"),
        Column::right("B/A"),
        Column::left("STATUS"),
    ];
    let rows: Vec<Vec<Cell>> = doc
        .rows
        .iter()
        .map(|r| {
            let role = match r.mark {
                "~" | "-" | "+" => Some(Role::Anomaly),
                _ => None,
            };
            let st = match (r.a_status, r.b_status) {
                (Some(x), Some(y)) if x == y => x.to_string(),
                (Some(x), Some(y)) => format!("{x}→{y}"),
                (Some(x), None) | (None, Some(x)) => x.to_string(),
                (None, None) => "-".into(),
            };
            let err = st.contains("error").then_some(Role::Error);
            vec![
                Cell::role(r.mark, role),
                Cell::new(format!("{}{}", "  ".repeat(r.depth as usize), label(r))),
                Cell::new(dur(r.a_duration_ms)),
                Cell::new(dur(r.b_duration_ms)),
                Cell::role(ratio(r.ratio), role.filter(|_| r.mark == "~")),
                Cell::role(st, err),
            ]
        })
        .collect();
    lines.extend(lay_out(&cols, &rows, o.width, o.wide, p));
    lines.push(p.paint(
        "= aligned · ~ aligned, differs · - only in A · + only in B",
        Some(Role::Dim),
        false,
    ));
    if doc.truncated {
        lines.push(p.paint(
            &fit(format!(
                "note: {} row(s) not shown (--max-rows); differing rows and their ancestors are kept",
                doc.omitted_rows
            )),
            Some(Role::Anomaly),
            false,
        ));
    }
    lines.join("\n") + "\n"
}

fn markdown(doc: &CompareDoc) -> String {
    let esc = |s: &str| clean(s).replace('|', "\\|");
    let mut out = format!(
        "## Trace comparison\n\n- {}\n- {}\n- {} aligned pair(s), {} only in A, {} only in B\n",
        esc(&brief_line("A", &doc.a)),
        esc(&brief_line("B", &doc.b)),
        doc.alignment.pairs,
        doc.alignment.only_in_a,
        doc.alignment.only_in_b
    );
    match &doc.first_divergence {
        Some(r) => out.push_str(&format!("- **First divergence:** {}\n", esc(&row_line(r)))),
        None => out.push_str("- **First divergence:** none\n"),
    }
    for (title, items) in [
        ("Duration changed", &doc.duration_changes),
        ("Error differences", &doc.error_differences),
    ] {
        if !items.is_empty() {
            out.push_str(&format!("\n### {title}\n\n"));
            for r in items {
                out.push_str(&format!("- {}\n", esc(&row_line(r))));
            }
        }
    }
    out.push_str("\n### Tree\n\n");
    let cols = [
        Col::left(""),
        Col::left("Span"),
        Col::right("A"),
        Col::right("B"),
        Col::right("B/A"),
        Col::left("A status"),
        Col::left("B status"),
    ];
    out.push_str(&md_table(
        &cols,
        doc.rows.iter().map(|r| {
            [
                match r.mark {
                    "~" => "≠".to_string(),
                    m => m.to_string(),
                },
                format!("{}{}", "· ".repeat(r.depth as usize), label(r)),
                dur(r.a_duration_ms),
                dur(r.b_duration_ms),
                ratio(r.ratio),
                r.a_status.unwrap_or("-").to_string(),
                r.b_status.unwrap_or("-").to_string(),
            ]
        }),
    ));
    if doc.truncated {
        out.push_str(&format!(
            "\n> {} row(s) not shown (--max-rows).\n",
            doc.omitted_rows
        ));
    }
    out
}
