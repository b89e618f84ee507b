//! End-to-end: similar, compare and stats on testdata/executions.jaeger.json (twenty beacon
//! executions: successful runs, 2193-like network timeouts, failed and retried Modal calls).

mod common;

use common::{testdata, tracediag};

fn executions() -> String {
    testdata("executions.jaeger.json").display().to_string()
}

fn run_json(args: &[&str]) -> serde_json::Value {
    let src = executions();
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--source", &src, "--format", "json"]);
    tracediag(&all, &[]).json()
}

#[test]
fn similar_lists_relatives_with_status_failure_point_and_root_cause() {
    let v = run_json(&["similar", "2184", "--min-score", "0", "--limit", "25"]);
    assert_eq!(v["schema_version"], "1");
    assert_eq!(v["command"], "similar");
    assert_eq!(v["target"]["root_cause"], "EXECUTION_FAILURE");
    assert_eq!(v["target"]["failure_point"], "modal.inference");
    let hits = v["hits"].as_array().unwrap();
    assert_eq!(v["candidates_scored"], 19);
    assert_eq!(hits.len(), 19);
    assert!(hits.iter().all(|h| h["trace_id"] != "0000000000002184"));
    // Retried executions have two more spans: 1 − 2/7.
    let retry = hits
        .iter()
        .find(|h| h["trace_id"] == "0000000000002185")
        .unwrap();
    assert_eq!(retry["score"], 0.714);
    assert_eq!(retry["status"], "error");
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "best first: {scores:?}"
    );
    let failed = hits
        .iter()
        .find(|h| h["trace_id"] == "0000000000002191")
        .unwrap();
    assert_eq!(failed["failure_point"], "modal.inference");
    assert_eq!(failed["root_cause"], "EXECUTION_FAILURE");
}

#[test]
fn similar_defaults_limit_and_min_score_and_match() {
    let v = run_json(&["similar", "2193"]);
    let hits = v["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 5);
    assert!(hits.iter().all(|h| h["score"].as_f64().unwrap() >= 0.7));
    let v = run_json(&[
        "similar",
        "2193",
        "--match",
        "model_id,region",
        "--min-score",
        "0",
        "--limit",
        "50",
    ]);
    // 2189 and 2195 run mistral-7b, 2196 is in eu-west: excluded.
    let ids: Vec<&str> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["trace_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 16, "{ids:?}");
    assert!(!ids.contains(&"0000000000002189") && !ids.contains(&"0000000000002196"));
    assert_eq!(v["matched_attributes"][0]["value"], "llama-3.1-8b");
    let src = executions();
    let r = tracediag(
        &["similar", "2193", "--match", "nope", "--source", &src],
        &[],
    );
    assert_eq!(r.code, 2);
    assert!(r.error_line().contains("no attribute nope"));
}

#[test]
fn similar_by_structure_ignores_order_and_scores_retries_by_edges() {
    let v = run_json(&[
        "similar",
        "2190",
        "--by",
        "structure",
        "--min-score",
        "0",
        "--limit",
        "25",
    ]);
    let retry = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["trace_id"] == "0000000000002192")
        .unwrap();
    // 5 edges against 7, 5 shared: 2·5/12.
    assert_eq!(retry["score"], 0.833);
}

#[test]
fn compare_a_good_run_with_the_2193_timeout() {
    let v = run_json(&["compare", "2190", "2193"]);
    assert_eq!(v["command"], "compare");
    assert_eq!(v["alignment"]["pairs"], 5);
    assert_eq!(v["alignment"]["only_in_b"], 0);
    let changes = v["duration_changes"].as_array().unwrap();
    assert!(changes
        .iter()
        .any(|r| r["operation"] == "hybrid_router_call" && r["ratio"].as_f64().unwrap() > 6.0));
    let top = &v["critical_path"][0];
    assert_eq!(top["operation"], "runner.hybrid_router_call");
    assert!(top["b_share"].as_f64().unwrap() > 0.6);
}

#[test]
fn compare_a_retry_and_a_failure() {
    let v = run_json(&["compare", "2190", "2185"]);
    assert_eq!(v["alignment"]["only_in_b"], 2);
    let first = &v["first_divergence"];
    assert_eq!(first["mark"], "+");
    assert_eq!(first["operation"], "modal_call");
    assert_eq!(first["b_status"], "error");
    // The later, successful attempt is the one paired with A's call.
    let paired: Vec<&serde_json::Value> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["operation"] == "modal_call")
        .collect();
    // B's side reads in B's order: the failed first attempt, then the paired retry.
    assert_eq!(paired[0]["mark"], "+");
    assert_eq!(paired[0]["b_status"], "error");
    assert_eq!(paired[1]["mark"], "=");
    assert_eq!(paired[1]["b_status"], "ok");
    assert_eq!(paired[1]["b_span_id"], "00000000001d2185");

    let v = run_json(&["compare", "2190", "2191"]);
    assert_eq!(v["first_divergence"]["operation"], "inference");
    assert_eq!(v["error_differences"].as_array().unwrap().len(), 5);
    let src = executions();
    let other = testdata("execution-2193.otlp.json").display().to_string();
    let v = tracediag(
        &[
            "compare",
            "2190",
            "2193",
            "--source",
            &src,
            "--source-b",
            &other,
            "--format",
            "json",
        ],
        &[],
    )
    .json();
    assert_eq!(v["alignment"]["pairs"], 5);
    assert!(v["b"]["source"]
        .as_str()
        .unwrap()
        .ends_with("execution-2193.otlp.json"));
}

