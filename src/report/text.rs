//! Text helpers shared by every format: human durations, JSON millisecond numbers, RFC 3339
//! timestamps, display-width truncation and wrapping, and neutralising of trace-supplied
//! text.
//!
//! Span names, services and messages come from whoever emitted the trace. They are data, not
//! markup: a span named `\x1b[2J` must not clear the SRE's terminal, and a newline in an
//! operation name must not break a table row. [`clean`] is applied to every such string
//! before any layout or colouring.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub use crate::text::clean;

/// A duration for people: `238.9s`, `82.5s`, `850ms`, `1.2ms`, `35µs`, `120ns`.
/// Long durations switch to minutes and hours so the column stays narrow (`16.7m`, `2.5h`).
pub fn human(ns: i64) -> String {
    if ns < 0 {
        // unsigned_abs: i64::MIN has no positive i64 counterpart.
        return format!("-{}", human_abs(ns.unsigned_abs()));
    }
    human_abs(ns as u64)
}

fn human_abs(ns: u64) -> String {
    const US: f64 = 1e3;
    const MS: f64 = 1e6;
    const S: f64 = 1e9;
    let f = ns as f64;
    if ns == 0 {
        "0".to_string()
    } else if ns < 1_000 {
        format!("{ns}ns")
    } else if f < MS {
        small_unit(f / US, "µs")
    } else if f < S {
        small_unit(f / MS, "ms")
    } else if f < 1_000.0 * S {
        format!("{:.1}s", f / S)
    } else if f < 100.0 * 60.0 * S {
        format!("{:.1}m", f / (60.0 * S))
    } else {
        format!("{:.1}h", f / (3600.0 * S))
    }
}

/// One decimal below 10 units (`1.2ms`), whole units above (`850ms`): precision where it
/// is readable, short where it is not needed.
fn small_unit(v: f64, unit: &str) -> String {
    if v < 9.95 {
        let s = format!("{v:.1}");
        let s = s.strip_suffix(".0").unwrap_or(&s);
        format!("{s}{unit}")
    } else {
        format!("{v:.0}{unit}")
    }
}

/// Milliseconds as the seed's reports print them: whole numbers when exact (`238901ms`),
/// otherwise up to three decimals (`1.25ms`), so sub-millisecond spans do not read `0ms`.
pub fn ms_text(ns: i64) -> String {
    let v = ms(ns);
    if v.fract() == 0.0 {
        format!("{v:.0}ms")
    } else {
        let s = format!("{v:.3}");
        format!("{}ms", s.trim_end_matches('0'))
    }
}

/// Nanoseconds as JSON milliseconds, rounded to 3 decimals (whole microseconds).
pub fn ms(ns: i64) -> f64 {
    finite((ns as f64 / 1_000.0).round() / 1_000.0)
}

/// A float safe for JSON: NaN and infinities become 0 and the value is rounded to 3
/// decimals, so scores and ratios never serialise as `null` or with float noise.
pub fn finite(v: f64) -> f64 {
    if v.is_finite() {
        let r = (v * 1_000.0).round() / 1_000.0;
        if r.is_finite() {
            return r;
        }
        return v;
    }
    0.0
}

/// `2025-10-22T16:21:12.110Z`: RFC 3339, UTC, millisecond precision.
pub fn rfc3339_ms(ns: i64) -> String {
    crate::time::format_rfc3339_ms(ns)
}

/// `2025-10-22 16:21:12`: UTC to the second, the one timestamp form of every terminal table
/// and window line. Seconds are what a person compares across rows; the milliseconds stay in
/// the JSON.
pub fn clock(ns: i64) -> String {
    let s = rfc3339_ms(ns);
    // "YYYY-MM-DDTHH:MM:SS.mmmZ"
    s.get(..19).map_or(s.clone(), |t| t.replacen('T', " ", 1))
}

/// Longest trace id a table shows whole, and the width of a shortened one.
const ID_COLUMNS: usize = 17;

