//! Properties of the analyses on random span trees: random shapes, durations, children inside
//! their parents (laid out one after another, or overlapping), cross-service calls,
//! asynchronous edges and errors.
//!
//! - self time: every span's self time is its duration less the union of its children
//!   (checked against a brute-force union), and without overlapping siblings the self times
//!   add up to exactly the root's duration (never more);
//! - critical path: non-overlapping segments in time order, inside the root, each inside the
//!   window of the span it is charged to, adding up to the root's duration;
//! - gaps: inside their span, overlapping none of its children;
//! - similarity: symmetric, and 1 (distance 0) for identical traces, by sequence and by
//!   structure;
//! - the diagnosis JSON is deterministic.

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::FileFailurePersistence;

use tracediag::analysis::similarity::{self, Measure, Scorer, Vocabulary};
use tracediag::analysis::{critical_path, diagnose, gaps, self_time, Thresholds};
use tracediag::model::{IndexedTrace, RefType, Span, SpanKind, Status, StatusCode, Trace};
use tracediag::report::{self, Format, RenderOptions};

/// 2025-10-22T16:21:12Z in ns: timestamps of the size real traces have.
const BASE_NS: i64 = 1_761_150_072_000_000_000;

const LABELS: &[(&str, &str)] = &[
    ("api", "GET /pay"),
    ("api", "auth"),
    ("db", "SELECT"),
    ("db", "INSERT"),
    ("cache", "get"),
    ("payment", "charge"),
    ("payment", "GET /pay"),
];

/// How one span is drawn; turned into a [`Span`] by [`build`].
#[derive(Debug, Clone)]
struct Raw {
    /// Picks the parent among the spans before this one (span 0 is the root).
    parent: Index,
    label: Index,
    /// Weights of the gap before the span and of its length among its siblings
    /// (sequential layout), or per mille of the parent's window (overlapping layout).
    a: u32,
    b: u32,
    /// Weight of the time after the last child.
    tail: u32,
    error: bool,
    /// 0–4: ordinary; 5: a consumer, 6: FOLLOWS_FROM.
    kind: u8,
}

fn raw() -> impl Strategy<Value = Raw> {
    (
        any::<Index>(),
        any::<Index>(),
        0u32..=1000,
        0u32..=1000,
        0u32..=1000,
        prop::bool::weighted(0.15),
        0u8..8,
    )
        .prop_map(|(parent, label, a, b, tail, error, kind)| Raw {
            parent,
            label,
            a,
            b,
            tail,
            error,
            kind,
        })
}

/// A trace of 1–`max` spans. `sequential`: siblings one after another; otherwise they may
/// overlap. `asynchronous`: some edges are consumer or FOLLOWS_FROM ones. Spans come in a
/// shuffled order, as sources deliver them.
fn trace(max: usize, sequential: bool, asynchronous: bool) -> impl Strategy<Value = Trace> {
    (prop::collection::vec(raw(), 1..=max), 1i64..=10_000_000_000)
        .prop_map(move |(raws, root_ns)| build(&raws, root_ns, sequential, asynchronous))
        .prop_flat_map(|t| {
            let Trace { id, spans, .. } = t;
            Just(spans.to_vec())
                .prop_shuffle()
                .prop_map(move |spans| Trace::with_spans(id.clone(), spans))
        })
}

