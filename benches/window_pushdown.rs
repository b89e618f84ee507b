//! Window root cause on PostgreSQL: pushdown against fetching traces.
//!
//! A generated `otel`-preset table (10 spans a request, requests spread evenly over 65
//! minutes, one injected fault in the last 5: payment slower, some db queries failing) is
//! loaded with COPY, indexed with the preset DDL and analysed. Then
//! `root-cause --window <last 5 min> --baseline <the hour before>` runs as its own process,
//! once with `--pushdown` and once fetching (the default: up to
//! `--max-traces` = 5000 traces per range): wall time, the process's peak RSS (wait4) and the
//! top service of each. Targets (pushdown ≤ 10 s, RSS ≤ 200 MB) are reported, not asserted.
//!
//! Run: `cargo bench --bench window_pushdown` (needs PostgreSQL on 127.0.0.1:5432, database
//! `test`, user `postgres`, trust auth). `TRACEDIAG_BENCH_SPANS=1000000` sets the size
//! (default 10,000,000; several sizes: comma-separated). Each size has its own schema
//! (`tracediag_bench_window_<spans>`), dropped at the end unless `TRACEDIAG_BENCH_KEEP=1`:
//! then it is kept, and a later run with the same size reuses the loaded table.
//! `TRACEDIAG_BENCH_PUSHDOWN_TRACES=N` passes `--pushdown-traces N` (0: no sampling; default:
//! the flag's default).

#[path = "../tests/common/child_run.rs"]
mod child_run;
use child_run::Run;

use std::io::Write;
use std::process::Command;
use std::time::{Duration, Instant};

#[path = "../tests/common/copy_text.rs"]
mod copy_text;
#[path = "../tests/common/incident_data.rs"]
mod incident_data;

use incident_data::{copy_line, generate, OTEL_COLUMNS};

const ADMIN: &str = "host=127.0.0.1 port=5432 user=postgres dbname=test connect_timeout=5";
const SCHEMA: &str = "tracediag_bench_window";

fn schema(spans: u64) -> String {
    format!("{SCHEMA}_{spans}")
}
/// 2025-10-22T16:00:00Z in µs.
const T0: i64 = 1_761_148_800_000_000;
const MIN: i64 = 60_000_000;

/// Run the binary with `args`.
fn run(args: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tracediag"));
    cmd.args(args).env("PGPASSWORD", "");
    child_run::run(&mut cmd, &format!("tracediag {args:?}"))
}

fn top(stdout: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(stdout).unwrap_or_default();
    match v["services"][0]["service"].as_str() {
        Some(s) => s.to_string(),
        None => format!("- ({})", stdout.chars().take(400).collect::<String>()),
    }
}

/// Rows in a kept table of this size, if there is one.
fn kept_rows(client: &mut postgres::Client, spans: u64) -> Option<i64> {
    let sql = format!("SELECT count(*) FROM {}.otel_spans", schema(spans));
    client.query_one(&sql, &[]).ok().map(|r| r.get(0))
}

fn load(client: &mut postgres::Client, spans: u64) -> Duration {
    let t = Instant::now();
    let schema = schema(spans);
    let table = format!("{schema}.otel_spans");
    client
        .batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
        ))
        .expect("schema");
    let ddl = Command::new(env!("CARGO_BIN_EXE_tracediag"))
        .args(["schema", "otel", "--table", &table])
        .output()
        .expect("tracediag schema");
    let ddl = String::from_utf8_lossy(&ddl.stdout).to_string();
    // The table first, the indexes after the load (faster than maintaining them per row).
    let (create, indexes) = ddl.split_once(");").expect("CREATE TABLE … );");
    client
        .batch_execute(&format!(
            "{create}); ALTER TABLE {table} SET UNLOGGED; ALTER TABLE {table} DROP CONSTRAINT otel_spans_pkey"
        ))
        .expect("create");
    let sql = format!("COPY {table} ({OTEL_COLUMNS}) FROM STDIN");
    let mut w = client.copy_in(&sql).expect("copy");
    let mut buf = String::new();
    generate(
        spans / 10,
        T0,
        65 * MIN,
        (T0 + 60 * MIN, T0 + 65 * MIN),
        11,
        |rows| {
            for r in rows {
                buf.push_str(&copy_line(r, copy_text::ts));
                buf.push('\n');
            }
            if buf.len() > 1 << 20 {
                w.write_all(buf.as_bytes()).expect("copy rows");
                buf.clear();
            }
        },
    );
    w.write_all(buf.as_bytes()).expect("copy rows");
    w.finish().expect("copy finish");
    client
        .batch_execute(&format!(
            "ALTER TABLE {table} ADD PRIMARY KEY (trace_id, span_id); {indexes} ANALYZE {table}"
        ))
        .expect("indexes");
    t.elapsed()
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let mut client = match postgres::Client::connect(ADMIN, postgres::NoTls) {
        Ok(c) => c,
        Err(e) => {
            println!("window_pushdown: skipped, no PostgreSQL at 127.0.0.1:5432: {e}");
            return;
        }
    };
    let sizes: Vec<u64> = std::env::var("TRACEDIAG_BENCH_SPANS")
        .unwrap_or_else(|_| "10000000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let keep = std::env::var("TRACEDIAG_BENCH_KEEP").is_ok_and(|v| v == "1");
    let bound = std::env::var("TRACEDIAG_BENCH_PUSHDOWN_TRACES").ok();
    let window = "2025-10-22T17:00:00Z..2025-10-22T17:05:00Z";
    let baseline = "2025-10-22T16:00:00Z..2025-10-22T17:00:00Z";
    println!(
        "{:>11} {:>9} | {:>9} {:>8} {:<10} | {:>9} {:>8} {:<10} | agree",
        "spans", "load", "pushdown", "RSS", "top", "fetching", "RSS", "top"
    );
    for spans in sizes {
        let url = format!(
            "postgres://postgres@127.0.0.1:5432/test?table={}.otel_spans&preset=otel",
            schema(spans)
        );
        let loaded = match kept_rows(&mut client, spans) {
            Some(n) if keep && n == spans as i64 => Duration::ZERO,
            _ => load(&mut client, spans),
        };
        let common = [
            "root-cause",
            "--window",
            window,
            "--baseline",
            baseline,
            "--source",
            &url,
            "--statement-timeout",
            "1h",
            "--format",
            "json",
        ];
        let mut args = common.to_vec();
        args.push("--pushdown");
        if let Some(n) = bound.as_deref() {
            args.extend(["--pushdown-traces", n]);
        }
        let pushed = run(&args);
        let fetched = run(&common);
        let (tp, tf) = (top(&pushed.stdout), top(&fetched.stdout));
        println!(
            "{:>11} {:>8.1}s | {:>8.2}s {:>5.0} MB {:<10} | {:>8.2}s {:>5.0} MB {:<10} | {}",
            spans,
            loaded.as_secs_f64(),
            pushed.wall.as_secs_f64(),
            pushed.rss as f64 / 1048576.0,
            tp,
            fetched.wall.as_secs_f64(),
            fetched.rss as f64 / 1048576.0,
            tf,
            if tp == tf { "yes" } else { "no" }
        );
        if !keep {
            let _ =
                client.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", schema(spans)));
        }
    }
}
