//! `--format llm`: compact Markdown for prompts. Summary first, then the root cause with its
//! evidence, then the critical path and anomalies, details last. `--max-tokens` (about four
//! characters a token) decides how much detail fits, and every cut is stated in the text:
//! an agent that cannot see truncation presents partial data as complete.

use super::findings::{candidate_groups, pattern_groups, Words};
use super::gap_list::{largest, listing};
use super::text::{clean, human, truncate};
use super::waterfall::select;
use super::Ctx;

/// Characters per token, the usual estimate for English and code.
pub const CHARS_PER_TOKEN: usize = 4;

/// Longest name or message printed; longer ones are cut with `…`.
const MAX_TEXT: usize = 160;

/// Room kept for the closing line naming the sections left out.
const FINAL_RESERVE: usize = 100;

/// Room kept for a section's "k of n shown" line.
const NOTE_RESERVE: usize = 140;

/// Levels of list nesting in the Spans section; deeper spans are drawn at this level.
const MAX_NESTING: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Diagnose,
    RootCause,
    Timeline,
    Gaps,
    Summary,
}

/// Text for the prompt: made inert (no control characters) and bounded.
fn t(s: &str) -> String {
    truncate(&clean(s), MAX_TEXT)
}

struct Out {
    text: String,
    /// In bytes (never fewer than characters, so the estimate errs on the safe side).
    budget: usize,
    dropped: Vec<&'static str>,
}

impl Out {
    /// What sections may still use: the final "omitted" line always keeps its room.
    fn room(&self) -> usize {
        self.budget
            .saturating_sub(self.text.len())
            .saturating_sub(FINAL_RESERVE)
    }

    fn line(&mut self, s: &str) {
        self.text.push_str(s);
        self.text.push('\n');
    }

    /// A titled list: as many items as fit (keeping room for the note and what follows),
    /// then a note stating the cut. `why` says what the omitted items are.
    fn section(
        &mut self,
        title: &str,
        items: &[String],
        total: usize,
        noun: &str,
        why: &str,
        reserve_after: usize,
    ) {
        if total == 0 || items.is_empty() {
            return;
        }
        let head = format!("\n## {title}\n");
        let first = items.first().map_or(0, |s| s.len() + 1);
        if head.len() + first + NOTE_RESERVE + reserve_after > self.room() {
            self.dropped.push(static_title(title));
            return;
        }
        self.text.push_str(&head);
        let mut shown = 0;
        for item in items {
            if item.len() + 1 + NOTE_RESERVE + reserve_after > self.room() {
                break;
            }
            self.line(item);
            shown += 1;
        }
        if shown < total {
            let reason = if shown == items.len() {
                why.to_string()
            } else if items.len() == total || why == "token budget" {
                "token budget".to_string()
            } else {
                format!("token budget, and {why}")
            };
            self.line(&format!(
                "_{shown} of {total} {noun} shown; {} omitted: {reason}._",
                total - shown
            ));
        }
    }
}

fn static_title(title: &str) -> &'static str {
    match title {
        "Root cause" => "root cause",
        "Other candidates" => "other candidates",
        "Errors" => "errors",
        "Critical path" => "critical path",
        "Anomalies" => "anomalies",
        "Gaps" => "gaps",
        "Patterns" => "patterns",
        "Handled errors" => "handled errors",
        "Attributes" => "attributes",
        "Where the time went" => "time breakdown",
        _ => "spans",
    }
}

pub(crate) fn render(c: &Ctx, part: Part) -> String {
    let budget =
        c.o.max_tokens
            .map_or(usize::MAX, |n| n.saturating_mul(CHARS_PER_TOKEN));
    let mut o = Out {
        text: String::new(),
        budget,
        dropped: Vec::new(),
    };
    header(c, &mut o);
    // Room kept for later, more important-to-state sections: the final "omitted" line.
    let tail = 120;
    match part {
        Part::Summary => {}
        Part::Diagnose | Part::RootCause => {
            if super::verdict_text::shows_causes(c) {
                root_cause(c, &mut o, part == Part::Diagnose, tail);
                errors(c, &mut o, tail);
            }
            let (attrs, n, why) = super::llm_attrs::lines(c, &|i| span_label(c, i));
            o.section("Attributes", &attrs, n, "spans", &why, tail);
            judged_sections(c, &mut o, tail);
            if part == Part::Diagnose {
                critical_path(c, &mut o, tail);
                anomalies(c, &mut o, tail);
                gaps(c, &mut o, tail);
                patterns(c, &mut o, tail);
                spans(c, &mut o);
            }
        }
        Part::Timeline => spans(c, &mut o),
        Part::Gaps => gap_report(c, &mut o, tail),
    }
    if !o.dropped.is_empty() {
        // Bounded, so it always fits the room kept for it.
        let names = if o.dropped.len() > 3 {
            format!(
                "{}, and {} more sections",
                o.dropped[..3].join(", "),
                o.dropped.len() - 3
            )
        } else {
            o.dropped.join(", ")
        };
        let line = format!(
            "\n_Omitted for the token budget ({} tokens): {names}._",
            c.o.max_tokens.unwrap_or(0),
        );
        if o.text.len() + line.len() >= budget {
            // The statement of the cut matters more than the header's tail: make room.
            let mut cut = budget.saturating_sub(line.len() + 2);
            while cut > 0 && !o.text.is_char_boundary(cut) {
                cut -= 1;
            }
            o.text.truncate(cut);
            o.text.push('…');
        }
        o.line(&line);
    }
    if o.text.len() > budget {
        // Only reachable with a budget below the header; never print past the budget.
        let note = "\n[cut at the token budget]\n";
        let mut cut = budget.saturating_sub(note.len());
        while cut > 0 && !o.text.is_char_boundary(cut) {
            cut -= 1;
        }
        o.text.truncate(cut);
        o.text.push_str(note);
    }
    o.text
}

