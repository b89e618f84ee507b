//! `search`: the traces found, as a table (or one line per hit with `--diagnose`), Markdown
//! and JSON.
//!
//! Services, operations and error messages come from the traces: the table and Markdown
//! show them cleaned, so a name carrying an escape sequence or a newline cannot reach the
//! terminal or break a row.

use serde::Serialize;

use crate::source::search::short_time;

use super::grid::{lay_out, Cell, Column};
use super::markdown_table::{table as md_table, Col};
use super::style::Painter;
use super::text::{clean, clock, fit_left, fit_right, human, short_id, truncate, width};
use super::{Format, RenderOptions};

/// `search --format json`.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct SearchDoc {
    /// Version of the layout.
    pub schema_version: String,
    /// The source searched, secrets masked.
    pub source: String,
    /// The hits, newest first.
    pub traces: Vec<Hit>,
}

// Fields in alphabetical order, here and in `OneLine`: the key order of `search --format
// json` in schema version 1, and keys do not move within a version.
/// One hit as printed: the summary, and with --diagnose the top root cause (or why there is none).
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Hit {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diagnosis: Option<OneLine>,
    pub duration_ms: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub error_count: Option<usize>,
    pub root_operation: String,
    pub root_service: String,
    pub span_count: Option<usize>,
    pub start: String,
    pub start_ns: i64,
    pub trace_id: String,
}

// The top root cause of a trace, in one line (search --diagnose, similar).
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct OneLine {
    /// The top root cause; absent when the verdict is `ok`.
    pub category: Option<String>,
    pub operation: Option<String>,
    pub score: Option<f64>,
    pub service: Option<String>,
    pub span_id: Option<String>,
    /// `ok`, `slow`, `failed`, `partial` or `broken` (see `tracediag schema diagnose`).
    pub verdict: crate::analysis::verdict::Verdict,
}

/// The search's output in `format`; `diagnosed` when the hits were diagnosed (one line per
/// hit in a table, a root-cause column in Markdown). `--format llm` gets the Markdown.
pub fn render(doc: &SearchDoc, diagnosed: bool, format: Format, o: &RenderOptions) -> String {
    match format {
        Format::Json => super::json::to_string(doc),
        Format::Markdown | Format::Llm => markdown(&doc.traces, diagnosed),
        Format::Table if diagnosed => lines(&doc.traces, o),
        Format::Table => table(&doc.traces, o),
    }
}

fn duration(h: &Hit) -> String {
    human((h.duration_ms * 1e6).round() as i64)
}

fn count(n: Option<usize>) -> String {
    n.map_or_else(|| "-".into(), |n| n.to_string())
}

fn root(h: &Hit) -> String {
    format!("{}: {}", h.root_service, h.root_operation)
}

/// What the diagnosis found, raw (callers clean it for their format).
fn cause(h: &Hit) -> String {
    cause_at(h, true)
}

/// [`cause`], with the operation where the cause sits only when `operation` (else `:…`
/// marks it left out).
fn cause_at(h: &Hit, operation: bool) -> String {
    match (&h.diagnosis, &h.error) {
        (Some(d), _) => match (&d.category, &d.service, &d.operation) {
            (None, _, _) => d.verdict.as_str().to_string(),
            (Some(c), Some(s), Some(_)) if !operation => {
                format!("{}: {c} at {s}:…", d.verdict.as_str())
            }
            (Some(c), Some(s), Some(o)) => format!("{}: {c} at {s}: {o}", d.verdict.as_str()),
            (Some(c), _, _) => format!("{}: {c}", d.verdict.as_str()),
        },
        (None, Some(e)) => format!("not diagnosed: {e}"),
        (None, None) => "-".into(),
    }
}

