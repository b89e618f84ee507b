//! PostgreSQL as a trace source: any table of spans, one row per span, through a preset or a
//! `--column` mapping.
//!
//! * `conn.rs`: the URL, TLS (rustls) and connecting;
//! * `mapping.rs`: presets, roles, identifier validation and quoting;
//! * here: the queries. `diagnose` fetches one trace with `trace_col = ANY($1)` (an index
//!   lookup), `search` and `stats` run as aggregates on the server, so a large table is never
//!   pulled to the client.
//!
//! Every query runs in its own `READ ONLY` transaction with a `statement_timeout`, and every
//! value is a bound parameter.

pub mod conn;
pub mod mapping;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use postgres::types::ToSql;
use postgres::{Client, Row};

use self::conn::{error_chain, PgUrl};
use self::mapping::{kind_of, quote, valid_ident, Column, Kind, Mapping, Role};
use super::infer_parents::{infer_parents, Interval};
use super::pushdown::{sort_rows, OperationStats, StatsGroup, StatsQuery};
use super::search::{SearchQuery, StatusFilter, TraceSummary};
use crate::error::{Error, Result};
use crate::model::status::{normalize_status, ERROR_STATUS_WORDS};
use crate::model::{id_matches, normalize_id, AttrValue, Span, SpanKind, StatusCode, Trace};

/// Status column values (lower-cased) that mean the span succeeded: OpenTelemetry's OK
/// status code as a name or a number.
const OK_STATUS: &[&str] = &["ok", "status_code_ok", "1"];

/// Settings from the command line.
#[derive(Debug, Clone)]
pub struct PgOptions {
    pub columns: Vec<(String, String)>,
    pub statement_timeout: Duration,
    pub connect_timeout: Duration,
    pub verbose: u8,
    /// `--max-trace-spans` and `--max-attr-size` apply to rows as to any other input.
    pub limits: super::limits::Limits,
}

pub struct PostgresSource {
    url: PgUrl,
    client: Mutex<Client>,
    mapping: Mapping,
    sql: Fragments,
    statement_timeout_ms: u64,
    verbose: u8,
    limits: super::limits::Limits,
}

/// SQL text derived once from the mapping: quoted identifiers and fixed casts only.
struct Fragments {
    table: String,
    /// The select list read by [`PostgresSource::span_from_row`].
    select: String,
    /// `trace_col = ANY($1::…[])`.
    trace_filter: String,
    trace_is_int: bool,
    trace_text: String,
    start_col: String,
    start_us: String,
    dur_ns: String,
    service: String,
    operation: String,
    /// `lower(status) = ANY($k)` with the error words bound; None without a status column.
    status: Option<String>,
}

impl PostgresSource {
    pub fn open(raw_url: &str, opts: &PgOptions) -> Result<PostgresSource> {
        let url = PgUrl::parse(raw_url, !opts.columns.is_empty())?;
        if opts.verbose > 0 {
            eprintln!("tracediag: connecting to {}", url.display());
        }
        let mut client = url.connect(opts.connect_timeout)?;
        let ms = u64::try_from(opts.statement_timeout.as_millis())
            .unwrap_or(u64::MAX)
            .max(1);
        let columns = read_only(&mut client, ms, |c| {
            c.query(
                "SELECT a.attname::text, format_type(a.atttypid, a.atttypmod) \
                 FROM pg_attribute a WHERE a.attrelid = to_regclass($1)::oid \
                 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                &[&url.table.sql()],
            )
        })
        .map_err(|e| query_error(&e, &url, ms))?;
        let columns: Vec<Column> = columns
            .iter()
            .filter_map(|r| {
                Some(Column {
                    name: r.try_get(0).ok()?,
                    type_name: r.try_get(1).ok()?,
                })
            })
            .collect();
        if columns.is_empty() {
            return Err(Error::input(
                url.display(),
                format!(
                    "table {} does not exist (or is not visible to user {}): check table= and schema=, or create it with `tracediag schema {}`",
                    url.table.display(),
                    url.user,
                    url.preset.name()
                ),
            ));
        }
        let mapping = Mapping::resolve(url.preset, &opts.columns, &columns, &url.table.display())?;
        let sql = Fragments::new(&url, &mapping);
        if opts.verbose > 0 {
            let roles: Vec<String> = mapping
                .roles
                .iter()
                .map(|(r, cs)| {
                    let names: Vec<&str> = cs.iter().map(|c| c.name.as_str()).collect();
                    format!("{}={}", r.key(), names.join("/"))
                })
                .collect();
            eprintln!(
                "tracediag: table {} ({} columns): {}{}",
                url.table.display(),
                columns.len(),
                roles.join(", "),
                if mapping.has(Role::ParentId) {
                    ""
                } else {
                    "; no parent column: parents inferred from time containment"
                }
            );
        }
        Ok(PostgresSource {
            url,
            client: Mutex::new(client),
            mapping,
            sql,
            statement_timeout_ms: ms,
            verbose: opts.verbose,
            limits: opts.limits,
        })
    }

