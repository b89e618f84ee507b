//! Waiting for `check --run`'s trace: read the source until the trace is complete (see
//! [`super::settle`]) or the time is up. A file is read afresh on every poll, since an
//! exporter is still appending to it; a remote source is opened once.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::model::Trace;
use crate::source::backend::{FileSource, TraceSource};

use super::options::RunRequest;
use super::select::open_unmasked;
use super::settle::{Progress, Settle};
use super::trace_context::TraceContext;
use super::Options;

/// Why waiting stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    Complete,
    MaxWait,
    /// The command failed and no span arrived within the settle time: a failed request may
    /// well leave no trace, and the failure is already the finding.
    CommandFailed,
}

impl Stop {
    pub fn as_str(self) -> &'static str {
        match self {
            Stop::Complete => "complete",
            Stop::MaxWait => "max-wait",
            Stop::CommandFailed => "command-failed",
        }
    }
}

/// What the wait found.
pub struct Waited {
    /// The last trace read (complete only when `stop` is `Complete`).
    pub trace: Option<Trace>,
    pub polls: usize,
    pub last: Progress,
    pub waited_ns: i64,
    pub stop: Stop,
    /// The last read error taken for "not yet" (a file being written, a file not there yet).
    pub last_error: Option<String>,
}

impl Waited {
    /// Why no trace could be checked, for the report: spans seen, polls, and why it stopped.
    pub fn incomplete_reason(&self, max_wait_ns: i64) -> String {
        let mut s = match self.stop {
            Stop::CommandFailed => "the command failed and no span of its trace arrived".into(),
            _ => format!("no complete trace within {}s", fmt_secs(max_wait_ns)),
        };
        s.push_str(&format!(
            ": {} span(s) seen, {} poll(s); last: {}",
            self.last.spans(),
            self.polls,
            self.last.describe()
        ));
        if let Some(e) = &self.last_error {
            s.push_str(&format!(" ({e})"));
        }
        s
    }
}

fn fmt_secs(ns: i64) -> String {
    let s = ns as f64 / 1e9;
    if s.fract() == 0.0 {
        format!("{s:.0}")
    } else {
        format!("{s:.1}")
    }
}

/// Poll the source for `ctx`'s trace. "Trace not found" and unreadable input (a file half
/// written, or not there yet) are "not yet"; an unreachable source ends the wait at once.
pub fn wait_for(
    opts: &Options,
    ctx: &TraceContext,
    req: &RunRequest,
    command_failed: bool,
) -> Result<Waited> {
    let started = Instant::now();
    let mut settle = Settle::new(req.settle_ns, &ctx.parent_span_id);
    let mut remote: Option<Box<dyn TraceSource>> = None;
    let mut w = Waited {
        trace: None,
        polls: 0,
        last: Progress::NotFound,
        waited_ns: 0,
        stop: Stop::MaxWait,
        last_error: None,
    };
    loop {
        w.polls += 1;
        let read = read_once(opts, &mut remote, &ctx.trace_id);
        let now = elapsed_ns(started);
        w.waited_ns = now;
        match read {
            Ok(t) => {
                w.last = settle.observe(&t.spans, now);
                w.trace = Some(t);
                w.last_error = None;
            }
            Err(Error::TraceNotFound { .. }) => {
                w.last = settle.observe(&[], now);
            }
            Err(e @ (Error::Input { .. } | Error::Io { .. })) => {
                w.last = settle.observe(&[], now);
                w.last_error = Some(e.to_string());
            }
            Err(e) => return Err(e),
        }
        if opts.verbose > 0 {
            eprintln!(
                "tracediag: check --run: poll {} at {:.1}s: {}",
                w.polls,
                now as f64 / 1e9,
                w.last.describe()
            );
        }
        if matches!(w.last, Progress::Complete { .. }) {
            w.stop = Stop::Complete;
            return Ok(w);
        }
        if command_failed && w.last.spans() == 0 && now >= req.settle_ns {
            w.stop = Stop::CommandFailed;
            return Ok(w);
        }
        if now >= req.max_wait_ns {
            w.stop = Stop::MaxWait;
            return Ok(w);
        }
        let pause = req
            .poll_interval_ns
            .min(req.max_wait_ns - now)
            .max(1_000_000);
        std::thread::sleep(Duration::from_nanos(pause as u64));
    }
}

