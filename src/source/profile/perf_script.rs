//! `perf script` text, collapsed by inferno's perf collapser (the same code as
//! `inferno-collapse-perf`), then read as folded stacks.
//!
//! inferno weights each event by its period when `perf script` prints one (`250000
//! cpu-clock:uhH:`), so the counts are then nanoseconds of cpu-clock, not samples; the
//! sample type says which.

use inferno::collapse::perf::{Folder, Options};
use inferno::collapse::Collapse;

use crate::model::profile::{Profile, ProfileFormat, ValueType};

/// Collapse `perf script` output to folded stacks, exactly as `inferno-collapse-perf` with
/// default options does.
pub fn collapse(text: &str) -> Result<String, String> {
    let mut opts = Options::default();
    // One thread: the collapse is fast and its output order must not depend on scheduling.
    opts.nthreads = 1;
    let mut folder = Folder::from(opts);
    let mut out = Vec::new();
    folder
        .collapse(text.as_bytes(), &mut out)
        .map_err(|e| format!("cannot collapse perf script output: {e}"))?;
    String::from_utf8(out).map_err(|e| format!("perf collapse produced invalid UTF-8: {e}"))
}

/// Whether `text` looks like `perf script` output (inferno's own detection).
pub fn looks_like(text: &str) -> bool {
    let mut folder = Folder::from(Options::default());
    folder.is_applicable(text) == Some(true)
}

/// The event's period, when the first event header carries one (`comm pid ts: PERIOD event:`).
fn period_event(text: &str) -> Option<(u64, String)> {
    let header = text.lines().find(|l| {
        !l.trim().is_empty() && !l.starts_with(char::is_whitespace) && !l.starts_with('#')
    })?;
    let tokens: Vec<&str> = header.split_whitespace().collect();
    let ev = tokens
        .iter()
        .skip(1)
        .position(|t| t.ends_with(':') && t.trim_end_matches(':').parse::<f64>().is_err())?
        + 1;
    let period = tokens.get(ev.checked_sub(1)?)?.parse::<u64>().ok()?;
    let name = tokens.get(ev)?.split(':').next()?.to_string();
    Some((period, name))
}

pub fn parse(text: &str) -> Result<Profile, String> {
    let folded = collapse(text)?;
    let mut p = super::folded::parse(&folded, ProfileFormat::PerfScript)
        .map_err(|e| format!("perf script: {e}"))?;
    p.sample_types = match period_event(text) {
        Some((_, ev)) if matches!(ev.as_str(), "cpu-clock" | "task-clock") => {
            vec![ValueType::new("cpu", "nanoseconds")]
        }
        Some((_, ev)) => vec![ValueType::new(&ev, "count")],
        None => vec![ValueType::new("samples", "count")],
    };
    Ok(p)
}
