//! `stats`: latency per group across traces, and outliers.

use serde::Serialize;

use crate::analysis::stats::{GroupBy, Stats};

use super::grid::{lay_out, Cell, Column};
use super::markdown_table::{table as md_table, Col};
use super::style::{Painter, Role};
use super::text::{clean, finite, human, short_id, truncate, wrap};
use super::{Format, RenderOptions, SCHEMA_VERSION};

/// The `stats` document.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct StatsDoc {
    /// Version of the layout.
    pub schema_version: &'static str,
    /// Always `stats`.
    pub command: &'static str,
    /// The source read.
    pub source: String,
    /// `service`, `operation` or `attr:<key>`.
    pub group_by: String,
    /// How percentiles are computed: `percentile_cont` (linear interpolation between the
    /// nearest ranks, as PostgreSQL's `percentile_cont` and numpy's default).
    pub percentile_method: &'static str,
    /// Where the numbers were computed: `memory` (traces fetched and streamed) or `pushdown`.
    pub computed_in: &'static str,
    /// Traces read (with pushdown: traces with a selected span, counted by the source).
    pub traces: usize,
    /// Spans counted (after --service/--operation).
    pub spans: u64,
    /// True when a group had more spans than can be kept and percentiles come from a
    /// uniform sample of them.
    pub approximate: bool,
    /// True when the search returned as many traces as `--limit` allows: more may exist.
    pub trace_limit_reached: bool,
    /// Traces that could not be fetched.
    pub fetch_errors: usize,
    /// Why `self_time_ms`/`self_time_share` are null, when they are (the server's aggregate
    /// has rows, not span trees); absent when self time was computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub self_time_unavailable: Option<String>,
    /// Slowest p99 first.
    pub groups: Vec<GroupDoc>,
    /// With --outliers: traces with a span slower than `outlier_factor` × its group's p99,
    /// largest ratio first; absent without --outliers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outliers: Option<Vec<OutlierDoc>>,
    /// The factor used for `outliers`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlier_factor: Option<f64>,
}

/// One group's numbers.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct GroupDoc {
    /// The service, `service.operation`, or attribute value.
    pub group: String,
    /// Spans.
    pub count: u64,
    /// Failed spans.
    pub error_count: u64,
    /// error_count / count (0–1).
    pub error_rate: f64,
    /// Mean duration.
    pub avg_ms: f64,
    /// Median duration.
    pub p50_ms: f64,
    /// 95th percentile.
    pub p95_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Longest duration.
    pub max_ms: f64,
    /// Summed self time (time no child covers); null when computed by SQL pushdown, which
    /// sees rows, not trees.
    pub self_time_ms: Option<f64>,
    /// Share of the self time of every span read (0–1): where the work happened; null when
    /// computed by SQL pushdown.
    pub self_time_share: Option<f64>,
}

/// An outlier.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct OutlierDoc {
    /// Trace id.
    pub trace_id: String,
    /// The group the slow span belongs to.
    pub group: String,
    /// The slowest such span's duration.
    pub duration_ms: f64,
    /// The group's p99.
    pub p99_ms: f64,
    /// duration / p99.
    pub ratio: f64,
}

fn ms_f(ns: f64) -> f64 {
    finite(ns / 1e6)
}

impl StatsDoc {
    pub fn build(s: &Stats, source: &str, outlier_factor: Option<f64>) -> StatsDoc {
        StatsDoc {
            schema_version: SCHEMA_VERSION,
            command: "stats",
            source: source.to_string(),
            group_by: match &s.group_by {
                GroupBy::Service => "service".into(),
                GroupBy::Operation => "operation".into(),
                GroupBy::Attr(k) => format!("attr:{k}"),
            },
            percentile_method: "percentile_cont",
            computed_in: "memory",
            traces: s.traces,
            spans: s.spans,
            approximate: s.approximate,
            trace_limit_reached: false,
            fetch_errors: 0,
            self_time_unavailable: None,
            groups: s
                .groups
                .iter()
                .map(|g| GroupDoc {
                    group: g.key.clone(),
                    count: g.count,
                    error_count: g.errors,
                    error_rate: finite(g.error_rate),
                    avg_ms: ms_f(g.avg_ns),
                    p50_ms: ms_f(g.p50_ns),
                    p95_ms: ms_f(g.p95_ns),
                    p99_ms: ms_f(g.p99_ns),
                    max_ms: ms_f(g.max_ns as f64),
                    self_time_ms: Some(ms_f(g.self_ns as f64)),
                    self_time_share: Some(finite(g.self_share)),
                })
                .collect(),
            outliers: outlier_factor.map(|_| {
                s.outliers
                    .iter()
                    .map(|o| OutlierDoc {
                        trace_id: o.trace_id.clone(),
                        group: o.key.clone(),
                        duration_ms: ms_f(o.duration_ns as f64),
                        p99_ms: ms_f(o.p99_ns),
                        ratio: finite(o.ratio),
                    })
                    .collect()
            }),
            outlier_factor: outlier_factor.map(finite),
        }
    }
}

pub fn stats(doc: &StatsDoc, format: Format, o: &RenderOptions) -> String {
    match format {
        Format::Json => super::json::to_string(doc),
        // No dedicated LLM view: Markdown is the compact form for prompts.
        Format::Markdown | Format::Llm => markdown(doc),
        Format::Table => table(doc, o),
    }
}

fn d(v: f64) -> String {
    human((v * 1e6).round() as i64)
}

