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

use std::collections::{HashMap, HashSet};
use std::io::IsTerminal;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::error::{exit, Error, Result};
use crate::model::profile::Profile;
use crate::model::{attr, id_matches, Span, Trace};
use crate::report::{Document, Format};
use crate::source::backend::{self, fetch_many, TraceSource};
use crate::source::config::Config;
use crate::source::profile::cohort::{Attribution, Manifest, RequestInfo, UnitEntry, Writer, KIND};
use crate::source::profile::{self as profiles, sample_ids};
use crate::source::search::{now_ns, rfc3339, SearchQuery};
use crate::source::spec::SourceSpec;

use super::super::interrupt::critical;
use super::super::options::TriggerRequest;
use super::super::{Options, Outcome};

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
    fn name(&self) -> &'static str {
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

/// One collection window.
struct Window {
    start_ns: i64,
    end_ns: i64,
    profile: Option<Profile>,
}

/// A request of the service seen in the source.
#[derive(Clone)]
struct Request {
    info: RequestInfo,
    start_ns: i64,
    end_ns: i64,
    matched: bool,
    /// Trace id and the service's span ids, for id labels.
    ids: Vec<String>,
}

/// A label-attributed request: its folded stacks (line → samples) and CPU per sample.
type LabelledRequest = (Request, HashMap<String, u64>, f64);
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

/// Folded stacks (counts in samples) of the samples of `p` chosen by `keep`.
fn folded_of(p: &Profile, keep: &dyn Fn(&crate::model::profile::Sample) -> bool) -> (String, u64) {
    let Ok(view) = p.cpu_view() else {
        return (String::new(), 0);
    };
    let mut agg: HashMap<&[u32], u64> = HashMap::new();
    for s in p.samples.iter().filter(|s| keep(s)) {
        let v = s.values.get(view.value_index).copied().unwrap_or(0);
        if v > 0 && !s.stack.is_empty() {
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
    let total = agg.values().sum();
    let mut text = lines.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    (text, total)
}

fn ns_per_sample(p: &Profile, hz: u32) -> f64 {
    p.cpu_view()
        .ok()
        .and_then(|v| v.ns_per_unit)
        .unwrap_or(1e9 / f64::from(hz.max(1)))
}

/// The request the service handled in this trace: its entry span (no parent in the same
/// service; the earliest, preferring server spans).
fn entry_span<'a>(t: &'a Trace, service: &str) -> Option<&'a Span> {
    let by_id: HashMap<&str, &Span> = t.spans.iter().map(|s| (s.span_id.as_str(), s)).collect();
    t.spans
        .iter()
        .filter(|s| s.service == service)
        .filter(|s| {
            s.parent_id
                .as_deref()
                .and_then(|p| by_id.get(p))
                .is_none_or(|p| p.service != service)
        })
        .min_by_key(|s| (s.kind != crate::model::SpanKind::Server, s.start_ns))
}

fn http_status(s: &Span) -> Option<i64> {
    ["http.response.status_code", "http.status_code"]
        .iter()
        .find_map(|k| s.attr(k).and_then(|v| v.as_i64()))
}

/// `5xx`, `4xx`, `503`, `error`.
pub fn status_matches(pattern: &str, http: Option<i64>, is_error: bool) -> bool {
    let p = pattern.trim().to_ascii_lowercase();
    if p == "error" {
        return is_error;
    }
    let Some(code) = http else { return false };
    let code = code.to_string();
    p.len() == code.len()
        && p.chars()
            .zip(code.chars())
            .all(|(pc, cc)| pc == 'x' || pc == cc)
}

/// Glob with `*` and `?` (iterative, no backtracking blow-up).
pub fn glob_matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            pi += 1;
            mark = ti;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

fn url_of(s: &Span) -> String {
    [
        "http.route",
        "url.path",
        "http.target",
        "http.url",
        "url.full",
    ]
    .iter()
    .find_map(|k| attr(&s.attributes, k).map(|v| v.as_text()))
    .unwrap_or_else(|| s.operation.clone())
}

