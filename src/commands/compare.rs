//! `compare`: two traces, from one source or two (--source-b), aligned span by span.

use crate::analysis::compare::{compare, CompareOptions};
use crate::cli::{Cli, CompareArgs};
use crate::error::{exit, Result};
use crate::model::IndexedTrace;
use crate::report::compare::CompareDoc;
use crate::report::{self, RenderOptions};

use super::output::write_stdout;
use super::select::{open_named, open_source};

pub fn run(cli: &Cli, args: &CompareArgs, color: bool) -> Result<i32> {
    let source_a = open_source(&cli.global)?;
    let trace_a = source_a.trace(&args.trace_a)?;
    let (trace_b, describe_b) = match &args.source_b {
        Some(spec) => {
            let source_b = open_named(&cli.global, spec)?;
            (source_b.trace(&args.trace_b)?, source_b.describe())
        }
        None => (source_a.trace(&args.trace_b)?, source_a.describe()),
    };
    let max_skew = (!args.analysis.no_skew_adjust).then_some(args.analysis.max_skew);
    let a = IndexedTrace::new(trace_a, max_skew);
    let b = IndexedTrace::new(trace_b, max_skew);
    let options = CompareOptions {
        factor: args.factor,
        min_delta_ns: args.min_delta,
    };
    let c = compare(&a, &b, &options);
    let doc = CompareDoc::build(
        &a,
        &b,
        &c,
        (&source_a.describe(), &describe_b),
        args.max_rows,
    );
    let render = RenderOptions {
        color,
        wide: args.wide,
        ..RenderOptions::default()
    };
    let text = report::compare::compare(&doc, cli.global.format, &render);
    if !cli.global.quiet {
        write_stdout(&text)?;
    }
    Ok(exit::OK)
}
