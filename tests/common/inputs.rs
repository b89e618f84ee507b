//! Bad inputs shared by `tests/bad_input.rs` (decoded in-process: every one a clear error,
//! never a panic) and `tests/bad_inputs_table.rs` (run through the binary for the README's
//! "Bad inputs" table).

/// A small, valid Jaeger v1 API response: trace `abc`, GET / → query.
pub const JAEGER: &str = r#"{"data":[{"traceID":"abc","spans":[
  {"traceID":"abc","spanID":"1","operationName":"GET /","startTime":1000,"duration":50,"processID":"p1","references":[]},
  {"traceID":"abc","spanID":"2","operationName":"query","startTime":1010,"duration":20,"processID":"p1",
   "references":[{"refType":"CHILD_OF","traceID":"abc","spanID":"1"}]}],
  "processes":{"p1":{"serviceName":"api","tags":[]}}}],"total":0,"limit":0,"offset":0,"errors":null}"#;

/// [`JAEGER`] cut in the middle.
pub fn truncated_json() -> Vec<u8> {
    JAEGER.as_bytes()[..JAEGER.len() / 2].to_vec()
}

pub const MALFORMED_JSON: &[u8] = b"{\n  \"data\": [,]\n}";

/// 4 KiB of pseudo-random bytes that start like nothing tracediag reads.
pub fn binary_garbage() -> Vec<u8> {
    let mut garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    garbage[0] = 0x08; // not `{`, `[` or gzip
    garbage
}

/// A gzip header followed by garbage.
pub const CORRUPT_GZIP: &[u8] = &[0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad];

/// Valid JSON that holds no trace.
pub const NOT_A_TRACE: &[u8] = br#"{"foo":1}"#;

/// Text that is neither JSON nor a span CSV.
pub const PLAIN_TEXT: &[u8] = b"hello world\nthis is not a trace\n";

/// A span CSV without the `operation` column.
pub const CSV_WITHOUT_OPERATION: &[u8] =
    b"trace_id,span_id,parent_span_id,service,start_time_us,duration_us\n1,2,,svc,10,5\n";

/// An OTLP attribute nested 100,000 arrays deep.
pub fn deeply_nested_json() -> Vec<u8> {
    let mut doc = String::from(
        r#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"1","spanId":"2","attributes":[{"key":"k","value":"#,
    );
    for _ in 0..100_000 {
        doc.push_str(r#"{"arrayValue":{"values":["#);
    }
    doc.into_bytes()
}

/// What Jaeger answers for an unknown trace: errors and no data.
pub const JAEGER_NOT_FOUND: &[u8] = br#"{"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":404,"msg":"trace not found"}]}"#;

/// A Jaeger trace from `spans` given as (span id, parent id).
pub fn jaeger_tree(spans: &[(&str, Option<&str>)]) -> String {
    let list: Vec<String> = spans
        .iter()
        .enumerate()
        .map(|(i, (id, parent))| {
            let refs = parent
                .map(|p| format!(r#"{{"refType":"CHILD_OF","traceID":"abc","spanID":"{p}"}}"#))
                .unwrap_or_default();
            format!(
                r#"{{"traceID":"abc","spanID":"{id}","operationName":"op{i}","startTime":{},"duration":{},"processID":"p1","references":[{refs}]}}"#,
                1_700_000_000_000_000u64 + i as u64 * 10,
                (spans.len() - i) * 20
            )
        })
        .collect();
    format!(
        r#"{{"data":[{{"traceID":"abc","spans":[{}],"processes":{{"p1":{{"serviceName":"api","tags":[]}}}}}}]}}"#,
        list.join(",")
    )
}

/// A chain of `n` spans, each the child of the one before.
pub fn jaeger_chain(n: usize) -> String {
    let ids: Vec<String> = (1..=n).map(|i| format!("{i:x}")).collect();
    let spans: Vec<(&str, Option<&str>)> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), (i > 0).then(|| ids[i - 1].as_str())))
        .collect();
    jaeger_tree(&spans)
}

/// A Jaeger trace whose root span carries an attribute of `bytes` bytes.
pub fn jaeger_with_attribute(bytes: usize) -> String {
    JAEGER.replacen(
        r#""processID":"p1","references":[]}"#,
        &format!(
            r#""processID":"p1","references":[],"tags":[{{"key":"payload","type":"string","value":"{}"}}]}}"#,
            "x".repeat(bytes)
        ),
        1,
    )
}

/// Gzip data that inflates to `mib` MiB of spaces after a valid document: concatenated
/// members of 1 MiB each, about 1 KB apiece compressed.
pub fn gzip_bomb(mib: usize) -> Vec<u8> {
    use std::io::Write;
    let gz = |bytes: &[u8]| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).expect("compress");
        e.finish().expect("compress")
    };
    let member = gz(&vec![b' '; 1 << 20]);
    let mut out = gz(JAEGER.as_bytes());
    for _ in 0..mib {
        out.extend_from_slice(&member);
    }
    out
}
