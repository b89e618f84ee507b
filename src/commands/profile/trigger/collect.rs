//! How a window's profile is obtained (a command, a pprof endpoint or Pyroscope), and the
//! folded stacks a window's samples are stored as.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::model::profile::{Profile, Sample};
use crate::source::profile as profiles;
use crate::source::search::now_ns;

/// How a window's profile is obtained.
#[derive(Debug, Clone)]
pub enum Collector {
    /// A shell command template with {hz}, {seconds}, {out}.
    Command(String),
    /// Go net/http/pprof: GET URL?seconds=N.
    Pprof(String),
    /// Pyroscope /pyroscope/render with a query and label selector.
    Pyroscope { url: String, query: String },
}

impl Collector {
    pub(super) fn name(&self) -> &'static str {
        match self {
            Collector::Command(_) => "command",
            Collector::Pprof(_) => "pprof-url",
            Collector::Pyroscope { .. } => "pyroscope",
        }
    }
}

/// Substitute the documented placeholders. `{out}` is a path tracediag chose (no shell
/// metacharacters), so plain substitution into the `sh -c` string is safe.
pub fn expand_template(t: &str, hz: u32, seconds: u64, out: &Path) -> String {
    t.replace("{hz}", &hz.to_string())
        .replace("{seconds}", &seconds.to_string())
        .replace("{out}", &out.display().to_string())
}

/// A folded-stack frame name that cannot break the line format.
fn folded_frame(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            ';' => ':',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// Why a window has no profile.
#[derive(Debug)]
pub(super) enum WindowFailure {
    /// The collector did not run or wrote nothing: on the first window, a misconfiguration.
    Collector(String),
    /// It wrote something that is not a profile tracediag can read: this window is lost.
    Unreadable(String),
}

impl std::fmt::Display for WindowFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WindowFailure::Collector(m) => f.write_str(m),
            WindowFailure::Unreadable(m) => write!(f, "unreadable profile: {m}"),
        }
    }
}

/// The folded stacks of a window's or request's samples.
pub(super) struct Folded {
    pub(super) text: String,
    /// Samples with a stack, as written to `text`.
    pub(super) samples: u64,
    /// Samples without a stack: left out of `text`, counted in the manifest.
    pub(super) no_stack: u64,
}

/// Folded stacks (counts in samples) of the samples of `p` chosen by `keep`.
pub(super) fn folded_of(p: &Profile, keep: &dyn Fn(&Sample) -> bool) -> Folded {
    let Ok(view) = p.cpu_view() else {
        return Folded {
            text: String::new(),
            samples: 0,
            no_stack: 0,
        };
    };
    let mut agg: HashMap<&[u32], u64> = HashMap::new();
    let mut no_stack = 0;
    for s in p.samples.iter().filter(|s| keep(s)) {
        let v = s.values.get(view.value_index).copied().unwrap_or(0);
        if v > 0 && s.stack.is_empty() {
            no_stack += v as u64;
        } else if v > 0 {
            *agg.entry(s.stack.as_slice()).or_insert(0) += v as u64;
        }
    }
    let mut lines: Vec<String> = agg
        .iter()
        .map(|(stack, v)| {
            let names: Vec<String> = stack.iter().map(|&f| folded_frame(p.frame(f))).collect();
            format!("{} {v}", names.join(";"))
        })
        .collect();
    lines.sort();
    let samples = agg.values().sum();
    let mut text = lines.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    Folded {
        text,
        samples,
        no_stack,
    }
}

/// CPU nanoseconds per sample: the profile's own unit, else one tick at `hz`.
pub(super) fn ns_per_sample(p: &Profile, hz: u32) -> f64 {
    p.cpu_view()
        .ok()
        .and_then(|v| v.ns_per_unit)
        .unwrap_or(1e9 / f64::from(hz.max(1)))
}

/// Run the collector for one window. Returns None when interrupted before a profile was
/// written.
pub(super) fn collect(
    c: &Collector,
    seconds: u64,
    hz: u32,
    scratch: &Path,
    n: usize,
    stop: &AtomicBool,
) -> std::result::Result<Option<Profile>, WindowFailure> {
    match c {
        Collector::Command(template) => run_command(template, seconds, hz, scratch, n, stop),
        Collector::Pprof(url) => fetch_pprof(url, seconds),
        Collector::Pyroscope { url, query } => fetch_pyroscope(url, query, seconds, stop),
    }
}

