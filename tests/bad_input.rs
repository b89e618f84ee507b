//! Hostile and malformed input: every case is a clear error (exit code 2) or a correct
//! decode, never a panic.

mod common;

use std::io::Write;

use common::inputs::{self, JAEGER};
use tracediag::error::Error;
use tracediag::model::Trace;
use tracediag::source::Limits;

/// Decode with the command line's default limits.
fn decode(bytes: &[u8], what: &str) -> Result<Vec<Trace>, Error> {
    tracediag::source::decode(bytes, what, &Limits::default())
}

fn load(path: &str) -> Result<Vec<Trace>, Error> {
    tracediag::source::load(path, &Limits::default())
}

fn err(bytes: &[u8]) -> Error {
    match decode(bytes, "input.json") {
        Ok(t) => panic!("expected an error, got {} trace(s)", t.len()),
        Err(e) => {
            assert_eq!(e.exit_code(), 2, "{e}");
            let msg = e.to_string();
            assert!(
                msg.starts_with("input.json: "),
                "error names the input: {msg}"
            );
            assert!(!msg.contains('\n'), "one line: {msg}");
            e
        }
    }
}

#[test]
fn truncated_json() {
    let msg = err(&inputs::truncated_json()).to_string();
    assert!(
        msg.contains("truncated JSON") && msg.contains("line"),
        "{msg}"
    );
}

#[test]
fn malformed_json_reports_line_and_column() {
    let msg = err(inputs::MALFORMED_JSON).to_string();
    assert!(
        msg.contains("malformed JSON") && msg.contains("line 2 column"),
        "{msg}"
    );
}

#[test]
fn empty_input() {
    for input in [&b""[..], b"   \n\t ", b"\xEF\xBB\xBF"] {
        let msg = err(input).to_string();
        assert!(msg.contains("empty"), "{msg}");
    }
}

#[test]
fn binary_garbage() {
    let msg = err(&inputs::binary_garbage()).to_string();
    assert!(
        msg.contains("not a Jaeger JSON, OTLP JSON, OTLP JSON Lines or span CSV document"),
        "{msg}"
    );
    assert!(msg.contains("binary"), "{msg}");
}

#[test]
fn corrupt_gzip() {
    let msg = err(inputs::CORRUPT_GZIP).to_string();
    assert!(msg.contains("gzip"), "{msg}");
}

#[test]
fn valid_json_that_is_not_a_trace() {
    let msg = err(inputs::NOT_A_TRACE).to_string();
    assert!(
        msg.contains("not a Jaeger JSON, OTLP JSON, OTLP JSON Lines or span CSV document"),
        "{msg}"
    );
    assert!(msg.contains("foo"), "names the keys found: {msg}");
    for other in [&b"42"[..], b"\"text\"", b"null", b"[1,2]", b"[{\"a\":1}]"] {
        let msg = err(other).to_string();
        assert!(msg.contains("not a Jaeger JSON"), "{msg}");
    }
}

#[test]
fn plain_text_is_not_a_csv() {
    let msg = err(inputs::PLAIN_TEXT).to_string();
    assert!(msg.contains("hello world"), "{msg}");
}

#[test]
fn csv_with_a_missing_required_column() {
    let msg = err(inputs::CSV_WITHOUT_OPERATION).to_string();
    assert!(
        msg.contains("missing required column(s) operation"),
        "{msg}"
    );
}

#[test]
fn wrong_shapes_are_errors_not_panics() {
    for doc in [
        &br#"{"data":["svc-a","svc-b"]}"#[..],
        br#"{"data":[{"traceID":"1","spans":5}]}"#,
        br#"{"data":[{"traceID":"1","spans":[{"operationName":"no id"}]}]}"#,
        br#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"no id"}]}]}]}"#,
        br#"{"resourceSpans":{"not":"an array"}}"#,
        br#"{"traceID":"1","spans":[{"spanID":"a","startTime":"soon","duration":1e400}]}"#,
        br#"[{"traceId":"1"}]"#,
    ] {
        let _ = decode(doc, "input.json");
    }
    // Oversized numbers saturate instead of overflowing.
    let t = decode(
        br#"{"traceID":"1","spans":[{"spanID":"a","startTime":99999999999999999999,"duration":18446744073709551615}]}"#,
        "x",
    )
    .expect("decodes");
    assert_eq!(t[0].spans[0].start_ns, i64::MAX);
    assert_eq!(t[0].spans[0].duration_ns, i64::MAX);
}

