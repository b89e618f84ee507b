//! Formatting of durations, shares and timestamps for evidence lines. Kept here so every
//! analysis words numbers the same way, and without a date library: only UTC is needed.

/// Milliseconds for people: whole milliseconds from 1 ms up (`156117ms`, the seed's style),
/// up to three decimals below (`0.25ms`), nanoseconds below a microsecond.
pub fn fmt_ms(ns: i64) -> String {
    let abs = ns.unsigned_abs();
    let sign = if ns < 0 { "-" } else { "" };
    if abs >= 1_000_000 {
        // Round half away from zero, on the magnitude so negative values mirror positive ones.
        let ms = (abs + 500_000) / 1_000_000;
        format!("{sign}{ms}ms")
    } else if abs >= 1_000 {
        let micros = (abs + 500) / 1_000; // 1..=1000
        let text = format!("{}.{:03}", micros / 1000, micros % 1000);
        let text = text.trim_end_matches('0').trim_end_matches('.');
        format!("{sign}{text}ms")
    } else {
        format!("{sign}{abs}ns")
    }
}

/// A share as a whole percentage (`65%`); `part / whole`, 0 when `whole` is not positive.
pub fn fmt_pct(part: i64, whole: i64) -> String {
    format!("{:.0}%", share(part, whole) * 100.0)
}

/// `part / whole` as a float in [0, ∞), 0 when `whole` is not positive.
pub fn share(part: i64, whole: i64) -> f64 {
    if whole <= 0 {
        0.0
    } else {
        part.max(0) as f64 / whole as f64
    }
}

/// RFC 3339 UTC with milliseconds (`2025-10-22T16:22:34.891Z`). Truncates to the
/// millisecond, like the seed's timestamps; works for times before 1970 too.
pub fn fmt_timestamp(ns: i64) -> String {
    crate::time::format_rfc3339_ms(ns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_milliseconds() {
        assert_eq!(fmt_ms(156_117_000_000), "156117ms");
        assert_eq!(fmt_ms(1_000_000), "1ms");
        assert_eq!(fmt_ms(1_499_999), "1ms");
        assert_eq!(fmt_ms(1_500_000), "2ms");
        assert_eq!(fmt_ms(250_000), "0.25ms");
        assert_eq!(fmt_ms(1_000), "0.001ms");
        assert_eq!(fmt_ms(999), "999ns");
        assert_eq!(fmt_ms(0), "0ns");
        assert_eq!(fmt_ms(-2_000_000), "-2ms");
        assert_eq!(fmt_ms(i64::MIN), "-9223372036855ms");
    }

    #[test]
    fn formats_timestamps() {
        assert_eq!(fmt_timestamp(0), "1970-01-01T00:00:00.000Z");
        // 2025-10-22T16:22:34.891Z
        let ns = (1_761_091_200_000 + ((16 * 60 + 22) * 60 + 34) * 1000 + 891) * 1_000_000;
        assert_eq!(fmt_timestamp(ns + 999_999), "2025-10-22T16:22:34.891Z");
        assert_eq!(fmt_timestamp(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(
            fmt_timestamp(951_782_400_000_000_000),
            "2000-02-29T00:00:00.000Z"
        );
        // Extremes must not panic.
        let _ = fmt_timestamp(i64::MAX);
        let _ = fmt_timestamp(i64::MIN);
    }

    #[test]
    fn shares() {
        assert_eq!(fmt_pct(1, 3), "33%");
        assert_eq!(fmt_pct(5, 0), "0%");
    }
}
