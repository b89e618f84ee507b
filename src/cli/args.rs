//! Command-line definitions (clap derive). Completions and man pages are generated from
//! these; `tests/generated_docs.rs` fails when the committed ones are stale.

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use super::groups::{AnalysisArgs, BaselineArgs, OutputArgs, SearchFilters, StatusArg};
use super::llm::{AskArgs, CheckArgs, LlmGlobalArgs, McpArgs, SchemaArgs};
use super::parsers::{parse_concurrency, parse_factor, parse_fraction, parse_header, parse_tag};
use super::window::{CohortArgs, IncidentArgs};
use crate::units::parse_duration_ns;

const AFTER_HELP: &str = "\
Exit codes: 0 success, 1 findings where a command is asked to fail on them, 2 usage or input \
error (bad file, unknown trace or span id, malformed JSON), 3 source unreachable or not answering with \
traces (connection refused, timeout, authentication failed, HTML or malformed JSON from a server), \
130 interrupted (Ctrl-C; output files are left whole or not at all).

Limits (see the Limits options): input over --max-response-size, a trace over --max-trace-spans \
or deeper than --max-depth is an input error; attribute values over --max-attr-size are cut \
and marked …[truncated N bytes].

Examples:
  tracediag diagnose --source testdata/execution-2193.jaeger.json
  tracediag diagnose 2193 --source trace.json --format json
  curl -s http://jaeger:16686/api/traces/abc | tracediag diagnose --source -
  tracediag search --source jaeger+http://localhost:16686 --service api --status error --diagnose
  tracediag diagnose 4bf92f3577b34da6a3ce929d0e0e4736 --source tempo+http://localhost:3200
  tracediag diagnose 2193 --source 'postgres://me@db:5432/beacon?table=trace_spans&preset=beacon'";

