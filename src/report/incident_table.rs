//! `root-cause --window` and `cohorts` for a terminal: every line fits the width unless
//! `wide`. Names are cut with `…` (by display width), the evidence is word-wrapped because it
//! is worth reading whole, and times read `2025-10-22 16:21:12` as in every table.

use crate::analysis::cohort::CohortComparison;
use crate::analysis::incident::{Incident, RankedService};
use crate::time::Range as Period;

use super::grid::{lay_out, Cell, Column};
use super::incident_words::{cohorts_head, describe, significance_line};
use super::style::Painter;
use super::text::{clean, clock, human, truncate, width, wrap};
use super::RenderOptions;

/// Lines as they are fitted: cut to the width, or word-wrapped, unless wide.
struct Fit<'o> {
    o: &'o RenderOptions,
    lines: Vec<String>,
}

impl Fit<'_> {
    fn width(&self) -> usize {
        self.o.width.max(1)
    }

    /// One line, cut with `…` when it does not fit.
    fn line(&mut self, s: &str) {
        let s = if self.o.wide {
            s.to_string()
        } else {
            truncate(s, self.width())
        };
        self.lines.push(s.trim_end().to_string());
    }

    /// A paragraph: word-wrapped, the lines after the first indented by `rest`.
    fn para(&mut self, s: &str, first: &str, rest: &str) {
        if self.o.wide {
            self.lines.push(format!("{first}{s}"));
            return;
        }
        for l in wrap(s, self.width(), first, rest) {
            self.lines.push(l.trim_end().to_string());
        }
    }

    fn finish(self) -> String {
        self.lines.iter().map(|l| format!("{l}\n")).collect()
    }
}

/// `2023-01-29 08:40:30 .. 08:41:00 UTC`: the end's date only when it differs.
fn range(r: Period) -> String {
    let (start, end) = (clock(r.start_ns), clock(r.end_ns));
    let end = match (start.split_once(' '), end.split_once(' ')) {
        (Some((d1, _)), Some((d2, t2))) if d1 == d2 => t2.to_string(),
        _ => end,
    };
    format!("{start} .. {end} UTC")
}

/// The window ranking: what was compared, whether anything moved, then each service with
/// its strongest evidence.
pub fn window(inc: &Incident, window: Period, baseline: Period, o: &RenderOptions) -> String {
    let mut f = Fit {
        o,
        lines: Vec::new(),
    };
    f.line(&format!(
        "window {} ({} traces)",
        range(window),
        inc.window_traces
    ));
    f.line(&format!(
        "against baseline {} ({} traces)",
        range(baseline),
        inc.baseline_traces
    ));
    f.lines.push(String::new());
    f.para(significance_line(inc).trim_end(), "", "");
    if inc.with_evidence().next().is_some() {
        f.lines.push(String::new());
    }
    for s in inc.with_evidence() {
        rank_lines(&mut f, s);
    }
    f.finish()
}

/// `  1. back  score 105.26` (the name gives way to the score) and up to three evidence
/// paragraphs under it.
fn rank_lines(f: &mut Fit, s: &RankedService) {
    let rank = format!("{:>3}. ", s.rank);
    let score = format!("  score {:.2}", s.score);
    let name = clean(&s.service);
    let name = if f.o.wide {
        name
    } else {
        let room = f.width().saturating_sub(width(&rank) + width(&score));
        truncate(&name, room.max(1))
    };
    f.line(&format!("{rank}{name}{score}"));
    for e in s.evidence.iter().take(3) {
        f.para(&clean(&describe(e)), "       ", "         ");
    }
}

/// The cohort comparison as a table: per service.operation the critical-path shares, their
/// change, the self time per trace and where an operation ran in one cohort only (worded as
/// `compare` words it); the name column gives way first.
pub fn cohorts(c: &CohortComparison, a: &str, b: &str, o: &RenderOptions) -> String {
    let mut f = Fit {
        o,
        lines: Vec::new(),
    };
    for l in cohorts_head(c, &clean(a), &clean(b)).lines() {
        f.line(l);
    }
    let cols = [
        Column::flex("SERVICE.OPERATION", 12),
        Column::right("CP% A"),
        Column::right("CP% B"),
        Column::right("Δ CP%"),
        Column::right("SELF A"),
        Column::right("SELF B"),
        Column::left(""),
    ];
    let ms = |v: f64| human((v * 1e6).round() as i64);
    let rows: Vec<Vec<Cell>> = c
        .rows
        .iter()
        .map(|r| {
            vec![
                // Names come from the traces: cleaned before they are cut to the column.
                Cell::new(clean(&format!("{}.{}", r.service, r.operation))),
                Cell::new(format!("{:.1}%", r.a_share * 100.0)),
                Cell::new(format!("{:.1}%", r.b_share * 100.0)),
                Cell::new(format!("{:+.1}", (r.a_share - r.b_share) * 100.0)),
                Cell::new(ms(r.a_self_ms)),
                Cell::new(ms(r.b_self_ms)),
                Cell::new(match r.presence() {
                    "only_a" => "only in A",
                    "only_b" => "only in B",
                    _ => "",
                }),
            ]
        })
        .collect();
    f.lines.extend(lay_out(
        &cols,
        &rows,
        o.width,
        o.wide,
        Painter::new(o.color),
    ));
    f.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_names_the_end_date_only_when_it_differs() {
        let t0 = 1_674_981_630_000_000_000; // 2023-01-29T08:40:30Z
        let same = Period {
            start_ns: t0,
            end_ns: t0 + 30_000_000_000,
        };
        assert_eq!(range(same), "2023-01-29 08:40:30 .. 08:41:00 UTC");
        let next = Period {
            start_ns: t0,
            end_ns: t0 + 86_400_000_000_000,
        };
        assert_eq!(
            range(next),
            "2023-01-29 08:40:30 .. 2023-01-30 08:40:30 UTC"
        );
    }
}
