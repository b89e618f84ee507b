//! `check --run`: a trace-based test. Run a command with a fresh W3C trace context, wait for
//! its trace to be complete in the source, check the rules on it; repeat, and compare with a
//! previous report. Exit 1 when a rule or the command failed (or the baseline comparison),
//! 2 when a trace never arrived complete (no finding was made), 3 when the source is
//! unreachable.

use std::collections::BTreeSet;

use crate::analysis::errors::error_origins;
use crate::analysis::stats::percentile_cont;
use crate::error::{exit, Error, Result};
use crate::model::ids::normalize_id;
use crate::model::{IndexedTrace, Trace};
use crate::report::check::{CheckDoc, CheckResultDoc, CheckTraceDoc};
use crate::report::check_run::{BaselineComparisonDoc, CheckRunDoc, RunDoc, RunStatsDoc};
use crate::report::Document;

use super::check_rules::{check_trace, cleaner, load_rules, thresholds};
use super::options::{CheckRequest, RunRequest};
use super::poll::{wait_for, Stop};
use super::run_command::{self, CommandRun};
use super::trace_context::TraceContext;
use super::{Options, Outcome};

fn ms(ns: i64) -> f64 {
    (ns.max(0) / 1_000) as f64 / 1_000.0
}

/// Run, wait, check — `repeat` times — and build the `check` document with its run part.
pub fn build(opts: &Options, args: &CheckRequest, run: &RunRequest) -> Result<Outcome> {
    match opts.source.as_deref() {
        None | Some("-") => {
            return Err(Error::Usage(
                "check --run needs --source naming where the traces arrive (a file the exporter appends to, jaeger+http://…, tempo+http://…)".into(),
            ))
        }
        Some(_) => {}
    }
    let rules = load_rules(args)?;
    // Read the baseline before running anything: a typo should not cost the runs.
    let baseline = run
        .baseline_report
        .as_deref()
        .map(|path| read_baseline(path).map(|b| (path, b)))
        .transpose()?;
    let th = thresholds(args, &rules);
    let clean = cleaner(opts);
    let mut traces = Vec::new();
    let mut runs = Vec::new();
    let mut incomplete_code = exit::OK;
    for i in 1..=run.repeat {
        let ctx = TraceContext::generate();
        let command = run_command::run(&ctx.substitute(&run.command), &ctx)?;
        let waited = wait_for(opts, &ctx, run, !command.succeeded())?;
        let mut doc = run_doc(i, &ctx, &command, &clean);
        doc.polls = waited.polls;
        doc.spans_seen = waited.last.spans();
        doc.waited_ms = ms(waited.waited_ns);
        doc.stopped = waited.stop.as_str().into();
        doc.last_state = waited.last.describe();
        let mut trace_doc = match (&waited.trace, waited.stop) {
            (Some(trace), Stop::Complete) => {
                let t = IndexedTrace::new(
                    detach_remote_parent(trace.clone(), &ctx),
                    args.analysis.max_skew,
                );
                let root = t
                    .tree
                    .main_root(&t.trace)
                    .and_then(|r| t.trace.spans.get(r));
                doc.root_duration_ms = root.map(|s| ms(s.duration_ns));
                doc.error_spans = t.trace.spans.iter().filter(|s| s.is_error()).count();
                doc.error_origins = origins(&t).into_iter().map(&clean).collect();
                check_trace(t, &rules, &th, &clean)
            }
            _ => {
                incomplete_code = exit::INPUT;
                CheckTraceDoc {
                    trace_id: ctx.trace_id.clone(),
                    root_service: None,
                    root_operation: None,
                    duration_ms: None,
                    passed: false,
                    error: Some(clean(waited.incomplete_reason(run.max_wait_ns))),
                    results: Vec::new(),
                }
            }
        };
        if !command.succeeded() {
            trace_doc.passed = false;
            trace_doc
                .results
                .insert(0, command_result(&command, &clean));
        }
        traces.push(trace_doc);
        runs.push(doc);
    }
    let stats = stats(&runs);
    let baseline = baseline.map(|(path, b)| compare(path, &b, &stats, run.max_regression));
    let run_doc = CheckRunDoc {
        command: clean(run.command.clone()),
        settle_ms: ms(run.settle_ns),
        max_wait_ms: ms(run.max_wait_ns),
        repeat: run.repeat,
        runs,
        stats,
        baseline,
    };
    let doc =
        CheckDoc::new(rules.iter().map(|r| r.text.clone()).collect(), traces).with_run(run_doc);
    // A failure is a finding (1); a trace that never came is no finding at all (2).
    let code = if doc.counts.failed > 0 {
        exit::FINDINGS
    } else {
        incomplete_code
    };
    Ok(Outcome {
        document: Document::Check(Box::new(doc)),
        code,
        note: None,
    })
}

