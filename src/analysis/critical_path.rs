//! Critical path with jaeger-ui's semantics (`TracePage/CriticalPath/index.ts`): walk back
//! from the end of a span through its last-finishing child; parent time no child covers is
//! on the path; children are clipped to the parent first and those entirely outside it are
//! dropped.

use crate::model::IndexedTrace;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub span: usize,
    pub start_ns: i64,
    pub end_ns: i64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CriticalPath {
    /// Non-overlapping segments in time order, covering the main root's window exactly.
    pub segments: Vec<Segment>,
    /// Time each span spends on the path, by span index (0 when off the path).
    pub on_path_ns: Vec<i64>,
}

impl CriticalPath {
    pub fn contains(&self, span: usize) -> bool {
        self.on_path_ns.get(span).is_some_and(|&ns| ns > 0)
    }
}

/// The critical path of the trace's main root (see `Tree::main_root`).
pub fn critical_path(_t: &IndexedTrace) -> CriticalPath {
    unimplemented!("critical_path")
}
