//! Ctrl-C, handled once for the whole process.
//!
//! By default Ctrl-C ends the process at once with exit code 130 (128 + SIGINT), also in the
//! middle of a fetch of many traces: nothing waits for a slow server. Files are never left
//! half-written: every output file is written through [`write_atomic`] (a temporary file in
//! the same directory, renamed into place), and writing holds a lock the handler takes before
//! exiting, so an interrupted process leaves either the whole file or nothing.
//!
//! A command that wants to stop cleanly itself (`profile trigger` keeps what it collected)
//! holds a [`Deferred`] guard and polls [`interrupted`]; it then exits 130 on its own. A second
//! Ctrl-C still ends the process at once, removing the directories it registered with
//! [`Deferred::track`] that were not finished.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use crate::error::{exit, Error, Result};

/// Set by the first Ctrl-C.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
/// Commands currently handling Ctrl-C themselves.
static DEFERRED: AtomicUsize = AtomicUsize::new(0);
/// Held while an output is being written or moved into place, and by the handler while it
/// cleans up and exits. Holds the temporary directories to remove on a hard exit.
static WRITING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn lock() -> MutexGuard<'static, Vec<PathBuf>> {
    WRITING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Install the process's Ctrl-C handler. Called once, by `main`; a second call (or a library
/// user's own handler) is ignored.
pub fn install() {
    let _ = ctrlc::set_handler(on_interrupt);
}

fn on_interrupt() {
    let first = !INTERRUPTED.swap(true, Ordering::SeqCst);
    if first && DEFERRED.load(Ordering::SeqCst) > 0 {
        return; // the command stops at its next check and exits 130 itself
    }
    // Wait for a write in progress to finish (its file is whole then), and keep the lock:
    // no write can start between the clean-up and the exit.
    let leftovers = lock();
    for dir in leftovers.iter() {
        let _ = std::fs::remove_dir_all(dir);
    }
    let mut err = std::io::stderr().lock();
    if err.is_terminal() {
        let _ = write!(err, "\r\x1b[2K"); // over a progress bar
    }
    let _ = writeln!(err, "tracediag: interrupted");
    let _ = err.flush();
    std::process::exit(exit::INTERRUPTED);
}

/// The flag the first Ctrl-C sets, for code that takes an `&AtomicBool` to stop on.
pub fn flag() -> &'static AtomicBool {
    &INTERRUPTED
}

/// Whether Ctrl-C was pressed.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// While alive, the first Ctrl-C only sets [`interrupted`]; the command checks it and exits
/// with [`exit::INTERRUPTED`] after tidying up.
pub struct Deferred {
    tracked: Vec<PathBuf>,
}

/// Handle Ctrl-C in the calling command (see [`Deferred`]).
pub fn defer() -> Deferred {
    DEFERRED.fetch_add(1, Ordering::SeqCst);
    Deferred {
        tracked: Vec::new(),
    }
}

impl Deferred {
    /// Remove `dir` if the process is ended by a second Ctrl-C before [`Deferred::untrack`].
    pub fn track(&mut self, dir: &Path) {
        lock().push(dir.to_path_buf());
        self.tracked.push(dir.to_path_buf());
    }

    /// `dir` was finished or removed by its owner.
    pub fn untrack(&mut self, dir: &Path) {
        lock().retain(|d| d != dir);
        self.tracked.retain(|d| d != dir);
    }
}

impl Drop for Deferred {
    fn drop(&mut self) {
        let mut dirs = lock();
        dirs.retain(|d| !self.tracked.contains(d));
        DEFERRED.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Run `f` (a file operation) so that Ctrl-C cannot end the process half-way through it.
/// Not reentrant: `f` must not call [`critical`] or [`write_atomic`].
pub fn critical<T>(f: impl FnOnce() -> T) -> T {
    let _guard = lock();
    f()
}

/// Write `bytes` to `path` through a temporary file in the same directory, renamed into
/// place: a reader never sees half a file, and Ctrl-C leaves the whole file or none.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |source| Error::Io {
        what: path.display().to_string(),
        source,
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "out".into());
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    critical(|| {
        std::fs::write(&tmp, bytes).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            io(e)
        })?;
        std::fs::rename(&tmp, path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            io(e)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_files_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("out.xml");
        assert!(write_atomic(&path, b"one").is_ok());
        assert!(write_atomic(&path, b"two").is_ok());
        assert_eq!(std::fs::read(&path).ok(), Some(b"two".to_vec()));
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(names, vec!["out.xml".to_string()]);
        // A directory that does not exist is an error naming the path, and leaves nothing.
        let bad = dir.path().join("missing").join("out.xml");
        let e = write_atomic(&bad, b"x").err().map(|e| e.to_string());
        assert!(e.is_some_and(|e| e.contains("missing/out.xml")));
    }
}
