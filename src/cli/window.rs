//! Flags of the many-trace analyses: `root-cause --window` and `cohorts`.

use clap::Args;

#[derive(Debug, Args)]
#[command(next_help_heading = "Window root cause")]
pub struct IncidentArgs {
    /// Rank services across the traces starting in this range instead of diagnosing one
    /// trace: `<from>..<to>`, RFC 3339 or relative (`-15m..now`, `-7d..-1d`).
    #[arg(
        long,
        value_name = "FROM..TO",
        allow_hyphen_values = true,
        conflicts_with = "trace_id"
    )]
    pub window: Option<String>,

    /// What normal looked like: `<from>..<to>` (default: as long as the window, right before it).
    #[arg(
        long,
        value_name = "FROM..TO",
        allow_hyphen_values = true,
        requires = "window"
    )]
    pub baseline: Option<String>,

    /// Take baseline traces (also) from this source: a file adds all its traces, a remote
    /// source those in the baseline range (repeatable).
    #[arg(long, value_name = "SRC", requires = "window")]
    pub baseline_source: Vec<String>,

    /// Most traces read for the window and for each baseline source.
    #[arg(long, default_value_t = 5000, value_name = "N", requires = "window")]
    pub max_traces: usize,

    /// Compute the ranking's statistics in the store over the spans of both ranges
    /// (PostgreSQL with span and parent ids) and fetch only a sample of traces.
    #[arg(long, requires = "window")]
    pub pushdown: bool,

    /// With --pushdown: the most traces of a range the store aggregates; a range holding
    /// more is aggregated over a deterministic uniform sample of about this many whole
    /// traces, and the coverage says so (0: every trace, however many).
    #[arg(long, default_value_t = 20000, value_name = "N", requires = "pushdown")]
    pub pushdown_traces: usize,
}

#[derive(Debug, Args)]
pub struct CohortArgs {
    /// Cohort A, a filter such as 'duration > 1s and service = "pay"' (default: the slowest 5 %).
    #[arg(long = "a", value_name = "FILTER")]
    pub a: Option<String>,

    /// Cohort B, compared against A (default: the median band, 45th to 55th percentile).
    #[arg(long = "b", value_name = "FILTER")]
    pub b: Option<String>,

    /// Only traces starting in `<from>..<to>` (RFC 3339 or relative); needed for a remote
    /// source (default there: the last hour).
    #[arg(long, value_name = "FROM..TO", allow_hyphen_values = true)]
    pub window: Option<String>,

    /// Most traces read.
    #[arg(long, default_value_t = 5000, value_name = "N")]
    pub max_traces: usize,

    /// Write a differential flame graph (B before, A after) of the critical-path chains.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<String>,

    /// Write the differential folded stacks (`frame;frame µs_in_B µs_in_A`, mean per trace).
    #[arg(long, value_name = "FILE")]
    pub folded: Option<String>,

    /// What to compare: `operations` (critical-path time per service.operation) or
    /// `attributes` (which span and resource attribute values A's traces share more than
    /// B's, with a significance; B defaults to every trace not in A).
    #[arg(long = "by", value_enum, default_value_t = CohortBy::Operations)]
    pub by: CohortBy,

    /// Do not truncate names to fit the terminal width.
    #[arg(long)]
    pub wide: bool,
}

/// `cohorts --by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CohortBy {
    Operations,
    Attributes,
}
