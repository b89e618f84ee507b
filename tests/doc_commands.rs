//! Every `tracediag …` command shown in a code block of the README or a `docs/` page parses
//! with today's command-line definitions (and settles into options), so the docs cannot
//! drift from the CLI. A failure names the page and line.

#[path = "common/shell.rs"]
mod shell;

use std::path::Path;

use shell::{commands, pages, tokenize, tracediag_argv};

/// Code blocks in these languages hold commands (`yaml`: CI workflow steps).
const SHELL_BLOCKS: &[&str] = &["", "sh", "bash", "shell", "console", "zsh", "yaml", "yml"];

/// (line number, logical line) of every line inside a fenced code block whose language
/// holds commands; lines ending in `\` are joined with the next.
fn code_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut fence: Option<(String, bool)> = None;
    let mut pending: Option<(usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let ticks = trimmed.chars().take_while(|&c| c == '`').count();
        match &fence {
            None if ticks >= 3 => {
                let lang = trimmed[ticks..].trim().to_ascii_lowercase();
                let shell = SHELL_BLOCKS.contains(&lang.as_str());
                fence = Some((trimmed[..ticks].to_string(), shell));
            }
            None => {}
            Some((open, _)) if ticks >= open.len() && trimmed[ticks..].trim().is_empty() => {
                fence = None;
                if let Some(p) = pending.take() {
                    out.push(p);
                }
            }
            Some((_, false)) => {}
            Some((_, true)) => {
                let (start, mut joined) = pending.take().unwrap_or((i + 1, String::new()));
                joined.push_str(line);
                if line.ends_with('\\') {
                    joined.push('\n');
                    pending = Some((start, joined));
                } else {
                    out.push((start, joined));
                }
            }
        }
    }
    out
}

/// Every command line that runs tracediag: (page, line, argv).
fn documented_commands() -> Vec<(String, usize, Vec<String>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for page in pages() {
        let name = page
            .strip_prefix(root)
            .unwrap_or(&page)
            .display()
            .to_string();
        let text = std::fs::read_to_string(&page).expect("readable page");
        for (line, code) in code_lines(&text) {
            if !code.contains("tracediag") && !code.contains("cargo run") {
                continue;
            }
            let cmds = commands(&code)
                .unwrap_or_else(|e| panic!("{name}:{line}: cannot split `{code}`: {e}"));
            for words in cmds {
                if let Some(argv) = tracediag_argv(&words) {
                    found.push((name.clone(), line, argv));
                }
            }
        }
    }
    found
}

#[test]
fn every_documented_command_parses() {
    let found = documented_commands();
    assert!(
        found.len() >= 30,
        "only {} tracediag commands found in README.md and docs/: is the extraction broken?",
        found.len()
    );
    let mut failures = Vec::new();
    for (page, line, argv) in &found {
        let shown = argv.join(" ");
        let result = match tracediag::cli::parse_from(argv.iter().cloned()) {
            Ok(cli) => tracediag::cli::invocation(cli)
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Err(e) if !e.use_stderr() => Ok(()), // --help, --version
            Err(e) => Err(tracediag::cli::first_line(&e)),
        };
        if let Err(e) = result {
            failures.push(format!("{page}:{line}: `{shown}`: {e}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} documented command(s) do not parse:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_readme_shows_its_two_commands() {
    let found = documented_commands();
    let readme: Vec<String> = found
        .iter()
        .filter(|(page, _, _)| page == "README.md")
        .map(|(_, _, argv)| argv.join(" "))
        .collect();
    assert!(
        readme.contains(
            &"tracediag diagnose 2193 --source testdata/execution-2193.jaeger.json".to_string()
        ),
        "{readme:?}"
    );
}

#[test]
fn the_shell_reader_splits_like_sh() {
    let w = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let cmds = commands("curl -s 'http://x/a b' | tracediag diagnose --source - # note").unwrap();
    assert_eq!(
        cmds,
        vec![
            w(&["curl", "-s", "http://x/a b"]),
            w(&["tracediag", "diagnose", "--source", "-"])
        ]
    );
    let cmds = commands(
        "X=1 tracediag check --rule \"span[service=\\\"db\\\"] duration < 1s\" \\\n  --since 1d > out.txt 2>&1",
    )
    .unwrap();
    assert_eq!(
        cmds,
        vec![w(&[
            "tracediag",
            "check",
            "--rule",
            "span[service=\"db\"] duration < 1s",
            "--since",
            "1d"
        ])]
    );
    assert!(tokenize("tracediag 'open").is_err());
    let run = w(&["cargo", "run", "--release", "--", "diagnose", "2193"]);
    assert_eq!(
        tracediag_argv(&run),
        Some(w(&["tracediag", "diagnose", "2193"]))
    );
    assert_eq!(tracediag_argv(&w(&["cargo", "test"])), None);
    let lines = code_lines("text\n```sh\ntracediag a \\\n  b\n```\n```text\ntracediag c\n```\n");
    assert_eq!(lines, vec![(3, "tracediag a \\\n  b".to_string())]);
}
