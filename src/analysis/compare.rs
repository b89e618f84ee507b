//! Trace against trace: which spans correspond, what is missing on either side, what got
//! slower, what fails on one side only, where the two first part ways, and how the critical
//! path's make-up changed.
//!
//! Alignment, in two steps:
//! 1. The edit-distance alignment of the two operation sequences (`service.operation` tokens
//!    in tree pre-order: parents before children, siblings by start, so a subtree is one
//!    contiguous run). Equal tokens on the alignment's diagonal are candidate pairs. When
//!    several alignments are optimal, the traceback (from the end) takes a match as late as
//!    possible, so of two attempts the later one — usually the complete, successful retry —
//!    is paired.
//! 2. Candidates are kept only when their parents are paired with each other (roots with
//!    roots): jaeger-mcp pairs on (operation, service, parent operation) alone and can pair
//!    spans under different callers; here every pair shares its whole parent path. Spans
//!    still unpaired under a paired parent are then paired by position among the siblings
//!    with the same service and operation (the k-th retry with the k-th retry).
//!
//! The DP is O(n·m) in time and n·m bytes of traceback after the common prefix and suffix are
//! stripped; beyond [`MAX_DP_CELLS`] step 1 is skipped (step 2 alone still pairs everything
//! with an identical parent path) and [`Alignment::sequence_aligned`] says so.

use std::collections::HashMap;

use crate::model::IndexedTrace;

use super::critical_path::critical_path;
use super::similarity::Vocabulary;

/// Largest traceback table (bytes) the sequence alignment may use.
pub const MAX_DP_CELLS: usize = 64 * 1024 * 1024;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Alignment {
    /// Partner in B of each span of A, by index.
    pub pair_of_a: Vec<Option<usize>>,
    /// Partner in A of each span of B.
    pub pair_of_b: Vec<Option<usize>>,
    /// False when the traces were too large for the sequence alignment (step 1).
    pub sequence_aligned: bool,
}

impl Alignment {
    pub fn pairs(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.pair_of_a
            .iter()
            .enumerate()
            .filter_map(|(a, b)| b.map(|b| (a, b)))
    }
}

/// Step 1: candidate partners from the edit-distance alignment of the pre-order sequences.
fn sequence_candidates(sa: &[u32], sb: &[u32]) -> Option<Vec<(usize, usize)>> {
    // A common suffix and prefix are part of an optimal alignment; stripping them keeps the
    // table small for near-identical traces. The suffix goes first: of a repeated span, the
    // later occurrence is the one paired (see the module comment).
    let mut pairs = Vec::new();
    let suffix = sa
        .iter()
        .rev()
        .zip(sb.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ra, rb) = (&sa[..sa.len() - suffix], &sb[..sb.len() - suffix]);
    let prefix = ra.iter().zip(rb).take_while(|(x, y)| x == y).count();
    pairs.extend((0..prefix).map(|i| (i, i)));
    let (ma, mb) = (&ra[prefix..], &rb[prefix..]);
    let (n, m) = (ma.len(), mb.len());
    if n.saturating_mul(m) > MAX_DP_CELLS {
        return None;
    }
    if n > 0 && m > 0 {
        // Two rolling rows of distances and a full table of moves for the traceback.
        const MATCH: u8 = 0;
        const SUB: u8 = 1;
        const DEL: u8 = 2; // skip a span of A
        const INS: u8 = 3; // skip a span of B
        let w = m + 1;
        let mut moves = vec![0u8; (n + 1) * w];
        let mut prev: Vec<u32> = (0..=m as u32).collect();
        let mut cur = vec![0u32; w];
        for mv in moves.iter_mut().take(w).skip(1) {
            *mv = INS;
        }
        for i in 1..=n {
            cur[0] = i as u32;
            moves[i * w] = DEL;
            for j in 1..=m {
                let same = ma[i - 1] == mb[j - 1];
                let diag = prev[j - 1] + u32::from(!same);
                let up = prev[j] + 1;
                let left = cur[j - 1] + 1;
                // Ties prefer the diagonal: read backwards, matches land as late as possible.
                let (d, mv) = if diag <= up && diag <= left {
                    (diag, if same { MATCH } else { SUB })
                } else if up <= left {
                    (up, DEL)
                } else {
                    (left, INS)
                };
                cur[j] = d;
                moves[i * w + j] = mv;
            }
            std::mem::swap(&mut prev, &mut cur);
        }
        let (mut i, mut j) = (n, m);
        let mut middle = Vec::new();
        while i > 0 || j > 0 {
            match moves.get(i * w + j).copied().unwrap_or(DEL) {
                MATCH | SUB if i > 0 && j > 0 => {
                    if ma[i - 1] == mb[j - 1] {
                        middle.push((prefix + i - 1, prefix + j - 1));
                    }
                    i -= 1;
                    j -= 1;
                }
                INS if j > 0 => j -= 1,
                _ if i > 0 => i -= 1,
                _ => j -= 1,
            }
        }
        middle.reverse();
        pairs.extend(middle);
    }
    pairs.extend((0..suffix).map(|k| (sa.len() - suffix + k, sb.len() - suffix + k)));
    Some(pairs)
}

