//! The verdict, the time breakdown and the handled errors as sentences, shared by the
//! table, Markdown and llm renderers so the three say the same thing. Trace-supplied names
//! are cleaned here.

use crate::analysis::verdict::Verdict;

use super::text::{clean, human};
use super::Ctx;

/// `SLOW — took 4.4s, 12.0× its typical 367ms (p95 900ms, 19999 requests)`.
pub fn headline(c: &Ctx) -> String {
    format!(
        "{} — {}",
        c.v.verdict.as_str().to_uppercase(),
        clean(&c.v.reason)
    )
}

/// Whether root causes are shown: only for a request that is not fine.
pub fn shows_causes(c: &Ctx) -> bool {
    c.v.verdict != Verdict::Ok
}

/// The header's durations when work outlived the root span: both, named.
pub fn extent_note(c: &Ctx) -> Option<String> {
    let b = &c.v.breakdown;
    let tail = b.async_tail.as_ref()?;
    Some(format!(
        "root span {} · trace extent {} (asynchronous work ran {} after the root answered)",
        human(b.root_ns),
        human(b.extent_ns),
        human(tail.after_root_ns)
    ))
}

/// Where the time went: one line per top critical-path span, then the asynchronous tail.
pub fn breakdown_lines(c: &Ctx) -> Vec<String> {
    let b = &c.v.breakdown;
    let whole = b.root_ns.max(1);
    let mut out: Vec<String> = b
        .top
        .iter()
        .map(|&(i, ns)| {
            format!(
                "{} [span {}]: {} on the critical path ({:.0}% of the root span's {})",
                clean(&c.label(i)),
                clean(&c.id(i)),
                human(ns),
                ns as f64 * 100.0 / whole as f64,
                human(b.root_ns)
            )
        })
        .collect();
    if let Some(tail) = &b.async_tail {
        let chain: Vec<String> = tail.chain.iter().map(|&i| clean(&c.label(i))).collect();
        out.push(format!(
            "asynchronous: {} ended {} after the root span, via {} [span {}]",
            clean(&c.label(tail.last)),
            human(tail.after_root_ns),
            chain.join(" → "),
            clean(&c.id(tail.last))
        ));
    }
    out
}

/// One line per handled error: what failed and who absorbed it.
pub fn handled_lines(c: &Ctx) -> Vec<String> {
    c.v.handled_errors
        .iter()
        .map(|h| {
            let message = c
                .span(h.origin)
                .and_then(|s| s.status.message.as_deref())
                .map(|m| format!(" ({})", clean(m)))
                .unwrap_or_default();
            format!(
                "{} [span {}] failed{message}; handled by {} [span {}], which succeeded",
                clean(&c.label(h.origin)),
                clean(&c.id(h.origin)),
                clean(&c.label(h.handler)),
                clean(&c.id(h.handler))
            )
        })
        .collect()
}
