//! JUnit XML for `check --junit`: the Ant/Surefire layout CI servers read (Jenkins, GitLab,
//! GitHub test reporters). One `<testsuite>` per trace, one `<testcase>` per rule; a failed
//! rule is a `<failure>` whose message is the one-line result and whose body is the evidence;
//! an unreadable trace is one `<error>` test case.

use super::check::CheckDoc;

/// Escape text for XML 1.0 content and attributes. Characters XML 1.0 cannot carry at all
/// (most C0 controls) become `\xNN` so the document stays well-formed whatever the trace holds.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c, '\u{fffe}' | '\u{ffff}') => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

pub fn render(doc: &CheckDoc) -> String {
    let c = &doc.counts;
    let tests: usize = doc
        .traces
        .iter()
        // `check --run` can have both: a failed command and a trace that never arrived.
        .map(|t| usize::from(t.error.is_some()) + t.results.len())
        .sum::<usize>()
        + doc
            .run
            .as_ref()
            .map_or(0, |r| 2 * usize::from(r.baseline.is_some()));
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str(&format!(
        "<testsuites name=\"tracediag check\" tests=\"{tests}\" failures=\"{}\" errors=\"{}\" time=\"0\">\n",
        c.failed, c.errors
    ));
    for t in &doc.traces {
        let failures = t.results.iter().filter(|r| !r.passed).count();
        let errors = usize::from(t.error.is_some());
        let n = errors + t.results.len();
        x.push_str(&format!(
            "  <testsuite name=\"trace {}\" tests=\"{n}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\" time=\"0\">\n",
            escape(&t.trace_id)
        ));
        let class = format!("tracediag.check.{}", escape(&t.trace_id));
        if let Some(e) = &t.error {
            x.push_str(&format!(
                "    <testcase classname=\"{class}\" name=\"load trace\" time=\"0\">\n      <error message=\"{}\" type=\"trace\"/>\n    </testcase>\n",
                escape(e)
            ));
        }
        for r in &t.results {
            let name = escape(r.name.as_deref().unwrap_or(&r.rule));
            if r.passed {
                x.push_str(&format!(
                    "    <testcase classname=\"{class}\" name=\"{name}\" time=\"0\"/>\n"
                ));
            } else {
                let mut body = format!("rule: {}\n", r.rule);
                for e in &r.evidence {
                    body.push_str(e);
                    body.push('\n');
                }
                x.push_str(&format!(
                    "    <testcase classname=\"{class}\" name=\"{name}\" time=\"0\">\n      <failure message=\"{}\" type=\"rule\">{}</failure>\n    </testcase>\n",
                    escape(&r.message),
                    escape(&body)
                ));
            }
        }
        x.push_str("  </testsuite>\n");
    }
    if let Some(b) = doc.run.as_ref().and_then(|r| r.baseline.as_ref()) {
        x.push_str(&baseline_suite(b));
    }
    x.push_str("</testsuites>\n");
    x
}

/// `check --run --baseline-report`: the p95 ratchet and the new error origins, one test
/// case each.
fn baseline_suite(b: &super::check_run::BaselineComparisonDoc) -> String {
    let p95_failed = b.growth.is_some_and(|g| g > b.max_regression);
    let origins_failed = !b.new_error_origins.is_empty();
    let failures = usize::from(p95_failed) + usize::from(origins_failed);
    let mut x = format!(
        "  <testsuite name=\"baseline {}\" tests=\"2\" failures=\"{failures}\" errors=\"0\" skipped=\"0\" time=\"0\">\n",
        escape(&b.path)
    );
    let cases = [
        ("root duration p95", p95_failed, b.line()),
        (
            "no new error origin",
            origins_failed,
            format!("new: {}", b.new_error_origins.join(", ")),
        ),
    ];
    for (name, failed, message) in cases {
        if failed {
            x.push_str(&format!(
                "    <testcase classname=\"tracediag.check.baseline\" name=\"{name}\" time=\"0\">\n      <failure message=\"{}\" type=\"baseline\"/>\n    </testcase>\n",
                escape(&message)
            ));
        } else {
            x.push_str(&format!(
                "    <testcase classname=\"tracediag.check.baseline\" name=\"{name}\" time=\"0\"/>\n"
            ));
        }
    }
    x.push_str("  </testsuite>\n");
    x
}
