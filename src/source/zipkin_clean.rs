//! Zipkin spans cleaned the way Zipkin's own UI cleans them before drawing a trace
//! (zipkin-lens `span-cleaner.js` `mergeV2ById` and `span-node.js`), so that span ids end up
//! unique and every span has a place in time:
//!
//! 1. Fragments of one span (same id, same `shared` flag, compatible local endpoint: a span
//!    reported in several pieces) are merged into one.
//! 2. The client and server halves of one RPC share a span id in Zipkin (B3): the server half
//!    (`shared`, or a SERVER span beside a CLIENT one of the same id) becomes a child of the
//!    client half under an id of its own, `<id>.server` (`<id>.server.2`, … when several
//!    servers answered one client). Spans whose parent is that id move under the server half
//!    when they ran on its endpoint, as in Zipkin's tree.
//! 3. Spans without a timestamp are placed from their earliest annotation, else from their
//!    children (which also give a duration), else at their parent's start, else at the
//!    trace's start — never at the epoch unless no span of the trace has a time — and marked
//!    so the integrity report says so.

use std::cmp::Ordering;
use std::collections::HashMap;

use super::zipkin_span::{Endpoint, ZSpan};
use crate::model::SpanKind;

/// Where a span without a timestamp was placed from (the value of the model's
/// `PLACED_FROM_ATTR` attribute).
pub(crate) const FROM_ANNOTATIONS: &str = "annotations";
pub(crate) const FROM_CHILDREN: &str = "children";
pub(crate) const FROM_PARENT: &str = "parent";
pub(crate) const FROM_TRACE_START: &str = "trace start";
/// Nothing in the trace has a time: the span stays at 0, and is reported.
pub(crate) const FROM_NOTHING: &str = "nothing (no span of the trace has a time)";

/// Clean every trace among `spans`; spans come back in input order.
pub(crate) fn clean(spans: Vec<ZSpan>) -> Vec<ZSpan> {
    let mut by_trace: HashMap<String, Vec<ZSpan>> = HashMap::new();
    for s in spans {
        by_trace.entry(s.trace_id.clone()).or_default().push(s);
    }
    let mut out = Vec::new();
    for (_, spans) in by_trace {
        let mut spans = merge_by_id(spans);
        split_shared(&mut spans);
        place_untimed(&mut spans);
        out.extend(spans);
    }
    out.sort_by_key(|s| s.order);
    out
}

/// Non-shared before shared; among non-shared, the client first (zipkin `compareShared`).
fn shared_order(a: &ZSpan, b: &ZSpan) -> Ordering {
    a.shared.cmp(&b.shared).then_with(|| {
        let client = |s: &ZSpan| s.kind != Some(SpanKind::Client);
        client(a).cmp(&client(b))
    })
}

/// Spans without an endpoint first, so their data joins the first span of the same id.
fn endpoint_order(a: &Endpoint, b: &Endpoint) -> Ordering {
    (!a.is_empty(), &a.service_name, &a.ipv4, &a.ipv6).cmp(&(
        !b.is_empty(),
        &b.service_name,
        &b.ipv4,
        &b.ipv6,
    ))
}

/// `tryMerge`: whether `next` can be the same endpoint as `current` (no field differs), filling
/// in what `current` lacks.
fn try_merge(current: &mut Endpoint, next: &Endpoint) -> bool {
    fn differs<T: PartialEq>(a: &Option<T>, b: &Option<T>) -> bool {
        matches!((a, b), (Some(x), Some(y)) if x != y)
    }
    if differs(&current.service_name, &next.service_name)
        || differs(&current.ipv4, &next.ipv4)
        || differs(&current.ipv6, &next.ipv6)
        || differs(&current.port, &next.port)
    {
        return false;
    }
    fn fill<T: Clone>(c: &mut Option<T>, n: &Option<T>) {
        if c.is_none() {
            c.clone_from(n);
        }
    }
    fill(&mut current.service_name, &next.service_name);
    fill(&mut current.ipv4, &next.ipv4);
    fill(&mut current.ipv6, &next.ipv6);
    fill(&mut current.port, &next.port);
    true
}

