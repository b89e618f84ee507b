//! The front end: clap definitions ([`args`], [`llm`], [`profile`], [`window`]), the config
//! file's `[defaults]` merged under the flags ([`config`]), and the one conversion of all of
//! it into `commands::options::Options` ([`options`]). `ask` is a front end over this front
//! end: a question becomes a command line. Completions and man pages come from here too
//! ([`docs`]). Nothing below this module sees a clap type.

pub mod args;
pub mod ask;
pub mod check_run;
pub mod config;
pub mod docs;
pub mod groups;
pub mod llm;
pub mod options;
mod parsers;
pub mod profile;
pub mod window;

use clap::FromArgMatches;

pub use args::{Cli, Command, GlobalArgs};
pub use llm::MIN_MAX_TOKENS;

use crate::commands::options::Options;
use crate::error::{Error, Result};
use crate::source::config::Config;

/// What the command line asks for: a command, or one of the front ends that run commands.
pub enum Invocation {
    Run(Box<Options>),
    /// `mcp`: serve commands as MCP tools; the global flags are every call's defaults.
    Mcp(GlobalArgs),
    /// `ask`: answer a question by running the command it maps to.
    Ask(ask::Question),
}

/// The command-line definitions as parsed: a command that is left out (`tracediag`,
/// `tracediag profile`) is a usage error naming the choices, not a page of help on stderr.
pub fn command() -> clap::Command {
    fn no_help_for_missing(cmd: clap::Command) -> clap::Command {
        let names: Vec<String> = cmd
            .get_subcommands()
            .filter(|s| s.has_subcommands())
            .map(|s| s.get_name().to_string())
            .collect();
        names
            .into_iter()
            .fold(cmd.arg_required_else_help(false), |cmd, name| {
                cmd.mut_subcommand(name, no_help_for_missing)
            })
    }
    no_help_for_missing(Cli::command())
}

/// Parse the process's command line, fill what the flags left unset from the config file's
/// `[defaults]`, and settle it into options. `--help` and `--version` print to stdout and
/// exit 0 here, as clap does; a usage error is returned, to be reported as every error is.
pub fn parse() -> Result<Invocation> {
    let matches = match command().try_get_matches() {
        Ok(matches) => matches,
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) => return Err(usage_error(&e)),
    };
    let mut cli = Cli::from_arg_matches(&matches).map_err(|e| usage_error(&e))?;
    config::apply_defaults(&mut cli, &matches, &Config::load()?)?;
    if cli.global.llm.no_redact && !cli.global.quiet && !matches!(cli.command, Command::Mcp(_)) {
        eprintln!(
            "tracediag: warning: --no-redact: attribute values, messages and names are printed unmasked, secrets and personal data included"
        );
    }
    invocation(cli)
}

/// The invocation a parsed command line stands for.
pub fn invocation(cli: Cli) -> Result<Invocation> {
    match &cli.command {
        Command::Mcp(_) => Ok(Invocation::Mcp(cli.global)),
        Command::Ask(a) => Ok(Invocation::Ask(ask::Question {
            text: a.question.join(" "),
            dry_run: a.dry_run,
            global: cli.global.clone(),
        })),
        _ => options::build(&cli).map(|o| Invocation::Run(Box::new(o))),
    }
}

/// Parse `argv` (its first word the program name) with the CLI's definitions, for front ends
/// that build command lines (MCP, ask). On failure, clap's message, first line.
pub fn parse_from<I: IntoIterator<Item = String>>(
    argv: I,
) -> std::result::Result<Cli, clap::Error> {
    let matches = command().try_get_matches_from(argv)?;
    Cli::from_arg_matches(&matches)
}

/// A clap usage error in the shape of every other error: its first line is the message
/// (printed as `tracediag: error: …`); clap's usage block and hint follow on later lines.
pub fn usage_error(e: &clap::Error) -> Error {
    let text = e.render().to_string();
    let mut lines = text.trim_end().lines();
    let first = lines
        .next()
        .unwrap_or("invalid arguments")
        .trim_start_matches("error: ")
        .to_string();
    let rest: Vec<&str> = lines.collect();
    if rest.is_empty() {
        Error::Usage(first)
    } else {
        Error::Usage(format!("{first}\n{}", rest.join("\n")))
    }
}

/// clap's message for a command line a front end built, first line, without "error: ".
pub fn first_line(e: &clap::Error) -> String {
    let text = e.to_string();
    text.lines()
        .next()
        .unwrap_or("invalid arguments")
        .trim_start_matches("error: ")
        .to_string()
}

impl From<clap::Error> for Error {
    fn from(e: clap::Error) -> Error {
        Error::Usage(first_line(&e))
    }
}
