//! Calendar arithmetic and RFC 3339, in one place: the crate formats and parses timestamps in
//! readers, search windows, analyses and reports, and a date-time dependency would be large
//! for these few conversions.

use crate::error::{Error, Result};
use crate::units::parse_duration_ns;

/// A half-open time range `[start_ns, end_ns)`, in ns since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub start_ns: i64,
    pub end_ns: i64,
}

impl Range {
    pub fn contains(&self, t_ns: i64) -> bool {
        self.start_ns <= t_ns && t_ns < self.end_ns
    }

    pub fn len_ns(&self) -> i64 {
        self.end_ns.saturating_sub(self.start_ns)
    }
}

/// Now, in ns since the Unix epoch.
pub fn now_ns() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`), exact over the whole i64 range of nanosecond timestamps.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `2025-10-22T16:22:34.891Z`: UTC, truncated to the millisecond (as the seed's timestamps).
pub fn format_rfc3339_ms(ns: i64) -> String {
    let (date, sod) = split(ns);
    let millis = ns.rem_euclid(1_000_000_000) / 1_000_000;
    format!("{date}T{}.{millis:03}Z", clock(sod))
}

/// `2025-10-22T16:22:34.891000000Z`: UTC with nanoseconds (Jaeger api_v3 wants these).
pub fn format_rfc3339_ns(ns: i64) -> String {
    let (date, sod) = split(ns);
    let nanos = ns.rem_euclid(1_000_000_000);
    format!("{date}T{}.{nanos:09}Z", clock(sod))
}

fn split(ns: i64) -> (String, i64) {
    let secs = ns.div_euclid(1_000_000_000);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    (format!("{y:04}-{m:02}-{d:02}"), secs.rem_euclid(86_400))
}

fn clock(sod: i64) -> String {
    format!("{:02}:{:02}:{:02}", sod / 3600, sod % 3600 / 60, sod % 60)
}

/// Parse `YYYY-MM-DD[T ]HH:MM:SS[.fraction](Z|±HH:MM)` to ns since the epoch; None for
/// anything else, out-of-range fields, or a time beyond the i64 nanosecond range.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = s.get(from..from + len)?;
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    if b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || !matches!(b.get(10), Some(b'T' | b't' | b' '))
    {
        return None;
    }
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
        return None;
    }
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut pos = 19;
    let mut frac_ns = 0i64;
    if b.get(pos) == Some(&b'.') {
        pos += 1;
        let start = pos;
        while b.get(pos).is_some_and(u8::is_ascii_digit) {
            pos += 1;
        }
        let digits = s.get(start..pos)?;
        if digits.is_empty() {
            return None;
        }
        let mut scale = 100_000_000i64;
        for d in digits.bytes().take(9) {
            frac_ns += i64::from(d - b'0') * scale;
            scale /= 10;
        }
    }
    let offset_s = match b.get(pos) {
        Some(b'Z' | b'z') if pos + 1 == b.len() => 0,
        Some(&sign @ (b'+' | b'-')) if pos + 6 == b.len() && b.get(pos + 3) == Some(&b':') => {
            let secs = num(pos + 1, 2)? * 3600 + num(pos + 4, 2)? * 60;
            if sign == b'+' {
                secs
            } else {
                -secs
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_s;
    secs.checked_mul(1_000_000_000)?.checked_add(frac_ns)
}

/// Parse an RFC 3339 timestamp (`2024-05-01T12:00:00Z`, `…+02:00`, fractional seconds) or a
/// time relative to now (`now`, `1h` or `-1h` or `now-1h` = an hour ago, `-7d`, `2w`; every
/// unit of [`crate::units::parse_duration_ns`]), to ns since the epoch.
pub fn parse_time(s: &str, now: i64) -> Result<i64, String> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    let rel = t.strip_prefix("now").unwrap_or(t);
    let rel = rel.strip_prefix('-').unwrap_or(rel);
    if !rel.contains(':') && !rel.is_empty() {
        if let Ok(ago) = parse_duration_ns(rel) {
            return Ok(now.saturating_sub(ago));
        }
    }
    parse_rfc3339(t).ok_or_else(|| format!("invalid time '{s}': expected RFC 3339 (2024-05-01T12:00:00Z) or relative (1h, now-30m, 7d)"))
}

/// Parse `<from>..<to>` (RFC 3339 or relative: `-15m..now`, `2h..1h`, `-7d..now`). `flag`
/// names the option in messages.
pub fn parse_range(text: &str, flag: &str, now: i64) -> Result<Range> {
    let Some((from, to)) = text.split_once("..") else {
        return Err(Error::Usage(format!(
            "{flag} '{text}': expected <from>..<to>, e.g. -15m..now or 2023-01-29T08:43:00Z..2023-01-29T08:45:00Z"
        )));
    };
    let at = |s: &str| parse_time(s, now).map_err(|e| Error::Usage(format!("{flag}: {e}")));
    let range = Range {
        start_ns: at(from)?,
        end_ns: at(to)?,
    };
    if range.start_ns >= range.end_ns {
        return Err(Error::Usage(format!(
            "{flag} is empty: {} is not before {}; give <from>..<to> with from earlier",
            format_rfc3339_ns(range.start_ns),
            format_rfc3339_ns(range.end_ns)
        )));
    }
    Ok(range)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let ns = parse_rfc3339("2025-10-22T16:22:34.891Z").unwrap();
        assert_eq!(format_rfc3339_ms(ns), "2025-10-22T16:22:34.891Z");
        assert_eq!(format_rfc3339_ns(ns), "2025-10-22T16:22:34.891000000Z");
        assert_eq!(parse_rfc3339("2025-10-22 18:22:34.891+02:00"), Some(ns));
        assert_eq!(format_rfc3339_ms(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(parse_rfc3339("2025-13-01T00:00:00Z"), None);
        assert_eq!(parse_rfc3339("2025-10-22T16:22:34"), None);
        assert_eq!(parse_rfc3339("2025-10-22T16:22:34.Z"), None);
        for days in [-800_000, -1, 0, 1, 19_000, 800_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn parses_absolute_and_relative_times() {
        let now = 1_700_000_000_000_000_000;
        assert_eq!(parse_time("2023-11-14T22:13:20Z", 0), Ok(now));
        assert_eq!(parse_time(" -1h ", now), Ok(now - 3_600_000_000_000));
        assert_eq!(parse_time("NOW", now), Ok(now));
        assert!(parse_time("now-", now).is_err());
        assert!(parse_time("12:00", now).is_err());
    }
}
