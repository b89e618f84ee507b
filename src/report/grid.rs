//! Column layout for the cross-trace tables (similar, compare, stats): every line fits the
//! width unless `wide`; flexible columns (names) give way first and are cut with `…`.
//! Cells arrive cleaned; colour is applied after padding (see `style.rs`).

use super::style::{Painter, Role};
use super::text::{fit_left, fit_right, width};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

pub struct Column {
    pub header: &'static str,
    pub align: Align,
    /// Shrinks (down to `min`) when the line is too wide.
    pub flexible: bool,
    pub min: usize,
}

impl Column {
    pub fn left(header: &'static str) -> Column {
        Column {
            header,
            align: Align::Left,
            flexible: false,
            min: 1,
        }
    }
    pub fn right(header: &'static str) -> Column {
        Column {
            header,
            align: Align::Right,
            flexible: false,
            min: 1,
        }
    }
    pub fn flex(header: &'static str, min: usize) -> Column {
        Column {
            header,
            align: Align::Left,
            flexible: true,
            min,
        }
    }
}

pub struct Cell {
    pub text: String,
    pub role: Option<Role>,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            role: None,
        }
    }
    pub fn role(text: impl Into<String>, role: Option<Role>) -> Cell {
        Cell {
            text: text.into(),
            role,
        }
    }
}

/// The header line (dimmed) and one line per row, columns separated by one space.
pub fn lay_out(
    cols: &[Column],
    rows: &[Vec<Cell>],
    total: usize,
    wide: bool,
    p: Painter,
) -> Vec<String> {
    let mut w: Vec<usize> = cols.iter().map(|c| width(c.header)).collect();
    for r in rows {
        for (k, cell) in r.iter().enumerate() {
            if let Some(slot) = w.get_mut(k) {
                *slot = (*slot).max(width(&cell.text));
            }
        }
    }
    if !wide {
        let gaps = cols.len().saturating_sub(1);
        // Take a column from the widest flexible column until the line fits.
        while w.iter().sum::<usize>() + gaps > total {
            let widest = cols
                .iter()
                .enumerate()
                .filter(|(k, c)| c.flexible && w[*k] > c.min)
                .max_by_key(|(k, _)| w[*k])
                .map(|(k, _)| k);
            match widest {
                Some(k) => w[k] -= 1,
                None => break,
            }
        }
    }
    let fit = |text: &str, k: usize| -> String {
        let cw = w.get(k).copied().unwrap_or(0);
        match cols.get(k).map_or(Align::Left, |c| c.align) {
            Align::Left => fit_left(text, cw),
            Align::Right => fit_right(text, cw),
        }
    };
    let mut out = Vec::with_capacity(rows.len() + 1);
    let header: Vec<String> = cols
        .iter()
        .enumerate()
        .map(|(k, c)| fit(c.header, k))
        .collect();
    out.push(p.paint(header.join(" ").trim_end(), Some(Role::Dim), false));
    for r in rows {
        let parts: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(k, cell)| p.paint(&fit(&cell.text, k), cell.role, false))
            .collect();
        out.push(parts.join(" ").trim_end().to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_the_width_by_shrinking_flexible_columns() {
        let cols = [
            Column::left("ID"),
            Column::flex("NAME", 4),
            Column::right("N"),
        ];
        let rows = vec![vec![
            Cell::new("abc"),
            Cell::new("a-very-long-operation-name-indeed"),
            Cell::new("12"),
        ]];
        let lines = lay_out(&cols, &rows, 20, false, Painter::new(false));
        assert!(lines.iter().all(|l| width(l) <= 20), "{lines:?}");
        assert!(lines[1].contains('…'));
        let lines = lay_out(&cols, &rows, 20, true, Painter::new(false));
        assert!(lines[1].contains("indeed"));
    }
}