/// Pair the spans of `a` and `b` (see the module comment).
pub fn align(a: &IndexedTrace, b: &IndexedTrace) -> Alignment {
    let (na, nb) = (a.trace.spans.len(), b.trace.spans.len());
    let mut vocab = Vocabulary::default();
    let token_a: Vec<u32> = a
        .trace
        .spans
        .iter()
        .map(|s| vocab.intern(&s.service, &s.operation))
        .collect();
    let token_b: Vec<u32> = b
        .trace
        .spans
        .iter()
        .map(|s| vocab.intern(&s.service, &s.operation))
        .collect();
    let seq_a: Vec<u32> = a.tree.preorder.iter().map(|&i| token_a[i]).collect();
    let seq_b: Vec<u32> = b.tree.preorder.iter().map(|&i| token_b[i]).collect();
    let candidates = sequence_candidates(&seq_a, &seq_b);
    let mut candidate_of_a: Vec<Option<usize>> = vec![None; na];
    if let Some(c) = &candidates {
        for &(pa, pb) in c {
            if let (Some(&ia), Some(&ib)) = (a.tree.preorder.get(pa), b.tree.preorder.get(pb)) {
                if let Some(slot) = candidate_of_a.get_mut(ia) {
                    *slot = Some(ib);
                }
            }
        }
    }
    let mut al = Alignment {
        pair_of_a: vec![None; na],
        pair_of_b: vec![None; nb],
        sequence_aligned: candidates.is_some(),
    };
    let pair_children = |list_a: &[usize], list_b: &[usize], al: &mut Alignment| {
        // Step 2a: sequence candidates whose partner is among list_b (same parent pair).
        let in_b: std::collections::HashSet<usize> = list_b.iter().copied().collect();
        for &x in list_a {
            if let Some(y) = candidate_of_a.get(x).copied().flatten() {
                if in_b.contains(&y) && al.pair_of_b[y].is_none() && al.pair_of_a[x].is_none() {
                    al.pair_of_a[x] = Some(y);
                    al.pair_of_b[y] = Some(x);
                }
            }
        }
        // Step 2b: the rest by position among same-label siblings (lists are in start order).
        let mut free_b: HashMap<u32, std::collections::VecDeque<usize>> = HashMap::new();
        for &y in list_b {
            if al.pair_of_b[y].is_none() {
                free_b.entry(token_b[y]).or_default().push_back(y);
            }
        }
        for &x in list_a {
            if al.pair_of_a[x].is_some() {
                continue;
            }
            if let Some(y) = free_b.get_mut(&token_a[x]).and_then(|q| q.pop_front()) {
                al.pair_of_a[x] = Some(y);
                al.pair_of_b[y] = Some(x);
            }
        }
    };
    pair_children(&a.tree.roots, &b.tree.roots, &mut al);
    // Pre-order: a parent's pairing is settled before its children are looked at.
    for &x in &a.tree.preorder {
        let Some(y) = al.pair_of_a[x] else { continue };
        let (ca, cb) = (
            a.tree
                .children
                .get(x)
                .map(<[usize]>::to_vec)
                .unwrap_or_default(),
            b.tree
                .children
                .get(y)
                .map(<[usize]>::to_vec)
                .unwrap_or_default(),
        );
        pair_children(&ca, &cb, &mut al);
    }
    al
}

/// Which side(s) a row of the merged tree comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Both(usize, usize),
    OnlyA(usize),
    OnlyB(usize),
}

