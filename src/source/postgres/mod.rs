//! PostgreSQL as a trace source: any table of spans, one row per span, through a preset or a
//! `--column` mapping.
//!
//! * `conn.rs`: the URL, TLS (rustls) and connecting;
//! * `mapping.rs`: presets, roles, identifier validation and quoting;
//! * `fragments.rs`: the SQL text derived once from the mapping;
//! * `session.rs`: read-only transactions and query errors;
//! * `fetch.rs`: traces by id, one query for any number of them, with `trace_col = ANY($1)`
//!   (an index lookup);
//! * `rows.rs`: rows decoded into spans and grouped into traces;
//! * `conditions.rs`: the filters of `search` and `stats` as SQL with bound parameters;
//! * `search.rs`, `stats.rs`: `search` and `stats` run as aggregates on the server, so a
//!   large table is never pulled to the client;
//! * here: opening the source, and the [`TraceSource`] it is.
//!
//! Every query runs in its own `READ ONLY` transaction with a `statement_timeout`, and every
//! value is a bound parameter.

mod conditions;
pub mod conn;
mod fetch;
mod fragments;
mod incident;
mod incident_sql;
pub mod mapping;
mod rows;
mod sample;
mod search;
mod session;
mod stats;

use std::sync::Mutex;
use std::time::Duration;

use postgres::Client;

use self::conn::PgUrl;
use self::fragments::Fragments;
use self::mapping::{Column, Mapping, Role};
use self::session::{query_error, read_only};
use super::limits::Limits;
use super::pushdown::{OperationStats, StatsQuery};
use super::search::{SearchQuery, TraceSummary};
use super::trace_source::TraceSource;
use crate::error::{Error, Result};
use crate::model::window_stats::WindowStats;
use crate::model::Trace;

/// Settings from the command line.
#[derive(Debug, Clone)]
pub struct PgOptions {
    pub columns: Vec<(String, String)>,
    pub statement_timeout: Duration,
    pub connect_timeout: Duration,
    pub verbose: u8,
    /// `--max-trace-spans` and `--max-attr-size` apply to rows as to any other input.
    pub limits: Limits,
}

pub struct PostgresSource {
    url: PgUrl,
    client: Mutex<Client>,
    mapping: Mapping,
    sql: Fragments,
    statement_timeout_ms: u64,
    verbose: u8,
    limits: Limits,
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
        let columns = table_columns(&mut client, &url, ms)?;
        let mapping = Mapping::resolve(url.preset, &opts.columns, &columns, &url.table.display())?;
        let sql = Fragments::new(&url, &mapping);
        if opts.verbose > 0 {
            log_mapping(&url, columns.len(), &mapping);
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
}

impl TraceSource for PostgresSource {
    fn describe(&self) -> String {
        self.url.display()
    }

    fn trace(&self, id: &str) -> Result<Trace> {
        self.fetch_trace(id)
    }

    fn traces(&self, ids: &[String]) -> Option<Vec<Result<Trace>>> {
        Some(self.fetch_traces(ids))
    }

    fn search(&self, q: &SearchQuery) -> Result<Vec<TraceSummary>> {
        self.search_sql(q)
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

    fn count_traces(&self, q: &StatsQuery) -> Option<Result<u64>> {
        Some(self.count_traces_sql(q))
    }

    fn window_stats(
        &self,
        start_ns: i64,
        end_ns: i64,
        reference: Option<&WindowStats>,
        max_traces: usize,
    ) -> std::result::Result<Result<WindowStats>, String> {
        if !self.can_aggregate_windows() {
            return Err(format!(
                "table {} has no span and parent id columns (parents are inferred per trace)",
                self.url.table.display()
            ));
        }
        Ok(self.window_stats_sql(start_ns, end_ns, reference, max_traces))
    }
}

/// The table's columns and their types, from the catalog; a table that does not exist (or
/// that the user cannot see) is an input error that says how to create it.
fn table_columns(client: &mut Client, url: &PgUrl, timeout_ms: u64) -> Result<Vec<Column>> {
    let rows = read_only(client, timeout_ms, |c| {
        c.query(
            "SELECT a.attname::text, format_type(a.atttypid, a.atttypmod) \
             FROM pg_attribute a WHERE a.attrelid = to_regclass($1)::oid \
             AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
            &[&url.table.sql()],
        )
    })
    .map_err(|e| query_error(&e, url, timeout_ms))?;
    let columns: Vec<Column> = rows
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
    Ok(columns)
}

/// `-v`: which columns play which role, and whether parents will be inferred.
fn log_mapping(url: &PgUrl, column_count: usize, mapping: &Mapping) {
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
        column_count,
        roles.join(", "),
        if mapping.has(Role::ParentId) {
            ""
        } else {
            "; no parent column: parents inferred from time containment"
        }
    );
}
