//! Every trace fixture decodes to the span and trace counts documented in
//! `$TRACEDIAG_FIXTURES/traces/README.md`, and the quirks it lists are handled. The fixtures
//! are third-party files and are not copied into this repository, so the suite is ignored
//! unless asked for (`cargo test -- --include-ignored`), and then fails with a hint when
//! `TRACEDIAG_FIXTURES` is not set.

mod common;

use std::path::{Path, PathBuf};

use tracediag::model::{AttrValue, RefType, SpanKind, StatusCode, Trace};
use tracediag::source::Limits;

/// What a fixture must decode to.
struct Expect {
    traces: usize,
    spans: usize,
    services: Option<usize>,
    errors: Option<usize>,
}

const fn e(traces: usize, spans: usize, services: Option<usize>, errors: Option<usize>) -> Expect {
    Expect {
        traces,
        spans,
        services,
        errors,
    }
}

/// Expected counts per file, from the fixture README.
fn expected(name: &str) -> Option<Expect> {
    Some(match name {
        "jaeger-v1__jaeger-ui__genaiTestTrace.json" => e(1, 57, Some(10), Some(1)),
        "jaeger-v1__jaeger-ui__TraceGraph-testTrace.json" => e(1, 11, Some(2), Some(1)),
        "jaeger-v1__jaeger-ui__TraceStatistics-spanAmongEachOtherGroupedAndSpans.json" => {
            e(1, 17, Some(2), Some(0))
        }
        "jaeger-v1__jaeger__ui_01.json" => e(1, 5, Some(2), Some(1)),
        "jaeger-v1__jaeger__otlp2jaeger-out.json" => e(1, 2, Some(1), Some(0)),
        "jaeger-v1__jaeger-analytics-java__ui-trace.json" => e(1, 2, Some(1), Some(0)),
        "jaeger-v3__jaeger__GetTrace.json" => e(1, 1, Some(1), Some(1)),
        "otlp__opentelemetry-proto__trace.json" => e(1, 1, Some(1), None),
        "otlp__jaeger__otlp2jaeger-in.json" => e(1, 2, Some(1), Some(0)),
        "otlp__jaeger__memory-otel_traces_01.json" => e(2, 4, None, Some(4)),
        "tempo-v1-trace__kiali__responseTrace.json" => e(1, 8, Some(5), Some(0)),
        "tempo-v1-batches__tempo__pkg-tempopb-trace.json" => e(1, 1, Some(1), Some(0)),
        // 175 records; Zipkin merges 5 repeated shared records of one host into 2 spans.
        "zipkin-v2__zipkin__smartthings-oauth-authorization.json" => e(1, 172, Some(8), Some(2)),
        "zipkin-v2__zipkin__skew.json" => e(1, 4, Some(2), Some(0)),
        "zipkin-v2__zipkin__messaging-kafka.json" => e(1, 28, Some(2), Some(3)),
        "zipkin-v2__zipkin__yelp.json" => e(1, 16, Some(6), Some(0)),
        "zipkin-smartthings-oauth-authorization.jaeger-v1.json"
        | "zipkin-smartthings-oauth-authorization.otlp.json" => e(1, 175, Some(8), Some(2)),
        "zipkin-skew.jaeger-v1.json" | "zipkin-skew.otlp.json" => e(1, 4, Some(2), Some(0)),
        _ => return None,
    })
}

/// Search responses: valid JSON, but lists of trace summaries rather than traces.
fn is_search_response(name: &str) -> bool {
    name.starts_with("tempo-search__") || name == "jaeger-v3__jaeger__FindTraceSummaries.json"
}

fn fixtures() -> PathBuf {
    let dir = common::fixture_traces();
    assert!(
        dir.is_dir(),
        "TRACEDIAG_FIXTURES is set but {} is not a directory",
        dir.display()
    );
    dir
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable fixture directory") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "json") {
            out.push(path);
        }
    }
}