fn pct(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

fn notes(doc: &StatsDoc) -> Vec<String> {
    let mut v = Vec::new();
    if doc.trace_limit_reached {
        v.push(format!(
            "read {} traces, the --limit: more may match and were not counted",
            doc.traces
        ));
    }
    if doc.fetch_errors > 0 {
        v.push(format!(
            "{} trace(s) could not be fetched",
            doc.fetch_errors
        ));
    }
    if doc.approximate {
        v.push("percentiles come from a uniform sample of a very large group".into());
    }
    v
}

fn table(doc: &StatsDoc, o: &RenderOptions) -> String {
    let p = Painter::new(o.color);
    let fit = |s: String| {
        if o.wide {
            s
        } else {
            truncate(&s, o.width.max(1))
        }
    };
    let mut lines = vec![p.paint(
        &fit(format!(
            "{} trace(s), {} span(s) by {} · percentiles: percentile_cont",
            doc.traces,
            doc.spans,
            clean(&doc.group_by)
        )),
        Some(Role::Heading),
        false,
    )];
    lines.push(String::new());
    if doc.groups.is_empty() {
        lines.push("no spans matched".into());
    } else {
        let head: &'static str = match doc.group_by.as_str() {
            "service" => "SERVICE",
            "operation" => "OPERATION",
            _ => "VALUE",
        };
        let cols = [
            Column::flex(head, 9),
            Column::right("COUNT"),
            Column::right("ERR"),
            Column::right("AVG"),
            Column::right("P50"),
            Column::right("P95"),
            Column::right("P99"),
            Column::right("MAX"),
            Column::right("SELF"),
        ];
        let rows: Vec<Vec<Cell>> = doc
            .groups
            .iter()
            .map(|g| {
                vec![
                    Cell::new(clean(&g.group)),
                    Cell::new(g.count.to_string()),
                    Cell::role(
                        pct(g.error_rate),
                        (g.error_count > 0).then_some(Role::Error),
                    ),
                    Cell::new(d(g.avg_ms)),
                    Cell::new(d(g.p50_ms)),
                    Cell::new(d(g.p95_ms)),
                    Cell::new(d(g.p99_ms)),
                    Cell::new(d(g.max_ms)),
                    Cell::new(g.self_time_share.map_or("–".into(), pct)),
                ]
            })
            .collect();
        lines.extend(lay_out(&cols, &rows, o.width, o.wide, p));
        lines.push(p.paint(
            &fit("ERR: error rate · SELF: share of all self time".into()),
            Some(Role::Dim),
            false,
        ));
        if let Some(why) = &doc.self_time_unavailable {
            for l in wrap(&format!("SELF –: {why}"), o.width, "", "  ") {
                lines.push(p.paint(l.trim_end(), Some(Role::Dim), false));
            }
        }
    }
    if let Some(out) = &doc.outliers {
        lines.push(String::new());
        let f = doc.outlier_factor.unwrap_or(2.0);
        if out.is_empty() {
            lines.push(fit(format!("Outliers (> {f}× p99): none")));
        } else {
            lines.push(p.paint(
                &fit(format!(
                    "Outliers (> {f}× p99 of their {head}):",
                    head = clean(&doc.group_by)
                )),
                Some(Role::Anomaly),
                false,
            ));
            let cols = [
                Column::left("TRACE ID"),
                Column::flex("GROUP", 9),
                Column::right("DURATION"),
                Column::right("P99"),
                Column::right("×P99"),
            ];
            let rows: Vec<Vec<Cell>> = out
                .iter()
                .map(|x| {
                    vec![
                        Cell::new(short_id(&clean(&x.trace_id), o.wide)),
                        Cell::new(clean(&x.group)),
                        Cell::new(d(x.duration_ms)),
                        Cell::new(d(x.p99_ms)),
                        Cell::new(format!("{:.1}", x.ratio)),
                    ]
                })
                .collect();
            lines.extend(lay_out(&cols, &rows, o.width, o.wide, p));
        }
    }
    for n in notes(doc) {
        lines.push(p.paint(&fit(format!("note: {n}")), Some(Role::Anomaly), false));
    }
    lines.join("\n") + "\n"
}

fn markdown(doc: &StatsDoc) -> String {
    let esc = |s: &str| clean(s).replace('|', "\\|");
    let mut out = format!(
        "## Latency by {}\n\n{} trace(s), {} span(s); percentiles by `percentile_cont`.\n\n",
        esc(&doc.group_by),
        doc.traces,
        doc.spans
    );
    let cols = [
        Col::left("Group"),
        Col::right("Count"),
        Col::right("Error rate"),
        Col::right("Avg"),
        Col::right("p50"),
        Col::right("p95"),
        Col::right("p99"),
        Col::right("Max"),
        Col::right("Self time"),
    ];
    out.push_str(&md_table(
        &cols,
        doc.groups.iter().map(|g| {
            [
                g.group.clone(),
                g.count.to_string(),
                pct(g.error_rate),
                d(g.avg_ms),
                d(g.p50_ms),
                d(g.p95_ms),
                d(g.p99_ms),
                d(g.max_ms),
                g.self_time_share.map_or("–".into(), pct),
            ]
        }),
    ));
    if let Some(why) = &doc.self_time_unavailable {
        out.push_str(&format!("\nSelf time –: {}.\n", esc(why)));
    }
    if let Some(o) = &doc.outliers {
        out.push_str("\n### Outliers\n\n");
        if o.is_empty() {
            out.push_str("None.\n");
        }
        for x in o {
            out.push_str(&format!(
                "- `{}` {}: {} ({:.1}× p99 {})\n",
                esc(&x.trace_id),
                esc(&x.group),
                d(x.duration_ms),
                x.ratio,
                d(x.p99_ms)
            ));
        }
    }
    for n in notes(doc) {
        out.push_str(&format!("\n> {}\n", esc(&n)));
    }
    out
}
