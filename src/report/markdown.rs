//! Markdown in the seed's MCP report layout (`## Execution 2193 Diagnostic Report`,
//! `### Root Cause: …`, `### Trace Timeline:` with `✅ **service.operation** - 238901ms`
//! lines), for LLM prompts and tickets.
//!
//! The timeline is a nested list rather than the seed's bare lines: consecutive bare lines
//! render as one paragraph, and a nested list keeps the tree readable both rendered and
//! raw. Fields are separated by blank lines for the same reason. All trace-supplied text
//! goes through [`md`], so a span name cannot open emphasis, code, HTML or a table cell.

use std::fmt::Write as _;

use super::findings::{candidate_groups, pattern_groups, Words};
use super::gap_list::listing;
use super::markdown_table::{table as md_table, Col};
use super::text::{finite, human, md, ms_text, rfc3339_ms};
use super::waterfall::{gap_phrase, leg_word, position_word, select};
use super::Ctx;
use crate::analysis::gaps::GapPosition;

/// Deeper spans are drawn at this depth with their real depth noted: CommonMark needs two
/// spaces per level, and a 100,000-deep chain must not produce quadratic output.
const MAX_INDENT_DEPTH: usize = 16;

/// How many critical-path spans the critical-path section names.
const CRITICAL_SHOWN: usize = 10;

struct Md<'c, 'a> {
    c: &'c Ctx<'a>,
    s: String,
}

impl<'c, 'a> Md<'c, 'a> {
    fn new(c: &'c Ctx<'a>, title: &str) -> Self {
        let mut s = String::new();
        let _ = writeln!(s, "## Trace {} {title}\n", md(&c.t.trace.id));
        Md { c, s }
    }

    fn push(&mut self, line: &str) {
        self.s.push_str(line);
        self.s.push('\n');
    }

    fn finish(mut self) -> String {
        while self.s.ends_with("\n\n") {
            self.s.pop();
        }
        self.s
    }

    fn label(&self, i: usize) -> String {
        md(&self.c.label(i))
    }

    fn header(&mut self) {
        let c = self.c;
        let trace = &c.t.trace;
        let root = c
            .root
            .map(|i| self.label(i))
            .unwrap_or_else(|| "(no spans)".into());
        let services: Vec<String> = trace.services().iter().map(|s| md(s)).collect();
        let line = format!(
            "**Root span:** {root} · **Duration:** {} ({}) · **Spans:** {} · **Errors:** {} · **Started:** {}",
            human(c.duration_ns),
            ms_text(c.duration_ns),
            trace.spans.len(),
            trace.error_count(),
            rfc3339_ms(c.start_ns)
        );
        self.push(&line);
        self.push("");
        self.push(&format!(
            "**Services ({}):** {}",
            services.len(),
            services.join(", ")
        ));
        self.push("");
        if let Some(u) = crate::model::llm::LlmUsage::of(trace) {
            self.push(&format!("**LLM:** {}", md(&u.line())));
            self.push("");
        }
        for w in &trace.warnings {
            self.push(&format!("> ⚠️ Source warning: {}", md(w)));
        }
        if !trace.warnings.is_empty() {
            self.push("");
        }
    }

    fn verdict(&mut self) {
        let c = self.c;
        if let Some(note) = super::verdict_text::extent_note(c) {
            self.push(&format!("**Durations:** {}", md(&note)));
            self.push("");
        }
        self.push(&format!(
            "**Verdict:** {}",
            md(&super::verdict_text::headline(c))
        ));
        self.push("");
    }

    /// Handled errors and where the time went.
    fn judged_sections(&mut self) {
        for (title, lines) in [
            ("Handled errors", super::verdict_text::handled_lines(self.c)),
            (
                "Where the time went",
                super::verdict_text::breakdown_lines(self.c),
            ),
        ] {
            if lines.is_empty() {
                continue;
            }
            self.push(&format!("### {title}"));
            self.push("");
            for l in lines {
                self.push(&format!("- {}", md(&l)));
            }
            self.push("");
        }
    }

    fn integrity(&mut self) {
        let g = &self.c.t.tree.integrity;
        if !g.has_findings() {
            return;
        }
        self.push("### Integrity");
        self.push("");
        if g.is_broken() {
            self.push("The trace is broken: conclusions below are uncertain.");
            self.push("");
        }
        for l in g.lines() {
            self.push(&format!("- {}", md(&l)));
        }
        self.push("");
    }