fn load(dir: &Path, name: &str) -> Vec<Trace> {
    let path = [dir.join(name), dir.join("converted").join(name)]
        .into_iter()
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("fixture {name} not found"));
    let bytes = std::fs::read(&path).expect("readable fixture");
    tracediag::source::decode(&bytes, &path.display().to_string(), &Limits::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
#[ignore = "needs TRACEDIAG_FIXTURES (the shared fixtures folder)"]
fn every_fixture_has_its_documented_counts() {
    let dir = fixtures();
    let mut files = Vec::new();
    json_files(&dir, &mut files);
    files.sort();
    assert!(
        files.len() >= 20,
        "expected the full fixture set, found {} files",
        files.len()
    );
    let mut failures = Vec::new();
    for path in files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let bytes = std::fs::read(&path).expect("readable fixture");
        let result = tracediag::source::decode(&bytes, &name, &Limits::default());
        if is_search_response(&name) {
            match result {
                Err(err) => {
                    let msg = err.to_string();
                    if !msg.contains("search response") {
                        failures.push(format!("{name}: unhelpful error: {msg}"));
                    }
                    assert_eq!(err.exit_code(), 2, "{name}");
                }
                Ok(t) => failures.push(format!(
                    "{name}: search response decoded as {} trace(s)",
                    t.len()
                )),
            }
            continue;
        }
        let Some(want) = expected(&name) else {
            failures.push(format!("{name}: no expected counts (new fixture?)"));
            continue;
        };
        let traces = match result {
            Ok(t) => t,
            Err(err) => {
                failures.push(format!("{name}: {err}"));
                continue;
            }
        };
        let spans: usize = traces.iter().map(|t| t.spans.len()).sum();
        if traces.len() != want.traces || spans != want.spans {
            failures.push(format!(
                "{name}: {} traces / {spans} spans, expected {} / {}",
                traces.len(),
                want.traces,
                want.spans
            ));
        }
        if let Some(services) = want.services {
            let mut all: Vec<&str> = traces.iter().flat_map(|t| t.services()).collect();
            all.sort_unstable();
            all.dedup();
            if all.len() != services {
                failures.push(format!("{name}: services {all:?}, expected {services}"));
            }
        }
        if let Some(errors) = want.errors {
            let got: usize = traces.iter().map(Trace::error_count).sum();
            if got != errors {
                failures.push(format!("{name}: {got} error spans, expected {errors}"));
            }
        }
        for t in &traces {
            for s in t.spans.iter() {
                if s.trace_id != t.id || s.span_id.is_empty() || s.service.is_empty() {
                    failures.push(format!(
                        "{name}: span {} badly grouped or incomplete",
                        s.span_id
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "conformance failures:\n{}",
        failures.join("\n")
    );
}

#[test]
#[ignore = "needs TRACEDIAG_FIXTURES (the shared fixtures folder)"]
fn jaeger_quirks() {
    let dir = fixtures();

    // The error flag is a bool on genai and the string "true" on TraceGraph.
    let genai = load(&dir, "jaeger-v1__jaeger-ui__genaiTestTrace.json");
    let failed: Vec<&str> = genai[0]
        .spans
        .iter()
        .filter(|s| s.is_error())
        .map(|s| s.operation.as_str())
        .collect();
    assert_eq!(failed, ["GET /api/v1/pods"]);

    let graph = load(&dir, "jaeger-v1__jaeger-ui__TraceGraph-testTrace.json");
    assert_eq!(graph[0].id, "trace-123", "non-hex ids are opaque");
    assert!(graph[0].spans.iter().any(|s| s.span_id == "span-1"));
    assert!(
        graph[0]
            .spans
            .iter()
            .any(|s| s.parent_ref == RefType::FollowsFrom),
        "FOLLOWS_FROM parsed"
    );
    assert!(graph[0].spans.iter().any(|s| s.kind == SpanKind::Producer));

    let stats = load(
        &dir,
        "jaeger-v1__jaeger-ui__TraceStatistics-spanAmongEachOtherGroupedAndSpans.json",
    );
    assert_eq!(stats[0].id.len(), 32, "31-char trace id padded");

    let java = load(&dir, "jaeger-v1__jaeger-analytics-java__ui-trace.json");
    assert!(
        java[0]
            .spans
            .iter()
            .any(|s| s.span_id == "0ec2b4e0bcea566d"),
        "15-char span id padded to 16"
    );
    assert!(java[0].spans.iter().all(|s| s.span_id.len() == 16));

    let ui = load(&dir, "jaeger-v1__jaeger__ui_01.json");
    let t = &ui[0];
    assert_eq!(
        t.spans.iter().filter(|s| s.parent_id.is_none()).count(),
        2,
        "2 roots"
    );
    assert!(
        t.warnings.iter().any(|w| w == "some trace warning"),
        "{:?}",
        t.warnings
    );
    assert!(
        t.warnings.iter().any(|w| w.contains("some span warning")),
        "{:?}",
        t.warnings
    );
    let blob = t
        .spans
        .iter()
        .find_map(|s| s.attr("blob"))
        .expect("binary tag");
    assert_eq!(blob, &AttrValue::Bytes("AAAwOQ==".into()));
    let big = t
        .spans
        .iter()
        .find_map(|s| s.attr("javascript_limit"))
        .expect("int64 tag");
    assert_eq!(big, &AttrValue::Int(9223372036854775222));
    let reference = t
        .spans
        .iter()
        .find(|s| s.operation == "reference-test")
        .expect("span");
    assert_eq!(reference.parent_id.as_deref(), Some("0000000000000002"));
    assert_eq!(reference.links.len(), 2, "other references become links");

    let out = load(&dir, "jaeger-v1__jaeger__otlp2jaeger-out.json");
    assert!(out[0]
        .spans
        .iter()
        .all(|s| s.parent_id.as_deref() == Some("909541b92cf05311")));
}

#[test]
#[ignore = "needs TRACEDIAG_FIXTURES (the shared fixtures folder)"]
fn otlp_and_tempo_quirks() {
    let dir = fixtures();

    let get = load(&dir, "jaeger-v3__jaeger__GetTrace.json");
    assert_eq!(
        get[0].spans[0].status.code,
        StatusCode::Error,
        "status code 2"
    );
    assert_eq!(get[0].id, "00000000000000000000000000000001");

    let kiali = load(&dir, "tempo-v1-trace__kiali__responseTrace.json");
    let t = &kiali[0];
    assert!(
        t.id.len() == 32 && t.id.bytes().all(|b| b.is_ascii_hexdigit()),
        "base64 → hex: {}",
        t.id
    );
    assert!(t
        .spans
        .iter()
        .all(|s| s.span_id.len() == 16 && s.span_id.bytes().all(|b| b.is_ascii_hexdigit())));
    let roots = t.spans.iter().filter(|s| s.parent_id.is_none()).count();
    assert_eq!(roots, 1, "parents resolve after base64 decoding");
    assert!(
        t.spans.iter().all(|s| s.kind != SpanKind::Unspecified),
        "SPAN_KIND_* names"
    );

    let proto = load(&dir, "otlp__opentelemetry-proto__trace.json");
    let s = &proto[0].spans[0];
    assert_eq!(s.trace_id, "5b8efff798038103d269b633813fc60c");
    assert!(s.parent_id.is_some());
    assert!(s.attr("otel.scope.name").is_some());

    let memory = load(&dir, "otlp__jaeger__memory-otel_traces_01.json");
    let links: usize = memory
        .iter()
        .flat_map(|t| t.spans.iter())
        .map(|s| s.links.len())
        .sum();
    let events: usize = memory
        .iter()
        .flat_map(|t| t.spans.iter())
        .map(|s| s.events.len())
        .sum();
    assert_eq!((links, events), (8, 8));
}

/// `diagnose` runs on every trace of every fixture, in every format, and its output holds
/// together: JSON parses with the schema version, the critical path covers the root exactly,
/// and there is always at least one root-cause candidate.
#[test]
#[ignore = "needs TRACEDIAG_FIXTURES (the shared fixtures folder)"]
fn diagnose_runs_on_every_fixture_trace() {
    use tracediag::analysis::{diagnose, Thresholds};
    use tracediag::model::IndexedTrace;
    use tracediag::report::{self, Format, RenderOptions};

    let dir = fixtures();
    let mut files = Vec::new();
    json_files(&dir, &mut files);
    files.sort();
    let mut diagnosed = 0;
    for path in files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        if is_search_response(&name) {
            continue;
        }
        for trace in load(&dir, &name) {
            let id = trace.id.clone();
            let t = IndexedTrace::new(trace, Some(1_000_000_000));
            let d = diagnose(&t, &Thresholds::default());
            assert!(!d.root_causes.is_empty(), "{name} {id}: no candidate");
            if let Some(root) = t.tree.main_root(&t.trace) {
                let covered: i64 = d
                    .critical_path
                    .segments
                    .iter()
                    .map(|s| s.end_ns - s.start_ns)
                    .sum();
                assert_eq!(
                    covered,
                    t.trace.spans[root].duration_ns.max(0),
                    "{name} {id}: critical path"
                );
            }
            let o = RenderOptions::default();
            let json = report::diagnose(&t, &d, Format::Json, &o);
            let v: serde_json::Value =
                serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name} {id}: {e}"));
            assert_eq!(v["schema_version"], "2");
            for format in [Format::Table, Format::Markdown] {
                let text = report::diagnose(&t, &d, format, &o);
                assert!(
                    text.ends_with('\n') && text.len() > 50,
                    "{name} {id}: {format:?}"
                );
            }
            diagnosed += 1;
        }
    }
    assert!(diagnosed >= 20, "only {diagnosed} traces diagnosed");
}

/// Known answers on real fixtures.
#[test]
#[ignore = "needs TRACEDIAG_FIXTURES (the shared fixtures folder)"]
fn diagnosis_of_known_fixtures() {
    use tracediag::analysis::root_cause::Category;
    use tracediag::analysis::{diagnose, Thresholds};
    use tracediag::model::IndexedTrace;

    let dir = fixtures();
    let one = |name: &str| {
        let trace = load(&dir, name).into_iter().next().expect("a trace");
        let t = IndexedTrace::new(trace, Some(1_000_000_000));
        let d = diagnose(&t, &Thresholds::default());
        (t, d)
    };

    // The genai trace's single error (`error`=true on GET /api/v1/pods) is its error origin.
    let (t, d) = one("jaeger-v1__jaeger-ui__genaiTestTrace.json");
    assert_eq!(d.error_origins.len(), 1);
    assert_eq!(
        t.trace.spans[d.error_origins[0].origin].operation,
        "GET /api/v1/pods"
    );

    // otlp2jaeger-out: both spans' parent is absent → a broken trace.
    let (t, d) = one("jaeger-v1__jaeger__otlp2jaeger-out.json");
    assert!(t.tree.integrity.is_broken());
    assert!(d
        .root_causes
        .iter()
        .any(|c| c.category == Category::BrokenTrace));

    // ui_01: two roots and a duplicate span id are reported.
    let (t, _) = one("jaeger-v1__jaeger__ui_01.json");
    assert_eq!(t.tree.integrity.root_span_ids.len(), 2);
    assert_eq!(t.tree.integrity.duplicate_span_ids.len(), 1);

    // Zipkin's skew fixture: serviceb's server span starts ≈65 ms before its client span;
    // the adjustment moves it inside, and without adjustment it is reported outside.
    let trace = load(&dir, "zipkin-skew.jaeger-v1.json")
        .into_iter()
        .next()
        .unwrap();
    let raw = IndexedTrace::new(trace.clone(), None);
    assert!(raw
        .tree
        .integrity
        .outside_parent
        .iter()
        .any(|o| o.early_ns > 60_000_000 && !o.asynchronous));
    let adjusted = IndexedTrace::new(trace, Some(1_000_000_000));
    assert!(!adjusted.tree.integrity.skew_adjustments.is_empty());
    assert!(adjusted
        .tree
        .integrity
        .outside_parent
        .iter()
        .all(|o| o.early_ns < 60_000_000));

    // The SmartThings OAuth flow's two 401s are one failure: auth's server span is the
    // origin, stlogin's client span above it the propagation, and the request succeeded.
    let (t, d) = one("zipkin-smartthings-oauth-authorization.jaeger-v1.json");
    assert_eq!(d.error_origins.len(), 1, "{:#?}", d.error_origins);
    let origin = &t.trace.spans[d.error_origins[0].origin];
    assert_eq!(
        (origin.service.as_str(), origin.operation.as_str()),
        ("auth", "post /sso/authenticate")
    );
    let chain: Vec<&str> = d.error_origins[0]
        .chain
        .iter()
        .map(|&i| t.trace.spans[i].service.as_str())
        .collect();
    assert_eq!(chain, ["stlogin"]);
    assert_eq!(d.root_causes[0].category, Category::ExecutionFailure);
}
