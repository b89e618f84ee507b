//! NETWORK_TIMEOUT: a stretch on a cross-service leg, between a call and its answer, that no
//! span covers.

use std::collections::HashMap;

use crate::analysis::gaps::{Gap, GapPosition, Leg};
use crate::analysis::units::{fmt_ms, fmt_pct, fmt_timestamp, share};

use super::{Candidate, Category, Context, MAX_PER_KIND};

pub(super) fn network_candidates(
    cx: &Context,
    claimed: &mut HashMap<usize, i64>,
) -> Vec<Candidate> {
    let th = cx.findings.thresholds;
    let mut found: Vec<(f64, usize, i64)> = Vec::new(); // (score, gap index, on-path ns)
    for (g, gap) in cx.findings.gaps.iter().enumerate() {
        if gap.leg.is_none() || gap.duration_ns <= th.network_gap_ns {
            continue;
        }
        let Some(parent) = cx.spans.get(gap.span()) else {
            continue;
        };
        let parent_ns = parent.duration_ns.max(0);
        let parent_share = share(gap.duration_ns, parent_ns);
        if parent_ns == 0 || parent_share < th.network_share {
            continue;
        }
        let on_path = cx.on_path_within(
            gap.span(),
            gap.start_ns,
            gap.start_ns.saturating_add(gap.duration_ns),
        );
        let explained = share(on_path, cx.total_ns).min(1.0);
        let score = 0.30 + 0.10 * parent_share.min(1.0) + 0.45 * explained;
        *claimed.entry(gap.span()).or_insert(0) += on_path;
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
    let caller = gap.span();
    let callee = match leg {
        Leg::Response => gap.after_child()?,
        Leg::Request => gap.before_child()?,
    };
    let (caller_span, callee_span) = (cx.spans.get(caller)?, cx.spans.get(callee)?);
    let (caller_label, callee_label) = (caller_span.label(), callee_span.label());
    let (caller_svc, callee_svc) = (caller_span.service.as_str(), callee_span.service.as_str());
    let gap_ms = fmt_ms(gap.duration_ns);
    let gap_end = gap.start_ns.saturating_add(gap.duration_ns);
    let mut evidence = Vec::new();
    match leg {
        Leg::Response => {
            let then = match (gap.position, gap.before_child()) {
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
            let before = match (gap.position, gap.after_child()) {
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
