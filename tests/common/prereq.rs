//! What a test needs beyond Rust, checked in one place. Tests that need any of these are
//! `#[ignore = "needs …"]`, so a plain `cargo test` passes on a machine with only Rust and
//! lists them as ignored; `cargo test -- --include-ignored` (what `.ci/run` runs) runs them,
//! and each fails at once with a one-line hint when its prerequisite is missing. None of
//! these ever skips silently.

use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The PostgreSQL the tests use: 127.0.0.1:5432, database `test`, user `postgres`, trust auth.
pub const POSTGRES: &str = "host=127.0.0.1 port=5432 user=postgres dbname=test connect_timeout=5";

/// Fail the test with one line: what is missing and how to get it.
fn missing(what: &str, hint: &str) -> ! {
    panic!("missing prerequisite: {what}; {hint}")
}

/// A directory named by an environment variable, which must exist.
fn dir_from_env(var: &str, hint: &str) -> PathBuf {
    match std::env::var_os(var).filter(|v| !v.is_empty()) {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if !dir.is_dir() {
                missing(&format!("{var}={} is not a directory", dir.display()), hint);
            }
            dir
        }
        None => missing(&format!("{var} is not set"), hint),
    }
}

/// The shared fixtures folder (`$TRACEDIAG_FIXTURES`, holding `traces/` and `profiles/`).
pub fn require_fixtures() -> PathBuf {
    dir_from_env(
        "TRACEDIAG_FIXTURES",
        "point it at the shared fixtures: `export TRACEDIAG_FIXTURES=$PWD/../shared/fixtures` (.ci/run does)",
    )
}

/// The shared datasets folder (`$TRACEDIAG_DATASETS`).
pub fn require_datasets() -> PathBuf {
    dir_from_env(
        "TRACEDIAG_DATASETS",
        "point it at the shared datasets: `export TRACEDIAG_DATASETS=$PWD/../shared/datasets` (.ci/run does)",
    )
}

/// How to install a program the tests run.
fn install_hint(program: &str) -> String {
    match program {
        "py-spy" => "install it with `python3 -m pip install py-spy` (.ci/run does)".into(),
        "python3" => "install Python 3 (e.g. `apt-get install python3`)".into(),
        "curl" => "install curl (e.g. `apt-get install curl`)".into(),
        other => format!("install {other} and put it on PATH"),
    }
}

/// A program on PATH that answers `--version`.
pub fn require_program(program: &str) {
    let ok = Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        missing(
            &format!("`{program}` is not on PATH"),
            &install_hint(program),
        );
    }
}

/// The PyPI package that provides a Python module, where the names differ.
fn pypi_package(module: &str) -> &str {
    match module {
        "opentelemetry.sdk" => "opentelemetry-sdk",
        other => other,
    }
}

/// A Python 3 module importable by `python3` (`mcp`, `opentelemetry.sdk`).
pub fn require_python_module(module: &str) {
    require_program("python3");
    let ok = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .stdin(Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        missing(
            &format!("the Python package `{module}` is not installed"),
            &format!(
                "install it with `python3 -m pip install {}` (.ci/run does)",
                pypi_package(module)
            ),
        );
    }
}

/// The machine's PostgreSQL at 127.0.0.1:5432 with database `test` (user `postgres`, trust).
pub fn require_postgres() {
    if let Err(e) = postgres::Client::connect(POSTGRES, postgres::NoTls) {
        let cause = e.to_string().replace('\n', " ");
        missing(
            &format!("PostgreSQL at 127.0.0.1:5432 (user postgres, database test): {cause}"),
            "start one with `docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test postgres:16` (or `pg_ctlcluster $(ls /etc/postgresql) main start`, as .ci/run does)",
        );
    }
}
