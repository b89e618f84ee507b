//! OTLP protobuf from files (a bare `TracesData`, the Collector file exporter's framed
//! `format: proto`) and from Tempo (`Accept: application/protobuf`): the real OTLP JSON
//! fixtures written as protobuf read back to the same traces, and the faults.

mod common;

use common::negotiating_server::{NegotiatingServer, OnProtobuf};
use common::otlp_encode::{encode, encode_framed, encode_tempo};
use common::{fixture_traces, read, tracediag};
use tracediag::model::Trace;
use tracediag::source::{decode, Limits};

const ID: &str = "5b8efff798038103d269b633813fc60c";

fn otlp_fixtures() -> Vec<(String, Vec<Trace>)> {
    let dir = fixture_traces();
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("fixtures") {
        let path = entry.expect("entry").path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("otlp__") && name.ends_with(".json") {
            let traces = decode(&read(&path), &name, &Limits::default())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            out.push((name, traces));
        }
    }
    assert!(out.len() >= 3, "expected the OTLP fixtures in {dir:?}");
    out
}

/// A small trace of our own with every kind of value, for the tests that need no fixtures.
fn sample() -> Vec<Trace> {
    let json = format!(
        r#"{{"resourceSpans":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"svc"}}}}]}},
        "scopeSpans":[{{"scope":{{"name":"lib","version":"1.0"}},"spans":[
          {{"traceId":"{ID}","spanId":"eee19b7ec3c1b174","name":"root","kind":2,
            "startTimeUnixNano":"1000","endTimeUnixNano":"9000","status":{{"code":2,"message":"boom"}},
            "attributes":[{{"key":"i","value":{{"intValue":"7"}}}},{{"key":"b","value":{{"bytesValue":"AAE="}}}},
                          {{"key":"a","value":{{"arrayValue":{{"values":[{{"doubleValue":1.5}},{{"boolValue":true}}]}}}}}}],
            "events":[{{"timeUnixNano":"2000","name":"exception","attributes":[{{"key":"exception.message","value":{{"stringValue":"x"}}}}]}}]}},
          {{"traceId":"{ID}","spanId":"00000000000000aa","parentSpanId":"eee19b7ec3c1b174","name":"child","kind":3,
            "startTimeUnixNano":"2000","endTimeUnixNano":"4000",
            "links":[{{"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708"}}]}}]}}]}}]}}"#
    );
    decode(json.as_bytes(), "sample", &Limits::default()).expect("sample decodes")
}

#[test]
#[ignore = "needs TRACEDIAG_FIXTURES (the shared fixtures folder)"]
fn fixtures_read_the_same_from_protobuf_as_from_json() {
    for (name, from_json) in otlp_fixtures() {
        let bare = decode(&encode(&from_json), "bare", &Limits::default())
            .unwrap_or_else(|e| panic!("{name} bare: {e}"));
        assert_eq!(bare, from_json, "{name}: bare TracesData");
        let framed = decode(&encode_framed(&from_json), "framed", &Limits::default())
            .unwrap_or_else(|e| panic!("{name} framed: {e}"));
        assert_eq!(framed, from_json, "{name}: file exporter frames");
    }
}

#[test]
fn every_value_kind_reads_the_same() {
    let from_json = sample();
    let spans = &from_json[0].spans;
    assert_eq!(spans.len(), 2);
    assert_eq!(
        spans[0]
            .attr("otel.scope.version")
            .map(|v| v.as_text())
            .as_deref(),
        Some("1.0")
    );
    let from_proto = decode(&encode(&from_json), "x", &Limits::default()).unwrap();
    assert_eq!(from_proto, from_json);
    assert_eq!(from_proto[0].spans[1].links[0].span_id, "0102030405060708");
}

#[test]
fn a_file_is_diagnosed_and_a_cut_one_is_one_line_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("traces.pb");
    let bytes = encode_framed(&sample());
    std::fs::write(&path, &bytes).unwrap();
    let run = tracediag(
        &[
            "diagnose",
            "--source",
            path.to_str().unwrap(),
            "--format",
            "json",
        ],
        &[],
    );
    let doc = run.json();
    assert_eq!(doc["trace"]["trace_id"], ID, "{doc}");

    for cut in [bytes.len() - 3, 3, 40] {
        std::fs::write(&path, &bytes[..cut]).unwrap();
        let run = tracediag(&["diagnose", "--source", path.to_str().unwrap()], &[]);
        assert_eq!(run.code, 2, "cut at {cut}: {}", run.stderr);
        let line = run.error_line();
        assert!(
            line.contains("truncated OTLP protobuf"),
            "cut at {cut}: {line}"
        );
    }
}

