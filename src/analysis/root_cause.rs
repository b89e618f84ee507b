//! Root-cause classification: ranked candidates, each with a category, the span, evidence
//! with concrete numbers, and a recommendation.
//!
//! # Scoring
//!
//! A score is a confidence in [0, 1] built from two things: how directly the finding
//! answers "why did it fail / why was it slow", and how much of the request it accounts for.
//! "Explained share" below is the part of the main root's duration the finding covers *on
//! the critical path* (time off the path delayed nothing the caller waited for).
//!
//! - Failures before slowness when the root failed. An error origin whose chain of failed
//!   ancestors reaches the failed root explains the failure outright: 0.88, +0.07 when the
//!   category rests on a specific signal (status code, recognised message) rather than the
//!   EXECUTION_FAILURE fallback. Nothing about slowness can score that high (max 0.85).
//! - An error that stops short of a failed root (an ancestor in between succeeded) is a
//!   weaker explanation of the root's failure: 0.55 (+0.07).
//! - An error in a successful request was handled; it matters only through the time it
//!   cost: 0.30 (+0.07) + 0.25 × the origin's duration as a share of the trace, when the
//!   origin lies on the critical path.
//! - NETWORK_TIMEOUT: 0.30 + 0.10 × (gap / caller duration) + 0.45 × explained share
//!   (max 0.85). A stretch on a cross-service leg that no span covers is a more specific
//!   explanation than "this span was slow", so it outranks PERFORMANCE_DEGRADATION of the
//!   same size, and the time it explains is not counted again as the caller's self time.
//! - PERFORMANCE_DEGRADATION: a span whose own time on the critical path is at least half
//!   the trace: 0.20 + 0.50 × share (0.45–0.70); a span slower than its peers:
//!   0.25 + 0.45 × its excess over the mean as a share of the trace (0 off the critical
//!   path); N+1 calls taking at least 30% of the trace: 0.20 + 0.50 × share. One candidate
//!   per span, with the highest of its scores.
//! - BROKEN_TRACE (orphans, cycles, several roots) is always listed when the tree is
//!   broken: 0.60 when nothing else scores 0.40 or more, else 0.20. Every other score is then
//!   multiplied by 0.85: conclusions drawn from a broken tree are less certain.
//! - UNKNOWN (0.10) when nothing else was found, pointing at the slowest critical-path spans.
//!
//! Ties are broken by category, then span index, so the ranking is deterministic.

use serde::Serialize;

use std::collections::HashMap;

use crate::model::{IndexedTrace, Span, SpanKind};

use super::anomalies::{Anomaly, AnomalyKind};
use super::critical_path::CriticalPath;
use super::errors::ErrorOrigin;
use super::gaps::{Gap, GapPosition, Leg};
use super::patterns::{Patterns, RepeatKind};
use super::thresholds::Thresholds;
use super::units::{fmt_ms, fmt_pct, fmt_timestamp, share};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Category {
    NetworkTimeout,
    ConnectionFailure,
    ServiceTimeout,
    RateLimited,
    ExecutionFailure,
    PerformanceDegradation,
    BrokenTrace,
    Unknown,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::NetworkTimeout => "NETWORK_TIMEOUT",
            Category::ConnectionFailure => "CONNECTION_FAILURE",
            Category::ServiceTimeout => "SERVICE_TIMEOUT",
            Category::RateLimited => "RATE_LIMITED",
            Category::ExecutionFailure => "EXECUTION_FAILURE",
            Category::PerformanceDegradation => "PERFORMANCE_DEGRADATION",
            Category::BrokenTrace => "BROKEN_TRACE",
            Category::Unknown => "UNKNOWN",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub category: Category,
    /// The span the cause is located at (None only for UNKNOWN on an empty trace).
    pub span: Option<usize>,
    /// For cross-service findings, the other side (e.g. the callee whose response was late).
    pub peer_span: Option<usize>,
    /// Confidence in [0, 1]; candidates are sorted by it, highest first.
    pub score: f64,
    /// Facts with numbers and timestamps, one per line.
    pub evidence: Vec<String>,
    pub recommendation: String,
}

/// Candidates of each kind formatted at most; keeps the work and the output bounded on
/// traces with thousands of similar findings.
const MAX_PER_KIND: usize = 5;
/// Candidates returned at most.
const MAX_CANDIDATES: usize = 12;
/// Factor applied to every other score when the tree is broken.
const BROKEN_CONFIDENCE: f64 = 0.85;
/// A span whose own critical-path time is at least this share of the trace dominates it.
const DOMINANT_SHARE: f64 = 0.5;
/// N+1 calls are a candidate when they take at least this share of the trace.
const REPEAT_SHARE: f64 = 0.3;

/// How an error origin was classified, and on what signal.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorClass {
    pub category: Category,
    /// What decided it (`HTTP status 429`, `the error text mentions "connection refused"`).
    pub signal: String,
    /// False for the EXECUTION_FAILURE fallback, when no known signal matched.
    pub specific: bool,
}