    fn root_causes(&mut self) {
        let c = self.c;
        let Some(top) = c.d.root_causes.first() else {
            return;
        };
        self.push(&format!("### Root Cause: {}", top.category.as_str()));
        self.push("");
        if let Some(s) = top.span.and_then(|i| c.span(i)) {
            self.push(&format!("**Affected Service:** {}", md(&s.service)));
            self.push("");
            self.push(&format!(
                "**Affected Operation:** {} (span {})",
                md(&s.label()),
                md(&s.span_id)
            ));
            self.push("");
        }
        if let Some(p) = top.peer_span.and_then(|i| c.span(i)) {
            self.push(&format!(
                "**Peer:** {} (span {})",
                md(&p.label()),
                md(&p.span_id)
            ));
            self.push("");
        }
        self.push(&format!("**Confidence:** {:.2}", finite(top.score)));
        self.push("");
        match top.evidence.as_slice() {
            [] => {}
            [one] => {
                self.push(&format!("**Evidence:** {}", md(one)));
                self.push("");
            }
            many => {
                self.push("**Evidence:**");
                self.push("");
                for e in many {
                    self.push(&format!("- {}", md(e)));
                }
                self.push("");
            }
        }
        if !top.recommendation.is_empty() {
            self.push(&format!("**Recommendation:** {}", md(&top.recommendation)));
            self.push("");
        }
        let groups = candidate_groups(c, 1);
        if !groups.is_empty() {
            self.push("### Other Candidates");
            self.push("");
            let words = md_words(c);
            for g in &groups {
                let first = g
                    .members
                    .first()
                    .and_then(|&k| c.d.root_causes.get(k))
                    .and_then(|rc| rc.evidence.first())
                    .map(|e| {
                        let lead = if g.members.len() > 1 {
                            "; best: "
                        } else {
                            ": "
                        };
                        format!("{lead}{}", md(e))
                    })
                    .unwrap_or_default();
                self.push(&format!("{}{first}", words.candidate(c, g)));
            }
            self.push("");
        }
    }

    fn error_origins(&mut self) {
        let c = self.c;
        if c.d.error_origins.is_empty() {
            return;
        }
        self.push("### Error Origins");
        self.push("");
        for e in &c.d.error_origins {
            let msg = c
                .span(e.origin)
                .and_then(|s| s.status.message.as_deref())
                .map(|m| format!(": {}", md(m)))
                .unwrap_or_default();
            let mut line = format!(
                "- ❌ **{}** (span {}){}",
                self.label(e.origin),
                md(&c.id(e.origin)),
                msg
            );
            if !e.chain.is_empty() {
                let chain: Vec<String> = e.chain.iter().map(|&i| self.label(i)).collect();
                let _ = write!(line, "; propagated to {}", chain.join(" → "));
            }
            self.push(&line);
        }
        self.push("");
    }

    fn patterns(&mut self) {
        let c = self.c;
        let groups = pattern_groups(c);
        if groups.is_empty() {
            return;
        }
        self.push("### Patterns");
        self.push("");
        let words = md_words(c);
        for g in &groups {
            self.push(&format!("- {}", capitalise(&words.pattern(g))));
        }
        self.push("");
    }

    fn critical_path(&mut self) {
        let c = self.c;
        let on = &c.d.critical_path.on_path_ns;
        let mut top: Vec<usize> = (0..on.len().min(c.len())).filter(|&i| on[i] > 0).collect();
        if top.is_empty() {
            return;
        }
        top.sort_by_key(|&i| (std::cmp::Reverse(on[i]), i));
        self.push("### Critical Path (time spent on it, by span)");
        self.push("");
        for &i in top.iter().take(CRITICAL_SHOWN) {
            self.push(&format!("- **{}** - {}", self.label(i), ms_text(on[i])));
        }
        if top.len() > CRITICAL_SHOWN {
            self.push(&format!(
                "- … {} more spans on the path",
                top.len() - CRITICAL_SHOWN
            ));
        }
        self.push("");
    }

