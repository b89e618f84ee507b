//! The window RCA aggregate query (see `incident.rs`), as text: `{…}` are the mapping's
//! quoted fragments, `$n` bound parameters: $1/$2 the starts and ends of the slices of the
//! range to read (one slice, the whole range, unless sampled: `sample.rs`), $3 the range's
//! start in ns, $4–$7 the reference medians, $8 the error words (inside `{err}`), $9 the
//! error handler suffix, $10–$12 the slices again as the stratum width, the slice length and
//! each stratum's slice offset (ns), to tell whether a trace's first span is in a slice.
//!
//! Shaped so that the work grows with the spans, each step done once:
//!
//! * `cand`: the traces with a span starting in a slice, from the start time index, one
//!   index range scan a slice (forced by the lateral join: the planner cannot estimate the
//!   slices and would otherwise scan the table);
//! * `sp`: their spans, through the trace id index, ids as hashes; `early`: those traces whose
//!   first span is not in a slice (before the range, or between slices), left out at `f`;
//! * `kid`: each span with its parent's facts (one hash join on the parent id);
//! * `pa`: per parent, from its children sorted by start, in one window pass: the time they
//!   cover (the running maximum of the clipped ends), the first child of another service,
//!   whether a child failed;
//! * `nemap`: the spans of the same service as their parent (not entered) and the span their
//!   invocation was entered at, a recursive walk over those spans only;
//!   `ne`'s condition adds two clauses that are always true (`e` is never null, nor is
//!   `ps` of a span with a parent) and that the planner, with no statistics on a CTE, takes
//!   for a few hundred times fewer rows: it sizes the walk's hash tables from `ne`'s
//!   estimate, which follows the table's size rather than the range's, and at ten million
//!   spans built millions of buckets in dozens of batches for a few thousand rows (seconds);
//! * `oc`: each call into another service with its caller's invocation;
//! * medians and MADs from per-value counts (`hist`): exact, as `percentile_cont(0.5)`, over
//!   as many rows as there are distinct values.

/// Run before the query in its read-only transaction. The planner cannot estimate the
/// intermediate results (no statistics on them), and guesses that favour merge joins and
/// sorted aggregation over millions of rows; hash joins and hash aggregation are right at
/// every size here. `work_mem` lets those hashes stay in memory for a few million spans.
/// JIT compilation of this long query took about 2.8 s (a fifth of the hour's query at a
/// million spans) for expressions that run a few million times: it costs more than it saves.
pub(super) const SESSION: &str =
    "SET LOCAL work_mem = '128MB'; SET LOCAL enable_mergejoin = off; SET LOCAL enable_sort = off; SET LOCAL jit = off";

pub(super) const SQL: &str = "
WITH RECURSIVE
cand AS MATERIALIZED (
  SELECT DISTINCT x.tr FROM unnest($1::timestamptz[], $2::timestamptz[]) AS g(lo, hi),
  LATERAL (SELECT {trace} AS tr FROM {table} WHERE {start} >= g.lo AND {start} < g.hi) x),
sp AS MATERIALIZED (
  SELECT hashtextextended({trace}::text, 0) AS t, hashtextextended({span}, 0) AS sh,
         {span} AS sid,
         CASE WHEN ltrim({parent}, '0') = '' THEN NULL ELSE hashtextextended({parent}, 0) END AS ph,
         {service} AS svc, {operation} AS op, ({start_us}) * 1000 AS s,
         greatest({dur}, 0) AS d, ({start_us}) * 1000 + greatest({dur}, 0) AS en, {err} AS e
  FROM {table}
  WHERE {trace} IN (SELECT tr FROM cand)),
early AS MATERIALIZED (
  SELECT t FROM (
    SELECT t, min(s) - $3 AS r FROM sp WHERE s < $3 OR cardinality($12::int8[]) > 1 GROUP BY t) x
  WHERE r < 0
     OR COALESCE(r - (r / $10::int8) * $10::int8 - ($12::int8[])[r / $10::int8 + 1]
                   NOT BETWEEN 0 AND $11::int8 - 1,
                 true)),
kid AS MATERIALIZED (
  SELECT c.*, p.sh IS NOT NULL AS has_par, p.svc AS psvc, p.op AS pop, p.s AS ps,
         p.en AS pen, (p.sh IS NULL OR p.svc <> c.svc) AS entered
  FROM sp c LEFT JOIN sp p ON p.t = c.t AND p.sh = c.ph),
