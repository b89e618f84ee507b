//! `tracediag check` output: the JSON document, the terminal and Markdown views, and the
//! one-line summary CI logs show.

#![warn(missing_docs)]

use serde::Serialize;

use super::check_run::CheckRunDoc;
use super::markdown_table::{table as md_table, Col};
use super::text::{clean, md};
use super::{Format, SCHEMA_VERSION};

/// The document `check --format json` prints.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CheckDoc {
    /// Version of this layout.
    pub schema_version: &'static str,
    /// Always `check`.
    pub command: &'static str,
    /// True when every rule passed on every trace and no trace failed to load.
    pub passed: bool,
    /// The one-line summary, as printed for CI logs.
    pub summary: String,
    /// Counts over traces × rules.
    pub counts: CheckCounts,
    /// The rules, as written.
    pub rules: Vec<String>,
    /// One entry per trace checked, in the order they were named or found.
    pub traces: Vec<CheckTraceDoc>,
    /// `check --run` only: the command, the waits, the stats over runs, the baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<CheckRunDoc>,
}

/// Counts over traces × rules.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct CheckCounts {
    /// Traces checked (including those that failed to load).
    pub traces: usize,
    /// Rules per trace.
    pub rules: usize,
    /// Rule evaluations that passed.
    pub passed: usize,
    /// Rule evaluations that failed.
    pub failed: usize,
    /// Traces that could not be read (each counts as an error, not a failure).
    pub errors: usize,
}

/// The results of all rules on one trace.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CheckTraceDoc {
    /// The trace id as named or found.
    pub trace_id: String,
    /// Service of the root span, when the trace was read.
    pub root_service: Option<String>,
    /// Operation of the root span.
    pub root_operation: Option<String>,
    /// From the earliest span start to the latest span end.
    pub duration_ms: Option<f64>,
    /// True when every rule passed.
    pub passed: bool,
    /// Why the trace could not be read; `results` is then empty.
    pub error: Option<String>,
    /// One result per rule, in rule order.
    pub results: Vec<CheckResultDoc>,
}

/// One rule on one trace.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CheckResultDoc {
    /// The rule as written.
    pub rule: String,
    /// The rule's name from a rules file, when it has one.
    pub name: Option<String>,
    /// Whether the rule held.
    pub passed: bool,
    /// One line: what was measured or found.
    pub message: String,
    /// The facts behind a failure, one per entry (empty when passed).
    pub evidence: Vec<String>,
}

impl CheckDoc {
    /// Build the document and its summary line from the per-trace results.
    pub fn new(rules: Vec<String>, traces: Vec<CheckTraceDoc>) -> CheckDoc {
        let mut counts = CheckCounts {
            traces: traces.len(),
            rules: rules.len(),
            ..CheckCounts::default()
        };
        for t in &traces {
            if t.error.is_some() {
                counts.errors += 1;
            }
            for r in &t.results {
                if r.passed {
                    counts.passed += 1;
                } else {
                    counts.failed += 1;
                }
            }
        }
        let passed = counts.failed == 0 && counts.errors == 0;
        let summary = summary_line(&counts, &traces);
        CheckDoc {
            schema_version: SCHEMA_VERSION,
            command: "check",
            passed,
            summary,
            counts,
            rules,
            traces,
            run: None,
        }
    }

    /// Add what `check --run` ran; a failed baseline comparison counts as failed checks
    /// (one per way it failed) and is named in the summary.
    pub fn with_run(mut self, run: CheckRunDoc) -> CheckDoc {
        let baseline_failures = run
            .baseline
            .as_ref()
            .map(|b| b.failures.clone())
            .unwrap_or_default();
        self.counts.failed += baseline_failures.len();
        self.passed = self.counts.failed == 0 && self.counts.errors == 0;
        self.summary = summary_line(&self.counts, &self.traces);
        if let Some(first) = baseline_failures.first() {
            self.summary.push_str("; baseline: ");
            self.summary.push_str(&clean(first));
        }
        self.run = Some(run);
        self
    }
}

/// `tracediag check: FAILED 2 of 12 checks (3 traces × 4 rules); first: 2193 max-gap 5s: …`
fn summary_line(c: &CheckCounts, traces: &[CheckTraceDoc]) -> String {
    let checks = c.passed + c.failed;
    let shape = format!("{} trace(s) × {} rule(s)", c.traces, c.rules);
    if c.failed == 0 && c.errors == 0 {
        return format!("tracediag check: PASSED {checks} of {checks} checks ({shape})");
    }
    let mut s = format!(
        "tracediag check: FAILED {} of {checks} checks ({shape})",
        c.failed
    );
    if c.errors > 0 {
        s.push_str(&format!(", {} trace(s) unreadable", c.errors));
    }
    // Within a trace a failed check comes first: `check --run` can have both a failed
    // command and a trace that never arrived, and the failure is the finding.
    let first = traces.iter().find_map(|t| {
        let failed = t.results.iter().find(|r| !r.passed).map(|r| {
            format!(
                "{} {}: {}",
                t.trace_id,
                r.name.as_deref().unwrap_or(&r.rule),
                r.message
            )
        });
        failed.or_else(|| t.error.as_ref().map(|e| format!("{}: {}", t.trace_id, e)))
    });
    if let Some(f) = first {
        s.push_str("; first: ");
        s.push_str(&clean(&f));
    }
    s
}