    fn timeline(&mut self) {
        let c = self.c;
        let sel = select(c, c.o.max_spans);
        self.push("### Trace Timeline:");
        self.push("");
        let n = c.len();
        // Gap lines by the span they are written under (see `gap_line`).
        let mut after_child: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut before_first: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut trailing: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (gi, g) in c.d.gaps.iter().enumerate() {
            if !c.notable_gap(g.duration_ns) {
                continue;
            }
            let slot = match (g.position, g.after_child()) {
                (GapPosition::BeforeFirstChild, _) => before_first.get_mut(g.span()),
                (_, Some(a)) => after_child.get_mut(a),
                (_, None) => trailing.get_mut(g.span()),
            };
            if let Some(v) = slot {
                v.push(gi);
            }
        }
        // Gap lines wait until the subtree they follow is closed: (flush when the next row's
        // depth is at most this, indent depth, text).
        let mut pending: Vec<(usize, usize, String)> = Vec::new();
        for &i in sel.spans.iter() {
            let depth = self.c.depth(i) as usize;
            self.flush(&mut pending, Some(depth));
            let shown = depth.min(MAX_INDENT_DEPTH);
            let emoji = if c.is_error(i) { "❌" } else { "✅" };
            let mut line = format!(
                "{}- {emoji} **{}** - {}",
                "  ".repeat(shown),
                self.label(i),
                ms_text(c.duration(i))
            );
            if depth > shown {
                let _ = write!(line, " (depth {depth})");
            }
            if let Some(r) = c.anomaly_reason(i) {
                let _ = write!(line, " ⚠️ ANOMALY: {}", md(&r));
            }
            if c.is_error(i) {
                if let Some(m) = c.span(i).and_then(|s| s.status.message.as_deref()) {
                    let _ = write!(line, " (error: {})", md(m));
                }
            }
            self.push(&line);
            for &gi in before_first.get(i).into_iter().flatten() {
                if let Some(g) = c.d.gaps.get(gi) {
                    let l = gap_line(depth + 1, &md(&gap_phrase(c, g)));
                    self.push(&l);
                }
            }
            for &gi in trailing.get(i).into_iter().flatten() {
                if let Some(g) = c.d.gaps.get(gi) {
                    pending.push((depth, depth + 1, md(&gap_phrase(c, g))));
                }
            }
            for &gi in after_child.get(i).into_iter().flatten() {
                if let Some(g) = c.d.gaps.get(gi) {
                    pending.push((depth, depth, md(&gap_phrase(c, g))));
                }
            }
        }
        self.flush(&mut pending, None);
        if let Some(reason) = &sel.reason {
            self.push("");
            self.push(&format!(
                "_… {} spans omitted: {}_",
                sel.omitted,
                md(reason)
            ));
        }
        self.push("");
    }

    /// Write pending gap lines whose subtree closed before a row at `depth` (all at the end).
    fn flush(&mut self, pending: &mut Vec<(usize, usize, String)>, depth: Option<usize>) {
        while let Some((at, _, _)) = pending.last() {
            if depth.is_some_and(|d| *at < d) {
                break;
            }
            if let Some((_, indent, text)) = pending.pop() {
                self.push(&gap_line(indent, &text));
            }
        }
    }
}

/// Finding lines as Markdown writes them: names escaped and bold, durations in the seed's
/// milliseconds.
fn md_words<'c>(c: &'c Ctx) -> Words<'c> {
    Words {
        name: Box::new(move |i| format!("**{}**", md(&c.label(i)))),
        id: Box::new(move |i| md(&c.id(i))),
        dur: ms_text,
    }
}

/// The first letter upper-cased (list items start a sentence).
fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(chars).collect())
}

/// `└─ Gap: …` as a list item at `depth`, so it renders under the right subtree.
fn gap_line(depth: usize, text: &str) -> String {
    format!("{}- └─ {text}", "  ".repeat(depth.min(MAX_INDENT_DEPTH)))
}

pub fn diagnose(c: &Ctx) -> String {
    let mut m = Md::new(c, "Diagnostic Report");
    m.header();
    m.verdict();
    m.integrity();
    if super::verdict_text::shows_causes(c) {
        m.root_causes();
        m.error_origins();
    }
    m.judged_sections();
    m.patterns();
    m.critical_path();
    m.timeline();
    m.s.push_str(&super::markdown_details::section(c));
    m.finish()
}

