//! The span waterfall: one row per span (names indented by depth), its timing columns and a
//! bar on the trace's time axis.

use super::super::style::Role;
use super::super::text::{clean, fit_left, fit_right, human, width};
use super::super::waterfall::{bar, select};
use super::{Cell, Out};

/// Width of each number column (start, duration, self time, gap).
const NUM: usize = 7;

/// The waterfall's columns, decided once from the width and the names shown.
struct Layout {
    name_w: usize,
    /// Columns of indentation at most (whole levels of two); deeper rows carry their depth.
    indent_cap: usize,
    bar_w: usize,
    show_bar: bool,
    /// Self time and gap columns.
    show_detail: bool,
}

impl<'c, 'a> Out<'c, 'a> {
    pub(super) fn waterfall(&mut self) {
        let c = self.c;
        let sel = select(c, c.o.max_spans);
        let names: Vec<String> = sel.spans.iter().map(|&i| clean(&c.label(i))).collect();
        let l = self.layout(&sel.spans, &names);
        self.blank();
        self.waterfall_head(&l);
        let mark = if c.o.color { "⚠" } else { "!" };
        let mut capped = false;
        for (&i, name) in sel.spans.iter().zip(&names) {
            capped |= self.waterfall_row(i, name, &l, mark);
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
        if capped {
            self.para(
                &format!(
                    "·N before a name: depth N (root 0), beyond the {} levels indented",
                    l.indent_cap / 2
                ),
                "",
                "",
                Some(Role::Dim),
            );
        }
    }

    /// Narrow terminals lose the bar first, then self time and gap; the name column takes
    /// what is left (or, when wide, what the deepest, longest name needs).
    fn layout(&self, spans: &[usize], names: &[String]) -> Layout {
        let c = self.c;
        let w = self.width();
        let show_bar = w >= 60;
        let show_detail = w >= 45;
        let fixed_cols: Vec<usize> = if show_detail {
            vec![NUM, NUM, NUM, NUM, 3, 1, 1]
        } else {
            vec![NUM, NUM, 3, 1, 1]
        };
        let fixed = fixed_cols.iter().sum::<usize>() + fixed_cols.len(); // each preceded by a space
        let (name_w, indent_cap, bar_w) = if c.o.wide {
            let longest = spans
                .iter()
                .zip(names)
                .map(|(&i, n)| c.depth(i) as usize * 2 + width(n))
                .max()
                .unwrap_or(4);
            // Indentation is capped at a third of the column, and a capped row's depth mark
            // takes room: size the column to the rows as drawn, so no name is cut.
            let cap = indent_cap(longest.max(4));
            let drawn = spans
                .iter()
                .zip(names)
                .map(|(&i, n)| width(&indent(c.depth(i) as usize, cap)) + width(n))
                .max()
                .unwrap_or(4);
            (drawn.max(4), cap, if show_bar { 24 } else { 0 })
        } else {
            let rest = w.saturating_sub(fixed);
            let (name_w, bar_w) = if show_bar {
                let bar_w = (rest / 4).clamp(8, 24);
                (rest.saturating_sub(bar_w + 1).max(1), bar_w)
            } else {
                (rest.max(1), 0)
            };
            (name_w, indent_cap(name_w), bar_w)
        };
        Layout {
            name_w,
            indent_cap,
            bar_w,
            show_bar,
            show_detail,
        }
    }

    fn waterfall_head(&mut self, l: &Layout) {
        let mut head = vec![
            fit_left("span", l.name_w),
            fit_right("start", NUM),
            fit_right("dur", NUM),
        ];
        if l.show_detail {
            head.push(fit_right("self", NUM));
            head.push(fit_right("gap", NUM));
        }
        head.extend(["st ".to_string(), "!".to_string(), "*".to_string()]);
        if l.show_bar {
            head.push(fit_left("timeline", l.bar_w));
        }
        self.row(
            head.into_iter()
                .map(|h| Cell::role(h, Some(Role::Dim)))
                .collect(),
        );
    }

    /// One span's row; true when its indentation was capped (and its depth marked).
    fn waterfall_row(&mut self, i: usize, name: &str, l: &Layout, mark: &str) -> bool {
        let c = self.c;
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
        let depth = c.depth(i) as usize;
        let indent = indent(depth, l.indent_cap);
        let mut cells = vec![
            Cell {
                text: fit_left(&format!("{indent}{name}"), l.name_w),
                role,
                bold: crit,
            },
            Cell::plain(fit_right(&human(c.offset_ns(i)), NUM)),
            Cell::plain(fit_right(&human(c.duration(i)), NUM)),
        ];
        if l.show_detail {
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
        if l.show_bar {
            cells.push(Cell {
                text: bar(c, i, l.bar_w),
                role,
                bold: crit,
            });
        }
        self.row(cells);
        depth.saturating_mul(2) > l.indent_cap
    }
}

/// Indentation is at most a third of the name column, in whole levels of two columns.
fn indent_cap(name_w: usize) -> usize {
    (name_w / 3) & !1
}

/// Two columns a level up to `cap`; a deeper span is drawn at `cap` with its depth (`·7 `),
/// so it cannot be taken for a sibling of the shallower rows around it.
fn indent(depth: usize, cap: usize) -> String {
    let cols = depth.saturating_mul(2);
    if cols <= cap {
        " ".repeat(cols)
    } else {
        format!("{}·{depth} ", " ".repeat(cap))
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::{diagnose, Thresholds};
    use crate::model::{IndexedTrace, Span, Trace};
    use crate::report::{timeline, Format, RenderOptions};

    use super::indent;

    /// A chain `depth` spans deep: s0 → s1 → … (each inside its parent).
    fn chain(depth: usize) -> IndexedTrace {
        let spans = (0..depth)
            .map(|k| Span {
                span_id: format!("s{k}").into(),
                parent_id: k.checked_sub(1).map(|p| format!("s{p}").into()),
                service: "svc".into(),
                operation: format!("op{k}").into(),
                start_ns: k as i64 * 1_000,
                duration_ns: (depth - k) as i64 * 2_000,
                ..Span::default()
            })
            .collect();
        let trace = Trace::with_spans("t".into(), spans);
        IndexedTrace::new(trace, None)
    }

    #[test]
    fn indentation_is_capped_in_whole_levels_and_marked_beyond() {
        assert_eq!(indent(0, 8), "");
        assert_eq!(indent(3, 8), "      ");
        assert_eq!(indent(4, 8), "        ");
        assert_eq!(indent(5, 8), "        ·5 ");
        assert_eq!(indent(12, 8), "        ·12 ");
        assert_eq!(indent(1, 0), "·1 ");
    }

    #[test]
    fn deep_rows_carry_their_depth_and_the_legend_says_so() {
        let t = chain(10);
        let d = diagnose(&t, &Thresholds::default());
        let o = RenderOptions::default();
        let out = timeline(&t, &d, Format::Table, &o);
        let rows: Vec<&str> = out.lines().filter(|l| l.contains(" ok ")).collect();
        assert_eq!(rows.len(), 10, "{out}");
        // At 80 columns four levels are indented; every deeper row is marked, none is
        // drawn like a sibling of depth 4.
        assert!(rows[4].starts_with("        svc.op4 "), "{out}");
        for (k, row) in rows.iter().enumerate().skip(5) {
            assert!(
                row.starts_with(&format!("        ·{k} svc.op{k}")),
                "{k}: {out}"
            );
        }
        assert!(
            out.contains("·N before a name: depth N (root 0), beyond the 4 levels indented"),
            "{out}"
        );
        assert!(out
            .lines()
            .all(|l| super::super::super::text::width(l) <= 80));
        // Shallow traces are drawn as before: no mark, no legend line.
        let t = chain(4);
        let d = diagnose(&t, &Thresholds::default());
        let out = timeline(&t, &d, Format::Table, &o);
        assert!(!out.contains("·N before"), "{out}");
        assert!(
            !out.lines().any(|l| l.trim_start().starts_with('·')),
            "{out}"
        );
    }

    #[test]
    fn wide_tables_mark_deep_rows_without_cutting_names() {
        let t = chain(30);
        let d = diagnose(&t, &Thresholds::default());
        let o = RenderOptions {
            wide: true,
            ..RenderOptions::default()
        };
        let out = timeline(&t, &d, Format::Table, &o);
        for k in 0..30 {
            assert!(out.contains(&format!("svc.op{k} ")), "{k} cut:\n{out}");
        }
        assert!(out.contains("·29 svc.op29"), "{out}");
        assert!(out.contains("·N before a name"));
    }

    #[test]
    fn llm_spans_mark_the_depth_beyond_their_nesting() {
        let t = chain(12);
        let d = diagnose(&t, &Thresholds::default());
        let out = timeline(&t, &d, Format::Llm, &RenderOptions::default());
        assert!(
            out.contains("\n                - svc: op8 +8µs 8µs [critical]\n"),
            "{out}"
        );
        assert!(
            out.contains("\n                - ·9 svc: op9 +9µs 6µs"),
            "{out}"
        );
        assert!(
            out.contains("\n                - ·11 svc: op11 +11µs 2µs"),
            "{out}"
        );
        assert!(
            out.contains("\n_·N before a name: depth N (root 0), beyond the 8 levels nested._"),
            "{out}"
        );
        // Within 8 levels nothing is marked or explained.
        let t = chain(9);
        let d = diagnose(&t, &Thresholds::default());
        let out = timeline(&t, &d, Format::Llm, &RenderOptions::default());
        assert!(!out.contains("·N before") && !out.contains("- ·"), "{out}");
    }
}
