//! tracediag's Postgres source side by side with seed 000's SQL functions, on the same table,
//! in one run.
//!
//! Run: `cargo bench --bench postgres_vs_seed` (PostgreSQL at TRACEDIAG_BENCH_PG, default
//! `postgres://postgres@127.0.0.1:5432/test`; it needs the fuzzystrmatch extension, in
//! postgresql-contrib). It creates a schema of its own and drops it at the end.
//!
//! Data: 20,000 executions (≈120,000 rows) in the `beacon` layout: runner.execute_question ⊃
//! runner.hybrid_router_call ⊃ router.inference_request ⊃ router.modal_call ⊃ modal.inference,
//! then runner.store_answer; with injected faults whose origin is known (network gap on the
//! response leg, connection failure, service timeout, slow modal, modal execution failure),
//! and a few long batch executions. The seed's three functions are installed verbatim.
//!
//! Timed (medians):
//! 1. diagnose one execution: the seed's `diagnose_execution_trace` + `identify_root_cause`
//!    on an open connection, and on a new connection per call; against the tracediag binary
//!    end to end (process spawn, connect, catalog lookup, fetch, analysis, JSON output).
//! 2. root cause for 500 executions: the seed's `identify_root_cause` over the 500 ids in one
//!    statement (its best case) and as 500 calls; against one `tracediag search --diagnose`
//!    process over the window holding those 500 executions (search on the server, one batch
//!    fetch, 500 diagnoses), and the same through the library without the process.
//!
//! Correctness: both on every injected-fault execution, compared with the ground truth
//! (category and the span where the fault was injected); and `find_similar_traces` on 50
//! targets, counting the calls that fail.

#[path = "../tests/common/copy_text.rs"]
mod copy_text;

use std::io::Write;
use std::process::Command;
use std::time::{Duration, Instant};

use postgres::{Client, NoTls};

use copy_text::ts;
use tracediag::analysis::{diagnose, Thresholds};
use tracediag::model::IndexedTrace;
use tracediag::source::backend::TraceSource;
use tracediag::source::postgres::mapping::Preset;
use tracediag::source::postgres::{PgOptions, PostgresSource};

const EXECUTIONS: i64 = 20_000;
const T0_US: i64 = 1_761_150_000_000_000; // 2025-10-22, the seed's day
const SPACING_US: i64 = 10_000_000; // one execution every 10 s

/// The seed's functions, verbatim from seed 000 (§1.1–1.3).
const SEED_SQL: &str = r#"
-- Enhanced trace query with automatic gap detection
CREATE FUNCTION diagnose_execution_trace(p_execution_id BIGINT)
RETURNS TABLE (
    service VARCHAR,
    operation VARCHAR,
    started_at TIMESTAMPTZ,
    completed_at TIMESTAMPTZ,
    duration_ms INTEGER,
    gap_after_ms INTEGER,
    status VARCHAR,
    error_message TEXT,
    is_anomaly BOOLEAN,
    anomaly_reason TEXT
) AS $$
WITH trace_data AS (
    SELECT 
        ts.service,
        ts.operation,
        ts.started_at,
        ts.completed_at,
        ts.duration_ms,
        ts.status,
        ts.error_message,
        LEAD(ts.started_at) OVER (ORDER BY ts.started_at) as next_started_at,
        -- Calculate average duration for this operation type
        AVG(ts.duration_ms) OVER (PARTITION BY ts.service, ts.operation) as avg_duration
    FROM trace_spans ts
    WHERE ts.execution_id = p_execution_id
)
SELECT 
    service,
    operation,
    started_at,
    completed_at,
    duration_ms,
    EXTRACT(EPOCH FROM (next_started_at - completed_at)) * 1000 as gap_after_ms,
    status,
    error_message,
    -- Flag anomalies
    CASE 
        WHEN duration_ms > avg_duration * 3 THEN TRUE
        WHEN EXTRACT(EPOCH FROM (next_started_at - completed_at)) * 1000 > 5000 THEN TRUE
        WHEN status IN ('failed', 'timeout') THEN TRUE
        ELSE FALSE
    END as is_anomaly,
    -- Explain anomaly
    CASE 
        WHEN duration_ms > avg_duration * 3 THEN 
            'Operation took ' || duration_ms || 'ms (3x longer than average ' || avg_duration || 'ms)'
        WHEN EXTRACT(EPOCH FROM (next_started_at - completed_at)) * 1000 > 5000 THEN
            'Gap of ' || EXTRACT(EPOCH FROM (next_started_at - completed_at)) * 1000 || 'ms before next operation'
        WHEN status IN ('failed', 'timeout') THEN
            'Operation failed: ' || COALESCE(error_message, 'Unknown error')
        ELSE NULL
    END as anomaly_reason