/// One row of the merged tree, in display order.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub side: Side,
    pub depth: u32,
    /// B's duration over A's, for pairs with two positive durations.
    pub ratio: Option<f64>,
    /// A pair whose duration changed by at least the factor (either way) and the minimum delta.
    pub duration_flag: bool,
    /// A pair where exactly one side failed.
    pub status_differs: bool,
}

impl Row {
    /// Missing on one side, or failing on one side only.
    pub fn structural(&self) -> bool {
        !matches!(self.side, Side::Both(..)) || self.status_differs
    }
}

/// Per `service.operation`: how often and how long on each side.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationDiff {
    pub label: String,
    pub count_a: usize,
    pub count_b: usize,
    pub total_a_ns: i64,
    pub total_b_ns: i64,
    pub errors_a: usize,
    pub errors_b: usize,
    /// total B / total A, when both are positive.
    pub ratio: Option<f64>,
    pub flagged: bool,
}

/// Time on the critical path per `service.operation`, and its share of the root span.
#[derive(Debug, Clone, PartialEq)]
pub struct PathShare {
    pub label: String,
    pub a_ns: i64,
    pub b_ns: i64,
    pub a_share: f64,
    pub b_share: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CompareOptions {
    /// A duration ratio at least this (or at most its inverse) is flagged (2× by default, the
    /// ratio past which the seed's trace comparison calls an operation slower).
    pub factor: f64,
    /// … and only when the durations differ by at least this much, so microsecond jitter on
    /// tiny spans is not reported as a 3× slowdown.
    pub min_delta_ns: i64,
}

impl Default for CompareOptions {
    fn default() -> CompareOptions {
        CompareOptions {
            factor: 2.0,
            min_delta_ns: 1_000_000,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Comparison {
    pub options: CompareOptions,
    pub alignment: Alignment,
    /// The merged tree: pairs, and spans of one side under their (paired or one-sided)
    /// parent, siblings by start offset, in pre-order.
    pub rows: Vec<Row>,
    /// Index into `rows` of the first divergence: the first row (in the merged tree's order)
    /// missing on one side or failing on one side only; when there is none, the earliest
    /// flagged pair none of whose children is flagged (where a slowdown is its own).
    pub first_divergence: Option<usize>,
    pub operations: Vec<OperationDiff>,
    /// Sorted by the change in share, largest first.
    pub critical_path: Vec<PathShare>,
}

fn ratio_of(a_ns: i64, b_ns: i64) -> Option<f64> {
    (a_ns > 0 && b_ns > 0).then(|| b_ns as f64 / a_ns as f64)
}

fn flag(a_ns: i64, b_ns: i64, o: &CompareOptions) -> bool {
    match ratio_of(a_ns, b_ns) {
        Some(r) => {
            (r >= o.factor || r <= 1.0 / o.factor)
                && (b_ns.saturating_sub(a_ns)).unsigned_abs() >= o.min_delta_ns.unsigned_abs()
        }
        None => false,
    }
}

pub fn compare(a: &IndexedTrace, b: &IndexedTrace, options: &CompareOptions) -> Comparison {
    let alignment = align(a, b);
    let rows = merged_rows(a, b, &alignment, options);
    let first_divergence = first_divergence(&rows, a, b);
    Comparison {
        options: *options,
        operations: operations(a, b, options),
        critical_path: path_shares(a, b),
        alignment,
        rows,
        first_divergence,
    }
}

fn merged_rows(a: &IndexedTrace, b: &IndexedTrace, al: &Alignment, o: &CompareOptions) -> Vec<Row> {
    let (sa, sb) = (&a.trace.spans, &b.trace.spans);
    let (a0, b0) = (a.trace.start_ns(), b.trace.start_ns());
    let mut nodes: Vec<Side> = Vec::with_capacity(sa.len() + sb.len());
    let mut node_a = vec![usize::MAX; sa.len()];
    let mut node_b = vec![usize::MAX; sb.len()];
    for (x, slot) in node_a.iter_mut().enumerate() {
        *slot = nodes.len();
        match al.pair_of_a.get(x).copied().flatten() {
            Some(y) => {
                node_b[y] = nodes.len();
                nodes.push(Side::Both(x, y));
            }
            None => nodes.push(Side::OnlyA(x)),
        }
    }
    for (y, slot) in node_b.iter_mut().enumerate() {
        if *slot == usize::MAX {
            *slot = nodes.len();
            nodes.push(Side::OnlyB(y));
        }
    }
    let parent_node = |side: Side| -> Option<usize> {
        match side {
            Side::Both(x, _) | Side::OnlyA(x) => {
                a.tree.parent.get(x).copied().flatten().map(|p| node_a[p])
            }
            Side::OnlyB(y) => b.tree.parent.get(y).copied().flatten().map(|p| node_b[p]),
        }
    };
    // Offsets from each trace's own start, so two runs at different times interleave sanely.
    // Pairs sort by B's time, so B's side reads in its own order (a failed first attempt
    // before the retry it is not paired with); spans only in A slot in by A's time.
    let offset = |side: Side| -> i64 {
        match side {
            Side::OnlyA(x) => sa[x].start_ns.saturating_sub(a0),
            Side::Both(_, y) | Side::OnlyB(y) => sb[y].start_ns.saturating_sub(b0),
        }
    };
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    let mut roots = Vec::new();
    for (k, &side) in nodes.iter().enumerate() {
        match parent_node(side) {
            Some(p) if p != k && p < nodes.len() => children[p].push(k),
            _ => roots.push(k),
        }
    }
    let key = |k: &usize| (offset(nodes[*k]), *k);
    roots.sort_by_key(key);
    for c in children.iter_mut() {
        c.sort_by_key(key);
    }
    let mut rows = Vec::with_capacity(nodes.len());
    let mut seen = vec![false; nodes.len()];
    let mut stack: Vec<(usize, u32)> = roots.iter().rev().map(|&r| (r, 0)).collect();
    while let Some((k, depth)) = stack.pop() {
        if std::mem::replace(&mut seen[k], true) {
            continue; // a cycle through one-sided parents; the trees themselves are acyclic
        }
        let side = nodes[k];
        let (ratio, duration_flag, status_differs) = match side {
            Side::Both(x, y) => (
                ratio_of(sa[x].duration_ns, sb[y].duration_ns),
                flag(sa[x].duration_ns, sb[y].duration_ns, o),
                sa[x].is_error() != sb[y].is_error(),
            ),
            _ => (None, false, false),
        };
        rows.push(Row {
            side,
            depth,
            ratio,
            duration_flag,
            status_differs,
        });
        for &c in children[k].iter().rev() {
            stack.push((c, depth + 1));
        }
    }
    rows
}

fn first_divergence(rows: &[Row], a: &IndexedTrace, b: &IndexedTrace) -> Option<usize> {
    // A failure propagates to every ancestor, so the first failing-on-one-side row in
    // pre-order would always be the root: take the first row that is missing on one side,
    // or fails on one side while none of its direct children does — where the failure starts.
    let starts_here = |i: usize| -> bool {
        let r = &rows[i];
        if !matches!(r.side, Side::Both(..)) {
            return true;
        }
        let d = r.depth;
        !rows[i + 1..]
            .iter()
            .take_while(|c| c.depth > d)
            .filter(|c| c.depth == d + 1)
            .any(Row::structural)
    };
    if let Some(i) = (0..rows.len()).find(|&i| rows[i].structural() && starts_here(i)) {
        return Some(i);
    }
    // No structural difference: the earliest flagged pair whose paired children are all
    // unflagged — the span whose own time changed, not an ancestor that only inherited it.
    let flagged: std::collections::HashSet<(usize, usize)> = rows
        .iter()
        .filter(|r| r.duration_flag)
        .filter_map(|r| match r.side {
            Side::Both(x, y) => Some((x, y)),
            _ => None,
        })
        .collect();
    let a0 = a.trace.start_ns();
    let _ = b;
    rows.iter()
        .enumerate()
        .filter(|(_, r)| r.duration_flag)
        .filter(|(_, r)| match r.side {
            Side::Both(x, _) => !a
                .tree
                .children
                .get(x)
                .is_some_and(|cs| cs.iter().any(|&c| flagged.iter().any(|&(fx, _)| fx == c))),
            _ => false,
        })
        .min_by_key(|(i, r)| match r.side {
            Side::Both(x, _) => (a.trace.spans[x].start_ns.saturating_sub(a0), *i),
            _ => (i64::MAX, *i),
        })
        .map(|(i, _)| i)
}

fn operations(a: &IndexedTrace, b: &IndexedTrace, o: &CompareOptions) -> Vec<OperationDiff> {
    let mut by_label: HashMap<String, OperationDiff> = HashMap::new();
    let mut add = |label: String, dur: i64, err: bool, side_a: bool| {
        let e = by_label
            .entry(label.clone())
            .or_insert_with(|| OperationDiff {
                label,
                count_a: 0,
                count_b: 0,
                total_a_ns: 0,
                total_b_ns: 0,
                errors_a: 0,
                errors_b: 0,
                ratio: None,
                flagged: false,
            });
        let dur = dur.max(0);
        if side_a {
            e.count_a += 1;
            e.total_a_ns = e.total_a_ns.saturating_add(dur);
            e.errors_a += usize::from(err);
        } else {
            e.count_b += 1;
            e.total_b_ns = e.total_b_ns.saturating_add(dur);
            e.errors_b += usize::from(err);
        }
    };
    for s in a.trace.spans.iter() {
        add(s.label(), s.duration_ns, s.is_error(), true);
    }
    for s in b.trace.spans.iter() {
        add(s.label(), s.duration_ns, s.is_error(), false);
    }
    let mut v: Vec<OperationDiff> = by_label
        .into_values()
        .map(|mut d| {
            d.ratio = ratio_of(d.total_a_ns, d.total_b_ns);
            d.flagged = flag(d.total_a_ns, d.total_b_ns, o);
            d
        })
        .collect();
    // Most different first: missing ones, then by the absolute change in time.
    v.sort_by(|x, y| {
        let missing = |d: &OperationDiff| d.count_a == 0 || d.count_b == 0;
        missing(y)
            .cmp(&missing(x))
            .then(
                (y.total_b_ns - y.total_a_ns)
                    .unsigned_abs()
                    .cmp(&(x.total_b_ns - x.total_a_ns).unsigned_abs()),
            )
            .then(x.label.cmp(&y.label))
    });
    v
}

fn path_shares(a: &IndexedTrace, b: &IndexedTrace) -> Vec<PathShare> {
    let per_label = |t: &IndexedTrace| -> (HashMap<String, i64>, i64) {
        let cp = critical_path(t);
        let mut m: HashMap<String, i64> = HashMap::new();
        let mut total = 0i64;
        for (i, &ns) in cp.on_path_ns.iter().enumerate() {
            if ns > 0 {
                if let Some(s) = t.trace.spans.get(i) {
                    *m.entry(s.label()).or_default() += ns;
                    total = total.saturating_add(ns);
                }
            }
        }
        (m, total)
    };
    let (ma, ta) = per_label(a);
    let (mb, tb) = per_label(b);
    let share = |ns: i64, total: i64| {
        if total > 0 {
            ns as f64 / total as f64
        } else {
            0.0
        }
    };
    let mut labels: Vec<&String> = ma.keys().chain(mb.keys()).collect();
    labels.sort();
    labels.dedup();
    let mut v: Vec<PathShare> = labels
        .into_iter()
        .map(|l| {
            let (x, y) = (
                ma.get(l).copied().unwrap_or(0),
                mb.get(l).copied().unwrap_or(0),
            );
            PathShare {
                label: l.clone(),
                a_ns: x,
                b_ns: y,
                a_share: share(x, ta),
                b_share: share(y, tb),
            }
        })
        .collect();
    v.sort_by(|x, y| {
        (y.b_share - y.a_share)
            .abs()
            .total_cmp(&(x.b_share - x.a_share).abs())
            .then(x.label.cmp(&y.label))
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_support::*;

    fn label_pairs(a: &IndexedTrace, b: &IndexedTrace, al: &Alignment) -> Vec<(String, String)> {
        al.pairs()
            .map(|(x, y)| {
                (
                    a.trace.spans[x].span_id.to_string(),
                    b.trace.spans[y].span_id.to_string(),
                )
            })
            .collect()
    }

    fn good() -> IndexedTrace {
        indexed(vec![
            span_ms("r", None, "runner.exec", 0, 1000),
            span_ms("c", Some("r"), "runner.call", 5, 990),
            span_ms("q", Some("c"), "router.req", 10, 900),
            span_ms("m", Some("q"), "router.modal_call", 20, 800),
            span_ms("i", Some("m"), "modal.inference", 30, 700),
        ])
    }

    #[test]
    fn identical_traces_pair_everything() {
        let (a, b) = (good(), good());
        let c = compare(&a, &b, &CompareOptions::default());
        assert_eq!(c.alignment.pairs().count(), 5);
        assert!(c
            .rows
            .iter()
            .all(|r| matches!(r.side, Side::Both(..)) && !r.duration_flag));
        assert_eq!(c.first_divergence, None);
    }

    #[test]
    fn retry_pairs_the_later_attempt_and_reports_the_extra_one() {
        let a = good();
        let b = indexed(vec![
            span_ms("R", None, "runner.exec", 0, 3000),
            span_ms("C", Some("R"), "runner.call", 5, 2990),
            span_ms("Q", Some("C"), "router.req", 10, 2900),
            failed(
                span_ms("M1", Some("Q"), "router.modal_call", 20, 1500),
                "timeout",
            ),
            span_ms("M2", Some("Q"), "router.modal_call", 1600, 800),
            span_ms("I", Some("M2"), "modal.inference", 1610, 700),
        ]);
        let c = compare(&a, &b, &CompareOptions::default());
        let pairs = label_pairs(&a, &b, &c.alignment);
        assert!(pairs.contains(&("m".into(), "M2".into())), "{pairs:?}");
        assert!(pairs.contains(&("i".into(), "I".into())));
        let d = c.first_divergence.map(|i| c.rows[i].side);
        assert_eq!(d, Some(Side::OnlyB(idx(&b, "M1"))));
        // The root took 3× as long: flagged.
        assert!(c.rows[0].duration_flag);
        assert_eq!(c.rows[0].ratio, Some(3.0));
        let modal = c
            .operations
            .iter()
            .find(|o| o.label == "router.modal_call")
            .unwrap();
        assert_eq!((modal.count_a, modal.count_b, modal.errors_b), (1, 2, 1));
    }

    #[test]
    fn pairs_need_paired_parents() {
        // The same label under different callers is not a pair.
        let a = indexed(vec![
            span_ms("r", None, "gw.get", 0, 100),
            span_ms("x", Some("r"), "svc.x", 1, 50),
            span_ms("d", Some("x"), "db.query", 2, 10),
        ]);
        let b = indexed(vec![
            span_ms("r", None, "gw.get", 0, 100),
            span_ms("y", Some("r"), "svc.y", 1, 50),
            span_ms("d", Some("y"), "db.query", 2, 10),
        ]);
        let c = compare(&a, &b, &CompareOptions::default());
        assert_eq!(
            label_pairs(&a, &b, &c.alignment),
            vec![("r".into(), "r".into())]
        );
        let missing: Vec<Side> = c
            .rows
            .iter()
            .map(|r| r.side)
            .filter(|s| !matches!(s, Side::Both(..)))
            .collect();
        assert_eq!(missing.len(), 4);
    }

    #[test]
    fn slowdown_is_located_at_the_span_whose_own_time_changed() {
        let a = good();
        let b = indexed(vec![
            span_ms("r", None, "runner.exec", 0, 3000),
            span_ms("c", Some("r"), "runner.call", 5, 2990),
            span_ms("q", Some("c"), "router.req", 10, 2900),
            span_ms("m", Some("q"), "router.modal_call", 20, 2800),
            span_ms("i", Some("m"), "modal.inference", 30, 2700),
        ]);
        let c = compare(&a, &b, &CompareOptions::default());
        let d = c.first_divergence.map(|i| c.rows[i].side);
        assert_eq!(d, Some(Side::Both(idx(&a, "i"), idx(&b, "i"))));
        let top = &c.critical_path[0];
        assert!(top.b_share > top.a_share, "{top:?}");
    }

    #[test]
    fn empty_traces() {
        let e = indexed(vec![]);
        let c = compare(&e, &good(), &CompareOptions::default());
        assert_eq!(c.rows.len(), 5);
        assert_eq!(c.first_divergence, Some(0));
        let c = compare(&e, &e, &CompareOptions::default());
        assert!(c.rows.is_empty());
    }

    #[test]
    fn sequence_alignment_prefers_late_matches() {
        let p = sequence_candidates(&[1, 2, 9], &[1, 2, 2, 9]).unwrap();
        assert_eq!(p, vec![(0, 0), (1, 2), (2, 3)]);
        assert_eq!(sequence_candidates(&[], &[1]).unwrap(), vec![]);
    }
}
