//! The tool table: every MCP tool, its parameters with their JSON types and how each reaches
//! the command line, and the JSON Schema `tools/list` announces.

use rmcp::model::JsonObject;
use serde_json::{json, Value};

/// Token budget of a tool's text when the caller gives none: a tool answer should leave
/// most of a model's context free.
pub const DEFAULT_MAX_TOKENS: usize = 4000;
/// Default page size of list tools.
pub const DEFAULT_LIMIT: usize = 20;
/// Largest page a caller may ask for.
pub const MAX_LIMIT: usize = 500;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Str,
    Int,
    Num,
    Bool,
    StrList,
    /// `{"key": "value"}` → `--tag key=value` each.
    Tags,
}

/// How an argument reaches the command line.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum To {
    /// `--kebab-name value` (or `--kebab-name` for true).
    Flag,
    /// A positional value.
    Positional,
    /// `--name` repeated per list item.
    Repeat(&'static str),
    /// Used by the MCP layer itself (source, paging, budget).
    Layer,
}

#[derive(Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    pub ty: Ty,
    pub to: To,
    pub doc: &'static str,
}

const fn p(name: &'static str, ty: Ty, to: To, doc: &'static str) -> Param {
    Param { name, ty, to, doc }
}

const SOURCE: Param = p(
    "source",
    Ty::Str,
    To::Layer,
    "Trace source (file path, jaeger+http://…, tempo+http://…, or a configured name); defaults to the server's --source.",
);
const MAX_TOKENS: Param = p(
    "max_tokens",
    Ty::Int,
    To::Layer,
    "Token budget of the text answer (about 4 characters a token; default 4000, at least 100). Cuts are stated.",
);
const LIMIT: Param = p(
    "limit",
    Ty::Int,
    To::Layer,
    "Page size (default 20, at most 500).",
);
const OFFSET: Param = p("offset", Ty::Int, To::Layer, "Items to skip (default 0).");

const ANALYSIS: &[Param] = &[
    p("slow_factor", Ty::Num, To::Flag, "A span is anomalous when longer than this many times the mean of its service.operation (default 3)."),
    p("gap_threshold", Ty::Str, To::Flag, "A gap longer than this is an anomaly, e.g. 5s (default)."),
    p("network_gap", Ty::Str, To::Flag, "Smallest cross-service gap that can be a NETWORK_TIMEOUT, e.g. 1s (default)."),
    p("network_share", Ty::Num, To::Flag, "Share of the caller's duration such a gap must reach (default 0.2)."),
    p("slow_span", Ty::Str, To::Flag, "Own critical-path time before a span counts as the bottleneck, e.g. 1s (default)."),
    p("repeat_min", Ty::Int, To::Flag, "Same-operation sibling calls repeated this often are N+1 (default 10)."),
    p("no_skew_adjust", Ty::Bool, To::Flag, "Do not correct clock skew between hosts."),
    p("max_skew", Ty::Str, To::Flag, "Largest clock-skew shift applied, e.g. 1s (default)."),
];

pub const SEARCH: &[Param] = &[
    p(
        "service",
        Ty::Str,
        To::Flag,
        "Service name (required by Jaeger).",
    ),
    p("operation", Ty::Str, To::Flag, "Operation (span) name."),
    p(
        "min_duration",
        Ty::Str,
        To::Flag,
        "Only traces with a span at least this long, e.g. 1s.",
    ),
    p(
        "max_duration",
        Ty::Str,
        To::Flag,
        "Only traces with a span at most this long.",
    ),
    p("status", Ty::Str, To::Flag, "error or ok."),
    p(
        "tags",
        Ty::Tags,
        To::Repeat("tag"),
        "Span or resource attributes that must match, as {\"key\": \"value\"}.",
    ),
    p(
        "since",
        Ty::Str,
        To::Flag,
        "Search the last DURATION, e.g. 1h or 1d (default 1h for remote sources).",
    ),
    p(
        "start",
        Ty::Str,
        To::Flag,
        "Window start: RFC 3339 or relative (2h = two hours ago, 7d).",
    ),
    p(
        "end",
        Ty::Str,
        To::Flag,
        "Window end: RFC 3339 or relative (default now).",
    ),
    p("traceql", Ty::Str, To::Flag, "A raw TraceQL query (Tempo)."),
];

