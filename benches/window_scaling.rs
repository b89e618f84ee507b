//! `root-cause --window` on many small traces read from a file, at growing sizes: wall time,
//! peak RSS (wait4, the process's own) and the top service, against the target of 100,000
//! traces (1,000,000 spans) in ≤ 5 s.
//!
//! Data: OTLP JSON Lines, one request a line, from the generated system of
//! `tests/common/incident_data.rs` (gateway, frontend, auth, cart, redis, payment, db; 10
//! spans a request) spread over two hours; in the second hour payment slows and some of its
//! db queries fail. Window: the second hour; baseline: the first. Every trace is read
//! (`--max-traces` as large as the file).
//!
//! Run: `cargo bench --bench window_scaling`. Figures are printed, not asserted.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

#[path = "../tests/common/child_run.rs"]
mod child_run;
#[path = "../tests/common/incident_data.rs"]
mod incident_data;

const SPANS_PER_TRACE: usize = 10;
const HOUR_US: i64 = 3_600_000_000;
const T0_US: i64 = 1_700_000_000_000_000;

/// Write `traces` requests as OTLP JSON Lines over two hours, the fault in the second.
fn write(traces: usize, path: &Path) -> std::io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let mut result = Ok(());
    let fault = (T0_US + HOUR_US, T0_US + 2 * HOUR_US);
    incident_data::generate(traces as u64, T0_US, 2 * HOUR_US, fault, 7, |rows| {
        if result.is_ok() {
            result = writeln!(out, "{}", incident_data::otlp_json(rows));
        }
    });
    result?;
    out.flush()
}

fn rfc3339(us: i64) -> String {
    tracediag::source::search::rfc3339(us * 1000)
}

/// Run the window RCA; wall time, peak RSS in bytes, top service.
fn run(file: &Path, traces: usize) -> (Duration, u64, String) {
    let window = format!(
        "{}..{}",
        rfc3339(T0_US + HOUR_US),
        rfc3339(T0_US + 2 * HOUR_US)
    );
    let baseline = format!("{}..{}", rfc3339(T0_US), rfc3339(T0_US + HOUR_US));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tracediag"));
    cmd.args(["root-cause", "--format", "json"])
        .args(["--window", &window, "--baseline", &baseline])
        .args(["--max-traces", &traces.to_string()])
        .arg("--source")
        .arg(file)
        .env("XDG_CONFIG_HOME", "/nonexistent");
    let r = child_run::run(&mut cmd, "tracediag root-cause --window");
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("json report");
    let top = doc["services"][0]["service"]
        .as_str()
        .unwrap_or("(none)")
        .to_string();
    (r.wall, r.rss, top)
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    println!("root-cause --window, OTLP JSON Lines, traces of {SPANS_PER_TRACE} spans (best of 3 up to 10,000 traces, else one run):");
    // `TRACEDIAG_BENCH_TRACES=1000,10000` measures other sizes.
    let sizes: Vec<usize> = std::env::var("TRACEDIAG_BENCH_TRACES")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000]);
    let runs = if sizes.iter().any(|&n| n > 10_000) {
        1
    } else {
        3
    };
    for traces in sizes {
        let path = dir.path().join(format!("{traces}.jsonl"));
        write(traces, &path).unwrap();
        let size = std::fs::metadata(&path).unwrap().len();
        let runs: Vec<_> = (0..runs).map(|_| run(&path, traces)).collect();
        let (wall, rss, top) = runs.iter().min_by_key(|r| r.0).cloned().unwrap();
        let spans = traces * SPANS_PER_TRACE;
        println!(
            "{traces:>7} traces {spans:>9} spans {:>7.1} MiB  {:>6.2} s  RSS {:>7.1} MiB  top {top}{}",
            size as f64 / 1048576.0,
            wall.as_secs_f64(),
            rss as f64 / 1048576.0,
            if traces == 100_000 {
                format!(" (target ≤ 5 s: {})", if wall.as_secs_f64() <= 5.0 { "met" } else { "NOT met" })
            } else {
                String::new()
            }
        );
        std::fs::remove_file(&path).ok();
    }
}
