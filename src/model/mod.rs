//! The trace model every source produces and every analysis reads.

pub mod ids;
pub mod integrity;
pub mod llm;
pub mod origin_rewrites;
pub mod parent_links;
pub mod profile;
pub mod shared_text;
pub mod skew;
pub mod span;
pub mod span_index;
pub mod span_metrics;
pub mod status;
pub mod trace;
pub mod tree;
pub mod window_stats;

pub use ids::{id_matches, match_key, normalize_id, normalized_id};
pub use integrity::Integrity;
pub use origin_rewrites::OriginRewrites;
pub use parent_links::ParentLinks;
pub use span::{
    attr, AttrValue, Attributes, CompactString, Event, Link, Origin, RefType, Span, SpanKind,
    Status, StatusCode,
};
pub use span_index::SpanIndex;
pub use trace::Trace;
pub use tree::Tree;

/// A trace prepared for analysis: skew-adjusted (when asked) and indexed.
#[derive(Debug, Clone)]
pub struct IndexedTrace {
    pub trace: Trace,
    pub tree: Tree,
}

impl IndexedTrace {
    /// Index `trace`, first shifting skewed spans by at most `max_skew_ns` (None: no adjustment).
    pub fn new(mut trace: Trace, max_skew_ns: Option<i64>) -> IndexedTrace {
        let links = trace.take_parent_links();
        // Timing findings once, for the spans where the skew adjustment leaves them.
        let tree = Tree::untimed(&trace, links);
        let adjustments = match max_skew_ns {
            Some(max) => skew::adjust_clock_skew(&mut trace, &tree, max),
            None => Vec::new(),
        };
        let tree = if adjustments.is_empty() {
            tree.timed(&trace)
        } else {
            let mut tree = tree.retimed(&trace);
            tree.integrity.skew_adjustments = adjustments;
            tree
        };
        IndexedTrace { trace, tree }
    }
}
