//! `root-cause --window` and `cohorts` reports: table, JSON (schema_version "1", units in
//! keys) and Markdown.

use serde::Serialize;

use super::attributes::AttributesDoc;
use super::coverage::Coverage;
use super::store_metrics::StoreMetricsDoc;

use crate::analysis::cohort::{CohortComparison, OperationRow};
use crate::analysis::incident::{Evidence, EvidenceKind, Incident, RankedService};
use crate::source::search::rfc3339;

pub use super::incident_words::describe;
use super::incident_words::{cohorts_head, significance_line};
use super::markdown_table::{table as md_table, Col};
use super::{Format, RenderOptions, SCHEMA_VERSION};

fn round(v: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    let r = (v * f).round() / f;
    if r.is_finite() {
        r
    } else {
        0.0
    }
}

/// `root-cause --window --format json`.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct IncidentDoc {
    /// Version of the layout.
    pub schema_version: String,
    /// The window compared.
    pub window: RangeDoc,
    /// The baseline it is compared with.
    pub baseline: RangeDoc,
    /// Sources read (secrets masked).
    pub sources: Vec<String>,
    pub traces: TraceCounts,
    /// Whether any evidence reached significance. When false, nothing moved enough to be a
    /// finding: `services` then holds only weak total-latency shifts, for reference.
    pub significant: bool,
    /// The services some evidence points at (and any that evidence names although it no
    /// longer shows up), best explanation first.
    pub services: Vec<RankedServiceDoc>,
    /// Services seen in the window that no evidence points at: not ranked.
    pub services_without_evidence: Vec<String>,
    /// Attribute values (version, pod, region…) the window's traces carry more often than
    /// the baseline's, with significance (as `cohorts --by attributes`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes: Option<AttributesDoc>,
    /// Which statistics were computed in the store over how many spans, and which on how
    /// many fetched traces.
    pub coverage: Coverage,
    /// What the store computed over every span of both ranges where it can aggregate spans
    /// but not traces (Tempo's TraceQL metrics): median span duration per operation and
    /// error spans per service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store_metrics: Option<StoreMetricsDoc>,
}

/// A time range, RFC 3339 UTC.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct RangeDoc {
    pub start: String,
    pub end: String,
    pub duration_s: f64,
}

/// Traces read on each side.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct TraceCounts {
    pub window: usize,
    pub baseline: usize,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct RankedServiceDoc {
    /// 1 = best explanation.
    pub rank: usize,
    pub service: String,
    /// Sum of the evidence's scores (0 = nothing moved).
    pub score: f64,
    /// Strongest first.
    pub evidence: Vec<EvidenceDoc>,
}

/// One reason, with its numbers. Which `baseline_*`/`window_*` pair is present depends on
/// `kind`: medians in ms for latency kinds, calls per invocation for `missing_calls` /
/// `new_calls`, errors per trace for `error_origins`, the failing share of invocations for
/// `failed_invocations` / `failed_after_call` / `vanished_call`.
#[derive(Debug, Default, Serialize, schemars::JsonSchema)]
pub struct EvidenceDoc {
    /// self_time, caller_side_delay, outgoing_delay, missing_calls, new_calls, error_origins,
    /// failed_invocations, failed_after_call, vanished_call, total_latency.
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// The other end: the caller of a slow edge, the downstream call that changed, the
    /// failing caller.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_median_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_median_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_calls_per_invocation: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_calls_per_invocation: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_errors_per_trace: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_errors_per_trace: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_failed_share: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_failed_share: Option<f64>,
    /// Robust z (latency) or Poisson z (counts), signed.
    pub z: f64,
    /// Extra ms per window trace above the baseline median (latency kinds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra_ms_per_trace: Option<f64>,
    pub window_samples: usize,
    pub baseline_samples: usize,
    /// This evidence's share of the service's score.
    pub score: f64,
    /// One line saying what it shows.
    pub text: String,
}

