//! How alike two traces are, as a score in [0, 1]: symmetric, 1.0 for identical traces.
//!
//! Two measures:
//! - **sequence** (default): `1 − d / max(len_a, len_b)`, where `d` is the edit distance
//!   between the traces' operation sequences — each span one `service.operation` token, in
//!   start order as the seed's SQL `find_similar_traces` orders them (`ORDER BY started_at`;
//!   ties: the longer span first, so a parent precedes a child starting with it). The seed
//!   joins the names into one string and divides a *character* distance by a *token* count,
//!   so its score goes below zero as soon as names are long; here both are tokens.
//! - **structure**: the Dice coefficient of the multisets of parent→child edges
//!   (`service.operation` of parent and child; a root's parent is "none", a token of its
//!   own that no label shares):
//!   `2·|A ∩ B| / (|A| + |B|)`. It ignores sibling order and timing jitter entirely and only
//!   sees which operation calls which how often, so a retry (one extra edge) costs little and
//!   a different call graph costs a lot. Parallel siblings whose start order flips make the
//!   sequence measure pay two edits; this one pays nothing.
//!
//! Algorithm choice: the `levenshtein` crate computes a character distance on `&str` with the
//! full O(n·m) table; on joined names (~25 characters per span) that is ~600× more cells than
//! the token problem, and it allocates per call. Tokens are interned to `u32`, and the token
//! distance is Myers' bit-parallel algorithm in Hyyrö's multi-word form: the target's
//! sequence is the pattern, preprocessed once into one bit mask per distinct token, and each
//! candidate costs O(⌈m/64⌉·n) word operations — for ~50-span traces one word per candidate
//! span. It stops early once the distance can no longer get under the cut-off the caller
//! gives (the `--min-score` threshold, or the current top-k's worst score). The `levenshtein`
//! crate stays the baseline in `benches/similar.rs` and the cross-check in the tests.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use crate::model::{SpanIndex, Trace};

/// Which measure `similar` ranks by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Sequence,
    Structure,
}

/// Token ids for the `service.operation` labels of one target trace. Candidates are only
/// looked up, never added: a label the target does not have can match nothing in it, so all
/// such labels share [`UNKNOWN`] without changing any distance, and the vocabulary stays the
/// target's size however many candidates are scored (also from several threads at once).
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    by_service: HashMap<String, HashMap<String, u32, Fx>, Fx>,
    labels: Vec<String>,
}

/// FxHash (rustc's hasher): a multiply-rotate per word. Two lookups per candidate span
/// are the hot path of `similar`, and SipHash's DoS resistance buys nothing for a map
/// holding one trace's labels.
#[derive(Debug, Clone, Copy, Default)]
struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type Fx = std::hash::BuildHasherDefault<FxHasher>;

/// The token of every label the target does not contain.
pub const UNKNOWN: u32 = u32::MAX;

/// The parent token of a root's (or orphan's) edge: "no parent". Distinct from [`UNKNOWN`],
/// or a target's root edge `none → x` would match a candidate's `y → x` whenever the
/// candidate's parent `y` is a label the target lacks, and the score would depend on which
/// trace is the target.
pub const NO_PARENT: u32 = u32::MAX - 1;

impl Vocabulary {
    /// The token of `service.operation`, adding it when new.
    pub fn intern(&mut self, service: &str, operation: &str) -> u32 {
        if let Some(&t) = self
            .by_service
            .get(service)
            .and_then(|ops| ops.get(operation))
        {
            return t;
        }
        // Ids stay below NO_PARENT and UNKNOWN: a trace has far fewer than 2^32 − 2 distinct
        // labels, and saturating keeps the invariant without a panic path if one ever does not.
        let t = u32::try_from(self.labels.len())
            .unwrap_or(NO_PARENT - 1)
            .min(NO_PARENT - 1);
        self.labels.push(format!("{service}.{operation}"));
        self.by_service
            .entry(service.to_string())
            .or_default()
            .insert(operation.to_string(), t);
        t
    }

    /// The token of a known label, or [`UNKNOWN`].
    pub fn get(&self, service: &str, operation: &str) -> u32 {
        self.by_service
            .get(service)
            .and_then(|ops| ops.get(operation))
            .copied()
            .unwrap_or(UNKNOWN)
    }