pub fn root_cause(c: &Ctx) -> String {
    let mut m = Md::new(c, "Root Cause Analysis");
    m.header();
    m.verdict();
    m.integrity();
    if super::verdict_text::shows_causes(c) {
        m.root_causes();
        m.error_origins();
    }
    m.judged_sections();
    m.finish()
}

pub fn timeline(c: &Ctx) -> String {
    let mut m = Md::new(c, "Timeline");
    m.header();
    m.timeline();
    m.s.push_str(&super::markdown_details::section(c));
    m.finish()
}

pub fn gaps(c: &Ctx) -> String {
    let mut m = Md::new(c, "Gaps");
    m.header();
    if c.d.gaps.is_empty() {
        m.push("No gaps: every span's time is covered by its children or it has none.");
        return m.finish();
    }
    let list = listing(c);
    if list.shown.is_empty() {
        m.push(&list.nothing_listed(c.o.max_spans));
        m.push("");
        return m.finish();
    }
    let cols = [
        Col::left("Span"),
        Col::left("Position"),
        Col::left("Leg"),
        Col::right("Start"),
        Col::right("Gap"),
    ];
    let rows = list
        .shown
        .iter()
        .filter_map(|&gi| c.d.gaps.get(gi))
        .map(|g| {
            [
                m.label(g.span()),
                position_word(g.position).to_string(),
                leg_word(g.leg).to_string(),
                ms_text(g.start_ns.saturating_sub(c.start_ns)),
                ms_text(g.duration_ns),
            ]
        });
    let table = md_table(&cols, rows);
    m.s.push_str(&table);
    m.push("");
    if let Some(reason) = list.omitted_reason(c.o.max_spans) {
        m.push(&format!(
            "_Not listed: {}; {} gaps in all._",
            md(&reason),
            c.d.gaps.len()
        ));
        m.push("");
    }
    m.finish()
}

pub fn summary(c: &Ctx) -> String {
    let mut m = Md::new(c, "Summary");
    let trace = &c.t.trace;
    let root = c
        .root
        .map(|i| m.label(i))
        .unwrap_or_else(|| "(no spans)".into());
    let services: Vec<String> = trace.services().iter().map(|s| md(s)).collect();
    m.push(&format!("- **Root span:** {root}"));
    m.push(&format!("- **Started:** {}", rfc3339_ms(c.start_ns)));
    m.push(&format!(
        "- **Total duration:** {} ({})",
        ms_text(c.duration_ns),
        human(c.duration_ns)
    ));
    m.push(&format!("- **Spans:** {}", trace.spans.len()));
    m.push(&format!("- **Errors:** {}", trace.error_count()));
    m.push(&format!(
        "- **Services ({}):** {}",
        services.len(),
        services.join(", ")
    ));
    if let Some(u) = crate::model::llm::LlmUsage::of(trace) {
        m.push(&format!("- **LLM:** {}", md(&u.line())));
    }
    if let Some(i) = c.slowest() {
        let self_ms = c.self_ns(i).map(ms_text).unwrap_or_else(|| "?".into());
        m.push(&format!(
            "- **Slowest span (self time):** {} - {self_ms} of {}",
            m.label(i),
            ms_text(c.duration(i))
        ));
    }
    match c.first_error() {
        Some(i) => {
            let msg = c
                .span(i)
                .and_then(|s| s.status.message.as_deref())
                .map(|s| format!(": {}", md(s)))
                .unwrap_or_default();
            m.push(&format!(
                "- **First error:** {} at +{}{msg}",
                m.label(i),
                ms_text(c.offset_ns(i))
            ));
        }
        None => m.push("- **First error:** none"),
    }
    if let Some(rc) = c.d.root_causes.first() {
        let at = rc
            .span
            .map(|i| format!(" at {} (span {})", m.label(i), md(&c.id(i))))
            .unwrap_or_default();
        m.push(&format!("- **Root cause:** {}{at}", rc.category.as_str()));
    }
    if c.t.tree.integrity.has_findings() {
        m.push(&format!(
            "- **Integrity:** {} finding(s)",
            c.t.tree.integrity.lines().len()
        ));
    }
    m.push("");
    m.finish()
}
