//! `root-cause --window` and `cohorts` reports: table, JSON (schema_version "1", units in
//! keys) and Markdown.

use serde_json::{json, Map, Value};

use crate::analysis::cohort::CohortComparison;
use crate::analysis::incident::{Evidence, EvidenceKind, Incident};
use crate::commands::window::Range;
use crate::source::search::rfc3339;

use super::{Format, SCHEMA_VERSION};

fn round(v: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    let r = (v * f).round() / f;
    if r.is_finite() {
        r
    } else {
        0.0
    }
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

/// One line saying what the evidence shows, with its numbers.
pub fn describe(e: &Evidence) -> String {
    let op = e.operation.as_deref().unwrap_or("?");
    let peer = e.peer.as_deref().unwrap_or("?");
    let extra = e.extra_ms_per_trace.unwrap_or(0.0);
    match e.kind {
        EvidenceKind::SelfTime => format!(
            "own time of {op}: median {:.1}ms → {:.1}ms (z {:.1}, +{:.1}ms per trace)",
            e.baseline, e.window, e.z, extra
        ),
        EvidenceKind::CallerSideDelay => format!(
            "calls from {peer} wait outside its server spans: median {:.1}ms → {:.1}ms (z {:.1}, +{:.1}ms per trace)",
            e.baseline, e.window, e.z, extra
        ),
        EvidenceKind::OutgoingDelay => format!(
            "its calls to {peer} are slow to leave: median {:.1}ms → {:.1}ms (z {:.1}, +{:.1}ms per trace)",
            e.baseline, e.window, e.z, extra
        ),
        EvidenceKind::MissingCalls => format!(
            "{op} calls {peer} less: {:.2} → {:.2} per invocation (z {:.1})",
            e.baseline, e.window, e.z
        ),
        EvidenceKind::NewCalls => format!(
            "{op} calls {peer} more: {:.2} → {:.2} per invocation (z {:.1})",
            e.baseline, e.window, e.z
        ),
        EvidenceKind::ErrorOrigins => format!(
            "errors starting here: {:.2} → {:.2} per trace (z {:.1})",
            e.baseline, e.window, e.z
        ),
        EvidenceKind::FailedInvocations
        | EvidenceKind::FailedAfterCall
        | EvidenceKind::VanishedCall => {
            let what = match e.kind {
                EvidenceKind::FailedInvocations => format!("{op} fails more often"),
                EvidenceKind::FailedAfterCall => {
                    format!("{peer} {op} fails right after its call here returns")
                }
                _ => format!("{peer} {op} fails where it used to call here, and the call is gone"),
            };
            format!(
                "{what}: {:.0}% → {:.0}% of invocations (z {:.1})",
                100.0 * e.baseline,
                100.0 * e.window,
                e.z
            )
        }
        EvidenceKind::TotalLatency => format!(
            "only its total latency moved: median {:.1}ms → {:.1}ms (z {:.1})",
            e.baseline, e.window, e.z
        ),
    }
}

fn evidence_json(e: &Evidence) -> Value {
    let mut m = Map::new();
    m.insert("kind".into(), json!(e.kind.as_str()));
    if let Some(op) = &e.operation {
        m.insert("operation".into(), json!(op));
    }
    if let Some(peer) = &e.peer {
        m.insert("peer".into(), json!(peer));
    }
    let (b, w) = match e.kind {
        EvidenceKind::MissingCalls | EvidenceKind::NewCalls => (
            "baseline_calls_per_invocation",
            "window_calls_per_invocation",
        ),
        EvidenceKind::ErrorOrigins => ("baseline_errors_per_trace", "window_errors_per_trace"),
        EvidenceKind::FailedInvocations
        | EvidenceKind::FailedAfterCall
        | EvidenceKind::VanishedCall => ("baseline_failed_share", "window_failed_share"),
        _ => ("baseline_median_ms", "window_median_ms"),
    };
    m.insert(b.into(), json!(round(e.baseline, 3)));
    m.insert(w.into(), json!(round(e.window, 3)));
    m.insert("z".into(), json!(round(e.z, 2)));
    if let Some(x) = e.extra_ms_per_trace {
        m.insert("extra_ms_per_trace".into(), json!(round(x, 3)));
    }
    m.insert("window_samples".into(), json!(e.window_samples));
    m.insert("baseline_samples".into(), json!(e.baseline_samples));
    m.insert("score".into(), json!(round(e.score, 4)));
    m.insert("text".into(), json!(describe(e)));
    Value::Object(m)
}

fn range_json(r: Range) -> Value {
    json!({"start": rfc3339(r.start_ns), "end": rfc3339(r.end_ns), "duration_s": round(r.len_ns() as f64 / 1e9, 3)})
}

/// Render a window root cause.
pub fn render(
    inc: &Incident,
    window: Range,
    baseline: Range,
    sources: &[String],
    format: Format,
) -> String {
    match format {
        Format::Json => pretty(&json!({
            "schema_version": SCHEMA_VERSION,
            "window": range_json(window),
            "baseline": range_json(baseline),
            "sources": sources,
            "traces": {"window": inc.window_traces, "baseline": inc.baseline_traces},
            "services": inc.services.iter().map(|s| json!({
                "rank": s.rank,
                "service": s.service,
                "score": round(s.score, 4),
                "evidence": s.evidence.iter().map(evidence_json).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })),
        Format::Table | Format::Markdown | Format::Llm => {
            let md = format != Format::Table;
            let mut out = String::new();
            out.push_str(&format!(
                "{}window {} .. {} ({} traces) against baseline {} .. {} ({} traces)\n\n",
                if md {
                    "# Root cause across traces\n\n"
                } else {
                    ""
                },
                rfc3339(window.start_ns),
                rfc3339(window.end_ns),
                inc.window_traces,
                rfc3339(baseline.start_ns),
                rfc3339(baseline.end_ns),
                inc.baseline_traces
            ));
            if md {
                out.push_str("| Rank | Service | Score | Evidence |\n|---:|---|---:|---|\n");
            }
            for s in &inc.services {
                let top: Vec<String> = s.evidence.iter().take(3).map(describe).collect();
                if md {
                    let esc = |t: &str| t.replace('|', "\\|");
                    out.push_str(&format!(
                        "| {} | {} | {:.2} | {} |\n",
                        s.rank,
                        esc(&s.service),
                        s.score,
                        esc(&top.join("; "))
                    ));
                } else {
                    out.push_str(&format!(
                        "{:>3}. {}  score {:.2}\n",
                        s.rank, s.service, s.score
                    ));
                    for t in &top {
                        out.push_str(&format!("       {t}\n"));
                    }
                }
            }
            out
        }
    }
}

/// Render a cohort comparison.
pub fn cohorts(c: &CohortComparison, a: &str, b: &str, format: Format) -> String {
    match format {
        Format::Json => pretty(&json!({
            "schema_version": SCHEMA_VERSION,
            "a": {"filter": a, "traces": c.a_traces, "mean_duration_ms": round(c.a_mean_ms, 3)},
            "b": {"filter": b, "traces": c.b_traces, "mean_duration_ms": round(c.b_mean_ms, 3)},
            "operations": c.rows.iter().map(|r| json!({
                "service": r.service,
                "operation": r.operation,
                "a_critical_path_share": round(r.a_share, 4),
                "b_critical_path_share": round(r.b_share, 4),
                "critical_path_share_change": round(r.a_share - r.b_share, 4),
                "a_critical_path_ms_per_trace": round(r.a_cp_ms, 3),
                "b_critical_path_ms_per_trace": round(r.b_cp_ms, 3),
                "a_self_ms_per_trace": round(r.a_self_ms, 3),
                "b_self_ms_per_trace": round(r.b_self_ms, 3),
                "presence": r.presence(),
            })).collect::<Vec<_>>(),
        })),
        Format::Table | Format::Markdown | Format::Llm => {
            let md = format != Format::Table;
            let mut out = format!(
                "A: {a} ({} traces, mean {:.1}ms)\nB: {b} ({} traces, mean {:.1}ms)\n\n",
                c.a_traces, c.a_mean_ms, c.b_traces, c.b_mean_ms
            );
            if md {
                out = format!("# Cohort comparison\n\n{}", out.replace('\n', "  \n"));
                out.push_str("| Operation | CP share A | CP share B | Δ share | Self ms A | Self ms B | |\n|---|---:|---:|---:|---:|---:|---|\n");
            } else {
                out.push_str(&format!(
                    "{:<50} {:>8} {:>8} {:>8} {:>10} {:>10}\n",
                    "SERVICE.OPERATION", "CP% A", "CP% B", "Δ CP%", "SELF A", "SELF B"
                ));
            }
            for r in &c.rows {
                let name = format!("{}.{}", r.service, r.operation);
                let tag = match r.presence() {
                    "both" => "",
                    "only_a" => "new in A",
                    _ => "missing in A",
                };
                if md {
                    out.push_str(&format!(
                        "| {} | {:.1}% | {:.1}% | {:+.1} | {:.1} | {:.1} | {} |\n",
                        name.replace('|', "\\|"),
                        r.a_share * 100.0,
                        r.b_share * 100.0,
                        (r.a_share - r.b_share) * 100.0,
                        r.a_self_ms,
                        r.b_self_ms,
                        tag
                    ));
                } else {
                    let short: String = name.chars().take(50).collect();
                    out.push_str(&format!(
                        "{:<50} {:>7.1}% {:>7.1}% {:>+8.1} {:>8.1}ms {:>8.1}ms {}\n",
                        short,
                        r.a_share * 100.0,
                        r.b_share * 100.0,
                        (r.a_share - r.b_share) * 100.0,
                        r.a_self_ms,
                        r.b_self_ms,
                        tag
                    ));
                }
            }
            out
        }
    }
}
