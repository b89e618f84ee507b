//! Colour, on or off. Every escape sequence the report layer emits goes through here, so
//! `--color never` (or a pipe) guarantees plain text: [`Painter::paint`] returns its input
//! untouched when colour is off.
//!
//! Colour is applied to text that is already cleaned, truncated and padded: escape codes
//! have no display width, so colouring last keeps the column arithmetic exact.

use owo_colors::Style;

/// What a piece of text means; the mapping to colours lives only here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Error,
    Anomaly,
    /// Section titles and the top root cause.
    Heading,
    /// Secondary text: units, column headers, omission notes.
    Dim,
}

#[derive(Clone, Copy, Debug)]
pub struct Painter {
    pub color: bool,
}

impl Painter {
    pub fn new(color: bool) -> Painter {
        Painter { color }
    }

    /// `text` in the colour of `role`, bold when `bold` (critical-path rows).
    pub fn paint(&self, text: &str, role: Option<Role>, bold: bool) -> String {
        if !self.color || text.is_empty() || (role.is_none() && !bold) {
            return text.to_string();
        }
        let mut st = Style::new();
        st = match role {
            Some(Role::Error) => st.red(),
            Some(Role::Anomaly) => st.yellow(),
            Some(Role::Heading) => st.bold(),
            Some(Role::Dim) => st.dimmed(),
            None => st,
        };
        if bold {
            st = st.bold();
        }
        st.style(text).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_means_plain() {
        let p = Painter::new(false);
        assert_eq!(p.paint("x", Some(Role::Error), true), "x");
        let p = Painter::new(true);
        assert!(p.paint("x", Some(Role::Error), true).contains('\x1b'));
        assert_eq!(p.paint("", Some(Role::Error), true), "");
    }
}
