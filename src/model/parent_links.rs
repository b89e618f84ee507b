//! Each span's parent, resolved once per set of spans.
//!
//! Both the `--max-depth` check, which runs as a trace is read, and the tree, built before
//! analysis, resolve every parent id through an index of span ids: on a million-span trace
//! that is a fifth of a second each. The check leaves what it resolved on the trace
//! ([`super::Trace::remember_links`]); the tree uses it when the spans are still the ones it was
//! resolved for.

use std::sync::{Arc, Weak};

use super::span::Span;
use super::span_index::SpanIndex;

/// Parent positions, as the tree resolves them: a duplicated id names its first span.
#[derive(Debug, Clone, PartialEq)]
pub struct ParentLinks {
    /// The position of each span's parent; `None` for roots and for orphans (a parent id
    /// that no span has).
    pub parent: Vec<Option<usize>>,
    /// Positions of spans whose id an earlier span already has, in order.
    pub duplicates: Vec<usize>,
}

impl ParentLinks {
    pub fn of(spans: &[Span]) -> ParentLinks {
        let mut by_id = SpanIndex::with_capacity(spans.len());
        let mut duplicates = Vec::new();
        for (i, s) in spans.iter().enumerate() {
            if !by_id.insert(s.span_id.as_str(), i) {
                duplicates.push(i);
            }
        }
        let parent = spans
            .iter()
            .map(|s| s.parent_id.as_deref().and_then(|p| by_id.get(p)))
            .collect();
        ParentLinks { parent, duplicates }
    }
}

/// Links remembered with the spans they were resolved for. A `Weak` both names those spans
/// and keeps their allocation from being reused by other spans; writing through
/// [`super::Trace::spans_mut`] moves spans that a `Weak` still names, which makes the links
/// stale, as they then may be.
#[derive(Clone, Default)]
pub struct KnownLinks(Option<(Weak<Vec<Span>>, Arc<ParentLinks>)>);

impl KnownLinks {
    pub fn new(spans: &Arc<Vec<Span>>, links: ParentLinks) -> KnownLinks {
        KnownLinks(Some((Arc::downgrade(spans), Arc::new(links))))
    }

    /// The links, if they were resolved for exactly `spans`.
    pub fn for_spans(&self, spans: &Arc<Vec<Span>>) -> Option<Arc<ParentLinks>> {
        self.0
            .as_ref()
            .filter(|(of, _)| std::ptr::eq(of.as_ptr(), Arc::as_ptr(spans)))
            .map(|(_, links)| Arc::clone(links))
    }
}

// What a trace is does not depend on what was remembered about it.
impl PartialEq for KnownLinks {
    fn eq(&self, _: &KnownLinks) -> bool {
        true
    }
}

impl std::fmt::Debug for KnownLinks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "KnownLinks(some)"
        } else {
            "KnownLinks(none)"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Trace, Tree};

    fn span(id: &str, parent: Option<&str>) -> Span {
        Span {
            span_id: id.into(),
            parent_id: parent.map(Into::into),
            ..Span::default()
        }
    }

    fn trace(spans: Vec<Span>) -> Trace {
        Trace::with_spans("t".into(), spans)
    }

    fn parents(t: &Trace) -> Vec<Option<usize>> {
        Tree::build(t).parent
    }

    #[test]
    fn links_resolve_first_of_a_duplicated_id_and_report_duplicates() {
        let t = trace(vec![
            span("a", None),
            span("b", Some("a")),
            span("a", Some("b")),
            span("c", Some("gone")),
        ]);
        let links = ParentLinks::of(&t.spans);
        assert_eq!(links.parent, vec![None, Some(0), Some(1), None]);
        assert_eq!(links.duplicates, vec![2]);
        let tree = Tree::build(&t);
        assert_eq!(tree.integrity.duplicate_span_ids, vec!["a".to_string()]);
        assert_eq!(tree.integrity.root_span_ids, vec!["a".to_string()]);
        assert_eq!(tree.integrity.orphans.len(), 1);
    }

    #[test]
    fn remembered_links_serve_only_the_spans_they_were_resolved_for() {
        let mut t = trace(vec![span("a", None), span("b", Some("a")), span("c", None)]);
        // Deliberately wrong links, to see whether the tree uses them.
        let wrong = ParentLinks {
            parent: vec![None, None, Some(0)],
            duplicates: Vec::new(),
        };
        t.remember_links(wrong.clone());
        assert_eq!(parents(&t), wrong.parent);
        // A clone shares the spans, so the links hold for it too.
        assert_eq!(parents(&t.clone()), wrong.parent);

        // Written spans forget them.
        t.spans_mut()[2].parent_id = Some("b".into());
        assert_eq!(parents(&t), vec![None, Some(0), Some(1)]);

        // So do spans put in place of the old ones.
        t.remember_links(wrong.clone());
        t.spans = t.spans.to_vec().into();
        assert_eq!(parents(&t), vec![None, Some(0), Some(1)]);

        // Taken links are no longer remembered.
        t.remember_links(wrong.clone());
        assert_eq!(t.take_parent_links().parent, wrong.parent);
        assert_eq!(parents(&t), vec![None, Some(0), Some(1)]);
    }
}
