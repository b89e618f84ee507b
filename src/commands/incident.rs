//! `root-cause --window`: rank the services that explain what changed between a baseline
//! and a window of traces.

use crate::analysis::attributes::{compare_attributes, AttributeOptions};
use crate::analysis::incident::rank;
use crate::error::{Error, Result};
use crate::model::IndexedTrace;
use crate::report::attributes::AttributesDoc;
use crate::report::document::WindowReport;
use crate::report::Document;
use crate::source::config::Config;
use crate::source::search::now_ns;
use crate::source::spec::SourceSpec;

use super::options::WindowRequest;
use super::select::{open_source, open_spec};
use super::window::{parse_range, traces_in, Range};
use super::{Options, Outcome};

pub fn build(opts: &Options, inc: &WindowRequest) -> Result<Outcome> {
    let now = now_ns();
    let window_text = inc.window.as_str();
    let window = parse_range(window_text, "--window", now)?;
    let baseline = match inc.baseline.as_deref() {
        Some(b) => parse_range(b, "--baseline", now)?,
        None => Range {
            start_ns: window.start_ns.saturating_sub(window.len_ns()),
            end_ns: window.start_ns,
        },
    };
    let g = opts;
    let source = open_source(opts)?;
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
    if !inc.baseline_sources.is_empty() {
        let config = Config::load()?;
        for s in &inc.baseline_sources {
            let (spec, settings) = SourceSpec::resolve(s, &config)?;
            let extra = open_spec(opts, &spec, &settings)?;
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
    let max_skew = inc.analysis.max_skew;
    let index = |v: Vec<crate::model::Trace>| -> Vec<IndexedTrace> {
        v.into_iter()
            .map(|t| IndexedTrace::new(t, max_skew))
            .collect()
    };
    let (win, base) = (index(win), index(base));
    let incident = rank(&win, &base);
    let attributes = (!base.is_empty()).then(|| {
        let (a, b): (Vec<&IndexedTrace>, Vec<&IndexedTrace>) =
            (win.iter().collect(), base.iter().collect());
        let c = compare_attributes(&a, &b, &AttributeOptions::default());
        AttributesDoc::new(&c, source.describe(), "the window", "the baseline")
    });
    if incident.baseline_traces == 0 && !g.quiet {
        eprintln!("tracediag: warning: no baseline traces; give --baseline or --baseline-source");
    }
    Ok(Outcome::ok(Document::Window(Box::new(WindowReport {
        incident,
        window,
        baseline,
        sources,
        attributes,
    }))))
}
