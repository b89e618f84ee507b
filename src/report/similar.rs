//! `similar`: the target and its most similar traces (the seed's `find_similar_traces`
//! columns, plus each hit's root cause). JSON follows the conventions of `json/mod.rs`.

use serde::Serialize;

use super::grid::{lay_out, Cell, Column};
use super::markdown_table::{table as md_table, Col};
use super::style::{Painter, Role};
use super::text::{clean, human, short_id, truncate, wrap};
use super::{Format, RenderOptions, SCHEMA_VERSION};

/// The `similar` document.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SimilarDoc {
    /// Version of the layout, as in every document.
    pub schema_version: &'static str,
    /// Always `similar`.
    pub command: &'static str,
    /// The source searched.
    pub source: String,
    /// `sequence` or `structure`.
    pub measure: &'static str,
    /// Hits score at least this.
    pub min_score: f64,
    /// The trace the others are compared with.
    pub target: SimilarTraceDoc,
    /// Attribute values candidates had to share with the target (`--match`).
    pub matched_attributes: Vec<AttributeDoc>,
    /// Whether candidates had to have the target's root service and operation.
    pub same_root: bool,
    /// The root `service.operation` candidates had to have, when `same_root`.
    pub root: Option<String>,
    /// Candidates started at or after this instant (RFC 3339); absent when a file was
    /// searched whole.
    pub window_start: Option<String>,
    /// Candidates started at or before this instant (RFC 3339); absent with `window_start`.
    pub window_end: Option<String>,
    /// True when the window was given (`--since`, `--start`, `--end`); otherwise it is 24 h
    /// either side of the target (a file: all of it).
    pub window_chosen: bool,
    /// Traces that matched the search (the target excluded), before the `--candidates` cap.
    pub candidates_found: usize,
    /// Candidates fetched and scored.
    pub candidates_scored: usize,
    /// Candidates fetched but not scored: another root, or attribute values that differ.
    pub candidates_excluded: usize,
    /// Candidates that could not be fetched, with the first error.
    pub fetch_errors: usize,
    /// The first fetch error, if any.
    pub first_fetch_error: Option<String>,
    /// True when the search returned as many traces as `--candidates` allows: more may
    /// exist and were not scored.
    pub candidate_limit_reached: bool,
    /// Best first; at most `--limit`, each at least `min_score`.
    pub hits: Vec<SimilarTraceDoc>,
}

/// An attribute the candidates had to share.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AttributeDoc {
    /// Attribute key.
    pub key: String,
    /// The target's value.
    pub value: String,
}

/// One trace in the list (and the target).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SimilarTraceDoc {
    /// Trace id.
    pub trace_id: String,
    /// Similarity to the target in [0, 1] (1 for the target itself).
    pub score: f64,
    /// `error` when any span failed, else `ok`.
    pub status: &'static str,
    /// From the earliest span start to the latest span end.
    pub duration_ms: f64,
    /// Start of the earliest span, RFC 3339 UTC.
    pub start_time: String,
    /// Spans in the trace.
    pub span_count: usize,
    /// Failed spans.
    pub error_count: usize,
    /// The earliest failed span's `service.operation` (the seed's `failure_point`).
    pub failure_point: Option<String>,
    /// The top root-cause category of `diagnose`.
    pub root_cause: Option<String>,
    /// Where that root cause is located, `service.operation`.
    pub root_cause_at: Option<String>,
}

pub fn similar(doc: &SimilarDoc, format: Format, o: &RenderOptions) -> String {
    match format {
        Format::Json => super::json::to_string(doc),
        // No dedicated LLM view: Markdown is the compact form for prompts.
        Format::Markdown | Format::Llm => markdown(doc),
        Format::Table => table(doc, o),
    }
}

fn cause(t: &SimilarTraceDoc) -> String {
    match (&t.root_cause, &t.root_cause_at) {
        (Some(c), Some(at)) => format!("{c} at {}", clean(at)),
        (Some(c), None) => c.clone(),
        _ => "-".into(),
    }
}

fn scope(doc: &SimilarDoc) -> String {
    let mut parts = Vec::new();
    if doc.same_root {
        parts.push("same root".to_string());
    }
    parts.extend(
        doc.matched_attributes
            .iter()
            .map(|a| format!("{}={}", clean(&a.key), clean(&a.value))),
    );
    if parts.is_empty() {
        "any root".into()
    } else {
        parts.join(", ")
    }
}

/// Which traces were candidates: `traces of svc.op between … and … (24 h either side of
/// the target)`.
fn candidates_line(doc: &SimilarDoc) -> String {
    let of = match &doc.root {
        Some(r) => format!("traces of {}", clean(r)),
        None => "traces of any root".into(),
    };
    let attrs: Vec<String> = doc
        .matched_attributes
        .iter()
        .map(|a| format!("{}={}", clean(&a.key), clean(&a.value)))
        .collect();
    let with = if attrs.is_empty() {
        String::new()
    } else {
        format!(" with {}", attrs.join(", "))
    };
    let when = match (&doc.window_start, &doc.window_end) {
        (Some(a), Some(b)) => format!(
            " started between {} and {}{}",
            short_time(a),
            short_time(b),
            if doc.window_chosen {
                ""
            } else {
                " (24 h either side of the target)"
            }
        ),
        _ => " anywhere in the file".into(),
    };
    format!("candidates: {of}{with}{when}")
}

/// `2025-10-22T16:22:34.891Z` → `2025-10-22 16:22:34`.
fn short_time(t: &str) -> String {
    t.get(..19)
        .map_or_else(|| t.to_string(), |s| s.replace('T', " "))
}

