//! Every input a fuzz target once crashed on (`tests/fuzz/regressions/<target>/`), replayed
//! through the target's own entry point (`tests/fuzz/src/lib.rs`): each must be accepted or
//! refused with a one-line message, never panic.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

#[path = "fuzz/src/lib.rs"]
mod harness;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fuzz/regressions");

#[test]
fn regression_inputs_are_handled_cleanly() {
    let mut replayed = 0;
    let mut failures = Vec::new();
    for &(target, run) in harness::TARGETS {
        let dir = Path::new(DIR).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        files.sort();
        for path in files {
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let name = format!(
                "{target}/{}",
                path.file_name().unwrap_or_default().to_string_lossy()
            );
            replayed += 1;
            match catch_unwind(AssertUnwindSafe(|| run(&bytes))) {
                Ok(Ok(())) => {}
                Ok(Err(msg)) if msg.trim().is_empty() || msg.contains('\n') => {
                    failures.push(format!("{name}: not a one-line error: {msg:?}"));
                }
                Ok(Err(_)) => {}
                Err(_) => failures.push(format!("{name}: panicked")),
            }
        }
    }
    assert!(replayed > 0, "no regression inputs found under {DIR}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A folder under `regressions/` that names no target would never be replayed.
#[test]
fn every_regression_folder_is_a_target() {
    for entry in std::fs::read_dir(DIR).unwrap_or_else(|e| panic!("{DIR}: {e}")) {
        let name = entry.map(|e| e.file_name().to_string_lossy().into_owned());
        let name = name.unwrap_or_default();
        assert!(
            harness::TARGETS.iter().any(|(t, _)| *t == name),
            "tests/fuzz/regressions/{name} is not a fuzz target"
        );
    }
}
