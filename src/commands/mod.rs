//! Glue: resolve the source, run the analyses, pick the renderer, map the outcome to an
//! exit code. One file per group of subcommands.

mod output;
pub mod profile;
pub mod search;
mod select;
mod services;
mod trace_report;

use std::io::IsTerminal;

use crate::cli::{Cli, ColorChoice, Command};
use crate::error::Result;

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
        Command::RootCause(args) => {
            trace_report::run(cli, args, trace_report::Kind::RootCause, color)
        }
        Command::Timeline(args) => {
            trace_report::run(cli, args, trace_report::Kind::Timeline, color)
        }
        Command::Summary(args) => trace_report::run(cli, args, trace_report::Kind::Summary, color),
        Command::Search(args) => search::run(cli, args),
        Command::Services => services::services(cli),
        Command::Operations(args) => services::operations(cli, &args.service),
        Command::Profile(args) => profile::run(cli, args, color),
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