/// Handled errors and where the time went, as lists within the budget.
fn judged_sections(c: &Ctx, o: &mut Out, tail: usize) {
    let handled: Vec<String> = super::verdict_text::handled_lines(c)
        .iter()
        .map(|l| format!("- {}", t(l)))
        .collect();
    let n = handled.len();
    o.section(
        "Handled errors",
        &handled,
        n,
        "handled errors",
        "token budget",
        tail,
    );
    let time: Vec<String> = super::verdict_text::breakdown_lines(c)
        .iter()
        .map(|l| format!("- {}", t(l)))
        .collect();
    let n = time.len();
    o.section(
        "Where the time went",
        &time,
        n,
        "spans",
        "token budget",
        tail,
    );
}

fn span_label(c: &Ctx, i: usize) -> String {
    c.span(i).map_or_else(
        || "?".into(),
        |s| format!("{}: {}", t(&s.service), t(&s.operation)),
    )
}

fn header(c: &Ctx, o: &mut Out) {
    let trace = &c.t.trace;
    o.line(&format!("# Trace {}", t(&trace.id)));
    let root = c
        .root
        .map_or_else(|| "(no spans)".into(), |i| span_label(c, i));
    let services: Vec<String> = trace.services().iter().take(8).map(|s| t(s)).collect();
    let more = trace.services().len().saturating_sub(services.len());
    let more = if more > 0 {
        format!(", +{more} more")
    } else {
        String::new()
    };
    o.line(&format!(
        "Summary: {root} took {}; {} spans, {} errors, services: {}{more}.",
        human(c.duration_ns),
        trace.spans.len(),
        trace.error_count(),
        services.join(", ")
    ));
    // Short: the cause below must still fit the smallest budget.
    let verdict = truncate(&clean(&super::verdict_text::headline(c)), 110);
    let stop = if verdict.ends_with(['.', '…']) {
        ""
    } else {
        "."
    };
    o.line(&format!("Verdict: {verdict}{stop}"));
    if let Some(note) = super::verdict_text::extent_note(c) {
        o.line(&format!("Durations: {}.", t(&note)));
    }
    match c
        .d
        .root_causes
        .first()
        .filter(|_| super::verdict_text::shows_causes(c))
    {
        Some(rc) => {
            let at = rc
                .span
                .map(|i| format!(" at {} [span {}]", span_label(c, i), t(&c.id(i))))
                .unwrap_or_default();
            o.line(&format!(
                "Most likely cause: {}{at} (score {:.2}).",
                rc.category.as_str(),
                rc.score
            ));
        }
        None if super::verdict_text::shows_causes(c) => o.line("Most likely cause: none found."),
        None => {}
    }
    let g = &c.t.tree.integrity;
    if g.has_findings() {
        let lines = g.lines();
        let line = format!(
            "Integrity: {}{} finding(s): {}.",
            if g.is_broken() { "BROKEN, " } else { "" },
            lines.len(),
            lines.first().map(|l| t(l)).unwrap_or_default()
        );
        // Below the summary in importance: it yields to a tiny budget (and says so).
        if line.len() + NOTE_RESERVE < o.room() {
            o.line(&line);
        } else {
            o.dropped.push("integrity findings");
        }
    }
    for w in trace.warnings.iter().take(3) {
        o.line(&format!("Source warning: {}", t(w)));
    }
}