/// What the diagnosis found in one trace, that the ranking weighs against each other.
#[derive(Debug, Clone, Copy)]
pub struct Findings<'a> {
    pub thresholds: &'a Thresholds,
    /// Self time of each span, by span index.
    pub self_time_ns: &'a [i64],
    pub gaps: &'a [Gap],
    pub critical_path: &'a CriticalPath,
    pub anomalies: &'a [Anomaly],
    pub error_origins: &'a [ErrorOrigin],
    pub patterns: &'a Patterns,
}

/// Ranked candidates, most likely first; never empty.
pub fn rank(t: &IndexedTrace, findings: &Findings) -> Vec<Candidate> {
    let spans = &t.trace.spans;
    let Some(root) = t.tree.main_root(&t.trace).filter(|&r| r < spans.len()) else {
        return vec![Candidate {
            category: Category::Unknown,
            span: None,
            peer_span: None,
            score: 0.1,
            evidence: vec!["The trace has no spans".into()],
            recommendation:
                "Check that the trace id is right and that the spans were exported and sampled."
                    .into(),
        }];
    };
    let cx = Context::new(t, *findings, root);

    let mut out = Vec::new();
    let mut claimed: HashMap<usize, i64> = HashMap::new();
    out.extend(network_candidates(&cx, &mut claimed));
    out.extend(error_candidates(&cx));
    out.extend(performance_candidates(&cx, &claimed));

    let integrity = &t.tree.integrity;
    if integrity.is_broken() {
        // Time that belongs to a span whose child lost its parent link looks like that
        // span's own slowness. Such findings are artefacts of the broken tree: demote them,
        // and let the broken tree itself take their place.
        let lost = lost_parents(t);
        let mut displaced: f64 = 0.0;
        for c in &mut out {
            let slow = matches!(
                c.category,
                Category::PerformanceDegradation | Category::NetworkTimeout
            );
            let Some(link) = c.span.and_then(|s| lost.iter().find(|l| l.parent == s)) else {
                continue;
            };
            if slow {
                displaced = displaced.max(c.score);
                c.score *= 0.5;
                c.evidence.push(format!(
                    "{} ({}) runs inside this span but lost its parent link: the time may be its",
                    cx.label(link.orphan),
                    fmt_ms(cx.spans[link.orphan].duration_ns)
                ));
            }
        }
        let explained = out.iter().any(|c| c.score >= 0.4);
        for c in &mut out {
            c.score *= BROKEN_CONFIDENCE;
        }
        let score = if displaced > 0.0 {
            displaced.max(0.6)
        } else if explained {
            0.2
        } else {
            0.6
        };
        let mut broken = broken_candidate(&cx, score);
        if let Some(link) = lost.first() {
            broken.span = Some(link.orphan);
            broken.peer_span = Some(link.parent);
            broken.evidence.insert(
                1,
                format!(
                    "{} ({}, {}) runs inside {} ({}): most likely its caller, where the trace context was dropped",
                    cx.label(link.orphan),
                    fmt_ms(cx.spans[link.orphan].duration_ns),
                    fmt_timestamp(cx.spans[link.orphan].start_ns),
                    cx.label(link.parent),
                    fmt_ms(cx.spans[link.parent].duration_ns)
                ),
            );
        }
        out.push(broken);
    }
    if out.iter().all(|c| c.category == Category::BrokenTrace) {
        out.push(unknown_candidate(&cx));
    }

    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.category.cmp(&b.category))
            .then(a.span.cmp(&b.span))
            .then(a.peer_span.cmp(&b.peer_span))
    });
    if out.len() > MAX_CANDIDATES {
        // Keep BROKEN_TRACE even when many findings outrank it: the user must know the tree
        // is unreliable.
        let broken = out.iter().position(|c| c.category == Category::BrokenTrace);
        if let Some(b) = broken.filter(|&b| b >= MAX_CANDIDATES) {
            let c = out.remove(b);
            out.truncate(MAX_CANDIDATES - 1);
            out.push(c);
        } else {
            out.truncate(MAX_CANDIDATES);
        }
    }
    out
}

/// What every candidate builder needs, computed once.
struct Context<'a> {
    t: &'a IndexedTrace,
    findings: Findings<'a>,
    spans: &'a [Span],
    root: usize,
    /// The main root's duration; the denominator of every share.
    total_ns: i64,
    root_failed: bool,
    /// Spans with time on the critical path, or with a descendant that has.
    on_path_any: Vec<bool>,
    /// Critical-path segments grouped by span (span `i`'s are
    /// `seg_ranges[seg_start[i]..seg_start[i + 1]]`, in time order), to measure overlaps
    /// without scanning the whole path.
    seg_start: Vec<usize>,
    seg_ranges: Vec<(i64, i64)>,
}

