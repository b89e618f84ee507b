//! `tracediag check`: exit codes for each outcome, JUnit well-formed with matching counts,
//! JSON output, rule errors pointing at the column, rules files.

mod common;

use common::{testdata, tracediag};

fn src(name: &str) -> String {
    testdata(name).display().to_string()
}

#[test]
fn exit_0_when_every_rule_passes() {
    let r = tracediag(
        &[
            "check",
            "--source",
            &src("cases/healthy.otlp.json"),
            "-r",
            "no-errors",
            "-r",
            "max-duration 2s",
            "-r",
            "no-broken-trace",
        ],
        &[],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let last = r.stdout.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("tracediag check: PASSED 3 of 3 checks"),
        "{last}"
    );
}

#[test]
fn exit_1_when_a_rule_fails_with_evidence() {
    let r = tracediag(
        &[
            "check",
            "--source",
            &src("execution-2193.jaeger.json"),
            "-r",
            "max-gap 5s",
            "-r",
            "no-errors",
        ],
        &[],
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("FAIL max-gap 5s"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("gap of 156117ms inside runner.hybrid_router_call"),
        "{}",
        r.stdout
    );
    // The summary is one line, last.
    let last = r.stdout.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("tracediag check: FAILED 1 of 2 checks"),
        "{last}"
    );
}

#[test]
fn exit_2_on_bad_rule_with_column() {
    let r = tracediag(
        &[
            "check",
            "--source",
            &src("execution-2193.jaeger.json"),
            "-r",
            "span[service=\"db\" name~\"(\"] duration < 1s",
        ],
        &[],
    );
    assert_eq!(r.code, 2);
    let line = r.error_line();
    assert!(
        line.contains("column 24: invalid regular expression"),
        "{line}"
    );
}

#[test]
fn exit_2_on_unknown_trace_and_no_rules() {
    let r = tracediag(
        &[
            "check",
            "nope",
            "--source",
            &src("execution-2193.jaeger.json"),
            "-r",
            "no-errors",
        ],
        &[],
    );
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("ERROR trace nope not found"),
        "{}",
        r.stdout
    );
    let r = tracediag(
        &["check", "--source", &src("execution-2193.jaeger.json")],
        &[],
    );
    assert_eq!(r.code, 2);
    assert!(r.error_line().contains("no rules"));
}

#[test]
fn exit_3_when_the_source_is_unreachable() {
    let url = format!("jaeger+http://127.0.0.1:{}", common::closed_port());
    let r = tracediag(
        &[
            "check",
            "abc",
            "--source",
            &url,
            "-r",
            "no-errors",
            "--timeout",
            "2s",
        ],
        &[],
    );
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
}

