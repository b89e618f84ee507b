//! The committed completions and man pages must match the clap definitions.
//! Regenerate with: `TRACEDIAG_BLESS=1 cargo test --test generated_docs`.

use std::path::Path;

fn check(dir: &str, files: Vec<(String, Vec<u8>)>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let bless = std::env::var_os("TRACEDIAG_BLESS").is_some();
    let mut stale = Vec::new();
    for (name, want) in &files {
        let path = root.join(name);
        if bless {
            std::fs::create_dir_all(&root).unwrap();
            std::fs::write(&path, want).unwrap();
            continue;
        }
        match std::fs::read(&path) {
            Ok(have) if &have == want => {}
            _ => stale.push(name.clone()),
        }
    }
    // Nothing extra may linger either: a removed subcommand must lose its page.
    let expected: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    for entry in std::fs::read_dir(&root).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !expected.contains(&name.as_str()) {
            if bless {
                std::fs::remove_file(root.join(&name)).unwrap();
            } else {
                stale.push(format!("{name} (no longer generated)"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "{dir}/ is stale: {stale:?}; regenerate with `TRACEDIAG_BLESS=1 cargo test --test generated_docs`"
    );
}

#[test]
fn completions_are_current() {
    check("completions", tracediag::cli::docs::completions());
}

#[test]
fn man_pages_are_current() {
    check("man", tracediag::cli::docs::man_pages().unwrap());
}

#[test]
fn every_subcommand_has_a_man_page() {
    let pages = tracediag::cli::docs::man_pages().unwrap();
    for sub in [
        "diagnose",
        "gaps",
        "root-cause",
        "timeline",
        "summary",
        "similar",
        "compare",
        "stats",
    ] {
        assert!(
            pages
                .iter()
                .any(|(n, _)| n == &format!("tracediag-{sub}.1")),
            "no man page for {sub}"
        );
    }
}