FROM trace_data
ORDER BY started_at;
$$ LANGUAGE sql;

-- Automatically identify root cause of failures
CREATE FUNCTION identify_root_cause(p_execution_id BIGINT)
RETURNS TABLE (
    root_cause_type VARCHAR,
    affected_service VARCHAR,
    affected_operation VARCHAR,
    evidence TEXT,
    recommendation TEXT
) AS $$
WITH trace_analysis AS (
    SELECT 
        ts.service,
        ts.operation,
        ts.status,
        ts.duration_ms,
        ts.error_message,
        ts.started_at,
        ts.completed_at,
        LEAD(ts.started_at) OVER (ORDER BY ts.started_at) as next_started_at
    FROM trace_spans ts
    WHERE ts.execution_id = p_execution_id
)
SELECT 
    CASE 
        -- Network timeout detection
        WHEN EXTRACT(EPOCH FROM (next_started_at - completed_at)) > 60 THEN 'NETWORK_TIMEOUT'
        -- Service failure detection
        WHEN status = 'failed' AND error_message LIKE '%connection%' THEN 'CONNECTION_FAILURE'
        WHEN status = 'failed' AND error_message LIKE '%timeout%' THEN 'SERVICE_TIMEOUT'
        -- Performance degradation
        WHEN duration_ms > 120000 THEN 'PERFORMANCE_DEGRADATION'
        -- Modal specific issues
        WHEN service = 'modal' AND status = 'failed' THEN 'MODAL_EXECUTION_FAILURE'
        ELSE 'UNKNOWN'
    END as root_cause_type,
    service as affected_service,
    operation as affected_operation,
    CASE 
        WHEN EXTRACT(EPOCH FROM (next_started_at - completed_at)) > 60 THEN
            'Service ' || service || ' completed at ' || completed_at || 
            ' but next service started at ' || next_started_at || 
            ' (gap: ' || EXTRACT(EPOCH FROM (next_started_at - completed_at)) || 's)'
        WHEN status = 'failed' THEN
            'Service ' || service || ' failed with: ' || COALESCE(error_message, 'No error message')
        WHEN duration_ms > 120000 THEN
            'Operation took ' || duration_ms || 'ms (>2 minutes)'
        ELSE 'See trace_spans for details'
    END as evidence,
    CASE 
        WHEN EXTRACT(EPOCH FROM (next_started_at - completed_at)) > 60 THEN
            'Check network connectivity between ' || service || ' and next service. Review firewall rules and timeout configurations.'
        WHEN status = 'failed' AND error_message LIKE '%connection%' THEN
            'Verify service health and network connectivity. Check if service is running and accessible.'
        WHEN service = 'modal' AND status = 'failed' THEN
            'Check Modal dashboard for function logs. Verify GPU availability and model loading.'
        WHEN duration_ms > 120000 THEN
            'Investigate performance bottleneck in ' || service || '. Check resource utilization and scaling.'
        ELSE 'Review detailed trace spans for more information'
    END as recommendation
FROM trace_analysis
WHERE status = 'failed' 
   OR EXTRACT(EPOCH FROM (next_started_at - completed_at)) > 60
   OR duration_ms > 120000
LIMIT 1;
$$ LANGUAGE sql;

-- Find similar execution patterns for comparison
CREATE FUNCTION find_similar_traces(
    p_execution_id BIGINT,
    p_limit INTEGER DEFAULT 5
)
RETURNS TABLE (
    similar_execution_id BIGINT,
    similarity_score FLOAT,
    status VARCHAR,
    total_duration_ms INTEGER,
    failure_point VARCHAR
) AS $$
WITH target_trace AS (
    SELECT 
        job_id,
        model_id,
        region,
        array_agg(service || '.' || operation ORDER BY started_at) as operation_sequence,
        SUM(duration_ms) as total_duration
    FROM trace_spans
    WHERE execution_id = p_execution_id
    GROUP BY job_id, model_id, region
)
SELECT 
    ts.execution_id as similar_execution_id,
    -- Calculate similarity based on operation sequence
    1.0 - (
        levenshtein(
            array_to_string(array_agg(ts.service || '.' || ts.operation ORDER BY ts.started_at), ','),
            array_to_string(tt.operation_sequence, ',')
        )::FLOAT / 
        GREATEST(
            array_length(array_agg(ts.service || '.' || ts.operation ORDER BY ts.started_at), 1),
            array_length(tt.operation_sequence, 1)
        )
    ) as similarity_score,
    MAX(CASE WHEN ts.status = 'failed' THEN 'failed' ELSE 'completed' END) as status,
    SUM(ts.duration_ms) as total_duration_ms,
    MAX(CASE WHEN ts.status = 'failed' THEN ts.service || '.' || ts.operation ELSE NULL END) as failure_point
