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
//! …) is a tool result with `isError: true`, so the model reads the same one-line
//! message the CLI prints, and `structuredContent` carries `error` and `exit_code`.

mod answers;
mod arguments;
mod cache;
mod call;
mod tools;

use std::sync::Arc;

use rmcp::model::{
    CallToolRequestParams, CallToolResult, Implementation, ListToolsResult, PaginatedRequestParams,
    ServerCapabilities, ServerInfo, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData as McpError, RoleServer, ServerHandler, ServiceExt};

use crate::cli::GlobalArgs;
use crate::error::{Error, Result};

use call::call;
use tools::{schema, tools};

#[derive(Clone)]
struct Server {
    global: Arc<GlobalArgs>,
    answers: Arc<answers::Answers>,
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
        let answers = Arc::clone(&self.answers);
        let name = request.name.to_string();
        let args = request.arguments.unwrap_or_default();
        // Sources use blocking HTTP; keep it off the protocol's event loop.
        let answer = move || {
            let key = answers::CallKey::of(&name, &args, global.source.as_deref());
            if let Some(kept) = key.as_ref().and_then(|k| answers.get(k)) {
                return Ok(kept);
            }
            let result = call(&global, &name, &args)?;
            if let Some(k) = key.filter(|_| result.is_error != Some(true)) {
                answers.put(k, result.clone());
            }
            Ok(result)
        };
        match tokio::task::spawn_blocking(answer).await {
            Ok(r) => r,
            Err(e) => Err(McpError::internal_error(format!("tool failed: {e}"), None)),
        }
    }
}

/// Serve until the client closes stdin. `global` holds the flags every call starts from.
pub fn serve(global: GlobalArgs) -> Result<i32> {
    let verbose = global.verbose;
    crate::source::backend::keep_decoded_files(Box::new(cache::Lru::new(
        cache::MAX_BYTES,
        cache::TTL,
    )));
    crate::commands::prepared::keep_prepared_traces();
    let server = Server {
        global: Arc::new(global),
        answers: Arc::new(answers::Answers::new(cache::TTL)),
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Io {
            what: "starting the MCP server".into(),
            source: e,
        })?;
    if verbose > 0 {
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
    use rmcp::model::JsonObject;
    use serde_json::{json, Value};

    use super::arguments::argv;
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

    /// Positionals follow the tool's parameter order, whatever order the JSON keys come in
    /// (`span_id` sorts before `trace_id`, `other_trace_id` before `trace_id`).
    #[test]
    fn positional_arguments_keep_the_tools_order() {
        let defs = tools();
        for (tool, command, args, want) in [
            (
                "get_span",
                "span",
                json!({"span_id": "5", "trace_id": "1"}),
                ["1", "5"],
            ),
            (
                "compare_traces",
                "compare",
                json!({"other_trace_id": "b", "trace_id": "a"}),
                ["a", "b"],
            ),
        ] {
            let def = defs.iter().find(|d| d.name == tool).expect("tool");
            let (line, _) = argv(def, command, &obj(args)).expect("valid");
            assert_eq!(line[line.len() - 2..], want, "{tool}: {line:?}");
        }
        let def = defs.iter().find(|d| d.name == "get_span").expect("tool");
        assert!(
            argv(def, "span", &obj(json!({"trace_id": "1"}))).is_err(),
            "span_id is required"
        );
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
