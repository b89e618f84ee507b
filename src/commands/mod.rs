//! Glue: open the source, run the analyses, and hand a `report::Document` to the one place
//! that renders and prints it ([`run`]). One file per group of subcommands; none of them
//! formats text or sees a flag — they take `Options` and return an [`Outcome`].

mod baseline;
mod check;
mod check_rules;
mod check_run;
mod cohorts;
mod compare;
mod incident;
pub mod interrupt;
pub mod options;
pub mod output;
mod poll;
pub mod prepared;
pub mod profile;
mod redacted;
mod run_command;
mod schema;
mod search;
mod select;
mod services;
mod settle;
mod similar;
mod span;
mod sql_schema;
mod stats;
mod trace_context;
mod trace_report;
mod window;

use crate::error::{exit, Result};
use crate::report::{Document, Format};

pub use options::{Action, Options};
pub use output::{capture, stream_stdout, write_stdout};
pub use schema::schemas;
pub use select::{http_options, open_named, open_source, open_spec};

/// What a command produced: the document to print, the exit code, and a line for stderr
/// after the document (e.g. `check`'s verdict when stdout is JSON).
pub struct Outcome {
    pub document: Document,
    pub code: i32,
    pub note: Option<String>,
}

impl Outcome {
    pub fn ok(document: Document) -> Outcome {
        Outcome {
            document,
            code: exit::OK,
            note: None,
        }
    }
}

/// Run the command `opts` describes, print its document in the chosen format (unless
/// `--quiet`) and return the exit code.
pub fn run(opts: &Options) -> Result<i32> {
    let outcome = match &opts.action {
        Action::Check(req) => check::run(opts, req)?,
        _ => build(opts)?,
    };
    if !opts.quiet {
        // A large report is written as it is serialised rather than built whole first.
        let streamed = opts.format == Format::Json
            && stream_stdout(|out| outcome.document.write_json(&opts.render, out))?;
        if !streamed {
            write_stdout(&outcome.document.render(opts.format, &opts.render))?;
        }
        if let Some(note) = &outcome.note {
            eprintln!("{note}");
        }
    }
    let code = outcome.code;
    // The process ends next: freeing a million-span trace and its report one allocation at
    // a time would cost a tenth of a second for nothing.
    std::mem::forget(outcome);
    Ok(code)
}

/// The document of the command `opts` describes, without printing it or writing any file
/// besides those the command is about (the MCP server renders it twice: JSON and llm).
pub fn build(opts: &Options) -> Result<Outcome> {
    match &opts.action {
        Action::Trace(req) => trace_report::build(opts, req),
        Action::Window(req) => incident::build(opts, req),
        Action::Search(req) => search::build(opts, req),
        Action::Cohorts(req) => cohorts::build(opts, req),
        Action::Services => services::services(opts),
        Action::Operations { service } => services::operations(opts, service),
        Action::Similar(req) => similar::build(opts, req),
        Action::Compare(req) => compare::build(opts, req),
        Action::Stats(req) => stats::build(opts, req),
        Action::Check(req) => check::build(opts, req),
        Action::Span(req) => span::build(opts, req),
        Action::Schema(req) => schema::build(opts, req),
        Action::ProfileTrigger(req) => profile::trigger::run(opts, req),
        Action::ProfileCompare(req) => profile::compare::run(opts, req),
    }
}
