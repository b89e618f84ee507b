//! `cohorts --by attributes`: which attribute values the selected traces share, against the
//! baseline. JSON follows the conventions of `json/mod.rs`.

use serde::Serialize;

use crate::analysis::attributes::AttributeComparison;

use super::grid::{lay_out, Cell, Column};
use super::markdown_table::{table as md_table, Col};
use super::style::{Painter, Role};
use super::text::{clean, wrap};
use super::{Format, RenderOptions, SCHEMA_VERSION};

/// The `cohorts --by attributes` document.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AttributesDoc {
    /// Version of the layout, as in every document.
    pub schema_version: &'static str,
    /// Always `cohorts-attributes`.
    pub command: &'static str,
    /// The source read.
    pub source: String,
    /// The selection's filter (default: the slowest 5 %).
    pub a: String,
    /// The baseline's filter (default: every other trace read).
    pub b: String,
    /// Traces in the selection.
    pub a_traces: usize,
    /// Traces in the baseline.
    pub b_traces: usize,
    /// Values tested (services × keys × values): the Benjamini–Hochberg family.
    pub tests: usize,
    /// The false discovery rate controlled: a row is significant when its q-value is at most
    /// this.
    pub alpha: f64,
    /// Values more frequent in the selection: significant first, then by difference.
    pub rows: Vec<AttributeRowDoc>,
    /// Keys with too many distinct values to compare (identifiers, timestamps, free text).
    pub excluded_keys: Vec<ExcludedKeyDoc>,
}

/// One value of one attribute of one service.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AttributeRowDoc {
    /// The service whose spans (or resource) carry the attribute.
    pub service: String,
    /// Attribute key (span or resource).
    pub key: String,
    /// The value.
    pub value: String,
    /// Selection traces whose `service` spans carry `key = value`.
    pub a_with: usize,
    /// Selection traces whose `service` spans carry `key`.
    pub a_total: usize,
    /// Baseline traces whose `service` spans carry `key = value`.
    pub b_with: usize,
    /// Baseline traces whose `service` spans carry `key`.
    pub b_total: usize,
    /// `a_with / a_total` (0–1).
    pub a_share: f64,
    /// `b_with / b_total` (0–1).
    pub b_share: f64,
    /// `a_share − b_share`.
    pub difference: f64,
    /// Fisher's exact test, two-sided.
    pub p_value: f64,
    /// Benjamini–Hochberg adjusted p-value.
    pub q_value: f64,
    /// `q_value ≤ alpha`.
    pub significant: bool,
}

/// A key left out.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ExcludedKeyDoc {
    /// The service.
    pub service: String,
    /// Attribute key.
    pub key: String,
    /// Distinct values seen.
    pub distinct_values: usize,
}

/// Probabilities rounded to 6 significant-ish decimals, shares to 3: stable JSON.
fn round(v: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    let r = (v * f).round() / f;
    if r.is_finite() {
        r
    } else {
        0.0
    }
}

/// p-values keep their magnitude when tiny (1e-12 is not 0).
fn prob(v: f64) -> f64 {
    if v > 0.0 && v < 1e-6 {
        format!("{v:.3e}").parse().unwrap_or(v)
    } else {
        round(v, 6)
    }
}

impl AttributesDoc {
    pub fn new(c: &AttributeComparison, source: String, a: &str, b: &str) -> AttributesDoc {
        AttributesDoc {
            schema_version: SCHEMA_VERSION,
            command: "cohorts-attributes",
            source,
            a: a.to_string(),
            b: b.to_string(),
            a_traces: c.a_traces,
            b_traces: c.b_traces,
            tests: c.tests,
            alpha: c.alpha,
            rows: c
                .rows
                .iter()
                .map(|r| AttributeRowDoc {
                    service: r.service.clone(),
                    key: r.key.clone(),
                    value: r.value.clone(),
                    a_with: r.a_with,
                    a_total: r.a_total,
                    b_with: r.b_with,
                    b_total: r.b_total,
                    a_share: round(r.a_share, 3),
                    b_share: round(r.b_share, 3),
                    difference: round(r.difference, 3),
                    p_value: prob(r.p_value),
                    q_value: prob(r.q_value),
                    significant: r.significant,
                })
                .collect(),
            excluded_keys: c
                .excluded
                .iter()
                .map(|e| ExcludedKeyDoc {
                    service: e.service.clone(),
                    key: e.key.clone(),
                    distinct_values: e.distinct_values,
                })
                .collect(),
        }
    }
}

/// Rows listed in the table and Markdown when none is significant (JSON has them all).
const LARGEST: usize = 5;

