//! Changing the origins spans share: each distinct origin is changed once, and every span
//! that shared it then shares the changed copy.
//!
//! An origin (resource and scope) is shared by the spans of a block, and by the blocks and
//! traces of an input that repeat it: an `Arc::make_mut` per span would copy it for every
//! span that holds a value to change (a secret in a service's resource: one copy a span).

use std::sync::Arc;

use super::span::{Origin, Span};

/// An origin as asked about: the original (kept, so that its address is not reused while
/// spans are visited) and the changed copy with how many values it changed, or None when
/// it was left as it is.
type Rewrite = (Arc<Origin>, Option<(Arc<Origin>, usize)>);

/// The origins changed so far, by the address of the one each replaced.
#[derive(Default)]
pub struct OriginRewrites {
    done: rustc_hash::FxHashMap<usize, Rewrite>,
}

impl OriginRewrites {
    /// Give `span` its origin as `change` leaves it. `change` is asked once per distinct
    /// origin: a changed copy and how many values it changed, or None to leave it. Returns
    /// that count for this span: counted once a span, as a span's own values are.
    pub fn apply(
        &mut self,
        span: &mut Span,
        change: impl FnOnce(&Origin) -> Option<(Origin, usize)>,
    ) -> usize {
        let (_, made) = self
            .done
            .entry(Arc::as_ptr(&span.origin) as usize)
            .or_insert_with(|| {
                let made = change(&span.origin).map(|(o, n)| (Arc::new(o), n));
                (Arc::clone(&span.origin), made)
            });
        match made {
            Some((origin, n)) => {
                span.origin = Arc::clone(origin);
                *n
            }
            None => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AttrValue;

    #[test]
    fn a_shared_origin_is_changed_once_and_counted_per_span() {
        let shared = Arc::new(Origin {
            resource: vec![("k".into(), AttrValue::Str("long".into()))],
            scope: Vec::new(),
        });
        let other = Arc::new(Origin::default());
        let mut spans: Vec<Span> = [&shared, &other, &shared]
            .iter()
            .map(|o| Span {
                origin: Arc::clone(o),
                ..Span::default()
            })
            .collect();
        let mut rewrites = OriginRewrites::default();
        let mut asked = 0;
        let mut counted = 0;
        for s in &mut spans {
            counted += rewrites.apply(s, |o| {
                asked += 1;
                (!o.resource.is_empty()).then(|| {
                    let mut o = o.clone();
                    o.resource[0].1 = AttrValue::Str("l".into());
                    (o, 1)
                })
            });
        }
        assert_eq!((asked, counted), (2, 2));
        assert!(Arc::ptr_eq(&spans[0].origin, &spans[2].origin));
        assert!(Arc::ptr_eq(&spans[1].origin, &other));
        assert_eq!(spans[0].origin.resource[0].1, AttrValue::Str("l".into()));
        assert_eq!(shared.resource[0].1, AttrValue::Str("long".into()));
    }
}
