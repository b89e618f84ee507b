//! Secrets never leave in output meant for machines or other people: every command that
//! reads traces, in json, markdown and llm, is run on traces that carry secrets in an error
//! message, attributes (by key and by content), a span name, a SQL statement and a service
//! name, and none of the secrets may appear on stdout or stderr. The MCP tools are checked
//! in `src/mcp/call.rs`'s tests, in process.

mod common;

use common::mcp_client::Mcp;

use std::path::Path;

use common::tracediag;

/// The secrets planted in the traces; none may be printed.
const SECRETS: &[&str] = &[
    "hunter2",
    "tok_live_abc123",
    "c2VjcmV0c2lnbmF0dXJl",
    "ak_9f8e7d6c",
    "alice@example.com",
    "4111111111111111",
];

/// Trace start, µs since the epoch (2024-05-01T12:00:00Z), spaced a minute apart.
const START_US: i64 = 1_714_564_800_000_000;

fn span(
    trace: &str,
    id: &str,
    parent: Option<&str>,
    op: &str,
    start: i64,
    dur: i64,
    tags: &str,
) -> String {
    let refs = parent.map_or_else(String::new, |p| {
        format!(r#"{{"refType":"CHILD_OF","traceID":"{trace}","spanID":"{p}"}}"#)
    });
    format!(
        r#"{{"traceID":"{trace}","spanID":"{id}","operationName":"{op}","references":[{refs}],"startTime":{start},"duration":{dur},"processID":"p1","tags":[{tags}],"logs":[]}}"#
    )
}

/// One trace: a root, a login span that fails with secrets in its message and attributes,
/// and a database span whose statement holds a password and an e-mail address.
fn trace(n: usize, slow: bool) -> String {
    let id = format!("{:032x}", 0xabc0 + n);
    let t0 = START_US + n as i64 * 60_000_000;
    let login_dur = if slow { 900_000 } else { 40_000 };
    let spans = [
        span(
            &id,
            "0000000000000001",
            None,
            "GET /login?token=tok_live_abc123",
            t0,
            login_dur + 20_000,
            r#"{"key":"span.kind","type":"string","value":"server"}"#,
        ),
        span(
            &id,
            "0000000000000002",
            Some("0000000000000001"),
            "authenticate",
            t0 + 5_000,
            login_dur,
            r#"{"key":"error","type":"bool","value":true},
               {"key":"otel.status_description","type":"string","value":"login failed for password=hunter2"},
               {"key":"http.request.header.authorization","type":"string","value":"Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2VjcmV0c2lnbmF0dXJl"},
               {"key":"api_key","type":"string","value":"ak_9f8e7d6c"},
               {"key":"card","type":"string","value":"paid with 4111111111111111"}"#,
        ),
        span(
            &id,
            "0000000000000003",
            Some("0000000000000002"),
            "UPDATE users",
            t0 + 10_000,
            login_dur / 2,
            r#"{"key":"db.statement","type":"string","value":"UPDATE users SET password=hunter2 WHERE email='alice@example.com'"}"#,
        ),
    ];
    format!(
        r#"{{"traceID":"{id}","spans":[{}],"processes":{{"p1":{{"serviceName":"auth","tags":[]}}}}}}"#,
        spans.join(",")
    )
}

fn write_traces(dir: &Path) -> String {
    let traces: Vec<String> = (0..6).map(|n| trace(n, n % 3 == 0)).collect();
    let path = dir.join("secrets.json");
    std::fs::write(&path, format!(r#"{{"data":[{}]}}"#, traces.join(","))).unwrap();
    path.display().to_string()
}

fn id(n: usize) -> String {
    format!("{:032x}", 0xabc0 + n)
}

#[test]
fn no_command_prints_a_secret_in_json_markdown_or_llm() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_traces(dir.path());
    let (a, b) = (id(0), id(1));
    let window = "2024-05-01T12:03:00Z..2024-05-01T12:06:00Z";
    let commands: Vec<Vec<&str>> = vec![
        vec!["diagnose", &a],
        vec!["gaps", &a],
        vec!["root-cause", &a],
        vec!["timeline", &a],
        vec!["summary", &a],
        vec!["diagnose", &a, "--attributes", "--events"],
        vec!["timeline", &a, "--attributes", "--events"],
        vec!["span", &a, "0000000000000001"],
        vec!["span", &a, "0000000000000002"],
        vec!["span", &a, "0000000000000003"],
        vec!["search", "--since", "2400000h"],
        vec!["search", "--since", "2400000h", "--diagnose"],
        vec!["similar", &a, "--min-score", "0", "--since", "2400000h"],
        vec!["compare", &a, &b],
        vec!["compare", &a, &b, "--source-b", &file],
        vec!["stats", "--since", "2400000h"],
        vec!["stats", "--since", "2400000h", "--outliers"],
        vec![
            "check",
            &a,
            "--rule",
            "no-errors",
            "--rule",
            "span[name~\"UPDATE\"] duration < 1ms",
        ],
        vec!["cohorts"],
        vec!["cohorts", "--by", "attributes"],
        vec!["root-cause", "--window", window, "--baseline-source", &file],
        vec!["services"],
        vec!["operations", "auth"],
    ];
    let mut leaks = Vec::new();
    for cmd in &commands {
        for format in ["json", "markdown", "llm"] {
            let mut args: Vec<&str> = cmd.clone();
            args.extend(["--source", &file, "--format", format]);
            let run = tracediag(&args, &[]);
            assert!(
                run.code == 0 || (cmd[0] == "check" && run.code == 1),
                "{} --format {format}: exit {}: {}",
                cmd.join(" "),
                run.code,
                run.stderr
            );
            for secret in SECRETS {
                for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
                    if text.contains(secret) {
                        leaks.push(format!(
                            "{} --format {format}: {secret} on {stream}",
                            cmd.join(" ")
                        ));
                    }
                }
            }
        }
    }
    assert!(leaks.is_empty(), "secrets printed:\n{}", leaks.join("\n"));
}

/// The control: the secrets are really there, and `--no-redact` prints them, so the test
/// above cannot pass by printing nothing.
#[test]
fn the_secrets_are_there_unmasked() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_traces(dir.path());
    let run = tracediag(
        &[
            "diagnose",
            &id(0),
            "--source",
            &file,
            "--format",
            "json",
            "--no-redact",
        ],
        &[],
    );
    for secret in ["hunter2", "tok_live_abc123"] {
        assert!(
            run.stdout.contains(secret),
            "{secret} missing from the unmasked output"
        );
    }
    let run = tracediag(
        &[
            "span",
            &id(0),
            "2",
            "--source",
            &file,
            "--format",
            "json",
            "--no-redact",
        ],
        &[],
    );
    for secret in ["hunter2", "ak_9f8e7d6c", "4111111111111111"] {
        assert!(
            run.stdout.contains(secret),
            "{secret} missing from the unmasked span"
        );
    }
    let run = tracediag(
        &[
            "compare",
            &id(0),
            &id(1),
            "--source",
            &file,
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("[REDACTED]"), "compare masked nothing");
}

/// A tool call's result: its text and its structured content, as one string each.
fn call(mcp: &mut Mcp, tool: &str, args: serde_json::Value) -> (String, String) {
    let r = mcp.request(
        "tools/call",
        serde_json::json!({"name": tool, "arguments": args}),
    );
    let result = r.get("result").unwrap_or_else(|| panic!("{tool}: {r}"));
    let text: String = result["content"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["text"].as_str()).collect())
        .unwrap_or_default();
    (text, result["structuredContent"].to_string())
}

