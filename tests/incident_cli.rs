//! `root-cause --window` and `cohorts` end to end on a generated span CSV.

use std::process::Command;

mod common;

/// 60 traces, one every second from 2023-01-29T08:40:00Z; from the 30th on, the call from
/// `front` into `back` waits 400 ms outside `back`'s server span (a network delay). Names
/// include characters hostile to SVG and to the folded format.
fn csv() -> String {
    let t0: i64 = 1_674_981_600_000_000; // 2023-01-29T08:40:00Z in µs
    let mut out = String::from(
        "trace_id,span_id,parent_span_id,service,operation,start_time_us,duration_us\n",
    );
    for i in 0..60i64 {
        let s = t0 + i * 1_000_000;
        let net = if i >= 30 {
            400_000
        } else {
            1_000 + (i % 3) * 100
        };
        let back = 20_000 + (i % 4) * 500;
        let call = back + net;
        let id = format!("{:032x}", i + 1);
        out.push_str(&format!(
            "{id},r,,front,<script>alert(1)</script>;GET /x,{s},{}\n",
            call + 5_000
        ));
        out.push_str(&format!(
            "{id},c,r,front,HTTP \"POST\",{},{call}\n",
            s + 1_000
        ));
        out.push_str(&format!(
            "{id},b,c,back,handle & serve,{},{back}\n",
            s + 1_000 + net / 2
        ));
    }
    out
}

fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tracediag"))
        .args(args)
        .output()
        .expect("tracediag runs")
}

#[test]
fn window_root_cause_blames_the_callee_of_a_slow_edge() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("spans.csv");
    std::fs::write(&path, csv()).expect("write");
    let p = path.to_string_lossy();
    let out = run(&[
        "root-cause",
        "--source",
        &p,
        "--format",
        "json",
        "--window",
        "2023-01-29T08:40:30Z..2023-01-29T08:41:00Z",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    common::validate("root-cause-window", &String::from_utf8_lossy(&out.stdout));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["schema_version"], "1");
    assert_eq!(v["traces"]["window"], 30);
    assert_eq!(v["traces"]["baseline"], 30);
    assert_eq!(v["services"][0]["service"], "back", "{v:#}");
    assert_eq!(v["services"][0]["rank"], 1);
    assert_eq!(v["services"][0]["evidence"][0]["kind"], "caller_side_delay");
    assert!(v["services"][0]["evidence"][0]["window_median_ms"]
        .as_f64()
        .is_some_and(|m| m > 390.0));
    assert_eq!(v["services"].as_array().map(Vec::len), Some(2));

    let table = run(&[
        "root-cause",
        "--source",
        &p,
        "--window",
        "2023-01-29T08:40:30Z..2023-01-29T08:41:00Z",
    ]);
    assert!(String::from_utf8_lossy(&table.stdout).contains("1. back"));

    let bad = run(&["root-cause", "--source", &p, "--window", "08:40..later"]);
    assert_eq!(bad.status.code(), Some(2));
    let empty = run(&[
        "root-cause",
        "--source",
        &p,
        "--window",
        "2020-01-01T00:00:00Z..2020-01-01T00:01:00Z",
    ]);
    assert_eq!(empty.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&empty.stderr).lines().count(), 1);
}

#[test]
fn cohorts_compare_and_draw_a_safe_differential_flame_graph() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("spans.csv");
    std::fs::write(&path, csv()).expect("write");
    let (p, svg, folded) = (
        path.to_string_lossy().to_string(),
        dir.path().join("d.svg"),
        dir.path().join("d.folded"),
    );
    let out = run(&[
        "cohorts",
        "--source",
        &p,
        "--format",
        "json",
        "--a",
        "duration > 300ms",
        "--b",
        "duration < 100ms",
        "--svg",
        &svg.to_string_lossy(),
        "--folded",
        &folded.to_string_lossy(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    common::validate("cohorts", &String::from_utf8_lossy(&out.stdout));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["a"]["traces"], 30);
    assert_eq!(v["b"]["traces"], 30);
    // The caller's own span holds the delay: its critical-path share grows most.
    assert_eq!(v["operations"][0]["service"], "front");
    assert_eq!(v["operations"][0]["operation"], "HTTP \"POST\"");
    let svg = std::fs::read_to_string(&svg).expect("svg written");
    assert!(svg.starts_with("<?xml") && svg.contains("</svg>"));
    assert!(!svg.contains("<script>alert"), "span names must be escaped");
    let folded = std::fs::read_to_string(&folded).expect("folded written");
    // Sorted stacks: the same input gives the same file.
    let mut sorted: Vec<&str> = folded.lines().collect();
    sorted.sort_unstable();
    assert_eq!(sorted, folded.lines().collect::<Vec<_>>());
    // `;` inside a name became `_`: the root frame is one frame.
    assert!(
        folded
            .lines()
            .all(|l| l.starts_with("front:<script>alert(1)</script>_GET /x")),
        "{folded}"
    );
    assert!(folded.lines().all(|l| l.rsplitn(3, ' ').count() == 3));

    let bad = run(&["cohorts", "--source", &p, "--a", "duration >> 1s"]);
    assert_eq!(bad.status.code(), Some(2));
    let msg = String::from_utf8_lossy(&bad.stderr);
    assert!(msg.contains("column 11"), "{msg}");
    assert_eq!(msg.lines().count(), 1);
    let none = run(&["cohorts", "--source", &p, "--a", "service = nowhere"]);
    assert_eq!(none.status.code(), Some(2));
    let default = run(&["cohorts", "--source", &p]);
    assert!(default.status.success());
}
