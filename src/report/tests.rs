//! Report tests on the seed's execution 2193, built by hand (the analyses are not needed:
//! the diagnosis is constructed directly, as the analysis layer would produce it).

use crate::analysis::anomalies::{Anomaly, AnomalyKind};
use crate::analysis::critical_path::{CriticalPath, Segment};
use crate::analysis::errors::ErrorOrigin;
use crate::analysis::gaps::{Gap, GapPosition, Leg};
use crate::analysis::patterns::Patterns;
use crate::analysis::root_cause::{Candidate, Category};
use crate::analysis::{Diagnosis, Thresholds};
use crate::model::{IndexedTrace, Span, SpanKind, Status, StatusCode, Trace};

use super::text::{strip_ansi, width};
use super::*;

const MS: i64 = 1_000_000;
/// 2025-10-22T16:21:12.110Z in milliseconds since the epoch.
const T0_MS: i64 = 1_761_150_072_110;

fn span(
    id: usize,
    parent: Option<usize>,
    service: &str,
    operation: &str,
    start_ms: i64,
    dur_ms: i64,
) -> Span {
    Span {
        trace_id: "2193".into(),
        span_id: format!("{id:016x}").into(),
        parent_id: parent.map(|p| format!("{p:016x}").into()),
        service: service.into(),
        operation: operation.into(),
        kind: SpanKind::Server,
        start_ns: start_ms * MS,
        duration_ns: dur_ms * MS,
        ..Span::default()
    }
}

/// The seed's execution 2193 (runner → router → modal, a 156 s wait for the response).
/// Span ids are 1..=5; indices 0..=4.
fn seed_spans() -> Vec<Span> {
    vec![
        span(1, None, "runner", "execute_question", T0_MS, 238_901),
        span(
            2,
            Some(1),
            "runner",
            "hybrid_router_call",
            T0_MS + 5,
            238_893,
        ),
        span(
            3,
            Some(2),
            "router",
            "inference_request",
            T0_MS + 232,
            82_549,
        ),
        span(4, Some(3), "router", "modal_call", T0_MS + 340, 82_334),
        span(5, Some(4), "modal", "inference", T0_MS + 2_790, 77_333),
    ]
}

fn indexed(spans: Vec<Span>) -> IndexedTrace {
    let trace = Trace::with_spans("2193".into(), spans);
    IndexedTrace::new(trace, None)
}

fn gap(
    span: usize,
    position: GapPosition,
    start_ms: i64,
    dur_ms: i64,
    after: Option<usize>,
    before: Option<usize>,
    leg: Option<Leg>,
) -> Gap {
    Gap::new(
        span,
        position,
        ((T0_MS + start_ms) * MS, dur_ms * MS),
        after,
        before,
        leg,
    )
}

