//! Window RCA on the server: the aggregates of one set of traces (those whose first span
//! starts in a range) as one read-only query, so a window of millions of spans never
//! leaves the database. Fills the same [`WindowStats`] the in-memory path fills from
//! fetched traces, and computes each number the same way:
//!
//! * self time: the span's duration minus the union of its children's intervals clipped to
//!   it (a running maximum over the children in start order);
//! * a span's callee: its first child (by start, then span id) of another service;
//! * invocations: a span entered from another service (or a root) and its same-service
//!   descendants (a recursive walk over the spans not entered);
//! * the entry endpoint: the first span under the main root's service that belongs to
//!   another service, else the main root;
//! * medians and MADs as `percentile_cont(0.5)` computes them, from per-value counts; the
//!   excess over the reference medians (bound as arrays) is `sum(greatest(x − median, 0))`.
//!
//! Traces and spans are keyed inside the query by 64-bit hashes of their ids
//! (`hashtextextended`), which makes the joins and sorts on them cheap; two ids of one trace
//! would have to share a hash (odds about 1 in 10^19 per pair) to be taken for one.
//!
//! Needs span and parent id columns: without them parents are inferred per trace on the
//! client, and the caller fetches traces instead. Errors are the status column's error
//! words only (the in-memory path also reads error tags and HTTP codes in attributes).

use std::collections::BTreeSet;

use postgres::Row;

use super::conditions::Params;
use super::incident_sql::{SESSION, SQL};
use super::mapping::Role;
use super::sample::{self, Slices};
use super::PostgresSource;
use crate::error::Result;
use crate::model::window_stats::{Dist, FailureKey, WindowStats, ERROR_HANDLER_SUFFIX};

impl PostgresSource {
    /// Whether the table can aggregate window RCA: it needs span and parent ids.
    pub(super) fn can_aggregate_windows(&self) -> bool {
        self.mapping.has(Role::SpanId) && self.mapping.has(Role::ParentId)
    }

    /// The aggregates of the traces whose first span starts in `[start_ns, end_ns)`, the
    /// latency excess measured against `reference`'s medians.
    pub(super) fn window_stats_sql(
        &self,
        start_ns: i64,
        end_ns: i64,
        reference: Option<&WindowStats>,
        max_traces: usize,
    ) -> Result<WindowStats> {
        let slices = match max_traces {
            0 => None,
            bound => self.sample_slices(start_ns, end_ns, bound)?,
        };
        let f = &self.sql;
        let text = |r: Role| self.column_text(r);
        let mut params = Params::default();
        let read = slices
            .clone()
            .unwrap_or_else(|| Slices::whole(start_ns, end_ns));
        params.push(Slices::times(&read.lo));
        params.push(Slices::times(&read.hi));
        params.push(start_ns);
        let (mut ks, mut as_, mut bs, mut ms) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        if let Some(r) = reference {
            let mut add = |k: &str, a: &str, b: &str, d: &Dist| {
                ks.push(k.to_string());
                as_.push(a.to_string());
                bs.push(b.to_string());
                ms.push(d.median);
            };
            for ((a, b), d) in &r.own {
                add("own", a, b, d);
            }
            for ((a, b), d) in &r.edge {
                add("edge", a, b, d);
            }
            for (a, d) in &r.total {
                add("total", a, "", d);
            }
        }
        params.push(ks);
        params.push(as_);
        params.push(bs);
        params.push(ms);
        let err = self.error_predicate(&mut params);
        params.push(ERROR_HANDLER_SUFFIX.to_string());
        params.push(read.width);
        params.push(read.len);
        params.push(read.offsets.clone());
        let sql = SQL
            .replace("{trace}", &self.trace_col())
            .replace("{table}", &f.table)
            .replace("{start_us}", &f.start_us)
            .replace("{start}", &f.start_col)
            .replace("{span}", &text(Role::SpanId))
            .replace("{parent}", &text(Role::ParentId))
            .replace("{service}", &f.service)
            .replace("{operation}", &f.operation)
            .replace("{dur}", &f.dur_ns)
            .replace("{err}", &err);
        let rows = self.run(&sql, |c| {
            c.batch_execute(SESSION)?;
            c.query(&sql, &params.refs())
        })?;
        let mut stats = stats_from_rows(&rows);
        if let Some(s) = slices {
            // Every trace had the slices' share as its chance of being read.
            let share = s.share(start_ns, end_ns);
            let estimate = (stats.traces as f64 / share).round() as u64;
            stats.sampled_from = Some(estimate.max(stats.traces as u64));
        }
        Ok(stats)
    }