#[test]
fn json_output_and_junit_counts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let junit = dir.path().join("report.xml");
    let junit_s = junit.display().to_string();
    // Many traces in one file: check all of them through --search.
    let mut data = Vec::new();
    for f in [
        "execution-2193.jaeger.json",
        "cases/n-plus-one.jaeger.json",
        "cases/service-timeout.jaeger.json",
    ] {
        let v: serde_json::Value =
            serde_json::from_slice(&common::read(&testdata(f))).expect("json");
        data.extend(v["data"].as_array().cloned().unwrap_or_default());
    }
    let many = dir.path().join("many.json");
    std::fs::write(&many, serde_json::json!({ "data": data }).to_string()).expect("write");
    let r = tracediag(
        &[
            "check",
            "--search",
            "--source",
            &many.display().to_string(),
            "-f",
            "json",
            "--junit",
            &junit_s,
            "-r",
            "no-errors",
            "-r",
            "no-n-plus-one 10",
            "-r",
            "span[name~\"SELECT\"] duration < 1s",
            "-r",
            "count(span[service=\"router\"]) <= 1",
        ],
        &[],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(doc["schema_version"], "1");
    assert_eq!(doc["counts"]["traces"], 3);
    assert_eq!(doc["counts"]["rules"], 4);
    let failed = doc["counts"]["failed"].as_u64().unwrap_or(0);
    let passed = doc["counts"]["passed"].as_u64().unwrap_or(0);
    assert_eq!(failed + passed, 12);
    assert!(r.stderr.contains("tracediag check: FAILED"), "{}", r.stderr);

    // JUnit: well-formed XML, one testcase per trace × rule, failure counts agree.
    let xml = std::fs::read_to_string(&junit).expect("junit written");
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut cases, mut failures, mut suites) = (0, 0, 0);
    let mut top_failures = None;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e)) | Ok(quick_xml::events::Event::Empty(e)) => {
                match e.name().as_ref() {
                    b"testcase" => cases += 1,
                    b"failure" => {
                        failures += 1;
                        assert!(e.try_get_attribute("message").ok().flatten().is_some());
                    }
                    b"testsuite" => suites += 1,
                    b"testsuites" => {
                        top_failures = e
                            .try_get_attribute("failures")
                            .ok()
                            .flatten()
                            .map(|a| String::from_utf8_lossy(&a.value).into_owned());
                    }
                    _ => {}
                }
            }
            Ok(_) => {}
            Err(e) => panic!("JUnit is not well-formed: {e}\n{xml}"),
        }
    }
    assert_eq!(suites, 3);
    assert_eq!(cases, 12);
    assert_eq!(failures as u64, failed);
    assert_eq!(top_failures.as_deref(), Some(failed.to_string().as_str()));
}

#[test]
fn rules_files_and_github_annotations() {
    let dir = tempfile::tempdir().expect("tempdir");
    let yaml = dir.path().join("rules.yaml");
    std::fs::write(
        &yaml,
        "rules:\n  - no-errors\n  - name: no long waits\n    rule: max-gap 5s\n",
    )
    .expect("write");
    let summary = dir.path().join("summary.md");
    let r = tracediag(
        &[
            "check",
            "--source",
            &src("execution-2193.jaeger.json"),
            "--rules",
            &yaml.display().to_string(),
        ],
        &[
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_STEP_SUMMARY", &summary.display().to_string()),
        ],
    );
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("FAIL no long waits"), "{}", r.stdout);
    assert!(
        r.stderr
            .contains("::error title=tracediag check::trace 0000000000002193: no long waits: "),
        "{}",
        r.stderr
    );
    let md = std::fs::read_to_string(&summary).expect("step summary");
    assert!(
        md.contains("| `0000000000002193` | no long waits | **FAIL** |"),
        "{md}"
    );

    let toml = dir.path().join("rules.toml");
    std::fs::write(&toml, "rules = [\"no-errors\", \"max-gap 5q\"]\n").expect("write");
    let r = tracediag(
        &[
            "check",
            "--source",
            &src("execution-2193.jaeger.json"),
            "--rules",
            &toml.display().to_string(),
        ],
        &[],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.error_line()
            .contains("rule 2: rule 'max-gap 5q': column 9:"),
        "{}",
        r.stderr
    );
}

#[test]
fn cohort_target_checks_the_traces_the_filter_selects() {
    // executions.jaeger.json holds 20 executions; failing ones have an error span.
    let run = |filter: &str| {
        tracediag(
            &[
                "check",
                "--cohort",
                filter,
                "--source",
                &src("executions.jaeger.json"),
                "-r",
                "no-errors",
                "--format",
                "json",
            ],
            &[],
        )
    };
    let ok = run("errors = 0");
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    let failing = run("errors > 0");
    assert_eq!(failing.code, 1, "{}", failing.stderr);
    let doc: serde_json::Value = serde_json::from_str(&failing.stdout).unwrap();
    assert!(doc["traces"].as_array().is_some_and(|t| !t.is_empty()));
    let typo = run("duration >> 1s");
    assert_eq!(typo.code, 2);
    assert!(typo.error_line().contains("column"), "{}", typo.stderr);
    let none = run("duration > 1000h");
    assert_eq!(none.code, 2);
    assert!(none.error_line().contains("no trace"), "{}", none.stderr);
}
