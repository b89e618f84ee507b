//! What a run was asked to do, in the program's own terms: durations as nanoseconds,
//! thresholds as `analysis::Thresholds`, limits as `source::limits::Limits`, the search
//! window already resolved against the clock. `cli/` builds one [`Options`] from the flags
//! and the config file, once; nothing below it sees a flag or a clap type.

use std::path::PathBuf;

use crate::analysis::compare::CompareOptions;
use crate::analysis::hotspots::Metric;
use crate::analysis::similarity::Measure;
use crate::analysis::stats::GroupBy;
use crate::analysis::Thresholds;
use crate::report::{Format, RenderOptions};
use crate::source::http::HttpOptions;
use crate::source::limits::Limits;
use crate::source::search::SearchQuery;

/// One run: the settings every command shares, and the command.
#[derive(Debug, Clone)]
pub struct Options {
    /// `--source`: a path, `-`, a URL or a configured name; None reads piped stdin.
    pub source: Option<String>,
    pub format: Format,
    pub quiet: bool,
    pub verbose: u8,
    /// How remote sources are reached (before a named source's own config is merged in).
    pub http: HttpOptions,
    /// What secrets are masked in the output.
    pub redaction: Redaction,
    /// Width, colour, span and token budgets for every renderer.
    pub render: RenderOptions,
    pub action: Action,
}

impl Options {
    pub fn limits(&self) -> &Limits {
        &self.http.limits
    }
}

/// Which secrets are masked before anything leaves for machines or other people (json,
/// llm, markdown; see `report::redact`).
#[derive(Debug, Clone, Default)]
pub struct Redaction {
    /// False with `--no-redact`.
    pub enabled: bool,
    /// `--redact-key`: attribute keys masked on top of the built-in ones.
    pub extra_keys: Vec<String>,
}

/// The thresholds of the single-trace analysis and the clock-skew correction.
#[derive(Debug, Clone)]
pub struct AnalysisOptions {
    pub thresholds: Thresholds,
    /// Largest clock-skew shift applied; None turns the correction off.
    pub max_skew: Option<i64>,
}

/// The single-trace reports, which differ only in the section they show.
pub use crate::report::TraceView as TraceKind;

#[derive(Debug, Clone)]
pub enum Action {
    Trace(TraceRequest),
    Window(WindowRequest),
    Search(SearchRequest),
    Cohorts(CohortRequest),
    Services,
    Operations { service: String },
    Similar(SimilarRequest),
    Compare(CompareRequest),
    Stats(StatsRequest),
    Check(CheckRequest),
    Schema(SchemaRequest),
    Span(SpanRequest),
    ProfileTrigger(TriggerRequest),
    ProfileCompare(ProfileCompareRequest),
}

#[derive(Debug, Clone)]
pub struct TraceRequest {
    pub kind: TraceKind,
    /// None: the source's only trace.
    pub trace_id: Option<String>,
    pub analysis: AnalysisOptions,
    pub baseline: BaselineRequest,
}

/// `span <trace> <span>`.
#[derive(Debug, Clone)]
pub struct SpanRequest {
    pub trace_id: String,
    pub span_id: String,
}

/// What a trace is judged against.
#[derive(Debug, Clone)]
pub struct BaselineRequest {
    pub choice: BaselineChoice,
    /// How far before the trace a server's requests are looked for.
    pub window_ns: i64,
    /// Most requests fetched for it.
    pub max_traces: usize,
}