    /// Run `f` in a read-only transaction on the connection.
    fn run<T>(
        &self,
        sql_for_log: &str,
        f: impl FnOnce(&mut Client) -> std::result::Result<T, postgres::Error>,
    ) -> Result<T> {
        if self.verbose > 1 {
            eprintln!(
                "tracediag: SQL {}",
                sql_for_log.split_whitespace().collect::<Vec<_>>().join(" ")
            );
        }
        let mut guard = self
            .client
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        read_only(&mut guard, self.statement_timeout_ms, f)
            .map_err(|e| query_error(&e, &self.url, self.statement_timeout_ms))
    }

    /// Fetch the traces whose ids are among `ids`, grouped by trace, in first-row order.
    fn fetch(&self, ids: &[String]) -> Result<Vec<Trace>> {
        let sql = format!(
            "SELECT {} FROM {} WHERE {}",
            self.sql.select, self.sql.table, self.sql.trace_filter
        );
        let rows = if self.sql.trace_is_int {
            // Ids that are not integers cannot name a row of an integer column.
            let mut v: Vec<i64> = ids.iter().filter_map(|id| id.trim().parse().ok()).collect();
            v.sort_unstable();
            v.dedup();
            if v.is_empty() {
                return Ok(Vec::new());
            }
            self.run(&sql, |c| c.query(&sql, &[&v]))?
        } else {
            let mut v: Vec<String> = ids.iter().flat_map(|id| id_candidates(id)).collect();
            v.sort_unstable();
            v.dedup();
            self.run(&sql, |c| c.query(&sql, &[&v]))?
        };
        self.traces_from_rows(&rows)
    }

    fn traces_from_rows(&self, rows: &[Row]) -> Result<Vec<Trace>> {
        let mut order: Vec<Trace> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for row in rows {
            let span = self.span_from_row(row)?;
            let i = match index.get(&span.trace_id) {
                Some(&i) => i,
                None => {
                    index.insert(span.trace_id.clone(), order.len());
                    order.push(Trace::new(span.trace_id.clone()));
                    order.len() - 1
                }
            };
            order[i].spans.push(span);
        }
        let what = self.url.display();
        for t in &mut order {
            // Before inferring parents: that is quadratic in the worst case, and a trace over
            // the span limit is refused anyway.
            if t.spans.len() > self.limits.max_trace_spans {
                self.limits.apply_one(t, &what)?;
            }
            self.finish(t);
            self.limits.apply_one(t, &what)?;
        }
        Ok(order)
    }

    /// Span ids and parents for tables without them; the error conventions.
    fn finish(&self, t: &mut Trace) {
        // Start order (longest first on ties): what the table's writer most likely did, and
        // the order a reader of the waterfall expects.
        t.spans.sort_by(|a, b| {
            a.start_ns
                .cmp(&b.start_ns)
                .then(b.duration_ns.cmp(&a.duration_ns))
        });
        if !self.mapping.has(Role::SpanId) {
            for (i, s) in t.spans.iter_mut().enumerate() {
                s.span_id = (i + 1).to_string();
            }
        }
        if !self.mapping.has(Role::ParentId) {
            let parents = {
                let intervals: Vec<Interval> = t
                    .spans
                    .iter()
                    .map(|s| Interval {
                        start_ns: s.start_ns,
                        end_ns: s.end_ns(),
                        service: &s.service,
                    })
                    .collect();
                infer_parents(&intervals)
            };
            let ids: Vec<String> = t.spans.iter().map(|s| s.span_id.clone()).collect();
            for (s, p) in t.spans.iter_mut().zip(parents) {
                s.parent_id = p.and_then(|p| ids.get(p).cloned());
            }
            t.parents_inferred = true;
        }
        for s in &mut t.spans {
            normalize_status(s);
        }
    }

