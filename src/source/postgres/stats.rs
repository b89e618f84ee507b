//! `stats` on the server: one `GROUP BY` with `percentile_cont`, rows in the order every
//! stats source uses.

use super::conditions::Params;
use super::PostgresSource;
use crate::error::Result;
use crate::source::pushdown::{sort_rows, OperationStats, StatsGroup, StatsQuery};
use crate::source::search::StatusFilter;

impl PostgresSource {
    /// The WHERE clause of the spans `q` selects.
    fn stats_conditions(&self, q: &StatsQuery, params: &mut Params) -> String {
        let mut conds = self.span_conditions(
            q.service.as_ref(),
            q.operation.as_ref(),
            (q.start_ns, q.end_ns),
            q.min_duration_ns,
            None,
            params,
        );
        match q.status {
            Some(StatusFilter::Error) => conds.push(self.error_predicate(params)),
            Some(StatusFilter::Ok) => conds.push(format!("NOT {}", self.error_predicate(params))),
            None => {}
        }
        if conds.is_empty() {
            "true".into()
        } else {
            conds.join(" AND ")
        }
    }

    /// `count(DISTINCT trace)` over the spans `q` selects.
    pub(super) fn count_traces_sql(&self, q: &StatsQuery) -> Result<u64> {
        let mut params = Params::default();
        let conds = self.stats_conditions(q, &mut params);
        let sql = format!(
            "SELECT count(DISTINCT {trace}) FROM {table} WHERE {conds}",
            trace = self.trace_col(),
            table = self.sql.table,
        );
        let rows = self.run(&sql, |c| c.query(&sql, &params.refs()))?;
        let n: i64 = rows
            .first()
            .and_then(|r| r.try_get::<_, Option<i64>>(0).ok().flatten())
            .unwrap_or(0);
        Ok(u64::try_from(n).unwrap_or(0))
    }

    pub(super) fn stats_sql(&self, q: &StatsQuery) -> Result<Vec<OperationStats>> {
        let f = &self.sql;
        let mut params = Params::default();
        let conds = self.stats_conditions(q, &mut params);
        let err = self.error_predicate(&mut params);
        let (svc, op) = match q.group_by {
            StatsGroup::Operation => (f.service.as_str(), f.operation.as_str()),
            StatsGroup::Service => (f.service.as_str(), "NULL::text"),
            StatsGroup::All => ("NULL::text", "NULL::text"),
        };
        let sql = format!(
            "SELECT svc, op, count(*), count(*) FILTER (WHERE e), avg(d), \
                    percentile_cont(0.5) WITHIN GROUP (ORDER BY d), \
                    percentile_cont(0.95) WITHIN GROUP (ORDER BY d), \
                    percentile_cont(0.99) WITHIN GROUP (ORDER BY d), max(d), \
                    percentile_cont(0.25) WITHIN GROUP (ORDER BY d) \
             FROM (SELECT {svc} AS svc, {op} AS op, ({dur})::float8 / 1000000.0 AS d, {err} AS e \
                   FROM {table} WHERE {conds}) s \
             GROUP BY svc, op",
            dur = f.dur_ns,
            table = f.table,
        );
        let rows = self.run(&sql, |c| c.query(&sql, &params.refs()))?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let s = |i: usize| r.try_get::<_, Option<String>>(i).ok().flatten();
            let n = |i: usize| r.try_get::<_, Option<i64>>(i).ok().flatten().unwrap_or(0);
            let x = |i: usize| {
                r.try_get::<_, Option<f64>>(i)
                    .ok()
                    .flatten()
                    .unwrap_or(f64::NAN)
            };
            let count = u64::try_from(n(2)).unwrap_or(0);
            let errors = u64::try_from(n(3)).unwrap_or(0);
            out.push(OperationStats {
                service: s(0),
                operation: s(1),
                count,
                error_count: errors,
                error_rate: errors as f64 / count.max(1) as f64,
                avg_ms: x(4),
                p50_ms: x(5),
                p95_ms: x(6),
                p99_ms: x(7),
                max_ms: x(8),
                p25_ms: x(9),
            });
        }
        sort_rows(&mut out);
        Ok(out)
    }
}