impl<'a> Context<'a> {
    fn new(t: &'a IndexedTrace, findings: Findings<'a>, root: usize) -> Context<'a> {
        let spans = t.trace.spans.as_slice();
        let root_span = &spans[root];
        let mut total_ns = root_span.duration_ns.max(0);
        if total_ns == 0 {
            // Trace::duration_ns subtracts unchecked; extreme timestamps must not overflow.
            total_ns = t.trace.end_ns().saturating_sub(t.trace.start_ns()).max(0);
        }
        let cp: &CriticalPath = findings.critical_path;
        let mut on_path_any = vec![false; spans.len()];
        for seg in &cp.segments {
            // Mark the span and its ancestors; stop at the first already marked, so the
            // total work is linear.
            let mut cur = Some(seg.span);
            while let Some(i) = cur {
                match on_path_any.get_mut(i) {
                    Some(m) if !*m => *m = true,
                    _ => break,
                }
                cur = t.tree.parent.get(i).copied().flatten();
            }
        }
        // Counting sort by span: linear, and keeps each span's segments in time order.
        let mut seg_start = vec![0usize; spans.len() + 1];
        for seg in &cp.segments {
            if let Some(c) = seg_start.get_mut(seg.span + 1) {
                *c += 1;
            }
        }
        for i in 1..seg_start.len() {
            seg_start[i] += seg_start[i - 1];
        }
        let mut fill = seg_start.clone();
        let mut seg_ranges = vec![(0i64, 0i64); cp.segments.len()];
        for seg in &cp.segments {
            if let Some(f) = fill.get_mut(seg.span) {
                if let Some(slot) = seg_ranges.get_mut(*f) {
                    *slot = (seg.start_ns, seg.end_ns);
                }
                *f += 1;
            }
        }
        Context {
            t,
            findings,
            spans,
            root,
            total_ns,
            root_failed: root_span.is_error(),
            on_path_any,
            seg_start,
            seg_ranges,
        }
    }

    fn label(&self, i: usize) -> String {
        self.spans.get(i).map_or_else(|| "?".into(), Span::label)
    }

    /// Time of `span`'s own critical-path segments inside `[from, to)`.
    fn on_path_within(&self, span: usize, from: i64, to: i64) -> i64 {
        let (Some(&a), Some(&b)) = (self.seg_start.get(span), self.seg_start.get(span + 1)) else {
            return 0;
        };
        let segs = self.seg_ranges.get(a..b).unwrap_or(&[]);
        let first = segs.partition_point(|&(_, end)| end <= from);
        segs[first..]
            .iter()
            .take_while(|&&(start, _)| start < to)
            .map(|&(start, end)| (end.min(to) - start.max(from)).max(0))
            .sum()
    }

    fn on_path(&self, i: usize) -> bool {
        self.on_path_any.get(i).copied().unwrap_or(false)
    }

    /// `share` as a percentage of the trace, for evidence.
    fn pct_of_trace(&self, ns: i64) -> String {
        fmt_pct(ns, self.total_ns)
    }
}

// ---------------------------------------------------------------------------------------
// NETWORK_TIMEOUT

fn network_candidates(cx: &Context, claimed: &mut HashMap<usize, i64>) -> Vec<Candidate> {
    let th = cx.findings.thresholds;
    let mut found: Vec<(f64, usize, i64)> = Vec::new(); // (score, gap index, on-path ns)
    for (g, gap) in cx.findings.gaps.iter().enumerate() {
        if gap.leg.is_none() || gap.duration_ns <= th.network_gap_ns {
            continue;
        }
        let Some(parent) = cx.spans.get(gap.span) else {
            continue;
        };
        let parent_ns = parent.duration_ns.max(0);
        let parent_share = share(gap.duration_ns, parent_ns);
        if parent_ns == 0 || parent_share < th.network_share {
            continue;
        }
        let on_path = cx.on_path_within(
            gap.span,
            gap.start_ns,
            gap.start_ns.saturating_add(gap.duration_ns),
        );
        let explained = share(on_path, cx.total_ns).min(1.0);
        let score = 0.30 + 0.10 * parent_share.min(1.0) + 0.45 * explained;
        *claimed.entry(gap.span).or_insert(0) += on_path;
        found.push((score, g, on_path));
    }
    found.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    found.truncate(MAX_PER_KIND);
    found
        .into_iter()
        .filter_map(|(score, g, on_path)| {
            network_candidate(cx, &cx.findings.gaps[g], score, on_path)
        })
        .collect()
}