    pub fn label(&self, token: u32) -> Option<&str> {
        self.labels.get(token as usize).map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }
}

/// Span indices in sequence order: start time, then the longer span first (a parent before
/// the child that starts with it), then input order.
fn start_order(trace: &Trace) -> Vec<usize> {
    let mut order: Vec<usize> = (0..trace.spans.len()).collect();
    order.sort_by(|&a, &b| {
        let (sa, sb) = (&trace.spans[a], &trace.spans[b]);
        sa.start_ns
            .cmp(&sb.start_ns)
            .then(sb.end_ns().cmp(&sa.end_ns()))
            .then(a.cmp(&b))
    });
    order
}

/// The operation sequence of `trace`, adding its labels to `vocab`.
pub fn intern_sequence(trace: &Trace, vocab: &mut Vocabulary) -> Vec<u32> {
    start_order(trace)
        .into_iter()
        .map(|i| {
            let s = &trace.spans[i];
            vocab.intern(&s.service, &s.operation)
        })
        .collect()
}

/// The operation sequence of `trace` in `vocab`'s tokens (unknown labels: [`UNKNOWN`]).
pub fn sequence(trace: &Trace, vocab: &Vocabulary) -> Vec<u32> {
    start_order(trace)
        .into_iter()
        .map(|i| {
            let s = &trace.spans[i];
            vocab.get(&s.service, &s.operation)
        })
        .collect()
}

/// The parent→child edges of `trace` as sorted `(parent << 32) | child` keys. A root's
/// (or orphan's) parent token is [`NO_PARENT`]; with duplicate span ids the first one is the
/// parent, as in `Tree::build`.
fn edges(trace: &Trace, token: impl Fn(&str, &str) -> u32) -> Vec<u64> {
    let tokens: Vec<u32> = trace
        .spans
        .iter()
        .map(|s| token(&s.service, &s.operation))
        .collect();
    let by_id = SpanIndex::of(trace.spans.iter().map(|s| s.span_id.as_str()));
    let mut keys: Vec<u64> = trace
        .spans
        .iter()
        .zip(&tokens)
        .map(|(s, &child)| {
            let parent = s
                .parent_id
                .as_deref()
                .and_then(|p| by_id.get(p))
                .and_then(|p| tokens.get(p).copied())
                .unwrap_or(NO_PARENT);
            (u64::from(parent) << 32) | u64::from(child)
        })
        .collect();
    keys.sort_unstable();
    keys
}

/// Edges with the target's labels interned (see [`edges`]).
pub fn intern_edges(trace: &Trace, vocab: &mut Vocabulary) -> Vec<u64> {
    // Intern first, then look up: `edges` needs a shared borrow for its closure.
    for s in trace.spans.iter() {
        vocab.intern(&s.service, &s.operation);
    }
    edges(trace, |s, o| vocab.get(s, o))
}

/// Edges of a candidate. An edge touching an unknown label can never equal a target edge
/// (every target edge has a known child and a known parent or [`NO_PARENT`]), so collapsing
/// unknown labels changes no count.
pub fn candidate_edges(trace: &Trace, vocab: &Vocabulary) -> Vec<u64> {
    edges(trace, |s, o| vocab.get(s, o))
}

/// `1 − d / max(len_a, len_b)`; two empty traces are identical (1.0).
pub fn sequence_score(distance: usize, len_a: usize, len_b: usize) -> f64 {
    let longest = len_a.max(len_b);
    if longest == 0 {
        return 1.0;
    }
    (1.0 - distance as f64 / longest as f64).clamp(0.0, 1.0)
}

/// Dice coefficient of two sorted multisets; two empty sets are identical (1.0).
pub fn structure_score(a: &[u64], b: &[u64]) -> f64 {
    let total = a.len() + b.len();
    if total == 0 {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                // Two unknown-labelled edges are different labels as far as we know.
                let (parent, child) = ((a[i] >> 32) as u32, a[i] as u32);
                if parent != UNKNOWN && child != UNKNOWN {
                    common += 1;
                }
                i += 1;
                j += 1;
            }
        }
    }
    (2 * common) as f64 / total as f64
}

