//! A file or stdin: every trace read up front, searched in memory.

use crate::error::Result;
use crate::model::Trace;

use super::limits::Limits;
use super::search::{SearchQuery, TraceSummary};
use super::trace_source::{pick, TraceSource};

/// Traces read in full from a file or stdin; searched in memory.
pub struct FileSource {
    what: String,
    traces: Vec<Trace>,
}

impl FileSource {
    pub fn load(path: &str, limits: &Limits) -> Result<FileSource> {
        Ok(FileSource {
            what: path.to_string(),
            traces: super::load(path, limits)?,
        })
    }

    pub fn stdin(limits: &Limits) -> Result<FileSource> {
        let bytes = limits.read_stdin()?;
        FileSource::from_bytes(&bytes, "stdin", limits)
    }

    pub fn from_bytes(bytes: &[u8], what: &str, limits: &Limits) -> Result<FileSource> {
        Ok(FileSource {
            what: what.to_string(),
            traces: super::decode(bytes, what, limits)?,
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
