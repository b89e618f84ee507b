//! The direct reader against the serde reader: whenever it answers, the same spans.

use std::fmt;

use serde::de::{DeserializeSeed, MapAccess, Visitor};

use super::super::ResourceSpansSeed;
use super::read_document;
use crate::model::Span;
use crate::source::common::Collected;

/// The serde reader on a document whose only keys are the OTLP containers.
fn by_serde(text: &str) -> Result<Vec<Span>, String> {
    struct Doc<'c>(&'c mut Collected);
    impl<'de> DeserializeSeed<'de> for Doc<'_> {
        type Value = ();
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_map(self)
        }
    }
    impl<'de> Visitor<'de> for Doc<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an OTLP document")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut any = false;
            while let Some(key) = map.next_key::<String>()? {
                match key.as_str() {
                    "resourceSpans" | "resource_spans" | "batches" => {
                        any = true;
                        map.next_value_seed(ResourceSpansSeed(&mut *self.0))?;
                    }
                    _ => return Err(serde::de::Error::custom("another key")),
                }
            }
            if any {
                Ok(())
            } else {
                Err(serde::de::Error::custom("no spans key"))
            }
        }
    }
    let mut out = Collected::default();
    let mut de = serde_json::Deserializer::from_str(text);
    Doc(&mut out)
        .deserialize(&mut de)
        .map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    Ok(out.spans)
}

/// The direct reader's spans, if it reads `text`; a span read before is kept as it was.
fn direct(text: &str) -> Option<Vec<Span>> {
    let before = Span {
        operation: "before".into(),
        ..Span::default()
    };
    let mut out = Collected {
        spans: vec![before.clone()],
        ..Collected::default()
    };
    let read = read_document(text.as_bytes(), &mut out);
    assert_eq!(out.spans[0], before, "{text}");
    if read.is_none() {
        assert_eq!(out.spans.len(), 1, "left as it was: {text}");
        return None;
    }
    Some(out.spans.split_off(1))
}

/// Whenever the direct reader answers, serde reads the same spans.
fn agree(text: &str) -> Option<Vec<Span>> {
    let ours = direct(text)?;
    match by_serde(text) {
        Ok(theirs) => assert!(ours == theirs, "spans differ: {text}"),
        Err(e) => panic!("read directly, but serde says {e}: {text}"),
    }
    Some(ours)
}

const SPAN: &str = r#"{"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174","parentSpanId":"",
  "name":"GET /a\"b\"","kind":2,"startTimeUnixNano":"1000","endTimeUnixNano":3000,
  "status":{"code":2,"message":"boom \u00e9\ud83d\ude00"},"droppedAttributesCount":0,"flags":[1,{"x":null}],
  "attributes":[{"key":"i","value":{"intValue":"12"}},{"key":"d","value":{"doubleValue":-1.5e-3}},
    {"key":"b","value":{"boolValue":true}},{"key":"s","value":{"boolValue":"FALSE"}},{"key":"x","value":{"bytesValue":"AAE="}},
    {"key":"n","value":null},{"key":"e","value":{}},{"key":"big","value":{"intValue":18446744073709551615}},
    {"key":"neg","value":{"intValue":-7}},
    {"key":"a","value":{"arrayValue":{"values":[{"stringValue":"p"},{"intValue":3},{"arrayValue":{}}]}}},
    {"key":"m","value":{"kvlistValue":{"values":[{"key":"k","value":{"stringValue":"v"}},{"key":"k2"}]}}}],
  "events":[{"timeUnixNano":"1500","name":"exception","attributes":[{"key":"exception.message","value":{"stringValue":"x\ny"}}]},{}],
  "links":[{"traceId":"aa","spanId":"bb","attributes":[]},{"spanId":"cc"},{"traceId":"dd"}]}"#;

