//! Golden reports (insta snapshots) for the repository's testdata. Review changes with
//! `cargo insta review` (or `INSTA_UPDATE=always cargo test --test golden`).

use std::path::Path;
use std::process::Command;

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tracediag"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("TRACEDIAG_SOURCE")
        .env("NO_COLOR", "1")
        .output()
        .expect("run tracediag");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn snapshot_all(name: &str, file: &str) {
    assert!(Path::new(env!("CARGO_MANIFEST_DIR")).join(file).exists());
    for format in ["table", "json", "markdown"] {
        let text = run(&["diagnose", "--format", format, "--source", file]);
        insta::assert_snapshot!(format!("{name}.diagnose.{format}"), text);
    }
}

#[test]
fn execution_2193() {
    snapshot_all("execution-2193", "testdata/execution-2193.jaeger.json");
}

#[test]
fn connection_failure() {
    snapshot_all(
        "connection-failure",
        "testdata/cases/connection-failure.otlp.json",
    );
}

#[test]
fn n_plus_one() {
    snapshot_all("n-plus-one", "testdata/cases/n-plus-one.jaeger.json");
}

#[test]
fn broken_trace() {
    snapshot_all("broken-trace", "testdata/cases/broken-trace.otlp.json");
}
