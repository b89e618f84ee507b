//! Zipkin JSON read the way Zipkin's own UI reads it: shared client/server span ids are two
//! spans, not duplicates; spans without a timestamp are placed, never at the epoch; v1 spans
//! (core annotations, binary annotations) convert as Zipkin's `V1SpanConverter` converts
//! them. On the shared fixtures (Zipkin's UI test data) and on `testdata/zipkin/`.

mod common;

use std::path::Path;

use tracediag::model::{attr, AttrValue, IndexedTrace, SpanKind, StatusCode, Trace};
use tracediag::source::Limits;

/// 2000-01-01 in ns: nothing real in these files is older.
const Y2000_NS: i64 = 946_684_800_000_000_000;

fn load(path: &Path) -> Vec<Trace> {
    let bytes = common::read(path);
    tracediag::source::decode(&bytes, &path.display().to_string(), &Limits::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn one(path: &Path) -> IndexedTrace {
    let mut traces = load(path);
    assert_eq!(traces.len(), 1, "{}", path.display());
    IndexedTrace::new(traces.remove(0), Some(1_000_000_000))
}

fn span<'t>(t: &'t Trace, id: &str) -> &'t tracediag::model::Span {
    t.spans
        .iter()
        .find(|s| s.span_id == id)
        .unwrap_or_else(|| panic!("no span {id}"))
}

fn text(s: &tracediag::model::Span, key: &str) -> Option<String> {
    attr(&s.attributes, key).map(AttrValue::as_text)
}

/// (file, spans after Zipkin's merging of fragments, services, errors, trace duration ms,
/// start as RFC 3339 date)
const FIXTURES: &[(&str, usize, usize, usize, i64, &str)] = &[
    (
        "zipkin-v2__zipkin__messaging-kafka.json",
        28,
        2,
        3,
        649,
        "2018-11-05",
    ),
    ("zipkin-v2__zipkin__skew.json", 4, 2, 0, 99, "2016-08-02"),
    // 175 records; Zipkin merges the same host's repeated shared "receive" records of two
    // Kafka messages (5 records into 2 spans), as its UI shows them.
    (
        "zipkin-v2__zipkin__smartthings-oauth-authorization.json",
        172,
        8,
        2,
        100_348,
        "2018-11-27",
    ),
    ("zipkin-v2__zipkin__yelp.json", 16, 6, 0, 132, "2019-10-24"),
];

#[test]
#[ignore = "needs TRACEDIAG_FIXTURES (the shared fixtures folder)"]
fn every_zipkin_fixture_reads_without_epoch_times_or_false_duplicates() {
    let dir = common::fixture_traces();
    for &(name, spans, services, errors, ms, day) in FIXTURES {
        let t = one(&dir.join(name));
        let g = &t.tree.integrity;
        assert_eq!(t.trace.spans.len(), spans, "{name}");
        assert_eq!(t.trace.services().len(), services, "{name}");
        assert_eq!(t.trace.error_count(), errors, "{name}");
        assert!(g.duplicate_span_ids.is_empty(), "{name}: {g:?}");
        assert!(g.orphans.is_empty(), "{name}: {:?}", g.orphans);
        assert_eq!(g.root_span_ids.len(), 1, "{name}");
        assert!(
            t.trace.spans.iter().all(|s| s.start_ns > Y2000_NS),
            "{name}: a span at the epoch"
        );
        assert_eq!((t.trace.duration_ns() + 500_000) / 1_000_000, ms, "{name}");
        let start = tracediag::time::format_rfc3339_ms(t.trace.start_ns());
        assert!(start.starts_with(day), "{name}: {start}");
    }
}

#[test]
#[ignore = "needs TRACEDIAG_FIXTURES (the shared fixtures folder)"]
fn shared_server_halves_are_children_of_their_client() {
    let dir = common::fixture_traces();
    // skew.json: servicea's client and serviceb's shared server both have id 74280ae0….
    let t = one(&dir.join("zipkin-v2__zipkin__skew.json")).trace;
    let client = span(&t, "74280ae0c10d8062");
    let server = span(&t, "74280ae0c10d8062.server");
    assert_eq!(
        (client.kind, client.service.as_str()),
        (SpanKind::Client, "servicea")
    );
    assert_eq!(
        (server.kind, server.service.as_str()),
        (SpanKind::Server, "serviceb")
    );
    assert_eq!(server.parent_id.as_deref(), Some("74280ae0c10d8062"));
    // serviceb's own child ran on the server's endpoint: it hangs under the server half.
    assert_eq!(
        span(&t, "43210ae0c10d1234").parent_id.as_deref(),
        Some("74280ae0c10d8062.server")
    );

    // yelp.json: yelp-main's spans whose parent is the api proxy's shared id belong to the
    // server side, not to the "unknown" client.
    let t = one(&dir.join("zipkin-v2__zipkin__yelp.json")).trace;
    assert_eq!(
        span(&t, "241cea1aa4cb2884").parent_id.as_deref(),
        Some("668ed78ad94b35a1.server")
    );
    // The root is shared but has no client half: it keeps its id.
    assert_eq!(span(&t, "2e8cfb154b59a41f").parent_id, None);

    // SmartThings: 41 shared ids, none reported as a duplicate; auth's 401 is the server
    // half under stlogin's client half.
    let t = one(&dir.join("zipkin-v2__zipkin__smartthings-oauth-authorization.json"));
    let auth = span(&t.trace, "c47bff7f7964b321.server");
    assert_eq!(
        (auth.service.as_str(), auth.kind),
        ("auth", SpanKind::Server)
    );
    assert_eq!(auth.status.code, StatusCode::Error);
    assert_eq!(auth.parent_id.as_deref(), Some("c47bff7f7964b321"));
    let halves = t
        .trace
        .spans
        .iter()
        .filter(|s| s.span_id.contains(".server"))
        .count();
    assert!(halves >= 38, "{halves} server halves");
}

