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
        for (&i, name) in sel.spans.iter().zip(&names) {
            self.waterfall_row(i, name, &l, mark);
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
        let (name_w, bar_w) = if c.o.wide {
            let longest = spans
                .iter()
                .zip(names)
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
        Layout {
            name_w,
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

    fn waterfall_row(&mut self, i: usize, name: &str, l: &Layout, mark: &str) {
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
        // Indent by depth, at most a third of the name column, in whole levels.
        let cap = (l.name_w / 3) & !1;
        let indent = " ".repeat((c.depth(i) as usize).saturating_mul(2).min(cap));
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
    }
}