pa AS MATERIALIZED (
  SELECT t, ph AS sh, sum(greatest(ce - greatest(cs, COALESCE(prev, cs)), 0)) AS covered,
         max(svc) FILTER (WHERE oth = 0 AND svc <> psvc) AS callee, bool_or(e) AS errkid
  FROM (
    SELECT t, ph, svc, psvc, e, cs, ce, max(ce) OVER w AS prev,
           count(*) FILTER (WHERE svc <> psvc) OVER w AS oth
    FROM (
      SELECT t, ph, sid, s, svc, psvc, e, greatest(s, ps) AS cs,
             CASE WHEN least(en, pen) > greatest(s, ps) THEN least(en, pen) END AS ce
      FROM kid WHERE has_par) k
    WINDOW w AS (PARTITION BY t, ph ORDER BY s, sid COLLATE \"C\"
                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) x
  GROUP BY t, ph),
f AS MATERIALIZED (
  SELECT k.t, k.sh, k.sid, k.ph, k.svc, k.op, k.s, k.d, k.en, k.e, k.has_par, k.psvc, k.pop,
         k.ps, k.entered, greatest(k.d - COALESCE(a.covered, 0), 0) AS self, a.callee,
         (k.e AND a.errkid IS NOT TRUE) AS origin,
         right(k.op, length($9)) = $9 AS handler
  FROM kid k LEFT JOIN pa a ON a.t = k.t AND a.sh = k.sh
  WHERE NOT EXISTS (SELECT 1 FROM early x WHERE x.t = k.t)),
ne AS MATERIALIZED (
  SELECT t, sh, ph, s, en, e, handler, pop, ps FROM f
  WHERE entered = false AND e = ANY('{t,f}') AND ps = ANY(ARRAY[ps])),
nemap(t, sh, rsh, rop, rs, at) AS (
  SELECT n.t, n.sh, n.ph, n.pop, n.ps, CASE WHEN n.handler THEN n.s WHEN n.e THEN n.en END
  FROM ne n WHERE NOT EXISTS (SELECT 1 FROM ne q WHERE q.t = n.t AND q.sh = n.ph)
  UNION ALL
  SELECT c.t, c.sh, m.rsh, m.rop, m.rs, CASE WHEN c.handler THEN c.s WHEN c.e THEN c.en END
  FROM nemap m JOIN ne c ON c.t = m.t AND c.ph = m.sh),
failat AS MATERIALIZED (
  SELECT t, rsh, min(at) AS at FROM (
    SELECT t, sh AS rsh, CASE WHEN handler THEN s ELSE en END AS at
    FROM f WHERE entered AND (e OR handler)
    UNION ALL
    SELECT t, rsh, at FROM nemap WHERE at IS NOT NULL) x
  GROUP BY t, rsh),
root AS MATERIALIZED (
  SELECT DISTINCT ON (t) t, svc, op FROM f WHERE NOT has_par
  ORDER BY t, (ph IS NOT NULL), s, d DESC, sid COLLATE \"C\"),
hop AS (
  SELECT DISTINCT ON (f.t) f.t, f.svc, f.op FROM f JOIN root r ON r.t = f.t
  WHERE f.has_par AND f.psvc = r.svc AND f.svc <> r.svc ORDER BY f.t, f.s, f.sid COLLATE \"C\"),
entry AS MATERIALIZED (
  SELECT r.t, COALESCE(h.svc, r.svc) || '.' || COALESCE(h.op, r.op) AS ep
  FROM root r LEFT JOIN hop h ON h.t = r.t),
oc AS MATERIALIZED (
  SELECT c.t, COALESCE(m.rsh, c.ph) AS rsh, c.psvc AS rsvc, COALESCE(m.rop, c.pop) AS rop,
         COALESCE(m.rs, c.ps) AS rs, c.svc, c.op, c.s, c.en
  FROM f c LEFT JOIN nemap m ON m.t = c.t AND m.sh = c.ph
  WHERE c.entered AND c.has_par),
lat AS (
  SELECT CASE WHEN callee IS NULL THEN 'own' ELSE 'edge' END AS k, svc AS a,
         COALESCE(callee, op) AS b, self::float8 / 1000000.0 AS x FROM f
  UNION ALL
  SELECT 'total', svc, '', d::float8 / 1000000.0 FROM f WHERE entered),
hist AS MATERIALIZED (SELECT k, a, b, x, count(*) AS c FROM lat GROUP BY k, a, b, x),
cum AS (
  SELECT k, a, b, x, c, sum(c) OVER (PARTITION BY k, a, b ORDER BY x) AS upto,
         sum(c) OVER (PARTITION BY k, a, b) AS n FROM hist),
med AS MATERIALIZED (
  SELECT k, a, b, max(n)::int8 AS n,
         (min(x) FILTER (WHERE upto >= floor((n + 1) / 2))
          + min(x) FILTER (WHERE upto >= floor(n / 2) + 1)) / 2 AS m
  FROM cum GROUP BY k, a, b),
ref AS (SELECT * FROM unnest($4::text[], $5::text[], $6::text[], $7::float8[]) AS t(k, a, b, m)),
devh AS (
  SELECT h.k, h.a, h.b, abs(h.x - md.m) AS x, sum(h.c) AS c,
         sum(greatest(h.x - rf.m, 0) * h.c) AS ex
  FROM hist h JOIN med md ON md.k = h.k AND md.a = h.a AND md.b = h.b
  LEFT JOIN ref rf ON rf.k = h.k AND rf.a = h.a AND rf.b = h.b
  GROUP BY h.k, h.a, h.b, abs(h.x - md.m)),
devc AS (
  SELECT k, a, b, x, ex, sum(c) OVER (PARTITION BY k, a, b ORDER BY x) AS upto,
         sum(c) OVER (PARTITION BY k, a, b) AS n FROM devh),
dev AS (
  SELECT k, a, b,
         (min(x) FILTER (WHERE upto >= floor((n + 1) / 2))
          + min(x) FILTER (WHERE upto >= floor(n / 2) + 1)) / 2 AS mad,
         COALESCE(sum(ex), 0) AS excess
  FROM devc GROUP BY k, a, b),
fr AS (
  SELECT f.t, f.sh, f.svc, f.op, fa.at FROM failat fa JOIN f ON f.t = fa.t AND f.sh = fa.rsh
  WHERE f.entered)
SELECT 'traces'::text, NULL::text, NULL::text, NULL::text, NULL::text, count(*), NULL::float8,
       NULL::float8, NULL::float8, NULL::text[] FROM (SELECT DISTINCT t FROM f) x
UNION ALL SELECT 'spans', NULL, NULL, NULL, NULL, count(*), NULL, NULL, NULL, NULL FROM f
UNION ALL SELECT 'service', svc, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL FROM f GROUP BY svc
UNION ALL
SELECT 'lat', md.k, md.a, md.b, NULL, md.n, md.m, dv.mad, dv.excess, NULL
FROM med md JOIN dev dv ON dv.k = md.k AND dv.a = md.a AND dv.b = md.b
UNION ALL
SELECT 'inv', en.ep, r.svc, r.op, NULL, count(*), NULL, NULL, NULL, NULL
FROM f r JOIN entry en ON en.t = r.t WHERE r.entered GROUP BY en.ep, r.svc, r.op
UNION ALL
SELECT 'call', en.ep, o.rsvc, o.rop, o.svc || '.' || o.op, count(*), NULL, NULL, NULL, NULL
FROM oc o JOIN entry en ON en.t = o.t
GROUP BY en.ep, o.rsvc, o.rop, o.svc || '.' || o.op
UNION ALL
SELECT 'origin', svc, NULL, NULL, NULL, count(*), NULL, NULL, NULL, NULL FROM f WHERE origin
GROUP BY svc
UNION ALL
SELECT 'byop', f.svc, f.op, NULL, NULL, count(*), count(fa.at)::float8, NULL, NULL, NULL
FROM f LEFT JOIN failat fa ON fa.t = f.t AND fa.rsh = f.sh WHERE f.entered
GROUP BY f.svc, f.op
UNION ALL
SELECT 'expect', rsvc, rop, svc, NULL, count(*), sum((first - rs)::float8 / 1000000.0),
       NULL, NULL, NULL
FROM (
  SELECT o.rsvc, o.rop, o.rs, o.svc, min(o.s) AS first FROM oc o
  WHERE NOT EXISTS (SELECT 1 FROM failat fa WHERE fa.t = o.t AND fa.rsh = o.rsh)
  GROUP BY o.t, o.rsh, o.rsvc, o.rop, o.rs, o.svc) x
GROUP BY rsvc, rop, svc
UNION ALL
SELECT 'fail', svc, op, last, NULL, count(*), NULL, NULL, NULL, called FROM (
  SELECT r.svc, r.op,
         (array_agg(o.svc ORDER BY o.en DESC, o.svc DESC) FILTER (WHERE o.en <= r.at))[1] AS last,
         COALESCE(array_agg(DISTINCT o.svc ORDER BY o.svc) FILTER (WHERE o.svc IS NOT NULL),
                  '{}') AS called
  FROM fr r LEFT JOIN oc o ON o.t = r.t AND o.rsh = r.sh
  GROUP BY r.t, r.sh, r.svc, r.op) x
GROUP BY svc, op, last, called
";
