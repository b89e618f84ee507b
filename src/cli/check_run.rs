//! Flags of `check --run`: a trace-based test. Run a command that sends a request carrying a
//! fresh W3C trace context, wait for that trace to be complete in the source, then check it.
//! Kept apart from `check`'s other flags so each concern reads on its own.

use clap::Args;

use crate::units::{parse_count, parse_duration_ns};

#[derive(Debug, Args)]
pub struct CheckRunArgs {
    /// Run this command (with `sh -c`) and check the trace it causes. It gets a fresh W3C
    /// trace context as the environment variables TRACEPARENT and TRACE_ID, and `{traceparent}`
    /// and `{trace_id}` in the command are replaced by them, e.g.
    /// `curl -sf -H 'traceparent: {traceparent}' http://localhost:8080/checkout`. A command
    /// that exits non-zero is a failed check.
    #[arg(long, value_name = "CMD", conflicts_with_all = ["trace_ids", "search", "cohort"], help_heading = "Trace-based test")]
    pub run: Option<String>,

    /// --run: the trace is complete when its span count has not changed for this long and
    /// no span's parent is missing.
    #[arg(long, default_value = "2s", value_name = "DURATION", value_parser = parse_duration_ns, help_heading = "Trace-based test")]
    pub settle: i64,

    /// --run: give up waiting for a complete trace after this long (exit 2, with the spans
    /// seen and the polls made).
    #[arg(long, default_value = "30s", value_name = "DURATION", value_parser = parse_duration_ns, help_heading = "Trace-based test")]
    pub max_wait: i64,

    /// --run: time between two reads of the source.
    #[arg(long, default_value = "500ms", value_name = "DURATION", value_parser = parse_duration_ns, help_heading = "Trace-based test")]
    pub poll_interval: i64,

    /// --run: run the command N times, each with a fresh trace context; the rules are
    /// checked on every run, and the report adds the p95 of the root span's duration and the
    /// errors across runs.
    #[arg(long, default_value = "1", value_name = "N", value_parser = parse_count, requires = "run", help_heading = "Trace-based test")]
    pub repeat: usize,

    /// --run: a previous `check --run --format json` report to compare with: fail when the
    /// p95 of the root duration grew more than --max-regression or an error origin
    /// (service.operation) is new.
    #[arg(
        long,
        value_name = "PATH",
        requires = "run",
        help_heading = "Trace-based test"
    )]
    pub baseline_report: Option<String>,

    /// --baseline-report: largest growth of the root duration's p95 that still passes.
    #[arg(long, default_value = "20%", value_name = "PERCENT", value_parser = parse_percent, help_heading = "Trace-based test")]
    pub max_regression: f64,
}

/// `20%` or `20` → 0.2; a negative or non-numeric value is refused.
pub fn parse_percent(s: &str) -> Result<f64, String> {
    let t = s.trim();
    let n = t.strip_suffix('%').unwrap_or(t).trim();
    match n.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v / 100.0),
        _ => Err(format!("expected a percentage such as 20%, got '{s}'")),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_percent;

    #[test]
    fn percentages() {
        assert_eq!(parse_percent("20%"), Ok(0.2));
        assert_eq!(parse_percent("5"), Ok(0.05));
        assert_eq!(parse_percent("0%"), Ok(0.0));
        assert!(parse_percent("-1%").is_err());
        assert!(parse_percent("x").is_err());
    }
}