#[derive(Debug, Parser)]
#[command(
    name = "tracediag",
    version,
    about = "Why was this request slow, or why did it fail? Diagnose distributed traces.",
    long_about = "tracediag reads distributed traces (Jaeger JSON, OTLP JSON and its Tempo and \
                  Jaeger api_v3 variants, OTLP JSON Lines, span CSV) and explains them: trace \
                  integrity, gaps and uninstrumented time, critical path, error origin and a \
                  ranked root cause with evidence and a recommendation.",
    after_help = AFTER_HELP,
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source
    /// named in the config file.
    ///
    /// URLs: `jaeger+http(s)://host:16686[/base]`, `tempo+http(s)://host:3200`, or a plain
    /// `http(s)://` URL whose backend is probed. Basic auth may be given as `user:pass@` in the
    /// URL. A file may hold Jaeger JSON (API response or UI download), OTLP JSON (also Tempo's
    /// and Jaeger api_v3's variants), OTLP JSON Lines, or a span CSV, optionally gzipped; the
    /// format is detected from the content. Without --source, a trace piped on stdin is read.
    #[arg(
        long,
        short = 's',
        env = "TRACEDIAG_SOURCE",
        global = true,
        value_name = "SRC"
    )]
    pub source: Option<String>,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Table, global = true)]
    pub format: FormatArg,

    /// When to colour table output. `auto` colours only a terminal and honours NO_COLOR.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Print nothing but errors.
    #[arg(long, short = 'q', global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Say more on stderr about what is read and decided (repeat for more).
    #[arg(long, short = 'v', action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    /// Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never
    /// printed. A bearer token can also come from TRACEDIAG_TOKEN.
    #[arg(long = "header", global = true, value_name = "NAME: VALUE", value_parser = parse_header, help_heading = "Remote sources")]
    pub headers: Vec<(String, String)>,

    /// Tempo tenant, sent as X-Scope-OrgID.
    #[arg(
        long,
        global = true,
        value_name = "TENANT",
        help_heading = "Remote sources"
    )]
    pub tenant: Option<String>,

    /// Time limit for one HTTP request, body included.
    #[arg(long, global = true, default_value = "30s", value_name = "DURATION", value_parser = parse_duration_ns, help_heading = "Remote sources")]
    pub timeout: i64,

    /// Time limit for connecting to a remote source.
    #[arg(long, global = true, default_value = "5s", value_name = "DURATION", value_parser = parse_duration_ns, help_heading = "Remote sources")]
    pub connect_timeout: i64,

    /// Traces fetched at once when many are needed (search --diagnose, similar, stats, compare).
    #[arg(long, global = true, default_value_t = 8, value_name = "N", value_parser = parse_concurrency, help_heading = "Remote sources")]
    pub concurrency: usize,

    /// Map a role to a column of a Postgres table, `ROLE=COLUMN` (repeatable): trace_id,
    /// span_id, parent_id, service, operation, start, end, duration_ms, duration_ns, status,
    /// error_message, kind, attributes, resource. Overrides the preset's column for that role.
    #[arg(long = "column", global = true, value_name = "ROLE=COLUMN", value_parser = parse_tag, help_heading = "Postgres source")]
    pub columns: Vec<(String, String)>,

    /// Time limit for one SQL statement (sent as statement_timeout).
    #[arg(long, global = true, default_value = "30s", value_name = "DURATION", value_parser = parse_duration_ns, help_heading = "Postgres source")]
    pub statement_timeout: i64,

    /// Largest input read: a file, stdin, an HTTP response, or what gzip data decompresses
    /// to (e.g. 256MiB, 64KiB, 10MB, or bytes). Larger input is refused while reading, so a
    /// gzip bomb stops here: exit 2 for files, stdin and gzip data, exit 3 for a response.
    /// [default: 256MiB for HTTP responses and gzip data, 8GiB for a file or stdin]
    #[arg(long, global = true, value_name = "SIZE", value_parser = crate::units::parse_size, help_heading = "Limits")]
    pub max_response_size: Option<u64>,

    /// Most spans in one trace; a trace with more is an input error (exit 2) naming the
    /// trace and its span count.
    #[arg(long, global = true, default_value = "1000000", value_name = "N", value_parser = crate::units::parse_count, help_heading = "Limits")]
    pub max_trace_spans: usize,

    /// Most levels in one trace's span tree (a lone root is 1); a deeper trace is an input
    /// error (exit 2) naming the trace and its depth. Nothing recurses on the depth, so this
    /// can be raised safely.
    #[arg(long, global = true, default_value = "10000", value_name = "N", value_parser = crate::units::parse_count, help_heading = "Limits")]
    pub max_depth: usize,

    /// Longest attribute value kept whole (e.g. 64KiB); longer values are cut at a character
    /// boundary and end in `…[truncated N bytes]`, with one warning per trace on stderr.
    #[arg(long, global = true, default_value = "64KiB", value_name = "SIZE", value_parser = crate::units::parse_size_usize, help_heading = "Limits")]
    pub max_attr_size: usize,

    #[command(flatten)]
    pub llm: LlmGlobalArgs,
}

