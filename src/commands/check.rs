//! `check`: assert rules on traces for CI. Exit 0 when every rule passed on every trace, 1
//! when a rule failed, 2 on a usage or input error (bad rule, unknown trace), 3 when the source
//! is unreachable.

use std::io::Write;

use crate::error::{exit, Error, Result};
use crate::model::{IndexedTrace, Trace};
use crate::report::check::{self as view, CheckDoc, CheckTraceDoc};
use crate::report::{junit, Document, Format};
use crate::source::backend::fetch_many;
use crate::source::search::StatusFilter;

use super::check_rules::{check_trace, cleaner, load_rules, thresholds};
use super::options::CheckRequest;
use super::select::open_unmasked;
use super::{Options, Outcome};

/// Check, then write the JUnit report and the GitHub annotations the run asked for.
pub fn run(opts: &Options, req: &CheckRequest) -> Result<Outcome> {
    let mut outcome = build(opts, req)?;
    let Document::Check(doc) = &outcome.document else {
        return Ok(outcome);
    };
    if let Some(path) = &req.junit {
        super::interrupt::write_atomic(std::path::Path::new(path), junit::render(doc).as_bytes())?;
    }
    if opts.format != Format::Table {
        // stdout is for machines; the verdict still reaches the person.
        outcome.note = Some(doc.summary.clone());
    }
    if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
        eprint!("{}", view::github_annotations(doc));
        if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
            // Best effort: a missing step summary must not fail the check itself.
            if let Ok(mut f) = std::fs::OpenOptions::new()
                .append(true)
                .create(true)
                .open(path)
            {
                let _ = f.write_all(view::markdown(doc).as_bytes());
            }
        }
    }
    Ok(outcome)
}

/// Evaluate every rule on every target; the document and the exit code.
pub fn build(opts: &Options, args: &CheckRequest) -> Result<Outcome> {
    if let Some(run) = &args.run {
        return super::check_run::build(opts, args, run);
    }
    let rules = load_rules(args)?;
    // Parse the cohort filter before reading anything: a typo should not cost a fetch.
    let now = crate::source::search::now_ns();
    let cohort = args
        .cohort
        .as_deref()
        .map(|text| {
            crate::analysis::filter::parse(text, now).map_err(|e| {
                Error::Usage(format!(
                    "--cohort '{text}': {e}; see `tracediag cohorts --help` for the filter language"
                ))
            })
        })
        .transpose()?;
    let fetched = targets(opts, args, cohort.as_ref(), now)?;
    let th = thresholds(args, &rules);
    let max_skew = args.analysis.max_skew;
    let clean = cleaner(opts);
    let mut worst_error = exit::OK;
    let mut docs = Vec::new();
    for (id, trace) in fetched {
        match trace {
            Err(e) => {
                worst_error = worst_error.max(e.exit_code());
                docs.push(CheckTraceDoc {
                    trace_id: id,
                    root_service: None,
                    root_operation: None,
                    duration_ms: None,
                    passed: false,
                    error: Some(clean(e.to_string())),
                    results: Vec::new(),
                });
            }
            Ok(trace) => docs.push(check_trace(
                IndexedTrace::new(trace, max_skew),
                &rules,
                &th,
                &clean,
            )),
        }
    }
    let doc = CheckDoc::new(rules.iter().map(|r| r.text.clone()).collect(), docs);
    let code = if worst_error != exit::OK {
        worst_error
    } else if doc.passed {
        exit::OK
    } else {
        exit::FINDINGS
    };
    Ok(Outcome {
        document: Document::Check(Box::new(doc)),
        code,
        note: None,
    })
}

/// The traces to check: a cohort's, a search's, the named ones, or the source's only one.
fn targets(
    opts: &Options,
    args: &CheckRequest,
    cohort: Option<&crate::analysis::filter::Filter>,
    now: i64,
) -> Result<Vec<(String, Result<Trace>)>> {
    // Rules see the trace as recorded; what is printed is masked below.
    let source = open_unmasked(opts)?;
    let fetched: Vec<(String, Result<Trace>)> = if let Some(filter) = cohort {
        // Files are exports of the past: all their traces. Remote sources: the last hour.
        let range = match source.loaded() {
            Some(_) => None,
            None => Some(super::window::parse_range("1h..now", "--cohort", now)?),
        };
        let traces =
            super::window::traces_in(source.as_ref(), range, args.limit, opts.quiet, opts.verbose)?;
        let selected: Vec<(String, Result<Trace>)> = traces
            .into_iter()
            .filter(|t| filter.matches(t))
            .map(|t| (t.id.clone(), Ok(t)))
            .collect();
        if selected.is_empty() {
            return Err(Error::Usage(format!(
                "--cohort: no trace of {} matches the filter",
                source.describe()
            )));
        }
        selected
    } else if let Some(q) = &args.search {
        let mut hits = source.search(q)?;
        if q.status == Some(StatusFilter::Ok) {
            hits.retain(|h| h.error_count.is_none_or(|n| n == 0));
        }
        if hits.is_empty() {
            return Err(Error::Usage(format!(
                "the search found no traces to check in {}",
                source.describe()
            )));
        }
        let ids: Vec<String> = hits.into_iter().map(|h| h.trace_id).collect();
        let traces = fetch_many(source.as_ref(), &ids, opts.quiet);
        ids.into_iter().zip(traces).collect()
    } else if !args.trace_ids.is_empty() {
        let traces = fetch_many(source.as_ref(), &args.trace_ids, opts.quiet);
        args.trace_ids.iter().cloned().zip(traces).collect()
    } else {
        let t = source.only_trace()?;
        vec![(t.id.clone(), Ok(t))]
    };
    Ok(fetched)
}
