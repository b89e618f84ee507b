//! Traces prepared for the single-trace analyses — read, masked, indexed (skew adjusted) and
//! judged against their baseline — kept between commands by a long-running process. A model
//! asks several questions of one trace (diagnose, then the root cause, then a check); with
//! the decoded file kept (see `source::file`), preparing the trace is most of what is left.
//!
//! Only traces from unchanged local files are kept: the key holds the file's length and
//! modification time, and every option that changes the preparation. A baseline from
//! another source (`--baseline-from`) is never kept: a server's answer may change.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::analysis::baseline::Baseline;
use crate::lru::Lru;
use crate::model::IndexedTrace;
use crate::source::backend::FileKey;
use crate::source::config::Config;
use crate::source::spec::SourceSpec;

use super::options::{BaselineChoice, TraceRequest};
use super::Options;

/// Traces kept; each about as large as its spans' tree, the spans shared with the file.
const MAX_KEPT: usize = 8;
/// How long an unused trace is kept.
const TTL: Duration = Duration::from_secs(15 * 60);

/// A trace ready for the analyses, and what it is judged against.
pub type Prepared = (IndexedTrace, Option<Baseline>);

static KEPT: OnceLock<Lru<String, Arc<Prepared>>> = OnceLock::new();

/// Keep prepared traces from now on (once per process).
pub fn keep_prepared_traces() {
    let _ = KEPT.set(Lru::new(MAX_KEPT, u64::MAX, TTL));
}

/// The prepared trace `req` asks for: kept, or made by `make` (and kept when it may be).
pub fn prepared(
    opts: &Options,
    req: &TraceRequest,
    make: impl FnOnce() -> crate::error::Result<Prepared>,
) -> crate::error::Result<Prepared> {
    let Some((kept, key)) = KEPT.get().zip(key(opts, req)) else {
        return make();
    };
    if let Some(p) = kept.get(&key) {
        return Ok(Prepared::clone(&p));
    }
    let made = make()?;
    kept.put(key, Arc::new(made.clone()), 1);
    Ok(made)
}

/// What makes two preparations the same, or None when the trace may change between calls.
fn key(opts: &Options, req: &TraceRequest) -> Option<String> {
    if matches!(req.baseline.choice, BaselineChoice::From(_)) {
        return None;
    }
    let config = Config::load().ok()?;
    let (spec, _) = SourceSpec::resolve(opts.source.as_deref()?, &config).ok()?;
    let SourceSpec::File(path) = spec else {
        return None;
    };
    let file = FileKey::of(&path, opts.limits())?;
    let masked = opts.format.redacts() && opts.redaction.enabled;
    Some(format!(
        "{file:?}|{:?}|{:?}|{:?}|{masked}|{:?}",
        req.trace_id, req.analysis.max_skew, req.baseline, opts.redaction.extra_keys
    ))
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;
    use crate::analysis::Thresholds;
    use crate::commands::options::{Action, AnalysisOptions, BaselineRequest, TraceKind};
    use crate::report::Format;

    fn options(source: &str) -> (Options, TraceRequest) {
        let opts = Options {
            source: Some(source.to_string()),
            format: Format::Json,
            quiet: true,
            verbose: 0,
            http: Default::default(),
            redaction: Default::default(),
            render: Default::default(),
            action: Action::Services,
        };
        let req = TraceRequest {
            kind: TraceKind::Diagnose,
            trace_id: None,
            analysis: AnalysisOptions {
                thresholds: Thresholds::default(),
                max_skew: None,
            },
            baseline: BaselineRequest::default(),
        };
        (opts, req)
    }

    #[test]
    fn a_trace_from_an_unchanged_file_is_prepared_once() {
        keep_prepared_traces();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.json");
        let original = format!(
            "{}/testdata/execution-2193.jaeger.json",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::copy(&original, &path).unwrap();
        let (opts, req) = options(path.to_str().unwrap());
        let made = Cell::new(0);
        let make = || {
            made.set(made.get() + 1);
            Ok((
                IndexedTrace::new(crate::model::Trace::new("x".into()), None),
                None,
            ))
        };
        prepared(&opts, &req, make).unwrap();
        prepared(&opts, &req, make).unwrap();
        assert_eq!(made.get(), 1, "the second call reuses the first");
        // Another skew setting is another preparation.
        let mut other = req.clone();
        other.analysis.max_skew = Some(1);
        prepared(&opts, &other, make).unwrap();
        assert_eq!(made.get(), 2);
        // A changed file is read afresh.
        let bigger = format!("{} ", std::fs::read_to_string(&original).unwrap());
        std::fs::write(&path, bigger).unwrap();
        prepared(&opts, &req, make).unwrap();
        assert_eq!(made.get(), 3);
        // A server's trace is never kept.
        let (server, req) = options("jaeger+http://127.0.0.1:9");
        prepared(&server, &req, make).unwrap();
        prepared(&server, &req, make).unwrap();
        assert_eq!(made.get(), 5);
    }
}