/// `--format`; see `report::Format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Aligned, optionally coloured text for a terminal.
    Table,
    /// Versioned, pretty-printed JSON.
    Json,
    /// The seed's MCP report layout, for LLM prompts and tickets.
    Markdown,
    /// Compact Markdown for LLM prompts: summary first, details last, sized by --max-tokens,
    /// every cut stated.
    Llm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Everything about one trace: integrity, root cause, error origin, critical path, gaps,
    /// anomalies, and a waterfall.
    Diagnose(TraceArgs),
    /// Uninstrumented time inside spans: before, between and after children, with the
    /// network leg it sits on when it crosses services.
    Gaps(TraceArgs),
    /// Ranked root-cause candidates with evidence and a recommendation.
    ///
    /// With --window, ranks the services that best explain what changed between a baseline and
    /// a window of many traces instead.
    #[command(name = "root-cause")]
    RootCause(RootCauseArgs),
    /// Waterfall rows: service, operation, start offset, duration, status.
    Timeline(TraceArgs),
    /// Span count, errors, services, total duration, slowest span, first error.
    Summary(TraceArgs),
    /// One span in full: identity, status, every attribute and resource attribute, events
    /// (Jaeger logs) with their offsets, and links.
    Span(SpanArgs),
    /// Find traces worth diagnosing: by service, operation, duration, status and tags (Jaeger
    /// query or TraceQL), with an optional one-line diagnosis of each hit.
    Search(SearchArgs),
    /// Compare two cohorts of traces: critical-path share and self time per
    /// service.operation, new and missing operations, and a differential flame graph.
    #[command(after_long_help = crate::analysis::filter::HELP)]
    Cohorts(CohortArgs),
    /// List the services the source knows.
    Services(ServicesArgs),
    /// List the operations of a service.
    Operations(OperationsArgs),
    /// Traces that ran like this one (same root, similar operation sequence or call
    /// structure), each with its status, failure point and root cause.
    ///
    /// Candidates are the source's traces with the target's root service and operation
    /// (unless --any-root) and --match values, started within 24 h either side of the
    /// target unless --since/--start/--end choose a window (a file is searched whole); over
    /// --candidates, the ones nearest the target in time are scored.
    Similar(SimilarArgs),
    /// Two traces side by side: spans aligned, what is missing, slower (≥ 2×) or failing
    /// on one side, where they first diverge, and how the critical path changed.
    Compare(CompareArgs),
    /// Latency per service.operation across traces: count, error rate, mean, p50/p95/p99,
    /// max, self-time share, and outliers.
    Stats(StatsArgs),
    /// Assert rules on traces for CI: exit 0 all passed, 1 a rule failed, 2 usage or input
    /// error, 3 source unreachable; optional JUnit report.
    Check(CheckArgs),
    /// Print the JSON Schema of every command's `--format json` output, or with a Postgres
    /// preset (beacon, llm, otel) the table's DDL and indexes.
    Schema(SchemaArgs),
    /// Serve tracediag's analyses as MCP tools over stdio (for LLM agents).
    Mcp(McpArgs),
    /// Answer a question such as "why did execution 2193 time out?" by running the matching
    /// command (rule-based; prints the command first).
    Ask(AskArgs),
    /// Trace-triggered CPU profiling and differential hotspots between request cohorts.
    Profile(super::profile::ProfileArgs),
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    #[command(flatten)]
    pub filters: SearchFilters,

    /// Most traces returned.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub limit: usize,

    /// Diagnose every hit and print one line each: root-cause category and span.
    #[arg(long)]
    pub diagnose: bool,

    /// Do not shorten trace ids, the root column or the diagnosis to fit the terminal width.
    #[arg(long)]
    pub wide: bool,

    #[command(flatten)]
    pub analysis: AnalysisArgs,

    #[command(flatten)]
    pub baseline: BaselineArgs,
}

#[derive(Debug, Args)]
pub struct SimilarArgs {
    /// The trace to find relatives of; leading zeros may be left out.
    #[arg(value_name = "TRACE_ID")]
    pub trace_id: String,

    /// How to measure likeness: `sequence` (edit distance between the service.operation
    /// sequences) or `structure` (shared parent→child calls, ignoring order and timing).
    #[arg(long = "by", value_enum, default_value_t = SimilarBy::Sequence)]
    pub by: SimilarBy,

    /// Only candidates with the target's values of these attributes (comma-separated, e.g.
    /// model_id,region).
    #[arg(long = "match", value_name = "ATTR,…", value_delimiter = ',')]
    pub match_attrs: Vec<String>,

    /// Also consider traces whose root span has another service or operation than the
    /// target's (by default only the same root service and operation are candidates).
    #[arg(long)]
    pub any_root: bool,

    /// Most similar traces listed.
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub limit: usize,

    /// Lowest score listed (0 to 1).
    #[arg(long, default_value_t = 0.7, value_name = "SCORE", value_parser = parse_fraction)]
    pub min_score: f64,

    /// Most candidate traces fetched and scored.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub candidates: usize,

    #[command(flatten)]
    pub filters: SearchFilters,

    /// Do not shorten names and trace ids to fit the terminal width.
    #[arg(long)]
    pub wide: bool,

