//! Command-line definitions for the CI and LLM front ends: `check`, `schema`, `mcp`, `ask`,
//! and the global LLM/redaction flags. Kept apart from `cli.rs` so other subcommands can be
//! added there without touching these.

use clap::Args;

use crate::cli::{parse_tag, AnalysisArgs, StatusArg};
use crate::units::parse_duration_ns;

/// Global flags about what may be printed for machines: redaction and the LLM budget.
#[derive(Debug, Args, Clone, Default)]
pub struct LlmGlobalArgs {
    /// Token budget for `--format llm` (estimated at 4 characters a token). The summary and
    /// root cause always fit; what else is cut is stated in the output.
    #[arg(long, global = true, value_name = "N", value_parser = parse_max_tokens, help_heading = "LLM output and redaction")]
    pub max_tokens: Option<usize>,

    /// Another attribute key to mask in json, llm and markdown output (repeatable), on top of
    /// the built-in ones (password, token, secret, api key, authorization, cookie, session).
    #[arg(
        long = "redact-key",
        global = true,
        value_name = "KEY",
        help_heading = "LLM output and redaction"
    )]
    pub redact_keys: Vec<String>,

    /// Print attribute values, messages and names as they are, secrets included.
    #[arg(long, global = true, help_heading = "LLM output and redaction")]
    pub no_redact: bool,
}

/// The smallest budget that still holds the header and the top root cause.
pub const MIN_MAX_TOKENS: usize = 100;

fn parse_max_tokens(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n >= MIN_MAX_TOKENS => Ok(n),
        _ => Err(format!(
            "expected a token count of at least {MIN_MAX_TOKENS}, got '{s}'"
        )),
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Traces to check. Without ids, --search or --cohort, the source's only trace.
    #[arg(value_name = "TRACE_ID")]
    pub trace_ids: Vec<String>,

    /// A rule (repeatable): no-errors, no-anomalies, max-gap 5s, max-duration 2s,
    /// no-broken-trace, no-n-plus-one 10, `span[service="db" name~"SELECT"] duration < 200ms`,
    /// `span[http.route="/pay"] status != error`, `count(span[service="cache"]) <= 3`.
    #[arg(long = "rule", short = 'r', value_name = "RULE")]
    pub rules: Vec<String>,

    /// A rules file, YAML or TOML (`.toml`): `rules: [no-errors, {name: …, rule: …}]`.
    #[arg(long = "rules", value_name = "PATH")]
    pub rules_file: Option<String>,

    /// Also write a JUnit XML report: one test case per trace and rule.
    #[arg(long, value_name = "PATH")]
    pub junit: Option<String>,

    /// Check every trace a search finds, with the filters below (as `tracediag search`).
    #[arg(long, conflicts_with = "trace_ids", help_heading = "Targets")]
    pub search: bool,

    /// A cohort filter selecting the traces to check (see `tracediag cohort`).
    #[arg(long, value_name = "FILTER", conflicts_with_all = ["trace_ids", "search"], help_heading = "Targets")]
    pub cohort: Option<String>,

    /// --search: service name.
    #[arg(long, requires = "search", help_heading = "Targets")]
    pub service: Option<String>,

    /// --search: operation (span) name.
    #[arg(long, requires = "search", help_heading = "Targets")]
    pub operation: Option<String>,

    /// --search: only traces with a span at least this long.
    #[arg(long, requires = "search", value_name = "DURATION", value_parser = parse_duration_ns, help_heading = "Targets")]
    pub min_duration: Option<i64>,

    /// --search: only traces with a span at most this long.
    #[arg(long, requires = "search", value_name = "DURATION", value_parser = parse_duration_ns, help_heading = "Targets")]
    pub max_duration: Option<i64>,

    /// --search: only traces with (error) or without (ok) an error span.
    #[arg(long, requires = "search", value_enum, help_heading = "Targets")]
    pub status: Option<StatusArg>,

    /// --search: span or resource attribute `key=value` (repeatable).
    #[arg(long = "tag", requires = "search", value_name = "KEY=VALUE", value_parser = parse_tag, help_heading = "Targets")]
    pub tags: Vec<(String, String)>,

    /// --search: the last DURATION (default 1h for remote sources; files are not filtered by time).
    #[arg(long, requires = "search", value_name = "DURATION", value_parser = parse_duration_ns, help_heading = "Targets")]
    pub since: Option<i64>,

    /// --search: most traces checked.
    #[arg(
        long,
        requires = "search",
        default_value_t = 100,
        value_name = "N",
        help_heading = "Targets"
    )]
    pub limit: usize,

    /// --search: a raw TraceQL query (Tempo).
    #[arg(
        long,
        requires = "search",
        value_name = "QUERY",
        help_heading = "Targets"
    )]
    pub traceql: Option<String>,

    #[command(flatten)]
    pub analysis: AnalysisArgs,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Print only this command's output schema (e.g. diagnose, search, check).
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

#[derive(Debug, Args)]
pub struct McpArgs {}

#[derive(Debug, Args)]
pub struct AskArgs {
    /// The question, e.g. "why did execution 2193 time out?" (quote it).
    #[arg(value_name = "QUESTION", num_args = 1.., required = true)]
    pub question: Vec<String>,

    /// Print the command the question maps to without running it.
    #[arg(long)]
    pub dry_run: bool,
}
