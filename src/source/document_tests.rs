//! JSON Lines read on two threads give what one thread gives.

use super::*;

/// Every line of a mixed JSON Lines input: Jaeger, OTLP and Zipkin (whose client and server
/// halves sit on lines far apart, so they meet only when the halves are joined).
fn mixed_lines() -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let one_line = |name: &str| {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v.to_string()
    };
    let jaeger = one_line("execution-2193.jaeger.json");
    let otlp = one_line("execution-2193.otlp.json");
    let client = r#"{"traceId":"00000000000000aa","id":"00000000000000bb","kind":"CLIENT","name":"get","timestamp":1700000000000000,"duration":900,"localEndpoint":{"serviceName":"web"},"shared":false}"#;
    let server = r#"{"traceId":"00000000000000aa","id":"00000000000000bb","kind":"SERVER","name":"get","timestamp":1700000000000100,"duration":700,"localEndpoint":{"serviceName":"api"},"shared":true}"#;
    let mut lines = vec![client.to_string()];
    for i in 0..40 {
        lines.push(if i % 2 == 0 {
            jaeger.clone()
        } else {
            otlp.clone()
        });
    }
    lines.push(server.to_string());
    lines.join("\n")
}

fn read(text: &str, two_threads_at: usize) -> (Collected, usize) {
    let parts = json_lines::split(text.as_bytes());
    let mut out = Collected::default();
    let mut zipkin = zipkin_json::Builder::default();
    let mut infos = Vec::new();
    read_lines(&parts, two_threads_at, &mut out, &mut zipkin, &mut infos).unwrap();
    zipkin.finish(&mut out);
    (out, infos.iter().filter(|i| i.trace_like).count())
}

#[test]
fn two_halves_read_as_one() {
    let text = mixed_lines();
    let (alone, alone_docs) = read(&text, usize::MAX);
    let (halves, halves_docs) = read(&text, 0);
    assert!(alone.spans.len() > 40, "{}", alone.spans.len());
    assert_eq!(alone_docs, 42);
    assert_eq!(halves_docs, alone_docs);
    assert_eq!(halves.spans, alone.spans);
    assert_eq!(halves.warnings, alone.warnings);
    // The Zipkin client and server halves, on the first and last lines, became one pair.
    let shared: Vec<_> = halves
        .spans
        .iter()
        .filter(|s| s.trace_id == "00000000000000aa")
        .collect();
    assert_eq!(shared.len(), 2, "{shared:?}");
}
