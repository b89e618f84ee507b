//! py-spy's `--format raw` output: folded stacks whose frames read `function (file:line)`.
//!
//! Without `-F`/`--function` py-spy writes the line being executed, so one function splits
//! into as many frames as it has hot lines and cohorts would not diff by function. The line
//! number is therefore dropped: `handle (app.py:42)` becomes `handle (app.py)`.

use crate::model::profile::{Profile, ProfileFormat};

/// `name (file:line)` → Some(`name (file)`).
fn function_of(frame: &str) -> Option<String> {
    let inner = frame.strip_suffix(')')?;
    let open = inner.rfind(" (")?;
    let (name, loc) = (&inner[..open], &inner[open + 2..]);
    let (file, line) = loc.rsplit_once(':')?;
    if name.is_empty() || line.is_empty() || !line.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!("{name} ({file})"))
}

/// Whether the folded text was written by py-spy: most distinct frames are `name (file:line)`.
pub fn looks_like(text: &str) -> bool {
    let mut seen = 0usize;
    let mut py = 0usize;
    for line in text.lines().take(200) {
        let Some((stack, _)) = line.trim_end().rsplit_once(' ') else {
            continue;
        };
        // ` 4` (samples without a stack) says nothing about whose frames these are.
        for f in stack.split(';').filter(|f| !f.trim().is_empty()) {
            seen += 1;
            if function_of(f).is_some() {
                py += 1;
            }
        }
    }
    seen > 0 && py * 2 > seen
}

pub fn parse(text: &str) -> Result<Profile, String> {
    let folded = super::folded::parse(text, ProfileFormat::PySpy)?;
    // Re-intern with line numbers dropped; stacks are remapped frame by frame.
    let mut p = Profile::new(ProfileFormat::PySpy, folded.sample_types.clone());
    let map: Vec<u32> = folded
        .frames
        .iter()
        .map(|f| p.intern(&function_of(f).unwrap_or_else(|| f.clone())))
        .collect();
    for mut s in folded.samples {
        for f in &mut s.stack {
            *f = map.get(*f as usize).copied().unwrap_or(*f);
        }
        p.samples.push(s);
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_line_numbers() {
        assert_eq!(
            function_of("slow (app.py:12)").as_deref(),
            Some("slow (app.py)")
        );
        assert_eq!(
            function_of("<module> (<frozen site>:1)").as_deref(),
            Some("<module> (<frozen site>)")
        );
        assert_eq!(function_of("main"), None);
        assert_eq!(function_of("x (y:z)"), None);
    }
}
