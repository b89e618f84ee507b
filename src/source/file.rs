//! A file or stdin: every trace read up front, searched in memory. A long-running process
//! (the MCP server) may keep decoded files in a [`DecodedFiles`] store, so repeated calls on
//! one file read and decode it once.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

use crate::error::Result;
use crate::model::Trace;

use super::limits::Limits;
use super::search::{SearchQuery, TraceSummary};
use super::trace_source::{pick, TraceSource};

/// What a decoded file is known by: its path, its length and modification time when read
/// (a changed file is read afresh) and the limits it was read under.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileKey {
    pub path: PathBuf,
    pub len: u64,
    pub modified: Option<SystemTime>,
    pub limits: Limits,
}

impl FileKey {
    /// The key of the regular file at `path`; None for anything else (stdin, a pipe).
    fn of(path: &str, limits: &Limits) -> Option<FileKey> {
        let meta = std::fs::metadata(path).ok().filter(|m| m.is_file())?;
        Some(FileKey {
            path: std::fs::canonicalize(path).ok()?,
            len: meta.len(),
            modified: meta.modified().ok(),
            limits: *limits,
        })
    }
}

/// A store of decoded files shared across commands in one process.
pub trait DecodedFiles: Send + Sync {
    fn get(&self, key: &FileKey) -> Option<Arc<Vec<Trace>>>;
    fn put(&self, key: FileKey, traces: Arc<Vec<Trace>>);
}

static DECODED: OnceLock<Box<dyn DecodedFiles>> = OnceLock::new();

/// Keep decoded files in `store` from now on (once per process; later calls are ignored).
pub fn keep_decoded_files(store: Box<dyn DecodedFiles>) {
    let _ = DECODED.set(store);
}

/// Traces read in full from a file or stdin; searched in memory.
pub struct FileSource {
    what: String,
    traces: Arc<Vec<Trace>>,
}

impl FileSource {
    pub fn load(path: &str, limits: &Limits) -> Result<FileSource> {
        let store = DECODED.get();
        let key = store.and_then(|_| FileKey::of(path, limits));
        let cached = store.zip(key.as_ref()).and_then(|(s, k)| s.get(k));
        let traces = match cached {
            Some(traces) => traces,
            None => {
                let traces = Arc::new(super::load(path, limits)?);
                if let Some((s, k)) = store.zip(key) {
                    s.put(k, Arc::clone(&traces));
                }
                traces
            }
        };
        Ok(FileSource {
            what: path.to_string(),
            traces,
        })
    }

    pub fn stdin(limits: &Limits) -> Result<FileSource> {
        let bytes = limits.read_stdin()?;
        FileSource::from_bytes(&bytes, "stdin", limits)
    }

    pub fn from_bytes(bytes: &[u8], what: &str, limits: &Limits) -> Result<FileSource> {
        Ok(FileSource {
            what: what.to_string(),
            traces: Arc::new(super::decode(bytes, what, limits)?),
        })
    }

    pub fn traces(&self) -> &[Trace] {
        &self.traces
    }
}

impl TraceSource for FileSource {
    fn describe(&self) -> String {
        self.what.clone()
    }

    fn trace(&self, id: &str) -> Result<Trace> {
        pick(&self.traces, Some(id), &self.what)
    }

    fn only_trace(&self) -> Result<Trace> {
        pick(&self.traces, None, &self.what)
    }

    fn loaded(&self) -> Option<(usize, usize)> {
        let spans = self.traces.iter().map(|t| t.spans.len()).sum();
        Some((self.traces.len(), spans))
    }

    fn search(&self, q: &SearchQuery) -> Result<Vec<TraceSummary>> {
        let use_window = q.explicit_window;
        let mut hits: Vec<TraceSummary> = self
            .traces
            .iter()
            .filter(|t| q.matches(t, use_window))
            .map(TraceSummary::of)
            .collect();
        q.keep(&mut hits);
        Ok(hits)
    }

    fn services(&self) -> Result<Vec<String>> {
        let mut v: Vec<String> = self
            .traces
            .iter()
            .flat_map(|t| t.spans.iter().map(|s| s.service.clone()))
            .collect();
        v.sort();
        v.dedup();
        Ok(v)
    }

    fn operations(&self, service: &str) -> Result<Vec<String>> {
        let mut v: Vec<String> = self
            .traces
            .iter()
            .flat_map(|t| {
                t.spans
                    .iter()
                    .filter(|s| s.service == service)
                    .map(|s| s.operation.clone())
            })
            .collect();
        v.sort();
        v.dedup();
        Ok(v)
    }
}
