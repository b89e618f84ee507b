//! Duration parsing for flags (`5s`, `250ms`, `1.5m`).

/// Parse a duration such as `5s`, `250ms`, `1.5m`, `2h`, `300us`, `10ns` into nanoseconds.
/// A bare number is seconds.
pub fn parse_duration_ns(s: &str) -> Result<i64, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let value: f64 = num
        .parse()
        .map_err(|_| format!("invalid duration '{s}': expected e.g. 5s, 250ms, 1.5m"))?;
    let scale = match unit.trim() {
        "" | "s" | "sec" => 1e9,
        "ms" => 1e6,
        "us" | "µs" => 1e3,
        "ns" => 1.0,
        "m" | "min" => 60e9,
        "h" => 3600e9,
        other => {
            return Err(format!(
                "invalid duration unit '{other}' in '{s}': use ns, us, ms, s, m or h"
            ))
        }
    };
    let ns = value * scale;
    if !ns.is_finite() || ns > i64::MAX as f64 {
        return Err(format!("duration '{s}' is too large"));
    }
    Ok(ns.round() as i64)
}

#[cfg(test)]
mod tests {
    use super::parse_duration_ns;

    #[test]
    fn parses_units() {
        assert_eq!(parse_duration_ns("5s"), Ok(5_000_000_000));
        assert_eq!(parse_duration_ns("250ms"), Ok(250_000_000));
        assert_eq!(parse_duration_ns("1.5m"), Ok(90_000_000_000));
        assert_eq!(parse_duration_ns("2"), Ok(2_000_000_000));
        assert_eq!(parse_duration_ns("300us"), Ok(300_000));
        assert!(parse_duration_ns("5x").is_err());
        assert!(parse_duration_ns("").is_err());
        assert!(parse_duration_ns("1e400h").is_err());
    }
}
