//! Command-line definitions of `tracediag profile` (trigger, compare), kept beside
//! `args.rs` so the profiling flags live in one place.

use clap::{Args, Subcommand, ValueEnum};

use crate::units::parse_duration_ns;

pub const PROFILE_AFTER_HELP: &str = "\
Examples:
  tracediag profile trigger --source traces.jsonl --service api --min-duration 1s \\
      --command 'py-spy record --format raw -F -r {hz} -d {seconds} -o {out} --pid 1234 --nonblocking' \\
      --count 10 --out slow --baseline fast
  tracediag profile compare --a slow --b fast
  tracediag profile compare --a slow --b fast --svg diff.svg --format json";

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Watch a trace source for requests matching criteria, profile the service while
    /// armed, and store each match's profile in a cohort directory.
    #[command(after_help = PROFILE_AFTER_HELP)]
    Trigger(TriggerArgs),
    /// Differential hotspots between two cohorts: which functions are hotter in A than in
    /// B, with request-level significance; optional differential flame graph.
    #[command(after_help = PROFILE_AFTER_HELP)]
    Compare(CompareArgs),
}

#[derive(Debug, Args)]
pub struct ProfileArgs {
    #[command(subcommand)]
    pub command: ProfileCommand,
}

#[derive(Debug, Args)]
pub struct TriggerArgs {
    /// The service whose requests are matched and profiled.
    #[arg(long)]
    pub service: String,

    /// Match requests at least this long (the service's entry span), e.g. 1s, 250ms.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration_ns)]
    pub min_duration: Option<i64>,

    /// Match requests at most this long.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration_ns)]
    pub max_duration: Option<i64>,

    /// Match the HTTP status: `5xx`, `4xx`, `503`, or `error` for an error span status.
    #[arg(long, value_name = "PATTERN")]
    pub status_code: Option<String>,

    /// Match the route, path or URL (`http.route`, `url.path`, `http.target`, `http.url`,
    /// `url.full`, else the operation name) against a glob: `*` any run, `?` one character.
    #[arg(long, value_name = "GLOB")]
    pub url_pattern: Option<String>,

    /// Stop after this many matching requests have a profile.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub count: usize,

    /// Stop after this long, keeping what was collected. (The global --timeout is the limit
    /// for one HTTP request, so the overall limit has its own name.)
    #[arg(long, default_value = "5m", value_name = "DURATION", value_parser = parse_duration_ns)]
    pub max_wait: i64,

    /// Sampling frequency passed to the collector ({hz}).
    #[arg(long, default_value_t = 99, value_name = "HZ")]
    pub frequency: u32,

    /// Length of one collection window ({seconds}); shorter windows tie samples to fewer
    /// requests when profiles carry no span ids.
    #[arg(long, default_value = "2s", value_name = "DURATION", value_parser = parse_duration_ns)]
    pub window: i64,

    /// Cohort directory for the matching requests (must not exist or be empty).
    #[arg(long, value_name = "DIR")]
    pub out: std::path::PathBuf,

    /// Also store the non-matching requests of the service, as a second cohort here.
    #[arg(long, value_name = "DIR")]
    pub baseline: Option<std::path::PathBuf>,

