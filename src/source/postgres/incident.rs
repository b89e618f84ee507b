//! Window RCA on the server: the aggregates of one set of traces (those whose first span
//! starts in a range) as one read-only query, so a window of millions of spans never
//! leaves the database. Fills the same [`WindowStats`] the in-memory path fills from
//! fetched traces, and computes each number the same way:
//!
//! * self time: the span's duration minus the union of its children's intervals clipped to
//!   it (gaps and islands over the children in start order);
//! * a span's callee: its first child (by start, then span id) of another service;
//! * invocations: a span entered from another service (or a root) and its same-service
//!   descendants (a recursive walk);
//! * the entry endpoint: the first span under the main root's service that belongs to
//!   another service, else the main root;
//! * medians and MADs with `percentile_cont(0.5)`, the excess over the reference medians
//!   (bound as arrays) with `sum(greatest(x − median, 0))`.
//!
//! Needs span and parent id columns: without them parents are inferred per trace on the
//! client, and the caller fetches traces instead. Errors are the status column's error
//! words only (the in-memory path also reads error tags and HTTP codes in attributes).

use std::collections::BTreeSet;

use postgres::Row;

use super::conditions::{system_time, Params};
use super::mapping::Role;
use super::PostgresSource;
use crate::error::Result;
use crate::model::window_stats::{Dist, FailureKey, WindowStats, ERROR_HANDLER_SUFFIX};

/// The per-set query; `{…}` are the mapping's quoted fragments, `$n` bound parameters:
/// $1/$2 the range as timestamps, $3/$4 in ns, $5–$8 the reference medians, $9 the error
/// words (inside `{err}`), $10 the error handler suffix.
const SQL: &str = "
WITH RECURSIVE
cand AS (SELECT DISTINCT {trace} AS tr FROM {table} WHERE {start} >= $1 AND {start} < $2),
raw AS (
  SELECT {trace} AS tr, {span} AS sid,
         CASE WHEN {parent} ~ '^0*$' THEN NULL ELSE {parent} END AS pid,
         {service} AS svc, {operation} AS op, ({start_us}) * 1000 AS s,
         greatest({dur}, 0) AS d, {err} AS e
  FROM {table} WHERE {trace} IN (SELECT tr FROM cand)),
trs AS (SELECT tr FROM raw GROUP BY tr HAVING min(s) >= $3 AND min(s) < $4),
sp AS (SELECT r.*, r.s + r.d AS en FROM raw r JOIN trs USING (tr)),
kid AS (
  SELECT c.tr, c.pid AS psid, c.sid, c.svc, c.s, c.en, c.e, p.svc AS psvc, p.s AS ps, p.en AS pen
  FROM sp c JOIN sp p ON p.tr = c.tr AND p.sid = c.pid),
clip AS (
  SELECT tr, psid, greatest(s, ps) AS cs, least(en, pen) AS ce FROM kid
  WHERE least(en, pen) > greatest(s, ps)),
run AS (
  SELECT tr, psid, cs, ce, max(ce) OVER (PARTITION BY tr, psid ORDER BY cs, ce
         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev FROM clip),
isl AS (
  SELECT tr, psid, cs, ce, sum(CASE WHEN prev IS NULL OR cs > prev THEN 1 ELSE 0 END)
         OVER (PARTITION BY tr, psid ORDER BY cs, ce ROWS UNBOUNDED PRECEDING) AS g FROM run),
cov AS (
  SELECT tr, psid, sum(hi - lo) AS covered
  FROM (SELECT tr, psid, min(cs) AS lo, max(ce) AS hi FROM isl GROUP BY tr, psid, g) x
  GROUP BY tr, psid),
callee AS (
  SELECT DISTINCT ON (tr, psid) tr, psid, svc AS csvc FROM kid WHERE svc <> psvc
  ORDER BY tr, psid, s, sid),
errkid AS (SELECT DISTINCT tr, psid FROM kid WHERE e),
f AS (
  SELECT x.tr, x.sid, x.pid, x.svc, x.op, x.s, x.d, x.en, x.e,
         greatest(x.d - COALESCE(cv.covered, 0), 0) AS self, ca.csvc,
         (x.e AND ek.psid IS NULL) AS origin, p.sid AS par, p.svc AS psvc,
         (p.sid IS NULL OR p.svc <> x.svc) AS entered
  FROM sp x
  LEFT JOIN sp p ON p.tr = x.tr AND p.sid = x.pid
  LEFT JOIN cov cv ON cv.tr = x.tr AND cv.psid = x.sid
  LEFT JOIN callee ca ON ca.tr = x.tr AND ca.psid = x.sid
  LEFT JOIN errkid ek ON ek.tr = x.tr AND ek.psid = x.sid),
root AS (
  SELECT DISTINCT ON (tr) tr, svc, op FROM f WHERE par IS NULL
  ORDER BY tr, (pid IS NOT NULL), s, d DESC, sid),
hop AS (
  SELECT DISTINCT ON (f.tr) f.tr, f.svc, f.op FROM f JOIN root r ON r.tr = f.tr
  WHERE f.psvc = r.svc AND f.svc <> r.svc ORDER BY f.tr, f.s, f.sid),
entry AS (
  SELECT r.tr, COALESCE(h.svc, r.svc) || '.' || COALESCE(h.op, r.op) AS ep
  FROM root r LEFT JOIN hop h ON h.tr = r.tr),
inv(tr, sid, rsid) AS (
  SELECT tr, sid, sid FROM f WHERE entered
  UNION ALL
  SELECT c.tr, c.sid, i.rsid FROM inv i JOIN f c ON c.tr = i.tr AND c.pid = i.sid
  WHERE NOT c.entered),
member AS (SELECT i.rsid, m.* FROM inv i JOIN f m ON m.tr = i.tr AND m.sid = i.sid),
failat AS (
  SELECT tr, rsid, min(CASE WHEN right(op, length($10)) = $10 THEN s ELSE en END) AS at
  FROM member WHERE e OR right(op, length($10)) = $10 GROUP BY tr, rsid),
outcall AS (
  SELECT i.tr, i.rsid, c.svc, c.op, c.s, c.en
  FROM f c JOIN inv i ON i.tr = c.tr AND i.sid = c.pid WHERE c.entered),
invroot AS (
  SELECT r.tr, r.sid, r.svc, r.op, r.s, fa.at, fa.rsid IS NOT NULL AS failed
  FROM f r LEFT JOIN failat fa ON fa.tr = r.tr AND fa.rsid = r.sid WHERE r.entered),
lat AS (
  SELECT 'own' AS k, svc AS a, op AS b, self::float8 / 1000000.0 AS x FROM f WHERE csvc IS NULL
  UNION ALL
  SELECT 'edge', svc, csvc, self::float8 / 1000000.0 FROM f WHERE csvc IS NOT NULL
  UNION ALL
  SELECT 'total', svc, '', d::float8 / 1000000.0 FROM f WHERE entered),
med AS (
  SELECT k, a, b, count(*) AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS m
  FROM lat GROUP BY k, a, b),
ref AS (SELECT * FROM unnest($5::text[], $6::text[], $7::text[], $8::float8[]) AS t(k, a, b, m)),
dev AS (
  SELECT l.k, l.a, l.b, percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(l.x - md.m)) AS mad,
         COALESCE(sum(greatest(l.x - rf.m, 0)), 0) AS excess
  FROM lat l JOIN med md ON md.k = l.k AND md.a = l.a AND md.b = l.b
  LEFT JOIN ref rf ON rf.k = l.k AND rf.a = l.a AND rf.b = l.b
  GROUP BY l.k, l.a, l.b)
