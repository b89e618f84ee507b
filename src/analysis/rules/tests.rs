use super::*;
use crate::analysis::{diagnose, Thresholds};
use crate::model::IndexedTrace;

fn case(name: &str) -> (IndexedTrace, crate::analysis::Diagnosis) {
    let path = format!("{}/testdata/{name}", env!("CARGO_MANIFEST_DIR"));
    let traces =
        crate::source::load(&path, &crate::source::Limits::default()).expect("fixture loads");
    let t = IndexedTrace::new(traces[0].clone(), Some(1_000_000_000));
    let d = diagnose(&t, &Thresholds::default());
    (t, d)
}

fn run(rule: &str, name: &str) -> RuleResult {
    let r = parse_rule(rule).unwrap_or_else(|e| panic!("{rule}: {e}"));
    let (t, d) = case(name);
    evaluate(&r, &t, &d)
}

#[test]
fn builtins_parse() {
    assert_eq!(
        parse_rule("no-errors").map(|r| r.kind),
        Ok(RuleKind::NoErrors)
    );
    assert_eq!(
        parse_rule("max-gap 5s").map(|r| r.kind),
        Ok(RuleKind::MaxGap(5_000_000_000))
    );
    assert_eq!(
        parse_rule("  max-duration 2s ").map(|r| r.kind),
        Ok(RuleKind::MaxDuration(2_000_000_000))
    );
    assert_eq!(
        parse_rule("no-n-plus-one").map(|r| r.kind),
        Ok(RuleKind::NoNPlusOne(10))
    );
    assert_eq!(
        parse_rule("no-n-plus-one 3").map(|r| r.kind),
        Ok(RuleKind::NoNPlusOne(3))
    );
}

#[test]
fn errors_point_at_the_column() {
    let cases = [
        ("max-gap 5x", 9, "invalid duration unit"),
        ("no-erors", 1, "unknown rule 'no-erors'"),
        (
            "span[service=\"db\" name~\"(\"] duration < 1s",
            24,
            "invalid regular expression",
        ),
        (
            "span[service=\"db\"] duration < fast",
            31,
            "invalid duration",
        ),
        ("span[service=\"db\"", 18, "unclosed '['"),
        (
            "span[service \"db\"] duration < 1s",
            14,
            "expected an operator",
        ),
        (
            "count(span[service=\"cache\"]) <= three",
            33,
            "expected a whole number",
        ),
        (
            "span[status=broken] duration < 1s",
            13,
            "status is error, ok or unset",
        ),
        ("no-errors please", 11, "unexpected 'please'"),
        ("span[name=\"x] duration < 1s", 11, "unterminated string"),
        ("", 1, "empty rule"),
    ];
    for (text, col, msg) in cases {
        let e = parse_rule(text).expect_err(text);
        assert_eq!(e.column, col, "{text}: {e}");
        assert!(e.message.contains(msg), "{text}: {e}");
        assert!(!e.with_rule(text).contains('\n'));
    }
}

#[test]
fn selectors_and_or_regex_descendant() {
    // n-plus-one: GET /posts → SELECT posts, 12× SELECT comments …
    let r = run(
        "count(span[name~\"^SELECT comments\"]) = 12",
        "cases/n-plus-one.jaeger.json",
    );
    assert!(r.passed, "{r:?}");
    let r = run(
        "count(span[name=\"GET /posts\"] span[name~\"SELECT\"]) >= 13",
        "cases/n-plus-one.jaeger.json",
    );
    assert!(r.passed, "{r:?}");
    let r = run(
        "count(span[name=\"GET /posts\"] > span[name=\"SELECT posts\" or name=\"nope\"]) = 1",
        "cases/n-plus-one.jaeger.json",
    );
    assert!(r.passed, "{r:?}");
    let r = run(
        "count(span[db.system=sqlite and name!~comments]) = 1",
        "cases/n-plus-one.jaeger.json",
    );
    assert!(r.passed, "{r:?}");
    let r = run(
        "count(span[name~SELECT, name=\"GET /posts\"]) >= 14",
        "cases/n-plus-one.jaeger.json",
    );
    assert!(r.passed, "{r:?}");
}

#[test]
fn span_assertions_report_evidence() {
    let r = run(
        "span[service=\"router\"] duration < 1s",
        "execution-2193.jaeger.json",
    );
    assert!(!r.passed);
    assert!(
        r.message.contains("fail duration < 1000ms"),
        "{}",
        r.message
    );
    assert!(
        r.evidence.iter().any(|e| e.contains("router.")),
        "{:?}",
        r.evidence
    );
    let r = run(
        "span[service=\"nope\"] status != error",
        "execution-2193.jaeger.json",
    );
    assert!(!r.passed);
    assert!(r.message.contains("no span matches"), "{}", r.message);
    let r = run(
        "span[service=\"api\"] status != error",
        "cases/service-timeout.jaeger.json",
    );
    assert!(!r.passed, "{r:?}");
}

#[test]
fn builtins_evaluate() {
    assert!(run("no-errors", "cases/healthy.otlp.json").passed);
    assert!(!run("no-errors", "cases/connection-failure.otlp.json").passed);
    assert!(!run("max-gap 5s", "execution-2193.jaeger.json").passed);
    assert!(run("max-gap 5s", "cases/healthy.otlp.json").passed);
    assert!(
        !run(
            "max-duration 2s",
            "cases/performance-degradation.jaeger.json"
        )
        .passed
    );
    assert!(run("max-duration 2s", "cases/healthy.otlp.json").passed);
    assert!(!run("no-broken-trace", "cases/broken-trace.otlp.json").passed);
    assert!(run("no-broken-trace", "cases/healthy.otlp.json").passed);
    assert!(!run("no-n-plus-one 10", "cases/n-plus-one.jaeger.json").passed);
    assert!(run("no-n-plus-one 20", "cases/n-plus-one.jaeger.json").passed);
    assert!(!run("no-anomalies", "execution-2193.jaeger.json").passed);
}

#[test]
fn rules_files_yaml_and_toml() {
    let yaml = "rules:\n  - no-errors\n  - name: db fast\n    rule: span[service=\"db\"] duration < 200ms\n";
    let rules = parse_rules_file("r.yaml", yaml).expect("yaml");
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[1].title(), "db fast");
    let toml = "rules = [\"no-errors\", { name = \"short\", rule = \"max-duration 2s\" }]\n";
    let rules = parse_rules_file("r.toml", toml).expect("toml");
    assert_eq!(rules[1].kind, RuleKind::MaxDuration(2_000_000_000));
    let e = parse_rules_file("r.yaml", "rules:\n  - no-errors\n  - max-gap 5q\n").expect_err("bad");
    assert!(
        e.starts_with("r.yaml: rule 2: rule 'max-gap 5q': column 9:"),
        "{e}"
    );
    assert!(parse_rules_file("r.yaml", "rule: [").is_err());
    assert!(parse_rules_file("r.toml", "rules = []").is_err());
}

#[test]
fn never_panics_on_odd_text() {
    for text in [
        "span[",
        "span[]",
        "span[ ] duration",
        "count(",
        "count(span",
        "count(span) <",
        "span > ",
        "span[a=b,]",
        "span[,a=b]",
        "span[or]",
        "]",
        "~~~",
        "!",
        "span[a=\"\\",
        "max-gap",
        "span span span",
        "count(span[a=b]) = 99999999999999999999",
        "span[x<1e309] duration < 1s",
        "ünïcödé",
        "span[ключ=\"значение\"] name = x",
    ] {
        let _ = parse_rule(text);
    }
}