    #[command(flatten)]
    pub analysis: AnalysisArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SimilarBy {
    Sequence,
    Structure,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The first trace (the reference, e.g. a good run).
    #[arg(value_name = "TRACE_A")]
    pub trace_a: String,

    /// The second trace (e.g. the failed or slow run).
    #[arg(value_name = "TRACE_B")]
    pub trace_b: String,

    /// Where the second trace comes from, when not from --source (same forms as --source).
    #[arg(long, value_name = "SRC")]
    pub source_b: Option<String>,

    /// Flag an aligned span or operation whose duration changed by at least this factor,
    /// either way.
    #[arg(long, default_value_t = 2.0, value_name = "K", value_parser = parse_factor)]
    pub factor: f64,

    /// … and by at least this much time, so microsecond jitter is not a "3× slowdown".
    #[arg(long, default_value = "1ms", value_name = "DURATION", value_parser = parse_duration_ns)]
    pub min_delta: i64,

    /// Most rows in the tree view and JSON `rows`; what is left out is counted, and rows that
    /// differ are kept first.
    #[arg(long, default_value_t = 200, value_name = "N")]
    pub max_rows: usize,

    /// Do not shorten names and trace ids to fit the terminal width.
    #[arg(long)]
    pub wide: bool,

    #[command(flatten)]
    pub analysis: AnalysisArgs,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub filters: SearchFilters,

    /// Most traces read.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub limit: usize,

    /// Rows per `service`, per `operation` (service.operation), or per value of a span
    /// attribute (`attr:region`).
    #[arg(long, default_value = "operation", value_name = "GROUP", value_parser = crate::analysis::stats::GroupBy::parse)]
    pub group_by: crate::analysis::stats::GroupBy,

    /// Also list traces with a span slower than --outlier-factor × the p99 of its group.
    #[arg(long)]
    pub outliers: bool,

    /// Read the traces and aggregate them here even when the source (PostgreSQL) could
    /// aggregate on its side: slower, but gives self time.
    #[arg(long)]
    pub stream: bool,

    /// How many times its group's p99 makes a span an outlier (seed 002: 2).
    #[arg(long, default_value_t = 2.0, value_name = "K", value_parser = parse_factor)]
    pub outlier_factor: f64,

    /// Do not shorten names and trace ids to fit the terminal width.
    #[arg(long)]
    pub wide: bool,

    /// Do not correct clock skew between hosts before computing self time.
    #[arg(long)]
    pub no_skew_adjust: bool,

    /// Largest clock-skew shift applied.
    #[arg(long, default_value = "1s", value_name = "DURATION", value_parser = parse_duration_ns)]
    pub max_skew: i64,
}

#[derive(Debug, Args)]
pub struct ServicesArgs {
    /// Do not cut names longer than the terminal width.
    #[arg(long)]
    pub wide: bool,
}

#[derive(Debug, Args)]
pub struct OperationsArgs {
    /// The service whose operations to list.
    #[arg(value_name = "SERVICE")]
    pub service: String,

    /// Do not cut names longer than the terminal width.
    #[arg(long)]
    pub wide: bool,
}

#[derive(Debug, Args)]
pub struct TraceArgs {
    /// The trace to analyse. May be omitted when the source holds a single trace; leading
    /// zeros may be left out.
    #[arg(value_name = "TRACE_ID")]
    pub trace_id: Option<String>,

    #[command(flatten)]
    pub analysis: AnalysisArgs,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub baseline: BaselineArgs,
}

#[derive(Debug, Args)]
pub struct SpanArgs {
    /// The trace the span belongs to; leading zeros may be left out.
    #[arg(value_name = "TRACE_ID")]
    pub trace_id: String,

    /// The span to show (ids are in `diagnose --format json` and the Jaeger UI); leading
    /// zeros may be left out.
    #[arg(value_name = "SPAN_ID")]
    pub span_id: String,
}

#[derive(Debug, Args)]
pub struct RootCauseArgs {
    #[command(flatten)]
    pub trace: TraceArgs,

    #[command(flatten)]
    pub incident: IncidentArgs,
}

impl Cli {
    /// The clap command, for completions and man pages.
    pub fn command() -> clap::Command {
        <Cli as clap::CommandFactory>::command()
    }
}
