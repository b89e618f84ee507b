//! `cohorts --by attributes` end to end on testdata/checkout-versions.jaeger.json: 400
//! checkout requests whose services' resources carry a version, a pod and a region at random,
//! and in which only checkout 2.3 is slow (written by testdata/generate.py).

mod common;

use common::{testdata, tracediag};

fn run(args: &[&str]) -> common::Run {
    let file = testdata("checkout-versions.jaeger.json")
        .display()
        .to_string();
    let mut all = vec!["cohorts", "--by", "attributes", "--source", &file];
    all.extend(args);
    tracediag(&all, &[])
}

#[test]
fn the_slow_version_is_named_first_and_alone() {
    let v = run(&["--format", "json"]).json();
    assert_eq!(v["command"], "cohorts-attributes");
    assert_eq!(
        (v["a_traces"].as_u64(), v["b_traces"].as_u64()),
        (Some(20), Some(380))
    );
    let rows = v["rows"].as_array().expect("rows");
    let top = &rows[0];
    assert_eq!(
        (&top["service"], &top["key"], &top["value"]),
        (&"checkout".into(), &"service.version".into(), &"2.3".into()),
        "{top}"
    );
    assert_eq!(top["significant"], true);
    assert_eq!(rows.iter().filter(|r| r["significant"] == true).count(), 1);
    // Request ids are identifiers: left out, and said so.
    assert!(rows.iter().all(|r| r["key"] != "http.request_id"));
    assert_eq!(v["excluded_keys"][0]["key"], "http.request_id");

    let table = run(&["--color", "never"]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(table
        .stdout
        .contains("checkout service.version = 2.3 is on 100% of A's traces"));
    assert!(
        table.stdout.lines().all(|l| l.chars().count() <= 80),
        "{}",
        table.stdout
    );
}

/// Two cohorts holding the same traces: nothing can be significant, and the output says
/// the rows listed are no finding.
#[test]
fn a_cohort_without_a_cause_has_no_finding() {
    let both = [
        "--a",
        "service = \"payments\"",
        "--b",
        "service = \"gateway\"",
    ];
    let mut args = both.to_vec();
    args.extend(["--format", "json"]);
    let v = run(&args).json();
    assert_eq!(v["a_traces"], 400);
    let rows = v["rows"].as_array().expect("rows");
    assert!(rows.iter().all(|r| r["significant"] == false), "{v}");
    let mut args = both.to_vec();
    args.extend(["--color", "never"]);
    let table = run(&args);
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(
        table
            .stdout
            .contains("No attribute value is significantly more frequent in A"),
        "{}",
        table.stdout
    );
}

/// A canary: in the window, a third of checkout's requests run version 2.0 (the baseline
/// hour had 1.9 only); `root-cause --window` names the version among its attributes.
#[test]
fn the_window_report_names_a_canary_version() {
    let t0: i64 = 1_762_160_400_000_000; // 2025-11-03T09:00:00Z, µs
    let mut traces = Vec::new();
    for i in 0..240i64 {
        let start = t0 + i * 30_000_000; // every 30 s over two hours
        let canary = i >= 120 && i % 3 == 0;
        let version = if canary { "2.0" } else { "1.9" };
        let dur = if canary { 400_000 } else { 90_000 };
        let tid = format!("{:032x}", 0xca0000 + i);
        traces.push(serde_json::json!({
            "traceID": tid,
            "spans": [
                {"traceID": tid, "spanID": format!("{:016x}", i * 2 + 1), "operationName": "POST /checkout",
                 "references": [], "startTime": start, "duration": dur + 10_000, "tags": [], "processID": "p1"},
                {"traceID": tid, "spanID": format!("{:016x}", i * 2 + 2), "operationName": "place_order",
                 "references": [{"refType": "CHILD_OF", "traceID": tid, "spanID": format!("{:016x}", i * 2 + 1)}],
                 "startTime": start + 5_000, "duration": dur, "tags": [], "processID": "p2"}
            ],
            "processes": {
                "p1": {"serviceName": "gateway", "tags": []},
                "p2": {"serviceName": "checkout", "tags": [{"key": "service.version", "type": "string", "value": version}]}
            }
        }));
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("canary.json");
    std::fs::write(&path, serde_json::json!({ "data": traces }).to_string()).expect("write");
    let src = path.display().to_string();
    let window = "2025-11-03T10:00:00Z..2025-11-03T11:00:00Z";
    let baseline = "2025-11-03T09:00:00Z..2025-11-03T10:00:00Z";
    let args = [
        "root-cause",
        "--window",
        window,
        "--baseline",
        baseline,
        "--source",
        &src,
    ];
    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let v = tracediag(&json_args, &[]).json();
    let top = &v["attributes"]["rows"][0];
    assert_eq!(top["service"], "checkout", "{v}");
    assert_eq!(top["key"], "service.version");
    assert_eq!(top["value"], "2.0");
    assert_eq!(top["significant"], true);
    let mut table_args = args.to_vec();
    table_args.extend(["--color", "never"]);
    let table = tracediag(&table_args, &[]);
    assert!(
        table
            .stdout
            .contains("checkout service.version = 2.0 is on"),
        "{}",
        table.stdout
    );
}