/// What the analyses would say about execution 2193.
fn seed_diagnosis() -> Diagnosis {
    use GapPosition::*;
    let gaps = vec![
        gap(0, BeforeFirstChild, 0, 5, None, Some(1), None),
        gap(0, AfterLastChild, 238_898, 3, Some(1), None, None),
        gap(
            1,
            BeforeFirstChild,
            5,
            227,
            None,
            Some(2),
            Some(Leg::Request),
        ),
        gap(
            1,
            AfterLastChild,
            82_781,
            156_117,
            Some(2),
            None,
            Some(Leg::Response),
        ),
        gap(2, BeforeFirstChild, 232, 108, None, Some(3), None),
        gap(2, AfterLastChild, 82_674, 107, Some(3), None, None),
        gap(
            3,
            BeforeFirstChild,
            340,
            2_450,
            None,
            Some(4),
            Some(Leg::Request),
        ),
        gap(
            3,
            AfterLastChild,
            80_123,
            2_551,
            Some(4),
            None,
            Some(Leg::Response),
        ),
    ];
    // The critical path descends to modal.inference and climbs back out.
    let bounds = [
        (0, 0, 5),
        (1, 5, 232),
        (2, 232, 340),
        (3, 340, 2_790),
        (4, 2_790, 80_123),
        (3, 80_123, 82_674),
        (2, 82_674, 82_781),
        (1, 82_781, 238_898),
        (0, 238_898, 238_901),
    ];
    let segments: Vec<Segment> = bounds
        .iter()
        .map(|&(span, a, b)| Segment {
            span,
            start_ns: (T0_MS + a) * MS,
            end_ns: (T0_MS + b) * MS,
        })
        .collect();
    let mut on_path_ns = vec![0; 5];
    for s in &segments {
        on_path_ns[s.span] += s.end_ns - s.start_ns;
    }
    Diagnosis {
        thresholds: Thresholds::default(),
        self_time_ns: vec![8 * MS, 156_344 * MS, 215 * MS, 5_001 * MS, 77_333 * MS],
        gaps,
        critical_path: CriticalPath { segments, on_path_ns },
        anomalies: vec![Anomaly {
            span: 1,
            kind: AnomalyKind::LongGap { gap: 3, gap_ns: 156_117 * MS },
            reason: "Gap of 156117ms before next operation".into(),
        }],
        error_origins: Vec::new(),
        patterns: Patterns::default(),
        root_causes: vec![
            Candidate {
                category: Category::NetworkTimeout,
                span: Some(1),
                peer_span: Some(2),
                score: 0.9,
                evidence: vec![
                    "Service router completed at 2025-10-22 16:22:34.891 but runner.hybrid_router_call returned at \
                     2025-10-22 16:25:11.008 (gap: 156.1s)"
                        .into(),
                    "The gap is 65% of runner.hybrid_router_call and sits on the response leg router → runner".into(),
                ],
                recommendation: "Check network connectivity between router and runner. Review firewall rules and \
                                 timeout configurations."
                    .into(),
            },
            Candidate {
                category: Category::PerformanceDegradation,
                span: Some(4),
                peer_span: None,
                score: 0.35,
                evidence: vec!["modal.inference took 77333ms".into()],
                recommendation: "Investigate modal.inference.".into(),
            },
        ],
    }
}

fn opts() -> RenderOptions {
    RenderOptions::default()
}

type Render = fn(&IndexedTrace, &Diagnosis, Format, &RenderOptions) -> String;
const COMMANDS: [(&str, Render); 5] = [
    ("diagnose", diagnose),
    ("gaps", gaps),
    ("root-cause", root_cause),
    ("timeline", timeline),
    ("summary", summary),
];

fn assert_fits(out: &str, w: usize, what: &str) {
    for line in out.lines() {
        let plain = strip_ansi(line);
        assert!(
            width(&plain) <= w,
            "{what}: line is {} columns (> {w}):\n{plain}\n---\n{out}",
            width(&plain)
        );
    }
}

#[test]
fn every_table_line_fits_the_width_with_long_cjk_and_emoji_names() {
    let mut spans = seed_spans();
    spans[1].service = "runner-service-with-a-really-long-deployment-name-in-production".into();
    spans[2].operation =
        "推論リクエスト処理サービス呼び出し推論リクエスト処理サービス呼び出し".into();
    spans[3].operation = "🚀🚀 emoji operation 🔥 ".repeat(5).into();
    spans[4].operation = "x".repeat(300).into();
    let t = indexed(spans);
    let mut d = seed_diagnosis();
    d.root_causes[0].evidence.push("y".repeat(200));
    for color in [false, true] {
        for w in [80, 60, 44, 100] {
            let o = RenderOptions {
                color,
                width: w,
                ..opts()
            };
            for (name, f) in COMMANDS {
                let out = f(&t, &d, Format::Table, &o);
                assert!(out.ends_with('\n'));
                assert_fits(&out, w, &format!("{name} color={color} width={w}"));
            }
        }
    }
    // The waterfall still names every span, truncated with an ellipsis.
    let out = diagnose(&t, &d, Format::Table, &opts());
    assert!(out.contains('…'));
    assert!(out.contains("推論"));
}