impl EvidenceDoc {
    fn of(e: &Evidence) -> EvidenceDoc {
        let mut d = EvidenceDoc {
            kind: e.kind.as_str().to_string(),
            operation: e.operation.clone(),
            peer: e.peer.clone(),
            z: round(e.z, 2),
            extra_ms_per_trace: e.extra_ms_per_trace.map(|x| round(x, 3)),
            window_samples: e.window_samples,
            baseline_samples: e.baseline_samples,
            score: round(e.score, 4),
            text: describe(e),
            ..EvidenceDoc::default()
        };
        let pair = (Some(round(e.baseline, 3)), Some(round(e.window, 3)));
        match e.kind {
            EvidenceKind::MissingCalls | EvidenceKind::NewCalls => {
                (
                    d.baseline_calls_per_invocation,
                    d.window_calls_per_invocation,
                ) = pair
            }
            EvidenceKind::ErrorOrigins => {
                (d.baseline_errors_per_trace, d.window_errors_per_trace) = pair
            }
            EvidenceKind::FailedInvocations
            | EvidenceKind::FailedAfterCall
            | EvidenceKind::VanishedCall => (d.baseline_failed_share, d.window_failed_share) = pair,
            _ => (d.baseline_median_ms, d.window_median_ms) = pair,
        }
        d
    }
}

impl RangeDoc {
    fn of(r: Period) -> RangeDoc {
        RangeDoc {
            start: rfc3339(r.start_ns),
            end: rfc3339(r.end_ns),
            duration_s: round(r.end_ns.saturating_sub(r.start_ns) as f64 / 1e9, 3),
        }
    }
}

