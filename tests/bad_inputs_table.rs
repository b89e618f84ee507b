//! The "Bad inputs" table of `docs/limits.md`, generated: every bad input is run through the
//! binary and its exit code and first line on stderr (or, where the input is read and the
//! problem is reported, the report's line about it) are compared with the table between
//! `<!-- bad-inputs:start -->` and `<!-- bad-inputs:end -->`. The test fails when the page
//! is stale; `TRACEDIAG_BLESS=1 cargo test --test bad_inputs_table -- --include-ignored`
//! rewrites the table.
//!
//! Needs the machine's PostgreSQL on 127.0.0.1:5432 (database `test`, user `postgres`, trust
//! auth), as `tests/postgres_source.rs` does, so it is ignored unless asked for.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::inputs;
use common::{closed_port, http_response, RawServer, Reply};

/// The page holding the table.
const PAGE: &str = "docs/limits.md";
const START: &str = "<!-- bad-inputs:start -->";
const END: &str = "<!-- bad-inputs:end -->";
const PG: &str = "postgres://postgres@127.0.0.1:5432/test";

/// One row: what is wrong, the command (run in a scratch directory holding `files`), and
/// where to look for what tracediag says.
struct Case {
    input: &'static str,
    args: Vec<String>,
    files: Vec<(&'static str, Vec<u8>)>,
    /// Read the report (stdout) line containing this instead of stderr: inputs tracediag
    /// reads and reports on rather than refuses.
    report: Option<&'static str>,
}

fn case(input: &'static str, args: &[&str], files: Vec<(&'static str, Vec<u8>)>) -> Case {
    Case {
        input,
        args: args.iter().map(|s| s.to_string()).collect(),
        files,
        report: None,
    }
}

fn file(name: &'static str, bytes: impl Into<Vec<u8>>) -> Vec<(&'static str, Vec<u8>)> {
    vec![(name, bytes.into())]
}

fn testdata(name: &str) -> Vec<u8> {
    common::read(&common::testdata(name))
}

/// An HTTP server answering every request with `reply`.
fn server(reply: Vec<u8>) -> RawServer {
    RawServer::start(vec![Reply::Bytes(reply)], 64)
}

fn json_reply(status: &str, body: &[u8]) -> Vec<u8> {
    http_response(status, &[("Content-Type", "application/json")], body)
}

/// Run one case; returns (exit code, message).
fn run(c: &Case) -> (i32, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, bytes) in &c.files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, bytes).expect("write input");
    }
    let config = dir.path().join(".config");
    let out = Command::new(env!("CARGO_BIN_EXE_tracediag"))
        .args(&c.args)
        .current_dir(dir.path())
        .env_remove("TRACEDIAG_SOURCE")
        .env_remove("TRACEDIAG_TOKEN")
        .env_remove("PGPASSWORD")
        .env("XDG_CONFIG_HOME", &config)
        .env("HOME", dir.path())
        .env("NO_COLOR", "1")
        .env("COLUMNS", "200")
        .stdin(Stdio::null())
        .output()
        .expect("run tracediag");
    let code = out.status.code().unwrap_or(-1);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = match c.report {
        Some(needle) => stdout
            .lines()
            .find(|l| l.starts_with("- ") && l.contains(needle))
            .map(|l| format!("(in the report) {}", l.trim_start_matches("- ")))
            .unwrap_or_else(|| panic!("{}: no report line with {needle:?}:\n{stdout}", c.input)),
        None => stderr
            .lines()
            .next()
            .unwrap_or_else(|| panic!("{}: nothing on stderr (exit {code})", c.input))
            .to_string(),
    };
    // The config file is under the scratch HOME.
    let line = line.replace(&dir.path().display().to_string(), "~");
    (code, normalise(&line))
}

