//! One `profile trigger` run: the cohorts being written, the windows and requests seen so
//! far, and the steps of the run (collect a window, poll the source, attribute, finish).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::ProgressBar;

use crate::commands::interrupt::{critical, Deferred};
use crate::commands::options::TriggerRequest;
use crate::commands::Options;
use crate::error::{Error, Result};
use crate::model::id_matches;
use crate::model::profile::Profile;
use crate::source::profile::cohort::{Attribution, Manifest, UnitEntry, Writer, KIND};
use crate::source::profile::{self as profiles, sample_ids};
use crate::source::search::{now_ns, rfc3339};

use super::collect::{collect, folded_of, ns_per_sample, Collector, WindowFailure};
use super::matching::{request_of, Request};
use super::poller::Poller;
use super::summary::{fmt_left, CohortSummary, Skipped, Summary};

/// Windows whose profile could not be read before any could: after this many the collector
/// is taken as writing something that is never a profile, and the run stops.
const UNREADABLE_AT_START: usize = 3;

/// One collection window.
struct Window {
    start_ns: i64,
    end_ns: i64,
    profile: Option<Profile>,
}

/// A label-attributed request: its folded stacks (line → samples), its samples without a
/// stack, and CPU per sample.
struct LabelledRequest {
    request: Request,
    stacks: HashMap<String, u64>,
    no_stack: u64,
    per_sample: f64,
}
type Labelled = HashMap<String, LabelledRequest>;

/// Per-cohort accumulation.
struct Sink {
    writer: Writer,
    units: Vec<UnitEntry>,
    requests: HashSet<String>,
    attribution: Option<Attribution>,
}

impl Sink {
    fn new(dir: &Path) -> Result<Sink> {
        Ok(Sink {
            writer: Writer::create(dir)?,
            units: Vec::new(),
            requests: HashSet::new(),
            attribution: None,
        })
    }
}

/// Check the request before anything is opened, and pick the collector it names.
pub(super) fn collector_for(a: &TriggerRequest) -> Result<Collector> {
    let collector =
        match (&a.command, &a.pprof_url, &a.pyroscope_url) {
            (Some(c), _, _) => Collector::Command(c.clone()),
            (_, Some(u), _) => Collector::Pprof(u.clone()),
            (_, _, Some(u)) => Collector::Pyroscope {
                url: u.clone(),
                query: a.pyroscope_query.clone().unwrap_or_default(),
            },
            _ => return Err(Error::Usage(
                "name a collector: --command 'TEMPLATE', --pprof-url URL or --pyroscope-url URL"
                    .into(),
            )),
        };
    if a.count == 0 {
        return Err(Error::Usage("--count must be at least 1".into()));
    }
    if a.frequency == 0 || a.frequency > 10_000 {
        return Err(Error::Usage(
            "--frequency must be between 1 and 10000".into(),
        ));
    }
    if a.baseline.as_deref() == Some(a.out.as_path()) {
        return Err(Error::Usage("--baseline must differ from --out".into()));
    }
    Ok(collector)
}

/// The state of a run, from arming to the finished cohorts.
pub(super) struct Session<'a> {
    opts: &'a Options,
    a: &'a TriggerRequest,
    collector: Collector,
    poller: Poller,
    keys: Vec<String>,
    seconds: u64,
    poll_every: Duration,
    settle_ns: i64,
    scratch: PathBuf,
    armed_ns: i64,
    out: Sink,
    base: Option<Sink>,
    seen: HashSet<String>,
    requests: Vec<Request>,
    windows: Vec<Window>,
    // Label mode: per request, (folded lines → count) accumulated across windows.
    labelled: Labelled,
    window_n: usize,
    /// Windows with a readable profile so far.
    readable: usize,
    skipped: Skipped,
    poll_errors: usize,
    stopped_by: &'static str,
}