/// The root's parent is the span id of the traceparent we made up: no span will ever have
/// it, so it is no broken propagation. The root is made a root, or `no-broken-trace` and the
/// tree would take it for an orphan.
fn detach_remote_parent(mut trace: Trace, ctx: &TraceContext) -> Trace {
    for s in trace.spans_mut().iter_mut() {
        if s.parent_id
            .as_deref()
            .is_some_and(|p| normalize_id(p) == ctx.parent_span_id)
        {
            s.parent_id = None;
        }
    }
    trace
}

fn run_doc(
    i: usize,
    ctx: &TraceContext,
    command: &CommandRun,
    clean: &dyn Fn(String) -> String,
) -> RunDoc {
    RunDoc {
        run: i,
        trace_id: ctx.trace_id.clone(),
        traceparent: ctx.traceparent(),
        exit_status: command.status,
        signal: command.signal,
        command_ms: ms(command.duration_ns),
        stderr_tail: command.stderr_tail.iter().cloned().map(clean).collect(),
        polls: 0,
        spans_seen: 0,
        waited_ms: 0.0,
        stopped: String::new(),
        last_state: String::new(),
        root_duration_ms: None,
        error_spans: 0,
        error_origins: Vec::new(),
    }
}

/// The command's failure as a failed check, its stderr as the evidence.
fn command_result(command: &CommandRun, clean: &dyn Fn(String) -> String) -> CheckResultDoc {
    CheckResultDoc {
        rule: "command succeeds".into(),
        name: None,
        passed: false,
        message: format!("the command ended with {}", command.describe()),
        evidence: command.stderr_tail.iter().cloned().map(clean).collect(),
    }
}

/// `service.operation` of every error origin, sorted and unique.
fn origins(t: &IndexedTrace) -> Vec<String> {
    let set: BTreeSet<String> = error_origins(t)
        .into_iter()
        .filter_map(|o| t.trace.spans.get(o.origin))
        .map(|s| format!("{}.{}", s.service, s.operation))
        .collect();
    set.into_iter().collect()
}

fn stats(runs: &[RunDoc]) -> RunStatsDoc {
    let mut durations: Vec<i64> = runs
        .iter()
        .filter_map(|r| r.root_duration_ms)
        .map(|v| (v * 1e6) as i64)
        .collect();
    durations.sort_unstable();
    let origins: BTreeSet<String> = runs
        .iter()
        .flat_map(|r| r.error_origins.iter().cloned())
        .collect();
    RunStatsDoc {
        runs: runs.len(),
        complete: runs.iter().filter(|r| r.stopped == "complete").count(),
        root_duration_p95_ms: percentile_cont(&durations, 0.95).map(|ns| ms(ns as i64)),
        error_spans: runs.iter().map(|r| r.error_spans).sum(),
        runs_with_errors: runs.iter().filter(|r| r.error_spans > 0).count(),
        error_origins: origins.into_iter().collect(),
    }
}

/// What a previous report says: its p95 and its error origins.
#[derive(Debug, Clone, PartialEq)]
struct Baseline {
    p95_ms: Option<f64>,
    error_origins: Vec<String>,
}

fn read_baseline(path: &str) -> Result<Baseline> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
        what: path.to_string(),
        source: e,
    })?;
    parse_baseline(&text).map_err(|m| Error::input(path, m))
}

fn parse_baseline(text: &str) -> std::result::Result<Baseline, String> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not a JSON report: {e}"))?;
    let stats = v
        .get("run")
        .and_then(|r| r.get("stats"))
        .filter(|_| v.get("command").and_then(|c| c.as_str()) == Some("check"))
        .ok_or("not a `check --run --format json` report (no run.stats)")?;
    let error_origins = stats
        .get("error_origins")
        .and_then(|o| o.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    Ok(Baseline {
        p95_ms: stats.get("root_duration_p95_ms").and_then(|p| p.as_f64()),
        error_origins,
    })
}