#[test]
fn wide_does_not_truncate_names() {
    let mut spans = seed_spans();
    spans[4].operation = "x".repeat(120).into();
    let t = indexed(spans);
    let o = RenderOptions {
        wide: true,
        ..opts()
    };
    let out = timeline(&t, &seed_diagnosis(), Format::Table, &o);
    assert!(out.contains(&"x".repeat(120)));
}

#[test]
fn colour_only_when_asked() {
    let t = indexed(seed_spans());
    let d = seed_diagnosis();
    for (name, f) in COMMANDS {
        for format in [Format::Table, Format::Json, Format::Markdown] {
            let out = f(&t, &d, format, &opts());
            assert!(
                !out.contains('\x1b'),
                "{name} {format:?} has escape codes with colour off"
            );
        }
    }
    let o = RenderOptions {
        color: true,
        ..opts()
    };
    let out = diagnose(&t, &d, Format::Table, &o);
    assert!(out.contains('\x1b'));
    // JSON and Markdown are for machines and prompts: never coloured.
    assert!(!diagnose(&t, &d, Format::Json, &o).contains('\x1b'));
    assert!(!diagnose(&t, &d, Format::Markdown, &o).contains('\x1b'));
}

#[test]
fn trace_text_cannot_inject_escapes_or_lines() {
    let mut spans = seed_spans();
    spans[2].operation = "evil\x1b[31m\nname\u{202e}".into();
    spans[4].status = Status {
        code: StatusCode::Error,
        message: Some("boom\x1b]0;title\x07\r\nsecond line".into()),
    };
    let t = indexed(spans);
    let mut d = seed_diagnosis();
    d.error_origins = vec![ErrorOrigin {
        origin: 4,
        chain: vec![3, 2],
    }];
    for (name, f) in COMMANDS {
        let out = f(&t, &d, Format::Table, &opts());
        assert!(
            !out.contains('\x1b') && !out.contains('\x07') && !out.contains('\r'),
            "{name}: raw control chars"
        );
        assert!(!out.contains('\u{202e}'), "{name}: bidi override");
        assert!(
            !out.lines().any(|l| l.trim_start().starts_with("name")),
            "{name}: newline split a row:\n{out}"
        );
    }
    let out = diagnose(
        &t,
        &d,
        Format::Table,
        &RenderOptions {
            wide: true,
            ..opts()
        },
    );
    assert!(out.contains("evil\\x1b[31m\\nname\\u{202e}"), "{out}");
    // With colour on, only our own codes appear: the span's `\x1b[31m` stays escaped.
    let out = diagnose(
        &t,
        &d,
        Format::Table,
        &RenderOptions {
            color: true,
            wide: true,
            ..opts()
        },
    );
    assert!(out.contains("evil\\x1b[31m"));
    assert!(!strip_ansi(&out).contains('\x1b'));
    let md_out = diagnose(&t, &d, Format::Markdown, &opts());
    assert!(!md_out.contains('\x1b') && !md_out.contains('\x07'));
    assert!(md_out.contains("evil\\\\x1b\\[31m\\\\nname"), "{md_out}");
    // JSON keeps the data (escaped by JSON itself).
    let v: serde_json::Value =
        serde_json::from_str(&diagnose(&t, &d, Format::Json, &opts())).unwrap();
    assert_eq!(v["spans"][2]["operation"], "evil\x1b[31m\nname\u{202e}");
}

/// Position of `"key"` in `s` after `from`, asserting it exists.
fn key_pos(s: &str, key: &str, from: usize) -> usize {
    let needle = format!("\"{key}\":");
    s[from..]
        .find(&needle)
        .map(|p| p + from)
        .unwrap_or_else(|| panic!("key {key} missing after {from}"))
}

