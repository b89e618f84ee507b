//! `cohorts`: compare two groups of traces selected by filters.

use crate::analysis::attributes::{compare_attributes, AttributeOptions};
use crate::analysis::cohort::{compare, default_split, folded_lines, CohortComparison};
use crate::analysis::filter::{parse, Filter};
use crate::error::{Error, Result};
use crate::model::IndexedTrace;
use crate::report::attributes::AttributesDoc;
use crate::report::coverage::Coverage;
use crate::report::document::CohortsReport;
use crate::report::Document;
use crate::source::search::now_ns;

use super::options::CohortRequest;
use super::select::open_source;
use super::window::{parse_range, traces_in};
use super::{Options, Outcome};

fn filter(flag: &str, text: &str, now: i64) -> Result<Filter> {
    parse(text, now).map_err(|e| {
        Error::Usage(format!(
            "{flag} '{text}': {e}; see `tracediag cohorts --help` for the filter language"
        ))
    })
}

pub fn build(opts: &Options, args: &CohortRequest) -> Result<Outcome> {
    let now = now_ns();
    let g = opts;
    // Parse the filters before reading anything: a typo should not cost a fetch.
    let fa = args
        .a
        .as_deref()
        .map(|t| filter("--a", t, now))
        .transpose()?;
    let fb = args
        .b
        .as_deref()
        .map(|t| filter("--b", t, now))
        .transpose()?;
    let source = open_source(opts)?;
    let range = match args.window.as_deref() {
        Some(w) => Some(parse_range(w, "--window", now)?),
        None if source.loaded().is_none() => Some(parse_range("1h..now", "--window", now)?),
        None => None,
    };
    let traces: Vec<IndexedTrace> =
        traces_in(source.as_ref(), range, args.max_traces, g.quiet, g.verbose)?
            .into_iter()
            .map(|t| IndexedTrace::new(t, Some(1_000_000_000)))
            .collect();
    let durations: Vec<i64> = traces.iter().map(|t| t.trace.duration_ns()).collect();
    let (da, db) = default_split(&durations);
    if args.by_attributes {
        return attributes(&traces, (&fa, &fb), &da, args, source.describe());
    }
    let pick = |f: &Option<Filter>, default: &[usize]| -> Vec<&IndexedTrace> {
        match f {
            Some(f) => traces.iter().filter(|t| f.matches(&t.trace)).collect(),
            None => default.iter().filter_map(|&i| traces.get(i)).collect(),
        }
    };
    let (a, b) = (pick(&fa, &da), pick(&fb, &db));
    for (name, set) in [("A", &a), ("B", &b)] {
        if set.is_empty() {
            return Err(Error::Usage(format!(
                "cohort {name} is empty: no trace of {} matches its filter; loosen it",
                source.describe()
            )));
        }
    }
    let c = compare(&a, &b);
    let mut coverage = Coverage::default();
    let spans: usize = a.iter().chain(&b).map(|t| t.trace.spans.len()).sum();
    coverage.add(
        "cohorts (critical paths, self times)",
        false,
        (a.len() + b.len()) as u64,
        spans as u64,
    );
    let a_text = args.a.as_deref().unwrap_or("slowest 5%");
    let b_text = args.b.as_deref().unwrap_or("median band (p45-p55)");
    if args.svg.is_some() || args.folded.is_some() {
        let diff = differential(&c)?;
        if let Some(path) = &args.folded {
            write_file(path, &diff)?;
        }
        if let Some(path) = &args.svg {
            write_file(path, &svg(&diff, a_text, b_text)?)?;
        }
    }
    Ok(Outcome::ok(Document::Cohorts(Box::new(CohortsReport {
        comparison: c,
        a: a_text.to_string(),
        b: b_text.to_string(),
        coverage,
    }))))
}

/// `--by attributes`: A as for operations; B, unless given, every trace not in A (the
/// question is what the selected requests share that the others do not).
fn attributes(
    traces: &[IndexedTrace],
    (fa, fb): (&Option<Filter>, &Option<Filter>),
    default_a: &[usize],
    args: &CohortRequest,
    source: String,
) -> Result<Outcome> {
    let in_a: Vec<bool> = match fa {
        Some(f) => traces.iter().map(|t| f.matches(&t.trace)).collect(),
        None => {
            let mut v = vec![false; traces.len()];
            for &i in default_a {
                if let Some(x) = v.get_mut(i) {
                    *x = true;
                }
            }
            v
        }
    };
    let a: Vec<&IndexedTrace> = traces
        .iter()
        .zip(&in_a)
        .filter(|(_, &x)| x)
        .map(|(t, _)| t)
        .collect();
    let b: Vec<&IndexedTrace> = match fb {
        Some(f) => traces.iter().filter(|t| f.matches(&t.trace)).collect(),
        None => traces
            .iter()
            .zip(&in_a)
            .filter(|(_, &x)| !x)
            .map(|(t, _)| t)
            .collect(),
    };
    for (name, set) in [("A", &a), ("B", &b)] {
        if set.is_empty() {
            return Err(Error::Usage(format!(
                "cohort {name} is empty: no trace of {source} matches its filter; loosen it"
            )));
        }
    }
    let c = compare_attributes(&a, &b, &AttributeOptions::default());
    let a_text = args.a.as_deref().unwrap_or("slowest 5%");
    let b_text = args.b.as_deref().unwrap_or("every other trace");
    let doc = AttributesDoc::new(&c, source, a_text, b_text);
    Ok(Outcome::ok(Document::Attributes(Box::new(doc))))
}

/// inferno's differential folding: `stack count_in_B count_in_A`.
fn differential(c: &CohortComparison) -> Result<Vec<u8>> {
    let (before, after) = (folded_lines(&c.b_folded), folded_lines(&c.a_folded));
    let mut out = Vec::new();
    inferno::differential::from_readers(
        inferno::differential::Options::default(),
        before.as_bytes(),
        after.as_bytes(),
        &mut out,
    )
    .map_err(|e| Error::Usage(format!("cannot fold the stacks: {e}")))?;
    // inferno emits the stacks in hash order; sorted, the same input gives the same file.
    let text = String::from_utf8_lossy(&out);
    let mut lines: Vec<&str> = text.lines().collect();
    lines.sort_unstable();
    let mut sorted = lines.join("\n");
    if !sorted.is_empty() {
        sorted.push('\n');
    }
    Ok(sorted.into_bytes())
}

fn svg(diff: &[u8], a: &str, b: &str) -> Result<Vec<u8>> {
    let mut opts = inferno::flamegraph::Options::default();
    opts.title = "Critical path: cohort A against cohort B".into();
    opts.subtitle = Some(format!("A: {a}  |  B: {b}  (red: more time in A)"));
    opts.count_name = "µs per trace".into();
    let text = String::from_utf8_lossy(diff);
    let mut out = Vec::new();
    if text.trim().is_empty() {
        return Err(Error::Usage(
            "no critical-path time to draw: the cohorts' traces have no duration".into(),
        ));
    }
    inferno::flamegraph::from_lines(&mut opts, text.lines(), &mut out)
        .map_err(|e| Error::Usage(format!("cannot draw the flame graph: {e}")))?;
    Ok(out)
}

fn write_file(path: &str, bytes: &[u8]) -> Result<()> {
    super::interrupt::write_atomic(std::path::Path::new(path), bytes)
}
