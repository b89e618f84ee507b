//! Glue: resolve the source, run the analyses, pick the renderer, map the outcome to an
//! exit code. One file per group of subcommands.

pub mod ask;
pub mod check;
pub mod cohorts;
mod compare;
pub mod incident;
pub mod interrupt;
pub mod mcp;
pub mod output;
pub mod profile;
pub mod schema;
pub mod search;
mod select;
mod services;
mod similar;
mod sql_schema;
mod stats;
pub mod trace_report;
pub mod window;

use std::io::IsTerminal;

use crate::cli::{Cli, ColorChoice, Command};
use crate::error::Result;
use crate::report::Format;

pub use output::write_stdout;
pub(crate) use select::http_options as select_http_options;

/// Run the parsed command line; returns the exit code.
pub fn run(cli: &Cli) -> Result<i32> {
    let color = use_color(cli.global.color);
    match &cli.command {
        Command::Diagnose(args) => {
            trace_report::run(cli, args, trace_report::Kind::Diagnose, color)
        }
        Command::Gaps(args) => trace_report::run(cli, args, trace_report::Kind::Gaps, color),
        Command::RootCause(args) if args.incident.window.is_some() => {
            incident::run(cli, &args.trace, &args.incident)
        }
        Command::RootCause(args) => {
            trace_report::run(cli, &args.trace, trace_report::Kind::RootCause, color)
        }
        Command::Cohorts(args) => cohorts::run(cli, args),
        Command::Timeline(args) => {
            trace_report::run(cli, args, trace_report::Kind::Timeline, color)
        }
        Command::Summary(args) => trace_report::run(cli, args, trace_report::Kind::Summary, color),
        Command::Search(args) => search::run(cli, args),
        Command::Services => services::services(cli),
        Command::Operations(args) => services::operations(cli, &args.service),
        Command::Similar(args) => similar::run(cli, args, color),
        Command::Compare(args) => compare::run(cli, args, color),
        Command::Stats(args) => stats::run(cli, args, color),
        Command::Check(args) => check::run(cli, args),
        Command::Schema(args) => schema::run(cli, args),
        Command::Mcp(_) => mcp::run(cli),
        Command::Ask(args) => ask::run(cli, args),
        Command::Profile(args) => profile::run(cli, args, color),
    }
}

/// Settle what the parsed command line leaves to the front end, before `run`:
/// - `--format llm` falls back to Markdown for commands without an LLM renderer, so every
///   command accepts it and renderers written before it existed never see it;
/// - `--no-redact` warns once that secrets will be printed.
pub fn prepare(cli: &mut Cli) {
    let has_llm = matches!(
        cli.command,
        Command::Diagnose(_)
            | Command::Gaps(_)
            | Command::RootCause(_)
            | Command::Timeline(_)
            | Command::Summary(_)
            | Command::Check(_)
            | Command::Ask(_)
            | Command::Mcp(_)
    );
    if cli.global.format == Format::Llm && !has_llm {
        cli.global.format = Format::Markdown;
    }
    if cli.global.llm.no_redact && !cli.global.quiet && !matches!(cli.command, Command::Mcp(_)) {
        eprintln!(
            "tracediag: warning: --no-redact: attribute values, messages and names are printed unmasked, secrets and personal data included"
        );
    }
}

/// Colour only a terminal, and never when NO_COLOR is set (https://no-color.org), unless forced.
fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}