fn build(raws: &[Raw], root_ns: i64, sequential: bool, asynchronous: bool) -> Trace {
    let n = raws.len();
    let parent: Vec<Option<usize>> = (0..n)
        .map(|i| (i > 0).then(|| raws[i].parent.index(i)))
        .collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, p) in parent.iter().enumerate() {
        if let Some(p) = p {
            children[*p].push(i);
        }
    }
    // Windows top-down: every parent index is below its children's.
    let mut win = vec![(0i64, 0i64); n];
    win[0] = (BASE_NS, BASE_NS + root_ns);
    for p in 0..n {
        let (ps, pe) = win[p];
        let len = i128::from(pe - ps);
        let kids = &children[p];
        if sequential {
            let total: i128 = kids
                .iter()
                .map(|&c| i128::from(raws[c].a) + i128::from(raws[c].b))
                .sum::<i128>()
                + i128::from(raws[p].tail);
            let mut cum: i128 = 0;
            let at = |cum: i128| {
                if total == 0 {
                    ps
                } else {
                    ps + (len * cum / total) as i64
                }
            };
            for &c in kids {
                cum += i128::from(raws[c].a);
                let s = at(cum);
                cum += i128::from(raws[c].b);
                win[c] = (s, at(cum));
            }
        } else {
            for &c in kids {
                let s = ps + (len * i128::from(raws[c].a) / 1000) as i64;
                let d = (i128::from(pe - s) * i128::from(raws[c].b) / 1000) as i64;
                win[c] = (s, s + d);
            }
        }
    }
    let spans: Vec<Span> = (0..n)
        .map(|i| {
            let r = &raws[i];
            let (service, operation) = LABELS[r.label.index(LABELS.len())];
            let (kind, parent_ref) = match r.kind {
                5 if asynchronous && i > 0 => (SpanKind::Consumer, RefType::ChildOf),
                6 if asynchronous && i > 0 => (SpanKind::Internal, RefType::FollowsFrom),
                1 | 2 => (SpanKind::Client, RefType::ChildOf),
                3 => (SpanKind::Server, RefType::ChildOf),
                _ => (SpanKind::Internal, RefType::ChildOf),
            };
            Span {
                trace_id: "7".into(),
                span_id: format!("s{i}").into(),
                parent_id: parent[i].map(|p| format!("s{p}").into()),
                parent_ref,
                service: service.into(),
                operation: operation.into(),
                kind,
                start_ns: win[i].0,
                duration_ns: win[i].1 - win[i].0,
                status: if r.error {
                    Status {
                        code: StatusCode::Error,
                        message: Some("connection refused".into()),
                    }
                } else {
                    Status::default()
                },
                ..Span::default()
            }
        })
        .collect();
    Trace::with_spans("7".into(), spans)
}

/// A trace and a variant of it: a few spans relabelled, and the last spans dropped.
fn variants() -> impl Strategy<Value = (Trace, Trace)> {
    (
        trace(16, false, false),
        prop::collection::vec((any::<Index>(), any::<Index>()), 0..4),
        0usize..3,
    )
        .prop_map(|(a, relabel, drop)| {
            let mut b = a.clone();
            for (span, label) in relabel {
                let i = span.index(b.spans.len());
                let (service, operation) = LABELS[label.index(LABELS.len())];
                b.spans_mut()[i].service = service.into();
                b.spans_mut()[i].operation = operation.into();
            }
            let keep = b.spans.len().saturating_sub(drop).max(1);
            b.spans_mut().truncate(keep);
            (a, b)
        })
}

fn root_of(t: &IndexedTrace) -> usize {
    t.tree
        .main_root(&t.trace)
        .expect("a generated trace has a root")
}

/// Length of the union of `[s, e)` intervals, clipped to `[lo, hi)`, by sorting.
fn union_len(mut v: Vec<(i64, i64)>, lo: i64, hi: i64) -> i64 {
    v.retain(|&(s, e)| e.min(hi) > s.max(lo));
    v.iter_mut().for_each(|w| *w = (w.0.max(lo), w.1.min(hi)));
    v.sort();
    let (mut total, mut cur): (i64, Option<(i64, i64)>) = (0, None);
    for (s, e) in v {
        cur = match cur {
            Some((cs, ce)) if s <= ce => Some((cs, ce.max(e))),
            Some((cs, ce)) => {
                total += ce - cs;
                Some((s, e))
            }
            None => Some((s, e)),
        };
    }
    total + cur.map_or(0, |(s, e)| e - s)
}