    fn span_from_row(&self, row: &Row) -> Result<Span> {
        let bad = |i: usize, e: postgres::Error| {
            Error::Unreachable(format!(
                "{}: unexpected value in result column {i}: {}",
                self.url.display(),
                error_chain(&e)
            ))
        };
        let text = |i: usize| -> Result<Option<String>> { row.try_get(i).map_err(|e| bad(i, e)) };
        let int = |i: usize| -> Result<Option<i64>> { row.try_get(i).map_err(|e| bad(i, e)) };
        let mut s = Span {
            trace_id: normalize_id(&text(0)?.unwrap_or_default()),
            span_id: text(1)?.map(|v| normalize_id(&v)).unwrap_or_default(),
            parent_id: text(2)?
                .map(|v| normalize_id(&v))
                .filter(|v| !v.is_empty() && !v.bytes().all(|b| b == b'0')),
            service: text(3)?.unwrap_or_else(|| "unknown".into()),
            operation: text(4)?.unwrap_or_default(),
            start_ns: int(5)?.unwrap_or(0).saturating_mul(1000),
            duration_ns: int(6)?.unwrap_or(0),
            ..Span::default()
        };
        let status = text(7)?;
        let message = text(8)?;
        if let Some(k) = text(9)? {
            s.kind = SpanKind::parse(&k);
        }
        for (i, resource) in [(10, false), (11, true)] {
            if let Some(json) = text(i)? {
                let target = if resource {
                    &mut s.resource
                } else {
                    &mut s.attributes
                };
                if let Ok(serde_json::Value::Object(map)) = serde_json::from_str(&json) {
                    flatten("", &map, target);
                }
            }
        }
        for (j, col) in self.mapping.extras.iter().enumerate() {
            if let Some(v) = text(12 + j)? {
                s.attributes
                    .push((col.name.clone(), typed(&v, kind_of(&col.type_name))));
            }
        }
        if let Some(st) = status {
            let lower = st.trim().to_ascii_lowercase();
            if ERROR_STATUS_WORDS.contains(&lower.as_str()) {
                s.status.code = StatusCode::Error;
            } else if OK_STATUS.contains(&lower.as_str()) {
                s.status.code = StatusCode::Ok;
            }
            s.attributes.push(("status".into(), AttrValue::Str(st)));
        }
        if let Some(m) = message.filter(|m| !m.is_empty()) {
            if s.status.code == StatusCode::Error {
                s.status.message = Some(m.clone());
            }
            s.attributes
                .push(("error.message".into(), AttrValue::Str(m)));
        }
        Ok(s)
    }

    /// The SQL conditions and parameters for the span filters of a search or stats query.
    fn span_conditions(
        &self,
        service: Option<&String>,
        operation: Option<&String>,
        window: (Option<i64>, Option<i64>),
        min_ns: Option<i64>,
        max_ns: Option<i64>,
        params: &mut Params,
    ) -> Vec<String> {
        let f = &self.sql;
        let mut conds = Vec::new();
        if let Some(start) = window.0 {
            conds.push(format!(
                "{} >= {}",
                f.start_col,
                params.push(system_time(start))
            ));
        }
        if let Some(end) = window.1 {
            conds.push(format!(
                "{} <= {}",
                f.start_col,
                params.push(system_time(end))
            ));
        }
        if let Some(s) = service {
            conds.push(format!("{} = {}", f.service, params.push(s.clone())));
        }
        if let Some(o) = operation {
            conds.push(format!("{} = {}", f.operation, params.push(o.clone())));
        }
        if let Some(d) = min_ns {
            conds.push(format!("{} >= {}", f.dur_ns, params.push(d)));
        }
        if let Some(d) = max_ns {
            conds.push(format!("{} <= {}", f.dur_ns, params.push(d)));
        }
        conds
    }