fn network_candidate(cx: &Context, gap: &Gap, score: f64, on_path: i64) -> Option<Candidate> {
    let leg = gap.leg?;
    let caller = gap.span;
    let callee = match leg {
        Leg::Response => gap.after_child?,
        Leg::Request => gap.before_child?,
    };
    let (caller_span, callee_span) = (cx.spans.get(caller)?, cx.spans.get(callee)?);
    let (caller_label, callee_label) = (caller_span.label(), callee_span.label());
    let (caller_svc, callee_svc) = (caller_span.service.as_str(), callee_span.service.as_str());
    let gap_ms = fmt_ms(gap.duration_ns);
    let gap_end = gap.start_ns.saturating_add(gap.duration_ns);
    let mut evidence = Vec::new();
    match leg {
        Leg::Response => {
            let then = match (gap.position, gap.before_child) {
                (GapPosition::BetweenChildren, Some(next)) => {
                    format!(
                        "made its next call, {}, only at {}",
                        cx.label(next),
                        fmt_timestamp(gap_end)
                    )
                }
                _ => format!("ended only at {}", fmt_timestamp(gap_end)),
            };
            evidence.push(format!(
                "{callee_label} ({callee_svc}) ended at {} but its caller {caller_label} ({caller_svc}) {then}",
                fmt_timestamp(gap.start_ns)
            ));
            evidence.push(format!(
                "{gap_ms} on the response leg {callee_svc}→{caller_svc} with no span covering it: {} of {caller_label}'s {}, {} of the trace's {}",
                fmt_pct(gap.duration_ns, caller_span.duration_ns),
                fmt_ms(caller_span.duration_ns),
                cx.pct_of_trace(on_path),
                fmt_ms(cx.total_ns)
            ));
            evidence.push(format!(
                "The callee itself took {}; the caller went on waiting {gap_ms} after it had answered",
                fmt_ms(callee_span.duration_ns)
            ));
        }
        Leg::Request => {
            let before = match (gap.position, gap.after_child) {
                (GapPosition::BetweenChildren, Some(prev)) => {
                    format!(
                        "finished {} at {}",
                        cx.label(prev),
                        fmt_timestamp(gap.start_ns)
                    )
                }
                _ => format!("started at {}", fmt_timestamp(gap.start_ns)),
            };
            evidence.push(format!(
                "{caller_label} ({caller_svc}) {before} but its callee {callee_label} ({callee_svc}) started only at {}",
                fmt_timestamp(gap_end)
            ));
            evidence.push(format!(
                "{gap_ms} on the request leg {caller_svc}→{callee_svc} with no span covering it: {} of {caller_label}'s {}, {} of the trace's {}",
                fmt_pct(gap.duration_ns, caller_span.duration_ns),
                fmt_ms(caller_span.duration_ns),
                cx.pct_of_trace(on_path),
                fmt_ms(cx.total_ns)
            ));
        }
    }
    evidence.push(format!(
        "If {caller_svc} does uninstrumented work {} the call, that work shows up here too",
        if leg == Leg::Response {
            "after"
        } else {
            "before"
        }
    ));
    let (leg_name, from, to) = match leg {
        Leg::Response => ("response", callee_svc, caller_svc),
        Leg::Request => ("request", caller_svc, callee_svc),
    };
    let recommendation = format!(
        "Check network connectivity, timeouts and proxies between {callee_svc} and {caller_svc}: the {leg_name} of \
         {caller_label}'s call to {callee_label} spent {gap_ms} between {from} and {to}. Review load-balancer and proxy \
         idle timeouts, firewall rules, and the client's timeout, retry and connection-pool settings in {caller_svc}."
    );
    Some(Candidate {
        category: Category::NetworkTimeout,
        span: Some(caller),
        peer_span: Some(callee),
        score,
        evidence,
        recommendation,
    })
}

// ---------------------------------------------------------------------------------------
// Failures

/// Case-insensitive text patterns, most specific category first: a throttling message often
/// also says "exceeded" or mentions the connection, and a connect timeout is first of all a
/// failure to connect.
const RATE_PATTERNS: &[&str] = &[
    "too many requests",
    "rate limit",
    "rate-limit",
    "ratelimit",
    "rate exceeded",
    "throttl",
    "quota",
    "resource_exhausted",
    "resource exhausted",
];
const CONNECTION_PATTERNS: &[&str] = &[
    "connection refused",
    "connection reset",
    "connection aborted",
    "connection closed",
    "econnrefused",
    "econnreset",
    "dial tcp",
    "no route",
    "unreachable",
    "broken pipe",
    "could not connect",
    "failed to connect",
    "unable to connect",
    "connectexception",
    "connecterror",
    "connectionerror",
    "no such host",
    "name or service not known",
    "getaddrinfo",
    "unavailable",
];
const TIMEOUT_PATTERNS: &[&str] = &[
    "timeout",
    "timed out",
    "time out",
    "deadline exceeded",
    "deadline_exceeded",
    "etimedout",
    "deadlineexceeded",
];

/// Attribute keys whose text describes the error.
const ERROR_TEXT_KEYS: &[&str] = &[
    "error.type",
    "error.message",
    "error_message",
    "exception.type",
    "exception.message",
    "otel.status_description",
    "rpc.grpc.status_message",
];
/// Event attribute keys whose text describes the error (OTLP exceptions, Jaeger logs).
const EVENT_TEXT_KEYS: &[&str] = &[
    "exception.type",
    "exception.message",
    "message",
    "error.kind",
    "error.object",
];

