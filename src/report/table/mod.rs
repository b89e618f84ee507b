//! Terminal tables. Every line fits `width` display columns unless `wide` is set.
//!
//! Columns are laid out here rather than with comfy-table: comfy-table counts ANSI escape
//! codes as width unless built with its `custom_styling` feature, and it wraps cells where a
//! tree waterfall needs one row per span with names truncated. Layout works on plain,
//! cleaned text; colour is applied per cell afterwards (see `style.rs`), so escape codes
//! never affect alignment.

mod gaps;
mod spans;
mod verdict;

pub use gaps::gaps;

use super::findings::{candidate_groups, pattern_groups, Words};
use super::style::{Painter, Role};
use super::text::{clean, human, rfc3339_ms, truncate, wrap};
use super::Ctx;

/// One cell before colouring.
struct Cell {
    text: String,
    role: Option<Role>,
    bold: bool,
}

impl Cell {
    fn plain(text: String) -> Cell {
        Cell {
            text,
            role: None,
            bold: false,
        }
    }
    fn role(text: String, role: Option<Role>) -> Cell {
        Cell {
            text,
            role,
            bold: false,
        }
    }
}

/// Output under construction: a line list with the width rules and the painter.
struct Out<'c, 'a> {
    c: &'c Ctx<'a>,
    p: Painter,
    lines: Vec<String>,
}

impl<'c, 'a> Out<'c, 'a> {
    fn new(c: &'c Ctx<'a>) -> Self {
        Out {
            c,
            p: Painter::new(c.o.color),
            lines: Vec::new(),
        }
    }

    fn width(&self) -> usize {
        self.c.o.width.max(1)
    }

    /// A single line, truncated to the width (unless wide), then coloured.
    fn line(&mut self, s: &str, role: Option<Role>) {
        let s = if self.c.o.wide {
            s.to_string()
        } else {
            truncate(s, self.width())
        };
        self.lines.push(self.p.paint(s.trim_end(), role, false));
    }

    /// A paragraph, word-wrapped to the width (also when wide: wrapping loses nothing).
    fn para(&mut self, s: &str, first: &str, rest: &str, role: Option<Role>) {
        for l in wrap(s, self.width(), first, rest) {
            self.lines.push(self.p.paint(l.trim_end(), role, false));
        }
    }

    fn blank(&mut self) {
        if self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
    }

    /// Cells joined by single spaces, the last one right-trimmed so lines carry no
    /// trailing padding.
    fn row(&mut self, mut cells: Vec<Cell>) {
        if let Some(last) = cells.last_mut() {
            last.text = last.text.trim_end().to_string();
        }
        let parts: Vec<String> = cells
            .iter()
            .map(|c| self.p.paint(&c.text, c.role, c.bold))
            .collect();
        let line = parts.join(" ");
        self.lines.push(line.trim_end().to_string());
    }

    fn finish(mut self) -> String {
        while self.lines.last().is_some_and(|l| l.is_empty()) {
            self.lines.pop();
        }
        let mut s = self.lines.join("\n");
        s.push('\n');
        s
    }

    fn header(&mut self) {
        let c = self.c;
        let trace = &c.t.trace;
        let root = c
            .root
            .map(|i| clean(&c.label(i)))
            .unwrap_or_else(|| "(no spans)".into());
        let title = format!(
            "Trace {} · {} · {}",
            clean(&trace.id),
            root,
            human(c.duration_ns)
        );
        self.line(&title, Some(Role::Heading));
        let services = trace.services();
        let errors = trace.error_count();
        let svc_list: Vec<String> = services.iter().map(|s| clean(s)).collect();
        let facts = format!(
            "{} · {} · started {}",
            plural(trace.spans.len(), "span"),
            plural(errors, "error"),
            rfc3339_ms(c.start_ns)
        );
        self.line(&facts, (errors > 0).then_some(Role::Error));
        self.para(
            &svc_list.join(", "),
            &format!("{} services: ", services.len()),
            "  ",
            None,
        );
        if let Some(u) = crate::model::llm::LlmUsage::of(trace) {
            self.line(&format!("LLM: {}", u.line()), None);
        }
        for w in &trace.warnings {
            self.para(&clean(w), "warning: ", "  ", Some(Role::Anomaly));
        }
    }

    fn integrity(&mut self, always: bool) {
        let g = &self.c.t.tree.integrity;
        if !g.has_findings() {
            if always {
                self.line("Integrity: no findings", None);
            }
            return;
        }
        self.blank();
        let title = if g.is_broken() {
            "Integrity: the trace is broken, conclusions are uncertain"
        } else {
            "Integrity"
        };
        self.line(title, Some(Role::Anomaly));
        for l in g.lines() {
            self.para(&clean(&l), "  ! ", "    ", None);
        }
    }

    fn root_causes(&mut self) {
        let c = self.c;
        let Some(top) = c.d.root_causes.first() else {
            self.blank();
            self.line("Root cause: none computed", None);
            return;
        };
        self.blank();
        let title = format!(
            "Root cause: {}  (score {:.2})",
            top.category.as_str(),
            super::text::finite(top.score)
        );
        self.line(&title, Some(Role::Error));
        if let Some(i) = top.span {
            self.para(
                &format!("{} [span {}]", clean(&c.label(i)), clean(&c.id(i))),
                "  at ",
                "     ",
                Some(Role::Heading),
            );
        }
        if let Some(i) = top.peer_span {
            self.para(
                &format!("{} [span {}]", clean(&c.label(i)), clean(&c.id(i))),
                "  peer ",
                "       ",
                None,
            );
        }
        if !top.evidence.is_empty() {
            self.line("  Evidence:", None);
            for e in &top.evidence {
                self.para(&clean(e), "    - ", "      ", None);
            }
        }
        if !top.recommendation.is_empty() {
            self.para(
                &clean(&top.recommendation),
                "  Recommendation: ",
                "    ",
                None,
            );
        }
        let groups = candidate_groups(c, 1);
        if !groups.is_empty() {
            self.line("Other candidates:", None);
            let words = table_words(c);
            for g in &groups {
                self.para(&words.candidate(c, g), "  ", "     ", None);
            }
        }
    }