fn root_cause(c: &Ctx, o: &mut Out, others: bool, tail: usize) {
    let Some(rc) = c.d.root_causes.first() else {
        return;
    };
    let mut items = Vec::new();
    let peer = rc
        .peer_span
        .map(|i| format!(" (peer {})", span_label(c, i)))
        .unwrap_or_default();
    let at = rc
        .span
        .map(|i| format!(" at {} [span {}]", span_label(c, i), t(&c.id(i))))
        .unwrap_or_default();
    items.push(format!("**{}**{at}{peer}", rc.category.as_str()));
    items.extend(rc.evidence.iter().map(|e| format!("- {}", t(e))));
    items.push(format!("- Next: {}", t(&rc.recommendation)));
    let n = items.len();
    o.section(
        "Root cause",
        &items,
        n,
        "root-cause lines",
        "token budget",
        0,
    );
    if others {
        let words = llm_words(c);
        let groups = candidate_groups(c, 1);
        let items: Vec<String> = groups.iter().map(|g| words.candidate(c, g)).collect();
        let n = items.len();
        o.section(
            "Other candidates",
            &items,
            n,
            "candidate lines",
            "token budget",
            tail,
        );
    }
}

fn errors(c: &Ctx, o: &mut Out, tail: usize) {
    let items: Vec<String> =
        c.d.error_origins
            .iter()
            .map(|e| {
                let msg = c
                    .span(e.origin)
                    .and_then(|s| s.status.message.as_deref())
                    .map(|m| format!(": {}", t(m)))
                    .unwrap_or_default();
                let via = if e.chain.is_empty() {
                    String::new()
                } else {
                    format!(" (propagated through {} span(s))", e.chain.len())
                };
                format!("- {}{msg}{via}", span_label(c, e.origin))
            })
            .collect();
    let n = items.len();
    o.section("Errors", &items, n, "error origins", "token budget", tail);
}

fn critical_path(c: &Ctx, o: &mut Out, tail: usize) {
    let mut merged: Vec<(usize, i64, i64)> = Vec::new();
    for s in &c.d.critical_path.segments {
        match merged.last_mut() {
            Some(last) if last.0 == s.span => last.2 = last.2.max(s.end_ns),
            _ => merged.push((s.span, s.start_ns, s.end_ns)),
        }
    }
    // Longest stretches first: with a small budget, where the time went matters most.
    let mut by_len = merged.clone();
    by_len.sort_by_key(|&(_, a, b)| std::cmp::Reverse(b.saturating_sub(a)));
    let items: Vec<String> = by_len
        .iter()
        .map(|&(i, a, b)| {
            format!(
                "- {} {} at +{}",
                span_label(c, i),
                human(b.saturating_sub(a)),
                human(a.saturating_sub(c.start_ns))
            )
        })
        .collect();
    let n = items.len();
    o.section(
        "Critical path",
        &items,
        n,
        "segments (longest first)",
        "token budget",
        tail,
    );
}

fn anomalies(c: &Ctx, o: &mut Out, tail: usize) {
    let items: Vec<String> =
        c.d.anomalies
            .iter()
            .map(|a| format!("- {}: {}", span_label(c, a.span), t(&a.reason)))
            .collect();
    let n = items.len();
    o.section("Anomalies", &items, n, "anomalies", "token budget", tail);
}

fn gap_line(c: &Ctx, g: &crate::analysis::gaps::Gap) -> String {
    format!(
        "- {} inside {} at +{}",
        human(g.duration_ns),
        span_label(c, g.span()),
        human(g.start_ns.saturating_sub(c.start_ns))
    )
}

/// The diagnosis's gaps: those worth a line (see `Ctx::notable_gap`), largest first.
fn gaps(c: &Ctx, o: &mut Out, tail: usize) {
    let (idx, omitted) = largest(&c.d.gaps, c.o.max_spans);
    let items: Vec<String> = idx
        .iter()
        .filter_map(|&g| c.d.gaps.get(g))
        .filter(|g| c.notable_gap(g.duration_ns))
        .map(|g| gap_line(c, g))
        .collect();
    let total = idx.len() + omitted;
    o.section(
        "Gaps",
        &items,
        total,
        "gaps",
        "shorter than 1s and a tenth of the trace",
        tail,
    );
}

/// The `gaps` report: gaps reaching --gap-threshold, largest first, the rest counted.
fn gap_report(c: &Ctx, o: &mut Out, tail: usize) {
    let list = listing(c);
    let why = list.omitted_reason(c.o.max_spans);
    if list.shown.is_empty() {
        let what = if c.d.gaps.is_empty() {
            "No gaps: every span's time is covered by its children or it has none.".to_string()
        } else {
            list.nothing_listed(c.o.max_spans)
        };
        o.line(&format!("\n## Gaps\n{what}"));
        return;
    }
    let items: Vec<String> = list
        .shown
        .iter()
        .filter_map(|&g| c.d.gaps.get(g))
        .map(|g| gap_line(c, g))
        .collect();
    let total = items.len() + list.omitted();
    let why = why.unwrap_or_default();
    o.section("Gaps", &items, total, "gaps", &why, tail);
}

