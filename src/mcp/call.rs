//! One tool call: its arguments become a command line, parsed by the CLI's own definitions
//! into `Options`; the command builds its document once, and both answers come from it —
//! the llm text and the JSON as `structuredContent`, each within the call's token budget.

use rmcp::model::{CallToolResult, ContentBlock, JsonObject};
use rmcp::ErrorData as McpError;
use serde_json::{json, Value};

use super::arguments::{argv, invalid, Layer};
use super::tools::{tools, ToolDef, SEARCH};
use crate::cli::{self, GlobalArgs};
use crate::commands::{self, Options};
use crate::error::{Error, Result};
use crate::report::redact::redact_text;
use crate::report::{self, Document, Format};

/// Characters per token, as `--max-tokens` counts them.
const CHARS_PER_TOKEN: usize = 4;

/// Run one tool call to completion (blocking: sources use blocking HTTP).
pub fn call(
    global: &GlobalArgs,
    name: &str,
    args: &JsonObject,
) -> Result<CallToolResult, McpError> {
    let defs = tools();
    let Some(def) = defs.iter().find(|d| d.name == name) else {
        let names: Vec<&str> = defs.iter().map(|d| d.name).collect();
        return Err(invalid(format!(
            "unknown tool '{name}'; tools: {}",
            names.join(", ")
        )));
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
            let (argv, layer) = argv(def, def.command, &trace_args)?;
            options(&argv, global, &layer)?.and_then(|o| answer_document(&o, &layer, None))
        }
        "search_traces" => {
            let (mut argv, layer) = argv(def, def.command, args)?;
            argv.push(format!("--limit={}", layer.offset + layer.limit + 1));
            options(&argv, global, &layer)?.and_then(|o| hits(&o, &layer, "Traces"))
        }
        _ => {
            let (mut argv, layer) = argv(def, def.command, args)?;
            let list = match name {
                "find_similar_traces" => {
                    // Right after the subcommand: the positional ids follow a `--`.
                    argv.insert(2, format!("--limit={}", layer.offset + layer.limit));
                    Some("hits")
                }
                "trace_stats" => Some("groups"),
                _ => None,
            };
            options(&argv, global, &layer)?.and_then(|o| answer_document(&o, &layer, list))
        }
    };
    Ok(result.unwrap_or_else(|e| tool_error(&e)))
}

/// The options of a call: the command line parsed by the CLI's definitions (a rejected one is
/// an `invalid_params` error), under the server's global flags, then the call's source and
/// budget. Settling them may still fail (an empty search window): that is the tool's error.
fn options(
    argv: &[String],
    global: &GlobalArgs,
    layer: &Layer,
) -> Result<Result<Options>, McpError> {
    let mut cli =
        cli::parse_from(argv.iter().cloned()).map_err(|e| invalid(cli::first_line(&e)))?;
    cli.global = global.clone();
    // Nothing may reach the server's stdout, the protocol's channel.
    cli.global.quiet = true;
    if let Some(s) = &layer.source {
        cli.global.source = Some(s.clone());
    }
    cli.global.llm.max_tokens = Some(layer.max_tokens);
    Ok(cli::options::build(&cli).map(|mut o| {
        // Both answers leave for a model: masked as json and llm are.
        o.format = Format::Json;
        o.render.color = false;
        o
    }))
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

/// Build the command's document once; answer with its llm text and its JSON (cut to the
/// budget), paging the JSON's `list` when it has one.
fn answer_document(opts: &Options, layer: &Layer, list: Option<&str>) -> Result<CallToolResult> {
    let outcome = commands::build(opts)?;
    let budget = layer.max_tokens.saturating_mul(CHARS_PER_TOKEN);
    let mut doc = outcome.document.json_value(&opts.render);
    let mut text = match &outcome.document {
        // A document its command rendered already is in JSON here; the text needs a run
        // in the prompt format.
        Document::Rendered(_) => {
            let mut prompt = opts.clone();
            prompt.format = Format::Markdown;
            commands::build(&prompt)?
                .document
                .render(Format::Markdown, &opts.render)
        }
        doc => doc.render(Format::Llm, &opts.render),
    };
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
    let budget_name = format!("max_tokens {}", layer.max_tokens);
    report::fit_json(&mut doc, budget, &budget_name);
    Ok(answer(text, doc))
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

/// A search's hits, paged, with a line each for the model.
fn hits(opts: &Options, layer: &Layer, title: &str) -> Result<CallToolResult> {
    let outcome = commands::build(opts)?;
    let mut doc = outcome.document.json_value(&opts.render);
    let (_, truncated) = page(&mut doc, "traces", layer);
    let text = hits_text(&doc, title, layer, truncated);
    let budget = layer.max_tokens.saturating_mul(CHARS_PER_TOKEN);
    report::fit_json(
        &mut doc,
        budget,
        &format!("max_tokens {}", layer.max_tokens),
    );
    Ok(answer(text, doc))
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
        out.push_str(&crate::report::clean_text(&redact_text(&line)));
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

/// find_root_cause over a window: search with --diagnose, paged.
fn window_root_causes(
    def: &ToolDef,
    global: &GlobalArgs,
    args: &JsonObject,
) -> Result<Result<CallToolResult>, McpError> {
    let search_args: JsonObject = args
        .iter()
        .filter(|(k, _)| k.as_str() != "max_tokens")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let (mut argv, layer) = argv(def, "search", &search_args)?;
    argv.push("--diagnose".into());
    argv.push(format!("--limit={}", layer.offset + layer.limit + 1));
    Ok(options(&argv, global, &layer)?.and_then(|o| hits(&o, &layer, "Root causes in the window")))
}
