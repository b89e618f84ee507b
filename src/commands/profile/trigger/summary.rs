//! The report of a finished `profile trigger` run: what each cohort holds, what went wrong
//! on the way (windows skipped, polls failed), and — only when both cohorts hold samples to
//! compare — the `profile compare` command to run next. An empty cohort says what to change.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::report::Format;
use crate::source::profile::cohort::Attribution;

/// What one finished cohort holds.
pub(super) struct CohortSummary {
    pub(super) dir: PathBuf,
    pub(super) units: usize,
    /// Distinct requests (a request in two windows counts once, as `profile compare` counts).
    pub(super) requests: usize,
    pub(super) samples: u64,
    pub(super) no_stack_samples: u64,
}

impl CohortSummary {
    fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "dir": self.dir.display().to_string(),
            "units": self.units,
            "requests": self.requests,
            "samples": self.samples,
            "no_stack_samples": self.no_stack_samples,
        })
    }

    /// `slow (3 unit(s), 8 request(s), 412 samples)`.
    fn line(&self) -> String {
        let mut s = format!(
            "{} ({} unit(s), {} request(s), {} sample(s)",
            self.dir.display(),
            self.units,
            self.requests,
            self.samples
        );
        if self.no_stack_samples > 0 {
            s.push_str(&format!(", {} without a stack", self.no_stack_samples));
        }
        s.push(')');
        s
    }
}

/// Windows whose profile could not be read, and the first reason.
#[derive(Default)]
pub(super) struct Skipped {
    pub(super) windows: usize,
    pub(super) first: Option<String>,
}

/// What a finished run collected, for the report.
pub(super) struct Summary {
    pub(super) service: String,
    pub(super) source: String,
    pub(super) count: usize,
    pub(super) stopped_by: &'static str,
    pub(super) windows: usize,
    pub(super) skipped: Skipped,
    pub(super) poll_errors: usize,
    pub(super) attribution: Attribution,
    pub(super) out: CohortSummary,
    pub(super) baseline: Option<CohortSummary>,
}

impl Summary {
    pub(super) fn interrupted(&self) -> bool {
        self.stopped_by == "interrupt"
    }

    /// Why a cohort has nothing to compare, and what to change; None when it has samples.
    fn problem(&self, c: &CohortSummary, baseline: bool) -> Option<String> {
        if c.units == 0 && !baseline {
            return Some(
                "empty: no request matching the criteria ran during a profiled window; loosen \
                 the criteria (--min-duration, --status-code, --url-pattern), send the service \
                 traffic while armed, or lengthen --max-wait"
                    .into(),
            );
        }
        if c.units == 0 {
            return Some(
                "empty: no window ran requests of the service without a matching one; shorten \
                 --window, tighten the criteria so fewer requests match, or lengthen \
                 --max-wait so quieter moments are profiled"
                    .into(),
            );
        }
        (c.samples == 0).then(|| {
            "no CPU samples: the profiler saw the service idle while its requests ran (py-spy \
             samples only running threads; --idle samples waiting ones too); profile under load \
             or lengthen --max-wait"
                .into()
        })
    }

    /// The next command, when both cohorts hold samples.
    fn next(&self) -> Option<String> {
        let b = self.baseline.as_ref()?;
        if self.problem(&self.out, false).is_some() || self.problem(b, true).is_some() {
            return None;
        }
        Some(format!(
            "tracediag profile compare --a {} --b {}",
            self.out.dir.display(),
            b.dir.display()
        ))
    }

    /// The report of the run, in the requested format.
    pub(super) fn text(&self, format: Format, started: Instant) -> String {
        match format {
            Format::Json => self.json(started),
            _ => self.plain(started),
        }
    }

    fn json(&self, started: Instant) -> String {
        let mut cohort = self.out.json();
        cohort["attribution"] = serde_json::json!(self.attribution);
        cohort["problem"] = serde_json::json!(self.problem(&self.out, false));
        let baseline = self.baseline.as_ref().map(|b| {
            let mut j = b.json();
            j["problem"] = serde_json::json!(self.problem(b, true));
            j
        });
        let doc = serde_json::json!({
            "schema_version": crate::report::SCHEMA_VERSION,
            "service": self.service,
            "source": self.source,
            "stopped_by": self.stopped_by,
            "elapsed_s": started.elapsed().as_secs_f64(),
            "windows": self.windows,
            "windows_skipped": self.skipped.windows,
            "poll_errors": self.poll_errors,
            "cohort": cohort,
            "baseline": baseline,
            "next": self.next(),
        });
        let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
        s.push('\n');
        s
    }

    fn plain(&self, started: Instant) -> String {
        let mut s = format!(
            "Collected {}/{} matching request(s) of {} in {} (stopped by {}; {} window(s)).\n",
            self.out.requests.min(self.count),
            self.count,
            crate::report::clean_text(&self.service),
            fmt_left(started.elapsed()),
            self.stopped_by,
            self.windows
        );
        s.push_str(&format!(
            "Cohort: {}; unit: {}\n",
            self.out.line(),
            self.attribution.describe()
        ));
        if let Some(p) = self.problem(&self.out, false) {
            s.push_str(&format!("  The cohort is {p}.\n"));
        }
        if let Some(b) = &self.baseline {
            s.push_str(&format!("Baseline: {}\n", b.line()));
            if let Some(p) = self.problem(b, true) {
                s.push_str(&format!("  The baseline is {p}.\n"));
            }
        }
        if self.skipped.windows > 0 {
            s.push_str(&format!(
                "{} window(s) skipped, their profile unreadable (first: {}).\n",
                self.skipped.windows,
                crate::report::clean_text(self.skipped.first.as_deref().unwrap_or("?"))
            ));
        }
        if self.poll_errors > 0 {
            s.push_str(&format!(
                "{} poll(s) of the source failed (-v shows why).\n",
                self.poll_errors
            ));
        }
        match self.next() {
            Some(next) => s.push_str(&format!("Next: {next}\n")),
            None if self.baseline.is_some() => {
                s.push_str("Nothing to compare yet: fix the empty cohort and run again.\n")
            }
            None => {}
        }
        s
    }
}

pub(super) fn fmt_left(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 60 {
        format!("{}m{:02}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}