#[test]
fn json_document_shape() {
    let t = indexed(seed_spans());
    let d = seed_diagnosis();
    let out = diagnose(&t, &d, Format::Json, &opts());
    assert!(out.ends_with("}\n"));
    assert!(out.starts_with("{\n  \"schema_version\": \"2\",\n  \"command\": \"diagnose\","));
    assert!(!out.contains("NaN") && !out.contains("Infinity"));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema_version"], TRACE_SCHEMA_VERSION);
    // Key order is struct field order.
    let mut at = 0;
    for k in [
        "schema_version",
        "command",
        "trace",
        "integrity",
        "root_causes",
        "error_origins",
        "anomalies",
        "gaps",
        "critical_path",
        "patterns",
        "spans",
        "truncated",
        "omitted_spans",
        "omitted_gaps",
        "omitted_reason",
    ] {
        at = key_pos(&out, k, at);
    }
    let tr = &v["trace"];
    assert_eq!(tr["trace_id"], "2193");
    assert_eq!(tr["root_service"], "runner");
    assert_eq!(tr["root_operation"], "execute_question");
    assert_eq!(tr["start_time"], "2025-10-22T16:21:12.110Z");
    assert_eq!(tr["duration_ms"], 238901.0);
    assert_eq!(tr["span_count"], 5);
    assert_eq!(
        tr["services"],
        serde_json::json!(["modal", "router", "runner"])
    );
    let trace_obj = &out[key_pos(&out, "trace", 0)..key_pos(&out, "integrity", 0)];
    let mut at = 0;
    for k in [
        "trace_id",
        "root_service",
        "root_operation",
        "start_time",
        "duration_ms",
        "span_count",
        "service_count",
        "services",
        "error_count",
    ] {
        at = key_pos(trace_obj, k, at);
    }
    let rc = &v["root_causes"][0];
    assert_eq!(rc["rank"], 1);
    assert_eq!(rc["category"], "NETWORK_TIMEOUT");
    assert_eq!(rc["span_id"], "0000000000000002");
    assert_eq!(rc["peer_span_id"], "0000000000000003");
    assert_eq!(rc["peer_service"], "router");
    assert_eq!(rc["score"], 0.9);
    // Largest first: the 156 s response-leg wait leads.
    let g = &v["gaps"][0];
    assert_eq!(g["position"], "after_last_child");
    assert_eq!(g["leg"], "response");
    assert_eq!(g["gap_ms"], 156117.0);
    assert_eq!(g["start_offset_ms"], 82781.0);
    assert_eq!(g["after_span_id"], "0000000000000003");
    assert!(g["before_span_id"].is_null());
    assert_eq!(v["anomalies"][0]["type"], "long_gap");
    assert_eq!(v["anomalies"][0]["gap_ms"], 156117.0);
    // Consecutive segments of one span are merged; re-entries stay separate.
    let cp = v["critical_path"].as_array().unwrap();
    assert_eq!(cp.len(), 9);
    assert_eq!(cp[7]["span_id"], "0000000000000002");
    assert_eq!(cp[7]["duration_ms"], 156117.0);
    let spans = v["spans"].as_array().unwrap();
    assert_eq!(spans.len(), 5);
    for s in spans {
        assert!(s["span_id"].is_string());
        assert!(s["on_critical_path"].as_bool().unwrap());
    }
    assert!(spans[0]["parent_span_id"].is_null());
    assert_eq!(spans[1]["parent_span_id"], "0000000000000001");
    assert_eq!(spans[1]["self_time_ms"], 156344.0);
    assert_eq!(spans[1]["status"], "unset");
    assert_eq!(spans[1]["anomaly"], "Gap of 156117ms before next operation");
    assert_eq!(spans[4]["depth"], 4);
    assert_eq!(spans[4]["start_offset_ms"], 2790.0);
    assert_eq!(v["truncated"], false);
    assert_eq!(v["omitted_spans"], 0);
    assert!(v["omitted_reason"].is_null());
}