/// Ports of the test servers change from run to run.
fn normalise(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(i) = rest.find("127.0.0.1:") {
        let (head, tail) = rest.split_at(i + "127.0.0.1:".len());
        out.push_str(head);
        let digits = tail.chars().take_while(char::is_ascii_digit).count();
        let port = &tail[..digits];
        out.push_str(if port == "5432" { port } else { "PORT" });
        rest = &tail[digits..];
    }
    out.push_str(rest);
    out
}

/// A Markdown table cell: inline code, with pipes escaped for the table.
fn inline_code(text: &str) -> String {
    let ticks = if text.contains('`') { "``" } else { "`" };
    let pad = if text.contains('`') { " " } else { "" };
    format!("{ticks}{pad}{}{pad}{ticks}", text.replace('|', "\\|"))
}

fn table(rows: &[(String, String, i32, String)]) -> String {
    let mut t = String::from(
        "| Bad input | Command | Exit | First line tracediag prints |\n|---|---|---|---|\n",
    );
    for (input, cmd, code, line) in rows {
        t.push_str(&format!(
            "| {input} | {} | {code} | {} |\n",
            inline_code(cmd),
            inline_code(line)
        ));
    }
    t
}

/// The command as a reader would type it: arguments with spaces or quotes single-quoted.
fn shown(args: &[String]) -> String {
    let mut parts = vec!["tracediag".to_string()];
    for a in args {
        if a.is_empty()
            || a.chars()
                .any(|c| c.is_whitespace() || "'\"<>;&|$*?()[]{}".contains(c))
        {
            parts.push(format!("'{}'", a.replace('\'', r"'\''")));
        } else {
            parts.push(normalise(a));
        }
    }
    parts.join(" ")
}