/// `cases` random trees per property. Failures are saved to and replayed from
/// `tests/properties.proptest-regressions`, beside this file: the default location is
/// relative to a `src/lib.rs` or `main.rs`, which an integration test has none of.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(1024))]

    /// Self time is the span less the union of its children, whatever the overlap.
    #[test]
    fn self_time_is_the_span_less_its_children(trace in trace(30, false, true)) {
        let t = IndexedTrace::new(trace, None);
        let st = self_time::self_times(&t);
        for (i, s) in t.trace.spans.iter().enumerate() {
            let kids = t.tree.children[i]
                .iter()
                .map(|&c| (t.trace.spans[c].start_ns, t.trace.spans[c].end_ns()))
                .collect();
            let covered = union_len(kids, s.start_ns, s.end_ns());
            prop_assert_eq!(st[i], s.duration_ns - covered, "span {}", s.span_id);
            prop_assert!(st[i] >= 0 && st[i] <= s.duration_ns);
        }
    }

    /// Without overlapping siblings every instant of the root is some span's own time, once:
    /// the self times add up to the root's duration, never more.
    #[test]
    fn self_times_add_up_to_the_root(trace in trace(30, true, true)) {
        let t = IndexedTrace::new(trace, None);
        let total: i64 = self_time::self_times(&t).iter().sum();
        let root = &t.trace.spans[root_of(&t)];
        prop_assert!(total <= root.duration_ns, "{} > {}", total, root.duration_ns);
        prop_assert_eq!(total, root.duration_ns);
    }

    /// The critical path is a chain of non-overlapping segments covering the root exactly,
    /// each inside the span it is charged to.
    #[test]
    fn critical_path_covers_the_root(
        trace in prop_oneof![trace(30, false, true), trace(30, true, true)]
    ) {
        let t = IndexedTrace::new(trace, None);
        let cp = critical_path::critical_path(&t);
        let root = &t.trace.spans[root_of(&t)];
        let mut at = root.start_ns;
        for seg in &cp.segments {
            prop_assert!(seg.start_ns >= at, "segments overlap or go back: {:?}", cp.segments);
            prop_assert!(seg.end_ns > seg.start_ns);
            let s = &t.trace.spans[seg.span];
            prop_assert!(seg.start_ns >= s.start_ns && seg.end_ns <= s.end_ns());
            at = seg.end_ns;
        }
        prop_assert!(at <= root.end_ns());
        let total: i64 = cp.segments.iter().map(|s| s.end_ns - s.start_ns).sum();
        prop_assert_eq!(total, root.duration_ns);
        prop_assert_eq!(cp.on_path_ns.iter().sum::<i64>(), root.duration_ns);
    }

    /// A gap lies inside its span and overlaps none of that span's children.
    #[test]
    fn gaps_overlap_no_child(
        trace in prop_oneof![trace(30, false, true), trace(30, true, true)]
    ) {
        let t = IndexedTrace::new(trace, None);
        for g in gaps::find_gaps(&t) {
            let (gs, ge) = (g.start_ns, g.start_ns + g.duration_ns);
            let p = &t.trace.spans[g.span()];
            prop_assert!(g.duration_ns > 0);
            prop_assert!(gs >= p.start_ns && ge <= p.end_ns(), "gap outside its span: {:?}", g);
            for &c in &t.tree.children[g.span()] {
                let c = &t.trace.spans[c];
                prop_assert!(
                    ge <= c.start_ns || gs >= c.end_ns(),
                    "gap {:?} overlaps child {} [{}, {}]", g, c.span_id, c.start_ns, c.end_ns()
                );
            }
        }
    }

    /// Similarity is symmetric, by sequence and by structure, for unrelated traces and for
    /// a trace against a variant of itself.
    #[test]
    fn similarity_is_symmetric(
        (a, b) in prop_oneof![(trace(12, false, false), trace(12, false, false)), variants()]
    ) {
        for m in [Measure::Sequence, Measure::Structure] {
            let ab = Scorer::new(&a, m).score(&b, 0.0);
            let ba = Scorer::new(&b, m).score(&a, 0.0);
            prop_assert_eq!(ab, ba, "{:?}", m);
            let s = ab.unwrap_or(-1.0);
            prop_assert!((0.0..=1.0).contains(&s), "{:?} score {}", m, s);
        }
    }

    /// A trace is identical to itself: score 1, edit distance 0.
    #[test]
    fn identical_traces_score_one(a in trace(30, false, true)) {
        let copy = a.clone();
        for m in [Measure::Sequence, Measure::Structure] {
            prop_assert_eq!(Scorer::new(&a, m).score(&copy, 0.0), Some(1.0), "{:?}", m);
            prop_assert_eq!(Scorer::new(&a, m).score(&copy, 1.0), Some(1.0), "{:?}", m);
        }
        let mut vocab = Vocabulary::default();
        let seq = similarity::intern_sequence(&a, &mut vocab);
        prop_assert_eq!(similarity::edit_distance(&seq, &similarity::sequence(&copy, &vocab)), 0);
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// The same trace gives the same JSON bytes, every time.
    #[test]
    fn diagnosis_json_is_deterministic(trace in trace(30, false, true)) {
        let render = |trace: &Trace| {
            let t = IndexedTrace::new(trace.clone(), Some(1_000_000_000));
            let th = Thresholds { gap_ns: 1, network_gap_ns: 1, repeat_min: 2, ..Thresholds::default() };
            let d = diagnose(&t, &th);
            report::diagnose(&t, &d, Format::Json, &RenderOptions::default())
        };
        let first = render(&trace);
        let second = render(&trace);
        prop_assert!(first == second, "two runs differ");
        prop_assert!(serde_json::from_str::<serde_json::Value>(&first).is_ok());
    }
}
