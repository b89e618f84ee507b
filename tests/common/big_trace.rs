//! A large, realistic Jaeger trace for benchmarks and budget tests (shared by
//! `benches/diagnose.rs` and the tests through `#[path]`).

use std::io::Write;

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
pub fn generate_jaeger(spans: usize) -> Vec<u8> {
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
