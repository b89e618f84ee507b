//! Grouped findings: one line per category and service.operation, with a count and span ids,
//! in every single-trace format; and what that saves of an llm budget.

use crate::analysis::root_cause::{Candidate, Category};
use crate::analysis::{diagnose as analyse, Diagnosis, Thresholds};
use crate::model::{IndexedTrace, Span, SpanKind, Trace};

use super::*;

const MS: i64 = 1_000_000;
const T0: i64 = 1_700_000_000_000 * MS;

fn span(id: usize, parent: Option<usize>, service: &str, op: &str, start: i64, dur: i64) -> Span {
    Span {
        trace_id: "f1a28".into(),
        span_id: format!("{id:016x}").into(),
        parent_id: parent.map(|p| format!("{p:016x}").into()),
        service: service.into(),
        operation: op.into(),
        kind: SpanKind::Server,
        start_ns: T0 + start * MS,
        duration_ns: dur * MS,
        ..Span::default()
    }
}

fn indexed(spans: Vec<Span>) -> IndexedTrace {
    let trace = Trace::with_spans("f1a28".into(), spans);
    IndexedTrace::new(trace, None)
}

/// A gateway call fanning out to 28 overlapping `bookie.put` calls, each running three
/// queries one after another: 28 identical sequential fan-outs (the issue's SmartThings shape).
fn fan_out_28() -> (IndexedTrace, Diagnosis) {
    let mut spans = vec![span(1, None, "gateway", "get /flow", 0, 3_000)];
    let mut id = 2;
    for k in 0..28 {
        let parent = id;
        let start = 10 + k * 20;
        spans.push(span(
            parent,
            Some(1),
            "bookie",
            "put /installedapps/{id}/configs",
            start,
            2_000,
        ));
        id += 1;
        for j in 0..3 {
            spans.push(span(
                id,
                Some(parent),
                "cassandra",
                "query",
                start + 10 + j * 610,
                600,
            ));
            id += 1;
        }
    }
    let t = indexed(spans);
    let d = analyse(&t, &Thresholds::default());
    (t, d)
}

fn section<'a>(out: &'a str, title: &str) -> Vec<&'a str> {
    out.split(title)
        .nth(1)
        .map(|rest| {
            rest.lines()
                .skip(1)
                .take_while(|l| !l.starts_with('#') && !l.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn identical_fan_outs_are_one_line_in_every_format() {
    let (t, d) = fan_out_28();
    assert_eq!(d.patterns.sequential.len(), 28, "the analysis finds 28");
    let o = RenderOptions::default();
    let table = diagnose(&t, &d, Format::Table, &o);
    let md = diagnose(&t, &d, Format::Markdown, &o);
    let llm = diagnose(&t, &d, Format::Llm, &o);
    for (name, out) in [("table", &table), ("markdown", &md), ("llm", &llm)] {
        let flat = out.replace("\n    ", " ");
        assert_eq!(
            flat.to_lowercase().matches("sequential fan-out in").count(),
            1,
            "{name}:\n{out}"
        );
        assert!(flat.contains("× 28: 84 children"), "{name}:\n{out}");
        assert!(
            flat.contains("e.g. spans 0000000000000002, 0000000000000006"),
            "{name}:\n{out}"
        );
    }
    assert!(llm.contains(
        "- sequential fan-out in bookie: put /installedapps/{id}/configs × 28: 84 children one after \
         another (50.4s of 56.0s in all), e.g. spans 0000000000000002, 0000000000000006"
    ));
}

#[test]
fn grouping_frees_the_llm_budget() {
    let (t, d) = fan_out_28();
    let full = diagnose(&t, &d, Format::Llm, &RenderOptions::default());
    // 29 findings (28 fan-outs, one N+1) in two lines of under 300 bytes; one line each took
    // 2642 bytes, and at 1000 tokens left room for a single span.
    let patterns = section(&full, "## Patterns");
    assert_eq!(patterns.len(), 2, "{full}");
    assert!(patterns.iter().map(|l| l.len() + 1).sum::<usize>() < 300);
    let o = RenderOptions {
        max_tokens: Some(1000),
        ..RenderOptions::default()
    };
    let cut = diagnose(&t, &d, Format::Llm, &o);
    assert!(cut.len() <= 4000);
    assert!(
        !cut.contains("patterns shown"),
        "patterns fit whole:\n{cut}"
    );
    let spans = section(&cut, "## Spans");
    assert!(spans.len() >= 40, "{} span lines:\n{cut}", spans.len());
}

fn candidate(category: Category, span: usize, score: f64) -> Candidate {
    Candidate {
        category,
        span: Some(span),
        peer_span: None,
        score,
        evidence: vec![format!("evidence {span}")],
        recommendation: "look".into(),
    }
}

/// The issue's five `PERFORMANCE_DEGRADATION at bookie.\n (0.25)` lines: an operation named
/// by a bare newline, five times, and no span ids.
fn five_alike() -> (IndexedTrace, Diagnosis) {
    // The request failed, so its causes are listed (an `ok` request lists none).
    let mut root = span(1, None, "gateway", "get /flow", 0, 1_000);
    root.status.code = crate::model::StatusCode::Error;
    let mut spans = vec![root];
    spans.push(span(2, Some(1), "auth", "post", 10, 10));
    for k in 0..5 {
        spans.push(span(
            3 + k,
            Some(1),
            "bookie",
            "\n",
            100 + k as i64 * 100,
            90,
        ));
    }
    let t = indexed(spans);
    let mut d = analyse(&t, &Thresholds::default());
    d.root_causes = vec![candidate(Category::ExecutionFailure, 1, 0.3)];
    d.root_causes.extend(
        (2..7).map(|i| candidate(Category::PerformanceDegradation, i, 0.25 - i as f64 / 100.0)),
    );
    d.root_causes
        .push(candidate(Category::ExecutionFailure, 1, 0.01));
    (t, d)
}

#[test]
fn alike_candidates_are_one_line_with_a_count_and_span_ids() {
    let (t, d) = five_alike();
    let o = RenderOptions::default();
    for f in [Format::Table, Format::Markdown, Format::Llm] {
        let out = diagnose(&t, &d, f, &o).replace("\n     ", " ");
        let lines: Vec<&str> = out
            .lines()
            .filter(|l| l.contains("PERFORMANCE_DEGRADATION"))
            .collect();
        assert_eq!(lines.len(), 1, "{f:?}:\n{out}");
        let l = lines[0];
        assert!(l.starts_with("  2. ") || l.starts_with("2. "), "{f:?}: {l}");
        assert!(
            l.contains("× 5 (best score 0.23), e.g. spans 0000000000000003, 0000000000000004"),
            "{f:?}: {l}"
        );
        // The name is cleaned, never a raw newline.
        assert!(
            l.contains(r"bookie.\n") || l.contains(r"bookie: \n") || l.contains(r"bookie.\\n"),
            "{f:?}: {l}"
        );
        // The last candidate keeps its own rank and shows its span.
        assert!(
            out.contains("7. EXECUTION_FAILURE at ")
                && out.contains("(score 0.01), span 0000000000000002"),
            "{f:?}:\n{out}"
        );
    }
}
