//! Every table command fits 80 columns by default, measured in display columns on real
//! inputs (`testdata/`, a generated span CSV with 32-digit ids, long and double-width names,
//! and the shared fixtures), and `--wide` keeps the values the default cuts.

use std::path::Path;

use unicode_width::UnicodeWidthStr;

mod common;

use common::{testdata, tracediag, Run};

/// A service name longer than a line, with double-width characters.
const LONG_SERVICE: &str =
    "payment-authorisation-gateway-決済サービス-eu-west-1-canary-deployment-green-rollout-2025";
/// An operation name longer than a line.
const LONG_OPERATION: &str =
    "POST /api/v2/merchants/{merchant_id}/payments/{payment_id}/authorisations/retry?mode=async";

/// 60 traces with 32-digit ids, one a second from 2023-01-29T08:40:00Z; from the 30th on the
/// call into the long-named service waits 400 ms outside its server span, and the last
/// trace's server span is ten times its usual length (an outlier).
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
        let back = if i == 59 {
            200_000
        } else {
            20_000 + (i % 4) * 500
        };
        let call = back + net;
        let id = format!("4bf92f3577b34da6a3ce929d0e{:06x}", i + 1);
        out.push_str(&format!(
            "{id},r,,frontend,GET /checkout,{s},{}\n",
            call + 5_000
        ));
        out.push_str(&format!(
            "{id},c,r,frontend,{LONG_OPERATION},{},{call}\n",
            s + 1_000
        ));
        out.push_str(&format!(
            "{id},b,c,{LONG_SERVICE},{LONG_OPERATION},{},{back}\n",
            s + 1_000 + net / 2
        ));
    }
    out
}

fn id(i: i64) -> String {
    format!("4bf92f3577b34da6a3ce929d0e{i:06x}")
}

/// The lines of `run` wider than 80 display columns.
fn too_wide(run: &Run) -> Vec<String> {
    run.stdout
        .lines()
        .filter(|l| UnicodeWidthStr::width(*l) > 80)
        .map(|l| format!("{} columns: {l}", UnicodeWidthStr::width(l)))
        .collect()
}

/// Run `args` (colourless), which must succeed (or report findings) and fit 80 columns.
fn fits(args: &[&str]) -> Run {
    let run = tracediag(args, &[]);
    assert!(
        run.code == 0 || run.code == 1,
        "{args:?}: exit {}: {}",
        run.code,
        run.stderr
    );
    assert!(!run.stdout.trim().is_empty(), "{args:?} printed nothing");
    let wide = too_wide(&run);
    assert!(wide.is_empty(), "{args:?}:\n{}", wide.join("\n"));
    run
}

/// `args` with `--wide`: its output holds every one of `whole`.
fn keeps(args: &[&str], whole: &[&str]) {
    let mut args = args.to_vec();
    args.push("--wide");
    let run = tracediag(&args, &[]);
    assert!(run.code == 0 || run.code == 1, "{args:?}: {}", run.stderr);
    for w in whole {
        assert!(
            run.stdout.contains(w),
            "{args:?} lost {w:?}:\n{}",
            run.stdout
        );
    }
}

#[test]
fn every_table_command_fits_80_columns_and_wide_keeps_the_values() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("spans.csv");
    std::fs::write(&path, csv()).expect("write");
    let src = path.to_string_lossy().to_string();
    let (first, second, last) = (id(1), id(2), id(60));
    let label = format!("{LONG_SERVICE}.{LONG_OPERATION}");
    let window = [
        "root-cause",
        "--source",
        &src,
        "--window",
        "2023-01-29T08:40:30Z..2023-01-29T08:41:00Z",
    ];
    let cases: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (vec!["search", "--source", &src], vec![&last]),
        (vec!["search", "--source", &src, "--diagnose"], vec![&last]),
        (
            vec![
                "stats",
                "--source",
                &src,
                "--outliers",
                "--outlier-factor",
                "1.5",
            ],
            vec![&label, &last],
        ),
        (
            vec!["stats", "--source", &src, "--group-by", "service"],
            vec![LONG_SERVICE],
        ),
        (
            vec!["similar", &first, "--source", &src, "--min-score", "0"],
            // The candidates nearest the target in time: the second trace leads.
            vec![&first, &second],
        ),
        (
            vec!["compare", &first, &last, "--source", &src],
            vec![&first, &last, &label],
        ),
        (
            vec!["cohorts", "--source", &src, "--a", "duration > 300ms"],
            vec![&label],
        ),
        (window.to_vec(), vec![LONG_SERVICE]),
        (vec!["services", "--source", &src], vec![LONG_SERVICE]),
        (
            vec!["operations", LONG_SERVICE, "--source", &src],
            vec![LONG_OPERATION],
        ),
    ];
    for (args, whole) in &cases {
        let run = fits(args);
        // What `--wide` keeps is what the default had to cut.
        assert!(
            whole.iter().any(|w| !run.stdout.contains(w)),
            "{args:?} needs no cutting, so it proves nothing:\n{}",
            run.stdout
        );
        keeps(args, whole);
    }
}

#[test]
fn window_lines_show_short_timestamps() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("spans.csv");
    std::fs::write(&path, csv()).expect("write");
    let src = path.to_string_lossy();
    let run = fits(&[
        "root-cause",
        "--source",
        &src,
        "--window",
        "2023-01-29T08:40:30Z..2023-01-29T08:41:00Z",
    ]);
    assert!(
        run.stdout
            .starts_with("window 2023-01-29 08:40:30 .. 08:41:00 UTC (30 traces)\n"),
        "{}",
        run.stdout
    );
    // Names are cut by display width with `…`, never inside a character.
    assert!(run.stdout.contains("決済"), "{}", run.stdout);
    assert!(run.stdout.contains('…'), "{}", run.stdout);
}

/// The table commands on one file of many traces.
fn commands_on(src: &str) -> Vec<Vec<String>> {
    let s = src.to_string();
    let v = |a: &[&str]| -> Vec<String> { a.iter().map(|x| x.to_string()).collect() };
    vec![
        v(&["search", "--source", &s]),
        v(&["search", "--source", &s, "--diagnose"]),
        v(&["stats", "--source", &s, "--outliers"]),
        v(&["cohorts", "--source", &s]),
        v(&["services", "--source", &s]),
    ]
}

fn all_fit(path: &Path) {
    let src = path.to_string_lossy();
    for args in commands_on(&src) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        fits(&args);
    }
}

#[test]
fn testdata_tables_fit_80_columns() {
    all_fit(&testdata("executions.jaeger.json"));
    let cases = testdata("cases");
    let mut files: Vec<_> = std::fs::read_dir(&cases)
        .expect("testdata/cases")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    for f in &files {
        all_fit(f);
    }
    let s = testdata("executions.jaeger.json");
    let s = s.to_string_lossy();
    fits(&["similar", "2185", "--source", &s, "--limit", "4"]);
    fits(&["compare", "2190", "2185", "--source", &s]);
}

#[test]
#[ignore = "needs the shared fixtures (TRACEDIAG_FIXTURES)"]
fn fixture_tables_fit_80_columns() {
    let dir = common::fixture_traces();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .chain(std::fs::read_dir(dir.join("converted")).expect("converted"))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut read = 0;
    for f in &files {
        // Search responses and summaries hold no spans: not trace files.
        let probe = tracediag(&["services", "--source", &f.to_string_lossy()], &[]);
        if probe.code != 0 {
            continue;
        }
        read += 1;
        all_fit(f);
    }
    assert!(read >= 15, "only {read} fixture files read");
}