FROM trace_spans ts
CROSS JOIN target_trace tt
WHERE ts.execution_id != p_execution_id
  AND ts.model_id = tt.model_id
  AND ts.region = tt.region
GROUP BY ts.execution_id, tt.operation_sequence
HAVING 1.0 - (
    levenshtein(
        array_to_string(array_agg(ts.service || '.' || ts.operation ORDER BY ts.started_at), ','),
        array_to_string(tt.operation_sequence, ',')
    )::FLOAT / 
    GREATEST(
        array_length(array_agg(ts.service || '.' || ts.operation ORDER BY ts.started_at), 1),
        array_length(tt.operation_sequence, 1)
    )
) > 0.7
ORDER BY similarity_score DESC
LIMIT p_limit;
$$ LANGUAGE sql;
"#;

/// What was injected into an execution, and where the truth lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    None,
    /// The response of router.inference_request reaches runner.hybrid_router_call 65–200 s late.
    NetworkGap,
    /// modal.inference fails with a connection error; callers fail after it.
    Connection,
    /// modal.inference times out; callers fail after it.
    Timeout,
    /// modal.inference takes 130–200 s and succeeds.
    Slow,
    /// modal.inference fails (CUDA out of memory); callers fail after it.
    ModalFailure,
    /// Three sequential router calls: a long operation sequence (no fault).
    Batch,
}

impl Fault {
    /// (accepted categories for the seed, for tracediag, the span: service.operation).
    fn truth(
        self,
    ) -> Option<(
        &'static [&'static str],
        &'static [&'static str],
        &'static [&'static str],
    )> {
        match self {
            Fault::NetworkGap => Some((
                &["NETWORK_TIMEOUT"],
                &["NETWORK_TIMEOUT"],
                &["runner.hybrid_router_call", "router.inference_request"],
            )),
            Fault::Connection => Some((
                &["CONNECTION_FAILURE"],
                &["CONNECTION_FAILURE"],
                &["modal.inference"],
            )),
            Fault::Timeout => Some((
                &["SERVICE_TIMEOUT"],
                &["SERVICE_TIMEOUT"],
                &["modal.inference"],
            )),
            Fault::Slow => Some((
                &["PERFORMANCE_DEGRADATION"],
                &["PERFORMANCE_DEGRADATION"],
                &["modal.inference"],
            )),
            Fault::ModalFailure => Some((
                &["MODAL_EXECUTION_FAILURE"],
                &["EXECUTION_FAILURE"],
                &["modal.inference"],
            )),
            Fault::None | Fault::Batch => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Fault::None => "none",
            Fault::NetworkGap => "network gap",
            Fault::Connection => "connection failure",
            Fault::Timeout => "service timeout",
            Fault::Slow => "slow modal",
            Fault::ModalFailure => "modal failure",
            Fault::Batch => "batch",
        }
    }
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo) as u64) as i64
    }
}

fn fault_of(r: u64) -> Fault {
    match r % 100 {
        0..=6 => Fault::NetworkGap,
        7..=13 => Fault::Connection,
        14..=19 => Fault::Timeout,
        20..=25 => Fault::Slow,
        26..=30 => Fault::ModalFailure,
        31 => Fault::Batch,
        _ => Fault::None,
    }
}

