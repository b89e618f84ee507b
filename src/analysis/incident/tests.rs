//! Window-level ranking on a small synthetic service graph with one injected fault each.

use super::*;
use crate::analysis::test_support::*;
use crate::model::Span;

/// What a scenario changes in one trace of the window.
#[derive(Clone, Copy, PartialEq)]
enum Fault {
    None,
    SlowLeaf,
    SlowEdgeToC,
    FailingC,
    BStopsCallingD,
    BFailsWithoutD,
}

/// gw.entry → a.handle → { a.call-b → b.handle → { b.db, b.call-d → d.get },
///                          a.call-c → c.handle }
/// with a few ms of deterministic jitter, so spreads are not zero.
fn request(i: i64, fault: Fault) -> IndexedTrace {
    let j = (i * 7) % 5;
    let leaf = 5 + j + if fault == Fault::SlowLeaf { 200 } else { 0 };
    let net = 1 + j % 2 + if fault == Fault::SlowEdgeToC { 300 } else { 0 };
    let d_call = !matches!(fault, Fault::BStopsCallingD | Fault::BFailsWithoutD);
    let b_len = leaf + 2 + if d_call { 12 } else { 0 };
    let c_start = 2 + b_len + 4;
    let c_len = 10 + j;
    let a_len = c_start + c_len + 2 * net + 3;
    let mut spans: Vec<Span> = vec![
        span_ms("gw", None, "gw.entry", 0, a_len + 4),
        span_ms("a", Some("gw"), "a.handle", 1, a_len),
        span_ms("ab", Some("a"), "a.call-b", 2, b_len + 2),
        span_ms("b", Some("ab"), "b.handle", 3, b_len),
        span_ms("bdb", Some("b"), "b.db", 4, leaf),
        span_ms("ac", Some("a"), "a.call-c", c_start, c_len + 2 * net),
    ];
    if d_call {
        spans.push(span_ms("bd", Some("b"), "b.call-d", 5 + leaf, 11));
        spans.push(span_ms("d", Some("bd"), "d.get", 6 + leaf, 9));
    }
    if fault == Fault::BFailsWithoutD {
        spans.push(span_ms(
            "berr",
            Some("b"),
            "b.BasicErrorController.error",
            5 + leaf,
            1,
        ));
    }
    let c = span_ms("c", Some("ac"), "c.handle", c_start + net, c_len);
    spans.push(if fault == Fault::FailingC {
        failed(c, "boom")
    } else {
        c
    });
    indexed(spans)
}

fn top(fault: Fault) -> (Incident, String) {
    let baseline: Vec<IndexedTrace> = (0..30).map(|i| request(i, Fault::None)).collect();
    let window: Vec<IndexedTrace> = (0..20).map(|i| request(i, fault)).collect();
    let inc = rank(&window, &baseline);
    let first = inc
        .services
        .first()
        .map(|s| s.service.clone())
        .unwrap_or_default();
    (inc, first)
}

/// A callee that starts long before its caller (clock skew at the edges of i64) must not
/// overflow the call's start offset. Found by fuzzing.
#[test]
fn extreme_start_offsets_do_not_overflow() {
    let t = indexed(vec![
        span("a", None, "a.x", i64::MAX - 10, 5),
        span("b", Some("a"), "b.y", i64::MIN + 10, 5),
    ]);
    let inc = rank(std::slice::from_ref(&t), std::slice::from_ref(&t));
    assert_eq!(inc.window_traces, 1);
}

#[test]
fn nothing_changed_means_no_evidence() {
    let (inc, _) = top(Fault::None);
    assert_eq!(inc.window_traces, 20);
    assert_eq!(inc.baseline_traces, 30);
    assert!(
        inc.services.iter().all(|s| s.score == 0.0),
        "{:#?}",
        inc.services
    );
    // Every service seen in the window is ranked, ranks 1..n.
    let names: Vec<&str> = inc.services.iter().map(|s| s.service.as_str()).collect();
    assert_eq!(names, ["a", "b", "c", "d", "gw"]);
    assert_eq!(inc.services.last().map(|s| s.rank), Some(5));
    // ... and the result says nothing moved.
    assert!(!inc.significant);
    assert_eq!(inc.with_evidence().count(), 0);
}