/// A v1 span holding both sides of one RPC: two spans, as Zipkin converts it.
#[test]
fn v1_rpc_span_becomes_client_and_server() {
    let t = one(&common::testdata("zipkin/v1-span-rpc.json"));
    assert!(t.tree.integrity.duplicate_span_ids.is_empty());
    let t = t.trace;
    assert_eq!(t.spans.len(), 2);
    let client = span(&t, "d673d7abe80d2f3f");
    assert_eq!(
        (client.kind, client.service.as_str()),
        (SpanKind::Client, "zipkin-web")
    );
    assert_eq!(client.start_ns, 1_461_750_491_274_000_000);
    assert_eq!(client.duration_ns, 51_000_000);
    assert_eq!(text(client, "http.uri").as_deref(), Some("/api/v1/traces"));
    assert_eq!(
        text(client, "clnt/finagle.version").as_deref(),
        Some("6.34.0")
    );
    // `sa`: the address the client called.
    assert_eq!(text(client, "net.peer.ip").as_deref(), Some("172.18.0.4"));
    assert_eq!(text(client, "net.peer.port").as_deref(), Some("9411"));
    let events: Vec<&str> = client.events.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(events, ["ws", "wr"]);

    let server = span(&t, "d673d7abe80d2f3f.server");
    assert_eq!(
        (server.kind, server.service.as_str()),
        (SpanKind::Server, "zipkin-query")
    );
    assert_eq!(server.parent_id.as_deref(), Some("d673d7abe80d2f3f"));
    // sr → ss: the server's own 4 ms inside the client's 51.
    assert_eq!(server.start_ns, 1_461_750_491_298_000_000);
    assert_eq!(server.duration_ns, 4_000_000);
    assert_eq!(text(server, "http.path").as_deref(), Some("/api/v1/traces"));
    // `ca`: the calling socket.
    assert_eq!(text(server, "net.peer.ip").as_deref(), Some("172.18.0.3"));
    assert_eq!(text(server, "net.peer.port").as_deref(), Some("42291"));
    assert_eq!(client.status.code, StatusCode::Unset);
}

#[test]
fn v1_client_and_local_spans() {
    let t = load(&common::testdata("zipkin/v1-span-client.json")).remove(0);
    let s = &t.spans[0];
    assert_eq!(
        (s.kind, s.service.as_str()),
        (SpanKind::Client, "zipkin-server")
    );
    assert_eq!(s.duration_ns, 5_000_000);
    assert_eq!(text(s, "peer.service").as_deref(), Some("mysql"));
    assert_eq!(text(s, "net.peer.ip").as_deref(), Some("172.19.0.2"));
    assert!(text(s, "jdbc.query").is_some_and(|q| q.starts_with("select distinct")));
    assert!(s.events.is_empty(), "cs/cr are consumed: {:?}", s.events);

    let t = load(&common::testdata("zipkin/v1-span-local.json")).remove(0);
    let s = &t.spans[0];
    assert_eq!(
        (s.kind, s.service.as_str()),
        (SpanKind::Unspecified, "zipkin-server")
    );
    assert_eq!(s.duration_ns, 15_495_000);
    assert_eq!(text(s, "lc").as_deref(), Some("JDBCSpanStore"));
    assert_eq!(s.parent_id.as_deref(), Some("5af7183fb1d4cf5f"));
}

