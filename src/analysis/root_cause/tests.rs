//! Root-cause ranking on small built traces and on the seed's execution 2193.

use super::integrity::BROKEN_CONFIDENCE;
use super::*;
use crate::analysis::test_support::*;
use crate::analysis::{diagnose, Thresholds};
use crate::model::AttrValue;

fn rank_of(t: &IndexedTrace) -> Vec<Candidate> {
    let d = diagnose(t, &Thresholds::default());
    assert!(!d.root_causes.is_empty());
    for w in d.root_causes.windows(2) {
        assert!(w[0].score >= w[1].score, "sorted by score");
    }
    for c in &d.root_causes {
        assert!((0.0..=1.0).contains(&c.score), "score in [0, 1]: {c:?}");
        assert!(!c.evidence.is_empty() && !c.recommendation.is_empty());
    }
    d.root_causes
}

#[test]
fn seed_execution_2193_is_a_network_timeout_on_the_response_leg() {
    let t = execution_2193();
    let rc = rank_of(&t);
    let top = &rc[0];
    assert_eq!(top.category, Category::NetworkTimeout, "{rc:#?}");
    assert_eq!(
        top.span,
        Some(idx(&t, "2")),
        "located at runner.hybrid_router_call"
    );
    assert_eq!(
        top.peer_span,
        Some(idx(&t, "3")),
        "peer router.inference_request"
    );
    let text = top.evidence.join("\n");
    for needle in [
        "156117",
        "16:22:34.891",
        "16:25:11.008",
        "response leg router→runner",
        "router.inference_request",
    ] {
        assert!(text.contains(needle), "evidence lacks {needle}: {text}");
    }
    assert!(text.contains("2025-10-22T16:22:34.891Z") && text.contains("2025-10-22T16:25:11.008Z"));
    assert!(
        top.recommendation.contains("between router and runner"),
        "{}",
        top.recommendation
    );
    // The caller's self time is the gap itself: not reported again as slowness.
    assert!(
        rc.iter()
            .all(|c| c.category != Category::PerformanceDegradation),
        "{rc:#?}"
    );
}

#[test]
fn connection_refused_propagating_to_the_root() {
    let t = indexed(vec![
        failed(span_ms("r", None, "api.checkout", 0, 120), "internal error"),
        failed(
            span_ms("o", Some("r"), "orders.create", 10, 100),
            "upstream error",
        ),
        ok(span_ms("c", Some("o"), "orders.validate", 12, 5)),
        with_attr(
            failed(
                span_ms("db", Some("o"), "orders.db_connect", 20, 30),
                "dial tcp 10.0.0.5:5432: connect: connection refused",
            ),
            "db.system",
            AttrValue::Str("postgresql".into()),
        ),
    ]);
    let rc = rank_of(&t);
    let top = &rc[0];
    assert_eq!(top.category, Category::ConnectionFailure, "{rc:#?}");
    assert_eq!(top.span, Some(idx(&t, "db")));
    assert_eq!(
        top.peer_span,
        Some(idx(&t, "r")),
        "first ancestor in another service"
    );
    let text = top.evidence.join("\n");
    assert!(
        text.contains("dial tcp 10.0.0.5:5432: connect: connection refused"),
        "{text}"
    );
    assert!(
        text.contains("Propagated through orders.create → api.checkout (root), which failed"),
        "{text}"
    );
    assert!(
        top.recommendation.contains("postgresql"),
        "{}",
        top.recommendation
    );
    assert!(top.score > 0.9);
}