    /// `lower(status) = ANY($k)`, or `false` when the table has no status column.
    fn error_predicate(&self, params: &mut Params) -> String {
        match &self.sql.status {
            Some(status) => {
                let words: Vec<String> = ERROR_STATUS_WORDS.iter().map(|w| w.to_string()).collect();
                format!(
                    "COALESCE(lower({status}) = ANY({}), false)",
                    params.push(words)
                )
            }
            None => "false".into(),
        }
    }

    /// A `--tag key=value` as SQL: an extra column of that name, or a key of the attributes.
    fn tag_condition(&self, key: &str, value: &str, params: &mut Params) -> Result<String> {
        if valid_ident(key) {
            if let Some(c) = self.mapping.extras.iter().find(|c| c.name == key) {
                return Ok(format!(
                    "{}::text = {}",
                    quote(&c.name),
                    params.push(value.to_string())
                ));
            }
        }
        match self.mapping.get(Role::Attributes).and_then(|c| c.first()) {
            Some(c) => Ok(format!(
                "{} ->> {} = {}",
                quote(&c.name),
                params.push(key.to_string()),
                params.push(value.to_string())
            )),
            None => Err(Error::Usage(format!(
                "--tag {}: table {} has no such column and no attributes column",
                key.escape_debug(),
                self.url.table.display()
            ))),
        }
    }
}

impl super::backend::TraceSource for PostgresSource {
    fn describe(&self) -> String {
        self.url.display()
    }

    fn trace(&self, id: &str) -> Result<Trace> {
        let traces = self.fetch(&[id.to_string()])?;
        traces
            .into_iter()
            .find(|t| id_matches(&t.id, id) || t.id == id.trim())
            .ok_or_else(|| Error::TraceNotFound {
                id: id.to_string(),
                source_name: self.describe(),
                hint: format!(
                    " (no row with {} = that id; find ids with `tracediag search`)",
                    self.mapping
                        .get(Role::TraceId)
                        .and_then(|c| c.first())
                        .map_or("the trace id", |c| c.name.as_str())
                ),
            })
    }

    fn traces(&self, ids: &[String]) -> Option<Vec<Result<Trace>>> {
        // One query for all of them: a round trip per trace would dominate `search --diagnose`.
        let fetched = match self.fetch(ids) {
            Ok(t) => t,
            Err(e) => {
                // Every id gets the error, with its exit code: a trace over a limit is an
                // input error (2), a failed query an unreachable source (3).
                let msg = e.to_string();
                let again = |m: String| match &e {
                    Error::Limit(_) => Error::Limit(m),
                    Error::Input { .. } | Error::Usage(_) | Error::TraceNotFound { .. } => {
                        Error::Usage(m)
                    }
                    _ => Error::Unreachable(m),
                };
                return Some(ids.iter().map(|_| Err(again(msg.clone()))).collect());
            }
        };
        let mut by_id: HashMap<String, Trace> =
            fetched.into_iter().map(|t| (t.id.clone(), t)).collect();
        Some(
            ids.iter()
                .map(|id| {
                    // By key first; the scan for short or padded spellings is the rare case.
                    let norm = normalize_id(id);
                    let key = if by_id.contains_key(&norm) {
                        Some(norm)
                    } else {
                        by_id
                            .keys()
                            .find(|k| id_matches(k, id) || k.as_str() == id.trim())
                            .cloned()
                    };
                    match key.and_then(|k| by_id.remove(&k)) {
                        Some(t) => Ok(t),
                        None => Err(Error::TraceNotFound {
                            id: id.clone(),
                            source_name: self.describe(),
                            hint: String::new(),
                        }),
                    }
                })
                .collect(),
        )
    }

