//! Command-line definitions for the CI and LLM front ends: `check`, `schema`, `mcp`, `ask`,
//! and the global LLM/redaction flags. Kept apart from `args.rs` so other subcommands can be
//! added there without touching these.

use clap::Args;

use super::groups::{AnalysisArgs, SearchFilters};

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
    /// Traces to check. Without ids, --search, --cohort or --run, the source's only trace.
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

    /// A cohort filter selecting the traces to check (see `tracediag cohorts --help`).
    #[arg(long, value_name = "FILTER", conflicts_with_all = ["trace_ids", "search"], help_heading = "Targets")]
    pub cohort: Option<String>,

    /// --search: the search filters, as `tracediag search` takes them.
    #[command(flatten)]
    pub filters: SearchFilters,

    /// --search: most traces checked.
    #[arg(
        long,
        requires = "search",
        default_value_t = 100,
        value_name = "N",
        help_heading = "Targets"
    )]
    pub limit: usize,

    #[command(flatten)]
    pub analysis: AnalysisArgs,

    #[command(flatten)]
    pub run: super::check_run::CheckRunArgs,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// A command (diagnose, search, check, …): print only its output schema. A Postgres
    /// preset (beacon, llm, otel): print the CREATE TABLE and the indexes tracediag's
    /// queries use instead.
    #[arg(value_name = "COMMAND|PRESET")]
    pub command: Option<String>,

    /// With a Postgres preset: the table name, optionally schema-qualified (default: the
    /// preset's table).
    #[arg(long, value_name = "[SCHEMA.]TABLE")]
    pub table: Option<String>,
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