#[test]
fn status_codes_and_messages_classify() {
    let base = || failed(span_ms("x", Some("r"), "svc.call", 10, 10), "");
    let cases = vec![
        (
            with_attr(base(), "http.status_code", AttrValue::Int(429)),
            Category::RateLimited,
        ),
        (
            with_attr(
                base(),
                "http.response.status_code",
                AttrValue::Str("504".into()),
            ),
            Category::ServiceTimeout,
        ),
        (
            with_attr(base(), "rpc.grpc.status_code", AttrValue::Int(14)),
            Category::ConnectionFailure,
        ),
        (
            failed(
                base(),
                "rpc error: code = DeadlineExceeded desc = context deadline exceeded",
            ),
            Category::ServiceTimeout,
        ),
        (
            failed(base(), "HTTP 429 Too Many Requests"),
            Category::RateLimited,
        ),
        (
            failed(base(), "ThrottlingException: Rate exceeded"),
            Category::RateLimited,
        ),
        (failed(base(), "read: ETIMEDOUT"), Category::ServiceTimeout),
        (
            failed(base(), "listening on port 14290 failed"),
            Category::ExecutionFailure,
        ),
        (
            with_event(
                base(),
                "exception",
                &[("exception.type", "requests.exceptions.ConnectionError")],
            ),
            Category::ConnectionFailure,
        ),
        (
            failed(base(), "NullPointerException"),
            Category::ExecutionFailure,
        ),
    ];
    for (span, want) in cases {
        let got = classify_error(&span);
        assert_eq!(got.category, want, "{:?} → {got:?}", span.status.message);
        assert_eq!(got.specific, want != Category::ExecutionFailure);
    }
}

#[test]
fn rate_limited_root_failure_outranks_slowness() {
    let t = indexed(vec![
        failed(span_ms("r", None, "api.ask", 0, 10_000), ""),
        ok(span_ms("s", Some("r"), "api.prepare", 0, 9_000)),
        with_attr(
            failed(span_ms("x", Some("r"), "llm.complete", 9_000, 900), "quota"),
            "http.status_code",
            AttrValue::Int(429),
        ),
    ]);
    let rc = rank_of(&t);
    assert_eq!(rc[0].category, Category::RateLimited, "{rc:#?}");
    assert!(rc[0].evidence.iter().any(|e| e.contains("HTTP status 429")));
    assert!(rc
        .iter()
        .any(|c| c.category == Category::PerformanceDegradation && c.span == Some(idx(&t, "s"))));
}

#[test]
fn deadline_exceeded_is_a_service_timeout() {
    let t = indexed(vec![
        failed(span_ms("r", None, "gw.get", 0, 5_000), "deadline exceeded"),
        failed(
            span_ms("c", Some("r"), "gw.call_inventory", 0, 5_000),
            "context deadline exceeded",
        ),
        ok(span_ms("s", Some("c"), "inventory.lookup", 100, 4_800)),
    ]);
    let rc = rank_of(&t);
    assert_eq!(rc[0].category, Category::ServiceTimeout, "{rc:#?}");
    assert_eq!(rc[0].span, Some(idx(&t, "c")));
}

#[test]
fn n_plus_one_calls_are_a_performance_finding() {
    let mut spans = vec![ok(span_ms("r", None, "api.list", 0, 200))];
    for k in 0..12 {
        spans.push(ok(span_ms(
            &format!("d{k}"),
            Some("r"),
            "db.get_item",
            10 + k * 15,
            12,
        )));
    }
    let t = indexed(spans);
    let rc = rank_of(&t);
    let c = rc
        .iter()
        .find(|c| c.category == Category::PerformanceDegradation)
        .expect("N+1 candidate");
    assert_eq!(c.span, Some(idx(&t, "r")));
    assert!(
        c.evidence[0].contains("12 calls to db.get_item, 144ms in total (72% of the trace)"),
        "{c:#?}"
    );
}

#[test]
fn dominant_leaf_is_a_performance_finding() {
    let t = indexed(vec![
        ok(span_ms("r", None, "api.r", 0, 10_000)),
        ok(span_ms("a", Some("r"), "api.auth", 0, 500)),
        ok(span_ms("m", Some("r"), "model.infer", 600, 9_000)),
    ]);
    let rc = rank_of(&t);
    assert_eq!(rc[0].category, Category::PerformanceDegradation);
    assert_eq!(rc[0].span, Some(idx(&t, "m")));
    assert!(
        rc[0].evidence[0].contains("9000ms") && rc[0].evidence[0].contains("90%"),
        "{:?}",
        rc[0]
    );
}

