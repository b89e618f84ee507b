//! The entry points of the fuzz targets, one function per target.
//!
//! Each takes the raw input and runs it through what the CLI would do with it: decoders,
//! then the analyses and reports on whatever decoded. `Ok` means the input was accepted,
//! `Err` carries the one-line message the CLI would print for a rejected input; a panic,
//! hang or crash anywhere is a bug. `tests/fuzz_regressions.rs` replays every input saved
//! under `tests/fuzz/regressions/<target>/` through the same functions (it includes this
//! file with `#[path]`), so this file depends only on what the main package depends on.

use std::sync::OnceLock;

use tracediag::analysis::compare::{self, CompareOptions};
use tracediag::analysis::rules::{self, Rule};
use tracediag::analysis::similarity::{Measure, Scorer};
use tracediag::analysis::{cohort, diagnose, filter, incident, Diagnosis, Thresholds};
use tracediag::model::profile::{Profile, ProfileFormat};
use tracediag::model::{IndexedTrace, Trace};
use tracediag::report::{self, Format, RenderOptions};
use tracediag::source;
use tracediag::source::profile::{folded, perf_script, pprof};

/// A target: its name (the directory under `regressions/` and `corpus/`) and entry point.
pub type Target = (&'static str, fn(&[u8]) -> Result<(), String>);

/// Every fuzz target, by name.
pub const TARGETS: &[Target] = &[
    ("decode_traces", decode_traces),
    ("jaeger_json", jaeger_json),
    ("otlp_json", otlp_json),
    ("span_csv", span_csv),
    ("pprof", pprof),
    ("folded", folded),
    ("perf_script", perf_script),
    ("filter", filter),
    ("rules", rules),
];

/// Fixed "now" for relative times in filters (2025-10-22T16:30:00Z), so a run is repeatable.
const NOW_NS: i64 = 1_761_150_600_000_000_000;

/// Any trace input: the content-sniffing decoder (gzip, Jaeger, OTLP and its variants,
/// JSON Lines, Zipkin, span CSV), then the diagnosis and every report format on each trace,
/// and the analyses across traces on the first few.
pub fn decode_traces(data: &[u8]) -> Result<(), String> {
    let traces = source::decode(data, "fuzz input", &source::Limits::default())
        .map_err(|e| e.to_string())?;
    let indexed: Vec<IndexedTrace> = traces.into_iter().map(analyse).collect();
    across(&indexed[..indexed.len().min(4)]);
    Ok(())
}

/// Jaeger v1 JSON. Every trace format goes through the same content-sniffing decoder; the
/// targets differ by their seed corpus, so the fuzzer starts from (and mutates) this format.
pub fn jaeger_json(data: &[u8]) -> Result<(), String> {
    decode_traces(data)
}

/// OTLP JSON, Tempo and Jaeger api_v3 variants, OTLP JSON Lines (see [`jaeger_json`]).
pub fn otlp_json(data: &[u8]) -> Result<(), String> {
    decode_traces(data)
}

/// Span CSV (see [`jaeger_json`]).
pub fn span_csv(data: &[u8]) -> Result<(), String> {
    decode_traces(data)
}

/// A decompressed pprof `profile.proto`: decoded, then what `profile compare` reads from it.
pub fn pprof(data: &[u8]) -> Result<(), String> {
    let p = pprof::decode(data)?;
    use_profile(&p);
    Ok(())
}

/// Folded stacks, plain and three-column, and the format-sniffing profile decoder (which
/// also reaches py-spy raw, flamebearer JSON and perf script).
pub fn folded(data: &[u8]) -> Result<(), String> {
    let Ok(text) = std::str::from_utf8(data) else {
        return Err("not UTF-8".into());
    };
    let _ = folded::looks_differential(text);
    let _ = folded::looks_like(text);
    if let Ok(p) = source::profile::decode(data, "fuzz input") {
        use_profile(&p);
    }
    let p = folded::parse(text, ProfileFormat::Folded)?;
    use_profile(&p);
    Ok(())
}

/// `perf script` output: inferno's collapser, then the folded reader.
pub fn perf_script(data: &[u8]) -> Result<(), String> {
    let Ok(text) = std::str::from_utf8(data) else {
        return Err("not UTF-8".into());
    };
    let _ = perf_script::looks_like(text);
    let _ = perf_script::collapse(text);
    let p = perf_script::parse(text)?;
    use_profile(&p);
    Ok(())
}

/// A cohort filter (`--a`, `--b`, `--cohort-a`): parsed, then matched against sample traces.
pub fn filter(data: &[u8]) -> Result<(), String> {
    let Ok(text) = std::str::from_utf8(data) else {
        return Err("not UTF-8".into());
    };
    let f = filter::parse(text, NOW_NS).map_err(|e| e.to_string())?;
    for (t, _) in samples() {
        let _ = f.matches(&t.trace);
    }
    let _ = format!("{f:?}");
    Ok(())
}

/// A check rule (`--rule`) and a rules file (`--rules`, YAML and TOML): parsed, then
/// evaluated on sample traces.
pub fn rules(data: &[u8]) -> Result<(), String> {
    let Ok(text) = std::str::from_utf8(data) else {
        return Err("not UTF-8".into());
    };
    for path in ["rules.yaml", "rules.toml"] {
        if let Ok(list) = rules::parse_rules_file(path, text) {
            list.iter().for_each(evaluate);
        }
    }
    let rule = rules::parse_rule(text).map_err(|e| e.with_rule(text))?;
    evaluate(&rule);
    Ok(())
}

fn evaluate(rule: &Rule) {
    let _ = rule.title();
    for (t, d) in samples() {
        let r = rules::evaluate(rule, t, d);
        let _ = (r.passed, r.message.len(), r.evidence.len());
    }
}

/// Thresholds that make every finding fire on small inputs.
fn sensitive() -> Thresholds {
    Thresholds {
        slow_factor: 1.5,
        gap_ns: 1,
        network_gap_ns: 1,
        network_share: 0.0,
        slow_span_ns: 1,
        repeat_min: 2,
    }
}

/// What `diagnose` does with a decoded trace: redaction, skew adjustment and indexing, the
/// diagnosis, and the report in every format (once with tight limits, once with the
/// defaults). Returns the trace indexed as `diagnose` indexes it.
pub fn analyse(mut trace: Trace) -> IndexedTrace {
    report::redact::Redactor::new(&[]).trace(&mut trace);
    let tight = RenderOptions {
        color: true,
        wide: false,
        width: 40,
        max_spans: 3,
        max_tokens: Some(300),
        span_attributes: true,
        span_events: true,
    };
    let mut indexed = None;
    for (max_skew, thresholds, options) in [
        (None, sensitive(), tight),
        (
            Some(1_000_000_000),
            Thresholds::default(),
            RenderOptions::default(),
        ),
    ] {
        let t = IndexedTrace::new(trace.clone(), max_skew);
        let d = diagnose(&t, &thresholds);
        check_invariants(&t, &d);
        for format in [Format::Table, Format::Json, Format::Markdown, Format::Llm] {
            let out = report::diagnose(&t, &d, format, &options);
            if format == Format::Json {
                if let Err(e) = serde_json::from_str::<serde_json::Value>(&out) {
                    panic!("diagnose --format json is not JSON: {e}");
                }
            }
        }
        indexed = Some(t);
    }
    span_details(&trace);
    indexed.unwrap_or_else(|| IndexedTrace::new(trace, Some(1_000_000_000)))
}

/// What `span` does with the first spans of a trace: the document in every format.
fn span_details(trace: &Trace) {
    for i in 0..trace.spans.len().min(3) {
        let Some(doc) = report::span::detail(trace, i, 64 * 1024) else {
            panic!("span {i} of {} has no document", trace.spans.len());
        };
        let doc = report::Document::Span(Box::new(doc));
        for format in [Format::Table, Format::Json, Format::Markdown, Format::Llm] {
            let out = doc.render(format, &RenderOptions::default());
            if format == Format::Json {
                if let Err(e) = serde_json::from_str::<serde_json::Value>(&out) {
                    panic!("span --format json is not JSON: {e}");
                }
            }
        }
    }
}

/// `similar`, `compare`, `cohorts` and `root-cause --window` over every pair of `traces`
/// (each trace with itself too): similarity must be symmetric, and 1 for a trace against
/// itself.
fn across(traces: &[IndexedTrace]) {
    for (i, a) in traces.iter().enumerate() {
        for (j, b) in traces.iter().enumerate() {
            for m in [Measure::Sequence, Measure::Structure] {
                let ab = Scorer::new(&a.trace, m).score(&b.trace, 0.0);
                let ba = Scorer::new(&b.trace, m).score(&a.trace, 0.0);
                assert_eq!(
                    ab, ba,
                    "{m:?} similarity of traces {i} and {j} is not symmetric"
                );
                if i == j {
                    assert_eq!(ab, Some(1.0), "{m:?} similarity of trace {i} with itself");
                }
            }
            let _ = compare::compare(a, b, &CompareOptions::default());
        }
    }
    let (x, y) = traces.split_at(traces.len() / 2);
    let (xr, yr): (Vec<&IndexedTrace>, Vec<&IndexedTrace>) =
        (x.iter().collect(), y.iter().collect());
    let c = cohort::compare(&xr, &yr);
    for format in [Format::Table, Format::Json] {
        let cov = report::coverage::Coverage::default();
        let _ = report::incident::cohorts(&c, ("a", "b"), &cov, format, &RenderOptions::default());
    }
    let _ = incident::rank(x, y);
    let _ = incident::rank(traces, traces);
}

/// The documented invariants of a diagnosis (see `src/analysis/diagnosis.rs`).
fn check_invariants(t: &IndexedTrace, d: &Diagnosis) {
    assert!(!d.root_causes.is_empty(), "no root-cause candidate");
    assert!(d.self_time_ns.iter().all(|&v| v >= 0), "negative self time");
    for c in &d.root_causes {
        assert!((0.0..=1.0).contains(&c.score), "score out of range: {c:?}");
    }
    for w in d.critical_path.segments.windows(2) {
        assert!(w[0].end_ns <= w[1].start_ns, "overlapping critical path");
    }
    if let Some(r) = t.tree.main_root(&t.trace) {
        let root = &t.trace.spans[r];
        let total = d
            .critical_path
            .on_path_ns
            .iter()
            .fold(0i64, |a, &v| a.saturating_add(v));
        assert_eq!(
            total,
            root.end_ns() - root.start_ns,
            "the critical path does not cover the root"
        );
    }
}

/// What `profile compare` reads from a profile: the CPU view and the request ids samples
/// are labelled with.
fn use_profile(p: &Profile) {
    let _ = p.cpu_view();
    let keys: Vec<String> = source::profile::DEFAULT_ID_LABELS
        .iter()
        .map(|s| s.to_string())
        .collect();
    for s in p.samples.iter().take(1000) {
        let _ = source::profile::sample_ids(s, &keys);
    }
}

/// Diagnosed sample traces from `testdata/`, for evaluating filters and rules.
fn samples() -> &'static [(IndexedTrace, Diagnosis)] {
    static SAMPLES: OnceLock<Vec<(IndexedTrace, Diagnosis)>> = OnceLock::new();
    SAMPLES.get_or_init(|| {
        let files: [&[u8]; 4] = [
            include_bytes!("../../../testdata/execution-2193.jaeger.json"),
            include_bytes!("../../../testdata/cases/n-plus-one.jaeger.json"),
            include_bytes!("../../../testdata/cases/connection-failure.otlp.json"),
            include_bytes!("../../../testdata/cases/broken-trace.otlp.json"),
        ];
        let mut out = Vec::new();
        for bytes in files {
            for t in
                source::decode(bytes, "testdata", &source::Limits::default()).unwrap_or_default()
            {
                let t = IndexedTrace::new(t, Some(1_000_000_000));
                let d = diagnose(&t, &Thresholds::default());
                out.push((t, d));
            }
        }
        out
    })
}