#[test]
fn json_subcommands_share_the_envelope() {
    let t = indexed(seed_spans());
    let d = seed_diagnosis();
    let sections = |out: &str| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(out).unwrap();
        assert_eq!(v["schema_version"], "2");
        assert!(v["trace"]["trace_id"].is_string());
        v.as_object().unwrap().keys().cloned().collect()
    };
    let keys = sections(&gaps(&t, &d, Format::Json, &opts()));
    assert!(
        keys.contains(&"gaps".into())
            && !keys.contains(&"spans".into())
            && !keys.contains(&"root_causes".into())
    );
    let keys = sections(&root_cause(&t, &d, Format::Json, &opts()));
    assert!(
        keys.contains(&"root_causes".into())
            && keys.contains(&"error_origins".into())
            && !keys.contains(&"gaps".into())
    );
    let keys = sections(&timeline(&t, &d, Format::Json, &opts()));
    assert!(
        keys.contains(&"spans".into())
            && keys.contains(&"truncated".into())
            && !keys.contains(&"gaps".into())
    );
    let out = summary(&t, &d, Format::Json, &opts());
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["command"], "summary");
    assert_eq!(
        v["summary"]["slowest_span"]["operation"],
        "hybrid_router_call"
    );
    assert!(v["summary"]["first_error"].is_null());
    assert_eq!(
        v["summary"]["top_root_cause"]["category"],
        "NETWORK_TIMEOUT"
    );
}

/// A 50-span trace: root → a → b → failing c, plus 46 healthy children of the root.
fn fifty_spans() -> (IndexedTrace, Diagnosis) {
    let mut spans = vec![
        span(1, None, "api", "GET /checkout", T0_MS, 1_000),
        span(2, Some(1), "cart", "load", T0_MS + 600, 300),
        span(3, Some(2), "cart", "db", T0_MS + 650, 200),
    ];
    let mut failing = span(4, Some(3), "pg", "SELECT", T0_MS + 700, 100);
    failing.status = Status {
        code: StatusCode::Error,
        message: Some("connection refused".into()),
    };
    spans.push(failing);
    for k in 0..46 {
        spans.push(span(
            10 + k,
            Some(1),
            "inventory",
            "check",
            T0_MS + 1 + k as i64,
            10,
        ));
    }
    let t = indexed(spans);
    let n = t.trace.spans.len();
    let d = Diagnosis {
        thresholds: Thresholds::default(),
        self_time_ns: vec![0; n],
        gaps: Vec::new(),
        critical_path: CriticalPath::default(),
        anomalies: Vec::new(),
        error_origins: vec![ErrorOrigin {
            origin: 3,
            chain: Vec::new(),
        }],
        patterns: Patterns::default(),
        root_causes: vec![Candidate {
            category: Category::ConnectionFailure,
            span: Some(3),
            peer_span: None,
            score: 0.8,
            evidence: vec!["pg.SELECT failed with: connection refused".into()],
            recommendation: "Verify service health and network connectivity.".into(),
        }],
    };
    (t, d)
}

