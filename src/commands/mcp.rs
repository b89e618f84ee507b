//! `mcp`: tracediag's analyses as MCP tools over stdio (rmcp, the official Rust SDK).
//!
//! Each tool takes the same options as the CLI: its JSON arguments are turned into a command
//! line and parsed by the very clap definitions the CLI uses, so validation and messages are
//! the same. A tool answers with the LLM format as text and the `--format json` document as
//! structured content. Lists are paged (`limit`, `offset`; the answer's `page` says
//! `returned`, `total_count` and `truncated`).
//!
//! Errors: an unknown tool or arguments the CLI would reject are JSON-RPC errors
//! (`invalid_params`); a failure while running (unknown trace, unreachable source, a tool
//! this build lacks) is a tool result with `isError: true`, so the model reads the same one-line
//! message the CLI prints, and `structuredContent` carries `error` and `exit_code`.

use std::sync::Arc;

use clap::Parser;
use rmcp::model::{
    CallToolRequestParams, CallToolResult, ContentBlock, Implementation, JsonObject,
    ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerInfo, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData as McpError, RoleServer, ServerHandler, ServiceExt};
use serde_json::{json, Value};

use crate::cli::{Cli, Command, GlobalArgs};
use crate::error::{Error, Result};
use crate::report::check::markdown as check_markdown;
use crate::report::Format;

use super::trace_report::{self, Kind};

