//! Groups of flags several subcommands flatten in: what selects traces, the analysis
//! thresholds, and the span budget of the single-trace reports.

use clap::{Args, ValueEnum};

use super::parsers::{parse_fraction, parse_positive_f64, parse_tag};
use crate::units::parse_duration_ns;

/// What selects traces: shared by search, similar (its candidates) and stats.
#[derive(Debug, Args, Clone, Default)]
pub struct SearchFilters {
    /// Service name (required by Jaeger).
    #[arg(long)]
    pub service: Option<String>,

    /// Operation (span) name.
    #[arg(long)]
    pub operation: Option<String>,

    /// Only traces with a span at least this long (e.g. 1s, 250ms).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration_ns)]
    pub min_duration: Option<i64>,

    /// Only traces with a span at most this long.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration_ns)]
    pub max_duration: Option<i64>,

    /// Only traces with (error) or without (ok) an error span.
    #[arg(long, value_enum)]
    pub status: Option<StatusArg>,

    /// Span or resource attribute `key=value` (repeatable).
    #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = parse_tag)]
    pub tags: Vec<(String, String)>,

    /// Search the last DURATION (default 1h): 30m, 2h, 1d, 1w.
    #[arg(long, value_name = "DURATION", conflicts_with_all = ["start", "end"], value_parser = parse_duration_ns)]
    pub since: Option<i64>,

    /// Window start: RFC 3339 (2024-05-01T12:00:00Z) or relative (2h = two hours ago, 7d).
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub start: Option<String>,

    /// Window end: RFC 3339 or relative (default now).
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub end: Option<String>,

    /// A raw TraceQL query passed through to Tempo (replaces the filters above).
    #[arg(long, value_name = "QUERY")]
    pub traceql: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusArg {
    Error,
    Ok,
}

#[derive(Debug, Args, Clone)]
pub struct AnalysisArgs {
    /// A span is anomalous when longer than this many times the mean of its
    /// service.operation in the trace.
    #[arg(long, default_value_t = 3.0, value_name = "K", value_parser = parse_positive_f64)]
    pub slow_factor: f64,

    /// A gap inside a span longer than this is an anomaly (e.g. 5s, 500ms).
    #[arg(long, default_value = "5s", value_name = "DURATION", value_parser = parse_duration_ns)]
    pub gap_threshold: i64,

    /// Uncovered time on a cross-service leg at least this long, and at least
    /// --network-share of the caller, is a NETWORK_TIMEOUT candidate.
    #[arg(long, default_value = "1s", value_name = "DURATION", value_parser = parse_duration_ns)]
    pub network_gap: i64,

    /// Share of the caller's duration a cross-service gap must reach to count as a network timeout.
    #[arg(long, default_value_t = 0.2, value_name = "FRACTION", value_parser = parse_fraction)]
    pub network_share: f64,

    /// A span must spend at least this long of its own time on the critical path before it
    /// is reported as the request's bottleneck.
    #[arg(long, default_value = "1s", value_name = "DURATION", value_parser = parse_duration_ns)]
    pub slow_span: i64,

    /// Same-operation sibling calls repeated at least this often are reported as N+1.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub repeat_min: usize,

    /// Do not correct clock skew between hosts (Jaeger's adjustment rule).
    #[arg(long)]
    pub no_skew_adjust: bool,

    /// Largest clock-skew shift applied; larger skews are reported, not corrected.
    #[arg(long, default_value = "1s", value_name = "DURATION", value_parser = parse_duration_ns)]
    pub max_skew: i64,
}

#[derive(Debug, Args, Clone)]
pub struct OutputArgs {
    /// Do not truncate names to fit the terminal width.
    #[arg(long)]
    pub wide: bool,

    /// Most spans listed in the waterfall and JSON; the critical path, anomalies, errors and
    /// their ancestors are always kept, and what is left out is counted.
    #[arg(long, default_value_t = 500, value_name = "N")]
    pub max_spans: usize,

    /// `diagnose` and `timeline`, JSON and Markdown: give each listed span its `attributes`
    /// (keys sorted; values cut at --max-attr-size and redacted like the rest).
    #[arg(long)]
    pub attributes: bool,

    /// `diagnose` and `timeline`, JSON and Markdown: give each listed span its `events`
    /// (Jaeger logs): offset from the span start, name, attributes.
    #[arg(long)]
    pub events: bool,
}

/// What a trace is judged against (see `analysis::baseline`).
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Baseline")]
pub struct BaselineArgs {
    /// Judge the trace alone: it is then slow only when it lost time waiting, never for
    /// the share of itself a span takes.
    #[arg(long, conflicts_with = "baseline_from")]
    pub no_baseline: bool,

    /// Take the baseline from this source instead of the trace's own (same forms as
    /// --source).
    #[arg(long, value_name = "SRC")]
    pub baseline_from: Option<String>,

    /// On Jaeger and Tempo: how far before the trace its root operation's requests are
    /// looked for (PostgreSQL aggregates the same window in one query; a file gives all its
    /// other traces).
    #[arg(long, default_value = "24h", value_name = "DURATION", value_parser = parse_duration_ns)]
    pub baseline_window: i64,

    /// Most requests fetched for the baseline from Jaeger or Tempo.
    #[arg(long, default_value_t = 200, value_name = "N")]
    pub baseline_traces: usize,
}