/// A token sequence preprocessed for Myers' bit-parallel edit distance against many texts.
#[derive(Debug, Clone)]
pub struct Pattern {
    len: usize,
    blocks: usize,
    /// Row of each token in `peq` (`u32::MAX`: the token is not in the pattern), by token id.
    row_of: Vec<u32>,
    /// For each distinct pattern token, `blocks` words: bit k of word b is set when
    /// position 64·b + k of the pattern holds the token.
    peq: Vec<u64>,
}

impl Pattern {
    pub fn new(tokens: &[u32]) -> Pattern {
        let len = tokens.len();
        let blocks = len.div_ceil(64);
        // Token ids are dense (a Vocabulary numbers labels from 0), so a direct index is
        // both smaller and faster than a hash map; UNKNOWN never gets a row.
        let max = tokens
            .iter()
            .copied()
            .filter(|&t| t != UNKNOWN)
            .max()
            .map_or(0, |m| m as usize + 1);
        let mut row_of = vec![u32::MAX; max];
        let mut peq: Vec<u64> = Vec::new();
        for (pos, &t) in tokens.iter().enumerate() {
            if t == UNKNOWN {
                continue; // matches nothing, like a label only one side has
            }
            let Some(slot) = row_of.get_mut(t as usize) else {
                continue;
            };
            if *slot == u32::MAX {
                *slot = (peq.len() / blocks.max(1)) as u32;
                peq.extend(std::iter::repeat_n(0, blocks));
            }
            let base = *slot as usize * blocks;
            if let Some(w) = peq.get_mut(base + pos / 64) {
                *w |= 1u64 << (pos % 64);
            }
        }
        Pattern {
            len,
            blocks,
            row_of,
            peq,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The edit distance to `text`.
    pub fn distance(&self, text: &[u32]) -> usize {
        // The distance never exceeds the longer length, so this cut-off never triggers.
        self.distance_within(text, self.len.max(text.len()))
            .unwrap_or(self.len.max(text.len()))
    }

    /// The edit distance to `text` when it is at most `max`, else None — possibly without
    /// reading all of `text`.
    pub fn distance_within(&self, text: &[u32], max: usize) -> Option<usize> {
        let (m, n) = (self.len, text.len());
        if m.abs_diff(n) > max {
            return None; // at least |m − n| insertions or deletions
        }
        if m == 0 || n == 0 {
            let d = m.max(n);
            return (d <= max).then_some(d);
        }
        let blocks = self.blocks;
        let mut pv = vec![u64::MAX; blocks];
        let mut mv = vec![0u64; blocks];
        let last_bit = 1u64 << ((m - 1) % 64);
        let zero = [0u64; 1];
        let mut score = m;
        for (j, &t) in text.iter().enumerate() {
            let eqs: &[u64] = match self.row_of.get(t as usize) {
                Some(&r) if r != u32::MAX => {
                    let base = r as usize * blocks;
                    self.peq.get(base..base + blocks).unwrap_or(&zero)
                }
                _ => &zero,
            };
            // Row 0 of the table is 0, 1, 2, …: the horizontal delta entering block 0 is +1.
            let mut hin: i32 = 1;
            for b in 0..blocks {
                let eq = eqs.get(b).copied().unwrap_or(0);
                let (p, mm) = (pv[b], mv[b]);
                // Hyyrö (2003), one block: vertical deltas (pv/mv) of this column from the
                // previous one, carrying the horizontal delta between blocks.
                let mut eq_in = eq;
                let xv = eq | mm;
                if hin < 0 {
                    eq_in |= 1;
                }
                let xh = ((eq_in & p).wrapping_add(p) ^ p) | eq_in;
                let mut ph = mm | !(xh | p);
                let mut mh = p & xh;
                if b + 1 == blocks {
                    if ph & last_bit != 0 {
                        score += 1;
                    } else if mh & last_bit != 0 {
                        score = score.saturating_sub(1);
                    }
                }
                let hout = if ph >> 63 != 0 {
                    1
                } else if mh >> 63 != 0 {
                    -1
                } else {
                    0
                };
                ph <<= 1;
                mh <<= 1;
                if hin < 0 {
                    mh |= 1;
                } else if hin > 0 {
                    ph |= 1;
                }
                pv[b] = mh | !(xv | ph);
                mv[b] = ph & xv;
                hin = hout;
            }
            // The last row can fall by at most 1 per remaining text token.
            let remaining = n - j - 1;
            if score > max.saturating_add(remaining) {
                return None;
            }
        }
        (score <= max).then_some(score)
    }
}

/// Edit distance between two token sequences (insertions, deletions, substitutions, each 1).
pub fn edit_distance(a: &[u32], b: &[u32]) -> usize {
    Pattern::new(a).distance(b)
}

/// The target, prepared once, and the score of any candidate against it.
#[derive(Debug, Clone)]
pub struct Scorer {
    pub measure: Measure,
    pub vocab: Vocabulary,
    sequence_len: usize,
    pattern: Pattern,
    edges: Vec<u64>,
}

impl Scorer {
    pub fn new(target: &Trace, measure: Measure) -> Scorer {
        let mut vocab = Vocabulary::default();
        let seq = intern_sequence(target, &mut vocab);
        let edges = match measure {
            Measure::Structure => intern_edges(target, &mut vocab),
            Measure::Sequence => Vec::new(),
        };
        Scorer {
            measure,
            vocab,
            sequence_len: seq.len(),
            pattern: Pattern::new(&seq),
            edges,
        }
    }

    /// The candidate's score, or None when it is below `min` (compared after rounding
    /// nothing: a score exactly at `min` is kept).
    pub fn score(&self, candidate: &Trace, min: f64) -> Option<f64> {
        match self.measure {
            Measure::Sequence => {
                let seq = sequence(candidate, &self.vocab);
                self.score_sequence(&seq, min)
            }
            Measure::Structure => {
                let e = candidate_edges(candidate, &self.vocab);
                let s = structure_score(&self.edges, &e);
                (s >= min).then_some(s)
            }
        }
    }

    /// The score of an already extracted candidate sequence (see [`sequence`]).
    pub fn score_sequence(&self, seq: &[u32], min: f64) -> Option<f64> {
        let longest = self.sequence_len.max(seq.len());
        // score ≥ min  ⇔  d ≤ (1 − min)·longest; the small epsilon keeps a score that is
        // exactly `min` (e.g. 0.7 of 10) from being lost to float rounding.
        let max_d = if min <= 0.0 {
            longest
        } else {
            (((1.0 - min) * longest as f64) + 1e-9).floor().max(0.0) as usize
        };
        let d = self.pattern.distance_within(seq, max_d)?;
        let s = sequence_score(d, self.sequence_len, seq.len());
        (s >= min).then_some(s)
    }
}

/// One ranked hit: highest score first, ties by lower key (e.g. candidate order).
#[derive(Debug, Clone)]
pub struct Ranked<T> {
    pub score: f64,
    pub key: usize,
    pub item: T,
}

impl<T> PartialEq for Ranked<T> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl<T> Eq for Ranked<T> {}
impl<T> PartialOrd for Ranked<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Ranked<T> {
    /// "Better" is greater: higher score, then lower key.
    fn cmp(&self, other: &Self) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then(other.key.cmp(&self.key))
    }
}

/// The best `k` items seen, in bounded memory.
#[derive(Debug)]
pub struct TopK<T> {
    k: usize,
    /// A min-heap (by "better") of the kept items: the worst is on top.
    heap: BinaryHeap<std::cmp::Reverse<Ranked<T>>>,
}

impl<T> TopK<T> {
    pub fn new(k: usize) -> TopK<T> {
        TopK {
            k,
            heap: BinaryHeap::with_capacity(k.saturating_add(1).min(1024)),
        }
    }