/// The rows a person reads: the significant ones, or when there are none the few largest
/// differences (said to be no finding); and how many more JSON holds.
fn shown(doc: &AttributesDoc) -> (&[AttributeRowDoc], usize) {
    let significant = doc.rows.iter().take_while(|r| r.significant).count();
    let n = if significant > 0 {
        significant
    } else {
        LARGEST.min(doc.rows.len())
    };
    (&doc.rows[..n], doc.rows.len() - n)
}

fn more_line(more: usize) -> Option<String> {
    (more > 0).then(|| {
        format!(
            "{more} other value(s) differ less and are not significant; --format json lists them"
        )
    })
}

pub fn render(doc: &AttributesDoc, format: Format, o: &RenderOptions) -> String {
    match format {
        Format::Json => super::json::to_string(doc),
        Format::Markdown | Format::Llm => markdown(doc),
        Format::Table => table(doc, o),
    }
}

fn pct(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

fn q_text(q: f64) -> String {
    if q < 0.001 {
        "<0.001".into()
    } else {
        format!("{q:.3}")
    }
}

/// The one-sentence answer: the leading significant value, or that none stands out.
fn headline(doc: &AttributesDoc) -> String {
    match doc.rows.first().filter(|r| r.significant) {
        Some(r) => format!(
            "{} {} = {} is on {} of A's traces against {} of B's (q {}).",
            clean(&r.service),
            clean(&r.key),
            clean(&r.value),
            pct(r.a_share),
            pct(r.b_share),
            q_text(r.q_value)
        ),
        None => format!(
            "No attribute value is significantly more frequent in A (false discovery rate {}, {} values tested); the largest differences are listed, none is a finding.",
            pct(doc.alpha),
            doc.tests
        ),
    }
}

fn table(doc: &AttributesDoc, o: &RenderOptions) -> String {
    let p = Painter::new(o.color);
    let mut lines = vec![p.paint(
        &format!(
            "Attributes · A: {} ({} traces) · B: {} ({} traces)",
            clean(&doc.a),
            doc.a_traces,
            clean(&doc.b),
            doc.b_traces
        ),
        Some(Role::Heading),
        false,
    )];
    lines.extend(wrap(&headline(doc), o.width, "", "  "));
    lines.push(String::new());
    if !doc.rows.is_empty() {
        let cols = [
            Column::flex("SERVICE", 8),
            Column::flex("ATTRIBUTE", 10),
            Column::flex("VALUE", 8),
            Column::right("A"),
            Column::right("B"),
            Column::right("Q"),
        ];
        let (list, more) = shown(doc);
        let rows: Vec<Vec<Cell>> = list
            .iter()
            .map(|r| {
                let role = r.significant.then_some(Role::Anomaly);
                vec![
                    Cell::new(clean(&r.service)),
                    Cell::new(clean(&r.key)),
                    Cell::role(clean(&r.value), role),
                    Cell::new(pct(r.a_share)),
                    Cell::new(pct(r.b_share)),
                    Cell::role(q_text(r.q_value), role),
                ]
            })
            .collect();
        lines.extend(lay_out(&cols, &rows, o.width, o.wide, p));
        lines.push(p.paint(
            "A, B: share of each cohort's traces carrying the value · Q: adjusted p-value",
            Some(Role::Dim),
            false,
        ));
        if let Some(l) = more_line(more) {
            lines.extend(wrap(&l, o.width, "", "  "));
        }
    }
    if !doc.excluded_keys.is_empty() {
        let keys: Vec<String> = doc
            .excluded_keys
            .iter()
            .map(|e| format!("{} {}", clean(&e.service), clean(&e.key)))
            .collect();
        let text = format!("left out (too many values to compare): {}", keys.join(", "));
        for l in wrap(&text, o.width, "", "  ") {
            lines.push(p.paint(l.trim_end(), Some(Role::Dim), false));
        }
    }
    lines.join("\n") + "\n"
}

fn markdown(doc: &AttributesDoc) -> String {
    let esc = |s: &str| clean(s).replace('|', "\\|");
    let mut out = format!(
        "## Attributes: A ({}, {} traces) against B ({}, {} traces)\n\n{}\n\n",
        esc(&doc.a),
        doc.a_traces,
        esc(&doc.b),
        doc.b_traces,
        esc(&headline(doc))
    );
    let cols = [
        Col::left("Service"),
        Col::left("Attribute"),
        Col::left("Value"),
        Col::right("A"),
        Col::right("B"),
        Col::right("q"),
        Col::left("Significant"),
    ];
    let (list, more) = shown(doc);
    out.push_str(&md_table(
        &cols,
        list.iter().map(|r| {
            [
                r.service.clone(),
                r.key.clone(),
                r.value.clone(),
                pct(r.a_share),
                pct(r.b_share),
                q_text(r.q_value),
                if r.significant { "yes" } else { "no" }.to_string(),
            ]
        }),
    ));
    if let Some(l) = more_line(more) {
        out.push_str(&format!("\n{l}.\n"));
    }
    out
}