/// Classify a failed span by its status codes first (explicit), then the text of its
/// status message, error attributes and exception events.
pub fn classify_error(s: &Span) -> ErrorClass {
    let class = |category, signal: String| ErrorClass {
        category,
        signal,
        specific: true,
    };
    for key in ["http.response.status_code", "http.status_code"] {
        if let Some(code) = s.attr(key).and_then(|v| v.as_i64()) {
            let category = match code {
                429 => Category::RateLimited,
                502 | 503 => Category::ConnectionFailure,
                408 | 504 => Category::ServiceTimeout,
                _ => continue,
            };
            return class(category, format!("HTTP status {code}"));
        }
    }
    if let Some(code) = s.attr("rpc.grpc.status_code").and_then(|v| v.as_i64()) {
        let found = match code {
            4 => Some((Category::ServiceTimeout, "DEADLINE_EXCEEDED")),
            8 => Some((Category::RateLimited, "RESOURCE_EXHAUSTED")),
            14 => Some((Category::ConnectionFailure, "UNAVAILABLE")),
            _ => None,
        };
        if let Some((category, name)) = found {
            return class(category, format!("gRPC status {code} {name}"));
        }
    }

    let mut text = String::new();
    let mut add = |t: &str| {
        text.push_str(&t.to_ascii_lowercase());
        text.push('\n');
    };
    if let Some(m) = &s.status.message {
        add(m);
    }
    for key in ERROR_TEXT_KEYS {
        if let Some(v) = s.attr(key) {
            add(&v.as_text());
        }
    }
    for e in &s.events {
        for key in EVENT_TEXT_KEYS {
            if let Some(v) = crate::model::attr(&e.attributes, key) {
                add(&v.as_text());
            }
        }
    }
    if contains_number(&text, "429") {
        return class(
            Category::RateLimited,
            "the error text mentions \"429\"".into(),
        );
    }
    for (category, patterns) in [
        (Category::RateLimited, RATE_PATTERNS),
        (Category::ConnectionFailure, CONNECTION_PATTERNS),
        (Category::ServiceTimeout, TIMEOUT_PATTERNS),
    ] {
        if let Some(p) = patterns.iter().find(|p| text.contains(*p)) {
            return class(category, format!("the error text mentions \"{p}\""));
        }
    }
    ErrorClass {
        category: Category::ExecutionFailure,
        signal: "no connection, timeout or rate-limit signal in the error".into(),
        specific: false,
    }
}

/// Whether `needle` (digits) occurs in `hay` as a whole number, not inside a longer one
/// (`429` but not port `14290`).
fn contains_number(hay: &str, needle: &str) -> bool {
    let bytes = hay.as_bytes();
    hay.match_indices(needle).any(|(at, m)| {
        let before = at
            .checked_sub(1)
            .and_then(|b| bytes.get(b))
            .is_some_and(u8::is_ascii_digit);
        let after = bytes.get(at + m.len()).is_some_and(u8::is_ascii_digit);
        !before && !after
    })
}

/// Error origins grouped by (category, service.operation, whether they reached the root):
/// fifty failed calls of one query are one finding, not fifty.
struct ErrorGroup {
    first: usize, // index into Findings::error_origins
    class: ErrorClass,
    count: usize,
    reaches_root: bool,
    score: f64,
}

fn error_candidates(cx: &Context) -> Vec<Candidate> {
    let origins = &cx.findings.error_origins;
    let mut groups: Vec<ErrorGroup> = Vec::new();
    let mut by_key: HashMap<(Category, &str, &str, bool), usize> = HashMap::new();
    for (k, o) in origins.iter().enumerate() {
        let Some(s) = cx.spans.get(o.origin) else {
            continue;
        };
        let class = classify_error(s);
        let top = o.chain.last().copied().unwrap_or(o.origin);
        let reaches_root = cx.root_failed && top == cx.root;
        let bonus = if class.specific { 0.07 } else { 0.0 };
        let score = if reaches_root {
            0.88 + bonus
        } else if cx.root_failed {
            0.55 + bonus
        } else {
            let explained = if cx.on_path(o.origin) {
                share(s.duration_ns, cx.total_ns).min(1.0)
            } else {
                0.0
            };
            0.30 + bonus + 0.25 * explained
        };
        let key = (
            class.category,
            s.service.as_str(),
            s.operation.as_str(),
            reaches_root,
        );
        match by_key.get(&key) {
            Some(&g) => {
                if let Some(group) = groups.get_mut(g) {
                    group.count += 1;
                    group.score = group.score.max(score);
                }
            }
            None => {
                by_key.insert(key, groups.len());
                groups.push(ErrorGroup {
                    first: k,
                    class,
                    count: 1,
                    reaches_root,
                    score,
                });
            }
        }
    }
    // Highest score first; among equals the earliest error (origins are in time order).
    groups.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.first.cmp(&b.first)));
    groups.truncate(MAX_PER_KIND);
    groups
        .iter()
        .filter_map(|g| error_candidate(cx, g))
        .collect()
}

