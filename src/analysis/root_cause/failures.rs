//! Failures: error origins grouped into candidates, scored by whether they explain a failed
//! root, with how the error propagated, where it was handled and what it was calling.

use std::collections::HashMap;

use crate::analysis::errors::ErrorOrigin;
use crate::analysis::patterns::RepeatKind;
use crate::analysis::units::{fmt_ms, fmt_timestamp, share};
use crate::model::Span;

use super::classify::{classify_error, ErrorClass};
use super::{Candidate, Category, Context, MAX_PER_KIND};

/// Error origins grouped by (category, service.operation, whether they reached the root):
/// fifty failed calls of one query are one finding, not fifty.
struct ErrorGroup {
    first: usize, // index into Findings::error_origins
    class: ErrorClass,
    count: usize,
    reaches_root: bool,
    score: f64,
}

pub(super) fn error_candidates(cx: &Context) -> Vec<Candidate> {
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
    let mut evidence = failure_evidence(s, &label, &g.class);
    evidence.extend(propagation_evidence(cx, o, g.reaches_root));
    evidence.extend(handled_evidence(cx, o, g.reaches_root));
    if g.count > 1 {
        evidence.push(format!("{} spans of {label} failed the same way", g.count));
    }
    evidence.extend(retry_evidence(cx, o.origin, &label));
    let target = call_target(s);
    if let Some(target) = &target {
        evidence.push(format!("Target: {target}"));
    }
    let recommendation = error_recommendation(s, g.class.category, target.as_deref());
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

/// What failed, when, with which message, and why it is classified as it is.
fn failure_evidence(s: &Span, label: &str, class: &ErrorClass) -> Vec<String> {
    let message = s
        .status
        .message
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty());
    vec![
        format!(
            "{label} failed at {} after {}: {}",
            fmt_timestamp(s.start_ns),
            fmt_ms(s.duration_ns),
            message.unwrap_or("no error message")
        ),
        format!("{} because {}", class.category.as_str(), class.signal),
    ]
}

/// Propagation: origin → chain (nearest first), abbreviated in the middle when long.
fn propagation_evidence(cx: &Context, o: &ErrorOrigin, reaches_root: bool) -> Option<String> {
    if o.origin == cx.root {
        return Some(format!(
            "The root span {} itself failed; none of its children did",
            cx.label(cx.root)
        ));
    }
    if o.chain.is_empty() {
        return None;
    }
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
    if reaches_root {
        if let Some(last) = shown.last_mut() {
            last.push_str(" (root)");
        }
        Some(format!(
            "Propagated through {}, which failed",
            shown.join(" → ")
        ))
    } else {
        Some(format!(
            "Propagated through {}, then stopped",
            shown.join(" → ")
        ))
    }
}

/// Where an error that stopped short of the root was handled, and what became of the request.
fn handled_evidence(cx: &Context, o: &ErrorOrigin, reaches_root: bool) -> Option<String> {
    if reaches_root || o.origin == cx.root {
        return None;
    }
    let top = o.chain.last().copied().unwrap_or(o.origin);
    let handler = cx.t.tree.parent.get(top).copied().flatten()?;
    let outcome = if cx.root_failed {
        "the root failed for another reason"
    } else {
        "the request succeeded"
    };
    Some(format!(
        "{} did not fail, so the error was handled there; {outcome}",
        cx.label(handler)
    ))
}

/// The retries the failed span was part of, if any.
fn retry_evidence(cx: &Context, origin: usize, label: &str) -> Option<String> {
    let r = cx
        .findings
        .patterns
        .repeated
        .iter()
        .find(|r| r.kind == RepeatKind::Retry && r.calls.contains(&origin))?;
    let failed = r
        .calls
        .iter()
        .filter(|&&c| cx.spans.get(c).is_some_and(Span::is_error))
        .count();
    Some(format!(
        "Retried: {} calls of {label} under {}, {failed} failed, {} in total",
        r.calls.len(),
        cx.label(r.parent),
        fmt_ms(r.total_ns)
    ))
}

/// What the failed span was calling, as its attributes name it.
fn call_target(s: &Span) -> Option<String> {
    [
        "peer.service",
        "server.address",
        "net.peer.name",
        "db.system",
        "rpc.service",
    ]
    .iter()
    .find_map(|k| s.attr(k).map(|v| v.as_text()))
    .filter(|v| !v.is_empty())
}

fn error_recommendation(s: &Span, category: Category, target: Option<&str>) -> String {
    let svc = s.service.as_str();
    let op = s.operation.as_str();
    let when = fmt_timestamp(s.start_ns);
    match category {
        Category::ConnectionFailure => format!(
            "Verify that {} is running and reachable from {svc}: check its health, DNS, ports, firewall rules and \
             connection-pool limits around {when}.",
            target.unwrap_or("the service it calls")
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
    }
}
