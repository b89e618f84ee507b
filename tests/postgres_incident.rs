//! `root-cause --window` pushed down to PostgreSQL against the same spans read from a file:
//! the same ranking, and every evidence number equal. Needs the machine's PostgreSQL
//! (127.0.0.1:5432, database `test`, user `postgres`, trust auth); the test makes its own
//! schema and drops it, even when it fails.

mod common;
#[path = "common/copy_text.rs"]
mod copy_text;

use std::io::Write;

use common::incident_data::{copy_line, generate, otlp_json, Row, OTEL_COLUMNS};
use common::tracediag;
use postgres::{Client, NoTls};
use serde_json::Value;

const ADMIN: &str = "host=127.0.0.1 port=5432 user=postgres dbname=test connect_timeout=5";
const BASE_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

struct Schema {
    client: Client,
    name: String,
}

impl Schema {
    fn new(tag: &str) -> Schema {
        common::require_postgres();
        let mut client = Client::connect(ADMIN, NoTls).expect("PostgreSQL on 127.0.0.1:5432");
        let name = format!("tracediag_{tag}_{}", std::process::id());
        client
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"
            ))
            .expect("create schema");
        Schema { client, name }
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        let _ = self
            .client
            .batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
    }
}

/// 2025-10-22T16:00:00Z in µs.
const T0: i64 = 1_761_148_800_000_000;
const MIN: i64 = 60_000_000;

fn run(args: &[&str]) -> Value {
    let out = tracediag(args, &[("PGPASSWORD", "")]);
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    out.json()
}

fn close(a: &Value, b: &Value, path: &str) {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            // JSON rounds each number; a last-bit difference in a sum may move one digit.
            let tol = 1e-6 * x.abs().max(y.abs()) + 0.0011;
            assert!((x - y).abs() <= tol, "{path}: {x} vs {y}");
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{path}: lengths differ");
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                close(p, q, &format!("{path}[{i}]"));
            }
        }
        (Value::Object(x), Value::Object(y)) => {
            let (kx, ky): (Vec<&String>, Vec<&String>) = (x.keys().collect(), y.keys().collect());
            assert_eq!(kx, ky, "{path}: keys differ");
            for (k, v) in x {
                close(v, &y[k], &format!("{path}.{k}"));
            }
        }
        _ => assert_eq!(a, b, "{path}"),
    }
}

