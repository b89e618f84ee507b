//! Neutralising trace-supplied text. Span names, services, messages and the first bytes of
//! an unrecognised input come from whoever wrote them: they are data, not markup. A span
//! named `\x1b[2J` must not clear the reader's terminal, and a newline in an operation name
//! must not break a table row or a one-line error message. Readers quote such text in their
//! errors and every report prints it, so the cleaner sits below both.

use std::fmt::Write as _;

/// Make trace-supplied text inert for a terminal or a one-line cell: control characters
/// (ESC, newlines, tabs, C1 controls, DEL) and bidirectional overrides (which can reorder
/// what the reader sees) are replaced by visible escapes such as `\x1b`, `\n`, `\u{202e}`.
pub fn clean(s: &str) -> String {
    if !s.chars().any(needs_escape) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !needs_escape(c) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    out
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning() {
        assert_eq!(clean("a\x1b[31mb\nc"), "a\\x1b[31mb\\nc");
        assert_eq!(clean("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(clean("plain 名前"), "plain 名前");
    }
}