    fn search(&self, q: &SearchQuery) -> Result<Vec<TraceSummary>> {
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
             FROM s GROUP BY tid HAVING min(st) >= {window_lo} AND min(st) <= {window_hi}{having} \
             ORDER BY min(start_us) DESC, tid LIMIT {limit}",
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

    fn services(&self) -> Result<Vec<String>> {
        let sql = format!(
            "SELECT DISTINCT {s} FROM {t} WHERE {s} IS NOT NULL ORDER BY 1 LIMIT 10000",
            s = self.sql.service,
            t = self.sql.table
        );
        let rows = self.run(&sql, |c| c.query(&sql, &[]))?;
        Ok(rows.iter().filter_map(|r| r.try_get(0).ok()).collect())
    }

    fn operations(&self, service: &str) -> Result<Vec<String>> {
        let sql = format!(
            "SELECT DISTINCT {o} FROM {t} WHERE {s} = $1 AND {o} IS NOT NULL ORDER BY 1 LIMIT 10000",
            o = self.sql.operation,
            s = self.sql.service,
            t = self.sql.table
        );
        let rows = self.run(&sql, |c| c.query(&sql, &[&service]))?;
        Ok(rows.iter().filter_map(|r| r.try_get(0).ok()).collect())
    }

    fn stats(&self, q: &StatsQuery) -> Option<Result<Vec<OperationStats>>> {
        Some(self.stats_sql(q))
    }
}

impl PostgresSource {
    fn trace_col(&self) -> String {
        self.mapping
            .get(Role::TraceId)
            .and_then(|c| c.first())
            .map_or_else(|| "NULL".into(), |c| quote(&c.name))
    }

    fn stats_sql(&self, q: &StatsQuery) -> Result<Vec<OperationStats>> {
        let f = &self.sql;
        let mut params = Params::default();
        let mut conds = self.span_conditions(
            q.service.as_ref(),
            q.operation.as_ref(),
            (q.start_ns, q.end_ns),
            q.min_duration_ns,
            None,
            &mut params,
        );
        let err = self.error_predicate(&mut params);
        match q.status {
            Some(StatusFilter::Error) => conds.push(err.clone()),
            Some(StatusFilter::Ok) => conds.push(format!("NOT {err}")),
            None => {}
        }
        let (svc, op) = match q.group_by {
            StatsGroup::Operation => (f.service.as_str(), f.operation.as_str()),
            StatsGroup::Service => (f.service.as_str(), "NULL::text"),
            StatsGroup::All => ("NULL::text", "NULL::text"),
        };
        let sql = format!(
            "SELECT svc, op, count(*), count(*) FILTER (WHERE e), avg(d), \
                    percentile_cont(0.5) WITHIN GROUP (ORDER BY d), \
                    percentile_cont(0.95) WITHIN GROUP (ORDER BY d), \
                    percentile_cont(0.99) WITHIN GROUP (ORDER BY d), max(d) \
             FROM (SELECT {svc} AS svc, {op} AS op, ({dur})::float8 / 1000000.0 AS d, {err} AS e \
                   FROM {table} WHERE {conds}) s \
             GROUP BY svc, op",
            dur = f.dur_ns,
            table = f.table,
            conds = if conds.is_empty() {
                "true".into()
            } else {
                conds.join(" AND ")
            },
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
            });
        }
        sort_rows(&mut out);
        Ok(out)
    }
}