#[test]
fn a_dominant_span_in_a_fast_request_is_no_degradation() {
    // Same shape, a hundred times faster: below the slow-span floor nothing is degraded.
    let t = indexed(vec![
        ok(span_ms("r", None, "api.r", 0, 100)),
        ok(span_ms("a", Some("r"), "api.auth", 0, 5)),
        ok(span_ms("m", Some("r"), "model.infer", 6, 90)),
    ]);
    let rc = rank_of(&t);
    assert_eq!(rc[0].category, Category::Unknown, "{rc:#?}");
}

#[test]
fn orphans_make_a_broken_trace() {
    let t = indexed(vec![
        ok(span_ms("r", None, "api.r", 0, 100)),
        ok(span_ms("a", Some("r"), "api.a", 5, 45)),
        ok(span_ms("b", Some("r"), "api.b", 50, 45)),
        ok(span_ms("o", Some("lost"), "worker.job", 40, 30)),
    ]);
    let rc = rank_of(&t);
    assert_eq!(rc[0].category, Category::BrokenTrace, "{rc:#?}");
    assert_eq!(rc[0].span, Some(idx(&t, "o")));
    assert!(rc[0].evidence[0].contains("1 orphan span(s)"));
    assert!(rc.iter().any(|c| c.category == Category::Unknown));

    // With a real explanation the broken tree is still listed, but below it.
    let t = indexed(vec![
        failed(span_ms("r", None, "api.r", 0, 100), ""),
        failed(
            span_ms("a", Some("r"), "api.a", 10, 20),
            "connection reset by peer",
        ),
        ok(span_ms("o", Some("lost"), "worker.job", 40, 30)),
    ]);
    let rc = rank_of(&t);
    assert_eq!(rc[0].category, Category::ConnectionFailure);
    assert!((rc[0].score - 0.95 * BROKEN_CONFIDENCE).abs() < 1e-9);
    assert!(rc.iter().any(|c| c.category == Category::BrokenTrace));
}

#[test]
fn healthy_small_trace_is_unknown() {
    let t = indexed(vec![
        ok(span_ms("r", None, "web.home", 0, 100)),
        ok(span_ms("a", Some("r"), "auth.check", 5, 10)),
        ok(span_ms("d", Some("r"), "db.query", 20, 30)),
        ok(span_ms("v", Some("r"), "web.render", 55, 40)),
    ]);
    let rc = rank_of(&t);
    assert_eq!(rc.len(), 1, "{rc:#?}");
    assert_eq!(rc[0].category, Category::Unknown);
    assert_eq!(rc[0].span, Some(idx(&t, "v")));
    assert!(
        rc[0].evidence[1].contains("web.render 40ms (40%)"),
        "{:?}",
        rc[0].evidence
    );
    assert!(rc[0].score < 0.2);
}

#[test]
fn empty_trace_is_unknown() {
    let rc = rank_of(&indexed(vec![]));
    assert_eq!(
        (rc.len(), rc[0].category, rc[0].span),
        (1, Category::Unknown, None)
    );
}

#[test]
fn hundred_thousand_deep_chain_does_not_overflow() {
    let mut t = deep_chain(100_000);
    // Fail the leaf and every ancestor: one origin with a 99,999-span chain.
    for s in t.trace.spans_mut().iter_mut() {
        s.status = crate::model::Status {
            code: crate::model::StatusCode::Error,
            message: Some("timed out".into()),
        };
    }
    let d = diagnose(&t, &Thresholds::default());
    assert_eq!(
        d.critical_path.on_path_ns.iter().sum::<i64>(),
        t.trace.spans[0].duration_ns
    );
    assert_eq!(d.error_origins.len(), 1);
    assert_eq!(d.error_origins[0].chain.len(), 99_999);
    assert_eq!(d.root_causes[0].category, Category::ServiceTimeout);
    assert!(
        d.root_causes[0]
            .evidence
            .iter()
            .any(|e| e.contains("(99994 more)")),
        "{:?}",
        d.root_causes[0]
    );
}
