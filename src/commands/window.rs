//! Many traces at once: the traces a source holds in a time range, fetched with bounded
//! concurrency (see `fetch_many`). Shared by `root-cause --window` and `cohorts`.

use crate::error::Result;
use crate::model::Trace;
use crate::source::backend::{fetch_many, TraceSource};
use crate::source::search::SearchQuery;

pub use crate::time::{parse_range, Range};

/// Up to `limit` traces of `source` starting in `range` (None: everything a file holds; a
/// remote source needs a range). Traces that cannot be fetched are skipped and counted on
/// stderr with `verbose`, so one broken trace does not sink a window of hundreds.
pub fn traces_in(
    source: &dyn TraceSource,
    range: Option<Range>,
    limit: usize,
    quiet: bool,
    verbose: u8,
) -> Result<Vec<Trace>> {
    let mut q = SearchQuery {
        limit: limit.max(1),
        ..SearchQuery::default()
    };
    if let Some(r) = range {
        q.start_ns = r.start_ns;
        q.end_ns = r.end_ns;
        q.explicit_window = true;
    }
    let ids: Vec<String> = source.search(&q)?.into_iter().map(|h| h.trace_id).collect();
    let mut out = Vec::with_capacity(ids.len());
    let mut failed = 0usize;
    for r in fetch_many(source, &ids, quiet) {
        match r {
            Ok(t) if range.is_none_or(|r| r.contains(t.start_ns())) => out.push(t),
            Ok(_) => {}
            Err(_) => failed += 1,
        }
    }
    if verbose > 0 {
        eprintln!(
            "tracediag: {} trace(s) from {}{}",
            out.len(),
            source.describe(),
            if failed > 0 {
                format!(", {failed} could not be fetched")
            } else {
                String::new()
            }
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::parse_range;

    const NOW: i64 = 1_700_000_000_000_000_000;
    const DAY: i64 = 86_400_000_000_000;

    #[test]
    fn relative_ranges_take_days_and_weeks() {
        let r = parse_range("-7d..now", "--window", NOW).expect("range");
        assert_eq!((r.start_ns, r.end_ns), (NOW - 7 * DAY, NOW));
        let r = parse_range("2w..1d", "--window", NOW).expect("range");
        assert_eq!((r.start_ns, r.end_ns), (NOW - 14 * DAY, NOW - DAY));
        let r = parse_range("-15m..now", "--window", NOW).expect("range");
        assert_eq!(r.len_ns(), 15 * 60_000_000_000);
    }

    #[test]
    fn a_bad_range_is_a_usage_error() {
        assert!(parse_range("-7x..now", "--window", NOW).is_err());
        assert!(parse_range("now..-1d", "--window", NOW).is_err());
        assert!(parse_range("-1d", "--window", NOW).is_err());
    }
}