impl Fragments {
    fn new(url: &PgUrl, m: &Mapping) -> Fragments {
        let col = |r: Role| m.get(r).and_then(|c| c.first());
        let text = |r: Role| match m.get(r) {
            Some(cols) if cols.len() > 1 => format!(
                "COALESCE({})",
                cols.iter()
                    .map(|c| format!("{}::text", quote(&c.name)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Some([c]) => format!("{}::text", quote(&c.name)),
            _ => "NULL::text".into(),
        };
        let service = match (m.get(Role::Service), m.service_fallback) {
            (Some(_), Some(fb)) => {
                let t = text(Role::Service);
                let inner = t
                    .strip_prefix("COALESCE(")
                    .and_then(|s| s.strip_suffix(')'));
                // The fallback is a constant of ours, never user input.
                format!("COALESCE({}, '{fb}')", inner.unwrap_or(&t))
            }
            (None, Some(fb)) => format!("'{fb}'::text"),
            _ => text(Role::Service),
        };
        let us = |c: &Column| format!("(EXTRACT(EPOCH FROM {}) * 1000000)::int8", quote(&c.name));
        let start = col(Role::Start);
        let start_us = start.map_or_else(|| "0::int8".into(), us);
        let mut dur_parts = Vec::new();
        if let (Some(s), Some(e)) = (start, col(Role::End)) {
            dur_parts.push(format!(
                "(EXTRACT(EPOCH FROM ({} - {})) * 1000000000)::int8",
                quote(&e.name),
                quote(&s.name)
            ));
        }
        if let Some(c) = col(Role::DurationNs) {
            dur_parts.push(format!("({})::int8", quote(&c.name)));
        }
        if let Some(c) = col(Role::DurationMs) {
            dur_parts.push(format!("({} * 1000000)::int8", quote(&c.name)));
        }
        dur_parts.push("0::int8".into());
        let dur_ns = format!("COALESCE({})", dur_parts.join(", "));
        let trace = col(Role::TraceId);
        let trace_is_int = trace.is_some_and(|c| kind_of(&c.type_name) == Kind::Int);
        let trace_filter = match trace {
            Some(c) if trace_is_int => format!("{} = ANY($1::int8[])", quote(&c.name)),
            Some(c) if is_string_type(&c.type_name) => {
                format!("{} = ANY($1::text[])", quote(&c.name))
            }
            Some(c) => format!("{}::text = ANY($1::text[])", quote(&c.name)),
            None => "false".into(),
        };
        let status = m.get(Role::Status).map(|_| text(Role::Status));
        let mut select = vec![
            text(Role::TraceId),
            text(Role::SpanId),
            text(Role::ParentId),
            service.clone(),
            text(Role::Operation),
            start_us.clone(),
            dur_ns.clone(),
            text(Role::Status),
            text(Role::ErrorMessage),
            text(Role::Kind),
            text(Role::Attributes),
            text(Role::Resource),
        ];
        select.extend(m.extras.iter().map(|c| format!("{}::text", quote(&c.name))));
        Fragments {
            table: url.table.sql(),
            select: select.join(", "),
            trace_filter,
            trace_is_int,
            trace_text: text(Role::TraceId),
            start_col: start.map_or_else(|| "NULL".into(), |c| quote(&c.name)),
            start_us,
            dur_ns,
            service,
            operation: text(Role::Operation),
            status,
        }
    }
}

fn is_string_type(t: &str) -> bool {
    let t = t.to_ascii_lowercase();
    t == "text" || t.starts_with("character") || t.starts_with("varchar")
}

/// The spellings under which a text trace id may be stored: as typed, lower-cased,
/// normalised, and left-padded to 16 and 32 hex digits.
fn id_candidates(id: &str) -> Vec<String> {
    let t = id.trim();
    let mut v = vec![t.to_string(), t.to_ascii_lowercase(), normalize_id(t)];
    if !t.is_empty() && t.len() < 32 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
        let lower = t.to_ascii_lowercase();
        if t.len() < 16 {
            v.push(format!("{lower:0>16}"));
        }
        v.push(format!("{lower:0>32}"));
    }
    v
}

/// A column value read as text, typed by the column's type.
fn typed(v: &str, kind: Kind) -> AttrValue {
    match kind {
        Kind::Int => v
            .parse()
            .map_or_else(|_| AttrValue::Str(v.into()), AttrValue::Int),
        Kind::Float => v
            .parse()
            .map_or_else(|_| AttrValue::Str(v.into()), AttrValue::Float),
        Kind::Bool => AttrValue::Bool(v == "true" || v == "t"),
        _ => AttrValue::Str(v.into()),
    }
}

/// A JSON object as attributes; nested objects become dotted keys (`http.request.method`).
fn flatten(
    prefix: &str,
    map: &serde_json::Map<String, serde_json::Value>,
    out: &mut Vec<(String, AttrValue)>,
) {
    for (k, v) in map {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            serde_json::Value::Object(inner) => flatten(&key, inner, out),
            serde_json::Value::Null => {}
            other => out.push((key, json_value(other))),
        }
    }
}

fn json_value(v: &serde_json::Value) -> AttrValue {
    match v {
        serde_json::Value::Bool(b) => AttrValue::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => AttrValue::Int(i),
            None => AttrValue::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_json::Value::String(s) => AttrValue::Str(s.clone()),
        serde_json::Value::Array(items) => AttrValue::List(items.iter().map(json_value).collect()),
        other => AttrValue::Str(other.to_string()),
    }
}

fn system_time(ns: i64) -> SystemTime {
    let d = Duration::from_nanos(ns.unsigned_abs());
    if ns >= 0 {
        UNIX_EPOCH.checked_add(d).unwrap_or(UNIX_EPOCH)
    } else {
        UNIX_EPOCH.checked_sub(d).unwrap_or(UNIX_EPOCH)
    }
}

/// Bound parameters, numbered as they are added.
#[derive(Default)]
struct Params(Vec<Box<dyn ToSql + Sync>>);

impl Params {
    /// Add a value; returns its placeholder (`$3`).
    fn push(&mut self, v: impl ToSql + Sync + 'static) -> String {
        self.0.push(Box::new(v));
        format!("${}", self.0.len())
    }

