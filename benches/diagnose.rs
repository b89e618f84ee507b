//! End-to-end benchmark of `diagnose --format json` on a generated 100,000-span Jaeger trace,
//! beside serde_json parsing alone of the same bytes, in one run.
//!
//! Run: `cargo bench --bench diagnose`. Prints figures; targets (issue: diagnose ≤ 1.5× the
//! parse-only time, peak RSS ≤ 4× the file size) are checked and reported, not asserted.

use std::time::{Duration, Instant};

const SPANS: usize = 100_000;
const RUNS: usize = 5;

#[path = "../tests/common/big_trace.rs"]
mod big_trace;
use big_trace::generate_jaeger;

fn best_of<F: FnMut()>(mut f: F) -> Duration {
    (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap()
}

fn children_max_rss_kib() -> i64 {
    // SAFETY: getrusage writes into the zeroed struct we pass; no other invariants.
    unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage.ru_maxrss
    }
}

fn main() {
    let bytes = generate_jaeger(SPANS);
    // For profiling outside the harness: write the generated trace and stop.
    if let Some(out) = std::env::var_os("TRACEDIAG_BENCH_WRITE") {
        std::fs::write(&out, &bytes).unwrap();
        println!("wrote {} bytes to {}", bytes.len(), out.to_string_lossy());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.jaeger.json");
    std::fs::write(&path, &bytes).unwrap();
    let mib = bytes.len() as f64 / (1024.0 * 1024.0);
    println!("generated trace: {SPANS} spans, {:.1} MiB Jaeger JSON", mib);
    // The child's peak RSS is read with getrusage(RUSAGE_CHILDREN), which also counts what the
    // child inherited at fork: run it while this process is still small.
    drop(bytes);
    let exe = env!("CARGO_BIN_EXE_tracediag");
    let end_to_end = best_of(|| {
        let out = std::process::Command::new(exe)
            .args(["diagnose", "--format", "json", "--source"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    });
    let bytes = std::fs::read(&path).unwrap();

    let parse_only = best_of(|| {
        let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        std::hint::black_box(v);
    });
    let in_process = best_of(|| {
        let traces =
            tracediag::source::decode(&bytes, "bench", &tracediag::source::Limits::default())
                .unwrap();
        let trace = traces.into_iter().next().unwrap();
        let indexed = tracediag::model::IndexedTrace::new(trace, Some(1_000_000_000));
        let d = tracediag::analysis::diagnose(&indexed, &Default::default());
        let options = tracediag::report::RenderOptions {
            color: false,
            wide: false,
            width: 80,
            max_spans: 500,
            max_tokens: None,
            ..Default::default()
        };
        let json =
            tracediag::report::diagnose(&indexed, &d, tracediag::report::Format::Json, &options);
        std::hint::black_box(json);
    });
    let rss_mib = children_max_rss_kib() as f64 / 1024.0;

    let ratio = |d: Duration| d.as_secs_f64() / parse_only.as_secs_f64();
    println!(
        "serde_json::Value parse only        {:>8.1} ms",
        parse_only.as_secs_f64() * 1e3
    );
    println!(
        "decode+index+diagnose+JSON (in proc) {:>8.1} ms  = {:.2}x parse-only",
        in_process.as_secs_f64() * 1e3,
        ratio(in_process)
    );
    println!(
        "tracediag diagnose --format json     {:>8.1} ms  = {:.2}x parse-only (process, file read included)",
        end_to_end.as_secs_f64() * 1e3,
        ratio(end_to_end)
    );
    println!(
        "peak RSS of tracediag process        {:>8.1} MiB = {:.2}x file size",
        rss_mib,
        rss_mib / mib
    );
    println!(
        "targets: time ≤ 1.5x parse-only: {}; peak RSS ≤ 4x file: {}",
        if ratio(end_to_end) <= 1.5 {
            "met"
        } else {
            "NOT met"
        },
        if rss_mib / mib <= 4.0 {
            "met"
        } else {
            "NOT met"
        }
    );
}