#[test]
fn tempo_is_asked_for_protobuf_and_served_it() {
    let body = encode_tempo(&sample(), None);
    let server = NegotiatingServer::start(
        OnProtobuf::Answer("200 OK", "application/protobuf", body),
        b"{}".to_vec(),
        4,
    );
    let source = format!("tempo+{}", server.url());
    let run = tracediag(
        &["diagnose", "--source", &source, ID, "--format", "json"],
        &[],
    );
    assert_eq!(run.json()["trace"]["trace_id"], ID);
    // Later requests are diagnose's baseline search.
    let requests = server.requests.lock().unwrap();
    assert!(requests[0].starts_with(&format!("GET /api/v2/traces/{ID} ")));
    assert!(!requests[1].contains("/traces/"), "{requests:?}");
    assert!(requests[0]
        .to_ascii_lowercase()
        .contains("accept: application/protobuf"));
}

#[test]
fn tempo_partial_protobuf_warns() {
    let body = encode_tempo(&sample(), Some("trace too large"));
    let server = NegotiatingServer::start(
        OnProtobuf::Answer("200 OK", "application/protobuf", body),
        b"{}".to_vec(),
        4,
    );
    let source = format!("tempo+{}", server.url());
    let run = tracediag(
        &["diagnose", "--source", &source, ID, "--format", "json"],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("status PARTIAL: trace too large"),
        "{}",
        run.stderr
    );
}

#[test]
fn tempo_refusing_protobuf_is_asked_again_for_json() {
    let file = read(&common::testdata("execution-2193.otlp.json"));
    let id = decode(&file, "x", &Limits::default()).unwrap()[0]
        .id
        .clone();
    let json = [b"{\"trace\":".as_slice(), &file, b"}"].concat();
    for refusal in ["406 Not Acceptable", "415 Unsupported Media Type"] {
        let server = NegotiatingServer::start(OnProtobuf::Refuse(refusal), json.clone(), 4);
        let source = format!("tempo+{}", server.url());
        let run = tracediag(
            &["diagnose", "--source", &source, &id, "--format", "json"],
            &[],
        );
        assert_eq!(run.json()["trace"]["trace_id"], id.as_str(), "{refusal}");
        let requests = server.requests.lock().unwrap();
        let fetches: Vec<&String> = requests.iter().filter(|r| r.contains("/traces/")).collect();
        assert_eq!(fetches.len(), 2, "{refusal}: {requests:?}");
        assert!(fetches[1]
            .to_ascii_lowercase()
            .contains("accept: application/json"));
    }
}

#[test]
fn tempo_answering_json_to_a_protobuf_request_is_read_as_json() {
    // A server that ignores Accept (an old Tempo, a proxy) answers JSON: the content decides.
    let json = br#"{"trace":{"batches":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},
        "scopeSpans":[{"spans":[{"traceId":"W47/95gDgQPSabYzgT/GDA==","spanId":"7uGbfsPBsXQ=","name":"root",
        "startTimeUnixNano":"1000","endTimeUnixNano":"2000"}]}]}]}}"#
        .to_vec();
    let server = NegotiatingServer::start(
        OnProtobuf::Answer("200 OK", "application/json", json),
        Vec::new(),
        4,
    );
    let source = format!("tempo+{}", server.url());
    let run = tracediag(
        &["diagnose", "--source", &source, ID, "--format", "json"],
        &[],
    );
    assert_eq!(run.json()["trace"]["trace_id"], ID);
}

#[test]
fn tempo_truncated_protobuf_is_one_line_not_a_panic() {
    let body = encode_tempo(&sample(), None);
    let cut = body[..body.len() - 5].to_vec();
    let server = NegotiatingServer::start(
        OnProtobuf::Answer("200 OK", "application/protobuf", cut),
        b"{}".to_vec(),
        4,
    );
    let source = format!("tempo+{}", server.url());
    let run = tracediag(&["diagnose", "--source", &source, ID], &[]);
    // The server's bytes are not a trace: the source is at fault (exit 3), as for JSON.
    assert_eq!(run.code, 3, "{}", run.stderr);
    let line = run.error_line();
    assert!(line.contains("truncated OTLP protobuf"), "{line}");
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn tempo_html_labelled_protobuf_is_reported_as_html() {
    let server = NegotiatingServer::start(
        OnProtobuf::Answer(
            "200 OK",
            "application/protobuf",
            b"<html><body>login</body></html>".to_vec(),
        ),
        b"{}".to_vec(),
        4,
    );
    let source = format!("tempo+{}", server.url());
    let run = tracediag(&["diagnose", "--source", &source, ID], &[]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.error_line().contains("returned HTML"), "{}", run.stderr);
}

#[test]
fn zstd_exporter_files_are_refused_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("traces.pb");
    // A file exporter frame whose payload is zstd (`compression: zstd`), and a whole zstd file.
    let framed = [
        &8u32.to_be_bytes()[..],
        &[0x28, 0xB5, 0x2F, 0xFD, 0, 0, 0, 0],
    ]
    .concat();
    for bytes in [framed, vec![0x28, 0xB5, 0x2F, 0xFD, 0x04, 0x00]] {
        std::fs::write(&path, &bytes).unwrap();
        let run = tracediag(&["diagnose", "--source", path.to_str().unwrap()], &[]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.error_line().contains("zstd"), "{}", run.stderr);
    }
}