fn document(span: &str) -> String {
    format!(
        r#"{{"resourceSpans":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"svc"}}}},
  {{"key":"host.name","value":{{"stringValue":"h"}}}}],"droppedAttributesCount":0}},
  "scopeSpans":[{{"scope":{{"name":"lib","version":"1","attributes":[]}},"spans":[{span},
  {{"trace_id":"3BA55609C3CDE49649CD77D1F9DCD936","span_id":"0000000000000001","kind":"SPAN_KIND_CLIENT",
    "start_time_unix_nano":10,"end_time_unix_nano":15,"status":{{}}}}]}},
  {{"spans":[{{"traceId":"aa","spanId":"02","status":{{"code":"STATUS_CODE_OK"}},"kind":null}}],"scope":{{"name":"late"}}}}],
  "schemaUrl":"https://opentelemetry.io/schemas/1.4.0"}},
  {{"instrumentationLibrarySpans":[{{"instrumentationLibrary":{{"name":"old"}},"spans":[{{"traceId":"O6VWCcPN5JZJzXfR+dzZNg==","spanId":"Sc130fnc2TY=","parentSpanId":"AAAAAAAAAAE="}}]}}],
   "resource":null}},
  {{"scopeSpans":null}},{{}}]}}"#
    )
}

#[test]
fn plain_documents_are_read_directly_with_serdes_spans() {
    let doc = document(SPAN);
    let spans = agree(&doc).expect("read directly");
    assert_eq!(spans.len(), 4);
    assert_eq!(spans[0].operation, "GET /a\"b\"");
    assert_eq!(
        spans[2].attr("otel.scope.name").map(|v| v.as_text()),
        Some("late".into())
    );
    for doc in [
        r#"{"resourceSpans":[]}"#.to_string(),
        r#" {"batches":null} "#.to_string(),
        r#"{"resource_spans":[{"scope_spans":[{"spans":[{"trace_id":"01","span_id":"02"}]}]}],"resourceSpans":[]}"#.to_string(),
        format!(r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{SPAN}],"scope":{{"name":"a"}},"spans":[{SPAN}],"scope":{{"name":"b"}}}}]}}]}}"#),
        format!(r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{SPAN}]}}],"resource":{{"attributes":[{{"key":"service.name","value":{{"intValue":5}}}}]}}}}]}}"#),
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"01\",\"spanId\":\"02\",\"name\":\"\\u0041\\/\\b\\f\\r\\t\"}]}]}]}".to_string(),
    ] {
        assert!(agree(&doc).is_some(), "{doc}");
    }
}

#[test]
fn anything_else_is_left_to_serde() {
    for doc in [
        // Not an OTLP document, or more than one.
        r#"{"data":[]}"#.to_string(),
        r#"{"resourceSpans":[],"other":1}"#.to_string(),
        r#"{}"#.to_string(),
        r#"{"resourceSpans":[]} {"resourceSpans":[]}"#.to_string(),
        r#"[{"resourceSpans":[]}]"#.to_string(),
        // Serde's errors: a duplicate field, a missing key, a span without an id.
        r#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":"01","spanId":"02"}]}]}]}"#.to_string(),
        r#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":"01","span_id":null}]}]}]}"#.to_string(),
        r#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":"01","attributes":[{"value":null}]}]}]}]}"#.to_string(),
        r#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":" "}]}]}]}"#.to_string(),
        r#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":"01","name":5}]}]}]}"#.to_string(),
        r#"{"resourceSpans":[{"scopeSpans":[{"spans":[null]}]}]}"#.to_string(),
        r#"{"resourceSpans":[{"scopeSpans":[{"spans":[["01"]]}]}]}"#.to_string(),
        // Text serde reads its own way (or not at all).
        r#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":"\ud800"}]}]}]}"#.to_string(),
        r#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":"01"},]}]}]}"#.to_string(),
        r#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":"01","kind":01}]}]}]}"#.to_string(),
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"spanId\":\"0\u{1}\"}]}]}]}".to_string(),
        document(SPAN).replace("\"kind\":2", "\"kind\":2,\"kind\":3"),
        document(SPAN)[..500].to_string(),
    ] {
        assert!(direct(&doc).is_none(), "{doc}");
    }
}

