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
