//! PostgreSQL COPY text-format values, shared by the Postgres source tests and the
//! Postgres benchmark (which includes this file by path).

/// RFC 3339 UTC with microseconds, for a `timestamptz` column.
pub fn ts(us: i64) -> String {
    let secs = us.div_euclid(1_000_000);
    let (y, m, d) = tracediag::time::civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:06}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        us.rem_euclid(1_000_000)
    )
}

/// The value, or COPY's NULL marker.
#[allow(dead_code)]
pub fn null_or(v: Option<String>) -> String {
    v.unwrap_or_else(|| "\\N".into())
}