/// The ratchet: the p95 may not grow more than `max_regression`, no error origin may be new.
fn compare(
    path: &str,
    base: &Baseline,
    now: &RunStatsDoc,
    max_regression: f64,
) -> BaselineComparisonDoc {
    let growth = match (base.p95_ms, now.root_duration_p95_ms) {
        (Some(a), Some(b)) if a > 0.0 => Some(b / a - 1.0),
        _ => None,
    };
    let new_error_origins: Vec<String> = now
        .error_origins
        .iter()
        .filter(|o| !base.error_origins.contains(o))
        .cloned()
        .collect();
    let mut failures = Vec::new();
    if let (Some(g), Some(a), Some(b)) = (growth, base.p95_ms, now.root_duration_p95_ms) {
        if g > max_regression {
            failures.push(format!(
                "root duration p95 grew {:.1}% ({a:.1}ms -> {b:.1}ms), more than {:.0}%",
                g * 100.0,
                max_regression * 100.0
            ));
        }
    }
    if !new_error_origins.is_empty() {
        failures.push(format!(
            "new error origin(s): {}",
            new_error_origins.join(", ")
        ));
    }
    BaselineComparisonDoc {
        path: path.to_string(),
        baseline_p95_ms: base.p95_ms,
        p95_ms: now.root_duration_p95_ms,
        growth,
        max_regression,
        new_error_origins,
        passed: failures.is_empty(),
        failures,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats_of(p95: Option<f64>, origins: &[&str]) -> RunStatsDoc {
        RunStatsDoc {
            root_duration_p95_ms: p95,
            error_origins: origins.iter().map(|s| s.to_string()).collect(),
            ..RunStatsDoc::default()
        }
    }

    #[test]
    fn the_ratchet_fails_on_growth_and_new_origins() {
        let base = Baseline {
            p95_ms: Some(100.0),
            error_origins: vec!["db.query".into()],
        };
        let ok = compare("b.json", &base, &stats_of(Some(119.0), &["db.query"]), 0.2);
        assert!(ok.passed, "{:?}", ok.failures);
        let slow = compare("b.json", &base, &stats_of(Some(130.0), &[]), 0.2);
        assert!(!slow.passed);
        assert_eq!(
            slow.failures,
            vec!["root duration p95 grew 30.0% (100.0ms -> 130.0ms), more than 20%"]
        );
        let new = compare(
            "b.json",
            &base,
            &stats_of(Some(90.0), &["api.pay", "db.query"]),
            0.2,
        );
        assert_eq!(new.new_error_origins, vec!["api.pay"]);
        assert_eq!(new.failures.len(), 1);
    }

    #[test]
    fn baseline_reports_are_read_from_check_run_json() {
        let text = r#"{"schema_version":"1","command":"check","run":{"stats":{"root_duration_p95_ms":12.5,"error_origins":["a.b"]}}}"#;
        assert_eq!(
            parse_baseline(text),
            Ok(Baseline {
                p95_ms: Some(12.5),
                error_origins: vec!["a.b".into()]
            })
        );
        let plain = r#"{"schema_version":"1","command":"check","traces":[]}"#;
        assert!(parse_baseline(plain).is_err_and(|e| e.contains("no run.stats")));
        assert!(parse_baseline("{").is_err());
    }

    #[test]
    fn p95_over_runs() {
        let run = |d: Option<f64>, errors: usize| RunDoc {
            root_duration_ms: d,
            error_spans: errors,
            stopped: if d.is_some() { "complete" } else { "max-wait" }.into(),
            ..run_doc(
                1,
                &TraceContext::from_bytes(&[1; 24]),
                &CommandRun {
                    status: Some(0),
                    signal: None,
                    stderr_tail: vec![],
                    duration_ns: 0,
                },
                &|s| s,
            )
        };
        let runs: Vec<RunDoc> = (1..=20)
            .map(|i| run(Some(i as f64), usize::from(i == 3)))
            .chain([run(None, 0)])
            .collect();
        let s = stats(&runs);
        assert_eq!((s.runs, s.complete), (21, 20));
        assert_eq!(s.root_duration_p95_ms, Some(19.05));
        assert_eq!((s.error_spans, s.runs_with_errors), (1, 1));
    }
}
