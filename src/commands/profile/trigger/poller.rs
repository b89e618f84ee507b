//! The trace source `profile trigger` watches, re-read on every poll.

use std::collections::HashSet;

use crate::commands::Options;
use crate::error::{Error, Result};
use crate::model::Trace;
use crate::source::backend::{self, fetch_many, TraceSource};
use crate::source::config::Config;
use crate::source::search::{now_ns, SearchQuery};
use crate::source::spec::SourceSpec;

/// The trace source, re-read on every poll.
pub(super) enum Poller {
    File(String, crate::source::Limits),
    Remote(Box<dyn TraceSource>),
}

impl Poller {
    pub(super) fn describe(&self) -> String {
        match self {
            Poller::File(p, _) => p.clone(),
            Poller::Remote(s) => s.describe(),
        }
    }

    /// Traces that may hold new requests. A file is read again in full: it may have grown.
    /// A last line still being written is left for the next poll.
    pub(super) fn poll(
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

/// The poller for --source; stdin is refused because it cannot be read twice.
pub(super) fn open_poller(opts: &Options) -> Result<Poller> {
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
            &crate::commands::http_options(opts, &settings),
        )?)),
    }
}
