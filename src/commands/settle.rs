//! When a trace that is still arriving is complete: its span count has not changed for the
//! settle time, and every span's parent is in the trace — except the remote parent of the
//! root, the span id `check --run` put in the traceparent it generated.

use std::collections::HashSet;

use crate::model::ids::normalize_id;
use crate::model::Span;

/// What one poll saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// The source has no span of the trace yet.
    NotFound,
    /// The span count changed less than the settle time ago.
    Growing { spans: usize },
    /// Some spans' parents have not arrived.
    MissingParents { spans: usize, missing: usize },
    /// Settled and whole.
    Complete { spans: usize },
}

impl Progress {
    /// For the report when waiting stopped here.
    pub fn describe(&self) -> String {
        match self {
            Progress::NotFound => "the trace was not found".into(),
            Progress::Growing { spans } => format!("{spans} span(s), count still changing"),
            Progress::MissingParents { spans, missing } => {
                format!("{spans} span(s), {missing} with a parent that never arrived")
            }
            Progress::Complete { spans } => format!("{spans} span(s), complete"),
        }
    }

    pub fn spans(&self) -> usize {
        match self {
            Progress::NotFound => 0,
            Progress::Growing { spans }
            | Progress::MissingParents { spans, .. }
            | Progress::Complete { spans } => *spans,
        }
    }
}

/// The settle state across polls of one trace.
#[derive(Debug, Clone)]
pub struct Settle {
    settle_ns: i64,
    remote_parent: String,
    last_count: Option<usize>,
    changed_at_ns: i64,
}

impl Settle {
    pub fn new(settle_ns: i64, remote_parent: &str) -> Settle {
        Settle {
            settle_ns,
            remote_parent: normalize_id(remote_parent),
            last_count: None,
            changed_at_ns: 0,
        }
    }

    /// Record a poll at `now_ns` (any monotonic clock) that found `spans`.
    pub fn observe(&mut self, spans: &[Span], now_ns: i64) -> Progress {
        let count = spans.len();
        if self.last_count != Some(count) {
            self.last_count = Some(count);
            self.changed_at_ns = now_ns;
        }
        if count == 0 {
            return Progress::NotFound;
        }
        let missing = self.missing_parents(spans);
        if now_ns.saturating_sub(self.changed_at_ns) < self.settle_ns {
            Progress::Growing { spans: count }
        } else if missing > 0 {
            Progress::MissingParents {
                spans: count,
                missing,
            }
        } else {
            Progress::Complete { spans: count }
        }
    }

    /// Spans whose parent is neither in the trace nor the remote parent.
    fn missing_parents(&self, spans: &[Span]) -> usize {
        let ids: HashSet<String> = spans.iter().map(|s| normalize_id(&s.span_id)).collect();
        spans
            .iter()
            .filter_map(|s| s.parent_id.as_deref())
            .map(normalize_id)
            .filter(|p| !p.is_empty() && !ids.contains(p) && *p != self.remote_parent)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REMOTE: &str = "00f067aa0ba902b7";

    fn span(id: &str, parent: Option<&str>) -> Span {
        Span {
            span_id: id.into(),
            parent_id: parent.map(Into::into),
            ..Span::default()
        }
    }

    const MS: i64 = 1_000_000;

    #[test]
    fn complete_after_the_count_is_unchanged_for_the_settle_time() {
        let mut s = Settle::new(2_000 * MS, REMOTE);
        assert_eq!(s.observe(&[], 0), Progress::NotFound);
        let one = [span("a", Some(REMOTE))];
        assert_eq!(s.observe(&one, 500 * MS), Progress::Growing { spans: 1 });
        assert_eq!(s.observe(&one, 2_400 * MS), Progress::Growing { spans: 1 });
        let two = [span("a", Some(REMOTE)), span("b", Some("a"))];
        // A new span restarts the settle time.
        assert_eq!(s.observe(&two, 2_500 * MS), Progress::Growing { spans: 2 });
        assert_eq!(s.observe(&two, 4_000 * MS), Progress::Growing { spans: 2 });
        assert_eq!(s.observe(&two, 4_500 * MS), Progress::Complete { spans: 2 });
    }

    #[test]
    fn a_missing_parent_keeps_it_incomplete_but_not_the_remote_parent() {
        let mut s = Settle::new(0, "00F067AA0BA902B7");
        let orphan = [span("b", Some("a")), span("c", Some("b"))];
        assert_eq!(
            s.observe(&orphan, 10),
            Progress::MissingParents {
                spans: 2,
                missing: 1
            }
        );
        let whole = [
            span("a", Some(REMOTE)),
            span("b", Some("a")),
            span("c", Some("b")),
        ];
        assert_eq!(s.observe(&whole, 20), Progress::Complete { spans: 3 });
        // A root without a parent is fine too.
        let mut s = Settle::new(0, REMOTE);
        assert_eq!(
            s.observe(&[span("r", None), span("x", Some(""))], 0),
            Progress::Complete { spans: 2 }
        );
    }

    #[test]
    fn descriptions_name_the_counts() {
        assert_eq!(
            Progress::MissingParents {
                spans: 4,
                missing: 1
            }
            .describe(),
            "4 span(s), 1 with a parent that never arrived"
        );
        assert_eq!(Progress::NotFound.spans(), 0);
    }
}