/// For a terminal: one line per result, evidence indented under failures, the summary last.
pub fn table(doc: &CheckDoc) -> String {
    let mut out = String::new();
    for t in &doc.traces {
        let root = match (&t.root_service, &t.root_operation) {
            (Some(s), Some(o)) => format!(" ({}: {})", clean(s), clean(o)),
            _ => String::new(),
        };
        out.push_str(&format!("trace {}{root}\n", clean(&t.trace_id)));
        if let Some(r) = doc
            .run
            .as_ref()
            .and_then(|run| run.runs.iter().find(|r| r.trace_id == t.trace_id))
        {
            out.push_str(&format!("  {}\n", r.line()));
        }
        if let Some(e) = &t.error {
            out.push_str(&format!("  ERROR {}\n", clean(e)));
        }
        for r in &t.results {
            out.push_str(&format!(
                "  {} {} — {}\n",
                if r.passed { "PASS" } else { "FAIL" },
                clean(r.name.as_deref().unwrap_or(&r.rule)),
                clean(&r.message)
            ));
            for e in &r.evidence {
                out.push_str(&format!("       {}\n", clean(e)));
            }
        }
    }
    if let Some(run) = &doc.run {
        for line in run.table_lines() {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out.push_str(&doc.summary);
    out.push('\n');
    out
}

/// Markdown (also the llm format and the GitHub step summary).
pub fn markdown(doc: &CheckDoc) -> String {
    let mut rows: Vec<[String; 4]> = Vec::new();
    for t in &doc.traces {
        let id = format!("`{}`", md(&t.trace_id));
        if let Some(e) = &t.error {
            rows.push([id.clone(), "-".into(), "ERROR".into(), md(e)]);
        }
        for r in &t.results {
            let mut details = md(&r.message);
            for e in &r.evidence {
                details.push_str("<br>");
                details.push_str(&md(e));
            }
            rows.push([
                id.clone(),
                md(r.name.as_deref().unwrap_or(&r.rule)),
                if r.passed { "pass" } else { "**FAIL**" }.into(),
                details,
            ]);
        }
    }
    let cols = [
        Col::left("Trace"),
        Col::left("Rule"),
        Col::left("Result"),
        Col::left("Details"),
    ];
    let run = doc
        .run
        .as_ref()
        .map(|r| format!("{}\n", r.markdown()))
        .unwrap_or_default();
    format!(
        "## tracediag check: {}\n\n{}\n\n{run}{}",
        if doc.passed { "passed" } else { "FAILED" },
        md(&doc.summary),
        md_table(&cols, rows)
    )
}

/// GitHub Actions workflow commands, one `::error` per failure (shown as annotations).
pub fn github_annotations(doc: &CheckDoc) -> String {
    // Workflow commands end at a newline and treat `%` specially: escape as GitHub documents.
    let esc = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let mut out = String::new();
    for t in &doc.traces {
        if let Some(e) = &t.error {
            out.push_str(&format!(
                "::error title=tracediag check::trace {}: {}\n",
                esc(&t.trace_id),
                esc(e)
            ));
        }
        for r in t.results.iter().filter(|r| !r.passed) {
            out.push_str(&format!(
                "::error title=tracediag check::trace {}: {}: {}\n",
                esc(&t.trace_id),
                esc(r.name.as_deref().unwrap_or(&r.rule)),
                esc(&r.message)
            ));
        }
    }
    for f in doc
        .run
        .iter()
        .flat_map(|r| r.baseline.iter())
        .flat_map(|b| &b.failures)
    {
        out.push_str(&format!(
            "::error title=tracediag check::baseline: {}\n",
            esc(f)
        ));
    }
    out
}

/// The check's output in `format`.
pub fn render(doc: &CheckDoc, format: Format) -> String {
    match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(doc).unwrap_or_else(|e| {
                format!(
                    "{{\"schema_version\":\"1\",\"command\":\"check\",\"error\":{:?}}}",
                    e.to_string()
                )
            });
            s.push('\n');
            s
        }
        Format::Markdown | Format::Llm => markdown(doc),
        Format::Table => table(doc),
    }
}
