//! End-to-end benchmark of fetching a generated 100,000-span trace from Tempo as OTLP
//! protobuf against fetching it as OTLP JSON: `tracediag diagnose --format json
//! --no-baseline` against an in-process server on 127.0.0.1 that answers by `Accept`, as
//! Tempo does. Best of 3 each, plus the in-process decode alone of each body.
//!
//! Run: `cargo bench --bench otlp_protobuf`. Prints figures; the target (protobuf at least
//! 2× faster end to end) is reported, not asserted.

use std::time::{Duration, Instant};

const SPANS: usize = 100_000;
const RUNS: usize = 3;

#[path = "../tests/common/big_trace.rs"]
mod big_trace;
#[path = "../tests/common/negotiating_server.rs"]
#[allow(dead_code)]
mod negotiating_server;
#[path = "../tests/common/otlp_encode.rs"]
#[allow(dead_code)]
mod otlp_encode;

use negotiating_server::{NegotiatingServer, OnProtobuf};
use tracediag::source::Limits;

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

fn diagnose(exe: &str, source: &str, id: &str) {
    let out = std::process::Command::new(exe)
        .args(["diagnose", "--format", "json", "--no-baseline", "--source"])
        .args([source, id])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn main() {
    let jaeger = big_trace::generate_jaeger(SPANS);
    let traces = tracediag::source::decode(&jaeger, "generated", &Limits::default()).unwrap();
    drop(jaeger);
    // For profiling outside the harness: write the trace as a bare TracesData and stop.
    if let Some(out) = std::env::var_os("TRACEDIAG_BENCH_WRITE") {
        std::fs::write(&out, otlp_encode::encode(&traces)).unwrap();
        println!("wrote {}", out.to_string_lossy());
        return;
    }
    let id = traces[0].id.clone();
    let proto = otlp_encode::encode_tempo(&traces, None);
    let json = otlp_encode::encode_tempo_json(&traces);
    drop(traces);
    let mib = |n: usize| n as f64 / (1024.0 * 1024.0);
    println!(
        "generated trace: {SPANS} spans; Tempo answer {:.1} MiB protobuf, {:.1} MiB JSON",
        mib(proto.len()),
        mib(json.len())
    );

    // The JSON body is Tempo v2's (`{"trace": …}`), which `decode` also reads.
    let proto_decode = best_of(|| {
        let mut bytes = proto.as_slice();
        // Strip the TraceByIDResponse key and length: the Trace inside is a TracesData.
        let _ = prost::encoding::decode_key(&mut bytes).unwrap();
        let _ = prost::encoding::decode_varint(&mut bytes).unwrap();
        let t = tracediag::source::decode(bytes, "bench", &Limits::default()).unwrap();
        std::hint::black_box(t.len());
    });
    // prost alone, into the message structs: what the mapping to the model adds is the rest.
    let prost_only = best_of(|| {
        use prost::Message;
        let m = tracediag::source::otlp_proto::wire::TraceByIdResponse::decode(proto.as_slice());
        std::hint::black_box(m.map(|m| m.status).unwrap_or(0));
    });
    let json_decode = best_of(|| {
        let t = tracediag::source::decode(&json, "bench", &Limits::default()).unwrap();
        std::hint::black_box(t.len());
    });

    let exe = env!("CARGO_BIN_EXE_tracediag");
    let server = NegotiatingServer::start(
        OnProtobuf::Answer("200 OK", "application/protobuf", proto),
        Vec::new(),
        RUNS,
    );
    let protobuf_e2e = best_of(|| diagnose(exe, &format!("tempo+{}", server.url()), &id));
    // A server refusing protobuf is the JSON path: one 406 of a few bytes, then the JSON.
    let json_only =
        NegotiatingServer::start(OnProtobuf::Refuse("406 Not Acceptable"), json, RUNS * 2);
    let json_e2e = best_of(|| diagnose(exe, &format!("tempo+{}", json_only.url()), &id));

    println!("decode in process (best of {RUNS}): protobuf {proto_decode:.2?}, JSON {json_decode:.2?} ({:.1}×)",
        json_decode.as_secs_f64() / proto_decode.as_secs_f64());
    println!("  of which prost's parse into message structs: {prost_only:.2?}");
    println!("diagnose --format json end to end (best of {RUNS}): protobuf {protobuf_e2e:.2?}, JSON {json_e2e:.2?}");
    let ratio = json_e2e.as_secs_f64() / protobuf_e2e.as_secs_f64();
    println!(
        "protobuf is {ratio:.2}× faster end to end (target ≥ 2×: {})",
        if ratio >= 2.0 { "met" } else { "not met" }
    );
}
