//! The example outputs in the README and `docs/` are generated: each block between
//! `<!-- output: tracediag … -->` and `<!-- output:end -->` must be exactly what that command
//! prints (stdout) when run from the repository root on `testdata/`. The test fails when a
//! block is stale; `TRACEDIAG_BLESS=1 cargo test --test doc_examples` rewrites them.

#[path = "common/shell.rs"]
mod shell;

use shell::pages;

use std::path::Path;
use std::process::{Command, Stdio};

const START: &str = "<!-- output: ";
const END: &str = "<!-- output:end -->";

/// What `command` (a `tracediag …` line) prints, run from the repository root with an empty
/// config, no colour and none of the user's tracediag variables. Exit 0 or 1 (findings).
fn output_of(command: &str) -> Result<String, String> {
    let words = shell::commands(command)?;
    let [words] = words.as_slice() else {
        return Err("expected one command".into());
    };
    let argv = shell::tracediag_argv(words).ok_or("not a tracediag command")?;
    let config = tempfile::tempdir().map_err(|e| e.to_string())?;
    let out = Command::new(env!("CARGO_BIN_EXE_tracediag"))
        .args(&argv[1..])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("TRACEDIAG_SOURCE")
        .env_remove("TRACEDIAG_TOKEN")
        .env("XDG_CONFIG_HOME", config.path())
        .env("HOME", config.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| e.to_string())?;
    let code = out.status.code().unwrap_or(-1);
    if !matches!(code, 0 | 1) || out.stdout.is_empty() {
        return Err(format!(
            "exit {code}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    String::from_utf8(out.stdout).map_err(|e| e.to_string())
}

/// The page with every example block filled from its command; and the commands whose block
/// differed.
fn regenerate(name: &str, text: &str) -> (String, Vec<String>, usize) {
    let mut out = String::new();
    let mut stale = Vec::new();
    let mut count = 0;
    let mut rest = text;
    while let Some(i) = rest.find(START) {
        let line = text.len() - rest.len() + i;
        let line_no = text[..line].lines().count() + 1;
        let after = &rest[i + START.len()..];
        let close = after
            .find("-->")
            .unwrap_or_else(|| panic!("{name}:{line_no}: unclosed output marker"));
        let command = after[..close].trim();
        let body_start = i + START.len() + close + "-->".len();
        let end = rest[body_start..]
            .find(END)
            .unwrap_or_else(|| panic!("{name}:{line_no}: no {END} after the output marker"))
            + body_start;
        let have = &rest[body_start..end];
        let printed = output_of(command)
            .unwrap_or_else(|e| panic!("{name}:{line_no}: `{command}` failed: {e}"));
        let want = format!("\n```text\n{}```\n", printed);
        if have != want {
            stale.push(format!("{name}:{line_no}: {command}"));
        }
        out.push_str(&rest[..body_start]);
        out.push_str(&want);
        out.push_str(END);
        rest = &rest[end + END.len()..];
        count += 1;
    }
    out.push_str(rest);
    (out, stale, count)
}

#[test]
fn example_outputs_are_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bless = std::env::var_os("TRACEDIAG_BLESS").is_some();
    let mut stale = Vec::new();
    let mut examples = Vec::new();
    for page in pages() {
        let name = page
            .strip_prefix(root)
            .unwrap_or(&page)
            .display()
            .to_string();
        let text = std::fs::read_to_string(&page).expect("readable page");
        let (updated, page_stale, count) = regenerate(&name, &text);
        if count > 0 {
            examples.push(name.clone());
        }
        if bless && updated != text {
            std::fs::write(&page, updated).expect("write page");
        } else {
            stale.extend(page_stale);
        }
    }
    for must in ["README.md", "docs/diagnose.md", "docs/across-traces.md"] {
        assert!(
            examples.iter().any(|e| e == must),
            "{must} has no generated example output"
        );
    }
    assert!(
        stale.is_empty(),
        "example outputs are stale (regenerate with `TRACEDIAG_BLESS=1 cargo test --test doc_examples`):\n{}",
        stale.join("\n")
    );
}