    fn error_origins(&mut self) {
        let c = self.c;
        if c.d.error_origins.is_empty() {
            return;
        }
        self.blank();
        self.line("Error origins:", Some(Role::Error));
        for e in &c.d.error_origins {
            let msg = c
                .span(e.origin)
                .and_then(|s| s.status.message.as_deref())
                .map(|m| format!(": {}", clean(m)))
                .unwrap_or_default();
            self.para(
                &format!(
                    "{} [span {}]{}",
                    clean(&c.label(e.origin)),
                    clean(&c.id(e.origin)),
                    msg
                ),
                "  ✗ ",
                "    ",
                None,
            );
            if !e.chain.is_empty() {
                let chain: Vec<String> = e.chain.iter().map(|&i| clean(&c.label(i))).collect();
                self.para(&chain.join(" → "), "    propagated to: ", "      ", None);
            }
        }
    }

    fn patterns(&mut self) {
        let c = self.c;
        let groups = pattern_groups(c);
        if groups.is_empty() {
            return;
        }
        self.blank();
        self.line("Patterns:", Some(Role::Heading));
        let words = table_words(c);
        for g in &groups {
            self.para(&words.pattern(g), "  ", "    ", None);
        }
    }
}

/// Finding lines as the table writes them: names and ids cleaned, durations for people.
fn table_words<'c>(c: &'c Ctx) -> Words<'c> {
    Words {
        name: Box::new(move |i| clean(&c.label(i))),
        id: Box::new(move |i| clean(&c.id(i))),
        dur: human,
    }
}

pub fn diagnose(c: &Ctx) -> String {
    let mut o = judged(c);
    o.patterns();
    o.waterfall();
    o.finish()
}

pub fn root_cause(c: &Ctx) -> String {
    judged(c).finish()
}

/// Header, verdict and integrity; the causes when the request is not fine; handled errors
/// and where the time went.
fn judged<'c, 'a>(c: &'c Ctx<'a>) -> Out<'c, 'a> {
    let mut o = Out::new(c);
    o.header();
    o.verdict();
    o.integrity(false);
    if super::verdict_text::shows_causes(c) {
        o.root_causes();
        o.error_origins();
    }
    o.handled_errors();
    o.time_breakdown();
    o
}

pub fn timeline(c: &Ctx) -> String {
    let mut o = Out::new(c);
    o.header();
    o.waterfall();
    o.finish()
}

pub fn summary(c: &Ctx) -> String {
    let mut o = Out::new(c);
    let trace = &c.t.trace;
    let kv = |k: &str, v: String| format!("{k:<12}{v}");
    let root = c
        .root
        .map(|i| clean(&c.label(i)))
        .unwrap_or_else(|| "(no spans)".into());
    o.line(&kv("Trace", clean(&trace.id)), Some(Role::Heading));
    o.line(&kv("Root", root), None);
    o.line(&kv("Started", rfc3339_ms(c.start_ns)), None);
    o.line(&kv("Duration", human(c.duration_ns)), None);
    o.line(&kv("Spans", trace.spans.len().to_string()), None);
    let errors = trace.error_count();
    o.line(
        &kv("Errors", errors.to_string()),
        (errors > 0).then_some(Role::Error),
    );
    let services: Vec<String> = trace.services().iter().map(|s| clean(s)).collect();
    o.line(
        &kv(
            "Services",
            format!("{}: {}", services.len(), services.join(", ")),
        ),
        None,
    );
    if let Some(u) = crate::model::llm::LlmUsage::of(trace) {
        o.line(&kv("LLM", u.line()), None);
    }
    let slowest = c.slowest().map_or_else(
        || "-".to_string(),
        |i| {
            format!(
                "{} (self {} of {})",
                clean(&c.label(i)),
                c.self_ns(i).map(human).unwrap_or_else(|| "?".into()),
                human(c.duration(i))
            )
        },
    );
    o.line(&kv("Slowest", slowest), None);
    let first_error = c.first_error().map_or_else(
        || "none".to_string(),
        |i| {
            let msg = c
                .span(i)
                .and_then(|s| s.status.message.as_deref())
                .map(|m| format!(": {}", clean(m)))
                .unwrap_or_default();
            format!(
                "{} at +{}{}",
                clean(&c.label(i)),
                human(c.offset_ns(i)),
                msg
            )
        },
    );
    o.line(
        &kv("First error", first_error),
        (errors > 0).then_some(Role::Error),
    );
    if let Some(rc) = c.d.root_causes.first() {
        let at = rc
            .span
            .map(|i| format!(" at {} [span {}]", clean(&c.label(i)), clean(&c.id(i))))
            .unwrap_or_default();
        o.line(
            &kv("Root cause", format!("{}{}", rc.category.as_str(), at)),
            Some(Role::Error),
        );
    }
    if c.t.tree.integrity.has_findings() {
        o.line(
            &kv(
                "Integrity",
                format!(
                    "{} finding(s), see diagnose",
                    c.t.tree.integrity.lines().len()
                ),
            ),
            Some(Role::Anomaly),
        );
    }
    o.finish()
}

/// `1 error`, `2 errors`.
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}