#[test]
fn slow_leaf_blames_its_service_not_the_callers() {
    let (inc, first) = top(Fault::SlowLeaf);
    assert_eq!(first, "b", "{:#?}", inc.services);
    assert!(inc.significant);
    let ev = &inc.services[0].evidence[0];
    assert_eq!(ev.kind, EvidenceKind::SelfTime);
    assert_eq!(ev.operation.as_deref(), Some("db"));
    assert!(ev.window - ev.baseline > 150.0, "{ev:?}");
    // The callers are slower in total only: they rank below.
    assert!(inc
        .services
        .iter()
        .filter(|s| s.service != "b")
        .all(|s| s.score < inc.services[0].score / 10.0));
}

#[test]
fn delay_seen_only_by_the_caller_blames_the_callee() {
    let (inc, first) = top(Fault::SlowEdgeToC);
    assert_eq!(first, "c", "{:#?}", inc.services);
    let ev = &inc.services[0].evidence[0];
    assert_eq!(ev.kind, EvidenceKind::CallerSideDelay);
    assert_eq!(ev.peer.as_deref(), Some("a"));
}

#[test]
fn failing_callee_is_the_error_origin() {
    let (inc, first) = top(Fault::FailingC);
    assert_eq!(first, "c", "{:#?}", inc.services);
    assert_eq!(inc.services[0].evidence[0].kind, EvidenceKind::ErrorOrigins);
}

#[test]
fn missing_downstream_call_blames_the_service_that_stopped_calling() {
    let (inc, first) = top(Fault::BStopsCallingD);
    assert_eq!(first, "b", "{:#?}", inc.services);
    let ev = &inc.services[0].evidence[0];
    assert_eq!(ev.kind, EvidenceKind::MissingCalls);
    assert_eq!(ev.peer.as_deref(), Some("d.get"));
    assert!(ev.window < 0.01 && ev.baseline > 0.99, "{ev:?}");
    // d is never called in the window, so it is not ranked at all.
    assert!(inc.services.iter().all(|s| s.service != "d"));
}

#[test]
fn failing_invocation_blames_its_service_and_points_at_the_vanished_call() {
    let (inc, first) = top(Fault::BFailsWithoutD);
    assert_eq!(first, "b", "{:#?}", inc.services);
    let ev = &inc.services[0].evidence[0];
    assert_eq!(ev.kind, EvidenceKind::FailedInvocations);
    assert_eq!(ev.operation.as_deref(), Some("handle"));
    assert!(ev.baseline < 0.01 && ev.window > 0.99, "{ev:?}");
    // d is never called in the window, yet it is ranked: the failing invocation stopped
    // where it used to call d, so d is a suspect, with a quarter of b's share.
    let d = inc
        .services
        .iter()
        .find(|s| s.service == "d")
        .expect("d ranked");
    assert_eq!(d.evidence[0].kind, EvidenceKind::VanishedCall);
    assert_eq!(d.evidence[0].peer.as_deref(), Some("b"));
    assert!((d.score / inc.services[0].evidence[0].score - FAILURE_CALLEE_WEIGHT).abs() < 1e-9);
}

#[test]
fn empty_and_odd_input_do_not_panic() {
    assert!(rank(&[], &[]).services.is_empty());
    let odd = indexed(vec![
        span_ms("x", Some("x"), "s.op", 0, -5),
        span_ms("y", Some("nope"), "t.op", 3, 0),
    ]);
    let inc = rank(std::slice::from_ref(&odd), &[]);
    assert_eq!(inc.window_traces, 1);
}
