//! Run a program as a child to completion: its wall time, its own peak RSS (wait4, so a
//! large parent's pages never count) and its standard output.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A finished child: wall time, peak RSS in bytes, stdout.
pub struct Run {
    pub wall: Duration,
    pub rss: u64,
    pub stdout: String,
}

/// Run `cmd` to completion, timing it and reading its own peak RSS from wait4; panics with
/// its stderr when it fails.
pub fn run(cmd: &mut Command, what: &str) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("out");
    let err_path = dir.path().join("err");
    cmd.stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap());
    let t = Instant::now();
    // Reaped by wait4 below, which also gives the child's own rusage.
    #[allow(clippy::zombie_processes)]
    let child = cmd.spawn().unwrap_or_else(|e| panic!("{what}: {e}"));
    let mut status = 0;
    // SAFETY: wait4 writes into the zeroed rusage and the status int we pass.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::wait4(child.id() as i32, &mut status, 0, &mut usage);
        usage
    };
    let wall = t.elapsed();
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    assert!(
        ok,
        "{what} failed: {}",
        std::fs::read_to_string(&err_path).unwrap_or_default()
    );
    Run {
        wall,
        rss: usage.ru_maxrss as u64 * 1024,
        stdout: std::fs::read_to_string(&out_path).unwrap_or_default(),
    }
}