/// Merge `right` into `left` (zipkin `merge`): the left value wins where both have one.
fn merge(left: &mut ZSpan, right: ZSpan) {
    if left.parent_id.is_none() {
        left.parent_id = right.parent_id;
    }
    if left.name.as_deref().is_none_or(str::is_empty) {
        left.name = right.name;
    }
    left.kind = left.kind.or(right.kind);
    left.timestamp = left.timestamp.or(right.timestamp);
    left.duration = left.duration.or(right.duration);
    try_merge(&mut left.local, &right.local);
    try_merge(&mut left.remote, &right.remote);
    for a in right.annotations {
        if !left.annotations.contains(&a) {
            left.annotations.push(a);
        }
    }
    left.annotations.sort();
    for (k, v) in right.tags {
        match left.tags.iter_mut().find(|(lk, _)| *lk == k) {
            Some(t) => t.1 = v,
            None => left.tags.push((k, v)),
        }
    }
    left.shared |= right.shared;
    left.order = left.order.min(right.order);
}

/// Step 1, and the shared flag Zipkin backfills: a SERVER span after a CLIENT one of the same
/// id is the shared half even when its instrumentation did not say so.
fn merge_by_id(mut spans: Vec<ZSpan>) -> Vec<ZSpan> {
    spans.sort_by(|a, b| {
        a.id.cmp(&b.id)
            .then_with(|| shared_order(a, b))
            .then_with(|| endpoint_order(&a.local, &b.local))
            .then(a.order.cmp(&b.order))
    });
    let mut out: Vec<ZSpan> = Vec::with_capacity(spans.len());
    let mut endpoint = Endpoint::default();
    for next in spans {
        if let Some(cur) = out.last_mut() {
            if cur.id == next.id
                && cur.shared == next.shared
                && try_merge(&mut endpoint, &next.local)
            {
                merge(cur, next);
                continue;
            }
        }
        let mut next = next;
        if let Some(last) = out.last() {
            if last.id == next.id {
                if last.kind == Some(SpanKind::Client)
                    && next.kind == Some(SpanKind::Server)
                    && !next.shared
                {
                    next.shared = true;
                }
                if next.shared && next.parent_id.is_none() {
                    next.parent_id.clone_from(&last.parent_id);
                }
            }
        }
        endpoint = next.local.clone();
        out.push(next);
    }
    merge_fragments(out)
}

/// A fragment (no kind, no timestamp: a late flush such as Brave's `brave.flush`) that
/// Zipkin's pairwise merge left beside the shared half it belongs to is folded into the span
/// of the same id on its endpoint, else it would stand as a duplicate of the client half.
fn merge_fragments(spans: Vec<ZSpan>) -> Vec<ZSpan> {
    let is_fragment = |s: &ZSpan| s.kind.is_none() && s.timestamp.is_none() && !s.shared;
    let mut out: Vec<ZSpan> = Vec::with_capacity(spans.len());
    let mut group_start = 0;
    let mut group_id: Option<String> = None;
    let mut fragments = Vec::new();
    for s in spans {
        if group_id.as_deref() != Some(s.id.as_str()) {
            fold(&mut out[group_start..], &mut fragments);
            out.append(&mut fragments);
            group_start = out.len();
            group_id = Some(s.id.clone());
        }
        if is_fragment(&s) {
            fragments.push(s);
        } else {
            out.push(s);
        }
    }
    fold(&mut out[group_start..], &mut fragments);
    out.append(&mut fragments);
    out
}

/// Merge each of `fragments` into the first span of `group` whose endpoint it fits; the
/// fragments that fit none stay in `fragments`.
fn fold(group: &mut [ZSpan], fragments: &mut Vec<ZSpan>) {
    let mut left = Vec::new();
    for f in fragments.drain(..) {
        let target = group.iter_mut().find(|g| {
            let mut e = g.local.clone();
            try_merge(&mut e, &f.local)
        });
        match target {
            Some(t) => merge(t, f),
            None => left.push(f),
        }
    }
    *fragments = left;
}

