//! Terminal tables. Every line fits `width` display columns unless `wide` is set.
//!
//! Columns are laid out here rather than with comfy-table: comfy-table counts ANSI escape
//! codes as width unless built with its `custom_styling` feature, and it wraps cells where a
//! tree waterfall needs one row per span with names truncated. Layout works on plain,
//! cleaned text; colour is applied per cell afterwards (see `style.rs`), so escape codes
//! never affect alignment.

use crate::analysis::gaps::GapPosition;

use super::style::{Painter, Role};
use super::text::{clean, fit_left, fit_right, human, rfc3339_ms, truncate, width, wrap};
use super::waterfall::{bar, leg_word, position_word, select, select_gaps};
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
        if c.d.root_causes.len() > 1 {
            self.line("Other candidates:", None);
            for (k, rc) in c.d.root_causes.iter().enumerate().skip(1) {
                let at = rc
                    .span
                    .map(|i| format!(" at {}", clean(&c.label(i))))
                    .unwrap_or_default();
                let l = format!(
                    "  {}. {}{} ({:.2})",
                    k + 1,
                    rc.category.as_str(),
                    at,
                    super::text::finite(rc.score)
                );
                self.line(&l, None);
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
        let p = &c.d.patterns;
        if p.sequential.is_empty() && p.repeated.is_empty() {
            return;
        }
        self.blank();
        self.line("Patterns:", Some(Role::Heading));
        for s in &p.sequential {
            let l = format!(
                "{} ran {} children one after another ({} of {})",
                clean(&c.label(s.parent)),
                s.children.len(),
                human(s.children_sum_ns),
                human(s.parent_ns)
            );
            self.para(&l, "  sequential: ", "    ", None);
        }
        for r in &p.repeated {
            let what = r
                .calls
                .first()
                .map(|&i| clean(&c.label(i)))
                .unwrap_or_default();
            let kind = match r.kind {
                crate::analysis::patterns::RepeatKind::NPlusOne => "n+1",
                crate::analysis::patterns::RepeatKind::Retry => "retry",
            };
            let l = format!(
                "{} × {} under {} ({})",
                r.calls.len(),
                what,
                clean(&c.label(r.parent)),
                human(r.total_ns)
            );
            self.para(&l, &format!("  {kind}: "), "    ", None);
        }
    }

    fn waterfall(&mut self) {
        let c = self.c;
        let sel = select(c, c.o.max_spans);
        let w = self.width();
        let wide = c.o.wide;
        // Narrow terminals lose the bar first, then self time and gap.
        let show_bar = w >= 60;
        let show_detail = w >= 45;
        const NUM: usize = 7;
        let fixed_cols: Vec<usize> = if show_detail {
            vec![NUM, NUM, NUM, NUM, 3, 1, 1]
        } else {
            vec![NUM, NUM, 3, 1, 1]
        };
        let fixed = fixed_cols.iter().sum::<usize>() + fixed_cols.len(); // each preceded by a space
        let indent_of = |i: usize, name_w: usize| {
            let cap = (name_w / 3) & !1;
            (c.depth(i) as usize).saturating_mul(2).min(cap)
        };
        let names: Vec<String> = sel.spans.iter().map(|&i| clean(&c.label(i))).collect();
        let (name_w, bar_w) = if wide {
            let longest = sel
                .spans
                .iter()
                .zip(&names)
                .map(|(&i, n)| c.depth(i) as usize * 2 + width(n))
                .max()
                .unwrap_or(4);
            (longest.max(4), if show_bar { 24 } else { 0 })
        } else {
            let rest = w.saturating_sub(fixed);
            if show_bar {
                let bar_w = (rest / 4).clamp(8, 24);
                let name_w = rest.saturating_sub(bar_w + 1);
                (name_w.max(1), bar_w)
            } else {
                (rest.max(1), 0)
            }
        };

        self.blank();
        let mut head = vec![
            Cell::plain(fit_left("span", name_w)),
            Cell::plain(fit_right("start", NUM)),
            Cell::plain(fit_right("dur", NUM)),
        ];
        if show_detail {
            head.push(Cell::plain(fit_right("self", NUM)));
            head.push(Cell::plain(fit_right("gap", NUM)));
        }
        head.push(Cell::plain("st ".into()));
        head.push(Cell::plain("!".into()));
        head.push(Cell::plain("*".into()));
        if show_bar {
            head.push(Cell::plain(fit_left("timeline", bar_w)));
        }
        let head: Vec<Cell> = head
            .into_iter()
            .map(|h| Cell::role(h.text, Some(Role::Dim)))
            .collect();
        self.row(head);

        let mark = if c.o.color { "⚠" } else { "!" };
        for (&i, name) in sel.spans.iter().zip(&names) {
            let err = c.is_error(i);
            let anom = c.is_anomaly(i);
            let crit = c.is_critical(i);
            let role = if err {
                Some(Role::Error)
            } else if anom {
                Some(Role::Anomaly)
            } else {
                None
            };
            let indent = " ".repeat(indent_of(i, name_w));
            let name_cell = fit_left(&format!("{indent}{name}"), name_w);
            let mut cells = vec![
                Cell {
                    text: name_cell,
                    role,
                    bold: crit,
                },
                Cell::plain(fit_right(&human(c.offset_ns(i)), NUM)),
                Cell::plain(fit_right(&human(c.duration(i)), NUM)),
            ];
            if show_detail {
                cells.push(Cell::plain(fit_right(
                    &c.self_ns(i).map(human).unwrap_or_default(),
                    NUM,
                )));
                let gap = c.gap_after(i);
                let gap_role = gap
                    .filter(|g| g.duration_ns >= c.d.thresholds.gap_ns)
                    .map(|_| Role::Anomaly);
                cells.push(Cell::role(
                    fit_right(&gap.map(|g| human(g.duration_ns)).unwrap_or_default(), NUM),
                    gap_role,
                ));
            }
            cells.push(if err {
                Cell::role("ERR".into(), Some(Role::Error))
            } else {
                Cell::plain("ok ".into())
            });
            cells.push(if anom {
                Cell::role(mark.into(), Some(Role::Anomaly))
            } else {
                Cell::plain(" ".into())
            });
            cells.push(Cell::plain(if crit { "*" } else { " " }.into()));
            if show_bar {
                cells.push(Cell {
                    text: bar(c, i, bar_w),
                    role,
                    bold: crit,
                });
            }
            self.row(cells);
        }
        if sel.reason.is_some() {
            let note = format!(
                "{} spans omitted (max spans {}); errors, anomalies, the critical path and their ancestors are \
                 always shown",
                sel.omitted, c.o.max_spans
            );
            self.para(&note, "… ", "  ", Some(Role::Dim));
        }
        self.para(
            &format!(
                "{mark} anomaly · * critical path · gap: after last child, else after the span"
            ),
            "",
            "",
            Some(Role::Dim),
        );
    }
}

