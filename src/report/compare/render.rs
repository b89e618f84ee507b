//! The `compare` document as a terminal table and as Markdown. Names and messages come from
//! the traces: both views clean them.

use super::super::grid::{lay_out, Cell, Column};
use super::super::markdown_table::{table as md_table, Col};
use super::super::style::{Painter, Role};
use super::super::text::{clean, human, short_id, truncate, wrap};
use super::super::{Format, RenderOptions};
use super::{BriefDoc, CompareDoc, RowDoc};

pub fn compare(doc: &CompareDoc, format: Format, o: &RenderOptions) -> String {
    match format {
        Format::Json => super::super::json::to_string(doc),
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

/// One trace in a line; its id shortened for the table unless `whole_id` (see `short_id`).
fn brief_line(tag: &str, b: &BriefDoc, whole_id: bool) -> String {
    format!(
        "{tag} {} · {}.{} · {} · {} spans · {} errors",
        short_id(&clean(&b.trace_id), whole_id),
        clean(b.root_service.as_deref().unwrap_or("?")),
        clean(b.root_operation.as_deref().unwrap_or("?")),
        human((b.duration_ms * 1e6) as i64),
        b.span_count,
        b.error_count
    )
}

fn table(doc: &CompareDoc, o: &RenderOptions) -> String {
    let p = Painter::new(o.color);
    let mut lines = head_lines(doc, o, p);
    lines.extend(change_lines(doc, o));
    lines.push(String::new());
    lines.extend(tree_lines(doc, o, p));
    lines.join("\n") + "\n"
}

/// `s` cut to the width, unless wide.
fn fit(s: String, o: &RenderOptions) -> String {
    if o.wide {
        s
    } else {
        truncate(&s, o.width.max(1))
    }
}

/// `s` word-wrapped to the width, its later lines indented by `rest`; one line when wide.
/// For lines whose numbers come last, which a cut would lose.
fn para(s: &str, first: &str, rest: &str, o: &RenderOptions) -> Vec<String> {
    if o.wide {
        return vec![format!("{first}{s}")];
    }
    wrap(s, o.width.max(1), first, rest)
        .into_iter()
        .map(|l| l.trim_end().to_string())
        .collect()
}

/// The two traces, how they were paired and where they first diverge.
fn head_lines(doc: &CompareDoc, o: &RenderOptions, p: Painter) -> Vec<String> {
    let mut lines = vec![
        p.paint(
            &fit(brief_line("A", &doc.a, o.wide), o),
            Some(Role::Heading),
            false,
        ),
        p.paint(
            &fit(brief_line("B", &doc.b, o.wide), o),
            Some(Role::Heading),
            false,
        ),
    ];
    if doc.a.source != doc.b.source {
        lines.push(fit(
            format!(
                "  from {} and {}",
                clean(&doc.a.source),
                clean(&doc.b.source)
            ),
            o,
        ));
    }
    let al = &doc.alignment;
    lines.push(fit(
        format!(
            "{} aligned pair(s) · {} only in A · {} only in B{}",
            al.pairs,
            al.only_in_a,
            al.only_in_b,
            if al.sequence_aligned {
                ""
            } else {
                " · too large to align by sequence: paired by parent path and position"
            }
        ),
        o,
    ));
    lines.push(String::new());
    match &doc.first_divergence {
        Some(r) => lines.extend(
            para(&row_line(r), "First divergence: ", "  ", o)
                .iter()
                .map(|l| p.paint(l, Some(Role::Error), false)),
        ),
        None => lines.push("First divergence: none, the traces match".into()),
    }
    lines
}

/// The lists of changes, each under its title and left out when empty.
fn change_lines(doc: &CompareDoc, o: &RenderOptions) -> Vec<String> {
    let mut lines = Vec::new();
    let mut list = |title: String, items: Vec<String>| {
        if items.is_empty() {
            return;
        }
        lines.push(title);
        for i in items {
            lines.extend(para(&i, "  ", "    ", o));
        }
    };
    let m = &doc.missing_operations;
    list(
        "Operations only in A:".into(),
        m.only_in_a.iter().map(|s| clean(s)).collect(),
    );
    list(
        "Operations only in B:".into(),
        m.only_in_b.iter().map(|s| clean(s)).collect(),
    );
    list(
        format!("Duration changed ≥ {:.1}×:", doc.alignment.factor),
        doc.duration_changes.iter().map(row_line).collect(),
    );
    list(
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
    list("Critical path share:".into(), path);
    lines
}

/// The merged tree as a table, its legend and what the cap left out.
fn tree_lines(doc: &CompareDoc, o: &RenderOptions, p: Painter) -> Vec<String> {
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
    let mut lines = lay_out(&cols, &rows, o.width, o.wide, p);
    lines.push(p.paint(
        "= aligned · ~ aligned, differs · - only in A · + only in B",
        Some(Role::Dim),
        false,
    ));
    if doc.truncated {
        lines.push(p.paint(
            &fit(
                format!(
                    "note: {} row(s) not shown (--max-rows); differing rows and their ancestors are kept",
                    doc.omitted_rows
                ),
                o,
            ),
            Some(Role::Anomaly),
            false,
        ));
    }
    lines
}

fn markdown(doc: &CompareDoc) -> String {
    let esc = |s: &str| clean(s).replace('|', "\\|");
    let mut out = format!(
        "## Trace comparison\n\n- {}\n- {}\n- {} aligned pair(s), {} only in A, {} only in B\n",
        esc(&brief_line("A", &doc.a, true)),
        esc(&brief_line("B", &doc.b, true)),
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
