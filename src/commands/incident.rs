//! `root-cause --window`: rank the services that explain what changed between a baseline
//! and a window of traces.

use clap::Args;

use crate::analysis::incident::rank;
use crate::cli::{Cli, TraceArgs};
use crate::error::{exit, Error, Result};
use crate::model::IndexedTrace;
use crate::report::incident as render;
use crate::source::backend;
use crate::source::config::Config;
use crate::source::search::now_ns;
use crate::source::spec::SourceSpec;

use super::output::write_stdout;
use super::select::{http_options, open_source};
use super::window::{parse_range, traces_in, Range};

#[derive(Debug, Args)]
#[command(next_help_heading = "Window root cause")]
pub struct IncidentArgs {
    /// Rank services across the traces starting in this range instead of diagnosing one
    /// trace: `<from>..<to>`, RFC 3339 or relative (`-15m..now`).
    #[arg(long, value_name = "FROM..TO", conflicts_with = "trace_id")]
    pub window: Option<String>,

    /// What normal looked like: `<from>..<to>` (default: as long as the window, right before it).
    #[arg(long, value_name = "FROM..TO", requires = "window")]
    pub baseline: Option<String>,

    /// Take baseline traces (also) from this source: a file adds all its traces, a remote
    /// source those in the baseline range (repeatable).
    #[arg(long, value_name = "SRC", requires = "window")]
    pub baseline_source: Vec<String>,

    /// Most traces read for the window and for each baseline source.
    #[arg(long, default_value_t = 5000, value_name = "N", requires = "window")]
    pub max_traces: usize,
}

pub fn run(cli: &Cli, args: &TraceArgs, inc: &IncidentArgs) -> Result<i32> {
    let now = now_ns();
    let Some(window_text) = inc.window.as_deref() else {
        return Err(Error::Usage(
            "root-cause needs a trace id or --window <from>..<to>".into(),
        ));
    };
    let window = parse_range(window_text, "--window", now)?;
    let baseline = match inc.baseline.as_deref() {
        Some(b) => parse_range(b, "--baseline", now)?,
        None => Range {
            start_ns: window.start_ns.saturating_sub(window.len_ns()),
            end_ns: window.start_ns,
        },
    };
    let g = &cli.global;
    let source = open_source(g)?;
    let win = traces_in(
        source.as_ref(),
        Some(window),
        inc.max_traces,
        g.quiet,
        g.verbose,
    )?;
    let mut base = traces_in(
        source.as_ref(),
        Some(baseline),
        inc.max_traces,
        g.quiet,
        g.verbose,
    )?;
    let mut sources = vec![source.describe()];
    if !inc.baseline_source.is_empty() {
        let config = Config::load()?;
        for s in &inc.baseline_source {
            let (spec, settings) = SourceSpec::resolve(s, &config)?;
            let extra = backend::open(&spec, &http_options(g, &settings))?;
            // A file is an export made for the purpose: all of it is baseline.
            let range = spec.is_remote().then_some(baseline);
            base.extend(traces_in(
                extra.as_ref(),
                range,
                inc.max_traces,
                g.quiet,
                g.verbose,
            )?);
            sources.push(extra.describe());
        }
    }
    if win.is_empty() {
        return Err(Error::Usage(format!(
            "no traces start in the window {window_text} in {}; widen --window or check the source's time range",
            source.describe()
        )));
    }
    let max_skew = (!args.analysis.no_skew_adjust).then_some(args.analysis.max_skew);
    let index = |v: Vec<crate::model::Trace>| -> Vec<IndexedTrace> {
        v.into_iter()
            .map(|t| IndexedTrace::new(t, max_skew))
            .collect()
    };
    let incident = rank(&index(win), &index(base));
    if incident.baseline_traces == 0 && !g.quiet {
        eprintln!("tracediag: warning: no baseline traces; give --baseline or --baseline-source");
    }
    let period = |r: Range| render::Period {
        start_ns: r.start_ns,
        end_ns: r.end_ns,
    };
    let text = render::render(
        &incident,
        period(window),
        period(baseline),
        &sources,
        g.format,
    );
    if !g.quiet {
        write_stdout(&text)?;
    }
    Ok(exit::OK)
}