pub struct ToolDef {
    pub name: &'static str,
    pub description: &'static str,
    /// The CLI subcommand the arguments are parsed as.
    pub command: &'static str,
    pub params: Vec<Param>,
    pub required: &'static [&'static str],
}

fn with(mut base: Vec<Param>, groups: &[&[Param]]) -> Vec<Param> {
    for g in groups {
        base.extend_from_slice(g);
    }
    base
}

/// Every tool.
pub fn tools() -> Vec<ToolDef> {
    let trace_id = p("trace_id", Ty::Str, To::Positional, "The trace id (leading zeros may be left out; may be omitted when the source holds one trace).");
    vec![
        ToolDef {
            name: "diagnose_trace",
            description: "Everything about one trace: summary, ranked root cause with evidence, error origins, critical path, anomalies, gaps, N+1 patterns and the span tree. Start here.",
            command: "diagnose",
            params: with(vec![trace_id, SOURCE, MAX_TOKENS, p("max_spans", Ty::Int, To::Flag, "Most spans listed (default 500); errors, the critical path and anomalies are always kept.")], &[ANALYSIS]),
            required: &[],
        },
        ToolDef {
            name: "find_root_cause",
            description: "Why a request was slow or failed. With trace_id: ranked root-cause candidates with evidence and a recommendation. Without trace_id but with window filters (service, since, status…): the top root cause of every trace found, paged.",
            command: "root-cause",
            params: with(vec![trace_id, SOURCE, MAX_TOKENS, LIMIT, OFFSET], &[SEARCH, ANALYSIS]),
            required: &[],
        },
        ToolDef {
            name: "search_traces",
            description: "Find traces by service, operation, duration, status and attributes in a time window; optionally with a one-line diagnosis each. Paged.",
            command: "search",
            params: with(vec![SOURCE, LIMIT, OFFSET, p("diagnose", Ty::Bool, To::Flag, "Diagnose every hit (one line each).")], &[SEARCH, ANALYSIS]),
            required: &[],
        },
        ToolDef {
            name: "check_trace",
            description: "Assert rules on traces (as `tracediag check`): no-errors, no-anomalies, max-gap 5s, max-duration 2s, no-broken-trace, no-n-plus-one 10, span[service=\"db\" name~\"SELECT\"] duration < 200ms, count(span[service=\"cache\"]) <= 3. Rule failures are results (passed: false), not errors.",
            command: "check",
            params: with(
                vec![
                    p("trace_id", Ty::Str, To::Positional, "The trace to check (or trace_ids, or search: true)."),
                    p("trace_ids", Ty::StrList, To::Positional, "Several traces to check."),
                    p("rules", Ty::StrList, To::Repeat("rule"), "The rules, as on the command line."),
                    p("search", Ty::Bool, To::Flag, "Check every trace the search filters find."),
                    p("limit", Ty::Int, To::Flag, "With search: most traces checked (default 100)."),
                    SOURCE,
                ],
                &[SEARCH, ANALYSIS],
            ),
            required: &["rules"],
        },
        ToolDef {
            name: "find_similar_traces",
            description: "Traces whose structure resembles a given trace, with a similarity score. Paged.",
            command: "similar",
            params: vec![trace_id, SOURCE, MAX_TOKENS, LIMIT, OFFSET],
            required: &["trace_id"],
        },
        ToolDef {
            name: "compare_traces",
            description: "What differs between two traces: spans, durations, errors, structure.",
            command: "compare",
            params: vec![trace_id, p("other_trace_id", Ty::Str, To::Positional, "The trace to compare with."), SOURCE, MAX_TOKENS],
            required: &["trace_id", "other_trace_id"],
        },
        ToolDef {
            name: "get_span",
            description: "One span in full, as the Jaeger UI shows it when a span is opened: service, operation, kind, start offset, duration, parent, status and message, every attribute (sorted by key), resource attributes, events/logs with their offsets from the span start, and links. Span ids come from diagnose_trace's spans. Secrets are masked; long values are cut and say so.",
            command: "span",
            params: vec![
                trace_id,
                p("span_id", Ty::Str, To::Positional, "The span id (leading zeros may be left out)."),
                SOURCE,
                MAX_TOKENS,
            ],
            required: &["trace_id", "span_id"],
        },
        ToolDef {
            name: "trace_stats",
            description: "Duration percentiles, error rate and counts per service.operation over a window.",
            command: "stats",
            params: with(vec![SOURCE, MAX_TOKENS, LIMIT, OFFSET], &[SEARCH]),
            required: &[],
        },
        ToolDef {
            name: "compare_attributes",
            description: "Which span and resource attribute values (version, pod, region, route, tenant…) the selected traces share more than the others, per service: share in A and in B, Fisher's exact test and Benjamini–Hochberg q-value. A defaults to the slowest 5 %, B to every other trace; says when nothing is significant.",
            command: "cohorts --by attributes",
            params: vec![
                p("a", Ty::Str, To::Flag, "Cohort A, a filter such as 'duration > 1s' or 'status = error' (default: the slowest 5 %)."),
                p("b", Ty::Str, To::Flag, "Cohort B (default: every trace not in A)."),
                p("window", Ty::Str, To::Flag, "Only traces starting in FROM..TO (RFC 3339 or relative, e.g. 1h..now); needed for a remote source."),
                SOURCE,
                MAX_TOKENS,
            ],
            required: &[],
        },
        ToolDef {
            name: "profile_compare",
            description: "Differential CPU hotspots between two request cohorts (cohort directories from `tracediag profile trigger`, or profile files: pprof, folded, perf script, py-spy): per function the change in share, CPU ms per request in A and B, permutation-test p-value and significance. Says so when the cohorts are too small to be sure.",
            command: "profile compare",
            params: vec![
                p("a", Ty::StrList, To::Repeat("a"), "Cohort A: cohort directories or profile files (the slow requests)."),
                p("b", Ty::StrList, To::Repeat("b"), "Cohort B: cohort directories or profile files (the baseline)."),
                p("metric", Ty::Str, To::Flag, "self (default) or total time."),
                p("top", Ty::Int, To::Flag, "Most functions listed (default 20)."),
                MAX_TOKENS,
            ],
            required: &["a", "b"],
        },
    ]
}

pub fn schema(def: &ToolDef) -> JsonObject {
    let mut props = serde_json::Map::new();
    for prm in &def.params {
        let ty = match prm.ty {
            Ty::Str => json!({"type": "string"}),
            Ty::Int => json!({"type": "integer", "minimum": 0}),
            Ty::Num => json!({"type": "number"}),
            Ty::Bool => json!({"type": "boolean"}),
            Ty::StrList => json!({"type": "array", "items": {"type": "string"}}),
            Ty::Tags => json!({"type": "object", "additionalProperties": {"type": "string"}}),
        };
        let mut v = ty;
        if let Some(o) = v.as_object_mut() {
            o.insert("description".into(), Value::String(prm.doc.into()));
        }
        props.insert(prm.name.into(), v);
    }
    let mut s = serde_json::Map::new();
    s.insert("type".into(), json!("object"));
    s.insert("properties".into(), Value::Object(props));
    s.insert("required".into(), json!(def.required));
    s.insert("additionalProperties".into(), json!(false));
    s
}
