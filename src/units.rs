//! Flag values with units: durations (`5s`, `250ms`, `1.5m`, `1d`, `2w`), sizes (`256MiB`,
//! `10MB`) and counts (`1_000_000`).

/// The leading decimal number of `s` and the unit after it, both trimmed.
fn number_and_unit(s: &str) -> Option<(f64, &str)> {
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    Some((num.parse().ok()?, unit.trim()))
}

/// The duration units, as the error for an unknown one lists them.
pub const DURATION_UNITS: &str = "ns, us, ms, s, m, h, d or w";

/// Parse a duration such as `5s`, `250ms`, `1.5m`, `2h`, `1d`, `2w`, `300us`, `10ns` into
/// nanoseconds. A bare number is seconds; a day is 24 hours and a week 7 days. Every flag,
/// config value, rule, cohort filter and relative time (`--since 1d`, `-7d..now`) is read
/// through here.
pub fn parse_duration_ns(s: &str) -> Result<i64, String> {
    let (value, unit) = number_and_unit(s)
        .ok_or_else(|| format!("invalid duration '{s}': expected e.g. 5s, 250ms, 1.5m, 1d"))?;
    let scale = match unit {
        "" | "s" | "sec" => 1e9,
        "ms" => 1e6,
        "us" | "µs" => 1e3,
        "ns" => 1.0,
        "m" | "min" => 60e9,
        "h" => 3600e9,
        "d" => 86_400e9,
        "w" => 604_800e9,
        other => {
            return Err(format!(
                "invalid duration unit '{other}' in '{s}': use {DURATION_UNITS}"
            ))
        }
    };
    let ns = value * scale;
    if !ns.is_finite() || ns > i64::MAX as f64 {
        return Err(format!("duration '{s}' is too large"));
    }
    Ok(ns.round() as i64)
}

/// Parse a size such as `256MiB`, `64KiB`, `10MB`, `500k` or a plain byte count.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let (value, unit) = number_and_unit(s)
        .ok_or_else(|| format!("invalid size '{s}': expected e.g. 256MiB, 1GB, 1000000"))?;
    let scale: f64 = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "kib" => 1024.0,
        "m" | "mb" => 1e6,
        "mib" => 1024.0 * 1024.0,
        "g" | "gb" => 1e9,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        other => {
            return Err(format!(
                "invalid size unit '{other}' in '{s}': use B, KB, KiB, MB, MiB, GB or GiB"
            ))
        }
    };
    let bytes = value * scale;
    if !bytes.is_finite() || bytes < 1.0 || bytes > u64::MAX as f64 {
        return Err(format!("size '{s}' is out of range"));
    }
    Ok(bytes as u64)
}

/// [`parse_size`] for limits held as `usize` (`--max-attr-size`).
pub fn parse_size_usize(s: &str) -> Result<usize, String> {
    parse_size(s).and_then(|n| usize::try_from(n).map_err(|_| format!("size '{s}' is too large")))
}

/// A count of at least 1, with optional `_` or `,` separators (`1_000_000`).
pub fn parse_count(s: &str) -> Result<usize, String> {
    let digits: String = s
        .trim()
        .chars()
        .filter(|c| !matches!(c, '_' | ','))
        .collect();
    match digits.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("expected a whole number of at least 1, got '{s}'")),
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_count, parse_duration_ns, parse_size};

    #[test]
    fn parses_units() {
        assert_eq!(parse_duration_ns("5s"), Ok(5_000_000_000));
        assert_eq!(parse_duration_ns("250ms"), Ok(250_000_000));
        assert_eq!(parse_duration_ns("1.5m"), Ok(90_000_000_000));
        assert_eq!(parse_duration_ns("2"), Ok(2_000_000_000));
        assert_eq!(parse_duration_ns("300us"), Ok(300_000));
        assert_eq!(parse_duration_ns("1d"), Ok(86_400_000_000_000));
        assert_eq!(parse_duration_ns("7d"), Ok(7 * 86_400_000_000_000));
        assert_eq!(parse_duration_ns("1.5d"), Ok(36 * 3_600_000_000_000));
        assert_eq!(parse_duration_ns("2w"), Ok(14 * 86_400_000_000_000));
        assert!(parse_duration_ns("5x").is_err());
        assert!(parse_duration_ns("").is_err());
        assert!(parse_duration_ns("1e400h").is_err());
    }

    #[test]
    fn a_bad_unit_lists_the_accepted_ones() {
        let e = parse_duration_ns("5q").unwrap_err();
        assert_eq!(
            e,
            "invalid duration unit 'q' in '5q': use ns, us, ms, s, m, h, d or w"
        );
        assert!(parse_duration_ns("3 days").unwrap_err().contains("d or w"));
    }

    #[test]
    fn parses_sizes_and_counts() {
        assert_eq!(parse_size("256MiB"), Ok(256 * 1024 * 1024));
        assert_eq!(parse_size("64KiB"), Ok(65536));
        assert_eq!(parse_size("10MB"), Ok(10_000_000));
        assert_eq!(parse_size("1kb"), Ok(1000));
        assert_eq!(parse_size("12"), Ok(12));
        assert!(parse_size("0").is_err());
        assert!(parse_size("3 parsecs").is_err());
        assert_eq!(parse_count("1_000_000"), Ok(1_000_000));
        assert!(parse_count("0").is_err());
        assert!(parse_count("-3").is_err());
    }
}