/// `cohorts --format json`.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CohortsDoc {
    /// Version of the layout.
    pub schema_version: String,
    pub a: CohortDoc,
    /// The reference cohort.
    pub b: CohortDoc,
    /// Largest change of critical-path share first.
    pub operations: Vec<CohortOperationDoc>,
    /// Which statistics were computed on how many fetched traces.
    pub coverage: Coverage,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CohortDoc {
    /// The filter that selected it.
    pub filter: String,
    pub traces: usize,
    pub mean_duration_ms: f64,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CohortOperationDoc {
    pub service: String,
    pub operation: String,
    /// Share of the critical path (0..1) in each cohort, and A minus B.
    pub a_critical_path_share: f64,
    pub b_critical_path_share: f64,
    pub critical_path_share_change: f64,
    pub a_critical_path_ms_per_trace: f64,
    pub b_critical_path_ms_per_trace: f64,
    pub a_self_ms_per_trace: f64,
    pub b_self_ms_per_trace: f64,
    /// both, only_a or only_b.
    pub presence: String,
}

fn to_json<T: Serialize>(doc: &T) -> String {
    let mut s = serde_json::to_string_pretty(doc).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

/// A time range in ns since the epoch (start inclusive, end exclusive), as the command
/// selected it.
pub use crate::time::Range as Period;

/// What a window root cause report shows.
pub struct WindowParts<'a> {
    pub incident: &'a Incident,
    pub window: Period,
    pub baseline: Period,
    pub sources: &'a [String],
    pub attributes: Option<&'a AttributesDoc>,
    pub coverage: &'a Coverage,
    pub store_metrics: Option<&'a StoreMetricsDoc>,
}

/// Render a window root cause.
pub fn render(r: &WindowParts, format: Format, o: &RenderOptions) -> String {
    let (inc, window, baseline, coverage) = (r.incident, r.window, r.baseline, r.coverage);
    let store = r
        .store_metrics
        .map(|m| format!("\n{}\n", m.sentence()))
        .unwrap_or_default();
    match format {
        Format::Json => to_json(&IncidentDoc {
            schema_version: SCHEMA_VERSION.to_string(),
            window: RangeDoc::of(window),
            baseline: RangeDoc::of(baseline),
            sources: r.sources.to_vec(),
            traces: TraceCounts {
                window: inc.window_traces,
                baseline: inc.baseline_traces,
            },
            significant: inc.significant,
            services: inc
                .with_evidence()
                .map(|s| RankedServiceDoc {
                    rank: s.rank,
                    service: s.service.clone(),
                    score: round(s.score, 4),
                    evidence: s.evidence.iter().map(EvidenceDoc::of).collect(),
                })
                .collect(),
            services_without_evidence: inc
                .services
                .iter()
                .filter(|s| s.evidence.is_empty())
                .map(|s| s.service.clone())
                .collect(),
            attributes: r.attributes.cloned(),
            coverage: coverage.clone(),
            store_metrics: r.store_metrics.cloned(),
        }),
        Format::Table => {
            let store = r
                .store_metrics
                .map(|m| wrapped(&m.sentence(), o))
                .unwrap_or_default();
            super::incident_table::window(inc, window, baseline, o)
                + &store
                + &coverage_text(coverage, o)
        }
        Format::Markdown | Format::Llm => {
            incident_markdown(inc, window, baseline)
                + &store
                + &format!("\n{}\n", coverage.sentence())
        }
    }
}

/// The ranking as Markdown. Service and operation names come from the traces and are
/// cleaned.
fn incident_markdown(inc: &Incident, window: Period, baseline: Period) -> String {
    let mut out = format!(
        "# Root cause across traces\n\nwindow {} .. {} ({} traces) against baseline {} .. {} ({} traces)\n\n",
        rfc3339(window.start_ns),
        rfc3339(window.end_ns),
        inc.window_traces,
        rfc3339(baseline.start_ns),
        rfc3339(baseline.end_ns),
        inc.baseline_traces
    );
    out.push_str(&significance_line(inc));
    let top =
        |s: &RankedService| -> Vec<String> { s.evidence.iter().take(3).map(describe).collect() };
    let cols = [
        Col::right("Rank"),
        Col::left("Service"),
        Col::right("Score"),
        Col::left("Evidence"),
    ];
    out.push_str(&md_table(
        &cols,
        inc.with_evidence().map(|s| {
            [
                s.rank.to_string(),
                s.service.clone(),
                format!("{:.2}", s.score),
                top(s).join("; "),
            ]
        }),
    ));
    out
}

/// Render a cohort comparison.
pub fn cohorts(
    c: &CohortComparison,
    (a, b): (&str, &str),
    coverage: &Coverage,
    format: Format,
    o: &RenderOptions,
) -> String {
    match format {
        Format::Json => to_json(&CohortsDoc {
            schema_version: SCHEMA_VERSION.to_string(),
            a: CohortDoc {
                filter: a.to_string(),
                traces: c.a_traces,
                mean_duration_ms: round(c.a_mean_ms, 3),
            },
            b: CohortDoc {
                filter: b.to_string(),
                traces: c.b_traces,
                mean_duration_ms: round(c.b_mean_ms, 3),
            },
            operations: c
                .rows
                .iter()
                .map(|r| CohortOperationDoc {
                    service: r.service.clone(),
                    operation: r.operation.clone(),
                    a_critical_path_share: round(r.a_share, 4),
                    b_critical_path_share: round(r.b_share, 4),
                    critical_path_share_change: round(r.a_share - r.b_share, 4),
                    a_critical_path_ms_per_trace: round(r.a_cp_ms, 3),
                    b_critical_path_ms_per_trace: round(r.b_cp_ms, 3),
                    a_self_ms_per_trace: round(r.a_self_ms, 3),
                    b_self_ms_per_trace: round(r.b_self_ms, 3),
                    presence: r.presence().to_string(),
                })
                .collect(),
            coverage: coverage.clone(),
        }),
        Format::Table => super::incident_table::cohorts(c, a, b, o) + &coverage_text(coverage, o),
        Format::Markdown | Format::Llm => {
            cohorts_markdown(c, a, b) + &format!("\n{}\n", coverage.sentence())
        }
    }
}

/// The coverage sentence for a terminal, word-wrapped to the width, after a blank line.
fn coverage_text(coverage: &Coverage, o: &RenderOptions) -> String {
    wrapped(&coverage.sentence(), o)
}

/// A sentence for a terminal, word-wrapped to the width, after a blank line.
fn wrapped(s: &str, o: &RenderOptions) -> String {
    let s = s.to_string();
    let lines = if o.wide {
        vec![s]
    } else {
        super::text::wrap(&s, o.width.max(1), "", "  ")
    };
    let mut out = String::from("\n");
    for l in lines {
        out.push_str(l.trim_end());
        out.push('\n');
    }
    out
}

fn presence_tag(r: &OperationRow) -> &'static str {
    match r.presence() {
        "both" => "",
        "only_a" => "new in A",
        _ => "missing in A",
    }
}

fn cohorts_markdown(c: &CohortComparison, a: &str, b: &str) -> String {
    let mut out = format!(
        "# Cohort comparison\n\n{}",
        cohorts_head(c, a, b).replace('\n', "  \n")
    );
    let cols = [
        Col::left("Operation"),
        Col::right("CP share A"),
        Col::right("CP share B"),
        Col::right("Δ share"),
        Col::right("Self ms A"),
        Col::right("Self ms B"),
        Col::left(""),
    ];
    out.push_str(&md_table(
        &cols,
        c.rows.iter().map(|r| {
            [
                format!("{}.{}", r.service, r.operation),
                format!("{:.1}%", r.a_share * 100.0),
                format!("{:.1}%", r.b_share * 100.0),
                format!("{:+.1}", (r.a_share - r.b_share) * 100.0),
                format!("{:.1}", r.a_self_ms),
                format!("{:.1}", r.b_self_ms),
                presence_tag(r).to_string(),
            ]
        }),
    ));
    out
}
