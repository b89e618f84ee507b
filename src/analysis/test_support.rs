//! Hand-built traces for unit tests: spans by label and millisecond times, so a test reads
//! like the timeline it describes.

use crate::model::{AttrValue, Event, IndexedTrace, Span, SpanKind, Status, StatusCode, Trace};

/// Milliseconds to nanoseconds.
pub(crate) fn ms(v: i64) -> i64 {
    v * 1_000_000
}

/// `hh:mm:ss.mmm` on 2025-10-22 UTC (the seed's execution 2193) in ns since the epoch.
pub(crate) fn at(hms: &str) -> i64 {
    const DAY_START_MS: i64 = 1_761_091_200_000;
    let (hms, millis) = hms.split_once('.').unwrap_or((hms, "0"));
    let parts: Vec<i64> = hms.split(':').map(|p| p.parse().unwrap_or(0)).collect();
    let secs = parts.iter().fold(0, |acc, p| acc * 60 + p);
    (DAY_START_MS + secs * 1000 + millis.parse::<i64>().unwrap_or(0)) * 1_000_000
}

/// A span `label` (`service.operation`) with status Unset, times in ns.
pub(crate) fn span(
    id: &str,
    parent: Option<&str>,
    label: &str,
    start_ns: i64,
    duration_ns: i64,
) -> Span {
    let (service, operation) = label.split_once('.').unwrap_or((label, label));
    Span {
        trace_id: "t1".into(),
        span_id: id.into(),
        parent_id: parent.map(Into::into),
        service: service.into(),
        operation: operation.into(),
        start_ns,
        duration_ns,
        ..Span::default()
    }
}

/// Like [`span`] with start and duration in milliseconds.
pub(crate) fn span_ms(
    id: &str,
    parent: Option<&str>,
    label: &str,
    start_ms: i64,
    dur_ms: i64,
) -> Span {
    span(id, parent, label, ms(start_ms), ms(dur_ms))
}

pub(crate) fn ok(mut s: Span) -> Span {
    s.status = Status {
        code: StatusCode::Ok,
        message: None,
    };
    s
}

pub(crate) fn failed(mut s: Span, message: &str) -> Span {
    s.status = Status {
        code: StatusCode::Error,
        message: Some(message.into()).filter(|m: &String| !m.is_empty()),
    };
    s
}

pub(crate) fn with_attr(mut s: Span, key: &str, value: AttrValue) -> Span {
    s.attributes.push((key.into(), value));
    s
}

pub(crate) fn with_event(mut s: Span, name: &str, attrs: &[(&str, &str)]) -> Span {
    let time_ns = s.start_ns;
    s.events.push(Event {
        time_ns,
        name: name.into(),
        attributes: attrs
            .iter()
            .map(|(k, v)| ((*k).into(), AttrValue::Str((*v).into())))
            .collect(),
    });
    s
}

pub(crate) fn with_kind(mut s: Span, kind: SpanKind) -> Span {
    s.kind = kind;
    s
}

pub(crate) fn indexed(spans: Vec<Span>) -> IndexedTrace {
    let trace = Trace::with_spans("t1".into(), spans);
    IndexedTrace::new(trace, None)
}

/// Index of the span with id `id` (tests only; panics when absent).
pub(crate) fn idx(t: &IndexedTrace, id: &str) -> usize {
    t.trace
        .spans
        .iter()
        .position(|s| s.span_id == id)
        .expect("span id in test trace")
}

/// The seed's execution 2193: five ok spans, the runner waits 156117 ms after the router
/// answered.
pub(crate) fn execution_2193() -> IndexedTrace {
    let sp = |id: &str, parent: Option<&str>, label: &str, start: &str, end: &str| {
        ok(span(id, parent, label, at(start), at(end) - at(start)))
    };
    indexed(vec![
        sp(
            "1",
            None,
            "runner.execute_question",
            "16:21:12.110",
            "16:25:11.011",
        ),
        sp(
            "2",
            Some("1"),
            "runner.hybrid_router_call",
            "16:21:12.115",
            "16:25:11.008",
        ),
        sp(
            "3",
            Some("2"),
            "router.inference_request",
            "16:21:12.342",
            "16:22:34.891",
        ),
        sp(
            "4",
            Some("3"),
            "router.modal_call",
            "16:21:12.450",
            "16:22:34.784",
        ),
        sp(
            "5",
            Some("4"),
            "modal.inference",
            "16:21:14.900",
            "16:22:32.233",
        ),
    ])
}

/// A chain of `n` spans, each the only child of the previous, nested 1 µs inside it.
pub(crate) fn deep_chain(n: usize) -> IndexedTrace {
    let n64 = n as i64;
    let spans = (0..n64)
        .map(|i| {
            let parent = (i > 0).then(|| format!("s{}", i - 1));
            span(
                &format!("s{i}"),
                parent.as_deref(),
                "svc.step",
                i * 1000,
                (n64 - i) * 2000,
            )
        })
        .collect();
    indexed(spans)
}