#[test]
fn no_mcp_tool_answers_with_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_traces(dir.path());
    let (a, b) = (id(0), id(1));
    let since = serde_json::json!("2400000h");
    let calls = [
        ("diagnose_trace", serde_json::json!({"trace_id": a})),
        ("find_root_cause", serde_json::json!({"trace_id": a})),
        ("find_root_cause", serde_json::json!({"since": since})),
        (
            "search_traces",
            serde_json::json!({"since": since, "diagnose": true}),
        ),
        (
            "check_trace",
            serde_json::json!({"trace_id": a, "rules": ["no-errors"]}),
        ),
        ("find_similar_traces", serde_json::json!({"trace_id": a})),
        (
            "compare_traces",
            serde_json::json!({"trace_id": a, "other_trace_id": b}),
        ),
        ("trace_stats", serde_json::json!({"since": since})),
        ("compare_attributes", serde_json::json!({})),
        (
            "get_span",
            serde_json::json!({"trace_id": a, "span_id": "0000000000000002"}),
        ),
        (
            "get_span",
            serde_json::json!({"trace_id": a, "span_id": "3"}),
        ),
    ];
    let mut mcp = Mcp::start(&file, "redaction-test");
    let mut leaks = Vec::new();
    for (tool, args) in calls {
        let (text, structured) = call(&mut mcp, tool, args.clone());
        assert!(!text.is_empty(), "{tool} {args}: empty answer");
        for secret in SECRETS {
            if text.contains(secret) || structured.contains(secret) {
                leaks.push(format!("{tool} {args}: {secret}"));
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "secrets in MCP answers:\n{}",
        leaks.join("\n")
    );
}

/// `structuredContent` obeys the call's token budget as the text does: on a 100,000-span
/// trace both fit, and the JSON says what it left out.
#[test]
fn mcp_structured_content_fits_the_token_budget() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.json");
    std::fs::write(&path, common::big_trace::generate_jaeger(100_000)).unwrap();
    let mut mcp = Mcp::start(&path, "redaction-test");
    for max_tokens in [4000usize, 1000] {
        let (text, structured) = call(
            &mut mcp,
            "diagnose_trace",
            serde_json::json!({"max_tokens": max_tokens}),
        );
        let budget = max_tokens * 4;
        assert!(
            text.len() <= budget,
            "text {} chars over {budget}",
            text.len()
        );
        assert!(
            structured.len() <= budget,
            "structuredContent {} chars over {budget}",
            structured.len()
        );
        let doc: serde_json::Value = serde_json::from_str(&structured).unwrap();
        assert_eq!(doc["truncated"], serde_json::json!(true), "{structured}");
        assert!(doc["omitted_spans"].as_u64().unwrap_or(0) > 99_000);
        assert!(doc["omitted_reason"]
            .as_str()
            .unwrap_or("")
            .contains("max_tokens"));
    }
}
