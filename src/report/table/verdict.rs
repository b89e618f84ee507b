//! The verdict line, the time breakdown and the handled errors in the terminal table.

use super::super::style::Role;
use super::super::verdict_text::{breakdown_lines, extent_note, handled_lines, headline};
use super::Out;
use crate::analysis::verdict::Verdict;

impl Out<'_, '_> {
    pub(super) fn verdict(&mut self) {
        let c = self.c;
        if let Some(note) = extent_note(c) {
            self.para(&note, "", "  ", None);
        }
        self.blank();
        let role = match c.v.verdict {
            Verdict::Ok => None,
            Verdict::Slow | Verdict::Partial => Some(Role::Anomaly),
            Verdict::Failed | Verdict::Broken => Some(Role::Error),
        };
        self.para(&headline(c), "Verdict: ", "  ", role);
    }

    pub(super) fn time_breakdown(&mut self) {
        let lines = breakdown_lines(self.c);
        if lines.is_empty() {
            return;
        }
        self.blank();
        self.line("Where the time went", None);
        for l in lines {
            self.para(&l, "  - ", "    ", None);
        }
    }

    pub(super) fn handled_errors(&mut self) {
        let lines = handled_lines(self.c);
        if lines.is_empty() {
            return;
        }
        self.blank();
        self.line("Handled errors", None);
        for l in lines {
            self.para(&l, "  - ", "    ", None);
        }
    }
}