    /// The first column of role `r` as text, quoted.
    fn column_text(&self, r: Role) -> String {
        self.mapping.get(r).and_then(|c| c.first()).map_or_else(
            || "NULL::text".into(),
            |c| format!("{}::text", super::mapping::quote(&c.name)),
        )
    }

    /// The slices of a sample of about `bound` of the range's traces, None when the range
    /// holds fewer (by a pilot count over a small share of it).
    fn sample_slices(&self, start_ns: i64, end_ns: i64, bound: usize) -> Result<Option<Slices>> {
        let Some(p) = sample::pilot(start_ns, end_ns) else {
            return Ok(None);
        };
        let f = &self.sql;
        // Root spans count the traces starting in the slices (a trace with a span in them
        // may have started before); without roots, the traces with a span there.
        let sql = format!(
            "SELECT count(*) FILTER (WHERE COALESCE(ltrim(x.par, '0'), '') = ''), count(DISTINCT x.tr) \
             FROM unnest($1::timestamptz[], $2::timestamptz[]) AS g(lo, hi), \
             LATERAL (SELECT {trace} AS tr, {parent} AS par FROM {table} \
                      WHERE {start} >= g.lo AND {start} < g.hi) x",
            trace = self.trace_col(),
            parent = self.column_text(Role::ParentId),
            table = f.table,
            start = f.start_col,
        );
        let (lo, hi) = (Slices::times(&p.lo), Slices::times(&p.hi));
        let row = self.run(&sql, |c| c.query_one(&sql, &[&lo, &hi]))?;
        let roots: i64 = row.try_get(0).unwrap_or(0);
        let seen = if roots > 0 {
            roots
        } else {
            row.try_get(1).unwrap_or(0)
        };
        let estimate = seen as f64 / p.share(start_ns, end_ns);
        Ok(sample::plan(start_ns, end_ns, estimate, bound))
    }
}

fn stats_from_rows(rows: &[Row]) -> WindowStats {
    let mut w = WindowStats::default();
    for r in rows {
        let s = |i: usize| {
            r.try_get::<_, Option<String>>(i)
                .ok()
                .flatten()
                .unwrap_or_default()
        };
        let n = usize::try_from(r.try_get::<_, Option<i64>>(5).ok().flatten().unwrap_or(0))
            .unwrap_or(0);
        let x = |i: usize| r.try_get::<_, Option<f64>>(i).ok().flatten().unwrap_or(0.0);
        match s(0).as_str() {
            "traces" => w.traces = n,
            "spans" => w.spans = n as u64,
            "service" => {
                w.services.insert(s(1));
            }
            "lat" => {
                let d = Dist {
                    n,
                    median: x(6),
                    mad: x(7),
                    excess: x(8),
                };
                match s(1).as_str() {
                    "own" => {
                        w.own.insert((s(2), s(3)), d);
                    }
                    "edge" => {
                        w.callees.entry(s(2)).or_default().insert(s(3));
                        w.edge.insert((s(2), s(3)), d);
                    }
                    _ => {
                        w.total.insert(s(2), d);
                    }
                }
            }
            "inv" => {
                w.invocations.insert((s(1), s(2), s(3)), n);
            }
            "call" => {
                w.calls.insert((s(1), s(2), s(3), s(4)), n);
            }
            "origin" => {
                w.error_origins.insert(s(1), n);
            }
            "byop" => {
                let c = w.by_op.entry((s(1), s(2))).or_default();
                c.invocations = n;
                c.failed = x(6) as usize;
            }
            "expect" => {
                w.callees_of_op
                    .entry((s(1), s(2)))
                    .or_default()
                    .insert(s(3), (n, x(6)));
            }
            "fail" => {
                let called: Vec<String> = r
                    .try_get::<_, Option<Vec<String>>>(9)
                    .ok()
                    .flatten()
                    .unwrap_or_default();
                let key = FailureKey {
                    service: s(1),
                    operation: s(2),
                    called: called.into_iter().collect::<BTreeSet<_>>(),
                    last_callee: r.try_get::<_, Option<String>>(3).ok().flatten(),
                };
                *w.failures.entry(key).or_default() += n;
            }
            _ => {}
        }
    }
    w
}
