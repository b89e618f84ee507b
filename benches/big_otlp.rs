//! Large generated traces for the benchmark, written straight to a file so the benchmark
//! process never holds them: one Jaeger trace (the shape of `tests/common/big_trace.rs`) or
//! the same spans as OTLP JSON, one document or JSON Lines of 1,000 spans a line.

use std::io::{BufWriter, Write};

#[path = "../tests/common/rng.rs"]
mod rng;
use rng::Rng;

/// (parent index, service, start µs, duration µs, error)
type Node = (Option<usize>, usize, i64, i64, bool);

const TRACE_ID: &str = "7f3a9c2e4b1d8a6f0e5c3b2a19876543";
const OPS: [&str; 7] = [
    "GET /api/items",
    "POST /api/orders",
    "SELECT rows",
    "cache.get",
    "rpc.Call",
    "render",
    "publish",
];

/// 24 services, fan-out 1–8, depth up to ~14, children sequential or parallel, some errors.
fn nodes(spans: usize) -> Vec<Node> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let t0: i64 = 1_700_000_000_000_000;
    let mut nodes: Vec<(Node, u32)> = vec![((None, 0, t0, 60_000_000, false), 0)];
    let mut frontier = vec![0usize];
    while nodes.len() < spans {
        let before = nodes.len();
        let mut next = Vec::new();
        for &p in &frontier {
            let ((_, psvc, pstart, pdur, _), pdepth) = nodes[p];
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
                let error = rng.below(500) == 0;
                nodes.push(((Some(p), svc, start, dur, error), pdepth + 1));
                next.push(nodes.len() - 1);
            }
        }
        if nodes.len() == before {
            next.push(0);
        }
        frontier = next;
    }
    nodes.into_iter().map(|(n, _)| n).collect()
}

/// The trace as one Jaeger JSON document (the query API's envelope).
pub fn write_jaeger(spans: usize, path: &str) -> std::io::Result<u64> {
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    write!(out, "{{\"data\":[{{\"traceID\":\"{TRACE_ID}\",\"spans\":[")?;
    for (i, (parent, svc, start, dur, error)) in nodes(spans).into_iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        let refs = match parent {
            Some(p) => format!(
                "[{{\"refType\":\"CHILD_OF\",\"traceID\":\"{TRACE_ID}\",\"spanID\":\"{:016x}\"}}]",
                p + 1
            ),
            None => "[]".into(),
        };
        write!(
            out,
            "{{\"traceID\":\"{TRACE_ID}\",\"spanID\":\"{:016x}\",\"flags\":1,\"operationName\":\"{}\",\
             \"references\":{refs},\"startTime\":{start},\"duration\":{dur},\"tags\":[\
             {{\"key\":\"span.kind\",\"type\":\"string\",\"value\":\"server\"}},\
             {{\"key\":\"http.response.status_code\",\"type\":\"int64\",\"value\":{}}},\
             {{\"key\":\"error\",\"type\":\"bool\",\"value\":{error}}}],\
             \"logs\":[],\"processID\":\"p{}\",\"warnings\":null}}",
            i + 1,
            OPS[(i * 7 + svc) % OPS.len()],
            if error { 503 } else { 200 },
            svc + 1
        )?;
    }
    write!(out, "],\"processes\":{{")?;
    for s in 0..24 {
        if s > 0 {
            out.write_all(b",")?;
        }
        write!(out, "\"p{}\":{{\"serviceName\":\"service-{s:02}\",\"tags\":[{{\"key\":\"hostname\",\"type\":\"string\",\"value\":\"service-{s:02}-host\"}}]}}", s + 1)?;
    }
    write!(
        out,
        "}},\"warnings\":null}}],\"total\":0,\"limit\":0,\"offset\":0,\"errors\":null}}"
    )?;
    out.flush()?;
    std::fs::metadata(path).map(|m| m.len())
}

fn otlp_span(out: &mut impl Write, i: usize, node: &Node) -> std::io::Result<()> {
    let (parent, svc, start, dur, error) = *node;
    let parent = parent
        .map(|p| format!("{:016x}", p + 1))
        .unwrap_or_default();
    write!(
        out,
        "{{\"traceId\":\"{TRACE_ID}\",\"spanId\":\"{:016x}\",\"parentSpanId\":\"{parent}\",\
         \"name\":\"{}\",\"kind\":2,\"startTimeUnixNano\":\"{}\",\"endTimeUnixNano\":\"{}\",\
         \"attributes\":[{{\"key\":\"http.response.status_code\",\"value\":{{\"intValue\":\"{}\"}}}}],\
         \"status\":{{\"code\":{}}}}}",
        i + 1,
        OPS[(i * 7 + svc) % OPS.len()],
        start * 1000,
        (start + dur) * 1000,
        if error { 503 } else { 200 },
        if error { 2 } else { 0 }
    )
}

fn otlp_block(out: &mut impl Write, svc: usize, spans: &[(usize, &Node)]) -> std::io::Result<()> {
    write!(
        out,
        "{{\"resource\":{{\"attributes\":[{{\"key\":\"service.name\",\"value\":{{\"stringValue\":\"service-{svc:02}\"}}}},\
         {{\"key\":\"host.name\",\"value\":{{\"stringValue\":\"service-{svc:02}-host\"}}}}]}},\
         \"scopeSpans\":[{{\"scope\":{{\"name\":\"bench\"}},\"spans\":["
    )?;
    for (k, (i, n)) in spans.iter().enumerate() {
        if k > 0 {
            out.write_all(b",")?;
        }
        otlp_span(out, *i, n)?;
    }
    out.write_all(b"]}]}")
}

/// The trace as OTLP JSON: one document (`lines` false) or JSON Lines of 1,000 spans a
/// line; spans are grouped by service within a document or a line.
pub fn write_otlp(spans: usize, lines: bool, path: &str) -> std::io::Result<u64> {
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let all = nodes(spans);
    let chunk = if lines { 1000 } else { all.len().max(1) };
    let indexed: Vec<(usize, &Node)> = all.iter().enumerate().collect();
    for part in indexed.chunks(chunk) {
        out.write_all(b"{\"resourceSpans\":[")?;
        let mut first = true;
        for svc in 0..24 {
            let mine: Vec<(usize, &Node)> =
                part.iter().filter(|(_, n)| n.1 == svc).copied().collect();
            if mine.is_empty() {
                continue;
            }
            if !first {
                out.write_all(b",")?;
            }
            first = false;
            otlp_block(&mut out, svc, &mine)?;
        }
        out.write_all(b"]}\n")?;
    }
    out.flush()?;
    std::fs::metadata(path).map(|m| m.len())
}