pub fn diagnose(c: &Ctx) -> String {
    let mut o = Out::new(c);
    o.header();
    o.integrity(false);
    o.root_causes();
    o.error_origins();
    o.patterns();
    o.waterfall();
    o.finish()
}

pub fn root_cause(c: &Ctx) -> String {
    let mut o = Out::new(c);
    o.header();
    o.integrity(false);
    o.root_causes();
    o.error_origins();
    o.finish()
}

pub fn timeline(c: &Ctx) -> String {
    let mut o = Out::new(c);
    o.header();
    o.waterfall();
    o.finish()
}

pub fn gaps(c: &Ctx) -> String {
    let mut o = Out::new(c);
    o.header();
    o.blank();
    let (idx, omitted) = select_gaps(&c.d.gaps, c.o.max_spans);
    if idx.is_empty() {
        o.line(
            "No gaps: every span's time is covered by its children or it has none.",
            None,
        );
        return o.finish();
    }
    const POS: usize = 12;
    const LEG: usize = 8;
    const NUM: usize = 7;
    let names: Vec<String> = idx
        .iter()
        .filter_map(|&g| c.d.gaps.get(g))
        .map(|g| clean(&c.label(g.span)))
        .collect();
    let name_w = if c.o.wide {
        names.iter().map(|n| width(n)).max().unwrap_or(4).max(4)
    } else {
        o.width().saturating_sub(POS + LEG + 2 * NUM + 4).max(1)
    };
    let head = [
        fit_left("span", name_w),
        fit_left("position", POS),
        fit_left("leg", LEG),
        fit_right("start", NUM),
        fit_right("gap", NUM),
    ];
    o.row(
        head.into_iter()
            .map(|h| Cell::role(h, Some(Role::Dim)))
            .collect(),
    );
    for (&gi, name) in idx.iter().zip(&names) {
        let Some(g) = c.d.gaps.get(gi) else { continue };
        let long = g.duration_ns >= c.d.thresholds.gap_ns;
        o.row(vec![
            Cell::role(fit_left(name, name_w), long.then_some(Role::Anomaly)),
            Cell::plain(fit_left(position_word(g.position), POS)),
            Cell::plain(fit_left(leg_word(g.leg), LEG)),
            Cell::plain(fit_right(
                &human(g.start_ns.saturating_sub(c.start_ns)),
                NUM,
            )),
            Cell::role(
                fit_right(&human(g.duration_ns), NUM),
                long.then_some(Role::Anomaly),
            ),
        ]);
    }
    if omitted > 0 {
        o.para(
            &format!(
                "{omitted} shorter gaps omitted (max_spans {})",
                c.o.max_spans
            ),
            "… ",
            "  ",
            Some(Role::Dim),
        );
    }
    let after_last =
        c.d.gaps
            .iter()
            .filter(|g| g.position == GapPosition::AfterLastChild)
            .count();
    o.line(
        &format!(
            "{} gaps, {} after a last child (waiting for a response or cleanup)",
            c.d.gaps.len(),
            after_last
        ),
        Some(Role::Dim),
    );
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
            .map(|i| format!(" at {}", clean(&c.label(i))))
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
