//! A trace: the spans that share one trace id.

use std::sync::Arc;

use super::span::Span;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Trace {
    /// Normalised trace id (see [`super::ids::normalize_id`]).
    pub id: String,
    /// Shared until written: a source that keeps its traces (a file, the MCP server's cache)
    /// hands out a copy that costs a reference count, and only a writer (masking a secret,
    /// adjusting skew) pays for its own spans, through [`Trace::spans_mut`].
    pub spans: Arc<Vec<Span>>,
    /// Warnings the source attached (Jaeger `warnings`, Tempo `PARTIAL`), shown in reports.
    pub warnings: Vec<String>,
    /// Parent links were not in the source and were inferred from time containment
    /// (tables without a parent column); [`super::Tree::build`] reports it in integrity.
    pub parents_inferred: bool,
}

impl Trace {
    pub fn new(id: String) -> Trace {
        Trace {
            id,
            spans: Arc::default(),
            warnings: Vec::new(),
            parents_inferred: false,
        }
    }

    /// The spans to change, copied first when another holder shares them.
    pub fn spans_mut(&mut self) -> &mut Vec<Span> {
        Arc::make_mut(&mut self.spans)
    }

    /// Earliest span start, in ns since the epoch.
    pub fn start_ns(&self) -> i64 {
        self.spans.iter().map(|s| s.start_ns).min().unwrap_or(0)
    }

    /// Latest span end, in ns since the epoch.
    pub fn end_ns(&self) -> i64 {
        self.spans.iter().map(|s| s.end_ns()).max().unwrap_or(0)
    }

    pub fn duration_ns(&self) -> i64 {
        self.end_ns().saturating_sub(self.start_ns())
    }

    /// Distinct service names, sorted.
    pub fn services(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.spans.iter().map(|s| s.service.as_str()).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    pub fn error_count(&self) -> usize {
        self.spans.iter().filter(|s| s.is_error()).count()
    }
}