fn patterns(c: &Ctx, o: &mut Out, tail: usize) {
    let words = llm_words(c);
    let items: Vec<String> = pattern_groups(c)
        .iter()
        .map(|g| format!("- {}", words.pattern(g)))
        .collect();
    let n = items.len();
    o.section("Patterns", &items, n, "pattern lines", "token budget", tail);
}

/// Finding lines as the prompt writes them: `service: operation`, cleaned and bounded.
fn llm_words<'c>(c: &'c Ctx) -> Words<'c> {
    Words {
        name: Box::new(move |i| span_label(c, i)),
        id: Box::new(move |i| t(&c.id(i))),
        dur: human,
    }
}

fn spans(c: &Ctx, o: &mut Out) {
    let sel = select(c, c.o.max_spans);
    let n = c.len();
    if n == 0 {
        return;
    }
    let important =
        |i: usize| c.is_error(i) || c.is_critical(i) || c.is_anomaly(i) || Some(i) == c.root;
    // Within the token budget, important spans go first; the rest fill in tree order.
    let line = |i: usize| span_line(c, i);
    let mut order: Vec<usize> = sel
        .spans
        .iter()
        .copied()
        .filter(|&i| important(i))
        .collect();
    order.extend(sel.spans.iter().copied().filter(|&i| !important(i)));
    let head = "\n## Spans\n";
    let deep = |i: usize| c.depth(i) as usize > MAX_NESTING;
    let deep_note =
        format!("_·N before a name: depth N (root 0), beyond the {MAX_NESTING} levels nested._");
    let reserve = NOTE_RESERVE + 40;
    if head.len() + reserve > o.room() {
        o.dropped.push("spans");
        return;
    }
    let mut room = o.room() - head.len() - reserve;
    let mut chosen = vec![false; n];
    let mut shown = 0;
    let mut noted = false;
    for &i in &order {
        // The first deep span shown brings the line explaining its mark.
        let note = if deep(i) && !noted {
            deep_note.len() + 1
        } else {
            0
        };
        let len = line(i).len() + 1 + note;
        if len > room {
            break;
        }
        room -= len;
        noted |= note > 0;
        if let Some(slot) = chosen.get_mut(i) {
            *slot = true;
        }
        shown += 1;
    }
    if shown == 0 {
        o.dropped.push("spans");
        return;
    }
    o.text.push_str(head);
    let cut_by_budget = shown < sel.spans.len();
    for &i in sel.spans.iter() {
        if chosen.get(i).copied().unwrap_or(false) {
            o.line(&line(i));
        }
    }
    if noted {
        o.line(&deep_note);
    }
    if shown < n {
        let omitted = n - shown;
        let all_unimportant = (0..n).all(|i| chosen[i] || !important(i));
        let why = if all_unimportant {
            "no errors, not on the critical path, no anomalies".to_string()
        } else {
            "token budget; errors, critical-path and anomalous spans listed first".to_string()
        };
        let limit = if cut_by_budget {
            "token budget"
        } else {
            "max_spans"
        };
        o.line(&format!(
            "_{shown} of {n} spans shown ({limit}); {omitted} omitted: {why}._"
        ));
    }
}

/// One span of the Spans section: nested by depth up to [`MAX_NESTING`] levels; a deeper
/// span is drawn at that level with its depth (`·12 `), so it is not read as a sibling.
fn span_line(c: &Ctx, i: usize) -> String {
    let s = c.span(i);
    let mut flags = Vec::new();
    if c.is_error(i) {
        let msg = s
            .and_then(|s| s.status.message.as_deref())
            .map(|m| format!(" {}", t(m)))
            .unwrap_or_default();
        flags.push(format!("ERROR{msg}"));
    }
    if c.is_critical(i) {
        flags.push("critical".into());
    }
    if let Some(r) = c.anomaly_reason(i) {
        flags.push(format!("anomaly: {}", t(&r)));
    }
    let flags = if flags.is_empty() {
        String::new()
    } else {
        format!(" [{}]", flags.join("; "))
    };
    let depth = c.depth(i) as usize;
    let mark = if depth > MAX_NESTING {
        format!("·{depth} ")
    } else {
        String::new()
    };
    format!(
        "{}- {mark}{} +{} {}{flags}",
        "  ".repeat(depth.min(MAX_NESTING)),
        span_label(c, i),
        human(c.offset_ns(i)),
        human(c.duration(i)),
    )
}