#[test]
fn compare_tree_caps_rows_and_says_so() {
    let v = run_json(&["compare", "2190", "2185", "--max-rows", "3"]);
    assert_eq!(v["truncated"], true);
    assert_eq!(v["omitted_rows"], 4);
    let rows = v["rows"].as_array().unwrap();
    assert!(
        rows.iter().any(|r| r["mark"] == "+"),
        "differing rows are kept first"
    );
}

#[test]
fn stats_per_operation_with_percentiles_and_self_time() {
    let v = run_json(&["stats"]);
    assert_eq!(v["command"], "stats");
    assert_eq!(v["traces"], 20);
    assert_eq!(v["percentile_method"], "percentile_cont");
    let groups = v["groups"].as_array().unwrap();
    let modal = groups
        .iter()
        .find(|g| g["group"] == "modal.inference")
        .unwrap();
    assert_eq!(modal["count"], 22);
    assert_eq!(modal["error_count"], 5);
    assert_eq!(modal["max_ms"], 152000.0);
    let share: f64 = groups
        .iter()
        .map(|g| g["self_time_share"].as_f64().unwrap())
        .sum();
    assert!((share - 1.0).abs() < 0.01, "{share}");
    let v = run_json(&["stats", "--group-by", "attr:region", "--service", "modal"]);
    let keys: Vec<&str> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["group"].as_str().unwrap())
        .collect();
    assert_eq!(keys.len(), 2);
    let v = run_json(&[
        "stats",
        "--group-by",
        "service",
        "--outliers",
        "--outlier-factor",
        "1.05",
    ]);
    assert!(v["outliers"].is_array());
}

#[test]
fn tables_fit_80_columns() {
    let src = executions();
    for args in [
        vec!["similar", "2193"],
        vec!["compare", "2190", "2185"],
        vec!["stats", "--outliers"],
    ] {
        let mut a = args.clone();
        a.extend(["--source", &src]);
        let r = tracediag(&a, &[]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        for l in r.stdout.lines() {
            assert!(l.chars().count() <= 80, "{args:?}: {l}");
        }
        let mut a = args.clone();
        a.extend(["--source", &src, "--format", "markdown"]);
        assert_eq!(tracediag(&a, &[]).code, 0);
    }
}

/// Over the --candidates cap, a file's candidates are the traces nearest the target in
/// time (not the newest), and the output says the file was searched whole.
#[test]
fn similar_caps_candidates_nearest_the_target() {
    let v = run_json(&["similar", "2186", "--candidates", "4", "--min-score", "0"]);
    let mut ids: Vec<&str> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["trace_id"].as_str())
        .collect();
    ids.sort();
    assert_eq!(
        ids,
        [
            "0000000000002184",
            "0000000000002185",
            "0000000000002187",
            "0000000000002188"
        ]
    );
    assert_eq!(v["candidate_limit_reached"], true);
    assert_eq!(v["window_start"], serde_json::Value::Null);
    let src = executions();
    let table = tracediag(
        &["similar", "2186", "--source", &src, "--color", "never"],
        &[],
    );
    assert!(
        table
            .stdout
            .contains("candidates: traces of runner.execute_question anywhere in the file"),
        "{}",
        table.stdout
    );
}
