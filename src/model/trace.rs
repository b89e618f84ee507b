//! A trace: the spans that share one trace id.

use std::sync::Arc;

use super::parent_links::{KnownLinks, ParentLinks};
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
    /// Parent links already resolved for `spans`, if any (see [`ParentLinks`]).
    links: KnownLinks,
}

impl Trace {
    pub fn new(id: String) -> Trace {
        Trace {
            id,
            spans: Arc::default(),
            warnings: Vec::new(),
            parents_inferred: false,
            links: KnownLinks::default(),
        }
    }

    /// A trace of `spans`, with nothing else known about it.
    pub fn with_spans(id: String, spans: Vec<Span>) -> Trace {
        let mut t = Trace::new(id);
        t.spans = Arc::new(spans);
        t
    }

    /// The spans to change, copied first when another holder shares them. Links remembered
    /// for them are forgotten: the change may move a parent.
    pub fn spans_mut(&mut self) -> &mut Vec<Span> {
        self.links = KnownLinks::default();
        Arc::make_mut(&mut self.spans)
    }

    /// Remember `links`, resolved for the spans the trace has now.
    pub fn remember_links(&mut self, links: ParentLinks) {
        self.links = KnownLinks::new(&self.spans, links);
    }

    /// [`Trace::parent_links`], no longer remembered: the caller keeps the only copy.
    pub fn take_parent_links(&mut self) -> Arc<ParentLinks> {
        let links = self.parent_links();
        self.links = KnownLinks::default();
        links
    }

    /// The parent links of the spans the trace has now: remembered, or resolved here.
    pub fn parent_links(&self) -> Arc<ParentLinks> {
        self.links
            .for_spans(&self.spans)
            .unwrap_or_else(|| Arc::new(ParentLinks::of(&self.spans)))
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

    /// The distinct service names, sorted.
    pub fn services(&self) -> Vec<&str> {
        // Distinct first, then sorted: a million spans name a few dozen services, and
        // sorting every span's name compared names twenty million times (0.15 s).
        let mut seen: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
        let mut last = None;
        for s in self.spans.iter() {
            let name = s.service.as_str();
            if last != Some(name) {
                seen.insert(name);
                last = Some(name);
            }
        }
        let mut v: Vec<&str> = seen.into_iter().collect();
        v.sort_unstable();
        v
    }

    pub fn error_count(&self) -> usize {
        self.spans.iter().filter(|s| s.is_error()).count()
    }
}
