//! `search`: find traces worth diagnosing, optionally diagnosing each hit in one line.

use serde::Serialize;

use crate::analysis::{diagnose, Diagnosis, Thresholds};
use crate::error::{Error, Result};
use crate::model::IndexedTrace;
use crate::report::{Document, Format};
use crate::source::backend::fetch_many;
use crate::source::search::{rfc3339, short_time, StatusFilter, TraceSummary};

use super::options::SearchRequest;
use super::select::open_source;
use super::{Options, Outcome};

/// One hit as printed: the summary, and with --diagnose the top root cause (or why there is none).
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Hit {
    trace_id: String,
    start: String,
    start_ns: i64,
    duration_ms: f64,
    root_service: String,
    root_operation: String,
    span_count: Option<usize>,
    error_count: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    diagnosis: Option<OneLine>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct OneLine {
    pub(super) category: String,
    pub(super) service: Option<String>,
    pub(super) operation: Option<String>,
    pub(super) span_id: Option<String>,
    pub(super) score: f64,
}

/// The backend-neutral query for `filters`, returning at most `limit` traces.
/// The top root cause of a trace, in one line (search --diagnose, similar).
pub(super) fn one_line(indexed: &IndexedTrace, th: &Thresholds) -> Option<OneLine> {
    one_line_of(indexed, &diagnose(indexed, th))
}

pub(super) fn one_line_of(indexed: &IndexedTrace, d: &Diagnosis) -> Option<OneLine> {
    d.root_causes.first().map(|c| {
        let span = c.span.and_then(|i| indexed.trace.spans.get(i));
        OneLine {
            category: c.category.as_str().to_string(),
            service: span.map(|s| s.service.clone()),
            operation: span.map(|s| s.operation.clone()),
            span_id: span.map(|s| s.span_id.clone()),
            score: c.score,
        }
    })
}

pub fn build(opts: &Options, args: &SearchRequest) -> Result<Outcome> {
    Ok(Outcome::ok(Document::Rendered(render(opts, args)?)))
}

/// The search's output in `cli.global.format`, without printing it (the MCP server uses it).
pub fn render(opts: &Options, args: &SearchRequest) -> Result<String> {
    let q = &args.query;
    let source = open_source(opts)?;
    let mut found = source.search(q)?;
    if q.status == Some(StatusFilter::Ok) {
        // Jaeger has no "no errors" filter and TraceQL's is per span: drop what reports errors.
        found.retain(|h| h.error_count.is_none_or(|n| n == 0));
    }
    if opts.verbose > 0 {
        eprintln!(
            "tracediag: {} hit(s) from {}",
            found.len(),
            source.describe()
        );
    }
    let mut hits: Vec<Hit> = found.iter().map(hit).collect();
    if args.diagnose {
        let ids: Vec<String> = found.iter().map(|h| h.trace_id.clone()).collect();
        let max_skew = args.analysis.max_skew;
        let th = args.analysis.thresholds;
        for (h, fetched) in hits
            .iter_mut()
            .zip(fetch_many(source.as_ref(), &ids, opts.quiet))
        {
            match fetched {
                Ok(trace) => {
                    let indexed = IndexedTrace::new(trace, max_skew);
                    h.diagnosis = one_line(&indexed, &th);
                    // Counts from the full trace beat a backend's partial ones.
                    h.span_count = Some(indexed.trace.spans.len());
                    h.error_count = Some(indexed.trace.error_count());
                }
                Err(e) => h.error = Some(e.to_string()),
            }
        }
    }
    let text = match opts.format {
        Format::Json => json(&hits, &source.describe())?,
        Format::Markdown => markdown(&hits, args.diagnose),
        _ => table(&hits, args.diagnose),
    };
    Ok(text)
}

fn hit(s: &TraceSummary) -> Hit {
    Hit {
        trace_id: s.trace_id.clone(),
        start: rfc3339(s.start_ns),
        start_ns: s.start_ns,
        duration_ms: s.duration_ns as f64 / 1e6,
        root_service: s.root_service.clone(),
        root_operation: s.root_operation.clone(),
        span_count: s.span_count,
        error_count: s.error_count,
        diagnosis: None,
        error: None,
    }
}

fn json(hits: &[Hit], source: &str) -> Result<String> {
    let doc = serde_json::json!({
        "schema_version": crate::report::SCHEMA_VERSION,
        "source": source,
        "traces": hits,
    });
    let mut s = serde_json::to_string_pretty(&doc)
        .map_err(|e| Error::Usage(format!("cannot render JSON: {e}")))?;
    s.push('\n');
    Ok(s)
}

/// `12ms`, `1.52s`, `3m04s`.
pub fn fmt_duration(ms: f64) -> String {
    if ms < 1.0 {
        format!("{:.0}µs", ms * 1000.0)
    } else if ms < 1000.0 {
        format!("{ms:.0}ms")
    } else if ms < 60_000.0 {
        format!("{:.2}s", ms / 1000.0)
    } else {
        let s = (ms / 1000.0).round() as i64;
        format!("{}m{:02}s", s / 60, s % 60)
    }
}

fn count(n: Option<usize>) -> String {
    n.map_or_else(|| "-".into(), |n| n.to_string())
}

fn cause(h: &Hit) -> String {
    match (&h.diagnosis, &h.error) {
        (Some(d), _) => match (&d.service, &d.operation) {
            (Some(s), Some(o)) => format!("{} at {s}: {o}", d.category),
            _ => d.category.clone(),
        },
        (None, Some(e)) => format!("not diagnosed: {e}"),
        (None, None) => "-".into(),
    }
}

fn table(hits: &[Hit], diagnosed: bool) -> String {
    if hits.is_empty() {
        return "no traces found\n".into();
    }
    if diagnosed {
        // One line per hit, as a log reader wants it: id, when, how long, why.
        let mut out = String::new();
        for h in hits {
            out.push_str(&format!(
                "{}  {}  {:>8}  {}\n",
                h.trace_id,
                short_time(h.start_ns),
                fmt_duration(h.duration_ms),
                cause(h)
            ));
        }
        return out;
    }
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::NOTHING);
    t.set_header([
        "TRACE ID",
        "START (UTC)",
        "DURATION",
        "ROOT",
        "SPANS",
        "ERRORS",
    ]);
    for h in hits {
        t.add_row([
            h.trace_id.clone(),
            short_time(h.start_ns),
            fmt_duration(h.duration_ms),
            format!("{}: {}", h.root_service, h.root_operation),
            count(h.span_count),
            count(h.error_count),
        ]);
    }
    // The preset pads every cell by one space; drop the pad before the first column.
    let mut s: String = t
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(&l).trim_end().to_string() + "\n")
        .collect();
    s.push_str(&format!("{} trace(s)\n", hits.len()));
    s
}

fn markdown(hits: &[Hit], diagnosed: bool) -> String {
    let esc = |s: &str| s.replace('|', "\\|");
    let mut out = String::from("| Trace ID | Start (UTC) | Duration | Root | Spans | Errors |");
    out.push_str(if diagnosed { " Root cause |\n" } else { "\n" });
    out.push_str("|---|---|---:|---|---:|---:|");
    out.push_str(if diagnosed { "---|\n" } else { "\n" });
    for h in hits {
        out.push_str(&format!(
            "| `{}` | {} | {} | {}: {} | {} | {} |",
            h.trace_id,
            short_time(h.start_ns),
            fmt_duration(h.duration_ms),
            esc(&h.root_service),
            esc(&h.root_operation),
            count(h.span_count),
            count(h.error_count)
        ));
        if diagnosed {
            out.push_str(&format!(" {} |", esc(&cause(h))));
        }
        out.push('\n');
    }
    out
}