#[test]
#[ignore = "needs PostgreSQL on 127.0.0.1:5432 (database test)"]
fn pushdown_ranks_and_measures_like_the_traces_in_memory() {
    let mut db = Schema::new("incident");
    // 10 minutes of baseline, then a 5-minute window with the fault.
    let (table, rows) = load(&mut db, 900);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("spans.json");
    std::fs::write(&file, otlp_json(&rows)).expect("write file");
    let url = format!("{BASE_URL}?table={table}&preset=otel");
    let window = "2025-10-22T16:10:00Z..2025-10-22T16:15:00Z";
    let baseline = "2025-10-22T16:00:00Z..2025-10-22T16:10:00Z";
    let args = |src: &str, extra: &[&'static str]| -> Vec<String> {
        let mut v: Vec<String> = [
            "root-cause",
            "--window",
            window,
            "--baseline",
            baseline,
            "--format",
            "json",
            "--source",
            src,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    let call = |v: Vec<String>| {
        let refs: Vec<&str> = v.iter().map(String::as_str).collect();
        run(&refs)
    };
    let memory = call(args(file.to_str().unwrap_or_default(), &[]));
    let pushed = call(args(&url, &["--pushdown"]));
    let fetched = call(args(&url, &[]));

    assert_eq!(memory["traces"]["window"], 300, "{memory}");
    assert_eq!(memory["traces"]["baseline"], 600, "{memory}");
    assert_eq!(memory["services"][0]["service"], "db", "{memory}");
    let kinds: Vec<&str> = memory["services"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["evidence"].as_array().into_iter().flatten())
        .filter_map(|e| e["kind"].as_str())
        .collect();
    for k in ["caller_side_delay", "error_origins", "failed_invocations"] {
        assert!(kinds.contains(&k), "{k} missing: {kinds:?}");
    }
    for key in [
        "traces",
        "significant",
        "services",
        "services_without_evidence",
    ] {
        close(&memory[key], &pushed[key], key);
        close(&memory[key], &fetched[key], key);
    }
    let part = &pushed["coverage"]["parts"][0];
    assert!(
        pushed["coverage"]["fallback"].is_null(),
        "{}",
        pushed["coverage"]
    );
    assert_eq!(part["statistics"], "ranking");
    assert_eq!(part["computed_in"], "store");
    assert_eq!(part["spans"], rows.len());
    assert_eq!(part["traces"], 900);
    assert_eq!(
        fetched["coverage"]["parts"][0]["computed_in"],
        "fetched_traces"
    );
    assert_eq!(memory["coverage"]["parts"][0]["spans"], rows.len());
}

/// A table of `traces` generated requests over 15 minutes, the fault in the last 5.
fn load(db: &mut Schema, traces: u64) -> (String, Vec<Row>) {
    let table = format!("{}.otel_spans", db.name);
    let ddl = tracediag(&["schema", "otel", "--table", &table], &[]);
    assert_eq!(ddl.code, 0, "{}", ddl.stderr);
    db.client.batch_execute(&ddl.stdout).expect("ddl");
    let mut rows: Vec<Row> = Vec::new();
    generate(
        traces,
        T0,
        15 * MIN,
        (T0 + 10 * MIN, T0 + 15 * MIN),
        7,
        |r| rows.extend_from_slice(r),
    );
    let sql = format!("COPY {table} ({OTEL_COLUMNS}) FROM STDIN");
    let mut w = db.client.copy_in(&sql).expect("copy");
    for r in &rows {
        writeln!(w, "{}", copy_line(r, copy_text::ts)).expect("copy row");
    }
    w.finish().expect("copy finish");
    db.client
        .batch_execute(&format!("ANALYZE {table}"))
        .expect("analyze");
    (table, rows)
}

#[test]
#[ignore = "needs PostgreSQL on 127.0.0.1:5432 (database test)"]
fn a_sampled_pushdown_names_the_same_top_service_and_says_it_sampled() {
    let mut db = Schema::new("incident_sample");
    let (table, rows) = load(&mut db, 6000);
    let url = format!("{BASE_URL}?table={table}&preset=otel");
    let rc = |bound: &str, format: &str| {
        let out = tracediag(
            &[
                "root-cause",
                "--window",
                "2025-10-22T16:10:00Z..2025-10-22T16:15:00Z",
                "--baseline",
                "2025-10-22T16:00:00Z..2025-10-22T16:10:00Z",
                "--source",
                &url,
                "--pushdown",
                "--pushdown-traces",
                bound,
                "--format",
                format,
            ],
            &[("PGPASSWORD", "")],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        out
    };
    let full = rc("0", "json").json();
    let sampled = rc("500", "json").json();
    assert_eq!(full["services"][0]["service"], "db", "{full}");
    assert_eq!(
        sampled["services"][0]["service"], full["services"][0]["service"],
        "{sampled}"
    );
    let part = &full["coverage"]["parts"][0];
    assert_eq!(part["traces"], 6000, "{part}");
    assert_eq!(part["spans"], rows.len());
    assert!(part.get("samples").is_none(), "{part}");

    let part = &sampled["coverage"]["parts"][0];
    assert_eq!(part["computed_in"], "store");
    let samples = part["samples"].as_array().expect("samples");
    let ranges: Vec<&str> = samples.iter().filter_map(|s| s["range"].as_str()).collect();
    assert_eq!(ranges, ["window", "baseline"], "{part}");
    let mut traces = 0;
    for (s, of) in samples.iter().zip([2000.0, 4000.0]) {
        let n = s["traces"].as_u64().unwrap_or(0);
        traces += n;
        // The pilot's estimate sets the share: about the bound, not exactly.
        assert!((300..=800).contains(&n), "{s}");
        assert_eq!(s["of_traces_estimated"], true);
        let est = s["of_traces"].as_f64().unwrap_or(0.0);
        assert!((est / of - 1.0).abs() < 0.25, "{s}");
    }
    assert_eq!(part["traces"], traces);
    // The same sample on every run.
    assert_eq!(rc("500", "json").json()["coverage"], sampled["coverage"]);
    // The table wraps to a width: compare words.
    let text = rc("500", "table").stdout;
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("ranking computed in the store over")
            && text.contains(": the window a sample of")
            && text.contains("the baseline a sample of"),
        "{text}"
    );
}