/// Rows of one execution (COPY text), in the order a service writes them: each span when it
/// completes, so children before parents.
fn execution(id: i64, fault: Fault, rng: &mut Rng, out: &mut Vec<String>) {
    let start = T0_US + (id - 1) * SPACING_US;
    let models = ["llama-3.1-8b", "mistral-7b", "qwen2-7b"];
    let regions = ["us-east", "eu-west"];
    let model = models[(id % 3) as usize];
    let region = regions[(id % 2) as usize];
    let job = 800 + id % 97;
    let mut row = |svc: &str, op: &str, s: i64, e: i64, status: &str, err: Option<&str>| {
        out.push(format!(
            "{id}\t{job}\t{model}\t{region}\t{svc}\t{op}\t{}\t{}\t{}\t{status}\t{}",
            ts(s),
            ts(e),
            (e - s) / 1000,
            err.unwrap_or("\\N")
        ));
    };
    let calls = if fault == Fault::Batch { 3 } else { 1 };
    let mut t = start + 5_000;
    let mut failed_msg: Option<String> = None;
    for _ in 0..calls {
        let modal_ms = match fault {
            Fault::Slow => rng.range(130_000, 200_000),
            Fault::Timeout => 60_000,
            Fault::Connection => rng.range(50, 2_000),
            _ => rng.range(2_000, 90_000),
        };
        let hyb_s = t;
        let req_s = hyb_s + rng.range(2_000, 40_000);
        let call_s = req_s + rng.range(100, 500) * 1000 / 1000;
        let inf_s = call_s + rng.range(1_000_000, 5_000_000);
        let inf_e = inf_s + modal_ms * 1000;
        let call_e = inf_e + rng.range(5_000, 200_000);
        let req_e = call_e + rng.range(1_000, 50_000);
        let back = if fault == Fault::NetworkGap {
            rng.range(65_000_000, 200_000_000)
        } else {
            rng.range(2_000, 300_000)
        };
        let hyb_e = req_e + back;
        let (st, msg): (&str, Option<&str>) = match fault {
            Fault::Connection => (
                "failed",
                Some("connection reset by peer while streaming tokens"),
            ),
            Fault::Timeout => ("failed", Some("inference timeout after 60s")),
            Fault::ModalFailure => ("failed", Some("CUDA error: out of memory")),
            _ => ("completed", None),
        };
        row("modal", "inference", inf_s, inf_e, st, msg);
        // Callers fail after a failed call; half of them repeat the callee's message.
        let up: Option<String> = msg.map(|m| {
            if id % 2 == 0 {
                format!("upstream error: {m}")
            } else {
                "upstream request failed: HTTP 502".to_string()
            }
        });
        row("router", "modal_call", call_s, call_e, st, up.as_deref());
        row(
            "router",
            "inference_request",
            req_s,
            req_e,
            st,
            up.as_deref(),
        );
        row(
            "runner",
            "hybrid_router_call",
            hyb_s,
            hyb_e,
            st,
            up.as_deref(),
        );
        if up.is_some() {
            failed_msg = up;
        }
        t = hyb_e + rng.range(1_000, 20_000);
    }
    let store_e = t + rng.range(5_000, 40_000);
    if failed_msg.is_none() {
        row("runner", "store_answer", t, store_e, "completed", None);
    }
    let status = if failed_msg.is_some() {
        "failed"
    } else {
        "completed"
    };
    row(
        "runner",
        "execute_question",
        start,
        store_e + 2_000,
        status,
        failed_msg.as_deref(),
    );
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct Cleanup<'a>(&'a mut Client, String);
impl Drop for Cleanup<'_> {
    fn drop(&mut self) {
        let _ = self
            .0
            .batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.1));
    }
}

