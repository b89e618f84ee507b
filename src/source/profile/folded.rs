//! Folded (collapsed) stacks: `root;caller;leaf COUNT`, one line per stack, as written by
//! Brendan Gregg's stackcollapse scripts, inferno and py-spy's `--format raw`.
//!
//! The count is the last whitespace-separated token; everything before it is the stack, so
//! frame names may contain spaces (`handle (app.py:12)`).

use crate::model::profile::{Profile, ProfileFormat, Sample, ValueType};

/// Parse one folded line into (stack, count); None for a line that is not one.
fn split_line(line: &str) -> Option<(&str, u64)> {
    let line = line.trim_end();
    let (stack, count) = line.rsplit_once([' ', '\t'])?;
    let count = parse_count(count)?;
    let stack = stack.trim_end();
    (!stack.is_empty()).then_some((stack, count))
}

/// Integer counts, and decimal ones rounded (some collapsers write `12.0`).
fn parse_count(s: &str) -> Option<u64> {
    if let Ok(n) = s.parse::<u64>() {
        return Some(n);
    }
    let f: f64 = s.parse().ok()?;
    (0.0..1.8e19).contains(&f).then(|| f.round() as u64)
}

/// Whether every non-empty line of `text` is a folded line.
pub fn looks_like(text: &str) -> bool {
    let mut any = false;
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        if split_line(line).is_none() {
            return false;
        }
        any = true;
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
/// totals the statistics rest on.
pub fn parse(text: &str, format: ProfileFormat) -> Result<Profile, String> {
    let mut p = Profile::new(format, vec![ValueType::new("samples", "count")]);
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let Some((stack, count)) = split_line(line) else {
            return Err(format!(
                "line {}: not a folded stack line (`frame;frame;... COUNT`)",
                n + 1
            ));
        };
        if count == 0 {
            continue;
        }
        let stack = intern_stack(&mut p, stack);
        if stack.is_empty() {
            continue;
        }
        p.samples.push(Sample {
            stack,
            values: vec![i64::try_from(count).unwrap_or(i64::MAX)],
            labels: Vec::new(),
        });
    }
    if p.samples.is_empty() {
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
    }
}
