//! Running `check --run`'s command: `sh -c` with the trace context in its environment, its
//! exit status and the last lines of its stderr kept (bounded, whatever it prints).

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::error::{Error, Result};

use super::trace_context::TraceContext;

/// Lines of stderr kept, the last ones.
pub const STDERR_LINES: usize = 10;
/// Characters kept of one stderr line.
pub const STDERR_LINE_CHARS: usize = 200;

/// How the command ended.
#[derive(Debug, Clone)]
pub struct CommandRun {
    /// The exit status; None when a signal ended it.
    pub status: Option<i32>,
    /// The signal that ended it, when one did.
    pub signal: Option<i32>,
    /// The last lines of its stderr.
    pub stderr_tail: Vec<String>,
    pub duration_ns: i64,
}

impl CommandRun {
    pub fn succeeded(&self) -> bool {
        self.status == Some(0)
    }

    /// `exit status 22` or `killed by signal 9`.
    pub fn describe(&self) -> String {
        match (self.status, self.signal) {
            (Some(code), _) => format!("exit status {code}"),
            (None, Some(sig)) => format!("killed by signal {sig}"),
            (None, None) => "ended without an exit status".into(),
        }
    }
}

/// Run `command` (placeholders already substituted) with `sh -c`, TRACEPARENT and TRACE_ID
/// set. Its stdout is read and dropped: ours carries the report.
pub fn run(command: &str, ctx: &TraceContext) -> Result<CommandRun> {
    let started = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .env("TRACEPARENT", ctx.traceparent())
        .env("TRACE_ID", &ctx.trace_id)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::Usage(format!("--run: cannot start sh: {e}")))?;
    let stdout = child.stdout.take().map(|mut out| {
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut out, &mut std::io::sink());
        })
    });
    let tail = child.stderr.take().map(|err| tail_lines(err, STDERR_LINES));
    let status = child
        .wait()
        .map_err(|e| Error::Usage(format!("--run: waiting for the command: {e}")))?;
    if let Some(t) = stdout {
        let _ = t.join();
    }
    Ok(CommandRun {
        status: status.code(),
        signal: signal_of(&status),
        stderr_tail: tail.unwrap_or_default(),
        duration_ns: i64::try_from(started.elapsed().as_nanos()).unwrap_or(i64::MAX),
    })
}

#[cfg(unix)]
fn signal_of(status: &std::process::ExitStatus) -> Option<i32> {
    std::os::unix::process::ExitStatusExt::signal(status)
}

#[cfg(not(unix))]
fn signal_of(_: &std::process::ExitStatus) -> Option<i32> {
    None
}

/// The last `keep` non-empty lines of `input`, each cut to [`STDERR_LINE_CHARS`]; reads to
/// the end, holding no more than that.
pub fn tail_lines(input: impl Read, keep: usize) -> Vec<String> {
    let mut lines: VecDeque<String> = VecDeque::with_capacity(keep + 1);
    let mut reader = BufReader::new(input);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        // A line is read whole before it is cut: bound it too, so a stream without newlines
        // cannot grow the buffer without end.
        match (&mut reader).take(64 * 1024).read_until(b'\n', &mut buf) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let text = String::from_utf8_lossy(&buf);
        let line = text.trim_end();
        if line.is_empty() {
            continue;
        }
        let mut cut: String = line.chars().take(STDERR_LINE_CHARS).collect();
        if cut.len() < line.len() {
            cut.push('…');
        }
        lines.push_back(cut);
        if lines.len() > keep {
            lines.pop_front();
        }
    }
    lines.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_last_lines_cut() {
        let long = "x".repeat(500);
        let input = format!("a\n\nb\nc\n{long}\nd");
        let t = tail_lines(input.as_bytes(), 3);
        assert_eq!(t.len(), 3);
        assert_eq!(t[0], "c");
        assert_eq!(t[1].chars().count(), STDERR_LINE_CHARS + 1);
        assert_eq!(t[2], "d");
    }

    #[test]
    fn runs_with_the_context_in_env_and_placeholders() {
        let ctx = TraceContext::from_bytes(&[7u8; 24]);
        let cmd = ctx.substitute("echo \"$TRACEPARENT $TRACE_ID {trace_id}\" >&2; exit 3");
        let r = run(&cmd, &ctx).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status, Some(3));
        assert!(!r.succeeded());
        assert_eq!(r.describe(), "exit status 3");
        let t = "07".repeat(16);
        assert_eq!(
            r.stderr_tail,
            vec![format!("00-{t}-{}-01 {t} {t}", "07".repeat(8))]
        );
    }
}
