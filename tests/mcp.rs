//! `tracediag mcp` driven by a real MCP client: the Python `mcp` package's stdio client
//! (installed by `.ci/run`). The client script is written to a temp dir; it initializes,
//! lists tools, calls each tool on testdata and makes bad calls, printing one JSON object
//! that the assertions below read.

mod common;

use std::process::Command;

use common::{read, testdata};
use serde_json::Value;

const CLIENT: &str = r#"
import asyncio, json, sys
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

def res(r):
    return {
        "is_error": bool(getattr(r, "is_error", getattr(r, "isError", False))),
        "text": r.content[0].text if r.content else "",
        "structured": getattr(r, "structured_content", getattr(r, "structuredContent", None)),
    }

async def main():
    params = StdioServerParameters(command=sys.argv[1], args=["--source", sys.argv[2], "mcp"])
    out = {}
    async with stdio_client(params) as (r, w):
        async with ClientSession(r, w) as s:
            init = await s.initialize()
            info = getattr(init, "server_info", None) or getattr(init, "serverInfo")
            out["server"] = info.name
            tools = await s.list_tools()
            out["tools"] = {t.name: (getattr(t, "input_schema", None) or getattr(t, "inputSchema")) for t in tools.tools}
            calls = {
                "diagnose_trace": {"trace_id": "2193", "max_tokens": 300},
                "find_root_cause": {"trace_id": "2000000000000000"},
                "find_root_cause_window": {"status": "error", "limit": 5},
                "search_traces": {"limit": 2},
                "search_traces_page2": {"limit": 2, "offset": 2},
                "check_trace": {"trace_id": "2193", "rules": ["no-errors", "max-gap 5s"]},
                "find_similar_traces": {"trace_id": "2193"},
                "compare_traces": {"trace_id": "2193", "other_trace_id": "2000000000000000"},
                "trace_stats": {"service": "router"},
                "unknown_trace": {"trace_id": "nope"},
                "profile_compare": {"a": [sys.argv[3]], "b": [sys.argv[4]]},
                "compare_attributes": {"a": "status = error"},
            }
            for key, args in calls.items():
                name = {"find_root_cause_window": "find_root_cause", "search_traces_page2": "search_traces",
                        "unknown_trace": "diagnose_trace"}.get(key, key)
                out[key] = res(await s.call_tool(name, args))
            for key, name, args in [("bad_value", "diagnose_trace", {"trace_id": "2193", "gap_threshold": "5x"}),
                                    ("bad_arg", "diagnose_trace", {"bogus": 1}),
                                    ("bad_tool", "nope", {})]:
                try:
                    r = await s.call_tool(name, args)
                    out[key] = {"protocol_error": None, "result": res(r)}
                except Exception as e:
                    out[key] = {"protocol_error": str(e)}
    print(json.dumps(out))

asyncio.run(main())
"#;