    /// The score a new item must reach to enter (`floor` until k items are kept).
    pub fn threshold(&self, floor: f64) -> f64 {
        if self.heap.len() < self.k {
            floor
        } else {
            self.heap.peek().map_or(floor, |w| w.0.score.max(floor))
        }
    }

    pub fn push(&mut self, score: f64, key: usize, item: T) {
        if self.k == 0 {
            return;
        }
        self.heap
            .push(std::cmp::Reverse(Ranked { score, key, item }));
        if self.heap.len() > self.k {
            self.heap.pop();
        }
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// Best first.
    pub fn into_sorted(self) -> Vec<Ranked<T>> {
        let mut v: Vec<Ranked<T>> = self.heap.into_iter().map(|r| r.0).collect();
        v.sort_by(|a, b| b.cmp(a));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_support::*;

    fn toks(s: &str) -> Vec<u32> {
        s.bytes().map(u32::from).collect()
    }

    fn score(a: &str, b: &str) -> f64 {
        let (a, b) = (toks(a), toks(b));
        sequence_score(edit_distance(&a, &b), a.len(), b.len())
    }

    #[test]
    fn exact_scores_on_small_sequences() {
        assert_eq!(score("abcd", "abcd"), 1.0, "identical");
        assert_eq!(score("abcd", "abxcd"), 1.0 - 1.0 / 5.0, "insertion");
        assert_eq!(score("abcd", "acd"), 1.0 - 1.0 / 4.0, "deletion");
        assert_eq!(score("abcd", "abxd"), 1.0 - 1.0 / 4.0, "substitution");
        assert_eq!(score("abcd", "wxyz"), 0.0, "disjoint");
        assert_eq!(score("", ""), 1.0, "both empty");
        assert_eq!(score("", "ab"), 0.0, "one empty");
        assert_eq!(score("kitten", "sitting"), 1.0 - 3.0 / 7.0);
    }

    #[test]
    fn symmetric() {
        for (a, b) in [("abcd", "abxcd"), ("kitten", "sitting"), ("", "xyz")] {
            assert_eq!(score(a, b), score(b, a));
        }
    }

    /// Span labels long enough that the joined string passes 255 characters (where the
    /// seed's PostgreSQL `levenshtein` gives up): the seed's formula, a character distance
    /// over a token count, goes far below zero; the token score is the obvious 4/5.
    #[test]
    fn seed_bug_case_long_sequences() {
        let a: Vec<String> = (0..5)
            .map(|i| {
                format!(
                    "service-{i}-with-a-long-name.operation_number_{i}_with_padding_{}",
                    "x".repeat(40)
                )
            })
            .collect();
        let mut b = a.clone();
        b[2] = format!(
            "other-service.completely_different_operation_{}",
            "y".repeat(40)
        );
        let (ja, jb) = (a.join(","), b.join(","));
        assert!(ja.len() > 255 && jb.len() > 255);
        let seed = 1.0 - levenshtein::levenshtein(&ja, &jb) as f64 / 5.0;
        assert!(seed < 0.0, "the seed's score is {seed}");

        let mut vocab = Vocabulary::default();
        let ta: Vec<u32> = a.iter().map(|l| vocab.intern(l, "")).collect();
        let tb: Vec<u32> = b.iter().map(|l| vocab.intern(l, "")).collect();
        assert_eq!(sequence_score(edit_distance(&ta, &tb), 5, 5), 0.8);
    }

    /// Small deterministic generator (xorshift).
    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n.max(1)
        }
    }

