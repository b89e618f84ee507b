//! The gaps table: one row per uninstrumented stretch at least `--gap-threshold` long,
//! largest first, and a line counting what was left out.

use crate::analysis::gaps::GapPosition;

use super::super::gap_list::listing;
use super::super::style::Role;
use super::super::text::{clean, fit_left, fit_right, human, width};
use super::super::waterfall::{leg_word, position_word};
use super::super::Ctx;
use super::{Cell, Out};

pub fn gaps(c: &Ctx) -> String {
    let mut o = Out::new(c);
    o.header();
    o.blank();
    if c.d.gaps.is_empty() {
        o.line(
            "No gaps: every span's time is covered by its children or it has none.",
            None,
        );
        return o.finish();
    }
    let list = listing(c);
    if list.shown.is_empty() {
        o.para(&list.nothing_listed(c.o.max_spans), "", "", None);
    } else {
        rows(&mut o, &list.shown);
        if let Some(reason) = list.omitted_reason(c.o.max_spans) {
            o.para(
                &format!("not listed: {reason}"),
                "… ",
                "  ",
                Some(Role::Dim),
            );
        }
    }
    let after_last =
        c.d.gaps
            .iter()
            .filter(|g| g.position == GapPosition::AfterLastChild)
            .count();
    o.line(
        &format!(
            "{} gaps in all, {} after a last child (waiting for a response or cleanup)",
            c.d.gaps.len(),
            after_last
        ),
        Some(Role::Dim),
    );
    o.finish()
}

fn rows(o: &mut Out, shown: &[usize]) {
    let c = o.c;
    const POS: usize = 12;
    const LEG: usize = 8;
    const NUM: usize = 7;
    let names: Vec<String> = shown
        .iter()
        .filter_map(|&g| c.d.gaps.get(g))
        .map(|g| clean(&c.label(g.span())))
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
    for (&gi, name) in shown.iter().zip(&names) {
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
}