#[test]
#[ignore = "needs python3 with the Python `mcp` package"]
fn real_mcp_client_over_stdio() {
    common::require_python_module("mcp");
    let dir = tempfile::tempdir().expect("tempdir");
    let script = dir.path().join("client.py");
    std::fs::write(&script, CLIENT).expect("write client");
    let mut data = Vec::new();
    for f in [
        "execution-2193.jaeger.json",
        "cases/service-timeout.jaeger.json",
        "cases/n-plus-one.jaeger.json",
        "cases/execution-failure.jaeger.json",
    ] {
        let v: Value = serde_json::from_slice(&read(&testdata(f))).expect("json");
        data.extend(v["data"].as_array().cloned().unwrap_or_default());
    }
    // Two folded profiles: A spends most of its samples in slow_path, B in fast_path.
    let (prof_a, prof_b) = (dir.path().join("a.folded"), dir.path().join("b.folded"));
    std::fs::write(
        &prof_a,
        "main;handle;slow_path 900\nmain;handle;fast_path 100\n",
    )
    .expect("write");
    std::fs::write(
        &prof_b,
        "main;handle;slow_path 100\nmain;handle;fast_path 900\n",
    )
    .expect("write");
    let traces = dir.path().join("traces.json");
    std::fs::write(&traces, serde_json::json!({ "data": data }).to_string()).expect("write");
    let config = tempfile::tempdir().expect("tempdir");
    let out = Command::new("python3")
        .arg(&script)
        .arg(env!("CARGO_BIN_EXE_tracediag"))
        .arg(&traces)
        .arg(&prof_a)
        .arg(&prof_b)
        .env("XDG_CONFIG_HOME", config.path())
        .env("HOME", config.path())
        .env_remove("TRACEDIAG_SOURCE")
        .output()
        .expect("run python");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "client failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        stdout
    );
    let o: Value = serde_json::from_str(stdout.trim()).expect("client prints JSON");

    assert_eq!(o["server"], "tracediag");
    for t in [
        "diagnose_trace",
        "find_root_cause",
        "find_similar_traces",
        "compare_traces",
        "search_traces",
        "trace_stats",
        "check_trace",
    ] {
        assert_eq!(o["tools"][t]["type"], "object", "{t} schema");
    }
    assert!(o["tools"]["diagnose_trace"]["properties"]["trace_id"].is_object());

    let d = &o["diagnose_trace"];
    assert_eq!(d["is_error"], false);
    assert!(d["text"]
        .as_str()
        .unwrap_or("")
        .starts_with("# Trace 0000000000002193"));
    assert!(d["text"].as_str().unwrap_or("").len() <= 300 * 4);
    assert_eq!(d["structured"]["schema_version"], "2");
    assert_eq!(
        d["structured"]["root_causes"][0]["category"],
        "NETWORK_TIMEOUT"
    );

    let rc = &o["find_root_cause"];
    assert_eq!(rc["structured"]["command"], "root-cause");
    assert_eq!(
        rc["structured"]["root_causes"][0]["category"],
        "SERVICE_TIMEOUT"
    );

    let w = &o["find_root_cause_window"];
    assert_eq!(w["is_error"], false, "{w}");
    let hits = w["structured"]["traces"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(hits.len(), 2, "{w}");
    assert!(hits.iter().all(|h| h["diagnosis"]["category"].is_string()));
    assert_eq!(w["structured"]["page"]["total_count"], 2);

    let s1 = &o["search_traces"]["structured"];
    assert_eq!(s1["page"]["returned"], 2);
    assert_eq!(s1["page"]["truncated"], true);
    assert!(s1["page"]["total_count"].is_null());
    let s2 = &o["search_traces_page2"]["structured"];
    assert_eq!(s2["page"]["returned"], 2);
    assert_eq!(s2["page"]["truncated"], false);
    assert_eq!(s2["page"]["total_count"], 4);
    let ids = |v: &Value| -> Vec<String> {
        v["traces"]
            .as_array()
            .map(|a| a.iter().map(|h| h["trace_id"].to_string()).collect())
            .unwrap_or_default()
    };
    assert!(
        ids(s1).iter().all(|i| !ids(s2).contains(i)),
        "pages overlap"
    );

    let c = &o["check_trace"];
    assert_eq!(c["is_error"], false);
    assert_eq!(c["structured"]["passed"], false);
    assert_eq!(c["structured"]["counts"]["failed"], 1);

    for (t, command) in [
        ("find_similar_traces", "similar"),
        ("compare_traces", "compare"),
        ("trace_stats", "stats"),
        ("compare_attributes", "cohorts-attributes"),
    ] {
        assert_eq!(o[t]["is_error"], false, "{t}: {}", o[t]["text"]);
        assert_eq!(o[t]["structured"]["command"], command, "{t}");
        assert!(
            !o[t]["text"].as_str().unwrap_or("").is_empty(),
            "{t}: no text"
        );
    }
    let pc = &o["profile_compare"];
    assert_eq!(pc["is_error"], false, "{}", pc["text"]);
    assert!(
        pc["structured"]["hotspots"]
            .to_string()
            .contains("slow_path"),
        "{pc:#}"
    );
    // Only execution 2193 has its root: nothing else is similar, and the target is named.
    let sim = &o["find_similar_traces"]["structured"];
    assert!(sim["target"]["trace_id"]
        .as_str()
        .unwrap_or("")
        .ends_with("2193"));
    assert_eq!(sim["hits"].as_array().map(Vec::len), Some(0));
    let groups = o["trace_stats"]["structured"]["groups"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!groups.is_empty());
    assert!(
        groups
            .iter()
            .all(|g| g["group"].as_str().unwrap_or("").starts_with("router")),
        "{groups:?}"
    );
    let u = &o["unknown_trace"];
    assert_eq!(u["is_error"], true);
    assert!(u["text"]
        .as_str()
        .unwrap_or("")
        .starts_with("trace nope not found"));
    assert_eq!(u["structured"]["exit_code"], 2);

    let bv = o["bad_value"]["protocol_error"].as_str().unwrap_or("");
    assert!(
        bv.contains("invalid value '5x' for '--gap-threshold"),
        "{}",
        o["bad_value"]
    );
    let ba = o["bad_arg"]["protocol_error"].as_str().unwrap_or("");
    assert!(ba.contains("unknown argument 'bogus'"), "{}", o["bad_arg"]);
    let bt = o["bad_tool"]["protocol_error"].as_str().unwrap_or("");
    assert!(bt.contains("unknown tool 'nope'"), "{}", o["bad_tool"]);
}