    /// The bit-parallel distance equals the `levenshtein` crate's on strings where each
    /// token is one character, across the one-word/multi-word boundary (63, 64, 65, 130).
    #[test]
    fn bit_parallel_matches_the_levenshtein_crate() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let as_str = |t: &[u32]| -> String {
            t.iter()
                .map(|&c| char::from_u32(0x4e00 + c).unwrap_or('?'))
                .collect()
        };
        for round in 0..600 {
            let la = [0, 1, 5, 63, 64, 65, 130, 200][rng.below(8) as usize];
            let lb = (la as i64 + rng.below(20) as i64 - 10).max(0) as usize;
            let vocab = 1 + rng.below(6);
            let a: Vec<u32> = (0..la).map(|_| rng.below(vocab) as u32).collect();
            let mut b: Vec<u32> = a.iter().take(lb).copied().collect();
            while b.len() < lb {
                b.push(rng.below(vocab) as u32);
            }
            for _ in 0..rng.below(8) {
                if !b.is_empty() {
                    let k = rng.below(b.len() as u64) as usize;
                    b[k] = rng.below(vocab + 2) as u32;
                }
            }
            let want = levenshtein::levenshtein(&as_str(&a), &as_str(&b));
            assert_eq!(edit_distance(&a, &b), want, "round {round}: {a:?} {b:?}");
            assert_eq!(edit_distance(&b, &a), want, "round {round}: symmetric");
            let p = Pattern::new(&a);
            for max in [0, want.saturating_sub(1), want, want + 3] {
                let got = p.distance_within(&b, max);
                assert_eq!(
                    got,
                    (want <= max).then_some(want),
                    "round {round} max {max}"
                );
            }
        }
    }

