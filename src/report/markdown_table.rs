//! Markdown tables (GitHub-flavoured), written one way with one escaping rule for every
//! cell, whichever report they belong to.
//!
//! A cell is one line of inline Markdown. Trace-supplied text inside it is first made inert
//! by [`clean`] (control characters and bidirectional overrides become visible escapes such
//! as `\n`); then a pipe that is not already escaped becomes `\|` so it cannot end the cell,
//! a line break becomes a space and any control character left is removed, so a row stays a
//! row. Cells may carry Markdown the renderer wrote on purpose (`` `id` ``, `**FAIL**`,
//! `<br>`, text escaped with `text::md`): none of it is touched, and a pipe `md` already
//! escaped is not escaped twice.

use super::grid::Align;
use super::text::clean;

/// One column: its header and how its cells are aligned.
pub struct Col {
    pub header: &'static str,
    pub align: Align,
}

impl Col {
    pub fn left(header: &'static str) -> Col {
        Col {
            header,
            align: Align::Left,
        }
    }
    pub fn right(header: &'static str) -> Col {
        Col {
            header,
            align: Align::Right,
        }
    }
}

/// The header line, the alignment line and one line per row, each ending in a newline.
/// A row shorter than the header is padded with empty cells; extra cells are dropped.
pub fn table<R>(cols: &[Col], rows: R) -> String
where
    R: IntoIterator,
    R::Item: IntoIterator,
    <R::Item as IntoIterator>::Item: AsRef<str>,
{
    let mut out = line(cols.iter().map(|c| cell(c.header)));
    let rule: Vec<&str> = cols
        .iter()
        .map(|c| match c.align {
            Align::Left => "---",
            Align::Right => "---:",
        })
        .collect();
    out.push_str(&format!("|{}|\n", rule.join("|")));
    for row in rows {
        let mut cells: Vec<String> = row
            .into_iter()
            .take(cols.len())
            .map(|s| cell(s.as_ref()))
            .collect();
        cells.resize(cols.len(), String::new());
        out.push_str(&line(cells.into_iter()));
    }
    out
}

fn line(cells: impl Iterator<Item = String>) -> String {
    format!("| {} |\n", cells.collect::<Vec<_>>().join(" | "))
}

/// The one escaping rule for a cell (see the module documentation).
pub fn cell(s: &str) -> String {
    let s = clean(s);
    let mut out = String::with_capacity(s.len() + 2);
    let mut prev = None;
    for c in s.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            '|' if prev != Some('\\') => out.push_str("\\|"),
            c => out.push(c),
        }
        prev = Some(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_alignment_and_rows() {
        let t = table(
            &[Col::left("Name"), Col::right("N")],
            [vec!["a", "1"], vec!["b"]],
        );
        assert_eq!(t, "| Name | N |\n|---|---:|\n| a | 1 |\n| b |  |\n");
    }

    #[test]
    fn cells_cannot_break_the_row() {
        assert_eq!(cell("a|b"), "a\\|b");
        // Already escaped (by `text::md`): left as it is.
        assert_eq!(cell("a\\|b"), "a\\|b");
        // Trace text is cleaned first: escapes stay visible, nothing reaches the terminal.
        assert_eq!(cell("x\ny\x1b[2J"), "x\\ny\\x1b[2J");
        assert_eq!(cell("r\u{202e}l"), "r\\u{202e}l");
        assert_eq!(cell("**FAIL**<br>`id`"), "**FAIL**<br>`id`");
    }
}