fn request_of(t: &Trace, a: &TriggerRequest) -> Option<Request> {
    let e = entry_span(t, &a.service)?;
    let http = http_status(e);
    let is_error = t
        .spans
        .iter()
        .any(|s| s.service == a.service && s.is_error());
    let url = url_of(e);
    let matched = a.min_duration.is_none_or(|d| e.duration_ns >= d)
        && a.max_duration.is_none_or(|d| e.duration_ns <= d)
        && a.status_code
            .as_deref()
            .is_none_or(|p| status_matches(p, http, is_error))
        && a.url_pattern
            .as_deref()
            .is_none_or(|p| glob_matches(p, &url) || glob_matches(p, &e.operation));
    let mut ids = vec![t.id.clone()];
    ids.extend(
        t.spans
            .iter()
            .filter(|s| s.service == a.service)
            .map(|s| s.span_id.clone()),
    );
    Some(Request {
        info: RequestInfo {
            trace_id: t.id.clone(),
            span_id: e.span_id.clone(),
            operation: e.operation.clone(),
            start: rfc3339(e.start_ns),
            duration_ms: e.duration_ns as f64 / 1e6,
            status: if is_error { "error" } else { "ok" }.into(),
            http_status: http,
        },
        start_ns: e.start_ns,
        end_ns: e.end_ns(),
        matched,
        ids,
    })
}

/// The trace source, re-read on every poll.
enum Poller {
    File(String, crate::source::Limits),
    Remote(Box<dyn TraceSource>),
}

impl Poller {
    fn describe(&self) -> String {
        match self {
            Poller::File(p, _) => p.clone(),
            Poller::Remote(s) => s.describe(),
        }
    }

    /// Traces that may hold new requests. A file is read again in full: it may have grown.
    /// A last line still being written is left for the next poll.
    fn poll(
        &self,
        service: &str,
        since_ns: i64,
        seen: &HashSet<String>,
        quiet: bool,
    ) -> Result<Vec<Trace>> {
        match self {
            Poller::File(path, limits) => {
                let bytes = limits.read_file(path)?;
                if bytes.iter().all(u8::is_ascii_whitespace) {
                    return Ok(Vec::new());
                }
                let traces = match crate::source::decode(&bytes, path, limits) {
                    Ok(t) => t,
                    Err(first) => match bytes.iter().rposition(|&b| b == b'\n') {
                        Some(end) if end + 1 < bytes.len() => {
                            crate::source::decode(&bytes[..=end], path, limits)?
                        }
                        _ => return Err(first),
                    },
                };
                Ok(traces
                    .into_iter()
                    .filter(|t| !seen.contains(&t.id))
                    .collect())
            }
            Poller::Remote(source) => {
                let q = SearchQuery {
                    service: Some(service.to_string()),
                    start_ns: since_ns,
                    end_ns: now_ns().saturating_add(60_000_000_000),
                    explicit_window: true,
                    limit: 1_000,
                    ..SearchQuery::default()
                };
                let ids: Vec<String> = source
                    .search(&q)?
                    .into_iter()
                    .map(|h| h.trace_id)
                    .filter(|id| !seen.contains(id))
                    .collect();
                Ok(fetch_many(source.as_ref(), &ids, quiet)
                    .into_iter()
                    .filter_map(|r| r.ok())
                    .collect())
            }
        }
    }
}

fn open_poller(opts: &Options) -> Result<Poller> {
    let Some(raw) = &opts.source else {
        return Err(Error::Usage(
            "profile trigger needs --source: a trace file that grows, or a Jaeger or Tempo URL"
                .into(),
        ));
    };
    let config = Config::load()?;
    let (spec, settings) = SourceSpec::resolve(raw, &config)?;
    match spec {
        SourceSpec::Stdin => Err(Error::Usage(
            "profile trigger polls its source; stdin cannot be read again: pass a file or URL"
                .into(),
        )),
        SourceSpec::File(path) => Ok(Poller::File(path, *opts.limits())),
        // The poller only matches traces; nothing of them is printed, so it reads them as
        // recorded.
        spec => Ok(Poller::Remote(backend::open(
            &spec,
            &super::super::http_options(opts, &settings),
        )?)),
    }
}