#[test]
#[ignore = "needs PostgreSQL on 127.0.0.1:5432 (database test)"]
fn readme_bad_inputs_table_is_current() {
    common::require_postgres();
    let closed = closed_port();
    let http_500 = server(http_response(
        "500 Internal Server Error",
        &[("Content-Type", "text/plain")],
        b"storage backend unavailable",
    ));
    let http_429 = server(http_response(
        "429 Too Many Requests",
        &[("Content-Type", "text/plain"), ("Retry-After", "120")],
        b"slow down",
    ));
    let html = server(http_response(
        "200 OK",
        &[("Content-Type", "text/html")],
        b"<!DOCTYPE html><html><head><title>Sign in</title></head><body>Please log in</body></html>",
    ));
    let not_json = server(json_reply("200 OK", br#"{"services": ["api", "db"#));
    let unauthorised = server(http_response(
        "401 Unauthorized",
        &[("Content-Type", "text/plain")],
        b"unauthorized",
    ));
    let big = server(json_reply(
        "200 OK",
        format!(r#"{{"services":["{}"]}}"#, "s".repeat(4096)).as_bytes(),
    ));
    let not_found = RawServer::start(
        vec![
            Reply::Bytes(http_response("404 Not Found", &[], b"404 page not found")),
            Reply::Bytes(json_reply("404 Not Found", inputs::JAEGER_NOT_FOUND)),
        ],
        64,
    );
    let jaeger = |s: &RawServer| format!("jaeger+{}", s.url());
    let closed_url = format!("jaeger+http://127.0.0.1:{closed}");

    let trace_json = || file("trace.json", inputs::JAEGER);
    let cases = vec![
        case(
            "Malformed JSON",
            &["diagnose", "--source", "trace.json"],
            file("trace.json", inputs::MALFORMED_JSON),
        ),
        case(
            "Truncated JSON",
            &["diagnose", "--source", "trace.json"],
            file("trace.json", inputs::truncated_json()),
        ),
        case(
            "Empty file",
            &["diagnose", "--source", "trace.json"],
            file("trace.json", ""),
        ),
        case(
            "Binary garbage",
            &["diagnose", "--source", "trace.bin"],
            file("trace.bin", inputs::binary_garbage()),
        ),
        case(
            "Corrupt gzip",
            &["diagnose", "--source", "trace.json.gz"],
            file("trace.json.gz", inputs::CORRUPT_GZIP),
        ),
        case(
            "JSON that is not a trace",
            &["diagnose", "--source", "data.json"],
            file("data.json", inputs::NOT_A_TRACE),
        ),
        case(
            "Text that is not a span CSV",
            &["diagnose", "--source", "notes.txt"],
            file("notes.txt", inputs::PLAIN_TEXT),
        ),
        case(
            "Span CSV without a required column",
            &["diagnose", "--source", "spans.csv"],
            file("spans.csv", inputs::CSV_WITHOUT_OPERATION),
        ),
        case(
            "JSON nested 100,000 deep",
            &["diagnose", "--source", "deep.json"],
            file("deep.json", inputs::deeply_nested_json()),
        ),
        case(
            "Jaeger's \"trace not found\" saved as a file",
            &["diagnose", "--source", "trace.json"],
            file("trace.json", inputs::JAEGER_NOT_FOUND),
        ),
        case(
            "File that does not exist",
            &["diagnose", "--source", "missing.json"],
            vec![],
        ),
        case("No source given", &["diagnose"], vec![]),
        case(
            "Unknown trace id",
            &["diagnose", "999", "--source", "trace.json"],
            trace_json(),
        ),
        case(
            "No trace id, several traces",
            &["diagnose", "--source", "executions.json"],
            file("executions.json", testdata("executions.jaeger.json")),
        ),
        Case {
            report: Some("orphan"),
            ..case(
                "Missing parent span",
                &["diagnose", "--source", "trace.json", "--format", "markdown"],
                file(
                    "trace.json",
                    inputs::jaeger_tree(&[("1", None), ("2", Some("1")), ("3", Some("ff"))]),
                ),
            )
        },
        Case {
            report: Some("cycle"),
            ..case(
                "Parent cycle",
                &["diagnose", "--source", "trace.json", "--format", "markdown"],
                file(
                    "trace.json",
                    inputs::jaeger_tree(&[
                        ("1", None),
                        ("a", Some("c")),
                        ("b", Some("a")),
                        ("c", Some("b")),
                    ]),
                ),
            )
        },
        Case {
            report: Some("duplicate"),
            ..case(
                "Duplicate span ids",
                &["diagnose", "--source", "trace.json", "--format", "markdown"],
                file(
                    "trace.json",
                    inputs::jaeger_tree(&[("1", None), ("2", Some("1")), ("2", Some("1"))]),
                ),
            )
        },
        case(
            "Attribute over 64 KiB (`--max-attr-size`)",
            &["diagnose", "--source", "trace.json"],
            file("trace.json", inputs::jaeger_with_attribute(100_000)),
        ),
        case(
            "More spans than `--max-trace-spans`",
            &[
                "diagnose",
                "--source",
                "trace.json",
                "--max-trace-spans",
                "1",
            ],
            trace_json(),
        ),
        case(
            "Deeper than `--max-depth` (10,000)",
            &["diagnose", "--source", "chain.json"],
            file("chain.json", inputs::jaeger_chain(10_001)),
        ),
        case(
            "Gzip bomb (1 GiB inflated)",
            &["diagnose", "--source", "bomb.json.gz"],
            file("bomb.json.gz", inputs::gzip_bomb(1024)),
        ),
        case(
            "File over `--max-response-size`",
            &[
                "diagnose",
                "--source",
                "trace.json",
                "--max-response-size",
                "100",
            ],
            trace_json(),
        ),
        case(
            "Nothing listening",
            &["services", "--source", &closed_url],
            vec![],
        ),
        case(
            "HTTP 500 (after 3 attempts)",
            &["services", "--source", &jaeger(&http_500)],
            vec![],
        ),
        case(
            "HTTP 429 with a long Retry-After",
            &["services", "--source", &jaeger(&http_429)],
            vec![],
        ),
        case(
            "HTML login page instead of JSON",
            &["services", "--source", &jaeger(&html)],
            vec![],
        ),
        case(
            "Malformed JSON from the server",
            &["services", "--source", &jaeger(&not_json)],
            vec![],
        ),
        case(
            "HTTP 401",
            &["services", "--source", &jaeger(&unauthorised)],
            vec![],
        ),
        case(
            "Response over `--max-response-size`",
            &[
                "services",
                "--source",
                &jaeger(&big),
                "--max-response-size",
                "1KiB",
            ],
            vec![],
        ),
        case(
            "Unknown trace id on Jaeger (404)",
            &[
                "diagnose",
                "4bf92f3577b34da6",
                "--source",
                &jaeger(&not_found),
            ],
            vec![],
        ),
        case(
            "Wrong Postgres user or password",
            &[
                "services",
                "--source",
                "postgres://no_such_role_tracediag:secret@127.0.0.1:5432/test",
            ],
            vec![],
        ),
        case(
            "Postgres table that does not exist",
            &["services", "--source", &format!("{PG}?table=no_such_table")],
            vec![],
        ),
        case(
            "SQL in the table name",
            &[
                "services",
                "--source",
                &format!("{PG}?table=spans;DROP TABLE users"),
            ],
            vec![],
        ),
        case(
            "Bad cohort filter",
            &[
                "cohorts",
                "--a",
                "duration > 1x",
                "--source",
                "executions.json",
            ],
            file("executions.json", testdata("executions.jaeger.json")),
        ),
        case(
            "Bad rule",
            &["check", "--rule", "max-gap 5q", "--source", "trace.json"],
            trace_json(),
        ),
        case(
            "Rules file that is not YAML",
            &["check", "--rules", "rules.yaml", "--source", "trace.json"],
            {
                let mut f = trace_json();
                f.push(("rules.yaml", b"rules: [no-errors\n  - max-gap: [".to_vec()));
                f
            },
        ),
        case(
            "Unknown rule in a rules file",
            &["check", "--rules", "rules.yaml", "--source", "trace.json"],
            {
                let mut f = trace_json();
                f.push(("rules.yaml", b"rules:\n  - no-errrors\n".to_vec()));
                f
            },
        ),
        case(
            "Bad flag value",
            &[
                "diagnose",
                "--source",
                "trace.json",
                "--gap-threshold",
                "5q",
            ],
            trace_json(),
        ),
        case(
            "Config file with an unknown key",
            &["diagnose", "--source", "trace.json"],
            {
                let mut f = trace_json();
                f.push((
                    ".config/tracediag/config.toml",
                    b"[defaults]\nformat = \"json\"\ntimeuot = \"5s\"\n".to_vec(),
                ));
                f
            },
        ),
    ];
    let rows: Vec<(String, String, i32, String)> = cases
        .iter()
        .map(|c| {
            let (code, line) = run(c);
            (c.input.to_string(), shown(&c.args), code, line)
        })
        .collect();
    for (input, _, _, line) in &rows {
        assert!(
            !line.contains('\n') && !line.is_empty(),
            "{input}: one line: {line:?}"
        );
    }
    let generated = table(&rows);

    let page_path = Path::new(env!("CARGO_MANIFEST_DIR")).join(PAGE);
    let page = std::fs::read_to_string(&page_path).unwrap_or_else(|e| panic!("{PAGE}: {e}"));
    let (Some(a), Some(b)) = (page.find(START), page.find(END)) else {
        panic!("{PAGE} has no {START} … {END} markers");
    };
    let current = &page[a + START.len()..b];
    let want = format!("\n{generated}");
    if current == want {
        return;
    }
    if std::env::var_os("TRACEDIAG_BLESS").is_some() {
        let updated = format!("{}{START}{want}{}", &page[..a], &page[b..]);
        std::fs::write(&page_path, updated).unwrap_or_else(|e| panic!("write {PAGE}: {e}"));
        return;
    }
    panic!(
        "{PAGE}'s bad-inputs table is stale; regenerate it with \
         `TRACEDIAG_BLESS=1 cargo test --test bad_inputs_table -- --include-ignored`.\nGenerated:\n{generated}"
    );
}