fn main() {
    let base = std::env::var("TRACEDIAG_BENCH_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let schema = format!("tracediag_bench_{}", std::process::id());
    // The seed's functions name `trace_spans` unqualified: give every session the schema.
    let conn_str = format!("{base}?sslmode=disable&options=-c%20search_path%3D{schema}%2Cpublic");
    let mut admin = Client::connect(&format!("{base}?sslmode=disable"), NoTls).unwrap_or_else(|e| {
        panic!("PostgreSQL not reachable at {base}: {e} (set TRACEDIAG_BENCH_PG, or start it: pg_ctlcluster $(ls /etc/postgresql) main start)")
    });
    admin
        .batch_execute(&format!(
            "CREATE EXTENSION IF NOT EXISTS fuzzystrmatch; CREATE SCHEMA {schema}"
        ))
        .unwrap_or_else(|e| panic!("setup: {e} (fuzzystrmatch is in postgresql-contrib)"));
    let guard = Cleanup(&mut admin, schema.clone());
    let mut c = Client::connect(&conn_str, NoTls).unwrap_or_else(|e| panic!("connect: {e}"));
    c.batch_execute(&Preset::Beacon.ddl(&format!("{schema}.trace_spans")))
        .unwrap_or_else(|e| panic!("ddl: {e}"));
    c.batch_execute(SEED_SQL)
        .unwrap_or_else(|e| panic!("installing the seed's functions: {e}"));

    // Data.
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut faults = Vec::with_capacity(EXECUTIONS as usize);
    let mut rows = Vec::with_capacity(130_000);
    for id in 1..=EXECUTIONS {
        let f = fault_of(rng.next());
        faults.push(f);
        execution(id, f, &mut rng, &mut rows);
    }
    let started = Instant::now();
    {
        let mut w = c
            .copy_in(&format!(
                "COPY {schema}.trace_spans (execution_id, job_id, model_id, region, service, operation, started_at, completed_at, duration_ms, status, error_message) FROM STDIN"
            ))
            .unwrap_or_else(|e| panic!("copy: {e}"));
        for r in &rows {
            let _ = w.write_all(r.as_bytes());
            let _ = w.write_all(b"\n");
        }
        w.finish().unwrap_or_else(|e| panic!("copy: {e}"));
    }
    c.batch_execute(&format!("ANALYZE {schema}.trace_spans"))
        .unwrap_or_else(|e| panic!("analyze: {e}"));
    println!(
        "table: {} executions, {} rows, loaded in {:.1}s (COPY)",
        EXECUTIONS,
        rows.len(),
        started.elapsed().as_secs_f64()
    );
    let url = format!("{base}?table={schema}.trace_spans&preset=beacon&sslmode=disable");
    let bin = env!("CARGO_BIN_EXE_tracediag");
    let tracediag = |args: &[&str]| {
        let out = Command::new(bin)
            .args(args)
            .args(["--source", &url, "--format", "json"])
            .env("XDG_CONFIG_HOME", "/nonexistent")
            .output()
            .unwrap_or_else(|e| panic!("run tracediag: {e}"));
        assert!(
            out.status.success(),
            "tracediag {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };

    // 1. diagnose one execution.
    const RUNS: usize = 31;
    let ids: Vec<i64> = (0..RUNS as i64).map(|i| 1 + i * 613 % EXECUTIONS).collect();
    let diag_sql = "SELECT * FROM diagnose_execution_trace($1)";
    let rc_sql = "SELECT * FROM identify_root_cause($1)";
    let mut warm = Vec::new();
    for &id in &ids {
        let t = Instant::now();
        let _ = c.query(diag_sql, &[&id]);
        let _ = c.query(rc_sql, &[&id]);
        warm.push(t.elapsed());
    }
    let mut cold = Vec::new();
    for &id in &ids {
        let t = Instant::now();
        let mut fresh =
            Client::connect(&conn_str, NoTls).unwrap_or_else(|e| panic!("connect: {e}"));
        let _ = fresh.query(diag_sql, &[&id]);
        let _ = fresh.query(rc_sql, &[&id]);
        cold.push(t.elapsed());
    }
    let mut ours = Vec::new();
    for &id in &ids {
        let t = Instant::now();
        let out = tracediag(&["diagnose", &id.to_string()]);
        ours.push(t.elapsed());
        assert!(out.len() > 100);
    }
    // The seed's functions from a shell, as a person or an agent without a pool runs them.
    let mut via_psql = Vec::new();
    let psql_ok = Command::new("psql").arg("--version").output().is_ok();
    if psql_ok {
        for &id in &ids {
            let t = Instant::now();
            let out = Command::new("psql")
                .args([
                    conn_str.as_str(),
                    "-qAt",
                    "-c",
                    &format!(
                        "SELECT * FROM diagnose_execution_trace({id}); SELECT * FROM identify_root_cause({id})"
                    ),
                ])
                .output()
                .unwrap_or_else(|e| panic!("psql: {e}"));
            via_psql.push(t.elapsed());
            assert!(
                out.status.success(),
                "psql: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    let (warm, cold, ours) = (median(warm), median(cold), median(ours));

    // 2. root cause for 500 executions: ids 5001..=5500, one window.
    let batch: Vec<i64> = (5001..=5500).collect();
    let mut seed_one = Vec::new();
    let mut seed_loop = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let r = c
            .query(
                "SELECT id, r.* FROM unnest($1::bigint[]) id, LATERAL identify_root_cause(id) r",
                &[&batch],
            )
            .unwrap_or_else(|e| panic!("seed batch: {e}"));
        seed_one.push(t.elapsed());
        assert!(!r.is_empty());
        let t = Instant::now();
        for id in &batch {
            let _ = c.query(rc_sql, &[id]);
        }
        seed_loop.push(t.elapsed());
    }
    let window = (ts(T0_US + 5000 * SPACING_US), ts(T0_US + 5499 * SPACING_US));
    let mut ours_batch = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let out = tracediag(&[
            "search",
            "--diagnose",
            "--start",
            &window.0,
            "--end",
            &window.1,
            "--limit",
            "1000",
        ]);
        ours_batch.push(t.elapsed());
        let doc: serde_json::Value = serde_json::from_slice(&out).unwrap_or_default();
        let n = doc["traces"].as_array().map_or(0, |a| a.len());
        assert_eq!(n, 500, "the window holds 500 executions");
    }
    let opts = PgOptions {
        columns: Vec::new(),
        statement_timeout: Duration::from_secs(60),
        connect_timeout: Duration::from_secs(5),
        verbose: 0,
        limits: tracediag::source::Limits::default(),
    };
    let src = PostgresSource::open(&url, &opts).unwrap_or_else(|e| panic!("open: {e}"));
    let th = Thresholds::default();
    let batch_ids: Vec<String> = batch.iter().map(|i| i.to_string()).collect();
    let mut lib_batch = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let traces = src.traces(&batch_ids).unwrap_or_default();
        let mut n = 0;
        for tr in traces.into_iter().flatten() {
            let d = diagnose(&IndexedTrace::new(tr, Some(1_000_000_000)), &th);
            n += usize::from(!d.root_causes.is_empty());
        }
        lib_batch.push(t.elapsed());
        assert_eq!(n, 500);
    }
    let (seed_one, seed_loop, ours_batch, lib_batch) = (
        median(seed_one),
        median(seed_loop),
        median(ours_batch),
        median(lib_batch),
    );

    println!();
    println!("| task | seed SQL | tracediag | seed ÷ tracediag |");
    println!("|---|---:|---:|---:|");
    println!(
        "| diagnose 1 execution, seed on an open connection vs tracediag process end to end | {:.2} ms | {:.2} ms | {:.2} |",
        ms(warm),
        ms(ours),
        ms(warm) / ms(ours)
    );
    println!(
        "| diagnose 1 execution, seed with its own connection vs tracediag process end to end | {:.2} ms | {:.2} ms | {:.2} |",
        ms(cold),
        ms(ours),
        ms(cold) / ms(ours)
    );
    if psql_ok {
        let p = median(via_psql);
        println!(
            "| diagnose 1 execution, seed through a psql process vs tracediag process, both end to end | {:.2} ms | {:.2} ms | {:.2} |",
            ms(p),
            ms(ours),
            ms(p) / ms(ours)
        );
    }
    println!(
        "| root cause × 500, seed in one statement vs one `search --diagnose` process | {:.1} ms | {:.1} ms | {:.2} |",
        ms(seed_one),
        ms(ours_batch),
        ms(seed_one) / ms(ours_batch)
    );
    println!(
        "| root cause × 500, seed as 500 calls vs one `search --diagnose` process | {:.1} ms | {:.1} ms | {:.2} |",
        ms(seed_loop),
        ms(ours_batch),
        ms(seed_loop) / ms(ours_batch)
    );
    println!(
        "| root cause × 500, seed in one statement vs library (batch fetch + 500 diagnoses, open connection) | {:.1} ms | {:.1} ms | {:.2} |",
        ms(seed_one),
        ms(lib_batch),
        ms(seed_one) / ms(lib_batch)
    );

    // Correctness on every injected fault.
    let fault_ids: Vec<i64> = (1..=EXECUTIONS)
        .filter(|id| faults[(*id - 1) as usize].truth().is_some())
        .collect();
    let seed_rows = c
        .query(
            "SELECT id, r.root_cause_type::text, r.affected_service::text || '.' || r.affected_operation::text \
             FROM unnest($1::bigint[]) id LEFT JOIN LATERAL identify_root_cause(id) r ON true",
            &[&fault_ids],
        )
        .unwrap_or_else(|e| panic!("seed correctness: {e}"));
    let mut seed_answer = std::collections::HashMap::new();
    for r in &seed_rows {
        let id: i64 = r.get(0);
        let cat: Option<String> = r.get(1);
        let at: Option<String> = r.get(2);
        seed_answer.insert(
            id,
            (
                cat.unwrap_or_else(|| "(none)".into()),
                at.unwrap_or_default(),
            ),
        );
    }
    let ids_text: Vec<String> = fault_ids.iter().map(|i| i.to_string()).collect();
    let ours_traces = src.traces(&ids_text).unwrap_or_default();
    let kinds = [
        Fault::NetworkGap,
        Fault::Connection,
        Fault::Timeout,
        Fault::Slow,
        Fault::ModalFailure,
    ];
    let mut tally: Vec<(
        usize,
        usize,
        usize,
        std::collections::BTreeMap<String, usize>,
    )> = vec![(0, 0, 0, Default::default()); kinds.len()];
    for (id, tr) in fault_ids.iter().zip(ours_traces) {
        let f = faults[(*id - 1) as usize];
        let Some((seed_ok, ours_ok, spans)) = f.truth() else {
            continue;
        };
        let k = kinds.iter().position(|x| *x == f).unwrap_or(0);
        tally[k].0 += 1;
        let (scat, sat) = seed_answer.get(id).cloned().unwrap_or_default();
        if seed_ok.contains(&scat.as_str()) && spans.contains(&sat.as_str()) {
            tally[k].1 += 1;
        } else {
            *tally[k].3.entry(format!("{scat} at {sat}")).or_default() += 1;
        }
        if let Ok(tr) = tr {
            let it = IndexedTrace::new(tr, Some(1_000_000_000));
            let d = diagnose(&it, &th);
            if let Some(top) = d.root_causes.first() {
                let at = top
                    .span
                    .and_then(|i| it.trace.spans.get(i))
                    .map(|s| s.label())
                    .unwrap_or_default();
                if ours_ok.contains(&top.category.as_str()) && spans.contains(&at.as_str()) {
                    tally[k].2 += 1;
                } else {
                    *tally[k]
                        .3
                        .entry(format!("tracediag: {} at {at}", top.category.as_str()))
                        .or_default() += 1;
                }
            }
        }
    }
    println!();
    println!("| injected fault | executions | seed right | tracediag right | what the seed said instead (count) |");
    println!("|---|---:|---:|---:|---|");
    let (mut total, mut seed_right, mut ours_right) = (0, 0, 0);
    for (k, f) in kinds.iter().enumerate() {
        let (n, s, o, wrong) = &tally[k];
        total += n;
        seed_right += s;
        ours_right += o;
        let mut w: Vec<(&String, &usize)> = wrong.iter().collect();
        w.sort_by(|a, b| b.1.cmp(a.1));
        let said: Vec<String> = w
            .iter()
            .take(3)
            .map(|(k, v)| format!("{k} ({v})"))
            .collect();
        println!("| {} | {n} | {s} | {o} | {} |", f.name(), said.join("; "));
    }
    println!("| all | {total} | {seed_right} | {ours_right} | |");

    verdicts(&tracediag, &faults);
    // Another build (e.g. the last release) timed on the same table in the same run, turn
    // about with this one, so the comparison does not depend on the machine's load.
    if let Ok(other) = std::env::var("TRACEDIAG_BENCH_OTHER_BIN") {
        search_diagnose_against(bin, &other, &url);
    }

    // find_similar_traces on 50 targets: how many calls fail (levenshtein's 255-char limit).
    let mut failed = 0;
    let mut first_error = String::new();
    let t = Instant::now();
    for i in 0..50i64 {
        let id = 1 + i * 397 % EXECUTIONS;
        match c.query("SELECT * FROM find_similar_traces($1, 5)", &[&id]) {
            Ok(_) => {}
            Err(e) => {
                failed += 1;
                if first_error.is_empty() {
                    first_error = e
                        .as_db_error()
                        .map_or_else(|| e.to_string(), |d| d.message().to_string());
                }
            }
        }
    }
    let seed_similar = t.elapsed();
    // The same 50 targets with `tracediag similar`, one process each, candidates sharing
    // model_id and region (the seed's match), over the whole table's time range.
    let all = (
        ts(T0_US - 3_600_000_000),
        ts(T0_US + (EXECUTIONS + 10) * SPACING_US),
    );
    let t = Instant::now();
    let mut answered = 0;
    for i in 0..50i64 {
        let id = (1 + i * 397 % EXECUTIONS).to_string();
        let out = tracediag(&[
            "similar",
            &id,
            "--match",
            "model_id,region",
            "--start",
            &all.0,
            "--end",
            &all.1,
            "--candidates",
            "1000",
        ]);
        let doc: serde_json::Value = serde_json::from_slice(&out).unwrap_or_default();
        answered += usize::from(doc["hits"].is_array());
    }
    let ours_similar = t.elapsed();
    println!();
    println!(
        "find_similar_traces on 50 targets: {failed} of 50 calls failed ({}) in {:.1}s; batch executions in the table: {}",
        if first_error.is_empty() { "-" } else { &first_error },
        seed_similar.as_secs_f64(),
        faults.iter().filter(|f| **f == Fault::Batch).count()
    );
    println!(
        "| similar executions for 50 targets, seed `find_similar_traces` on an open connection vs 50 `tracediag similar` processes | {:.1} ms ({failed} failed) | {:.1} ms ({answered} answered) | {:.2} |",
        ms(seed_similar),
        ms(ours_similar),
        ms(seed_similar) / ms(ours_similar)
    );
    if std::env::var_os("TRACEDIAG_BENCH_KEEP").is_some() {
        // Leave the table for EXPLAIN and manual runs.
        println!("kept schema {schema} (TRACEDIAG_BENCH_KEEP)");
        std::mem::forget(guard);
    } else {
        drop(guard);
    }
}

/// The verdict on every execution, from one `search --diagnose` over the whole table (the
/// baseline is one aggregate query on the server): how many fault-free executions read
/// anything but `ok`, how many faulty ones read `ok`, and whether the top cause's category
/// and span are the injected ones.
/// `search --diagnose` over every execution, this build and `other` in turn, 5 times each.
fn search_diagnose_against(this: &str, other: &str, url: &str) {
    let (start, end) = (
        ts(T0_US - 1_000_000),
        ts(T0_US + (EXECUTIONS + 10) * SPACING_US),
    );
    let run = |bin: &str| {
        let t = Instant::now();
        let out = Command::new(bin)
            .args(["search", "--diagnose", "--start", &start, "--end", &end])
            .args(["--limit", "30000", "--source", url, "--format", "json"])
            .env("XDG_CONFIG_HOME", "/nonexistent")
            .output()
            .unwrap_or_else(|e| panic!("run {bin}: {e}"));
        assert!(
            out.status.success(),
            "{bin}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        t.elapsed()
    };
    let (mut mine, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        mine.push(run(this));
        theirs.push(run(other));
    }
    println!(
        "search --diagnose over {EXECUTIONS} executions, turn about (median of 5): this build {:.2} s, {other} {:.2} s",
        median(mine).as_secs_f64(),
        median(theirs).as_secs_f64()
    );
}

fn verdicts(tracediag: &dyn Fn(&[&str]) -> Vec<u8>, faults: &[Fault]) {
    let (start, end) = (
        ts(T0_US - 1_000_000),
        ts(T0_US + (EXECUTIONS + 10) * SPACING_US),
    );
    let mut times = Vec::new();
    let mut doc = serde_json::Value::Null;
    for _ in 0..3 {
        let t = Instant::now();
        let out = tracediag(&[
            "search",
            "--diagnose",
            "--start",
            &start,
            "--end",
            &end,
            "--limit",
            "30000",
        ]);
        times.push(t.elapsed());
        doc = serde_json::from_slice(&out).unwrap_or_default();
    }
    let hits = doc["traces"].as_array().cloned().unwrap_or_default();
    let (mut healthy, mut healthy_flagged, mut faulty, mut faulty_ok, mut right) = (0, 0, 0, 0, 0);
    let mut said: std::collections::BTreeMap<String, usize> = Default::default();
    let mut example: std::collections::BTreeMap<String, String> = Default::default();
    for h in &hits {
        let id: usize = h["trace_id"]
            .as_str()
            .and_then(|s| s.trim_start_matches('0').parse().ok())
            .unwrap_or(0);
        let Some(f) = id.checked_sub(1).and_then(|i| faults.get(i)) else {
            continue;
        };
        let d = &h["diagnosis"];
        let verdict = d["verdict"].as_str().unwrap_or("?");
        match f.truth() {
            None => {
                healthy += 1;
                if verdict != "ok" {
                    healthy_flagged += 1;
                    let key = format!("{} healthy read {verdict}", f.name());
                    example.entry(key.clone()).or_insert_with(|| id.to_string());
                    *said.entry(key).or_default() += 1;
                }
            }
            Some((_, ours_ok, spans)) => {
                faulty += 1;
                if verdict == "ok" {
                    faulty_ok += 1;
                }
                let at = format!(
                    "{}.{}",
                    d["service"].as_str().unwrap_or(""),
                    d["operation"].as_str().unwrap_or("")
                );
                if ours_ok.contains(&d["category"].as_str().unwrap_or(""))
                    && spans.contains(&at.as_str())
                {
                    right += 1;
                } else {
                    let key = format!("{}: {verdict} {} at {at}", f.name(), d["category"]);
                    example.entry(key.clone()).or_insert_with(|| id.to_string());
                    *said.entry(key).or_default() += 1;
                }
            }
        }
    }
    let pct = |a: usize, b: usize| a as f64 * 100.0 / b.max(1) as f64;
    println!();
    println!(
        "verdicts over {} executions (search --diagnose, {:.2} s median of 3): {healthy} fault-free, {healthy_flagged} not ok ({:.2} %); {faulty} faulty, {faulty_ok} ok ({:.2} %); category and span right for {right} ({:.1} %)",
        hits.len(),
        median(times).as_secs_f64(),
        pct(healthy_flagged, healthy),
        pct(faulty_ok, faulty),
        pct(right, faulty)
    );
    for (k, v) in said.iter().take(8) {
        // What the diagnosis of one of them says, to read why.
        let why = example.get(k).map_or_else(String::new, |id| {
            let out = tracediag(&["diagnose", id]);
            let v: serde_json::Value = serde_json::from_slice(&out).unwrap_or_default();
            format!("e.g. {id}: {}", v["verdict_reason"])
        });
        println!("  {k}: {v} ({why})");
    }
}