/// Step 2: give shared server halves ids of their own under their client half. `spans` is
/// sorted by id, non-shared first within an id (as `merge_by_id` leaves it).
fn split_shared(spans: &mut [ZSpan]) {
    // Old id → (new id, endpoint) of each server half that was renamed.
    let mut renamed: HashMap<String, Vec<(String, Endpoint)>> = HashMap::new();
    // Old id → the client half's local service.
    let mut client_service: HashMap<String, Option<String>> = HashMap::new();
    let mut i = 0;
    while i < spans.len() {
        let id = spans[i].id.clone();
        let end = i + spans[i..].iter().take_while(|s| s.id == id).count();
        // The owner keeps the id: the first non-shared span, else the first shared one.
        let has_owner = !spans[i].shared;
        let mut n = 0;
        for s in spans.iter_mut().take(end).skip(i + 1) {
            if !s.shared {
                continue; // two non-shared spans of one id: true duplicates, left as they are
            }
            n += 1;
            let new_id = if n == 1 {
                format!("{id}.server")
            } else {
                format!("{id}.server.{n}")
            };
            if has_owner {
                s.parent_id = Some(id.clone());
            }
            renamed
                .entry(id.clone())
                .or_default()
                .push((new_id.clone(), s.local.clone()));
            s.id = new_id;
        }
        if n > 0 {
            client_service.insert(id.clone(), spans[i].local.service_name.clone());
        }
        i = end;
    }
    if renamed.is_empty() {
        return;
    }
    for s in spans.iter_mut() {
        let Some(parent) = s.parent_id.as_deref() else {
            continue;
        };
        let Some(halves) = renamed.get(parent) else {
            continue;
        };
        if halves.iter().any(|(id, _)| *id == s.id) {
            continue; // the server half itself
        }
        if let Some(new) = server_half_for(s, halves, client_service.get(parent)) {
            s.parent_id = Some(new);
        }
    }
}

/// Which server half a span whose parent is a split id ran under, if any (`span-node.js`:
/// the half on the span's own endpoint; failing that, this one also takes a span of another
/// service than the client's when only one server answered).
fn server_half_for(
    s: &ZSpan,
    halves: &[(String, Endpoint)],
    client_service: Option<&Option<String>>,
) -> Option<String> {
    if let Some((id, _)) = halves.iter().find(|(_, e)| *e == s.local) {
        return Some(id.clone());
    }
    if client_service.is_some_and(|c| *c == s.local.service_name) {
        return None;
    }
    let same_service: Vec<&(String, Endpoint)> = halves
        .iter()
        .filter(|(_, e)| e.service_name == s.local.service_name)
        .collect();
    match (same_service.as_slice(), halves) {
        ([one], _) => Some(one.0.clone()),
        ([], [only]) => Some(only.0.clone()),
        _ => None,
    }
}

/// Step 3: a start (and, from children, a duration) for spans without a timestamp.
fn place_untimed(spans: &mut [ZSpan]) {
    for s in spans.iter_mut() {
        if s.timestamp.is_some() {
            continue;
        }
        let Some(first) = s.annotations.iter().map(|a| a.0).filter(|t| *t > 0).min() else {
            continue;
        };
        let last = s.annotations.iter().map(|a| a.0).max().unwrap_or(first);
        s.timestamp = Some(first);
        if s.duration.is_none() && last > first {
            s.duration = Some(last.saturating_sub(first));
        }
        s.placed_from = Some(FROM_ANNOTATIONS);
    }
    if spans.iter().all(|s| s.timestamp.is_some()) {
        return;
    }
    let index: HashMap<String, usize> = spans
        .iter()
        .enumerate()
        .rev()
        .map(|(i, s)| (s.id.clone(), i))
        .collect();
    let parent_of: Vec<Option<usize>> = spans
        .iter()
        .map(|s| s.parent_id.as_ref().and_then(|p| index.get(p).copied()))
        .collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); spans.len()];
    for (c, p) in parent_of.iter().enumerate() {
        if let Some(p) = p {
            children[*p].push(c);
        }
    }
    // Each pass places at least one span or stops; chains of untimed spans need several.
    loop {
        let mut placed = false;
        for i in 0..spans.len() {
            if spans[i].timestamp.is_some() {
                continue;
            }
            if let Some((start, end)) = children_window(spans, &children[i]) {
                let s = &mut spans[i];
                s.timestamp = Some(start);
                s.duration = s
                    .duration
                    .or(Some(end.saturating_sub(start)).filter(|d| *d > 0));
                s.placed_from = Some(FROM_CHILDREN);
                placed = true;
            } else if let Some(start) = parent_of[i].and_then(|p| spans[p].timestamp) {
                spans[i].timestamp = Some(start);
                spans[i].placed_from = Some(FROM_PARENT);
                placed = true;
            }
        }
        if !placed {
            break;
        }
    }
    let Some(trace_start) = spans.iter().filter_map(|s| s.timestamp).min() else {
        for s in spans.iter_mut() {
            s.placed_from = Some(FROM_NOTHING);
        }
        return;
    };
    for s in spans.iter_mut().filter(|s| s.timestamp.is_none()) {
        s.timestamp = Some(trace_start);
        s.placed_from = Some(FROM_TRACE_START);
    }
}

