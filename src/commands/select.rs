//! Opening the source and picking the trace the user asked for.

use std::io::IsTerminal;
use std::time::Duration;

use crate::cli::GlobalArgs;
use crate::error::{Error, Result};
use crate::model::Trace;
use crate::source::backend::{self, FileSource, TraceSource};
use crate::source::config::Config;
use crate::source::http::HttpOptions;
use crate::source::limits::Limits;
use crate::source::spec::{SourceSettings, SourceSpec};

/// Open the source named by `--source` (or piped stdin).
pub fn open_source(global: &GlobalArgs) -> Result<Box<dyn TraceSource>> {
    let no_source = || {
        Error::Usage(
            "no trace source: pass --source <file|-|jaeger+http://…|tempo+http://…|postgres://…|name>, or set TRACEDIAG_SOURCE".into(),
        )
    };
    match &global.source {
        Some(s) => open_named(global, s),
        None if !std::io::stdin().is_terminal() => {
            // Piped input without --source. Nothing piped at all is more likely a forgotten
            // --source than an empty trace file, so say that.
            let limits = limits(global);
            let bytes = limits.read_stdin()?;
            if bytes.is_empty() {
                return Err(no_source());
            }
            Ok(Box::new(FileSource::from_bytes(&bytes, "stdin", &limits)?))
        }
        None => Err(no_source()),
    }
}

/// Open the source `spec` names (a path, `-`, a URL or a configured name), with the global
/// HTTP settings: --source, and compare's --source-b.
pub fn open_named(global: &GlobalArgs, spec: &str) -> Result<Box<dyn TraceSource>> {
    let config = Config::load()?;
    let (spec, settings) = SourceSpec::resolve(spec, &config)?;
    if global.verbose > 0 && spec.is_remote() {
        eprintln!("tracediag: source {}", spec.display());
    }
    backend::open(&spec, &http_options(global, &settings))
}

/// The limits on input from the command line (see `source::limits`).
pub fn limits(global: &GlobalArgs) -> Limits {
    Limits {
        max_response_bytes: global.max_response_size,
        max_trace_spans: global.max_trace_spans,
        max_depth: global.max_depth,
        max_attr_bytes: global.max_attr_size,
        quiet: global.quiet,
    }
}

/// The HTTP settings: flags, then the named source's config, then the environment.
pub fn http_options(global: &GlobalArgs, settings: &SourceSettings) -> HttpOptions {
    // Config headers first: a --header of the same name replaces it.
    let mut headers = settings.headers.clone();
    headers.extend(global.headers.iter().cloned());
    let duration = |ns: i64| Duration::from_nanos(u64::try_from(ns).unwrap_or(0).max(1_000_000));
    HttpOptions {
        headers,
        token: std::env::var("TRACEDIAG_TOKEN")
            .ok()
            .filter(|t| !t.trim().is_empty()),
        tenant: global.tenant.clone().or_else(|| settings.tenant.clone()),
        connect_timeout: duration(global.connect_timeout),
        timeout: duration(global.timeout),
        limits: limits(global),
        concurrency: global.concurrency.max(1),
        verbose: global.verbose,
        quiet: global.quiet,
        // Config columns first: a --column for the same role replaces it.
        columns: settings
            .columns
            .iter()
            .chain(&global.columns)
            .cloned()
            .collect(),
        statement_timeout: duration(global.statement_timeout),
        ..HttpOptions::default()
    }
}

/// The trace named by `id`, or the only one in the source when `id` is omitted.
pub fn load_trace(global: &GlobalArgs, id: Option<&str>) -> Result<Trace> {
    let source = open_source(global)?;
    let trace = match id {
        Some(id) => source.trace(id)?,
        None => source.only_trace()?,
    };
    let trace = redact_for_output(global, trace);
    if global.verbose > 0 {
        let what = source.describe();
        match source.loaded() {
            Some((traces, spans)) => {
                eprintln!("tracediag: read {traces} trace(s), {spans} span(s) from {what}")
            }
            None => eprintln!(
                "tracediag: read trace {} ({} span(s)) from {what}",
                trace.id,
                trace.spans.len()
            ),
        }
    }
    Ok(trace)
}

/// Mask secrets in a trace that is about to be printed as json, llm or markdown (see
/// `report::redact`); table output for the person at the terminal is left as it is.
pub fn redact_for_output(global: &GlobalArgs, mut trace: Trace) -> Trace {
    if global.format.redacts() && !global.llm.no_redact {
        let n = crate::report::redact::Redactor::new(&global.llm.redact_keys).trace(&mut trace);
        if n > 0 && global.verbose > 0 {
            eprintln!("tracediag: redacted {n} value(s) in trace {}", trace.id);
        }
    }
    trace
}
