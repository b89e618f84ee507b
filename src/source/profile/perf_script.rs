//! `perf script` text, collapsed by inferno's perf collapser (the same code as
//! `inferno-collapse-perf`), then read as folded stacks.
//!
//! inferno weights each event by its period when `perf script` prints one (`250000
//! cpu-clock:uhH:`), so the counts are then nanoseconds of cpu-clock, not samples; the
//! sample type says which.

use std::borrow::Cow;

use inferno::collapse::perf::{Folder, Options};
use inferno::collapse::Collapse;

use crate::model::profile::{Profile, ProfileFormat, ValueType};

/// Collapse `perf script` output to folded stacks, exactly as `inferno-collapse-perf` with
/// default options does.
///
/// Leading blank and comment lines are skipped. inferno learns which event to keep from the
/// first sample and asserts that it found one, so input whose first sample does not begin
/// with an event header (`comm pid [cpu] time: [period] event:`) is refused here, as is input
/// whose event periods add up past what inferno's `u64` counters hold. Frame names may hold
/// any character (see [`escape`]).
pub fn collapse(text: &str) -> Result<String, String> {
    let original = text;
    let text = skip_preamble(text);
    if let Some(first) = text.lines().next() {
        if event_header(first.trim_end()).is_none() {
            let line = original[..original.len() - text.len()]
                .matches('\n')
                .count()
                + 1;
            let short: String = first.trim().chars().take(60).collect();
            return Err(format!(
                "not perf script output: the first sample (line {line}) has no event header \
                 (`comm pid [cpu] time: [period] event:`), it starts with \"{}\"",
                crate::text::clean(&short)
            ));
        }
    }
    // Only samples under an event header are counted, each by its period (else 1); a
    // stack line that happens to parse as a header only makes the bound safer.
    let mut total: u64 = 0;
    for line in text.lines() {
        let Some(period) = event_header(line.trim_end()) else {
            continue;
        };
        let weight = period.unwrap_or(1);
        total = total.checked_add(weight).ok_or_else(|| {
            "perf script: the event periods add up to more than 2^64; not a real profile"
                .to_string()
        })?;
    }
    let mut opts = Options::default();
    // One thread: the collapse is fast and its output order must not depend on scheduling.
    opts.nthreads = 1;
    let mut folder = Folder::from(opts);
    let mut out = Vec::new();
    let escaped = escape(text);
    folder
        .collapse(escaped.as_bytes(), &mut out)
        .map_err(|e| format!("cannot collapse perf script output: {e}"))?;
    let out =
        String::from_utf8(out).map_err(|e| format!("perf collapse produced invalid UTF-8: {e}"))?;
    Ok(match escaped {
        Cow::Borrowed(_) => out,
        Cow::Owned(_) => unescape_folded(&out),
    })
}

/// Text for inferno with every non-ASCII character, and `\` (the escape character), written
/// as `\u{HEX}`.
///
/// inferno's Rust-symbol fix-up slices each frame name 17 bytes from its end and panics when
/// a multi-byte character straddles that byte. Escaped, the text is ASCII, and inferno reads
/// it the same way: an escape holds no space, `:`, `;`, `/`, `(`, `$`, `.`, `+`, `-`, `>` or
/// `[`, its `{…}` balance inferno's bracket counting, and a frame name ending in (part of) one
/// cannot look like a Rust hash (`h` and 16 hex digits), as the original could not either.
fn escape(text: &str) -> Cow<'_, str> {
    if text.bytes().all(|b| b.is_ascii() && b != b'\\') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for c in text.chars() {
        if c.is_ascii() && c != '\\' {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        }
    }
    Cow::Owned(out)
}