    fn refs(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.0.iter().map(|b| b.as_ref()).collect()
    }
}

/// `f` inside `BEGIN READ ONLY` with a statement timeout; rolled back on error.
fn read_only<T>(
    client: &mut Client,
    timeout_ms: u64,
    f: impl FnOnce(&mut Client) -> std::result::Result<T, postgres::Error>,
) -> std::result::Result<T, postgres::Error> {
    // The timeout is a number we format; SET cannot take a bound parameter.
    client.batch_execute(&format!(
        "BEGIN READ ONLY; SET LOCAL statement_timeout = {timeout_ms}"
    ))?;
    match f(client) {
        Ok(v) => {
            client.batch_execute("COMMIT")?;
            Ok(v)
        }
        Err(e) => {
            // The transaction is already failed; a broken connection fails this too.
            let _ = client.batch_execute("ROLLBACK");
            Err(e)
        }
    }
}

/// A query error as one line with an exit code: missing tables and columns, permissions and
/// bad values are the user's to fix (2); timeouts and lost connections are the server's (3).
fn query_error(e: &postgres::Error, url: &PgUrl, timeout_ms: u64) -> Error {
    let at = url.display();
    if let Some(db) = e.as_db_error() {
        let msg = url.mask(db.message());
        let code = db.code().code();
        return match code {
            "57014" => Error::Unreachable(format!(
                "{at}: the query ran past the statement timeout ({timeout_ms} ms): raise --statement-timeout, narrow the search, or add the indexes from `tracediag schema {}`",
                url.preset.name()
            )),
            "42P01" => Error::input(at, format!("{msg}: check table= and schema= in the URL")),
            "42703" => Error::input(at, format!("{msg}: check the column mapping (--column, preset=)")),
            "42501" => Error::input(at, format!("{msg}: grant SELECT on {} to {}", url.table.display(), url.user)),
            _ if code.starts_with("08") || code.starts_with("53") || code.starts_with("57") => {
                Error::Unreachable(format!("{at}: {msg}"))
            }
            _ => Error::input(at, format!("{msg} (SQLSTATE {code})")),
        };
    }
    Error::Unreachable(format!(
        "{at}: the connection failed: {}; is PostgreSQL still running?",
        url.mask(&error_chain(e))
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_cover_short_and_padded_ids() {
        let c = id_candidates("2193");
        assert!(c.contains(&"2193".to_string()));
        assert!(c.contains(&"0000000000002193".to_string()));
        assert!(c.contains(&format!("{:0>32}", "2193")));
        assert_eq!(
            id_candidates("x'; DROP TABLE t; --")[0],
            "x'; DROP TABLE t; --"
        );
    }

    #[test]
    fn json_attributes_flatten() {
        let v: serde_json::Value = serde_json::from_str(
            r#"{"http":{"status_code":503,"method":"GET"},"ok":true,"x":null,"l":[1,"a"]}"#,
        )
        .unwrap_or_default();
        let mut out = Vec::new();
        if let serde_json::Value::Object(m) = v {
            flatten("", &m, &mut out);
        }
        assert!(out.contains(&("http.status_code".into(), AttrValue::Int(503))));
        assert!(out.contains(&("ok".into(), AttrValue::Bool(true))));
        assert_eq!(out.len(), 4);
    }

    #[test]
    fn times_before_the_epoch_do_not_panic() {
        assert!(system_time(-5) < UNIX_EPOCH);
        assert!(system_time(i64::MIN) <= UNIX_EPOCH);
    }
}