/// One line per hit, as a log reader wants it: id, when, how long, why, one space apart as
/// in the tables. The diagnosis is
/// last and gives way to the width, its operation first (`--wide` keeps it whole).
fn lines(hits: &[Hit], o: &RenderOptions) -> String {
    if hits.is_empty() {
        return "no traces found\n".into();
    }
    let ids: Vec<String> = hits
        .iter()
        .map(|h| short_id(&clean(&h.trace_id), o.wide))
        .collect();
    let durations: Vec<String> = hits.iter().map(duration).collect();
    let id_w = ids.iter().map(|s| width(s)).max().unwrap_or(0);
    let dur_w = durations.iter().map(|s| width(s)).max().unwrap_or(0);
    hits.iter()
        .zip(ids.iter().zip(&durations))
        .map(|(h, (id, dur))| {
            let head = format!(
                "{} {} {} ",
                fit_left(id, id_w),
                clock(h.start_ns),
                fit_right(dur, dur_w)
            );
            let room = o.width.saturating_sub(width(&head)).max(1);
            let cause = clean(&cause(h));
            // Too long: the operation goes first, the service and category stay.
            let cause = if o.wide || width(&cause) <= room {
                cause
            } else {
                let brief = clean(&cause_at(h, false));
                truncate(
                    if width(&brief) <= room {
                        &brief
                    } else {
                        &cause
                    },
                    room,
                )
            };
            format!("{head}{cause}\n")
        })
        .collect()
}

fn table(hits: &[Hit], o: &RenderOptions) -> String {
    if hits.is_empty() {
        return "no traces found\n".into();
    }
    let cols = [
        Column::left("TRACE ID"),
        Column::left("START (UTC)"),
        Column::right("DURATION"),
        // The root gives way first, but keeps enough to name the service: with 32-digit ids
        // cut to 17 columns the other columns take 60, which leaves the root 20.
        Column::flex("ROOT", 16),
        Column::right("SPANS"),
        Column::right("ERRORS"),
    ];
    let rows: Vec<Vec<Cell>> = hits
        .iter()
        .map(|h| {
            vec![
                Cell::new(short_id(&clean(&h.trace_id), o.wide)),
                Cell::new(clock(h.start_ns)),
                Cell::new(duration(h)),
                Cell::new(clean(&root(h))),
                Cell::new(count(h.span_count)),
                Cell::new(count(h.error_count)),
            ]
        })
        .collect();
    let mut out: String = lay_out(&cols, &rows, o.width, o.wide, Painter::new(o.color))
        .into_iter()
        .map(|l| l + "\n")
        .collect();
    out.push_str(&format!("{} trace(s)\n", hits.len()));
    out
}

