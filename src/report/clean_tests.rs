//! Trace-supplied names reach no text format raw: a service or operation carrying a newline,
//! an escape sequence or a bidirectional override is printed escaped in every line of every
//! single-trace report (header, candidates, patterns, gaps, error origins, waterfall).

use crate::analysis::{diagnose as analyse, Thresholds};
use crate::model::{IndexedTrace, Span, SpanKind, Status, StatusCode, Trace};

use super::*;

const MS: i64 = 1_000_000;
const T0: i64 = 1_700_000_000_000 * MS;

/// Hostile text: whatever follows the newline would start a line of its own if printed raw.
const OP: &str = "put\nEVIL\x1b[2J\r\u{202e}";
const SVC: &str = "bookie\nEVIL";

fn span(id: usize, parent: Option<usize>, service: &str, op: &str, start: i64, dur: i64) -> Span {
    Span {
        trace_id: "bad\nEVIL".into(),
        span_id: format!("{id:x}\nEVIL").into(),
        parent_id: parent.map(|p| format!("{p:x}\nEVIL").into()),
        service: service.into(),
        operation: op.into(),
        kind: SpanKind::Server,
        start_ns: T0 + start * MS,
        duration_ns: dur * MS,
        ..Span::default()
    }
}

/// A root whose hostile-named children run one after another (a sequential fan-out), twelve
/// alike calls (N+1), a failing call with a hostile message, and a 20 s gap.
fn hostile() -> IndexedTrace {
    let mut spans = vec![span(1, None, SVC, OP, 0, 40_000)];
    for k in 0..12 {
        spans.push(span(2 + k, Some(1), SVC, OP, 10 + k as i64 * 100, 90));
    }
    let mut failed = span(20, Some(1), "db\x1b]0;title\x07", OP, 1_300, 18_000);
    failed.status = Status {
        code: StatusCode::Error,
        message: Some("boom\nEVIL\x1b[31m".into()),
    };
    spans.push(failed);
    let mut trace = Trace::with_spans("bad\nEVIL".into(), spans);
    trace.warnings.push("warned\nEVIL".into());
    IndexedTrace::new(trace, None)
}

/// A single-trace report function.
type View = fn(&IndexedTrace, &Diagnosis, Format, &RenderOptions) -> String;

#[test]
fn hostile_names_are_escaped_in_every_text_report() {
    let t = hostile();
    let d = analyse(&t, &Thresholds::default());
    assert!(!d.patterns.repeated.is_empty() && !d.gaps.is_empty());
    let views: [(&str, View); 5] = [
        ("diagnose", diagnose),
        ("gaps", gaps),
        ("root-cause", root_cause),
        ("timeline", timeline),
        ("summary", summary),
    ];
    for wide in [false, true] {
        let o = RenderOptions {
            wide,
            ..RenderOptions::default()
        };
        for (name, view) in views {
            for f in [Format::Table, Format::Markdown, Format::Llm] {
                let out = view(&t, &d, f, &o);
                for line in out.lines() {
                    assert!(
                        !line.chars().any(|c| c.is_control()
                            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')),
                        "{name} {f:?}: raw control character in {line:?}"
                    );
                    let start = line.trim_start_matches([' ', '-', '>', '|', '_', '*', '✅', '❌']);
                    assert!(
                        !start.starts_with("EVIL"),
                        "{name} {f:?}: a name's newline split a line:\n{out}"
                    );
                }
                assert!(
                    out.contains("\\nEVIL"),
                    "{name} {f:?}: names are shown escaped:\n{out}"
                );
            }
        }
    }
}
