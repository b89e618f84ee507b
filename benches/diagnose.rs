//! End-to-end benchmark of `diagnose --format json` on a generated 100,000-span Jaeger trace,
//! beside serde_json parsing alone of the same bytes, in one run.
//!
//! Run: `cargo bench --bench diagnose`. Prints figures; targets (issue: diagnose ≤ 1.5× the
//! parse-only time, peak RSS ≤ 4× the file size) are checked and reported, not asserted.

use std::io::Write;
use std::time::{Duration, Instant};

const SPANS: usize = 100_000;
const RUNS: usize = 5;

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A realistic trace: 24 services, a few operations each, depth up to ~14, fan-out 1–8,
/// children laid out sequentially or in parallel inside their parent, some errors.
fn generate_jaeger(spans: usize) -> Vec<u8> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let services: Vec<String> = (0..24).map(|i| format!("service-{i:02}")).collect();
    let ops = [
        "GET /api/items",
        "POST /api/orders",
        "SELECT rows",
        "cache.get",
        "rpc.Call",
        "render",
        "publish",
    ];
    let trace_id = "7f3a9c2e4b1d8a6f0e5c3b2a19876543";
    let t0: i64 = 1_700_000_000_000_000;
    // (span index, parent index, service, start µs, duration µs, depth)
    let mut nodes: Vec<(usize, Option<usize>, usize, i64, i64, u32)> =
        vec![(0, None, 0, t0, 60_000_000, 0)];
    let mut frontier = vec![0usize];
    while nodes.len() < spans {
        let next_frontier_start = nodes.len();
        let mut next = Vec::new();
        for &p in &frontier {
            let (_, _, psvc, pstart, pdur, pdepth) = nodes[p];
            let fan = if pdepth > 12 {
                0
            } else {
                1 + rng.below(8) as usize
            };
            let parallel = rng.below(3) == 0;
            let slot = pdur / (fan as i64 + 1);
            for c in 0..fan {
                if nodes.len() >= spans {
                    break;
                }
                let svc = if rng.below(3) == 0 {
                    rng.below(24) as usize
                } else {
                    psvc
                };
                let start = if parallel {
                    pstart + 10
                } else {
                    pstart + 10 + slot * c as i64
                };
                let dur = (slot * (60 + rng.below(35) as i64) / 100).max(1);
                nodes.push((nodes.len(), Some(p), svc, start, dur, pdepth + 1));
                next.push(nodes.len() - 1);
            }
        }
        if nodes.len() == next_frontier_start {
            // Everything hit the depth cap: restart fan-out under the root.
            next.push(0);
        }
        frontier = next;
    }
    let mut out = Vec::with_capacity(spans * 450);
    write!(out, "{{\"data\":[{{\"traceID\":\"{trace_id}\",\"spans\":[").unwrap();
    for (i, parent, svc, start, dur, _) in &nodes {
        if *i > 0 {
            out.push(b',');
        }
        let refs = match parent {
            Some(p) => format!(
                "[{{\"refType\":\"CHILD_OF\",\"traceID\":\"{trace_id}\",\"spanID\":\"{:016x}\"}}]",
                p + 1
            ),
            None => "[]".into(),
        };
        let op = ops[(i * 7 + svc) % ops.len()];
        let error = rng.below(500) == 0;
        write!(
            out,
            "{{\"traceID\":\"{trace_id}\",\"spanID\":\"{:016x}\",\"flags\":1,\"operationName\":\"{op}\",\
             \"references\":{refs},\"startTime\":{start},\"duration\":{dur},\"tags\":[\
             {{\"key\":\"span.kind\",\"type\":\"string\",\"value\":\"server\"}},\
             {{\"key\":\"http.response.status_code\",\"type\":\"int64\",\"value\":{}}},\
             {{\"key\":\"error\",\"type\":\"bool\",\"value\":{error}}}],\
             \"logs\":[],\"processID\":\"p{}\",\"warnings\":null}}",
            i + 1,
            if error { 503 } else { 200 },
            svc + 1
        )
        .unwrap();
    }
    write!(out, "],\"processes\":{{").unwrap();
    for (i, s) in services.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write!(out, "\"p{}\":{{\"serviceName\":\"{s}\",\"tags\":[{{\"key\":\"hostname\",\"type\":\"string\",\"value\":\"{s}-host\"}}]}}", i + 1).unwrap();
    }
    write!(
        out,
        "}},\"warnings\":null}}],\"total\":0,\"limit\":0,\"offset\":0,\"errors\":null}}"
    )
    .unwrap();
    out
}

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
