//! Opening sources and picking the trace the user asked for. Every source a command reads
//! is opened here, so every one is masked for output that leaves (see [`super::redacted`]).

use std::io::IsTerminal;

use crate::error::{Error, Result};
use crate::model::Trace;
use crate::report::redact::Redactor;
use crate::source::backend::{self, FileSource, TraceSource};
use crate::source::config::Config;
use crate::source::http::HttpOptions;
use crate::source::spec::{SourceSettings, SourceSpec};

use super::redacted::Redacted;
use super::Options;

/// Open the source named by `--source` (or piped stdin).
pub fn open_source(opts: &Options) -> Result<Box<dyn TraceSource>> {
    let no_source = || {
        Error::Usage(
            "no trace source: pass --source <file|-|jaeger+http://…|tempo+http://…|postgres://…|name>, or set TRACEDIAG_SOURCE".into(),
        )
    };
    match &opts.source {
        Some(s) => open_named(opts, s),
        None if !std::io::stdin().is_terminal() => {
            // Piped input without --source. Nothing piped at all is more likely a forgotten
            // --source than an empty trace file, so say that.
            let bytes = opts.limits().read_stdin()?;
            if bytes.is_empty() {
                return Err(no_source());
            }
            let source = FileSource::from_bytes(&bytes, "stdin", opts.limits())?;
            Ok(masked(opts, Box::new(source)))
        }
        None => Err(no_source()),
    }
}

/// The `--source` source, not masked: for `check`, whose rules must see the trace as
/// recorded (a rule may match a value a mask would hide) and which masks every line it
/// prints itself, in every format.
pub fn open_unmasked(opts: &Options) -> Result<Box<dyn TraceSource>> {
    let mut unmasked = opts.clone();
    unmasked.redaction.enabled = false;
    open_source(&unmasked)
}

/// Open the source `spec` names (a path, `-`, a URL or a configured name), with the global
/// HTTP settings: --source, compare's --source-b, a window's --baseline-source.
pub fn open_named(opts: &Options, spec: &str) -> Result<Box<dyn TraceSource>> {
    let config = Config::load()?;
    let (spec, settings) = SourceSpec::resolve(spec, &config)?;
    open_spec(opts, &spec, &settings)
}

/// Open a resolved source.
pub fn open_spec(
    opts: &Options,
    spec: &SourceSpec,
    settings: &SourceSettings,
) -> Result<Box<dyn TraceSource>> {
    if opts.verbose > 0 && spec.is_remote() {
        eprintln!("tracediag: source {}", spec.display());
    }
    let source = backend::open(spec, &http_options(opts, settings))?;
    Ok(masked(opts, source))
}

/// The source, masked when the output leaves for machines or other people (json, llm,
/// markdown) unless `--no-redact`; the table for the person at the terminal is not.
fn masked(opts: &Options, source: Box<dyn TraceSource>) -> Box<dyn TraceSource> {
    if opts.format.redacts() && opts.redaction.enabled {
        let redactor = Redactor::new(&opts.redaction.extra_keys);
        Box::new(Redacted::new(source, redactor, opts.verbose))
    } else {
        source
    }
}

/// The HTTP settings: flags, then the named source's config, then the environment.
pub fn http_options(opts: &Options, settings: &SourceSettings) -> HttpOptions {
    let mut http = opts.http.clone();
    // Config headers first: a --header of the same name replaces it.
    let mut headers = settings.headers.clone();
    headers.extend(http.headers);
    http.headers = headers;
    http.tenant = http.tenant.or_else(|| settings.tenant.clone());
    // Config columns first: a --column for the same role replaces it.
    http.columns = settings
        .columns
        .iter()
        .chain(&http.columns)
        .cloned()
        .collect();
    http
}

/// The trace named by `id`, or the only one in the source when `id` is omitted.
pub fn load_trace(opts: &Options, source: &dyn TraceSource, id: Option<&str>) -> Result<Trace> {
    let trace = match id {
        Some(id) => source.trace(id)?,
        None => source.only_trace()?,
    };
    if opts.verbose > 0 {
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
