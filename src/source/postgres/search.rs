//! `search` on the server: the traces with a span that passes the filters, summarised by one
//! aggregate query over only their rows.

use super::conditions::{system_time, Params};
use super::PostgresSource;
use crate::error::{Error, Result};
use crate::model::normalize_id;
use crate::source::search::{SearchQuery, StatusFilter, TraceSummary};

impl PostgresSource {
    /// `search` as one aggregate query: the matching traces' summaries, newest first.
    pub(super) fn search_sql(&self, q: &SearchQuery) -> Result<Vec<TraceSummary>> {
        if q.traceql.is_some() {
            return Err(Error::Usage(
                "--traceql is for Tempo; a Postgres source takes --service, --operation, --status, --min-duration, --tag and a time window".into(),
            ));
        }
        let f = &self.sql;
        let mut params = Params::default();
        let mut conds = self.span_conditions(
            q.service.as_ref(),
            q.operation.as_ref(),
            (Some(q.start_ns), Some(q.end_ns)),
            q.min_duration_ns,
            q.max_duration_ns,
            &mut params,
        );
        for (k, v) in &q.tags {
            conds.push(self.tag_condition(k, v, &mut params)?);
        }
        let err = self.error_predicate(&mut params);
        let window_lo = params.push(system_time(q.start_ns));
        let window_hi = params.push(system_time(q.end_ns));
        let having = match q.status {
            Some(StatusFilter::Error) => " AND count(*) FILTER (WHERE e) > 0",
            Some(StatusFilter::Ok) => " AND count(*) FILTER (WHERE e) = 0",
            None => "",
        };
        // The root is the earliest span (the longest first among equals), as in the
        // summaries below; only it must carry the names when they are the root's.
        let mut root = String::new();
        if q.root_only {
            let root_of = |col: &str| format!("(array_agg({col} ORDER BY start_us, dur DESC))[1]");
            if let Some(svc) = &q.service {
                root += &format!(" AND {} = {}", root_of("svc"), params.push(svc.clone()));
            }
            if let Some(op) = &q.operation {
                root += &format!(" AND {} = {}", root_of("op"), params.push(op.clone()));
            }
        }
        // Under the limit, the traces nearest the given instant, else the newest.
        let order = match q.near_ns {
            Some(at) => format!("abs(min(start_us) - {})", params.push(at / 1000)),
            None => "min(start_us) DESC".into(),
        };
        let limit = params.push(i64::try_from(q.limit).unwrap_or(i64::MAX));
        // The hits are found with the span filters (index on time or on service, operation,
        // time); only their rows are then aggregated, fetched by trace id. `= ANY(ARRAY(…))`
        // rather than `IN (…)`: the planner then looks the ids up in the trace index instead
        // of hashing the whole table when it misjudges how many traces the window holds.
        let sql = format!(
            "WITH hit AS (SELECT DISTINCT {trace} AS tid FROM {table} WHERE {conds}), \
             s AS (SELECT {trace_text} AS tid, {start_col} AS st, {start_us} AS start_us, {dur} AS dur, \
                   {service} AS svc, {op} AS op, {err} AS e \
                   FROM {table} WHERE {trace} = ANY(ARRAY(SELECT tid FROM hit))) \
             SELECT tid, min(start_us), max(start_us * 1000 + dur), count(*), count(*) FILTER (WHERE e), \
                    (array_agg(svc ORDER BY start_us, dur DESC))[1], (array_agg(op ORDER BY start_us, dur DESC))[1] \
             FROM s GROUP BY tid HAVING min(st) >= {window_lo} AND min(st) <= {window_hi}{having}{root} \
             ORDER BY {order}, tid LIMIT {limit}",
            trace = self.trace_col(),
            table = f.table,
            conds = if conds.is_empty() { "true".into() } else { conds.join(" AND ") },
            trace_text = f.trace_text,
            start_col = f.start_col,
            start_us = f.start_us,
            dur = f.dur_ns,
            service = f.service,
            op = f.operation,
        );
        let rows = self.run(&sql, |c| c.query(&sql, &params.refs()))?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let get_i = |i: usize| r.try_get::<_, Option<i64>>(i).ok().flatten().unwrap_or(0);
            let get_s = |i: usize| {
                r.try_get::<_, Option<String>>(i)
                    .ok()
                    .flatten()
                    .unwrap_or_default()
            };
            let start_ns = get_i(1).saturating_mul(1000);
            out.push(TraceSummary {
                trace_id: normalize_id(&get_s(0)),
                start_ns,
                duration_ns: get_i(2).saturating_sub(start_ns),
                root_service: get_s(5),
                root_operation: get_s(6),
                span_count: usize::try_from(get_i(3)).ok(),
                error_count: usize::try_from(get_i(4)).ok(),
            });
        }
        Ok(out)
    }
}