#[test]
fn deeply_nested_json_is_an_error() {
    let msg = err(&inputs::deeply_nested_json()).to_string();
    assert!(msg.contains("JSON"), "{msg}");
}

#[test]
fn fifty_megabyte_attribute() {
    let big = "x".repeat(50 * 1024 * 1024);
    let doc = format!(
        r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{{"traceId":"01","spanId":"02","name":"op",
        "attributes":[{{"key":"payload","value":{{"stringValue":"{big}"}}}}]}}]}}]}}]}}"#
    );
    let start = std::time::Instant::now();
    let unlimited =
        |doc: &str| tracediag::source::decode(doc.as_bytes(), "big.json", &Limits::none());
    let t = unlimited(&doc).expect("decodes");
    let value = t[0].spans[0].attr("payload").expect("attribute").as_text();
    assert_eq!(value.len(), big.len());
    assert!(
        start.elapsed().as_secs() < 20,
        "linear time: {:?}",
        start.elapsed()
    );
    // Under the default --max-attr-size (64 KiB) the value is cut, and the trace says so.
    let t = decode(doc.as_bytes(), "big.json").expect("decodes");
    let value = t[0].spans[0].attr("payload").expect("attribute").as_text();
    let removed = big.len() - 64 * 1024;
    assert_eq!(
        value,
        format!("{}…[truncated {removed} bytes]", &big[..64 * 1024])
    );
    assert_eq!(t[0].warnings.len(), 1, "{:?}", t[0].warnings);

    let jaeger = format!(
        r#"{{"traceID":"1","spans":[{{"spanID":"a","tags":[{{"key":"payload","type":"string","value":"{big}\n"}}]}}]}}"#
    );
    let t = unlimited(&jaeger).expect("decodes");
    assert_eq!(
        t[0].spans[0]
            .attr("payload")
            .expect("attribute")
            .as_text()
            .len(),
        big.len() + 1
    );
}

#[test]
fn gzip_of_a_jaeger_file() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(JAEGER.as_bytes()).expect("compress");
    let bytes = gz.finish().expect("compress");
    let t = decode(&bytes, "trace.json.gz").expect("decodes");
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].spans.len(), 2);
    assert_eq!(t[0].spans[1].parent_id.as_deref(), Some("1"));
    assert_eq!(t[0].spans[1].service, "api");
}

#[test]
fn json_lines_with_two_otlp_documents() {
    let doc = |trace: &str, span: &str| {
        format!(
            r#"{{"resourceSpans":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"s{span}"}}}}]}},"scopeSpans":[{{"spans":[{{"traceId":"{trace}","spanId":"{span}","name":"op","startTimeUnixNano":"1","endTimeUnixNano":"2"}}]}}]}}]}}"#
        )
    };
    let lines = format!("{}\n{}\n", doc("aa", "01"), doc("bb", "02"));
    let t = decode(lines.as_bytes(), "spans.jsonl").expect("decodes");
    assert_eq!(t.len(), 2);
    assert_eq!((t[0].id.as_str(), t[1].id.as_str()), ("aa", "bb"));
    assert_eq!(t[1].spans[0].service, "s02");

    // A broken second line is reported with its position.
    let broken = format!("{}\n{{\"resourceSpans\": [\n", doc("aa", "01"));
    let msg = err(broken.as_bytes()).to_string();
    assert!(
        msg.contains("JSON value #2") && msg.contains("line 3"),
        "{msg}"
    );
}

#[test]
fn jaeger_errors_without_data() {
    let msg = err(inputs::JAEGER_NOT_FOUND).to_string();
    assert!(
        msg.contains("trace not found") && msg.contains("404"),
        "{msg}"
    );
    let msg = err(br#"{"error":{"httpCode":404,"message":"No traces found"}}"#).to_string();
    assert!(msg.contains("No traces found"), "{msg}");
}

#[test]
fn missing_file_is_an_input_error() {
    let e = load("/nonexistent/trace.json").expect_err("missing file");
    assert_eq!(e.exit_code(), 2);
    assert!(e.to_string().contains("/nonexistent/trace.json"), "{e}");
}

#[test]
fn load_reads_a_file() {
    let mut f = tempfile::NamedTempFile::new().expect("temp file");
    f.write_all(JAEGER.as_bytes()).expect("write");
    let t = load(f.path().to_str().expect("utf-8 path")).expect("decodes");
    assert_eq!(t[0].spans.len(), 2);
}