/// Zipkin v1 API's `[[…]]` (a list of traces) with an `error` binary annotation.
#[test]
fn v1_error_annotation_fails_the_span() {
    let json = br#"[[{"traceId":"a1","id":"b2","name":"get","timestamp":1461750040359000,"duration":7000,
        "annotations":[{"timestamp":1461750040359000,"value":"sr","endpoint":{"serviceName":"api","ipv4":"10.0.0.1"}},
                       {"timestamp":1461750040366000,"value":"ss","endpoint":{"serviceName":"api","ipv4":"10.0.0.1"}}],
        "binaryAnnotations":[{"key":"error","value":"503 upstream","endpoint":{"serviceName":"api"}},
                             {"key":"ca","value":true,"endpoint":{"serviceName":"web","ipv4":"10.0.0.9"}}]}]]"#;
    let t = tracediag::source::decode(json, "x", &Limits::default()).unwrap();
    let s = &t[0].spans[0];
    assert_eq!((s.kind, s.service.as_str()), (SpanKind::Server, "api"));
    assert_eq!(s.duration_ns, 7_000_000);
    assert_eq!(s.status.code, StatusCode::Error);
    assert_eq!(s.status.message.as_deref(), Some("503 upstream"));
    assert_eq!(text(s, "peer.service").as_deref(), Some("web"));
}

/// Spans without `timestamp` are placed from annotations, children or parent and reported.
#[test]
fn untimed_spans_are_placed_and_reported() {
    let json = br#"[
      {"traceId":"t","id":"1","name":"root","timestamp":1000000,"duration":900,"localEndpoint":{"serviceName":"a"}},
      {"traceId":"t","id":"2","parentId":"1","name":"by-annotation","localEndpoint":{"serviceName":"a"},
       "annotations":[{"timestamp":1000100,"value":"Headers Received"},{"timestamp":1000300,"value":"done"}]},
      {"traceId":"t","id":"3","parentId":"1","name":"by-children","localEndpoint":{"serviceName":"a"}},
      {"traceId":"t","id":"4","parentId":"3","name":"child","timestamp":1000400,"duration":100,"localEndpoint":{"serviceName":"a"}},
      {"traceId":"t","id":"5","parentId":"1","name":"by-parent","localEndpoint":{"serviceName":"a"}}
    ]"#;
    let mut t = tracediag::source::decode(json, "x", &Limits::default()).unwrap();
    let t = IndexedTrace::new(t.remove(0), None);
    let s = |id| span(&t.trace, id);
    assert_eq!(
        (s("2").start_ns, s("2").duration_ns),
        (1_000_100_000, 200_000)
    );
    assert_eq!(
        (s("3").start_ns, s("3").duration_ns),
        (1_000_400_000, 100_000)
    );
    assert_eq!(s("5").start_ns, 1_000_000_000);
    let g = &t.tree.integrity;
    assert_eq!(g.placed_spans.len(), 3);
    let line = g.lines().join("\n");
    assert!(
        line.contains(
            "3 span(s) had no timestamp; placed from annotations (1), children (1), parent (1)"
        ),
        "{line}"
    );
}

/// An excerpt of Zipkin's SmartThings mobile install trace (its end and its start): flush
/// fragments without timestamp fold into their server halves, one client answered by five
/// Kafka consumers becomes one client and five server halves, nothing sits at the epoch.
#[test]
fn smartthings_install_excerpt_reads_as_zipkin_shows_it() {
    let t = one(&common::testdata(
        "zipkin/smartthings-mobile-web-install.excerpt.json",
    ));
    let g = &t.tree.integrity;
    assert!(
        g.duplicate_span_ids.is_empty(),
        "{:?}",
        g.duplicate_span_ids
    );
    // 102 records, 3 of them fragments of a shared server span.
    assert_eq!(t.trace.spans.len(), 99);
    assert!(t.trace.spans.iter().all(|s| s.start_ns > Y2000_NS));
    let start = tracediag::time::format_rfc3339_ms(t.trace.start_ns());
    assert_eq!(start, "2018-11-30T03:45:24.565Z");
    assert_eq!((t.trace.duration_ns() + 500_000_000) / 1_000_000_000, 306);
    // The fragment "post" of platformapi joined platformapi's shared server half.
    let server = span(&t.trace, "a0dc23f22c4fee3f.server");
    assert_eq!(server.service, "platformapi");
    assert_eq!(span(&t.trace, "a0dc23f22c4fee3f").service, "strongman");
    // bouncer's "send iot-events360" and the pushers that received it.
    let receivers: Vec<&str> = t
        .trace
        .spans
        .iter()
        .filter(|s| s.span_id.starts_with("cbab506b53f336fc.server"))
        .map(|s| s.host.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(receivers.len(), 5, "{receivers:?}");
    // pusher's "process.oreck" ran on 10.6.88.250: it hangs under that host's receive.
    let process = span(&t.trace, "c1c06fd706fca9cb");
    let parent = span(&t.trace, process.parent_id.as_deref().unwrap());
    assert_eq!(parent.host.as_deref(), Some("10.6.88.250"));
    assert_eq!(parent.kind, SpanKind::Server);
}