    #[test]
    fn unknown_tokens_match_nothing() {
        let p = Pattern::new(&[0, 1, 2]);
        assert_eq!(p.distance(&[0, UNKNOWN, 2]), 1);
        assert_eq!(p.distance(&[UNKNOWN, UNKNOWN, UNKNOWN]), 3);
        assert_eq!(Pattern::new(&[UNKNOWN]).distance(&[UNKNOWN]), 1);
    }

    fn chain(labels: &[&str]) -> Trace {
        let spans = labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let parent = (i > 0).then(|| format!("s{}", i - 1));
                span_ms(
                    &format!("s{i}"),
                    parent.as_deref(),
                    l,
                    i as i64,
                    100 - i as i64,
                )
            })
            .collect();
        indexed(spans).trace
    }

    #[test]
    fn scorer_on_traces() {
        let a = chain(&[
            "runner.exec",
            "runner.call",
            "router.req",
            "modal.inference",
        ]);
        let b = chain(&[
            "runner.exec",
            "runner.call",
            "router.req",
            "router.retry",
            "modal.inference",
        ]);
        let s = Scorer::new(&a, Measure::Sequence);
        assert_eq!(s.score(&a, 0.0), Some(1.0));
        assert_eq!(s.score(&b, 0.0), Some(0.8));
        assert_eq!(
            s.score(&b, 0.8),
            Some(0.8),
            "a score equal to the minimum is kept"
        );
        assert_eq!(s.score(&b, 0.81), None);
        // Symmetric from the other side.
        assert_eq!(Scorer::new(&b, Measure::Sequence).score(&a, 0.0), Some(0.8));

        let st = Scorer::new(&a, Measure::Structure);
        assert_eq!(st.score(&a, 0.0), Some(1.0));
        // a: 4 edges; b: 5 edges, 2 shared (none→exec, exec→call, call→req shared = 3).
        assert_eq!(st.score(&b, 0.0), Some(2.0 * 3.0 / 9.0));
        assert_eq!(
            Scorer::new(&b, Measure::Structure).score(&a, 0.0),
            Some(2.0 * 3.0 / 9.0)
        );
        let empty = Trace::default();
        assert_eq!(
            Scorer::new(&empty, Measure::Structure).score(&empty, 0.0),
            Some(1.0)
        );
        assert_eq!(
            Scorer::new(&empty, Measure::Sequence).score(&a, 0.0),
            Some(0.0)
        );
    }

    /// A root edge `none → y` is not a candidate's `x → y` just because the target has no
    /// `x`: before roots had their own parent token, scoring from `a` counted that edge as
    /// shared (2/3) and scoring from `b` did not (0).
    #[test]
    fn structure_is_symmetric_when_the_root_is_a_child_elsewhere() {
        let a = chain(&["db.query"]);
        let b = chain(&["api.handle", "db.query"]);
        let ab = Scorer::new(&a, Measure::Structure).score(&b, 0.0);
        let ba = Scorer::new(&b, Measure::Structure).score(&a, 0.0);
        assert_eq!(ab, Some(0.0));
        assert_eq!(ba, Some(0.0));
        // A shared root still counts from both sides.
        let c = chain(&["db.query", "db.fetch"]);
        assert_eq!(
            Scorer::new(&a, Measure::Structure).score(&c, 0.0),
            Some(2.0 / 3.0)
        );
        assert_eq!(
            Scorer::new(&c, Measure::Structure).score(&a, 0.0),
            Some(2.0 / 3.0)
        );
    }

    #[test]
    fn top_k_keeps_the_best() {
        let mut top = TopK::new(2);
        assert_eq!(top.threshold(0.5), 0.5);
        for (k, s) in [0.6, 0.9, 0.7, 0.9, 0.1].iter().enumerate() {
            top.push(*s, k, k);
        }
        assert_eq!(top.threshold(0.5), 0.9);
        let v: Vec<usize> = top.into_sorted().iter().map(|r| r.item).collect();
        assert_eq!(v, vec![1, 3], "ties by key");
        let mut none: TopK<()> = TopK::new(0);
        none.push(1.0, 0, ());
        assert!(none.is_empty());
    }
}
