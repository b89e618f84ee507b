//! Through the binary: clap's usage errors have the shape of every other error (one
//! `tracediag: error: …` line first, exit 2; the usage block may follow), `--help` and
//! `--version` print to stdout with exit 0, and durations take the units people write.

mod common;

use common::{testdata, tracediag, Run};

/// A usage error: exit 2, nothing on stdout, stderr starting with exactly one error line.
fn usage_error(r: &Run) -> String {
    assert_eq!(r.code, 2, "exit {}: {}", r.code, r.stderr);
    assert!(r.stdout.is_empty(), "stdout: {}", r.stdout);
    assert!(
        r.stderr.starts_with("tracediag: error: "),
        "stderr does not start with the error line: {}",
        r.stderr
    );
    r.error_line().to_string()
}

#[test]
fn clap_errors_are_one_tracediag_error_line_and_exit_2() {
    let file = testdata("execution-2193.jaeger.json");
    let file = file.to_str().unwrap_or_default();
    let cases: &[(&[&str], &str)] = &[
        (&[], "requires a subcommand"),
        (&["profile"], "'tracediag profile' requires a subcommand"),
        (&["frobnicate"], "unrecognized subcommand 'frobnicate'"),
        (
            &["diagnose", "--source", file, "--no-such-flag"],
            "unexpected argument '--no-such-flag'",
        ),
        (
            &["diagnose", "--source", file, "--gap-threshold", "5q"],
            "invalid value '5q' for '--gap-threshold <DURATION>'",
        ),
        (
            &["diagnose", "--source", file, "--format", "yaml"],
            "invalid value 'yaml' for '--format <FORMAT>'",
        ),
        (&["operations", "--source", file], "required arguments"),
        (
            &["profile", "compare", "--a", "x"],
            "required arguments were not provided",
        ),
    ];
    for (args, want) in cases {
        let r = tracediag(args, &[]);
        let line = usage_error(&r);
        assert!(line.contains(want), "{args:?}: {line}");
        assert!(
            r.stderr.contains("try '--help'"),
            "{args:?}: no pointer to --help: {}",
            r.stderr
        );
    }
}

#[test]
fn help_and_version_print_to_stdout_with_exit_0() {
    for args in [
        &["--help"][..],
        &["-h"],
        &["diagnose", "--help"],
        &["profile", "trigger", "--help"],
        &["help", "compare"],
    ] {
        let r = tracediag(args, &[]);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert!(
            r.stdout.contains("Usage: tracediag"),
            "{args:?}: {}",
            r.stdout
        );
        assert!(r.stderr.is_empty(), "{args:?}: {}", r.stderr);
    }
    let r = tracediag(&["--version"], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("tracediag "), "{}", r.stdout);
}

#[test]
fn durations_take_days_and_weeks() {
    let file = testdata("executions.jaeger.json");
    let file = file.to_str().unwrap_or_default();
    let one = testdata("execution-2193.jaeger.json");
    let one = one.to_str().unwrap_or_default();

    let r = tracediag(&["search", "--source", file, "--since", "1d"], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = tracediag(
        &["search", "--source", file, "--start", "-2w", "--end", "now"],
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);

    let r = tracediag(
        &["check", "--source", one, "--rule", "max-duration 1d"],
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);

    // A window that starts with '-' is a value, and days are a unit: the answer is about the
    // window's traces, not the flag.
    let r = tracediag(
        &["root-cause", "--source", file, "--window", "-7d..now"],
        &[],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.error_line()
            .contains("no traces start in the window -7d..now"),
        "{}",
        r.stderr
    );

    let r = tracediag(&["search", "--source", file, "--since", "3y"], &[]);
    let line = usage_error(&r);
    assert!(
        line.ends_with("invalid duration unit 'y' in '3y': use ns, us, ms, s, m, h, d or w"),
        "{line}"
    );
}