impl Default for BaselineRequest {
    fn default() -> BaselineRequest {
        BaselineRequest {
            choice: BaselineChoice::Auto,
            window_ns: 24 * 3_600_000_000_000,
            max_traces: 200,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaselineChoice {
    /// The trace's own source.
    Auto,
    /// `--no-baseline`: judge the trace alone.
    Off,
    /// `--baseline-from SRC`.
    From(String),
}

/// `root-cause --window`.
#[derive(Debug, Clone)]
pub struct WindowRequest {
    pub window: String,
    pub baseline: Option<String>,
    pub baseline_sources: Vec<String>,
    pub max_traces: usize,
    /// Let a store that can aggregate compute the ranking's statistics itself.
    pub pushdown: bool,
    /// With `pushdown`: the most traces per range the store aggregates; a range holding
    /// more is aggregated over a uniform sample of about this many (0: no bound).
    pub pushdown_traces: usize,
    pub analysis: AnalysisOptions,
}

#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: SearchQuery,
    pub diagnose: bool,
    pub analysis: AnalysisOptions,
    pub baseline: BaselineRequest,
}

#[derive(Debug, Clone)]
pub struct CohortRequest {
    pub a: Option<String>,
    pub b: Option<String>,
    pub window: Option<String>,
    pub max_traces: usize,
    pub svg: Option<String>,
    pub folded: Option<String>,
    /// `--by attributes`: compare attribute values rather than operations.
    pub by_attributes: bool,
}

#[derive(Debug, Clone)]
pub struct SimilarRequest {
    pub trace_id: String,
    pub measure: Measure,
    pub match_attrs: Vec<String>,
    pub any_root: bool,
    pub limit: usize,
    pub min_score: f64,
    pub candidates: usize,
    /// The candidates' search; its limit is `candidates + 1`, to tell "more exist".
    pub query: SearchQuery,
    pub analysis: AnalysisOptions,
}

#[derive(Debug, Clone)]
pub struct CompareRequest {
    pub trace_a: String,
    pub trace_b: String,
    pub source_b: Option<String>,
    pub compare: CompareOptions,
    pub max_rows: usize,
    pub analysis: AnalysisOptions,
}

#[derive(Debug, Clone)]
pub struct StatsRequest {
    pub query: SearchQuery,
    pub group_by: GroupBy,
    /// `--outliers`: the factor of the group's p99 that makes a span an outlier.
    pub outlier_factor: Option<f64>,
    pub max_skew: Option<i64>,
    /// `--stream`: read the traces even when the source could aggregate (self time).
    pub stream: bool,
}

#[derive(Debug, Clone)]
pub struct CheckRequest {
    pub trace_ids: Vec<String>,
    pub rules: Vec<String>,
    pub rules_file: Option<String>,
    pub junit: Option<String>,
    /// `--search`: check what this query finds.
    pub search: Option<SearchQuery>,
    pub cohort: Option<String>,
    pub limit: usize,
    pub analysis: AnalysisOptions,
    /// `--run`: a trace-based test instead of traces that already exist.
    pub run: Option<RunRequest>,
}

/// `check --run`: see `cli::check_run` for what each field means.
#[derive(Debug, Clone)]
pub struct RunRequest {
    pub command: String,
    pub settle_ns: i64,
    pub max_wait_ns: i64,
    pub poll_interval_ns: i64,
    pub repeat: usize,
    pub baseline_report: Option<String>,
    /// A fraction: 0.2 for 20 %.
    pub max_regression: f64,
}

#[derive(Debug, Clone)]
pub struct SchemaRequest {
    pub command: Option<String>,
    pub table: Option<String>,
}

/// `profile trigger`: see `cli::profile` for what each field means.
#[derive(Debug, Clone)]
pub struct TriggerRequest {
    pub service: String,
    pub min_duration: Option<i64>,
    pub max_duration: Option<i64>,
    pub status_code: Option<String>,
    pub url_pattern: Option<String>,
    pub count: usize,
    pub max_wait: i64,
    pub frequency: u32,
    pub window: i64,
    pub out: PathBuf,
    pub baseline: Option<PathBuf>,
    pub command: Option<String>,
    pub pprof_url: Option<String>,
    pub pyroscope_url: Option<String>,
    pub pyroscope_query: Option<String>,
    pub id_labels: Vec<String>,
    pub poll: i64,
}

/// `profile compare`: see `cli::profile` for what each field means.
#[derive(Debug, Clone)]
pub struct ProfileCompareRequest {
    pub a: Vec<PathBuf>,
    pub b: Vec<PathBuf>,
    pub profiles: Vec<PathBuf>,
    pub cohort_a: Option<String>,
    pub cohort_b: Option<String>,
    pub service: Option<String>,
    pub since: Option<i64>,
    pub max_traces: usize,
    pub metric: Metric,
    pub top: usize,
    pub permutations: usize,
    pub seed: u64,
    pub alpha: f64,
    pub min_samples: u64,
    pub min_units: usize,
    pub frequency: u32,
    pub id_labels: Vec<String>,
    pub svg: Option<PathBuf>,
    pub folded: Option<PathBuf>,
}