fn elapsed_ns(since: Instant) -> i64 {
    i64::try_from(since.elapsed().as_nanos()).unwrap_or(i64::MAX)
}

/// One read of the trace. A source that reads everything up front (a file) is opened afresh
/// each time; any other is kept for the next poll.
fn read_once(
    opts: &Options,
    remote: &mut Option<Box<dyn TraceSource>>,
    trace_id: &str,
) -> Result<Trace> {
    if let Some(source) = remote {
        return source.trace(trace_id);
    }
    if let Some(path) = opts.source.as_deref().filter(|p| Path::new(p).is_file()) {
        let bytes = opts.limits().read_file(path)?;
        if let Some(lines) = lines_of_trace(&bytes, trace_id) {
            if lines.is_empty() {
                return Err(Error::TraceNotFound {
                    id: trace_id.to_string(),
                    source_name: path.to_string(),
                    hint: String::new(),
                });
            }
            return FileSource::from_bytes(&lines, path, opts.limits())?.trace(trace_id);
        }
    }
    let source = open_unmasked(opts)?;
    let got = source.trace(trace_id);
    if source.loaded().is_none() {
        *remote = Some(source);
    }
    got
}

/// An exporter's file grows by one JSON object a line, and decoding all of it on every poll
/// costs seconds once it is tens of megabytes: when the file is JSON Lines of OTLP with hex
/// ids (as the collector's file exporter writes), only the lines naming the trace are kept.
/// None when the file is anything else (gzip, one document, other id spellings): decode it
/// whole.
fn lines_of_trace(bytes: &[u8], trace_id: &str) -> Option<Vec<u8>> {
    let blank = |l: &&[u8]| l.iter().all(u8::is_ascii_whitespace);
    let mut lines = bytes.split(|&b| b == b'\n').filter(|l| !blank(l));
    let first = lines.clone().next()?.trim_ascii();
    let hex_id = regex::bytes::Regex::new(r#""traceId"\s*:\s*"[0-9a-fA-F]{32}""#).ok()?;
    let otlp_hex = first.starts_with(b"{") && first.ends_with(b"}") && hex_id.is_match(first);
    if !otlp_hex {
        return None;
    }
    // A literal pattern: the regex engine scans for it with SIMD, far faster than a loop.
    let id = regex::bytes::RegexBuilder::new(&regex::escape(trace_id))
        .case_insensitive(true)
        .build()
        .ok()?;
    let mut out = Vec::new();
    for line in lines.by_ref().filter(|l| id.is_match(l)) {
        out.extend_from_slice(line);
        out.push(b'\n');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::lines_of_trace;

    const A: &str = "0af7651916cd43dd8448eb211c80319c";

    fn line(id: &str) -> String {
        format!("{{\"resourceSpans\":[{{\"scopeSpans\":[{{\"spans\":[{{\"traceId\":\"{id}\",\"spanId\":\"b7ad6b7169203331\"}}]}}]}}]}}\n")
    }

    #[test]
    fn keeps_only_the_lines_of_the_trace() {
        let other = "1".repeat(32);
        let file = format!("{}{}\n{}", line(&other), line(A), line(&A.to_uppercase()));
        let kept = lines_of_trace(file.as_bytes(), A).unwrap_or_default();
        assert_eq!(
            String::from_utf8_lossy(&kept),
            format!("{}{}", line(A), line(&A.to_uppercase()))
        );
        let spaced = format!("{{\"traceId\": \"{A}\"}}\n");
        assert_eq!(
            lines_of_trace(spaced.as_bytes(), A),
            Some(spaced.into_bytes())
        );
        let none = lines_of_trace(line(&other).as_bytes(), A);
        assert_eq!(none, Some(Vec::new()));
    }

    #[test]
    fn other_files_are_decoded_whole() {
        // A pretty-printed document, Jaeger's spelling, base64 ids, gzip.
        assert_eq!(lines_of_trace(b"{\n  \"resourceSpans\": []\n}\n", A), None);
        assert_eq!(lines_of_trace(br#"{"data":[{"traceID":"0af7"}]}"#, A), None);
        assert_eq!(
            lines_of_trace(
                br#"{"resourceSpans":[{"traceId":"CvdlGRbNQ92ESOshHIAxnA=="}]}"#,
                A
            ),
            None
        );
        assert_eq!(lines_of_trace(&[0x1f, 0x8b, 8, 0], A), None);
        assert_eq!(lines_of_trace(b"", A), None);
    }
}
