//! A file or stdin: every trace read up front, searched in memory. A long-running process
//! (the MCP server) may keep decoded files in a [`DecodedFiles`] store, so repeated calls on
//! one file read and decode it once.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::SystemTime;

use crate::error::Result;
use rustc_hash::FxHashMap;

use crate::model::{match_key, Trace};

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
    pub fn of(path: &str, limits: &Limits) -> Option<FileKey> {
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
    held: Mutex<Held>,
    /// Traces and spans read, counted before any was lent.
    loaded: (usize, usize),
    /// Each trace's position by [`match_key`] of its id: a command that fetches thousands of
    /// traces one by one (a window, a baseline) must not scan them all each time.
    index: FxHashMap<String, usize>,
    /// The file and limits to read again, when this source alone holds what it read (no
    /// store shares it). Each trace is then lent: moved out on its first request rather
    /// than copied, so a command holds the only copy and may adjust it in place (skew) —
    /// on a 100,000-span trace a copy is a third of the memory. A later request for a lent
    /// trace reads the file again.
    reread: Option<(String, Limits)>,
}

impl FileSource {
    pub fn load(path: &str, limits: &Limits) -> Result<FileSource> {
        let store = DECODED.get();
        let key = store.and_then(|_| FileKey::of(path, limits));
        let cached = store.zip(key.as_ref()).and_then(|(s, k)| s.get(k));
        if let Some(traces) = cached {
            return Ok(FileSource::new(path, traces, None));
        }
        let traces = Arc::new(super::load(path, limits)?);
        match store.zip(key) {
            Some((s, k)) => {
                s.put(k, Arc::clone(&traces));
                Ok(FileSource::new(path, traces, None))
            }
            None => Ok(FileSource::new(
                path,
                traces,
                Some((path.to_string(), *limits)),
            )),
        }
    }

    pub fn stdin(limits: &Limits) -> Result<FileSource> {
        let bytes = limits.read_stdin()?;
        FileSource::from_bytes(&bytes, "stdin", limits)
    }

    pub fn from_bytes(bytes: &[u8], what: &str, limits: &Limits) -> Result<FileSource> {
        let traces = Arc::new(super::decode(bytes, what, limits)?);
        Ok(FileSource::new(what, traces, None))
    }

    fn new(what: &str, traces: Arc<Vec<Trace>>, reread: Option<(String, Limits)>) -> FileSource {
        let spans = traces.iter().map(|t| t.spans.len()).sum();
        let mut index = FxHashMap::with_capacity_and_hasher(traces.len(), Default::default());
        for (i, t) in traces.iter().enumerate().rev() {
            // Reversed: the first of traces with equal keys is kept, as a scan would find.
            index.insert(match_key(&t.id), i);
        }
        FileSource {
            what: what.to_string(),
            loaded: (traces.len(), spans),
            index,
            held: Mutex::new(Held {
                lent: vec![false; traces.len()],
                traces,
            }),
            reread,
        }
    }

    fn held(&self) -> MutexGuard<'_, Held> {
        self.held.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The trace `id` names (the only one when None): lent when this source may, else a
    /// copy that shares its spans.
    fn get(&self, id: Option<&str>) -> Result<Trace> {
        let mut held = self.held();
        let found = match id {
            Some(id) => self.index.get(&match_key(id)).copied(),
            None => (held.traces.len() == 1).then_some(0),
        };
        let Some(i) = found else {
            // The scan says why: not found, or which traces there are to name.
            return pick(&held.traces, id, &self.what);
        };
        if self.reread.is_none() {
            return Ok(held.traces[i].clone());
        }
        if held.lent[i] {
            // Lent before: read the file again for another copy.
            let id = held.traces[i].id.clone();
            drop(held);
            let (path, limits) = self.reread.as_ref().expect("checked above");
            let again = super::load(path, limits)?;
            return pick(&again, Some(&id), &self.what);
        }
        let Held { traces, lent } = &mut *held;
        match Arc::get_mut(traces) {
            Some(traces) => {
                lent[i] = true;
                let id = traces[i].id.clone();
                Ok(std::mem::replace(&mut traces[i], Trace::new(id)))
            }
            None => Ok(traces[i].clone()),
        }
    }
}

/// What a file source still holds: its traces, and which of them were lent (moved out,
/// an empty trace of the same id left in their place).
struct Held {
    traces: Arc<Vec<Trace>>,
    lent: Vec<bool>,
}

impl TraceSource for FileSource {
    fn describe(&self) -> String {
        self.what.clone()
    }

    fn trace(&self, id: &str) -> Result<Trace> {
        self.get(Some(id))
    }

    fn only_trace(&self) -> Result<Trace> {
        self.get(None)
    }

    fn loaded(&self) -> Option<(usize, usize)> {
        Some(self.loaded)
    }

    fn search(&self, q: &SearchQuery) -> Result<Vec<TraceSummary>> {
        let use_window = q.explicit_window;
        let held = self.held();
        let mut hits: Vec<TraceSummary> = (held.traces.iter().zip(&held.lent))
            .filter(|(t, lent)| !**lent && q.matches(t, use_window))
            .map(|(t, _)| t)
            .map(TraceSummary::of)
            .collect();
        q.keep(&mut hits);
        Ok(hits)
    }

    fn services(&self) -> Result<Vec<String>> {
        let mut v: Vec<String> = self
            .held()
            .traces
            .iter()
            .flat_map(|t| t.spans.iter().map(|s| s.service.to_string()))
            .collect();
        v.sort();
        v.dedup();
        Ok(v)
    }

    fn operations(&self, service: &str) -> Result<Vec<String>> {
        let mut v: Vec<String> = self
            .held()
            .traces
            .iter()
            .flat_map(|t| {
                t.spans
                    .iter()
                    .filter(|s| s.service == service)
                    .map(|s| s.operation.to_string())
            })
            .collect();
        v.sort();
        v.dedup();
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn testdata(name: &str) -> String {
        format!("{}/testdata/{name}", env!("CARGO_MANIFEST_DIR"))
    }

    #[test]
    fn a_lent_trace_asked_for_again_is_read_again_whole() {
        let path = testdata("execution-2193.jaeger.json");
        let source = FileSource::load(&path, &Limits::default()).unwrap();
        let first = source.only_trace().unwrap();
        assert!(first.spans.len() > 1);
        // The first request moved the trace out; the second reads the file again.
        let again = source.trace(&first.id).unwrap();
        assert_eq!(again, first);
        assert_eq!(source.only_trace().unwrap(), first);
        assert_eq!(source.loaded(), Some((1, first.spans.len())));
    }

    #[test]
    fn bytes_are_not_lent_and_copies_share_their_spans() {
        let bytes = std::fs::read(testdata("execution-2193.jaeger.json")).unwrap();
        let source = FileSource::from_bytes(&bytes, "stdin", &Limits::default()).unwrap();
        let (a, b) = (source.only_trace().unwrap(), source.only_trace().unwrap());
        assert!(Arc::ptr_eq(&a.spans, &b.spans));
        assert_eq!(source.search(&SearchQuery::default()).unwrap().len(), 1);
    }
}