/// Run the command template for one window and read the profile it wrote to `{out}`.
fn run_command(
    template: &str,
    seconds: u64,
    hz: u32,
    scratch: &Path,
    n: usize,
    stop: &AtomicBool,
) -> std::result::Result<Option<Profile>, WindowFailure> {
    let out = scratch.join(format!("window-{n}.prof"));
    let log = scratch.join(format!("window-{n}.log"));
    let _ = std::fs::remove_file(&out);
    let cmd = expand_template(template, hz, seconds, &out);
    let io = |e: std::io::Error| WindowFailure::Collector(format!("{}: {e}", log.display()));
    let log_file = std::fs::File::create(&log).map_err(io)?;
    let log_err = log_file.try_clone().map_err(io)?;
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(&cmd)
        .stdin(Stdio::null())
        .stdout(log_file)
        .stderr(log_err)
        .spawn()
        .map_err(|e| WindowFailure::Collector(format!("cannot run the collector command: {e}")))?;
    // The profiler runs for the window; give it generous time to write its file.
    let hard = Instant::now() + Duration::from_secs(seconds + 30);
    let mut interrupted_at: Option<Instant> = None;
    let status = loop {
        match child.try_wait() {
            Ok(Some(st)) => break Some(st),
            Ok(None) => {}
            Err(e) => return Err(WindowFailure::Collector(e.to_string())),
        }
        let now = Instant::now();
        if stop.load(Ordering::Relaxed) && interrupted_at.is_none() {
            interrupted_at = Some(now);
        }
        // On Ctrl-C the profiler got SIGINT too and usually writes what it has; wait
        // a little for that, then stop it.
        if interrupted_at.is_some_and(|t| now > t + Duration::from_secs(3)) || now > hard {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let size = std::fs::metadata(&out).map(|m| m.len()).ok();
    // py-spy writes an empty file when it took no sample (the service was idle, and only
    // running threads are sampled): a window with no CPU, which is data, not a failure.
    if size == Some(0) && status.is_some_and(|s| s.success()) {
        let _ = std::fs::remove_file(&out);
        let _ = std::fs::remove_file(&log);
        return Ok(Some(empty_profile()));
    }
    if size.is_none_or(|n| n == 0) {
        if stop.load(Ordering::Relaxed) {
            return Ok(None);
        }
        let tail = std::fs::read_to_string(&log).unwrap_or_default();
        let tail: String = tail
            .lines()
            .rev()
            .take(5)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
            .join(" | ");
        return Err(WindowFailure::Collector(format!(
            "the collector command wrote no profile to {{out}} ({}): {}",
            status.map_or("killed after its time limit".to_string(), |s| s.to_string()),
            crate::report::clean_text(&tail)
        )));
    }
    let p = profiles::load(&out.display().to_string())
        .map_err(|e| WindowFailure::Unreadable(e.to_string()))?;
    let _ = std::fs::remove_file(&out);
    let _ = std::fs::remove_file(&log);
    Ok(Some(p))
}

/// A profile with no samples.
fn empty_profile() -> Profile {
    Profile::new(
        crate::model::profile::ProfileFormat::Folded,
        vec![crate::model::profile::ValueType::new("samples", "count")],
    )
}

/// GET the pprof endpoint for one window (it blocks for the window's seconds).
fn fetch_pprof(url: &str, seconds: u64) -> std::result::Result<Option<Profile>, WindowFailure> {
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(seconds + 30))
        .build()
        .map_err(|e| WindowFailure::Collector(e.to_string()))?;
    let resp = client
        .get(url)
        .query(&[("seconds", seconds.to_string())])
        .send()
        .map_err(|e| WindowFailure::Collector(format!("{url}: {e}")))?;
    if !resp.status().is_success() {
        return Err(WindowFailure::Collector(format!(
            "{url}: HTTP {}",
            resp.status()
        )));
    }
    let bytes = resp
        .bytes()
        .map_err(|e| WindowFailure::Collector(format!("{url}: {e}")))?;
    profiles::decode(&bytes, url)
        .map(Some)
        .map_err(|e| WindowFailure::Unreadable(e.to_string()))
}

/// Wait out the window, then read what Pyroscope aggregated for it.
fn fetch_pyroscope(
    url: &str,
    query: &str,
    seconds: u64,
    stop: &AtomicBool,
) -> std::result::Result<Option<Profile>, WindowFailure> {
    let end = now_ns() / 1_000_000_000;
    // Pyroscope aggregates per 10 s; the window is read after it ends.
    let start = end - seconds as i64;
    let mut remaining = Duration::from_secs(seconds);
    while !remaining.is_zero() && !stop.load(Ordering::Relaxed) {
        let step = remaining.min(Duration::from_millis(100));
        std::thread::sleep(step);
        remaining -= step;
    }
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| WindowFailure::Collector(e.to_string()))?;
    let endpoint = format!("{}/pyroscope/render", url.trim_end_matches('/'));
    let resp = client
        .get(&endpoint)
        .query(&[
            ("query", query.to_string()),
            ("from", start.to_string()),
            ("until", (end + seconds as i64).to_string()),
            ("format", "json".to_string()),
        ])
        .send()
        .map_err(|e| WindowFailure::Collector(format!("{endpoint}: {e}")))?;
    if !resp.status().is_success() {
        return Err(WindowFailure::Collector(format!(
            "{endpoint}: HTTP {}",
            resp.status()
        )));
    }
    let bytes = resp
        .bytes()
        .map_err(|e| WindowFailure::Collector(format!("{endpoint}: {e}")))?;
    profiles::decode(&bytes, &endpoint)
        .map(Some)
        .map_err(|e| WindowFailure::Unreadable(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        let s = expand_template(
            "py-spy -r {hz} -d {seconds} -o {out}",
            99,
            2,
            Path::new("/tmp/x"),
        );
        assert_eq!(s, "py-spy -r 99 -d 2 -o /tmp/x");
    }
}