/// Run the collector for one window. Returns None when interrupted before a profile was
/// written.
fn collect(
    c: &Collector,
    seconds: u64,
    hz: u32,
    scratch: &Path,
    n: usize,
    stop: &AtomicBool,
) -> std::result::Result<Option<Profile>, String> {
    match c {
        Collector::Command(template) => {
            let out = scratch.join(format!("window-{n}.prof"));
            let log = scratch.join(format!("window-{n}.log"));
            let _ = std::fs::remove_file(&out);
            let cmd = expand_template(template, hz, seconds, &out);
            let log_file = std::fs::File::create(&log).map_err(|e| e.to_string())?;
            let log_err = log_file.try_clone().map_err(|e| e.to_string())?;
            let mut child = Command::new("sh")
                .arg("-c")
                .arg(&cmd)
                .stdin(Stdio::null())
                .stdout(log_file)
                .stderr(log_err)
                .spawn()
                .map_err(|e| format!("cannot run the collector command: {e}"))?;
            // The profiler runs for the window; give it generous time to write its file.
            let hard = Instant::now() + Duration::from_secs(seconds + 30);
            let mut interrupted_at: Option<Instant> = None;
            let status = loop {
                match child.try_wait() {
                    Ok(Some(st)) => break Some(st),
                    Ok(None) => {}
                    Err(e) => return Err(e.to_string()),
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
            let written = std::fs::metadata(&out)
                .map(|m| m.len() > 0)
                .unwrap_or(false);
            if !written {
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
                return Err(format!(
                    "the collector command wrote no profile to {{out}} ({}): {}",
                    status.map_or("killed after its time limit".to_string(), |s| s.to_string()),
                    crate::report::clean_text(&tail)
                ));
            }
            let p = profiles::load(&out.display().to_string()).map_err(|e| e.to_string())?;
            let _ = std::fs::remove_file(&out);
            let _ = std::fs::remove_file(&log);
            Ok(Some(p))
        }
        Collector::Pprof(url) => {
            let client = reqwest::blocking::Client::builder()
                .timeout(Duration::from_secs(seconds + 30))
                .build()
                .map_err(|e| e.to_string())?;
            let resp = client
                .get(url)
                .query(&[("seconds", seconds.to_string())])
                .send()
                .map_err(|e| format!("{url}: {e}"))?;
            if !resp.status().is_success() {
                return Err(format!("{url}: HTTP {}", resp.status()));
            }
            let bytes = resp.bytes().map_err(|e| format!("{url}: {e}"))?;
            profiles::decode(&bytes, url)
                .map(Some)
                .map_err(|e| e.to_string())
        }
        Collector::Pyroscope { url, query } => {
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
                .map_err(|e| e.to_string())?;
            let endpoint = format!("{}/pyroscope/render", url.trim_end_matches('/'));
            let resp = client
                .get(&endpoint)
                .query(&[
                    ("query", query.clone()),
                    ("from", start.to_string()),
                    ("until", (end + seconds as i64).to_string()),
                    ("format", "json".to_string()),
                ])
                .send()
                .map_err(|e| format!("{endpoint}: {e}"))?;
            if !resp.status().is_success() {
                return Err(format!("{endpoint}: HTTP {}", resp.status()));
            }
            let bytes = resp.bytes().map_err(|e| format!("{endpoint}: {e}"))?;
            profiles::decode(&bytes, &endpoint)
                .map(Some)
                .map_err(|e| e.to_string())
        }
    }
}

fn fmt_left(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 60 {
        format!("{}m{:02}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}

pub fn run(opts: &Options, a: &TriggerRequest) -> Result<Outcome> {
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
    let poller = open_poller(opts)?;
    let keys = super::id_labels(&a.id_labels);
    // Collectors take whole seconds.
    let seconds = u64::try_from(a.window.max(1_000_000_000))
        .unwrap_or(1_000_000_000)
        .div_ceil(1_000_000_000);
    let poll_every =
        Duration::from_nanos(u64::try_from(a.poll.max(100_000_000)).unwrap_or(1_000_000_000));
    // Requests show up in the source after they end; attribute a window only when the
    // source has had this long to show the requests that ran in it.
    let settle_ns = (2 * poll_every.as_nanos() as i64).max(2_000_000_000);

    // Ctrl-C stops collection and keeps what was collected (the cohorts are finished with
    // `complete: false`, and the exit code is 130); a second Ctrl-C ends the process at
    // once and removes the unfinished cohort directories.
    let mut deferred = super::super::interrupt::defer();
    let stop: &AtomicBool = super::super::interrupt::flag();
    let mut out = Sink::new(&a.out)?;
    deferred.track(&out.writer.tmp);
    let mut base = match &a.baseline {
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

    let started = Instant::now();
    let deadline = started + Duration::from_nanos(u64::try_from(a.max_wait.max(0)).unwrap_or(0));
    let armed_ns = now_ns();
    let bar = (!opts.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg}") {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    });

    let mut seen: HashSet<String> = HashSet::new();
    let mut requests: Vec<Request> = Vec::new();
    let mut windows: Vec<Window> = Vec::new();
    // Label mode: per request, (folded lines → count) accumulated across windows.
    let mut labelled: Labelled = HashMap::new();
    let mut window_n = 0usize;
    let mut poll_errors = 0usize;
    let mut stopped_by = "timeout";

    let matched_count = |out: &Sink, labelled: &Labelled| {
        out.requests.len() + labelled.values().filter(|(r, _, _)| r.matched).count()
    };

    let attribute = |windows: &mut Vec<Window>,
                     requests: &[Request],
                     upto_ns: i64,
                     out: &mut Sink,
                     base: &mut Option<Sink>,
                     labelled: &mut Labelled|
     -> Result<()> {
        let (ready, keep): (Vec<Window>, Vec<Window>) =
            windows.drain(..).partition(|w| w.end_ns <= upto_ns);
        *windows = keep;
        for w in ready {
            let Some(p) = w.profile else { continue };
            let overlapping: Vec<&Request> = requests
                .iter()
                .filter(|r| r.start_ns < w.end_ns && r.end_ns > w.start_ns)
                .collect();
            let per_sample = ns_per_sample(&p, a.frequency);
            if profiles::has_id_labels(&p, &keys) {
                for r in overlapping {
                    let (text, n) = folded_of(&p, &|s| {
                        sample_ids(s, &keys)
                            .iter()
                            .any(|id| r.ids.iter().any(|rid| id_matches(rid, id)))
                    });
                    if n == 0 {
                        continue;
                    }
                    let e = labelled
                        .entry(r.info.trace_id.clone())
                        .or_insert_with(|| (r.clone(), HashMap::new(), per_sample));
                    for line in text.lines() {
                        if let Some((stack, c)) = line.rsplit_once(' ') {
                            *e.1.entry(stack.to_string()).or_insert(0) +=
                                c.parse::<u64>().unwrap_or(0);
                        }
                    }
                }
                continue;
            }
            let matched: Vec<&Request> =
                overlapping.iter().copied().filter(|r| r.matched).collect();
            let sink = if !matched.is_empty() {
                Some((&mut *out, matched))
            } else if !overlapping.is_empty() {
                base.as_mut().map(|b| (b, overlapping.clone()))
            } else {
                None
            };
            let Some((sink, reqs)) = sink else { continue };
            // A window in which the requests burned no CPU is still a unit: zero is data.
            let (text, n) = folded_of(&p, &|_| true);
            let file = critical(|| sink.writer.add(&text))?;
            sink.attribution = Some(Attribution::Window);
            for r in &reqs {
                sink.requests.insert(r.info.trace_id.clone());
            }
            sink.units.push(UnitEntry {
                file,
                samples: n,
                cpu_ns_per_sample: per_sample,
                window_start: rfc3339(w.start_ns),
                window_end: rfc3339(w.end_ns),
                requests: reqs.iter().map(|r| r.info.clone()).collect(),
            });
        }
        Ok(())
    };

    let mut fatal: Option<Error> = None;
    loop {
        if stop.load(Ordering::Relaxed) {
            stopped_by = "interrupt";
            break;
        }
        if matched_count(&out, &labelled) >= a.count {
            stopped_by = "count";
            break;
        }
        if Instant::now() >= deadline {
            stopped_by = "timeout";
            break;
        }
        window_n += 1;
        let w_start = now_ns();
        let profile = match collect(&collector, seconds, a.frequency, &scratch, window_n, stop) {
            Ok(p) => p,
            Err(e) if window_n == 1 => {
                fatal = Some(Error::Usage(format!("collector {}: {e}", collector.name())));
                break;
            }
            Err(e) => {
                if !opts.quiet {
                    let msg = format!("tracediag: warning: window {window_n}: {e}");
                    match &bar {
                        Some(b) => b.println(msg),
                        None => eprintln!("{msg}"),
                    }
                }
                None
            }
        };
        windows.push(Window {
            start_ns: w_start,
            end_ns: now_ns(),
            profile,
        });
        {
            match poller.poll(&a.service, armed_ns - 60_000_000_000, &seen, opts.quiet) {
                Ok(traces) => {
                    for t in traces {
                        if let Some(r) = request_of(&t, a) {
                            // A trace may be read before all its spans arrived; keep the
                            // first complete-looking request for it.
                            if r.end_ns >= armed_ns - 60_000_000_000 {
                                requests.push(r);
                            }
                        }
                        seen.insert(t.id);
                    }
                }
                Err(e) => {
                    poll_errors += 1;
                    if opts.verbose > 0 {
                        eprintln!("tracediag: polling {}: {e}", poller.describe());
                    }
                }
            }
        }
        if let Err(e) = attribute(
            &mut windows,
            &requests,
            now_ns() - settle_ns,
            &mut out,
            &mut base,
            &mut labelled,
        ) {
            fatal = Some(e);
            break;
        }
        if let Some(bar) = &bar {
            let left = deadline.saturating_duration_since(Instant::now());
            bar.set_message(format!(
                "{}/{} requests, {} left",
                matched_count(&out, &labelled).min(a.count),
                a.count,
                fmt_left(left)
            ));
        }
    }
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    if fatal.is_none() {
        // The source may still show requests that ran in the last windows.
        if stopped_by != "interrupt" {
            std::thread::sleep(poll_every.min(Duration::from_secs(2)));
        }
        if let Ok(traces) = poller.poll(&a.service, armed_ns - 60_000_000_000, &seen, true) {
            for t in traces {
                if let Some(r) = request_of(&t, a) {
                    requests.push(r);
                }
                seen.insert(t.id);
            }
        }
        if let Err(e) = attribute(
            &mut windows,
            &requests,
            i64::MAX,
            &mut out,
            &mut base,
            &mut labelled,
        ) {
            fatal = Some(e);
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    if let Some(e) = fatal {
        critical(|| {
            out.writer.abandon();
            if let Some(b) = base {
                b.writer.abandon();
            }
        });
        return Err(e);
    }

    // Label-attributed requests: one unit each.
    let mut by_trace: Vec<(String, LabelledRequest)> = labelled.into_iter().collect();
    by_trace.sort_by(|x, y| x.0.cmp(&y.0));
    for (_, (r, stacks, per_sample)) in by_trace {
        let sink = if r.matched {
            &mut out
        } else {
            match base.as_mut() {
                Some(b) => b,
                None => continue,
            }
        };
        let mut lines: Vec<String> = stacks.iter().map(|(s, c)| format!("{s} {c}")).collect();
        lines.sort();
        let samples = stacks.values().sum();
        let file = critical(|| sink.writer.add(&(lines.join("\n") + "\n")))?;
        sink.attribution = Some(Attribution::Label);
        sink.requests.insert(r.info.trace_id.clone());
        sink.units.push(UnitEntry {
            file,
            samples,
            cpu_ns_per_sample: per_sample,
            window_start: r.info.start.clone(),
            window_end: rfc3339(r.end_ns),
            requests: vec![r.info.clone()],
        });
    }

    let criteria = serde_json::json!({
        "min_duration_ms": a.min_duration.map(|d| d as f64 / 1e6),
        "max_duration_ms": a.max_duration.map(|d| d as f64 / 1e6),
        "status_code": a.status_code,
        "url_pattern": a.url_pattern,
    });
    let manifest = |sink: &Sink, name: &str| Manifest {
        schema_version: crate::report::SCHEMA_VERSION.into(),
        kind: KIND.into(),
        created: rfc3339(now_ns()),
        complete: stopped_by != "interrupt",
        stopped_by: stopped_by.into(),
        cohort: name.into(),
        source: poller.describe(),
        service: a.service.clone(),
        criteria: criteria.clone(),
        collector: collector.name().into(),
        frequency_hz: a.frequency,
        attribution: sink.attribution.unwrap_or(Attribution::Window),
        units: sink.units.clone(),
    };
    let m_out = manifest(&out, "match");
    let matched = out.requests.len();
    let out_units = out.units.len();
    let out_dir = critical(|| out.writer.finish(&m_out))?;
    let base_summary = match base {
        Some(b) => {
            let m = manifest(&b, "baseline");
            let (n_units, n_req) = (b.units.len(), b.requests.len());
            Some((critical(|| b.writer.finish(&m))?, n_units, n_req))
        }
        None => None,
    };

    let elapsed = fmt_left(started.elapsed());
    let attribution = m_out.attribution;
    let text = match opts.format {
        Format::Json => {
            let doc = serde_json::json!({
                "schema_version": crate::report::SCHEMA_VERSION,
                "service": a.service,
                "source": poller.describe(),
                "stopped_by": stopped_by,
                "elapsed_s": started.elapsed().as_secs_f64(),
                "windows": window_n,
                "poll_errors": poll_errors,
                "cohort": {"dir": out_dir.display().to_string(), "units": out_units, "requests": matched, "attribution": attribution},
                "baseline": base_summary.as_ref().map(|(d, u, r)| serde_json::json!({"dir": d.display().to_string(), "units": u, "requests": r})),
            });
            let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
            s.push('\n');
            s
        }
        _ => {
            let mut s = format!(
                "Collected {}/{} matching request(s) of {} in {elapsed} (stopped by {stopped_by}; {window_n} window(s)).\n",
                matched.min(a.count),
                a.count,
                crate::report::clean_text(&a.service)
            );
            s.push_str(&format!(
                "Cohort: {} ({out_units} unit(s), {matched} request(s); unit: {})\n",
                out_dir.display(),
                attribution.describe()
            ));
            if let Some((d, u, r)) = &base_summary {
                s.push_str(&format!(
                    "Baseline: {} ({u} unit(s), {r} request(s))\n",
                    d.display()
                ));
                s.push_str(&format!(
                    "Next: tracediag profile compare --a {} --b {}\n",
                    out_dir.display(),
                    d.display()
                ));
            }
            if poll_errors > 0 {
                s.push_str(&format!(
                    "{poll_errors} poll(s) of the source failed (-v shows why).\n"
                ));
            }
            s
        }
    };
    drop(deferred);
    let interrupted = stopped_by == "interrupt";
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_matches("/pay*", "/pay/123"));
        assert!(glob_matches("/p?y", "/pay"));
        assert!(!glob_matches("/pay*", "/api/pay"));
        assert!(glob_matches("*", ""));
        assert!(glob_matches(&"*a".repeat(20), &"a".repeat(40)));
    }

    #[test]
    fn status_patterns() {
        assert!(status_matches("5xx", Some(503), false));
        assert!(!status_matches("5xx", Some(404), false));
        assert!(status_matches("404", Some(404), false));
        assert!(status_matches("error", None, true));
        assert!(!status_matches("5xx", None, true));
    }

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