SELECT 'traces'::text, NULL::text, NULL::text, NULL::text, NULL::text, count(*), NULL::float8, NULL::float8, NULL::float8,
       NULL::text[] FROM trs
UNION ALL SELECT 'spans', NULL, NULL, NULL, NULL, count(*), NULL, NULL, NULL, NULL FROM sp
UNION ALL SELECT 'service', svc, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL FROM sp GROUP BY svc
UNION ALL
SELECT 'lat', md.k, md.a, md.b, NULL, md.n, md.m, dv.mad, dv.excess, NULL
FROM med md JOIN dev dv ON dv.k = md.k AND dv.a = md.a AND dv.b = md.b
UNION ALL
SELECT 'inv', en.ep, r.svc, r.op, NULL, count(*), NULL, NULL, NULL, NULL
FROM f r JOIN entry en ON en.tr = r.tr WHERE r.entered GROUP BY en.ep, r.svc, r.op
UNION ALL
SELECT 'call', en.ep, r.svc, r.op, o.svc || '.' || o.op, count(*), NULL, NULL, NULL, NULL
FROM outcall o JOIN f r ON r.tr = o.tr AND r.sid = o.rsid JOIN entry en ON en.tr = o.tr
GROUP BY en.ep, r.svc, r.op, o.svc || '.' || o.op
UNION ALL
SELECT 'origin', svc, NULL, NULL, NULL, count(*), NULL, NULL, NULL, NULL FROM f WHERE origin
GROUP BY svc
UNION ALL
SELECT 'byop', svc, op, NULL, NULL, count(*), count(*) FILTER (WHERE failed)::float8, NULL, NULL,
       NULL FROM invroot GROUP BY svc, op
UNION ALL
SELECT 'expect', r.svc, r.op, o.svc, NULL, count(*), sum((o.first - r.s)::float8 / 1000000.0),
       NULL, NULL, NULL
FROM (SELECT tr, rsid, svc, min(s) AS first FROM outcall GROUP BY tr, rsid, svc) o
JOIN invroot r ON r.tr = o.tr AND r.sid = o.rsid WHERE NOT r.failed
GROUP BY r.svc, r.op, o.svc
UNION ALL
SELECT 'fail', svc, op, last, NULL, count(*), NULL, NULL, NULL, called FROM (
  SELECT r.svc, r.op,
         (SELECT o.svc FROM outcall o WHERE o.tr = r.tr AND o.rsid = r.sid AND o.en <= r.at
          ORDER BY o.en DESC, o.svc DESC LIMIT 1) AS last,
         COALESCE((SELECT array_agg(DISTINCT o.svc ORDER BY o.svc) FROM outcall o
                   WHERE o.tr = r.tr AND o.rsid = r.sid), '{}') AS called
  FROM invroot r WHERE r.failed) x
GROUP BY svc, op, last, called
";

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
    ) -> Result<WindowStats> {
        let f = &self.sql;
        let text = |r: Role| {
            self.mapping.get(r).and_then(|c| c.first()).map_or_else(
                || "NULL::text".into(),
                |c| format!("{}::text", super::mapping::quote(&c.name)),
            )
        };
        let mut params = Params::default();
        params.push(system_time(start_ns));
        params.push(system_time(end_ns));
        params.push(start_ns);
        params.push(end_ns);
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
        let rows = self.run(&sql, |c| c.query(&sql, &params.refs()))?;
        Ok(stats_from_rows(&rows))
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
