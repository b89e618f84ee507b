//! `tracediag ask`: the question is mapped to a command, the command is printed, then run;
//! unknown questions list the supported ones and exit 2.

mod common;

use common::{testdata, tracediag};

#[test]
fn asks_and_runs() {
    let s = testdata("execution-2193.jaeger.json").display().to_string();
    let r = tracediag(
        &["ask", "why did execution 2193 time out?", "--source", &s],
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("→ tracediag diagnose 2193"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.contains("NETWORK_TIMEOUT"), "{}", r.stdout);

    let r = tracediag(
        &[
            "--source",
            &s,
            "-f",
            "json",
            "ask",
            "what is the root cause of 2193",
        ],
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(doc["command"], "root-cause");

    let r = tracediag(
        &["ask", "--dry-run", "show failed calls in the last hour"],
        &[],
    );
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stdout.trim(),
        "tracediag search --status error --since 1h --diagnose"
    );
}

#[test]
fn unknown_questions_list_the_supported_ones() {
    let r = tracediag(&["ask", "what is the weather?"], &[]);
    assert_eq!(r.code, 2);
    let line = r.error_line();
    assert!(line.contains("not understood"), "{line}");
    assert!(line.contains("why did execution 2193 time out?"), "{line}");
}
