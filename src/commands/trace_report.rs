//! The single-trace commands: diagnose, gaps, root-cause, timeline, summary. They share the
//! whole pipeline and differ only in the section they render.

use crate::analysis::{diagnose, Thresholds};
use crate::cli::{AnalysisArgs, Cli, TraceArgs};
use crate::error::{exit, Result};
use crate::model::IndexedTrace;
use crate::report::{self, RenderOptions};

use super::output::write_stdout;
use super::select::load_trace;

#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Diagnose,
    Gaps,
    RootCause,
    Timeline,
    Summary,
}

pub fn run(cli: &Cli, args: &TraceArgs, kind: Kind, color: bool) -> Result<i32> {
    let text = render(cli, args, kind, color)?;
    if !cli.global.quiet {
        write_stdout(&text)?;
    }
    Ok(exit::OK)
}

/// The report in `cli.global.format`, without printing it (the MCP server uses it).
pub fn render(cli: &Cli, args: &TraceArgs, kind: Kind, color: bool) -> Result<String> {
    let trace = load_trace(&cli.global, args.trace_id.as_deref())?;
    let max_skew = (!args.analysis.no_skew_adjust).then_some(args.analysis.max_skew);
    let indexed = IndexedTrace::new(trace, max_skew);
    let diagnosis = diagnose(&indexed, &thresholds(&args.analysis));
    let options = RenderOptions {
        color,
        wide: args.output.wide,
        width: 80,
        max_spans: args.output.max_spans,
        max_tokens: cli.global.llm.max_tokens,
    };
    let format = cli.global.format;
    let text = match kind {
        Kind::Diagnose => report::diagnose(&indexed, &diagnosis, format, &options),
        Kind::Gaps => report::gaps(&indexed, &diagnosis, format, &options),
        Kind::RootCause => report::root_cause(&indexed, &diagnosis, format, &options),
        Kind::Timeline => report::timeline(&indexed, &diagnosis, format, &options),
        Kind::Summary => report::summary(&indexed, &diagnosis, format, &options),
    };
    Ok(text)
}

pub fn thresholds(a: &AnalysisArgs) -> Thresholds {
    Thresholds {
        slow_factor: a.slow_factor,
        gap_ns: a.gap_threshold,
        network_gap_ns: a.network_gap,
        network_share: a.network_share,
        slow_span_ns: a.slow_span,
        repeat_min: a.repeat_min,
    }
}