#[test]
fn truncation_keeps_errors_and_ancestors_and_says_so() {
    let (t, d) = fifty_spans();
    assert_eq!(t.trace.spans.len(), 50);
    let o = RenderOptions {
        max_spans: 2,
        ..opts()
    };
    let v: serde_json::Value = serde_json::from_str(&diagnose(&t, &d, Format::Json, &o)).unwrap();
    let ids: Vec<&str> = v["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["span_id"].as_str().unwrap())
        .collect();
    for want in [
        "0000000000000001",
        "0000000000000002",
        "0000000000000003",
        "0000000000000004",
    ] {
        assert!(ids.contains(&want), "{want} missing from {ids:?}");
    }
    assert_eq!(v["truncated"], true);
    assert_eq!(v["omitted_spans"], 50 - ids.len() as u64);
    assert!(v["omitted_reason"]
        .as_str()
        .unwrap()
        .contains("max_spans 2"));
    // Pre-order: the error's ancestors come before it.
    assert_eq!(ids[0], "0000000000000001");

    // A budget above the required spans is filled in tree order.
    let o10 = RenderOptions {
        max_spans: 10,
        ..opts()
    };
    let v: serde_json::Value = serde_json::from_str(&timeline(&t, &d, Format::Json, &o10)).unwrap();
    assert_eq!(v["spans"].as_array().unwrap().len(), 10);
    assert_eq!(v["omitted_spans"], 40);

    let table = diagnose(&t, &d, Format::Table, &o);
    assert!(table.contains("46 spans omitted"), "{table}");
    assert!(table.contains("pg.SELECT"));
    assert_fits(&table, 80, "truncated table");
    let md_out = diagnose(&t, &d, Format::Markdown, &o);
    assert!(md_out.contains("46 spans omitted"), "{md_out}");
    assert!(
        md_out.contains("❌ **pg.SELECT** - 100ms (error: connection refused)"),
        "{md_out}"
    );
}

#[test]
fn markdown_follows_the_seed_layout() {
    let t = indexed(seed_spans());
    let d = seed_diagnosis();
    let out = diagnose(&t, &d, Format::Markdown, &opts());
    for want in [
        "## Trace 2193 Diagnostic Report\n",
        "### Root Cause: NETWORK_TIMEOUT\n",
        "**Affected Service:** runner\n",
        "**Evidence:**\n",
        "**Recommendation:** Check network connectivity between router and runner.",
        "### Trace Timeline:\n",
        "- ✅ **runner.execute_question** - 238901ms\n",
        "  - ✅ **runner.hybrid_router_call** - 238893ms ⚠️ ANOMALY: Gap of 156117ms before next operation\n",
        "        - ✅ **modal.inference** - 77333ms\n",
        "└─ Gap: 156117ms before runner.hybrid_router_call returned (response leg)",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
    assert!(out.ends_with(".\n") || out.ends_with("\n"));
    assert!(!out.ends_with("\n\n"));
    // The response-leg gap line comes after the callee's whole subtree.
    let gap_at = out.find("156117ms before runner").unwrap();
    assert!(gap_at > out.find("**modal.inference**").unwrap());
}

#[test]
fn markdown_escapes_trace_text() {
    let mut spans = seed_spans();
    spans[0].operation = "a*b_c`d<e|f".into();
    let t = indexed(spans);
    let out = diagnose(&t, &seed_diagnosis(), Format::Markdown, &opts());
    assert!(out.contains("**runner.a\\*b_c\\`d\\<e\\|f**"), "{out}");
    let out = gaps(&t, &seed_diagnosis(), Format::Markdown, &opts());
    // Table cells stay five columns wide.
    for l in out
        .lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("|---"))
    {
        assert_eq!(l.matches(" | ").count(), 4, "{l}");
    }
}

#[test]
fn odd_inputs_never_panic() {
    let empty = indexed(Vec::new());
    let d = Diagnosis {
        thresholds: Thresholds::default(),
        self_time_ns: Vec::new(),
        gaps: Vec::new(),
        critical_path: CriticalPath::default(),
        anomalies: Vec::new(),
        error_origins: Vec::new(),
        patterns: Patterns::default(),
        root_causes: vec![Candidate {
            category: Category::Unknown,
            span: None,
            peer_span: None,
            score: f64::NAN,
            evidence: Vec::new(),
            recommendation: String::new(),
        }],
    };
    // A diagnosis whose indices do not match the trace.
    let mut bad = seed_diagnosis();
    bad.anomalies[0].span = 99;
    bad.gaps[0] = Gap::new(99, GapPosition::BetweenChildren, (0, 1), None, None, None);
    let g = &bad.gaps[1];
    bad.gaps[1] = Gap::new(
        g.span(),
        g.position,
        (g.start_ns, g.duration_ns),
        Some(77),
        g.before_child(),
        g.leg,
    );
    bad.root_causes[0].span = Some(1000);
    bad.error_origins = vec![ErrorOrigin {
        origin: 42,
        chain: vec![43],
    }];
    bad.self_time_ns.truncate(2);
    bad.critical_path.segments.push(Segment {
        span: 500,
        start_ns: i64::MIN,
        end_ns: i64::MAX,
    });
    let seed = indexed(seed_spans());
    let mut weird = seed_spans();
    weird[3].duration_ns = -5;
    weird[4].start_ns = i64::MAX / 2;
    let weird = indexed(weird);
    for (t, d) in [(&empty, &d), (&seed, &bad), (&weird, &seed_diagnosis())] {
        for (_, f) in COMMANDS {
            for format in [Format::Table, Format::Json, Format::Markdown] {
                for w in [0, 1, 10, 80] {
                    let o = RenderOptions {
                        width: w,
                        max_spans: 0,
                        ..opts()
                    };
                    let out = f(t, d, format, &o);
                    assert!(out.ends_with('\n'));
                    if format == Format::Json {
                        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
                        assert_eq!(v["schema_version"], "2");
                    }
                }
            }
        }
    }
    let v: serde_json::Value =
        serde_json::from_str(&root_cause(&empty, &d, Format::Json, &opts())).unwrap();
    assert_eq!(v["root_causes"][0]["score"], 0.0);
    assert!(v["root_causes"][0]["span_id"].is_null());
}

#[test]
fn table_shows_the_seed_story() {
    let t = indexed(seed_spans());
    let out = diagnose(&t, &seed_diagnosis(), Format::Table, &opts());
    insta::assert_snapshot!("diagnose_table_2193", out);
}

#[test]
fn markdown_snapshot() {
    let t = indexed(seed_spans());
    let out = diagnose(&t, &seed_diagnosis(), Format::Markdown, &opts());
    insta::assert_snapshot!("diagnose_markdown_2193", out);
}

#[test]
fn deep_chains_stay_bounded() {
    let n = 20_000;
    let spans: Vec<Span> = (0..n)
        .map(|k| {
            span(
                k + 1,
                (k > 0).then_some(k),
                "svc",
                "op",
                T0_MS + k as i64,
                (n - k) as i64 * 2,
            )
        })
        .collect();
    let t = indexed(spans);
    let mut err = t.clone();
    err.trace.spans_mut()[n - 1].status.code = StatusCode::Error;
    let d = Diagnosis {
        thresholds: Thresholds::default(),
        self_time_ns: vec![MS; n],
        gaps: Vec::new(),
        critical_path: CriticalPath::default(),
        anomalies: Vec::new(),
        error_origins: Vec::new(),
        patterns: Patterns::default(),
        root_causes: Vec::new(),
    };
    let o = opts();
    let table = timeline(&t, &d, Format::Table, &o);
    assert_fits(&table, 80, "deep table");
    assert!(
        table.contains("19500 spans omitted"),
        "{}",
        &table[table.len().saturating_sub(400)..]
    );
    let md_out = timeline(&t, &d, Format::Markdown, &o);
    assert!(
        md_out.lines().all(|l| l.len() < 200),
        "Markdown indentation is capped"
    );
    // The deepest span failed: it and all 19,999 ancestors are kept, beyond the budget.
    let v: serde_json::Value = serde_json::from_str(&timeline(&err, &d, Format::Json, &o)).unwrap();
    assert_eq!(v["spans"].as_array().unwrap().len(), n);
    assert_eq!(v["truncated"], false);
}

#[test]
fn integrity_findings_are_shown() {
    let mut spans = seed_spans();
    spans[4].parent_id = Some("00000000deadbeef".into());
    let t = indexed(spans);
    assert!(t.tree.integrity.has_findings());
    let d = seed_diagnosis();
    let table = diagnose(&t, &d, Format::Table, &opts());
    assert!(table.contains("Integrity: the trace is broken"), "{table}");
    assert!(table.contains("orphan span(s)"));
    assert_fits(&table, 80, "integrity table");
    let md_out = root_cause(&t, &d, Format::Markdown, &opts());
    assert!(md_out.contains("### Integrity\n"));
    let v: serde_json::Value =
        serde_json::from_str(&diagnose(&t, &d, Format::Json, &opts())).unwrap();
    assert_eq!(v["integrity"]["has_findings"], true);
    assert_eq!(v["integrity"]["broken"], true);
    assert_eq!(
        v["integrity"]["orphans"][0]["missing_parent_id"],
        "00000000deadbeef"
    );
    // Without findings the table stays quiet.
    let clean_table = diagnose(&indexed(seed_spans()), &d, Format::Table, &opts());
    assert!(!clean_table.contains("Integrity"));
}