/// A trace id for a table column, at most 17 columns unless `wide`. Leading zeros go first,
/// down to 16 digits (an id may be given without them, so nothing is lost: a 64-bit id padded
/// to 128 bits reads as itself); an id still too long keeps its first and last 8 characters around `…`, which
/// tells apart both random ids and ids that count up at either end. `--wide` and the JSON
/// carry it whole.
pub fn short_id(id: &str, wide: bool) -> String {
    if wide || width(id) <= ID_COLUMNS {
        return id.to_string();
    }
    if !id.is_ascii() {
        return truncate(id, ID_COLUMNS);
    }
    // Down to 16 digits at most, the length of a 64-bit id.
    let digits = id.trim_start_matches('0').len().max(16);
    if digits <= ID_COLUMNS {
        return id[id.len() - digits..].to_string();
    }
    // ASCII: byte positions are character positions.
    format!("{}…{}", &id[..8], &id[id.len() - 8..])
}

/// Display width in terminal columns (CJK and most emoji count 2).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cut `s` to at most `max` columns, ending with `…` when something was cut. Cuts at char
/// boundaries by display width, so a wide character is never split or overhangs.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        // Keep one column for the ellipsis.
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Pad (or truncate) to exactly `w` columns.
pub fn fit_left(s: &str, w: usize) -> String {
    let t = truncate(s, w);
    let pad = w.saturating_sub(width(&t));
    format!("{t}{}", " ".repeat(pad))
}

/// Right-aligned in exactly `w` columns.
pub fn fit_right(s: &str, w: usize) -> String {
    let t = truncate(s, w);
    let pad = w.saturating_sub(width(&t));
    format!("{}{t}", " ".repeat(pad))
}