/// The earliest start and latest end of the timed spans among `children`.
fn children_window(spans: &[ZSpan], children: &[usize]) -> Option<(i64, i64)> {
    let mut window: Option<(i64, i64)> = None;
    for &c in children {
        let Some(start) = spans[c].timestamp else {
            continue;
        };
        let end = start.saturating_add(spans[c].duration.unwrap_or(0));
        window = Some(match window {
            Some((s, e)) => (s.min(start), e.max(end)),
            None => (start, end),
        });
    }
    window
}

#[cfg(test)]
mod tests {
    use super::*;

    fn z(id: &str, parent: Option<&str>, kind: Option<SpanKind>, service: &str) -> ZSpan {
        ZSpan {
            trace_id: "t".into(),
            id: id.into(),
            parent_id: parent.map(str::to_string),
            kind,
            timestamp: Some(10),
            duration: Some(5),
            local: Endpoint {
                service_name: Some(service.into()),
                ..Endpoint::default()
            },
            ..ZSpan::default()
        }
    }

    #[test]
    fn server_without_shared_flag_after_its_client_is_split() {
        let spans = vec![
            z("a", None, Some(SpanKind::Server), "front"),
            z("b", Some("a"), Some(SpanKind::Client), "front"),
            z("b", Some("a"), Some(SpanKind::Server), "back"),
            z("c", Some("b"), None, "back"),
            z("d", Some("b"), None, "front"),
        ];
        let out = clean(spans);
        let ids: Vec<(&str, Option<&str>)> = out
            .iter()
            .map(|s| (s.id.as_str(), s.parent_id.as_deref()))
            .collect();
        assert_eq!(
            ids,
            [
                ("a", None),
                ("b", Some("a")),
                ("b.server", Some("b")),
                ("c", Some("b.server")),
                ("d", Some("b"))
            ]
        );
        assert!(out[2].shared);
    }

    #[test]
    fn fragments_of_one_span_merge() {
        let mut late = z("b", Some("a"), None, "back");
        late.timestamp = None;
        late.duration = None;
        late.tags.push(("k".into(), "v".into()));
        let mut first = z("b", Some("a"), Some(SpanKind::Server), "back");
        first.shared = true;
        let client = z("b", Some("a"), Some(SpanKind::Client), "front");
        let out = clean(vec![late, first, client]);
        assert_eq!(out.len(), 2);
        let server = out.iter().find(|s| s.id == "b.server").unwrap();
        assert_eq!(server.tags, [("k".to_string(), "v".to_string())]);
        assert_eq!(server.timestamp, Some(10));
    }

    #[test]
    fn an_untimed_trace_stays_untimed_rather_than_invented() {
        let mut s = z("a", None, None, "x");
        s.timestamp = None;
        let out = clean(vec![s]);
        assert_eq!(out[0].timestamp, None);
        assert_eq!(out[0].placed_from, Some(FROM_NOTHING));
    }
}
