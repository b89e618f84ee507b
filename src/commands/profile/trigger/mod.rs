//! `profile trigger`: watch a trace source for requests that match the criteria, profile the
//! service in short windows while armed, tie each window's samples to the requests that ran
//! in it, and store the matches (and with --baseline the other requests) as cohorts.
//!
//! Attribution, best first: samples labelled with a span or trace id go to that request
//! (one unit per request); otherwise a window's profile goes to the requests of the service
//! that overlapped the window (one unit per window), and the manifest says so.
//!
//! Robustness: the source is re-read on every poll (a file that grows is read again, a
//! half-written last line is ignored until complete); a window is attributed only once the
//! source has had time to show the requests that ran in it; cohorts are written under a
//! temporary name and renamed into place at the end, also after Ctrl-C (exit 130), so a
//! cohort directory is never half-written; a second Ctrl-C removes them unfinished.

mod collect;
mod matching;
mod poller;
mod session;
mod summary;

use std::io::IsTerminal;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use crate::commands::interrupt;
use crate::commands::options::TriggerRequest;
use crate::commands::{Options, Outcome};
use crate::error::{exit, Result};
use crate::report::Document;

pub use collect::{expand_template, Collector};
pub use matching::{glob_matches, status_matches};

use poller::open_poller;
use session::{collector_for, Session};

pub fn run(opts: &Options, a: &TriggerRequest) -> Result<Outcome> {
    let collector = collector_for(a)?;
    let poller = open_poller(opts)?;

    // Ctrl-C stops collection and keeps what was collected (the cohorts are finished with
    // `complete: false`, and the exit code is 130); a second Ctrl-C ends the process at
    // once and removes the unfinished cohort directories.
    let mut deferred = interrupt::defer();
    let stop: &AtomicBool = interrupt::flag();
    let mut session = Session::open(opts, a, collector, poller, &mut deferred)?;

    let started = Instant::now();
    let deadline = started + Duration::from_nanos(u64::try_from(a.max_wait.max(0)).unwrap_or(0));
    let bar = progress_bar(opts.quiet);
    let mut fatal = collect_until_done(&mut session, stop, deadline, bar.as_ref()).err();
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    if fatal.is_none() {
        session.poll_last();
        fatal = session.attribute_all().err();
    }
    session.remove_scratch();
    if let Some(e) = fatal {
        session.abandon();
        return Err(e);
    }

    let summary = session.finish_cohorts()?;
    let text = summary.text(opts.format, started);
    drop(deferred);
    let interrupted = summary.interrupted();
    Ok(Outcome {
        document: Document::Rendered(text),
        code: if interrupted {
            exit::INTERRUPTED
        } else {
            exit::OK
        },
        note: interrupted.then(|| {
            "tracediag: interrupted; the cohorts hold what was collected until then".into()
        }),
    })
}

/// Collect windows, polling the source and attributing after each, until Ctrl-C, enough
/// matches or the deadline. An error ends collection and the run.
fn collect_until_done(
    session: &mut Session,
    stop: &AtomicBool,
    deadline: Instant,
    bar: Option<&indicatif::ProgressBar>,
) -> Result<()> {
    while !session.should_stop(stop, deadline) {
        session.collect_window(stop, bar)?;
        session.poll();
        session.attribute_settled()?;
        if let Some(bar) = bar {
            bar.set_message(session.progress(deadline));
        }
    }
    Ok(())
}

/// A spinner with the progress, on a terminal only: redirected stderr stays clean.
fn progress_bar(quiet: bool) -> Option<indicatif::ProgressBar> {
    (!quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg}") {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    })
}