/// Token budget of a tool's text when the caller gives none: a tool answer should leave
/// most of a model's context free.
const DEFAULT_MAX_TOKENS: usize = 4000;
/// Default page size of list tools.
const DEFAULT_LIMIT: usize = 20;
/// Largest page a caller may ask for.
const MAX_LIMIT: usize = 500;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ty {
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
enum To {
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
struct Param {
    name: &'static str,
    ty: Ty,
    to: To,
    doc: &'static str,
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

const SEARCH: &[Param] = &[
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
        "Search the last DURATION, e.g. 1h (default 1h for remote sources).",
    ),
    p(
        "start",
        Ty::Str,
        To::Flag,
        "Window start: RFC 3339 or relative (2h = two hours ago).",
    ),
    p(
        "end",
        Ty::Str,
        To::Flag,
        "Window end: RFC 3339 or relative (default now).",
    ),
    p("traceql", Ty::Str, To::Flag, "A raw TraceQL query (Tempo)."),
];

struct ToolDef {
    name: &'static str,
    description: &'static str,
    /// The CLI subcommand the arguments are parsed as (None: not available in this build).
    command: Option<&'static str>,
    params: Vec<Param>,
    required: &'static [&'static str],
}

fn with(mut base: Vec<Param>, groups: &[&[Param]]) -> Vec<Param> {
    for g in groups {
        base.extend_from_slice(g);
    }
    base
}

/// Every tool. Tools of commands other branches add are registered here with their command
/// name once it exists (`command: Some("similar")`); until then they answer "not available".
fn tools() -> Vec<ToolDef> {
    let trace_id = p("trace_id", Ty::Str, To::Positional, "The trace id (leading zeros may be left out; may be omitted when the source holds one trace).");
    vec![
        ToolDef {
            name: "diagnose_trace",
            description: "Everything about one trace: summary, ranked root cause with evidence, error origins, critical path, anomalies, gaps, N+1 patterns and the span tree. Start here.",
            command: Some("diagnose"),
            params: with(vec![trace_id, SOURCE, MAX_TOKENS, p("max_spans", Ty::Int, To::Flag, "Most spans listed (default 500); errors, the critical path and anomalies are always kept.")], &[ANALYSIS]),
            required: &[],
        },
        ToolDef {
            name: "find_root_cause",
            description: "Why a request was slow or failed. With trace_id: ranked root-cause candidates with evidence and a recommendation. Without trace_id but with window filters (service, since, status…): the top root cause of every trace found, paged.",
            command: Some("root-cause"),
            params: with(vec![trace_id, SOURCE, MAX_TOKENS, LIMIT, OFFSET], &[SEARCH, ANALYSIS]),
            required: &[],
        },
        ToolDef {
            name: "search_traces",
            description: "Find traces by service, operation, duration, status and attributes in a time window; optionally with a one-line diagnosis each. Paged.",
            command: Some("search"),
            params: with(vec![SOURCE, LIMIT, OFFSET, p("diagnose", Ty::Bool, To::Flag, "Diagnose every hit (one line each).")], &[SEARCH, ANALYSIS]),
            required: &[],
        },
        ToolDef {
            name: "check_trace",
            description: "Assert rules on traces (as `tracediag check`): no-errors, no-anomalies, max-gap 5s, max-duration 2s, no-broken-trace, no-n-plus-one 10, span[service=\"db\" name~\"SELECT\"] duration < 200ms, count(span[service=\"cache\"]) <= 3. Rule failures are results (passed: false), not errors.",
            command: Some("check"),
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
            command: Some("similar"),
            params: vec![trace_id, SOURCE, MAX_TOKENS, LIMIT, OFFSET],
            required: &["trace_id"],
        },
        ToolDef {
            name: "compare_traces",
            description: "What differs between two traces: spans, durations, errors, structure.",
            command: Some("compare"),
            params: vec![trace_id, p("other_trace_id", Ty::Str, To::Positional, "The trace to compare with."), SOURCE, MAX_TOKENS],
            required: &["trace_id", "other_trace_id"],
        },
        ToolDef {
            name: "trace_stats",
            description: "Duration percentiles, error rate and counts per service.operation over a window.",
            command: Some("stats"),
            params: with(vec![SOURCE, MAX_TOKENS, LIMIT, OFFSET], &[SEARCH]),
            required: &[],
        },
        ToolDef {
            name: "profile_compare",
            description: "Differential CPU hotspots between two request cohorts (cohort directories from `tracediag profile trigger`, or profile files: pprof, folded, perf script, py-spy): per function the change in share, CPU ms per request in A and B, permutation-test p-value and significance. Says so when the cohorts are too small to be sure.",
            command: Some("profile compare"),
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

fn schema(def: &ToolDef) -> JsonObject {
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

/// Arguments read by the MCP layer.
struct Layer {
    source: Option<String>,
    max_tokens: usize,
    limit: usize,
    offset: usize,
}

fn invalid(msg: impl Into<String>) -> McpError {
    McpError::invalid_params(msg.into(), None)
}

fn kebab(name: &str) -> String {
    format!("--{}", name.replace('_', "-"))
}

/// The tool's arguments as a command line for `command`, and the layer's own arguments.
fn argv(def: &ToolDef, command: &str, args: &JsonObject) -> Result<(Vec<String>, Layer), McpError> {
    let mut flags: Vec<String> = Vec::new();
    let mut positional: Vec<String> = Vec::new();
    let mut layer = Layer {
        source: None,
        max_tokens: DEFAULT_MAX_TOKENS,
        limit: DEFAULT_LIMIT,
        offset: 0,
    };
    for (key, value) in args {
        let Some(prm) = def.params.iter().find(|p| p.name == key) else {
            let known: Vec<&str> = def.params.iter().map(|p| p.name).collect();
            return Err(invalid(format!(
                "{}: unknown argument '{key}'; arguments: {}",
                def.name,
                known.join(", ")
            )));
        };
        if value.is_null() {
            continue;
        }
        let bad = |want: &str| invalid(format!("{}: '{key}' must be {want}", def.name));
        let scalar = match (prm.ty, value) {
            (Ty::Str, Value::String(s)) => Some(s.clone()),
            (Ty::Int, Value::Number(n)) => Some(
                n.as_u64()
                    .ok_or_else(|| bad("a whole number ≥ 0"))?
                    .to_string(),
            ),
            (Ty::Num, Value::Number(n)) => Some(n.to_string()),
            (Ty::Bool, Value::Bool(_))
            | (Ty::StrList, Value::Array(_))
            | (Ty::Tags, Value::Object(_)) => None,
            (Ty::Str, _) => return Err(bad("a string")),
            (Ty::Int, _) => return Err(bad("a whole number")),
            (Ty::Num, _) => return Err(bad("a number")),
            (Ty::Bool, _) => return Err(bad("true or false")),
            (Ty::StrList, _) => return Err(bad("a list of strings")),
            (Ty::Tags, _) => return Err(bad("an object of strings")),
        };
        if prm.to == To::Layer {
            let n = || scalar.as_deref().and_then(|s| s.parse::<usize>().ok());
            match prm.name {
                "source" => layer.source = scalar.clone(),
                "max_tokens" => {
                    let v = n().ok_or_else(|| bad("a whole number"))?;
                    if v < crate::cli_llm::MIN_MAX_TOKENS {
                        return Err(bad("at least 100"));
                    }
                    layer.max_tokens = v;
                }
                "limit" => {
                    let v = n().ok_or_else(|| bad("a whole number"))?;
                    if !(1..=MAX_LIMIT).contains(&v) {
                        return Err(bad("from 1 to 500"));
                    }
                    layer.limit = v;
                }
                "offset" => layer.offset = n().ok_or_else(|| bad("a whole number"))?,
                _ => {}
            }
            continue;
        }
        let items: Vec<String> = match value {
            Value::Array(a) => a
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| bad("a list of strings"))
                })
                .collect::<Result<_, _>>()?,
            Value::Object(o) => o
                .iter()
                .map(|(k, v)| {
                    v.as_str()
                        .map(|v| format!("{k}={v}"))
                        .ok_or_else(|| bad("an object of strings"))
                })
                .collect::<Result<_, _>>()?,
            _ => scalar.clone().into_iter().collect(),
        };
        match (prm.to, value) {
            (To::Flag, Value::Bool(true)) => flags.push(kebab(prm.name)),
            (To::Flag, Value::Bool(false)) => {}
            (To::Flag, _) => {
                for it in items {
                    // `--flag=value` so a value starting with '-' is not read as a flag.
                    flags.push(format!("{}={it}", kebab(prm.name)));
                }
            }
            (To::Repeat(flag), _) => {
                for it in items {
                    flags.push(format!("--{flag}={it}"));
                }
            }
            (To::Positional, _) => positional.extend(items),
            (To::Layer, _) => {}
        }
    }
    for req in def.required {
        if args.get(*req).is_none_or(|v| v.is_null()) {
            return Err(invalid(format!(
                "{}: missing required argument '{req}'",
                def.name
            )));
        }
    }
    // A command may be a subcommand path ("profile compare").
    let mut out = vec!["tracediag".to_string()];
    out.extend(command.split(' ').map(str::to_string));
    out.extend(flags);
    if !positional.is_empty() {
        // After `--` ids are never mistaken for flags.
        out.push("--".into());
        out.extend(positional);
    }
    Ok((out, layer))
}

/// Parse a command line with the CLI's definitions; clap's message, first line, on failure.
fn parse(argv: &[String], global: &GlobalArgs, layer: &Layer) -> Result<Cli, McpError> {
    let mut cli = Cli::try_parse_from(argv).map_err(|e| {
        let text = e.to_string();
        let line = text.lines().next().unwrap_or("invalid arguments");
        invalid(line.trim_start_matches("error: ").to_string())
    })?;
    // The server's global options (source, auth headers, timeouts, redaction), then the call's.
    cli.global = global.clone();
    cli.global.quiet = true;
    if let Some(s) = &layer.source {
        cli.global.source = Some(s.clone());
    }
    cli.global.llm.max_tokens = Some(layer.max_tokens);
    Ok(cli)
}

/// A failure while running: the CLI's one-line message, visible to the model.
fn tool_error(e: &Error) -> CallToolResult {
    let msg = e.to_string();
    let mut r = CallToolResult::structured_error(json!({"error": msg, "exit_code": e.exit_code()}));
    r.content = vec![ContentBlock::text(msg)];
    r
}

fn answer(text: String, structured: Value) -> CallToolResult {
    let mut r = CallToolResult::structured(structured);
    r.content = vec![ContentBlock::text(text)];
    r
}

fn to_json(text: &str) -> Result<Value, Error> {
    serde_json::from_str(text)
        .map_err(|e| Error::Usage(format!("internal: output is not JSON: {e}")))
}

/// Run one tool call to completion (blocking: sources use blocking HTTP).
fn call(global: &GlobalArgs, name: &str, args: &JsonObject) -> Result<CallToolResult, McpError> {
    let defs = tools();
    let Some(def) = defs.iter().find(|d| d.name == name) else {
        let names: Vec<&str> = defs.iter().map(|d| d.name).collect();
        return Err(invalid(format!(
            "unknown tool '{name}'; tools: {}",
            names.join(", ")
        )));
    };
    let Some(command) = def.command else {
        // Validate the arguments anyway, so a bad call is reported as such.
        argv(def, "diagnose", args)?;
        return Ok(tool_error(&Error::Usage(format!(
            "{name} is not available in this build of tracediag"
        ))));
    };
    let window = SEARCH
        .iter()
        .any(|p| args.get(p.name).is_some_and(|v| !v.is_null()));
    let result = match name {
        "find_root_cause" if !args.contains_key("trace_id") && window => {
            window_root_causes(def, global, args)?
        }
        "diagnose_trace" | "find_root_cause" => {
            // Only the single-trace options go to the trace command.
            let trace_args: JsonObject = args
                .iter()
                .filter(|(k, _)| !["limit", "offset"].contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let (argv, layer) = argv(def, command, &trace_args)?;
            let cli = parse(&argv, global, &layer)?;
            let kind = if name == "diagnose_trace" {
                Kind::Diagnose
            } else {
                Kind::RootCause
            };
            run_trace(cli, kind)
        }
        "search_traces" => {
            let (mut argv, layer) = argv(def, command, args)?;
            argv.push(format!("--limit={}", layer.offset + layer.limit + 1));
            let cli = parse(&argv, global, &layer)?;
            run_search(cli, &layer)
        }
        "check_trace" => {
            let (argv, layer) = argv(def, command, args)?;
            let cli = parse(&argv, global, &layer)?;
            run_check(cli)
        }
        "find_similar_traces" | "compare_traces" | "trace_stats" | "profile_compare" => {
            let (mut argv, layer) = argv(def, command, args)?;
            let list = match name {
                "find_similar_traces" => {
                    // Right after the subcommand: the positional ids follow a `--`.
                    argv.insert(2, format!("--limit={}", layer.offset + layer.limit));
                    Some("hits")
                }
                "trace_stats" => Some("groups"),
                _ => None,
            };
            let cli = parse(&argv, global, &layer)?;
            run_captured(cli, list, &layer)
        }
        _ => Err(Error::Usage(format!(
            "{name} is not available in this build of tracediag"
        ))),
    };
    Ok(result.unwrap_or_else(|e| tool_error(&e)))
}

fn run_trace(mut cli: Cli, kind: Kind) -> Result<CallToolResult, Error> {
    let args = match &cli.command {
        Command::Diagnose(args) => args,
        Command::RootCause(rc) => &rc.trace,
        _ => return Err(Error::Usage("internal: not a trace command".into())),
    };
    cli.global.format = Format::Json;
    let json = trace_report::render(&cli, args, kind, false)?;
    cli.global.format = Format::Llm;
    let text = trace_report::render(&cli, args, kind, false)?;
    Ok(answer(text, to_json(&json)?))
}

/// Page a list in a JSON document: keep `[offset, offset+limit)` and say what was kept.
/// `fetched` more than the page means there is more (the search asked for one extra).
fn page(doc: &mut Value, key: &str, layer: &Layer) -> (usize, bool) {
    let mut returned = 0;
    let mut truncated = false;
    let mut total: Option<usize> = None;
    if let Some(list) = doc.get_mut(key).and_then(Value::as_array_mut) {
        let fetched = list.len();
        let end = (layer.offset + layer.limit).min(fetched);
        let start = layer.offset.min(end);
        *list = list[start..end].to_vec();
        returned = list.len();
        truncated = fetched > layer.offset + layer.limit;
        // Without a further page the count is exact; with one, only a lower bound is known.
        total = (!truncated).then_some(fetched);
    }
    if let Some(o) = doc.as_object_mut() {
        o.insert(
            "page".into(),
            json!({"limit": layer.limit, "offset": layer.offset, "returned": returned,
                   "total_count": total, "truncated": truncated}),
        );
    }
    (returned, truncated)
}

fn hits_text(doc: &Value, title: &str, layer: &Layer, truncated: bool) -> String {
    let mut out = format!("# {title}\n");
    let hits = doc
        .get("traces")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if hits.is_empty() {
        out.push_str("No traces found.\n");
    }
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("?").to_string();
    for h in &hits {
        let mut line = format!(
            "- {} {} {}: {} {}ms",
            s(h, "trace_id"),
            s(h, "start"),
            s(h, "root_service"),
            s(h, "root_operation"),
            h.get("duration_ms").and_then(Value::as_f64).unwrap_or(0.0)
        );
        if let Some(n) = h.get("error_count").and_then(Value::as_u64) {
            line.push_str(&format!(", {n} errors"));
        }
        if let Some(d) = h.get("diagnosis") {
            line.push_str(&format!(
                " — {} at {}: {}",
                s(d, "category"),
                s(d, "service"),
                s(d, "operation")
            ));
        }
        if let Some(e) = h.get("error").and_then(Value::as_str) {
            line.push_str(&format!(" — not diagnosed: {e}"));
        }
        out.push_str(&crate::report::redact::redact_text(&line));
        out.push('\n');
    }
    if truncated {
        out.push_str(&format!(
            "_{} traces shown from offset {}; more exist: call again with offset {}._\n",
            hits.len(),
            layer.offset,
            layer.offset + hits.len()
        ));
    }
    out
}

fn run_search(mut cli: Cli, layer: &Layer) -> Result<CallToolResult, Error> {
    let Command::Search(args) = &cli.command else {
        return Err(Error::Usage("internal: not a search".into()));
    };
    cli.global.format = Format::Json;
    let mut doc = to_json(&super::search::render(&cli, args)?)?;
    let (_, truncated) = page(&mut doc, "traces", layer);
    let text = hits_text(&doc, "Traces", layer, truncated);
    Ok(answer(text, doc))
}

/// find_root_cause over a window: search with --diagnose, paged.
fn window_root_causes(
    def: &ToolDef,
    global: &GlobalArgs,
    args: &JsonObject,
) -> Result<Result<CallToolResult, Error>, McpError> {
    let search_args: JsonObject = args
        .iter()
        .filter(|(k, _)| k.as_str() != "max_tokens")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let (mut argv, layer) = argv(def, "search", &search_args)?;
    argv.push("--diagnose".into());
    argv.push(format!("--limit={}", layer.offset + layer.limit + 1));
    let mut cli = parse(&argv, global, &layer)?;
    let Command::Search(a) = &cli.command else {
        return Err(invalid("internal: not a search"));
    };
    cli.global.format = Format::Json;
    Ok(super::search::render(&cli, a).and_then(|text| {
        let mut doc = to_json(&text)?;
        let (_, truncated) = page(&mut doc, "traces", &layer);
        let text = hits_text(&doc, "Root causes in the window", &layer, truncated);
        Ok(answer(text, doc))
    }))
}

/// Run a command as the CLI would, once for its JSON and once for its prompt text, and
/// page the JSON's `list` when it has one.
fn run_captured(mut cli: Cli, list: Option<&str>, layer: &Layer) -> Result<CallToolResult, Error> {
    // The server runs commands quietly (nothing may reach its stdout, the protocol's
    // channel); here output is captured, so let the command write it.
    cli.global.quiet = false;
    cli.global.format = Format::Json;
    let (json, code) = super::output::capture(|| super::run(&cli));
    code?;
    let mut doc = to_json(&json)?;
    let mut text_cli = cli;
    text_cli.global.format = Format::Llm;
    super::prepare(&mut text_cli);
    let (mut text, code) = super::output::capture(|| super::run(&text_cli));
    code?;
    if let Some(key) = list {
        let (returned, truncated) = page(&mut doc, key, layer);
        if truncated {
            text.push_str(&format!(
                "\n{returned} {key} shown (offset {}); more exist: call again with offset {}.\n",
                layer.offset,
                layer.offset + returned
            ));
        }
    }
    Ok(answer(text, doc))
}

fn run_check(cli: Cli) -> Result<CallToolResult, Error> {
    let Command::Check(args) = &cli.command else {
        return Err(Error::Usage("internal: not a check".into()));
    };
    let (doc, _code) = super::check::build(&cli, args)?;
    let structured =
        serde_json::to_value(&doc).map_err(|e| Error::Usage(format!("internal: {e}")))?;
    Ok(answer(check_markdown(&doc), structured))
}

#[derive(Clone)]
struct Server {
    global: Arc<GlobalArgs>,
}

impl ServerHandler for Server {
    fn get_info(&self) -> ServerInfo {
        ServerInfo::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("tracediag", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "tracediag diagnoses distributed traces. Start with diagnose_trace (or find_root_cause) \
                 for one trace, search_traces to find traces, check_trace to assert rules. Text answers \
                 are compact Markdown sized by max_tokens; structured content is tracediag's JSON \
                 (schema_version 1). Lists are paged with limit/offset; `page.truncated` says more exist.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, McpError> {
        let tools = tools()
            .iter()
            .map(|d| Tool::new(d.name, d.description, schema(d)))
            .collect();
        Ok(ListToolsResult::with_all_items(tools))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, McpError> {
        let global = Arc::clone(&self.global);
        let name = request.name.to_string();
        let args = request.arguments.unwrap_or_default();
        // Sources use blocking HTTP; keep it off the protocol's event loop.
        match tokio::task::spawn_blocking(move || call(&global, &name, &args)).await {
            Ok(r) => r,
            Err(e) => Err(McpError::internal_error(format!("tool failed: {e}"), None)),
        }
    }
}

pub fn run(cli: &Cli) -> Result<i32> {
    let server = Server {
        global: Arc::new(cli.global.clone()),
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Io {
            what: "starting the MCP server".into(),
            source: e,
        })?;
    if cli.global.verbose > 0 {
        eprintln!("tracediag: MCP server on stdio");
    }
    rt.block_on(async move {
        let running = server
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| Error::Usage(format!("MCP session did not start: {e}")))?;
        running
            .waiting()
            .await
            .map_err(|e| Error::Usage(format!("MCP server stopped: {e}")))?;
        Ok(crate::error::exit::OK)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(v: Value) -> JsonObject {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn arguments_become_the_cli_command_line() {
        let defs = tools();
        let def = defs.iter().find(|d| d.name == "check_trace").expect("tool");
        let (line, layer) = argv(
            def,
            "check",
            &obj(json!({"trace_id": "2193", "rules": ["no-errors", "max-gap 5s"], "gap_threshold": "2s", "source": "x.json", "no_skew_adjust": true})),
        )
        .expect("valid");
        assert_eq!(
            line,
            [
                "tracediag",
                "check",
                "--gap-threshold=2s",
                "--no-skew-adjust",
                "--rule=no-errors",
                "--rule=max-gap 5s",
                "--",
                "2193"
            ]
        );
        assert_eq!(layer.source.as_deref(), Some("x.json"));
        assert!(
            argv(def, "check", &obj(json!({"trace_id": "1"}))).is_err(),
            "rules are required"
        );
        assert!(
            argv(def, "check", &obj(json!({"rules": "no-errors"}))).is_err(),
            "rules is a list"
        );
        assert!(argv(def, "check", &obj(json!({"rules": [], "bogus": 1}))).is_err());
    }

    #[test]
    fn every_tool_has_an_object_schema() {
        for d in tools() {
            let s = schema(&d);
            assert_eq!(s.get("type"), Some(&json!("object")), "{}", d.name);
            for r in d.required {
                assert!(
                    d.params.iter().any(|p| p.name == *r),
                    "{} requires unknown {r}",
                    d.name
                );
            }
        }
    }
}