/// Bytes that change what JSON means, put in, taken out or swapped at many places of a rich
/// document: the direct reader may decline, never disagree, never panic.
#[test]
fn a_mangled_document_is_read_the_same_or_declined() {
    let doc = document(SPAN);
    let bytes = doc.as_bytes();
    let marks = [
        b'"', b'{', b'}', b'[', b']', b',', b':', b'0', b'n', b'\\', b' ', b'-', b'e',
    ];
    let mut declined = 0;
    let mut tried = 0;
    for at in 0..bytes.len() {
        let mark = marks[at % marks.len()];
        let mut removed = bytes.to_vec();
        removed.remove(at);
        let mut inserted = bytes.to_vec();
        inserted.insert(at, mark);
        let mut swapped = bytes.to_vec();
        swapped[at] = mark;
        for candidate in [removed, inserted, swapped] {
            let Ok(text) = String::from_utf8(candidate) else {
                continue;
            };
            tried += 1;
            if agree(&text).is_none() {
                declined += 1;
            }
        }
    }
    // About half the changes break the document (or make it one left to serde); the rest
    // (inside strings, between tokens) are read, and read as serde reads them.
    assert!(
        declined > tried / 3 && declined < tried * 2 / 3,
        "{declined} of {tried}"
    );
}

/// Past a megabyte, spans are converted on a second thread, and the scope and resource
/// blocks are put right after: the same as serde's block by block.
#[test]
fn a_long_document_converted_alongside_reads_the_same() {
    let span = |i: usize| {
        format!(
            r#"{{"traceId":"7f3a9c2e4b1d8a6f0e5c3b2a19876543","spanId":"{i:016x}","parentSpanId":"{:016x}","name":"op {}","kind":{},"startTimeUnixNano":"{}","endTimeUnixNano":"{}","attributes":[{{"key":"http.response.status_code","value":{{"intValue":"{}"}}}}],"status":{{"code":{}}}}}"#,
            i / 3,
            i % 7,
            i % 6,
            1_700_000_000_000_000_000u64 + i as u64 * 1000,
            1_700_000_000_000_000_000u64 + i as u64 * 1500,
            if i % 50 == 0 { 503 } else { 200 },
            if i % 50 == 0 { 2 } else { 0 },
        )
    };
    let spans = |from: usize, n: usize| (from..from + n).map(span).collect::<Vec<_>>().join(",");
    let blocks = [
        // Scope first; scope after its spans; a scope given twice; a resource after.
        format!(
            r#"{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"a"}}}}]}},"scopeSpans":[{{"scope":{{"name":"s1"}},"spans":[{}]}}]}}"#,
            spans(1, 3000)
        ),
        format!(
            r#"{{"scopeSpans":[{{"spans":[{}],"scope":{{"name":"s2","version":"2"}}}},{{"scope":{{"name":"x"}},"spans":[{}],"scope":{{"name":"y"}},"spans":[{}]}}],"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"b"}}}}]}}}}"#,
            spans(3001, 2500),
            spans(5501, 10),
            spans(5511, 2100)
        ),
        format!(r#"{{"scopeSpans":[{{"spans":[{}]}}]}}"#, spans(7611, 700)),
    ];
    let doc = format!(r#"{{"resourceSpans":[{}]}}"#, blocks.join(","));
    assert!(doc.len() > super::TWO_THREADS_AT_BYTES);
    let read = agree(&doc).expect("read directly");
    assert_eq!(read.len(), 8310);
    assert_eq!(read[3000].service, "b");
    assert_eq!(read[8309].service, "unknown_service");
}

#[test]
#[ignore = "needs the shared fixtures (TRACEDIAG_FIXTURES)"]
fn every_otlp_fixture_is_read_directly_as_serde_reads_it() {
    let root = std::env::var_os("TRACEDIAG_FIXTURES")
        .expect("TRACEDIAG_FIXTURES names the shared fixtures folder (.ci/run sets it)");
    let mut dirs = vec![std::path::PathBuf::from(root).join("traces")];
    let mut files = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("a readable fixture folder") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut read = 0;
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        // Envelopes (`result`, `trace`) are the document reader's; what is inside is this one's.
        let inner = ["result", "trace"]
            .iter()
            .find_map(|k| value.get(*k))
            .unwrap_or(&value);
        let is_otlp = ["resourceSpans", "batches"]
            .iter()
            .any(|k| inner.get(*k).is_some());
        if !is_otlp || inner.as_object().map_or(0, |o| o.len()) != 1 {
            continue;
        }
        for text in [
            serde_json::to_string(inner),
            serde_json::to_string_pretty(inner),
        ] {
            let text = text.unwrap();
            let spans = agree(&text).unwrap_or_else(|| panic!("declined {}", path.display()));
            assert!(!spans.is_empty(), "{}", path.display());
        }
        read += 1;
    }
    assert!(read >= 6, "only {read} OTLP fixtures");
}
