//! The part of the `check` document a trace-based test (`check --run`) adds: the command and
//! how it ended, how the trace was waited for, the statistics over repeated runs, and the
//! comparison with a previous report.

#![warn(missing_docs)]

use serde::Serialize;

use super::text::{clean, md, truncate};

/// What `check --run` ran and saw.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CheckRunDoc {
    /// The command as given, placeholders not substituted (masked like any printed text).
    pub command: String,
    /// `--settle`: how long the span count had to stay unchanged.
    pub settle_ms: f64,
    /// `--max-wait`: how long a run waited for its trace at most.
    pub max_wait_ms: f64,
    /// `--repeat`: how many times the command ran.
    pub repeat: usize,
    /// One entry per run, in order; its trace is the `traces` entry with the same trace id.
    pub runs: Vec<RunDoc>,
    /// Over all runs.
    pub stats: RunStatsDoc,
    /// `--baseline-report`: the comparison with a previous report.
    pub baseline: Option<BaselineComparisonDoc>,
}

/// One run of the command and the wait for its trace.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RunDoc {
    /// 1-based.
    pub run: usize,
    /// The trace id generated for the run.
    pub trace_id: String,
    /// The `traceparent` the command was given.
    pub traceparent: String,
    /// The command's exit status; null when a signal ended it.
    pub exit_status: Option<i32>,
    /// The signal that ended the command, when one did.
    pub signal: Option<i32>,
    /// How long the command ran.
    pub command_ms: f64,
    /// The last lines of the command's stderr (at most 10, each cut to 200 characters).
    pub stderr_tail: Vec<String>,
    /// Reads of the source.
    pub polls: usize,
    /// Spans of the trace seen at the last read.
    pub spans_seen: usize,
    /// From the command's end to the last read.
    pub waited_ms: f64,
    /// Why waiting stopped: `complete`, `max-wait` or `command-failed` (the command failed and
    /// no span arrived within the settle time).
    pub stopped: String,
    /// What the last read saw, in words.
    pub last_state: String,
    /// The duration of the trace's root span, when the trace was complete.
    pub root_duration_ms: Option<f64>,
    /// Error spans in the trace.
    pub error_spans: usize,
    /// Where errors started, as `service.operation`, sorted.
    pub error_origins: Vec<String>,
}

/// Over all runs of `check --run`.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct RunStatsDoc {
    /// Runs made.
    pub runs: usize,
    /// Runs whose trace arrived complete.
    pub complete: usize,
    /// p95 of the root span's duration over the complete runs (linear interpolation).
    pub root_duration_p95_ms: Option<f64>,
    /// Error spans, summed over the runs.
    pub error_spans: usize,
    /// Runs whose trace had an error span.
    pub runs_with_errors: usize,
    /// Every error origin (`service.operation`) of any run, sorted.
    pub error_origins: Vec<String>,
}

/// `--baseline-report`: this run against a previous report.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct BaselineComparisonDoc {
    /// The previous report's path.
    pub path: String,
    /// The previous report's root-duration p95.
    pub baseline_p95_ms: Option<f64>,
    /// This run's root-duration p95.
    pub p95_ms: Option<f64>,
    /// Growth of the p95 as a fraction (0.25 = 25 % slower); null without both p95s.
    pub growth: Option<f64>,
    /// `--max-regression` as a fraction.
    pub max_regression: f64,
    /// Error origins in this run that the previous report did not have.
    pub new_error_origins: Vec<String>,
    /// True when neither the p95 grew too much nor an error origin is new.
    pub passed: bool,
    /// One line per way it failed.
    pub failures: Vec<String>,
}

fn secs(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{:.1}s", ms / 1000.0)
    } else {
        format!("{ms:.0}ms")
    }
}

impl RunDoc {
    /// `exit status 0` / `killed by signal 9`.
    pub fn exit_text(&self) -> String {
        match (self.exit_status, self.signal) {
            (Some(c), _) => format!("exit status {c}"),
            (None, Some(s)) => format!("killed by signal {s}"),
            (None, None) => "no exit status".into(),
        }
    }

    /// One line for the table: how the command ended and how the wait went (what the
    /// last read saw is the trace's error line when it did not complete).
    pub fn line(&self) -> String {
        let wait = if self.stopped == "complete" {
            format!("{} span(s) complete", self.spans_seen)
        } else {
            clean(&self.stopped)
        };
        truncate(
            &format!(
                "run {}: {} in {}; {wait} after {} poll(s) ({})",
                self.run,
                self.exit_text(),
                secs(self.command_ms),
                self.polls,
                secs(self.waited_ms)
            ),
            76,
        )
    }
}

impl CheckRunDoc {
    /// Lines for the table, before the summary: the command, the stats over runs, the
    /// baseline comparison.
    pub fn table_lines(&self) -> Vec<String> {
        let s = &self.stats;
        let mut out = vec![format!("command: {}", truncate(&clean(&self.command), 70))];
        let p95 = s
            .root_duration_p95_ms
            .map_or("-".to_string(), |v| format!("{v:.1}ms"));
        out.push(format!(
            "runs: {} ({} complete); root p95 {p95}; {} error span(s) in {} run(s)",
            s.runs, s.complete, s.error_spans, s.runs_with_errors
        ));
        if let Some(b) = &self.baseline {
            out.push(truncate(&clean(&b.line()), 79));
            for f in &b.failures {
                out.push(format!("  {}", truncate(&clean(f), 77)));
            }
        }
        out
    }

    /// The same for Markdown.
    pub fn markdown(&self) -> String {
        let mut s = format!(
            "Command: `{}`; {}\n",
            md(&self.command).replace('`', "'"),
            md(&self.table_lines()[1])
        );
        if let Some(b) = &self.baseline {
            s.push_str(&format!("\n{}\n", md(&b.line())));
            for f in &b.failures {
                s.push_str(&format!("- {}\n", md(f)));
            }
        }
        s
    }
}

impl BaselineComparisonDoc {
    /// `baseline: PASS p95 45.0ms → 47.2ms (+4.9%, max +20%), no new error origin`
    pub fn line(&self) -> String {
        let p95 = match (self.baseline_p95_ms, self.p95_ms, self.growth) {
            (Some(a), Some(b), Some(g)) => format!(
                "p95 {a:.1}ms -> {b:.1}ms ({:+.1}%, max +{:.0}%)",
                g * 100.0,
                self.max_regression * 100.0
            ),
            _ => "p95 not comparable".into(),
        };
        let origins = if self.new_error_origins.is_empty() {
            "no new error origin".to_string()
        } else {
            format!("{} new error origin(s)", self.new_error_origins.len())
        };
        format!(
            "baseline: {} {p95}, {origins}",
            if self.passed { "PASS" } else { "FAIL" }
        )
    }
}