fn error_candidate(cx: &Context, g: &ErrorGroup) -> Option<Candidate> {
    let o = cx.findings.error_origins.get(g.first)?;
    let s = cx.spans.get(o.origin)?;
    let label = s.label();
    let message = s
        .status
        .message
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty());
    let mut evidence = vec![format!(
        "{label} failed at {} after {}: {}",
        fmt_timestamp(s.start_ns),
        fmt_ms(s.duration_ns),
        message.unwrap_or("no error message")
    )];
    evidence.push(format!(
        "{} because {}",
        g.class.category.as_str(),
        g.class.signal
    ));

    // Propagation: origin → chain (nearest first), abbreviated in the middle when long.
    let root_label = cx.label(cx.root);
    if o.origin == cx.root {
        evidence.push(format!(
            "The root span {root_label} itself failed; none of its children did"
        ));
    } else if !o.chain.is_empty() {
        // Only the labels shown are formatted: a chain can be as deep as the trace.
        let k = o.chain.len();
        let mut shown: Vec<String> = if k > 6 {
            let mut v: Vec<String> = o.chain[..3].iter().map(|&c| cx.label(c)).collect();
            v.push(format!("… ({} more)", k - 5));
            v.extend(o.chain[k - 2..].iter().map(|&c| cx.label(c)));
            v
        } else {
            o.chain.iter().map(|&c| cx.label(c)).collect()
        };
        if g.reaches_root {
            if let Some(last) = shown.last_mut() {
                last.push_str(" (root)");
            }
            evidence.push(format!(
                "Propagated through {}, which failed",
                shown.join(" → ")
            ));
        } else {
            evidence.push(format!(
                "Propagated through {}, then stopped",
                shown.join(" → ")
            ));
        }
    }
    if !g.reaches_root && o.origin != cx.root {
        let top = o.chain.last().copied().unwrap_or(o.origin);
        if let Some(handler) = cx.t.tree.parent.get(top).copied().flatten() {
            let outcome = if cx.root_failed {
                "the root failed for another reason"
            } else {
                "the request succeeded"
            };
            evidence.push(format!(
                "{} did not fail, so the error was handled there; {outcome}",
                cx.label(handler)
            ));
        }
    }
    if g.count > 1 {
        evidence.push(format!("{} spans of {label} failed the same way", g.count));
    }
    if let Some(r) = cx
        .findings
        .patterns
        .repeated
        .iter()
        .find(|r| r.kind == RepeatKind::Retry && r.calls.contains(&o.origin))
    {
        let failed = r
            .calls
            .iter()
            .filter(|&&c| cx.spans.get(c).is_some_and(Span::is_error))
            .count();
        evidence.push(format!(
            "Retried: {} calls of {label} under {}, {failed} failed, {} in total",
            r.calls.len(),
            cx.label(r.parent),
            fmt_ms(r.total_ns)
        ));
    }
    let target = [
        "peer.service",
        "server.address",
        "net.peer.name",
        "db.system",
        "rpc.service",
    ]
    .iter()
    .find_map(|k| s.attr(k).map(|v| v.as_text()))
    .filter(|v| !v.is_empty());
    if let Some(target) = &target {
        evidence.push(format!("Target: {target}"));
    }
    let svc = s.service.as_str();
    let op = s.operation.as_str();
    let when = fmt_timestamp(s.start_ns);
    let recommendation = match g.class.category {
        Category::ConnectionFailure => format!(
            "Verify that {} is running and reachable from {svc}: check its health, DNS, ports, firewall rules and \
             connection-pool limits around {when}.",
            target.as_deref().unwrap_or("the service it calls")
        ),
        Category::ServiceTimeout => format!(
            "Find out why {op} in {svc} did not complete in time: check the latency and load of what it waits on around \
             {when}, then review the timeout configured for it."
        ),
        Category::RateLimited => format!(
            "{svc} was rate-limited in {op}: add backoff with jitter, reduce concurrency or batch the calls, or raise \
             the quota."
        ),
        _ => format!(
            "Inspect {svc}'s logs and exception details for {op} around {when}: the failure starts there, not in a \
             dependency."
        ),
    };
    let peer_span =
        cx.t.tree
            .ancestors(o.origin)
            .find(|&a| cx.spans.get(a).is_some_and(|p| p.service != s.service));
    Some(Candidate {
        category: g.class.category,
        span: Some(o.origin),
        peer_span,
        score: g.score,
        evidence,
        recommendation,
    })
}

// ---------------------------------------------------------------------------------------
// PERFORMANCE_DEGRADATION

/// Add a PERFORMANCE_DEGRADATION finding, merged into the span's existing one if any: one
/// candidate per span, with the highest score and all the evidence.
fn add_perf(
    out: &mut Vec<Candidate>,
    span: usize,
    peer: Option<usize>,
    score: f64,
    evidence: Vec<String>,
    rec: String,
) {
    match out.iter_mut().find(|c| c.span == Some(span)) {
        Some(c) => {
            c.score = c.score.max(score);
            c.evidence.extend(evidence);
        }
        None => out.push(Candidate {
            category: Category::PerformanceDegradation,
            span: Some(span),
            peer_span: peer,
            score,
            evidence,
            recommendation: rec,
        }),
    }
}