    /// Run this profiler for each window. Placeholders: {hz} frequency, {seconds} window
    /// length in whole seconds, {out} the file it must write (pprof, gzipped or not, folded
    /// stacks, py-spy raw or perf script). Run with `sh -c`.
    #[arg(
        long,
        value_name = "TEMPLATE",
        group = "collector",
        help_heading = "Collector (one of)"
    )]
    pub command: Option<String>,

    /// Fetch `URL?seconds=N` for each window (Go net/http/pprof's /debug/pprof/profile).
    #[arg(
        long,
        value_name = "URL",
        group = "collector",
        help_heading = "Collector (one of)"
    )]
    pub pprof_url: Option<String>,

    /// Query Pyroscope's /pyroscope/render for each window (flamebearer JSON).
    #[arg(
        long,
        value_name = "URL",
        group = "collector",
        requires = "pyroscope_query",
        help_heading = "Collector (one of)"
    )]
    pub pyroscope_url: Option<String>,

    /// Pyroscope query with label selector, e.g.
    /// `process_cpu:cpu:nanoseconds:cpu:nanoseconds{service_name="api"}`.
    #[arg(long, value_name = "QUERY", help_heading = "Collector (one of)")]
    pub pyroscope_query: Option<String>,

    /// Sample label keys that carry a span or trace id (repeatable; default span_id,
    /// profile_id, trace_id, otel.traceid, "span id").
    #[arg(long = "id-label", value_name = "KEY")]
    pub id_labels: Vec<String>,

    /// How often the trace source is read for new requests.
    #[arg(long, default_value = "1s", value_name = "DURATION", value_parser = parse_duration_ns)]
    pub poll: i64,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Cohort A: a cohort directory, a folder of profile files, or profile files (one unit
    /// each, or one per request when samples carry span or trace id labels).
    #[arg(long = "a", value_name = "DIR|FILE", num_args = 1.., required_unless_present = "profiles")]
    pub a: Vec<std::path::PathBuf>,

    /// Cohort B, the reference.
    #[arg(long = "b", value_name = "DIR|FILE", num_args = 1.., required_unless_present = "profiles")]
    pub b: Vec<std::path::PathBuf>,

    /// Trace-labelled profile files to split into cohorts by what their requests' traces
    /// look like (with --cohort-a/--cohort-b; traces come from --source).
    #[arg(long, value_name = "FILE", num_args = 1.., conflicts_with_all = ["a", "b"], requires_all = ["cohort_a", "cohort_b"], help_heading = "Cohorts by trace filter")]
    pub profiles: Vec<std::path::PathBuf>,

    /// With --profiles: the filter selecting cohort A's requests, e.g. 'duration > 1s'
    /// (the filter language of `tracediag cohorts`).
    #[arg(
        long,
        value_name = "FILTER",
        requires = "profiles",
        help_heading = "Cohorts by trace filter"
    )]
    pub cohort_a: Option<String>,

    /// With --profiles: the filter selecting cohort B's requests, e.g. 'duration < 100ms'.
    #[arg(
        long,
        value_name = "FILTER",
        requires = "profiles",
        help_heading = "Cohorts by trace filter"
    )]
    pub cohort_b: Option<String>,

    /// With --profiles: only traces that pass through this service.
    #[arg(
        long,
        value_name = "SERVICE",
        requires = "profiles",
        help_heading = "Cohorts by trace filter"
    )]
    pub service: Option<String>,

    /// With --profiles: only traces that started in the last DURATION (default: a file's
    /// every trace, a remote source's last hour).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration_ns, requires = "profiles", help_heading = "Cohorts by trace filter")]
    pub since: Option<i64>,

    /// With --profiles: most traces read from the source.
    #[arg(
        long,
        default_value_t = 5000,
        value_name = "N",
        requires = "profiles",
        help_heading = "Cohorts by trace filter"
    )]
    pub max_traces: usize,

    /// Rank by self time (the function itself) or total time (with its callees).
    #[arg(long, value_enum, default_value_t = MetricArg::SelfTime)]
    pub metric: MetricArg,

    /// Functions listed.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub top: usize,

    /// Permutations of the significance test.
    #[arg(long, default_value_t = 2000, value_name = "N")]
    pub permutations: usize,

    /// Seed of the permutation test (fixed so that a report is reproducible).
    #[arg(long, default_value_t = 0x7261_6365_6469_6167, value_name = "N")]
    pub seed: u64,

    /// False-discovery rate for "medium" significance; "high" is a fifth of it.
    #[arg(long, default_value_t = 0.05, value_name = "ALPHA")]
    pub alpha: f64,

    /// Functions with fewer samples than this (both cohorts) are not tested.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub min_samples: u64,

    /// Functions seen in fewer units (requests or windows) than this are not tested.
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub min_units: usize,

    /// Sampling rate of profiles that do not state it (folded stacks), for CPU ms.
    #[arg(long, default_value_t = 100, value_name = "HZ")]
    pub frequency: u32,

    /// Sample label keys that carry a span or trace id (repeatable).
    #[arg(long = "id-label", value_name = "KEY")]
    pub id_labels: Vec<String>,

    /// Write a differential flame graph (SVG) here.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<std::path::PathBuf>,

    /// Write the three-column stacks (`stack B A`, B scaled to A's total) here.
    #[arg(long, value_name = "FILE")]
    pub folded: Option<std::path::PathBuf>,

    /// Do not truncate function names.
    #[arg(long)]
    pub wide: bool,
}

/// `--metric`; see `analysis::hotspots::Metric`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MetricArg {
    /// Time in the function itself (it is the leaf).
    #[value(name = "self")]
    SelfTime,
    /// Time in the function and everything it calls.
    #[value(name = "total")]
    Total,
}
