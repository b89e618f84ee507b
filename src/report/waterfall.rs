//! The tree waterfall shared by the table and Markdown reports (and the JSON `spans` list):
//! which spans to show within a budget, the position bar, and how gaps are worded.

use std::borrow::Cow;

use crate::analysis::gaps::{Gap, GapPosition, Leg};

use super::text;
use super::Ctx;

/// The spans to show, in tree pre-order, and what was left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    pub spans: Vec<usize>,
    /// Spans in the trace that are not in `spans`.
    pub omitted: usize,
    /// Why spans were left out, and which were kept; None when nothing was.
    pub reason: Option<String>,
}

/// Pick at most about `budget` spans. A cut trace must still explain itself, so the critical
/// path, every error and anomaly, the root-cause spans and all their ancestors are kept even
/// beyond the budget; the rest of the budget is filled in pre-order (top of the tree first).
pub fn select(c: &Ctx, budget: usize) -> Selection {
    let n = c.len();
    let order = preorder(c);
    if order.len() <= budget {
        return Selection {
            spans: order.into_owned(),
            omitted: 0,
            reason: None,
        };
    }
    let tree = &c.t.tree;
    let mut keep = vec![false; n];
    let mut kept = 0usize;
    let mut mark = |start: usize, keep: &mut Vec<bool>| {
        // Walk up until an already-kept ancestor: each span is marked at most once, so
        // marking everything is linear. The step bound guards against a malformed tree.
        let mut cur = Some(start);
        let mut steps = 0;
        while let Some(i) = cur {
            if i >= n || keep[i] || steps > n {
                break;
            }
            keep[i] = true;
            kept += 1;
            steps += 1;
            cur = tree.parent.get(i).copied().flatten();
        }
    };
    let d = c.d;
    let mut must: Vec<usize> = Vec::new();
    must.extend(c.root);
    must.extend(d.critical_path.segments.iter().map(|s| s.span));
    must.extend(d.anomalies.iter().map(|a| a.span));
    must.extend((0..n).filter(|&i| c.is_error(i)));
    for e in &d.error_origins {
        must.push(e.origin);
        must.extend(e.chain.iter().copied());
    }
    for rc in &d.root_causes {
        must.extend(rc.span);
        must.extend(rc.peer_span);
    }
    for i in must {
        mark(i, &mut keep);
    }
    let required = kept;
    for &i in order.iter() {
        if kept >= budget {
            break;
        }
        if !keep[i] {
            keep[i] = true;
            kept += 1;
        }
    }
    let spans: Vec<usize> = order.iter().copied().filter(|&i| keep[i]).collect();
    let omitted = n.saturating_sub(spans.len());
    let mut reason = format!(
        "{} of {n} spans shown (max_spans {budget}): the critical path, errors, anomalies, root-cause \
         spans and their ancestors are always kept, the rest are filled in tree order",
        spans.len()
    );
    if required > budget {
        reason.push_str(&format!(
            "; those alone need {required} spans, more than the budget"
        ));
    }
    Selection {
        spans,
        omitted,
        reason: (omitted > 0).then_some(reason),
    }
}

/// Spans in tree pre-order; falls back to input order when the tree does not match the
/// trace (a diagnosis built on another trace must not crash the report). The tree's own
/// when it matches: a copy is 8 bytes a span.
fn preorder<'c>(c: &Ctx<'c>) -> Cow<'c, [usize]> {
    let n = c.len();
    let pre = &c.t.tree.preorder;
    if pre.len() == n && pre.iter().all(|&i| i < n) {
        Cow::Borrowed(pre)
    } else {
        Cow::Owned((0..n).collect())
    }
}

/// The span's place in the trace window as a bar of `w` cells, with eighth-cell resolution
/// at the end (`▏▎▍▌▋▊▉`) and a right-half block at a mid-cell start. Zero-length spans still
/// get a thin mark so they are visible.
pub fn bar(c: &Ctx, i: usize, w: usize) -> String {
    if w == 0 {
        return String::new();
    }
    let total = i128::from(c.duration_ns.max(1));
    let cells = w as i128 * 8;
    let start = i128::from(c.offset_ns(i).max(0));
    let end = start + i128::from(c.duration(i).max(0));
    let a = (start * cells / total).clamp(0, cells);
    let b = (end * cells / total).clamp(a, cells);
    const LEFT: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let mut out = String::with_capacity(w * 3);
    for cell in 0..w as i128 {
        let (lo, hi) = (cell * 8, cell * 8 + 8);
        let cov = (b.min(hi) - a.max(lo)).max(0);
        let ch = if cov >= 8 {
            '█'
        } else if cov == 0 {
            ' '
        } else if a <= lo {
            LEFT[cov as usize]
        } else if cov >= 4 {
            '▐'
        } else {
            '▕'
        };
        out.push(ch);
    }
    if a == b {
        // Zero width after scaling: mark the start cell.
        let at = (a / 8).min(w as i128 - 1) as usize;
        out = out
            .chars()
            .enumerate()
            .map(|(k, ch)| if k == at { '▏' } else { ch })
            .collect();
    }
    out
}

/// `└─ Gap: …` text for a gap, in the seed's words (without the tree prefix), naming what
/// the time was spent waiting for. Names are raw: callers escape for their format.
pub fn gap_phrase(c: &Ctx, g: &Gap) -> String {
    let leg = match g.leg {
        Some(Leg::Request) => " (request leg)",
        Some(Leg::Response) => " (response leg)",
        None => "",
    };
    let len = text::ms_text(g.duration_ns);
    match g.position {
        GapPosition::BeforeFirstChild => {
            let next = g
                .before_child()
                .map(|b| format!(" {}", c.label(b)))
                .unwrap_or_default();
            format!("Gap: {len} before first child{next}{leg}")
        }
        GapPosition::BetweenChildren => {
            let next = g
                .before_child()
                .map(|b| format!(" ({})", c.label(b)))
                .unwrap_or_default();
            format!("Gap: {len} before next operation{next}{leg}")
        }
        GapPosition::AfterLastChild => {
            format!("Gap: {len} before {} returned{leg}", c.label(g.span()))
        }
    }
}

/// Short words for a gap position, for tables.
pub fn position_word(p: GapPosition) -> &'static str {
    match p {
        GapPosition::BeforeFirstChild => "before first",
        GapPosition::BetweenChildren => "between",
        GapPosition::AfterLastChild => "after last",
    }
}

pub fn leg_word(l: Option<Leg>) -> &'static str {
    match l {
        Some(Leg::Request) => "request",
        Some(Leg::Response) => "response",
        None => "-",
    }
}