fn notes(doc: &SimilarDoc) -> Vec<String> {
    let mut v = Vec::new();
    if doc.candidates_found == 0 {
        let mut widen = Vec::new();
        if doc.window_start.is_some() {
            widen.push("a wider window (--start/--end or --since)");
        }
        if doc.same_root {
            widen.push("--any-root");
        }
        if !doc.matched_attributes.is_empty() {
            widen.push("fewer --match attributes");
        }
        if !widen.is_empty() {
            v.push(format!("no trace matched; try {}", widen.join(", or ")));
        }
    }
    if doc.candidate_limit_reached {
        let fetched = doc.candidates_scored + doc.candidates_excluded + doc.fetch_errors;
        v.push(format!(
            "more traces matched than --candidates allows: the {fetched} nearest the target in time were fetched; raise --candidates to score more"
        ));
    }
    if doc.fetch_errors > 0 {
        v.push(format!(
            "{} candidate(s) could not be fetched: {}",
            doc.fetch_errors,
            clean(doc.first_fetch_error.as_deref().unwrap_or("?"))
        ));
    }
    v
}

fn table(doc: &SimilarDoc, o: &RenderOptions) -> String {
    let p = Painter::new(o.color);
    let t = &doc.target;
    let fit = |s: String| {
        if o.wide {
            s
        } else {
            truncate(&s, o.width.max(1))
        }
    };
    let mut lines = vec![
        p.paint(
            &fit(format!(
                "Similar to {} · {} · {} · {}",
                short_id(&clean(&t.trace_id), o.wide),
                t.status,
                human((t.duration_ms * 1e6) as i64),
                cause(t)
            )),
            Some(Role::Heading),
            false,
        ),
        fit(format!(
            "by {}, score ≥ {:.2}, {}: {} of {} candidate(s) scored, {} listed",
            doc.measure,
            doc.min_score,
            scope(doc),
            doc.candidates_scored,
            doc.candidates_found,
            doc.hits.len()
        )),
    ];
    lines.extend(wrap(&candidates_line(doc), o.width, "", "  "));
    lines.push(String::new());
    if doc.hits.is_empty() {
        lines.push("no similar traces".into());
    } else {
        let cols = [
            Column::left("TRACE ID"),
            Column::right("SCORE"),
            Column::left("STATUS"),
            Column::right("DURATION"),
            Column::flex("FAILURE POINT", 5),
            Column::flex("ROOT CAUSE", 10),
        ];
        let rows: Vec<Vec<Cell>> = doc
            .hits
            .iter()
            .map(|h| {
                let err = (h.status == "error").then_some(Role::Error);
                vec![
                    Cell::new(short_id(&clean(&h.trace_id), o.wide)),
                    Cell::new(format!("{:.2}", h.score)),
                    Cell::role(h.status, err),
                    Cell::new(human((h.duration_ms * 1e6) as i64)),
                    Cell::new(h.failure_point.as_deref().map_or("-".into(), clean)),
                    // The category only: where it is located is in the JSON and `diagnose`.
                    Cell::new(h.root_cause.as_deref().unwrap_or("-")),
                ]
            })
            .collect();
        lines.extend(lay_out(&cols, &rows, o.width, o.wide, p));
    }
    // Notes wrap rather than being cut: they say what to do.
    for n in notes(doc) {
        for l in wrap(&format!("note: {n}"), o.width, "", "  ") {
            lines.push(p.paint(l.trim_end(), Some(Role::Anomaly), false));
        }
    }
    lines.join("\n") + "\n"
}

fn markdown(doc: &SimilarDoc) -> String {
    let esc = |s: &str| clean(s).replace('|', "\\|");
    let t = &doc.target;
    let mut out = format!(
        "## Traces similar to `{}`\n\nTarget: {}, {}, root cause {}. Measure: {}, score ≥ {:.2}, {}; {} of {} candidate(s) scored.\n\n",
        esc(&t.trace_id),
        t.status,
        human((t.duration_ms * 1e6) as i64),
        esc(&cause(t)),
        doc.measure,
        doc.min_score,
        esc(&scope(doc)),
        doc.candidates_scored,
        doc.candidates_found
    );
    out.push_str(&format!("{}.\n\n", esc(&candidates_line(doc))));
    let cols = [
        Col::left("Trace ID"),
        Col::right("Score"),
        Col::left("Status"),
        Col::right("Duration"),
        Col::left("Failure point"),
        Col::left("Root cause"),
    ];
    out.push_str(&md_table(
        &cols,
        doc.hits.iter().map(|h| {
            [
                format!("`{}`", h.trace_id),
                format!("{:.2}", h.score),
                h.status.to_string(),
                human((h.duration_ms * 1e6) as i64),
                h.failure_point.clone().unwrap_or_else(|| "-".into()),
                cause(h),
            ]
        }),
    ));
    for n in notes(doc) {
        out.push_str(&format!("\n> {}\n", esc(&n)));
    }
    out
}

/// Field-less constructor helpers for the command.
impl SimilarDoc {
    pub fn new(
        source: String,
        measure: &'static str,
        min_score: f64,
        target: SimilarTraceDoc,
    ) -> SimilarDoc {
        SimilarDoc {
            schema_version: SCHEMA_VERSION,
            command: "similar",
            source,
            measure,
            min_score,
            target,
            matched_attributes: Vec::new(),
            same_root: true,
            root: None,
            window_start: None,
            window_end: None,
            window_chosen: false,
            candidates_found: 0,
            candidates_scored: 0,
            candidates_excluded: 0,
            fetch_errors: 0,
            first_fetch_error: None,
            candidate_limit_reached: false,
            hits: Vec::new(),
        }
    }
}