fn markdown(hits: &[Hit], diagnosed: bool) -> String {
    let mut cols = vec![
        Col::left("Trace ID"),
        Col::left("Start (UTC)"),
        Col::right("Duration"),
        Col::left("Root"),
        Col::right("Spans"),
        Col::right("Errors"),
    ];
    if diagnosed {
        cols.push(Col::left("Root cause"));
    }
    md_table(
        &cols,
        hits.iter().map(|h| {
            let mut row = vec![
                format!("`{}`", h.trace_id),
                short_time(h.start_ns),
                duration(h),
                root(h),
                count(h.span_count),
                count(h.error_count),
            ];
            if diagnosed {
                row.push(cause(h));
            }
            row
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(id: &str, service: &str, operation: &str) -> Hit {
        Hit {
            trace_id: id.into(),
            start: "2025-10-22T16:21:12.110Z".into(),
            start_ns: 1_761_150_072_110_000_000,
            duration_ms: 1_000.0,
            root_service: service.into(),
            root_operation: operation.into(),
            span_count: Some(5),
            error_count: None,
            diagnosis: None,
            error: None,
        }
    }

    fn doc(traces: Vec<Hit>) -> SearchDoc {
        SearchDoc {
            schema_version: super::super::SCHEMA_VERSION.into(),
            source: "file.json".into(),
            traces,
        }
    }

    #[test]
    fn json_keys_are_in_alphabetical_order() {
        let mut h = hit("ab", "svc", "op");
        h.diagnosis = Some(OneLine {
            category: Some("UNKNOWN".into()),
            service: None,
            operation: Some("op".into()),
            span_id: None,
            score: Some(0.5),
            verdict: crate::analysis::verdict::Verdict::Slow,
        });
        let d = doc(vec![h, hit("cd", "svc", "op")]);
        let out = render(&d, true, Format::Json, &RenderOptions::default());
        // A serde_json map sorts its keys: the document prints exactly as that map would.
        let untyped = serde_json::json!({
            "schema_version": d.schema_version,
            "source": d.source,
            "traces": d.traces,
        });
        assert_eq!(out, serde_json::to_string_pretty(&untyped).unwrap() + "\n");
        assert!(!out.contains("\"error\""), "{out}");
    }

    #[test]
    fn table_fits_and_cleans_trace_text() {
        let d = doc(vec![
            hit("2193", "e\x1b[2J\ns", "op"),
            hit(&"f".repeat(32), "frontend", &"x".repeat(200)),
        ]);
        let out = render(&d, false, Format::Table, &RenderOptions::default());
        assert!(!out.contains('\x1b'), "{out}");
        assert!(out.contains("e\\x1b[2J\\ns: op"), "{out}");
        assert_eq!(out.lines().count(), 4, "{out}");
        assert!(
            out.lines().nth(2).unwrap().contains("frontend: xxx"),
            "{out}"
        );
        assert!(out.ends_with("2 trace(s)\n"));
        // 32-digit ids keep their ends around `…`, and the line fits 80 columns.
        assert!(out.contains("ffffffff…ffffffff "), "{out}");
        for l in out.lines() {
            assert!(super::super::text::width(l) <= 80, "{l}");
        }
        let wide = RenderOptions {
            wide: true,
            ..RenderOptions::default()
        };
        let out = render(&d, false, Format::Table, &wide);
        assert!(out.contains(&"x".repeat(200)), "{out}");
        assert!(out.contains(&"f".repeat(32)), "{out}");
    }

    #[test]
    fn short_ids_fit_80_columns() {
        let d = doc(vec![hit("2193", "runner", &"y".repeat(200))]);
        let out = render(&d, false, Format::Table, &RenderOptions::default());
        for l in out.lines() {
            assert!(super::super::text::width(l) <= 80, "{l}");
        }
        assert!(out.contains('…'), "{out}");
    }

    #[test]
    fn diagnosed_lines_and_markdown_clean_the_cause() {
        let mut h = hit("2193", "runner", "call");
        h.diagnosis = Some(OneLine {
            category: Some("NETWORK_TIMEOUT".into()),
            service: Some("run\nner".into()),
            operation: Some("a|b".into()),
            span_id: Some("1".into()),
            score: Some(0.9),
            verdict: crate::analysis::verdict::Verdict::Slow,
        });
        let d = doc(vec![h]);
        let out = render(&d, true, Format::Table, &RenderOptions::default());
        assert_eq!(out.lines().count(), 1, "{out}");
        assert!(out.starts_with("2193 2025-10-22 16:21:12 1.0s "), "{out}");
        assert!(
            out.ends_with("slow: NETWORK_TIMEOUT at run\\nner: a|b\n"),
            "{out}"
        );
        let md = render(&d, true, Format::Markdown, &RenderOptions::default());
        assert!(md.starts_with("| Trace ID | Start (UTC) | Duration | Root | Spans | Errors | Root cause |\n|---|---|---:|---|---:|---:|---|\n"), "{md}");
        assert!(md.contains("| `2193` | 2025-10-22 16:21:12.110 | 1.0s | runner: call | 5 | - | slow: NETWORK_TIMEOUT at run\\nner: a\\|b |"), "{md}");
        assert_eq!(md, render(&d, true, Format::Llm, &RenderOptions::default()));
    }
}