/// Folded output of escaped text with the characters restored, and its lines sorted again
/// as inferno sorts them (by stack, in byte order), which escaping had changed.
fn unescape_folded(folded: &str) -> String {
    let mut lines: Vec<String> = folded.lines().map(unescape).collect();
    lines.sort_by(|a, b| {
        let key = |l: &'_ str| l.rsplit_once(' ').map_or(l, |(k, _)| k).to_string();
        key(a).cmp(&key(b))
    });
    let mut out = String::with_capacity(folded.len());
    for l in lines {
        out.push_str(&l);
        out.push('\n');
    }
    out
}

/// Undo [`escape`] on one line.
fn unescape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find("\\u{") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 3..];
        let decoded = after.find('}').and_then(|end| {
            let c = u32::from_str_radix(&after[..end], 16)
                .ok()
                .and_then(char::from_u32)?;
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push_str("\\u{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `text` from its first line that is neither blank nor a comment (`#` in the first
/// column, as `perf script` writes its header).
fn skip_preamble(text: &str) -> &str {
    let mut rest = text;
    while !rest.is_empty() {
        let (line, next) = match rest.find('\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        if !line.trim().is_empty() && !line.starts_with('#') {
            break;
        }
        rest = next;
    }
    rest
}

/// When `line` is an event header as inferno's perf collapser reads one (a command, an
/// all-digit `pid` or `pid/tid` word, then `time: [period] event:`): Some, with the
/// event's period when it gives one. Mirrors inferno's `event_line_parts` and the event
/// lookup of `on_event_line`: an event line without a `:` after the pid names no event.
fn event_header(line: &str) -> Option<Option<u64>> {
    let mut word_start = 0;
    let mut all_digits = false;
    let mut last_was_space = false;
    let mut end = None;
    for (idx, c) in line.char_indices() {
        if c == ' ' {
            if all_digits && !last_was_space && word_start > 0 {
                end = Some(idx + 1);
                break;
            }
            word_start = idx + 1;
            all_digits = true;
        } else if c != '/' && !c.is_ascii_digit() {
            all_digits = false;
        }
        last_was_space = c == ' ';
    }
    let rest = line.get(end?..)?;
    let period_and_event = rest.split(':').nth(1)?;
    let mut words = period_and_event.rsplit(' ');
    words.next();
    Some(words.next().and_then(|p| p.parse::<u64>().ok()))
}

/// Whether `text` looks like `perf script` output (inferno's own detection).
pub fn looks_like(text: &str) -> bool {
    let mut folder = Folder::from(Options::default());
    folder.is_applicable(text) == Some(true)
}

/// The event's period, when the first event header carries one (`comm pid ts: PERIOD event:`).
fn period_event(text: &str) -> Option<(u64, String)> {
    let header = text.lines().find(|l| {
        !l.trim().is_empty() && !l.starts_with(char::is_whitespace) && !l.starts_with('#')
    })?;
    let tokens: Vec<&str> = header.split_whitespace().collect();
    let ev = tokens
        .iter()
        .skip(1)
        .position(|t| t.ends_with(':') && t.trim_end_matches(':').parse::<f64>().is_err())?
        + 1;
    let period = tokens.get(ev.checked_sub(1)?)?.parse::<u64>().ok()?;
    let name = tokens.get(ev)?.split(':').next()?.to_string();
    Some((period, name))
}

pub fn parse(text: &str) -> Result<Profile, String> {
    let folded = collapse(text)?;
    let mut p = super::folded::parse(&folded, ProfileFormat::PerfScript)
        .map_err(|e| format!("perf script: {e}"))?;
    p.sample_types = match period_event(text) {
        Some((_, ev)) if matches!(ev.as_str(), "cpu-clock" | "task-clock") => {
            vec![ValueType::new("cpu", "nanoseconds")]
        }
        Some((_, ev)) => vec![ValueType::new(&ev, "count")],
        None => vec![ValueType::new("samples", "count")],
    };
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
app 1234 [000] 10.000001: 250000 cpu-clock:uhH:
\t    55d1 work (/usr/bin/app)
\t    55c0 main (/usr/bin/app)

app 1234 [000] 10.000251: 250000 cpu-clock:uhH:
\t    55c0 main (/usr/bin/app)
";

    #[test]
    fn leading_blank_and_comment_lines_are_skipped() {
        let plain = collapse(SAMPLE).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(plain, "app;main 250000\napp;main;work 250000\n");
        let padded = format!("# perf script header\n#\n\n   \n{SAMPLE}");
        assert_eq!(collapse(&padded).as_deref(), Ok(plain.as_str()));
    }

    /// inferno asserts (panics) when the first sample names no event; this is an error.
    #[test]
    fn a_first_sample_without_an_event_header_is_an_error() {
        for text in [
            "\t    55c0 main (/usr/bin/app)\n\napp 1 1.0: cycles:\n\t 1 f (m)\n",
            "app 1234 10.0 cycles\n\t 1 f (m)\n\n",
            "go        58814f go/build.peekByte+0xcf (/usr/lib/go/bin/go)\n\n",
        ] {
            let e = collapse(text).expect_err(text);
            assert!(e.contains("no event header"), "{e}");
            assert!(parse(text).is_err());
        }
        assert_eq!(collapse("").as_deref(), Ok(""));
        assert_eq!(collapse("# only a comment\n\n").as_deref(), Ok(""));
    }

    /// inferno adds periods in a u64 and overflows (a panic in debug builds).
    #[test]
    fn periods_past_u64_are_an_error() {
        let one = "app 1 [000] 1.0: 18446744073709551615 cycles:\n\t 1 f (m)\n\n";
        assert!(collapse(one).is_ok());
        let e = collapse(&one.repeat(2)).expect_err("two huge periods");
        assert!(e.contains("2^64"), "{e}");
    }

    /// inferno panicked on a frame name with a multi-byte character 17 bytes from its end
    /// (found by fuzzing); names with any character come out as they went in.
    #[test]
    fn frame_names_with_multi_byte_characters() {
        let text = "\
app 1234 [000] 10.000001: 250000 cpu-clock:
\t    55d1 \u{e9}xxxxxxxxxxxxxxxx (/usr/bin/app)
\t    55c0 m\\ain\\u{41} (/usr/bin/app)

app 1234 [000] 10.000251: 250000 cpu-clock:
\t    55c0 zzz (/usr/bin/app)

\u{e9}t\u{e9} 1234 [000] 10.000251: 250000 cpu-clock:
\t    55c0 \u{1f600};x (/usr/bin/app)
";
        let got = collapse(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            got,
            "app;m\\ain\\u{41};\u{e9}xxxxxxxxxxxxxxxx 250000\n\
             app;zzz 250000\n\
             \u{e9}t\u{e9};\u{1f600}:x 250000\n"
        );
        let first = collapse(
            "\u{e9}\u{e9} 1 1.0: cycles:\n\t 1 cmd/go/internal/load.(*Package).load+\u{587}219 (m)\n",
        );
        assert!(first.is_ok(), "{first:?}");
    }

    #[test]
    fn the_line_of_a_missing_event_header_counts_the_skipped_lines() {
        let e = collapse("# header\n\n\t 1 f (m)\n").expect_err("no header");
        assert!(e.contains("line 3"), "{e}");
    }

    #[test]
    fn event_headers_as_inferno_reads_them() {
        assert_eq!(
            event_header("java 25607 4794564.109216: cycles:"),
            Some(None)
        );
        assert_eq!(
            event_header("vote   913    72.176760:     257597 cycles:uppp:"),
            Some(Some(257_597))
        );
        assert_eq!(
            event_header("V8 WorkerThread 24636/25607 [000] 94564.109216: cycles:"),
            Some(None)
        );
        assert_eq!(event_header("java 25607 4794564.109216 cycles"), None);
        assert_eq!(event_header("\t 55c0 main (/usr/bin/app)"), None);
        assert_eq!(
            event_header("1234 5: x:"),
            None,
            "no command before the pid"
        );
    }
}