impl<'a> Session<'a> {
    /// Open the cohort directories (tracked by `deferred`, so a second Ctrl-C removes them)
    /// and the scratch directory the collector writes to, and arm.
    pub(super) fn open(
        opts: &'a Options,
        a: &'a TriggerRequest,
        collector: Collector,
        poller: Poller,
        deferred: &mut Deferred,
    ) -> Result<Session<'a>> {
        let keys = super::super::id_labels(&a.id_labels);
        // Collectors take whole seconds.
        let seconds = u64::try_from(a.window.max(1_000_000_000))
            .unwrap_or(1_000_000_000)
            .div_ceil(1_000_000_000);
        let poll_every =
            Duration::from_nanos(u64::try_from(a.poll.max(100_000_000)).unwrap_or(1_000_000_000));
        // Requests show up in the source after they end; attribute a window only when the
        // source has had this long to show the requests that ran in it.
        let settle_ns = (2 * poll_every.as_nanos() as i64).max(2_000_000_000);
        let out = Sink::new(&a.out)?;
        deferred.track(&out.writer.tmp);
        let base = match &a.baseline {
            Some(d) => match Sink::new(d) {
                Ok(s) => {
                    deferred.track(&s.writer.tmp);
                    Some(s)
                }
                Err(e) => {
                    critical(|| out.writer.abandon());
                    return Err(e);
                }
            },
            None => None,
        };
        let scratch = out.writer.tmp.join(".scratch");
        std::fs::create_dir_all(&scratch).map_err(|source| Error::Io {
            what: scratch.display().to_string(),
            source,
        })?;
        Ok(Session {
            opts,
            a,
            collector,
            poller,
            keys,
            seconds,
            poll_every,
            settle_ns,
            scratch,
            armed_ns: now_ns(),
            out,
            base,
            seen: HashSet::new(),
            requests: Vec::new(),
            windows: Vec::new(),
            labelled: HashMap::new(),
            window_n: 0,
            readable: 0,
            skipped: Skipped::default(),
            poll_errors: 0,
            stopped_by: "timeout",
        })
    }

    fn matched_count(&self) -> usize {
        self.out.requests.len() + self.labelled.values().filter(|l| l.request.matched).count()
    }

    /// Whether collection is over (Ctrl-C, enough matches, or out of time); records why.
    pub(super) fn should_stop(&mut self, stop: &AtomicBool, deadline: Instant) -> bool {
        let reason = if stop.load(Ordering::Relaxed) {
            "interrupt"
        } else if self.matched_count() >= self.a.count {
            "count"
        } else if Instant::now() >= deadline {
            "timeout"
        } else {
            return false;
        };
        self.stopped_by = reason;
        true
    }

    /// Profile the service for one window. A collector that fails on the first window is
    /// taken as misconfigured and ends the run; a later failure only loses its window. A
    /// profile that cannot be read loses its window (one warning line) and the run goes on,
    /// unless no window has been readable yet after the first few.
    pub(super) fn collect_window(
        &mut self,
        stop: &AtomicBool,
        bar: Option<&ProgressBar>,
    ) -> Result<()> {
        self.window_n += 1;
        let window_n = self.window_n;
        let w_start = now_ns();
        let profile = match collect(
            &self.collector,
            self.seconds,
            self.a.frequency,
            &self.scratch,
            window_n,
            stop,
        ) {
            Ok(p) => {
                self.readable += usize::from(p.is_some());
                p
            }
            Err(WindowFailure::Collector(e)) if window_n == 1 => {
                return Err(Error::Usage(format!(
                    "collector {}: {e}",
                    self.collector.name()
                )));
            }
            Err(e) => {
                if let WindowFailure::Unreadable(why) = &e {
                    self.skipped.windows += 1;
                    self.skipped
                        .first
                        .get_or_insert_with(|| format!("window {window_n}: {why}"));
                    if self.readable == 0 && self.skipped.windows >= UNREADABLE_AT_START {
                        return Err(Error::Usage(format!(
                            "collector {}: the profiles of the first {} windows could not be                              read ({}); check the profiler's output format",
                            self.collector.name(),
                            self.skipped.windows,
                            self.skipped.first.as_deref().unwrap_or_default()
                        )));
                    }
                }
                if !self.opts.quiet {
                    let msg = format!("tracediag: warning: window {window_n} skipped: {e}");
                    match bar {
                        Some(b) => b.println(msg),
                        None => eprintln!("{msg}"),
                    }
                }
                None
            }
        };
        self.windows.push(Window {
            start_ns: w_start,
            end_ns: now_ns(),
            profile,
        });
        Ok(())
    }

    /// Poll the source during collection; a failed poll is counted and tried again next
    /// time.
    pub(super) fn poll(&mut self) {
        if let Err(e) = self.read_source(self.opts.quiet, true) {
            self.poll_errors += 1;
            if self.opts.verbose > 0 {
                eprintln!("tracediag: polling {}: {e}", self.poller.describe());
            }
        }
    }

    /// Poll once more after collection: the source may still show requests that ran in the
    /// last windows.
    pub(super) fn poll_last(&mut self) {
        if self.stopped_by != "interrupt" {
            std::thread::sleep(self.poll_every.min(Duration::from_secs(2)));
        }
        let _ = self.read_source(true, false);
    }

    /// Read the source once and keep the new requests of the service; with `recent_only`,
    /// only those that ended at most a minute before arming.
    fn read_source(&mut self, quiet: bool, recent_only: bool) -> Result<()> {
        let since_ns = self.armed_ns - 60_000_000_000;
        let traces = self
            .poller
            .poll(&self.a.service, since_ns, &self.seen, quiet)?;
        for t in traces {
            if let Some(r) = request_of(&t, self.a) {
                // A trace may be read before all its spans arrived; keep the
                // first complete-looking request for it.
                if !recent_only || r.end_ns >= since_ns {
                    self.requests.push(r);
                }
            }
            self.seen.insert(t.id);
        }
        Ok(())
    }

    /// Attribute the windows the source has had time to show the requests of.
    pub(super) fn attribute_settled(&mut self) -> Result<()> {
        self.attribute(now_ns() - self.settle_ns)
    }

    /// Attribute every window left, once collection is over.
    pub(super) fn attribute_all(&mut self) -> Result<()> {
        self.attribute(i64::MAX)
    }

    /// Tie the windows that ended by `upto_ns` to the requests that ran in them: labelled
    /// samples to their request, otherwise the whole window to the matching requests (or,
    /// with none, to the baseline).
    fn attribute(&mut self, upto_ns: i64) -> Result<()> {
        let (ready, keep): (Vec<Window>, Vec<Window>) =
            self.windows.drain(..).partition(|w| w.end_ns <= upto_ns);
        self.windows = keep;
        for w in ready {
            let Some(p) = w.profile else { continue };
            let overlapping: Vec<&Request> = self
                .requests
                .iter()
                .filter(|r| r.start_ns < w.end_ns && r.end_ns > w.start_ns)
                .collect();
            let per_sample = ns_per_sample(&p, self.a.frequency);
            if profiles::has_id_labels(&p, &self.keys) {
                add_labelled(&mut self.labelled, &p, &overlapping, &self.keys, per_sample);
                continue;
            }
            let matched: Vec<&Request> =
                overlapping.iter().copied().filter(|r| r.matched).collect();
            let sink = if !matched.is_empty() {
                Some((&mut self.out, matched))
            } else if !overlapping.is_empty() {
                self.base.as_mut().map(|b| (b, overlapping.clone()))
            } else {
                None
            };
            let Some((sink, reqs)) = sink else { continue };
            // A window in which the requests burned no CPU is still a unit: zero is data.
            let folded = folded_of(&p, &|_| true);
            let file = critical(|| sink.writer.add(&folded.text))?;
            sink.attribution = Some(Attribution::Window);
            for r in &reqs {
                sink.requests.insert(r.info.trace_id.clone());
            }
            sink.units.push(UnitEntry {
                file,
                samples: folded.samples,
                cpu_ns_per_sample: per_sample,
                no_stack_samples: folded.no_stack,
                window_start: rfc3339(w.start_ns),
                window_end: rfc3339(w.end_ns),
                requests: reqs.iter().map(|r| r.info.clone()).collect(),
            });
        }
        Ok(())
    }

    /// The progress line: matches so far and time left.
    pub(super) fn progress(&self, deadline: Instant) -> String {
        let left = deadline.saturating_duration_since(Instant::now());
        format!(
            "{}/{} requests, {} left",
            self.matched_count().min(self.a.count),
            self.a.count,
            fmt_left(left)
        )
    }

    /// The collector's scratch files are not part of the cohort.
    pub(super) fn remove_scratch(&self) {
        let _ = std::fs::remove_dir_all(&self.scratch);
    }

    /// Remove the unfinished cohorts (after a fatal error).
    pub(super) fn abandon(self) {
        critical(|| {
            self.out.writer.abandon();
            if let Some(b) = self.base {
                b.writer.abandon();
            }
        });
    }

    /// Store the label-attributed requests (one unit each), write the manifests and move
    /// the cohorts into place.
    pub(super) fn finish_cohorts(mut self) -> Result<Summary> {
        let mut by_trace: Vec<(String, LabelledRequest)> =
            std::mem::take(&mut self.labelled).into_iter().collect();
        by_trace.sort_by(|x, y| x.0.cmp(&y.0));
        for (_, l) in by_trace {
            let r = &l.request;
            let sink = if r.matched {
                &mut self.out
            } else {
                match self.base.as_mut() {
                    Some(b) => b,
                    None => continue,
                }
            };
            let mut lines: Vec<String> = l.stacks.iter().map(|(s, c)| format!("{s} {c}")).collect();
            lines.sort();
            let samples = l.stacks.values().sum();
            let file = critical(|| sink.writer.add(&(lines.join("\n") + "\n")))?;
            sink.attribution = Some(Attribution::Label);
            sink.requests.insert(r.info.trace_id.clone());
            sink.units.push(UnitEntry {
                file,
                samples,
                cpu_ns_per_sample: l.per_sample,
                no_stack_samples: l.no_stack,
                window_start: r.info.start.clone(),
                window_end: rfc3339(r.end_ns),
                requests: vec![r.info.clone()],
            });
        }

        let a = self.a;
        let criteria = serde_json::json!({
            "min_duration_ms": a.min_duration.map(|d| d as f64 / 1e6),
            "max_duration_ms": a.max_duration.map(|d| d as f64 / 1e6),
            "status_code": a.status_code,
            "url_pattern": a.url_pattern,
        });
        let stopped_by = self.stopped_by;
        let source = self.poller.describe();
        let collector = self.collector.name();
        let manifest = |sink: &Sink, name: &str| Manifest {
            schema_version: crate::report::SCHEMA_VERSION.into(),
            kind: KIND.into(),
            created: rfc3339(now_ns()),
            complete: stopped_by != "interrupt",
            stopped_by: stopped_by.into(),
            cohort: name.into(),
            source: source.clone(),
            service: a.service.clone(),
            criteria: criteria.clone(),
            collector: collector.into(),
            frequency_hz: a.frequency,
            attribution: sink.attribution.unwrap_or(Attribution::Window),
            units: sink.units.clone(),
        };
        let finish = |sink: Sink, name: &str| -> Result<CohortSummary> {
            let m = manifest(&sink, name);
            let (units, requests) = (sink.units.len(), sink.requests.len());
            let samples = sink.units.iter().map(|u| u.samples).sum();
            let no_stack_samples = sink.units.iter().map(|u| u.no_stack_samples).sum();
            Ok(CohortSummary {
                dir: critical(|| sink.writer.finish(&m))?,
                units,
                requests,
                samples,
                no_stack_samples,
            })
        };
        let attribution = self.out.attribution.unwrap_or(Attribution::Window);
        let out = finish(self.out, "match")?;
        let baseline = match self.base {
            Some(b) => Some(finish(b, "baseline")?),
            None => None,
        };
        Ok(Summary {
            service: a.service.clone(),
            source,
            count: a.count,
            stopped_by,
            windows: self.window_n,
            skipped: self.skipped,
            poll_errors: self.poll_errors,
            attribution,
            out,
            baseline,
        })
    }
}

/// Add the samples of a labelled window to the requests they are labelled with.
fn add_labelled(
    labelled: &mut Labelled,
    p: &Profile,
    overlapping: &[&Request],
    keys: &[String],
    per_sample: f64,
) {
    for &r in overlapping {
        let folded = folded_of(p, &|s| {
            sample_ids(s, keys)
                .iter()
                .any(|id| r.ids.iter().any(|rid| id_matches(rid, id)))
        });
        if folded.samples + folded.no_stack == 0 {
            continue;
        }
        let e = labelled
            .entry(r.info.trace_id.clone())
            .or_insert_with(|| LabelledRequest {
                request: r.clone(),
                stacks: HashMap::new(),
                no_stack: 0,
                per_sample,
            });
        e.no_stack += folded.no_stack;
        for line in folded.text.lines() {
            if let Some((stack, c)) = line.rsplit_once(' ') {
                *e.stacks.entry(stack.to_string()).or_insert(0) += c.parse::<u64>().unwrap_or(0);
            }
        }
    }
}