fn performance_candidates(cx: &Context, claimed: &HashMap<usize, i64>) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();

    // A span whose own time dominates the critical path. A root without children has
    // nothing to compare with (a one-span trace, or only orphans around it), so it is not
    // flagged.
    let root_has_children =
        cx.t.tree
            .children
            .get(cx.root)
            .is_some_and(|c| !c.is_empty());
    if root_has_children {
        for (i, &on_path) in cx.findings.critical_path.on_path_ns.iter().enumerate() {
            let own = (on_path - claimed.get(&i).copied().unwrap_or(0)).max(0);
            let s = share(own, cx.total_ns).min(1.0);
            // Without a baseline, dominance alone is no degradation in a fast request: a
            // 28 ms render in a 48 ms page is simply where the time goes.
            if s < DOMINANT_SHARE || own < cx.findings.thresholds.slow_span_ns {
                continue;
            }
            let Some(span) = cx.spans.get(i) else {
                continue;
            };
            let leaf = cx.t.tree.children.get(i).is_none_or(Vec::is_empty);
            let mut evidence = vec![format!(
                "{} spends {} of its own time on the critical path: {} of the trace's {}",
                span.label(),
                fmt_ms(own),
                cx.pct_of_trace(own),
                fmt_ms(cx.total_ns)
            )];
            let self_ns = cx.findings.self_time_ns.get(i).copied().unwrap_or(0);
            evidence.push(format!(
                "Duration {}, self time {} ({} of the span not covered by child spans)",
                fmt_ms(span.duration_ns),
                fmt_ms(self_ns),
                fmt_pct(self_ns, span.duration_ns)
            ));
            let rec = if leaf {
                format!(
                    "Investigate the performance of {} in {}: it is this request's bottleneck. Check its resource \
                     utilisation, scaling and the input it received.",
                    span.service, span.operation
                )
            } else {
                format!(
                    "Most of the time is spent in {} itself, outside its child spans: profile {} or add spans around \
                     its uninstrumented work, and check resource utilisation and scaling.",
                    span.label(),
                    span.service
                )
            };
            add_perf(&mut out, i, None, 0.20 + 0.50 * s, evidence, rec);
        }
    }

    // Spans slower than their peers, by the time their excess explains.
    let mut slow: Vec<(f64, usize, f64, i64)> = Vec::new();
    for a in cx.findings.anomalies {
        if let AnomalyKind::SlowerThanPeers { ratio, mean_ns } = a.kind {
            let Some(s) = cx.spans.get(a.span) else {
                continue;
            };
            let excess = s.duration_ns.saturating_sub(mean_ns).max(0);
            let explained = if cx.on_path(a.span) {
                share(excess, cx.total_ns).min(1.0)
            } else {
                0.0
            };
            slow.push((0.25 + 0.45 * explained, a.span, ratio, mean_ns));
        }
    }
    slow.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(score, i, ratio, mean_ns) in slow.iter().take(MAX_PER_KIND) {
        let Some(s) = cx.spans.get(i) else { continue };
        let evidence = vec![format!(
            "{} took {}, {ratio:.1}x the average {} of {} in this trace ({} of the trace{})",
            s.label(),
            fmt_ms(s.duration_ns),
            fmt_ms(mean_ns),
            s.operation,
            cx.pct_of_trace(s.duration_ns),
            if cx.on_path(i) {
                ", on the critical path"
            } else {
                ", off the critical path"
            }
        )];
        let rec = format!(
            "Compare this {} call with its faster siblings (inputs, attributes, host) to see why it was slower.",
            s.label()
        );
        add_perf(&mut out, i, None, score, evidence, rec);
    }

    // N+1 calls that take a large part of the trace.
    let mut repeated: Vec<(f64, usize)> = Vec::new();
    for (k, r) in cx.findings.patterns.repeated.iter().enumerate() {
        if r.kind != RepeatKind::NPlusOne || !cx.on_path(r.parent) {
            continue;
        }
        let parent_ns = cx.spans.get(r.parent).map_or(0, |p| p.duration_ns.max(0));
        let s = share(r.total_ns.min(parent_ns), cx.total_ns).min(1.0);
        if s >= REPEAT_SHARE {
            repeated.push((0.20 + 0.50 * s, k));
        }
    }
    repeated.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(score, k) in repeated.iter().take(MAX_PER_KIND) {
        let Some(r) = cx.findings.patterns.repeated.get(k) else {
            continue;
        };
        let Some(&first) = r.calls.first() else {
            continue;
        };
        let call = cx.label(first);
        let n = r.calls.len() as i64;
        let evidence = vec![format!(
            "{} made {n} calls to {call}, {} in total ({} of the trace), {} each on average (N+1)",
            cx.label(r.parent),
            fmt_ms(r.total_ns),
            cx.pct_of_trace(r.total_ns),
            fmt_ms(r.total_ns / n.max(1))
        )];
        let rec = format!(
            "Batch the {n} {call} calls into one (a single query for all items, eager loading) or run them concurrently."
        );
        add_perf(&mut out, r.parent, Some(first), score, evidence, rec);
    }
    out
}

// ---------------------------------------------------------------------------------------
// BROKEN_TRACE and UNKNOWN

