//! Folded (collapsed) stacks: `root;caller;leaf COUNT`, one line per stack, as written by
//! Brendan Gregg's stackcollapse scripts, inferno and py-spy's `--format raw`.
//!
//! The count is the last whitespace-separated token; everything before it is the stack, so
//! frame names may contain spaces (`handle (app.py:12)`).
//!
//! Profilers also write lines that carry a count but no frame: py-spy writes ` 4` for
//! samples in which it read no stack (a thread between two Python frames, which
//! `--nonblocking` catches often on threaded servers), others write `;;; 4`. Those are
//! samples too: they are kept with an empty stack, so the statistics can leave them out
//! and the report can say how many there were, instead of refusing the whole file.

use crate::model::profile::{Profile, ProfileFormat, Sample, ValueType};

/// Parse one folded line into (stack, count); None for a line that is not one.
fn split_line(line: &str) -> Option<(&str, u64)> {
    let line = line.trim_end();
    let (stack, count) = line.rsplit_once([' ', '\t'])?;
    let count = parse_count(count)?;
    let stack = stack.trim_end();
    (!stack.is_empty()).then_some((stack, count))
}

/// A line with a count and no frame (` 4`, `;; 4`): samples in which no stack was read.
fn no_stack_count(line: &str) -> Option<u64> {
    let line = line.trim();
    let (stack, count) = match line.rsplit_once([' ', '\t']) {
        Some((stack, count)) => (stack, count),
        None => ("", line),
    };
    let count = parse_count(count)?;
    stack
        .split(';')
        .all(|f| f.trim().is_empty())
        .then_some(count)
}

/// Whether `line` is a folded line: a stack with a count, or a count without a stack.
fn is_line(line: &str) -> bool {
    split_line(line).is_some_and(|(stack, _)| !stack.split(';').all(|f| f.trim().is_empty()))
        || no_stack_count(line).is_some()
}

/// Integer counts, and decimal ones rounded (some collapsers write `12.0`).
fn parse_count(s: &str) -> Option<u64> {
    if let Ok(n) = s.parse::<u64>() {
        return Some(n);
    }
    let f: f64 = s.parse().ok()?;
    (0.0..1.8e19).contains(&f).then(|| f.round() as u64)
}

/// Whether every non-empty line of `text` is a folded line, and at least one has a stack
/// (a file of bare numbers is not a profile).
pub fn looks_like(text: &str) -> bool {
    let mut any = false;
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        if !is_line(line) {
            return false;
        }
        any |= no_stack_count(line).is_none();
    }
    any
}

/// Whether every non-empty line ends in two counts (`stack before after`).
pub fn looks_differential(text: &str) -> bool {
    let mut any = false;
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        if no_stack_count(line).is_some() {
            continue;
        }
        match split_line(line) {
            Some((rest, _)) if split_line(rest).is_some() => any = true,
            _ => return false,
        }
    }
    any
}

fn intern_stack(p: &mut Profile, stack: &str) -> Vec<u32> {
    stack
        .split(';')
        .filter(|f| !f.is_empty())
        .map(|f| p.intern(f))
        .collect()
}

/// Parse folded stacks. Every line must parse: a silently skipped line would change the
/// totals the statistics rest on. Lines without a frame become samples with an empty
/// stack ("no stack"), which every reader counts apart.
pub fn parse(text: &str, format: ProfileFormat) -> Result<Profile, String> {
    let mut p = Profile::new(format, vec![ValueType::new("samples", "count")]);
    let mut with_stack = false;
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let (stack, count) = if let Some(count) = no_stack_count(line) {
            (Vec::new(), count)
        } else if let Some((stack, count)) = split_line(line) {
            (intern_stack(&mut p, stack), count)
        } else {
            return Err(format!(
                "line {}: not a folded stack line (`frame;frame;... COUNT`)",
                n + 1
            ));
        };
        if count == 0 {
            continue;
        }
        with_stack |= !stack.is_empty();
        p.samples.push(Sample {
            stack,
            values: vec![i64::try_from(count).unwrap_or(i64::MAX)],
            labels: Vec::new(),
        });
    }
    if !with_stack {
        return Err("no stacks with a positive count".into());
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::profile::test_support::totals;

    #[test]
    fn frame_names_with_spaces_and_numbers() {
        let p = parse(
            "main (app.py:1);work 2 (x) 7\nmain (app.py:1) 3\n",
            ProfileFormat::Folded,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(totals(&p), vec![10]);
        assert_eq!(p.frame(1), "work 2 (x)");
    }

    #[test]
    fn bad_lines_are_errors() {
        assert!(parse("a;b\n", ProfileFormat::Folded).is_err());
        assert!(parse("", ProfileFormat::Folded).is_err());
        assert!(parse("a;b -3\n", ProfileFormat::Folded).is_err());
        // Only samples without a stack: nothing to profile.
        assert!(parse(" 4\n", ProfileFormat::Folded).is_err());
    }

    /// py-spy `--nonblocking` on a threaded server: a line ` 1` between real stacks.
    #[test]
    fn lines_without_a_frame_are_no_stack_samples() {
        let text = "<module> (svc.py:1);serve (svc.py:9) 5\n 4\n;; 2\n3\nmain;work 1\n";
        assert!(looks_like(text));
        assert!(!looks_differential(text));
        let p = parse(text, ProfileFormat::Folded).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(totals(&p), vec![15]);
        let no_stack: i64 = p
            .samples
            .iter()
            .filter(|s| s.stack.is_empty())
            .map(|s| s.values[0])
            .sum();
        assert_eq!(no_stack, 9);
        assert!(!looks_like("1\n2\n"));
    }
}
