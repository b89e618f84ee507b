//! `root-cause --window` on many small traces read from a file, at growing sizes: wall time,
//! peak RSS (wait4, the process's own) and the top service, against the target of 100,000
//! traces (1,000,000 spans) in ≤ 5 s.
//!
//! Data: OTLP JSON Lines, traces of 10 spans over five services (gateway → checkout →
//! {inventory, payments → bank}), one trace every few milliseconds across two hours; in the
//! second hour `bank` answers three times slower in a third of the requests. Window: the
//! second hour; baseline: the first. Every trace is read (`--max-traces` as large as the file).
//!
//! Run: `cargo bench --bench window_scaling`. Figures are printed, not asserted.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

#[path = "../tests/common/child_run.rs"]
mod child_run;
#[path = "../tests/common/rng.rs"]
mod rng;
use rng::Rng;

const SPANS_PER_TRACE: usize = 10;
const HOUR_US: i64 = 3_600_000_000;
const T0_US: i64 = 1_700_000_000_000_000;

/// (parent, service, operation, start offset µs, duration µs)
type Shape = [(Option<usize>, &'static str, &'static str, i64, i64); SPANS_PER_TRACE];

fn shape(rng: &mut Rng, slow_bank: bool) -> Shape {
    let bank = (8_000 + rng.below(4_000) as i64) * if slow_bank { 3 } else { 1 };
    let inv = 3_000 + rng.below(2_000) as i64;
    let pay = bank + 2_000;
    let checkout = inv + pay + 1_500;
    [
        (None, "gateway", "POST /checkout", 0, checkout + 1_000),
        (Some(0), "gateway", "POST checkout", 400, checkout + 200),
        (Some(1), "checkout", "POST /checkout", 500, checkout),
        (Some(2), "checkout", "GET inventory", 800, inv + 200),
        (Some(3), "inventory", "GET /stock", 900, inv),
        (Some(4), "inventory", "SELECT stock", 1_000, inv - 500),
        (Some(2), "checkout", "POST payments", 1_200 + inv, pay + 200),
        (Some(6), "payments", "POST /charge", 1_300 + inv, pay),
        (Some(7), "payments", "POST bank", 1_400 + inv, bank + 200),
        (Some(8), "bank", "POST /authorize", 1_500 + inv, bank),
    ]
}

/// Write `traces` traces as OTLP JSON Lines (one trace a line), spread over two hours.
fn write(traces: usize, path: &Path) -> std::io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let step = 2 * HOUR_US / traces as i64;
    for t in 0..traces {
        let start = T0_US + t as i64 * step;
        let slow = start >= T0_US + HOUR_US && rng.below(3) == 0;
        let spans = shape(&mut rng, slow);
        write!(out, "{{\"resourceSpans\":[")?;
        for (n, svc) in ["gateway", "checkout", "inventory", "payments", "bank"]
            .iter()
            .enumerate()
        {
            if n > 0 {
                write!(out, ",")?;
            }
            write!(out, "{{\"resource\":{{\"attributes\":[{{\"key\":\"service.name\",\"value\":{{\"stringValue\":\"{svc}\"}}}}]}},\"scopeSpans\":[{{\"spans\":[")?;
            let mut first = true;
            for (i, (parent, s, op, off, dur)) in spans.iter().enumerate() {
                if s != svc {
                    continue;
                }
                if !first {
                    write!(out, ",")?;
                }
                first = false;
                let parent = parent
                    .map(|p| format!("{:016x}", p + 1))
                    .unwrap_or_default();
                let kind = if op.starts_with(['P', 'G', 'S']) && op.contains('/') {
                    2
                } else {
                    3
                };
                let begin = (start + off) * 1000;
                write!(
                    out,
                    "{{\"traceId\":\"{t:032x}\",\"spanId\":\"{:016x}\",\"parentSpanId\":\"{parent}\",\"name\":\"{op}\",\"kind\":{kind},\"startTimeUnixNano\":\"{begin}\",\"endTimeUnixNano\":\"{}\"}}",
                    i + 1,
                    begin + dur * 1000
                )?;
            }
            write!(out, "]}}]}}")?;
        }
        writeln!(out, "]}}")?;
    }
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