fn broken_candidate(cx: &Context, score: f64) -> Candidate {
    let integrity = &cx.t.tree.integrity;
    let index_of = |id: &str| cx.spans.iter().position(|s| s.span_id == id);
    let mut evidence = Vec::new();
    if let Some(first) = integrity.orphans.first() {
        evidence.push(format!(
            "{} orphan span(s) whose parent is not in the trace (e.g. {} → missing {}): context propagation was lost \
             or the parent was not sampled",
            integrity.orphans.len(),
            first.span_id,
            first.missing_parent_id
        ));
    }
    if integrity.root_span_ids.len() > 1 {
        evidence.push(format!(
            "{} root spans instead of one",
            integrity.root_span_ids.len()
        ));
    }
    if !integrity.cycles.is_empty() {
        evidence.push(format!(
            "{} parent cycle(s), cut to build the tree",
            integrity.cycles.len()
        ));
    }
    evidence.push(format!(
        "{} spans in the trace; conclusions about it are less certain",
        cx.spans.len()
    ));
    let span = integrity
        .orphans
        .first()
        .map(|o| o.span_id.as_str())
        .or_else(|| {
            integrity
                .cycles
                .first()
                .and_then(|c| c.first())
                .map(String::as_str)
        })
        .or_else(|| integrity.root_span_ids.get(1).map(String::as_str))
        .and_then(index_of);
    Candidate {
        category: Category::BrokenTrace,
        span,
        peer_span: None,
        score,
        evidence,
        recommendation: "Check trace-context propagation (traceparent/B3 headers through every proxy, queue and thread \
                         hop) and sampling consistency between services, then look at this trace again."
            .into(),
    }
}

/// Orphans examined for the span they were lost from.
const MAX_LOST_LINKS: usize = 16;

/// An orphan and the span that most likely was its parent before the link was lost.
struct LostLink {
    orphan: usize,
    parent: usize,
}

/// For each orphan, the innermost span outside its subtree whose window contains the
/// orphan's, preferring client and producer spans (the side that makes the call and should
/// have propagated the context). Orphans with no such span (a late or early fragment) are
/// left out.
fn lost_parents(t: &IndexedTrace) -> Vec<LostLink> {
    let spans = &t.trace.spans;
    let by_id: HashMap<&str, usize> = spans
        .iter()
        .enumerate()
        .map(|(i, s)| (s.span_id.as_str(), i))
        .collect();
    let mut out = Vec::new();
    // Each orphan costs a pass over the trace; a handful is enough to explain the picture.
    for o in t.tree.integrity.orphans.iter().take(MAX_LOST_LINKS) {
        let Some(&orphan) = by_id.get(o.span_id.as_str()) else {
            continue;
        };
        let os = &spans[orphan];
        // The orphan's own subtree cannot hold its parent.
        let mut in_subtree = vec![false; spans.len()];
        let mut stack = vec![orphan];
        while let Some(i) = stack.pop() {
            if let Some(slot) = in_subtree.get_mut(i) {
                if !*slot {
                    *slot = true;
                    stack.extend(t.tree.children.get(i).into_iter().flatten().copied());
                }
            }
        }
        let calls_out = |i: usize| matches!(spans[i].kind, SpanKind::Client | SpanKind::Producer);
        let best = (0..spans.len())
            .filter(|&i| !in_subtree[i])
            .filter(|&i| spans[i].start_ns <= os.start_ns && spans[i].end_ns() >= os.end_ns())
            .min_by(|&a, &b| {
                calls_out(b)
                    .cmp(&calls_out(a))
                    .then(spans[a].duration_ns.cmp(&spans[b].duration_ns))
                    .then(a.cmp(&b))
            });
        if let Some(parent) = best {
            out.push(LostLink { orphan, parent });
        }
    }
    out
}

fn unknown_candidate(cx: &Context) -> Candidate {
    // The three spans with the most time on the critical path, without sorting everything.
    let mut top: Vec<(i64, usize)> = Vec::new();
    for (i, &ns) in cx.findings.critical_path.on_path_ns.iter().enumerate() {
        if ns <= 0 {
            continue;
        }
        top.push((ns, i));
        top.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        top.truncate(3);
    }
    let th = cx.findings.thresholds;
    let mut evidence = vec![format!(
        "Nothing stands out: no failed span, no uncovered cross-service stretch over {}, no span with half of the \
         critical path",
        fmt_ms(th.network_gap_ns)
    )];
    let listed: Vec<String> = top
        .iter()
        .map(|&(ns, i)| format!("{} {} ({})", cx.label(i), fmt_ms(ns), cx.pct_of_trace(ns)))
        .collect();
    evidence.push(format!(
        "The trace took {}; most critical-path time is in {}",
        fmt_ms(cx.total_ns),
        if listed.is_empty() {
            "no span".to_string()
        } else {
            listed.join(", ")
        }
    ));
    let names: Vec<String> = top.iter().map(|&(_, i)| cx.label(i)).collect();
    Candidate {
        category: Category::Unknown,
        span: Some(top.first().map_or(cx.root, |&(_, i)| i)),
        peer_span: None,
        score: 0.1,
        evidence,
        recommendation: format!(
            "Inspect the slowest critical-path spans ({}) and compare them with a fast trace of the same request.",
            if names.is_empty() { cx.label(cx.root) } else { names.join(", ") }
        ),
    }
}

#[cfg(test)]
mod tests {
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
        assert!(
            text.contains("2025-10-22T16:22:34.891Z") && text.contains("2025-10-22T16:25:11.008Z")
        );
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
        assert!(rc.iter().any(
            |c| c.category == Category::PerformanceDegradation && c.span == Some(idx(&t, "s"))
        ));
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
        for s in &mut t.trace.spans {
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
}