/// Word-wrap `s` to lines of at most `max` columns, every line prefixed by `indent` (whose
/// width counts). Words longer than a line are broken by character. Used for evidence and
/// recommendations, which are worth reading in full rather than truncated.
pub fn wrap(s: &str, max: usize, first_indent: &str, indent: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = first_indent.to_string();
    let mut cur_w = width(first_indent);
    // Whether `cur` holds any text beyond its indent; an indent alone is never flushed.
    let mut has = false;
    for word in s.split_whitespace() {
        if has && cur_w + 1 + width(word) > max {
            lines.push(std::mem::replace(&mut cur, indent.to_string()));
            cur_w = width(indent);
            has = false;
        }
        if has {
            cur.push(' ');
            cur_w += 1;
        }
        for c in word.chars() {
            let cw = UnicodeWidthChar::width(c).unwrap_or(0);
            if has && cur_w + cw > max {
                lines.push(std::mem::replace(&mut cur, indent.to_string()));
                cur_w = width(indent);
            }
            cur.push(c);
            cur_w += cw;
            has = true;
        }
    }
    if has || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Escape trace-supplied text for Markdown: first made inert like [`clean`], then the
/// characters that start emphasis, code, HTML, links or table cells are backslash-escaped.
pub fn md(s: &str) -> String {
    let s = clean(s);
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 4);
    for (k, &c) in chars.iter().enumerate() {
        let special = match c {
            '\\' | '*' | '`' | '<' | '>' | '|' | '[' | ']' | '#' | '~' => true,
            // An underscore between two alphanumerics cannot open or close emphasis in
            // CommonMark, so `execute_question` stays as written (and as the seed prints it).
            '_' => {
                let prev = k.checked_sub(1).and_then(|p| chars.get(p));
                let next = chars.get(k + 1);
                !(prev.is_some_and(|p| p.is_alphanumeric())
                    && next.is_some_and(|n| n.is_alphanumeric()))
            }
            _ => false,
        };
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Remove ANSI escape sequences (CSI `ESC [ … final`), for measuring coloured output.
#[cfg(test)]
pub fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' && chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_durations() {
        assert_eq!(human(238_901_000_000), "238.9s");
        assert_eq!(human(82_549_000_000), "82.5s");
        assert_eq!(human(156_117_000_000), "156.1s");
        assert_eq!(human(850_000_000), "850ms");
        assert_eq!(human(1_200_000), "1.2ms");
        assert_eq!(human(1_000_000), "1ms");
        assert_eq!(human(35_000), "35µs");
        assert_eq!(human(120), "120ns");
        assert_eq!(human(-1_200_000), "-1.2ms");
        assert_eq!(human(i64::MIN).chars().next(), Some('-'));
        assert_eq!(human(3_000_000_000_000), "50.0m");
    }

    #[test]
    fn ms_values() {
        assert_eq!(ms(238_901_000_000), 238901.0);
        assert_eq!(ms(1_234_567), 1.235);
        assert_eq!(ms_text(238_901_000_000), "238901ms");
        assert_eq!(ms_text(1_250_000), "1.25ms");
        assert_eq!(finite(f64::NAN), 0.0);
        assert_eq!(finite(f64::INFINITY), 0.0);
    }

    #[test]
    fn timestamps() {
        // 2025-10-22T16:21:12.110Z
        assert_eq!(
            rfc3339_ms(1_761_150_072_110_000_000),
            "2025-10-22T16:21:12.110Z"
        );
        assert_eq!(rfc3339_ms(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339_ms(-1_000_000), "1969-12-31T23:59:59.999Z");
        // Extremes must not panic.
        let _ = rfc3339_ms(i64::MIN);
        let _ = rfc3339_ms(i64::MAX);
    }

    #[test]
    fn clock_and_short_ids() {
        assert_eq!(clock(1_761_150_072_110_000_000), "2025-10-22 16:21:12");
        let _ = clock(i64::MIN);
        let long = "4bf92f3577b34da6a3ce929d0e0e4736";
        assert_eq!(short_id(long, false), "4bf92f35…0e0e4736");
        assert_eq!(short_id(long, true), long);
        assert_eq!(
            short_id("0000000000000000a3ce929d0e0e4736", false),
            "a3ce929d0e0e4736"
        );
        assert_eq!(
            short_id("00000000000000010000000000000000", false),
            "10000000000000000"
        );
        assert_eq!(
            short_id("30000000000000000000000000000429", false),
            "30000000…00000429"
        );
        assert_eq!(short_id(&"0".repeat(32), false), "0".repeat(16));
        assert_eq!(
            short_id("00000000000000000000000000000001", false),
            "0000000000000001"
        );
        assert_eq!(short_id("0000000000002193", false), "0000000000002193");
        assert_eq!(short_id("trace-123", false), "trace-123");
        let cjk = short_id(&"名".repeat(20), false);
        assert!(width(&cjk) <= ID_COLUMNS && cjk.ends_with('…'), "{cjk}");
    }

    #[test]
    fn truncation_by_width() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
        // CJK characters are two columns; never overhang.
        let t = truncate("名前名前名前", 6);
        assert!(width(&t) <= 6, "{t}");
        assert!(t.ends_with('…'));
        assert_eq!(truncate("abc", 0), "");
        assert_eq!(fit_right("7ms", 5), "  7ms");
        assert_eq!(width(&fit_left("名前名前", 5)), 5);
    }

    #[test]
    fn wrapping() {
        let lines = wrap("one two three four five six", 10, "- ", "  ");
        assert!(lines.iter().all(|l| width(l) <= 10), "{lines:?}");
        assert_eq!(lines[0], "- one two");
        let long = wrap(&"x".repeat(25), 10, "", "");
        assert!(long.iter().all(|l| width(l) <= 10), "{long:?}");
        assert_eq!(long.concat().len(), 25);
        assert_eq!(wrap("", 10, "- ", "  "), vec!["- ".to_string()]);
    }

    #[test]
    fn markdown_escaping() {
        assert_eq!(md("a*b_c`d<e|f"), "a\\*b_c\\`d\\<e\\|f");
        assert_eq!(md("_x_ __y"), "\\_x\\_ \\_\\_y");
        assert_eq!(md("x\ny"), "x\\\\ny");
    }
}
