//! End to end against a real profiler: a small Python service (standard library only) with a
//! slow and a fast code path, driven by this test, profiled with py-spy by `profile trigger`
//! (which watches the trace file the service appends to), then `profile compare` must rank
//! the slow path's function first with high significance.
//!
//! Needs `python3` and `py-spy` (`pip install py-spy`; `.ci/run` installs it) and the right
//! to ptrace (root, or ptrace_scope 0), so it is ignored unless asked for
//! (`--include-ignored`). When py-spy is missing or cannot attach, the test fails and says
//! why: it never passes without having profiled anything.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

struct KillOnDrop(Child);
impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(port: u16, path: &str) {
    if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
        let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
        let _ = s.write_all(format!("GET {path} HTTP/1.0\r\nHost: x\r\n\r\n").as_bytes());
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf);
    }
}

/// Start `tests/data/pysvc.py` (on a thread per request with `threads`), appending its
/// traces to `traces`; returns it and its port.
fn start_service(dir: &Path, traces: &Path, threads: bool) -> (KillOnDrop, u16) {
    let port_file = dir.join("port");
    std::fs::write(traces, "").unwrap_or_else(|e| panic!("{e}"));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pysvc.py");
    let service = KillOnDrop(
        Command::new("python3")
            .arg(&script)
            .arg(traces)
            .arg(&port_file)
            .args(threads.then_some("threads"))
            .stdin(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start python3: {e}")),
    );
    let started = Instant::now();
    loop {
        if let Ok(s) = std::fs::read_to_string(&port_file) {
            if let Ok(p) = s.trim().parse() {
                return (service, p);
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the Python service did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The README's collector: py-spy writing raw folded stacks, by function, without pausing
/// the service.
fn readme_collector(pid: u32) -> String {
    format!(
        "py-spy record --format raw -F -r {{hz}} -d {{seconds}} -o {{out}} --pid {pid} --nonblocking"
    )
}

#[test]
#[ignore = "needs python3, py-spy and the right to ptrace"]
fn trigger_and_compare_with_py_spy() {
    common::require_program("python3");
    common::require_program("py-spy");
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let traces = dir.path().join("traces.jsonl");
    let (service, port) = start_service(dir.path(), &traces, false);
    let pid = service.0.id();

    // Drive the service: alternate 4 s of slow requests and 4 s of fast ones until told to stop.
    let done = Arc::new(AtomicBool::new(false));
    let driver = {
        let done = done.clone();
        std::thread::spawn(move || {
            let t0 = Instant::now();
            while !done.load(Ordering::Relaxed) && t0.elapsed() < Duration::from_secs(150) {
                let slow = (t0.elapsed().as_secs() / 4) % 2 == 0;
                get(port, if slow { "/slow" } else { "/fast" });
                if !slow {
                    std::thread::sleep(Duration::from_millis(2));
                }
            }
        })
    };

    let slow_dir = dir.path().join("slow");
    let fast_dir = dir.path().join("fast");
    let collector = readme_collector(pid);
    let bin = env!("CARGO_BIN_EXE_tracediag");
    let trigger = Command::new(bin)
        .args([
            "profile",
            "trigger",
            "--service",
            "pysvc",
            "--min-duration",
            "80ms",
        ])
        .args([
            "--count",
            "90",
            "--max-wait",
            "120s",
            "--window",
            "1s",
            "--frequency",
            "100",
        ])
        .arg("--source")
        .arg(&traces)
        .arg("--out")
        .arg(&slow_dir)
        .arg("--baseline")
        .arg(&fast_dir)
        .arg("--command")
        .arg(&collector)
        .args(["--format", "json"])
        .env_remove("TRACEDIAG_SOURCE")
        .env("TRACEDIAG_CONFIG", dir.path().join("none.toml"))
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run tracediag: {e}"));
    done.store(true, Ordering::Relaxed);
    let _ = driver.join();
    drop(service);
    let stderr = String::from_utf8_lossy(&trigger.stderr);
    let stdout = String::from_utf8_lossy(&trigger.stdout);
    assert!(
        trigger.status.success(),
        "profile trigger failed (py-spy must be able to attach: run as root or set \
         kernel.yama.ptrace_scope=0): {stderr}{stdout}"
    );
    let summary: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("trigger output is not JSON ({e}): {stdout}"));
    assert_eq!(summary["stopped_by"], "count", "{summary:#}\n{stderr}");
    assert!(slow_dir.join("manifest.json").is_file());
    assert!(fast_dir.join("manifest.json").is_file());
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(slow_dir.join("manifest.json")).unwrap_or_default())
            .unwrap_or_else(|e| panic!("manifest: {e}"));
    assert_eq!(
        manifest["attribution"], "window",
        "py-spy profiles carry no span ids"
    );
    assert_eq!(manifest["complete"], true);

    let compare = Command::new(bin)
        .args(["profile", "compare", "--format", "json", "--svg"])
        .arg(dir.path().join("diff.svg"))
        .arg("--a")
        .arg(&slow_dir)
        .arg("--b")
        .arg(&fast_dir)
        .env("TRACEDIAG_CONFIG", dir.path().join("none.toml"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run tracediag: {e}"));
    let out = String::from_utf8_lossy(&compare.stdout);
    assert!(
        compare.status.success(),
        "compare failed: {}",
        String::from_utf8_lossy(&compare.stderr)
    );
    let doc: serde_json::Value = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("compare output is not JSON ({e}): {out}"));
    let top = &doc["hotspots"][0];
    eprintln!(
        "e2e: A {} units / {} requests, B {} units / {} requests; top: {} Δ {} pp, p {}, q {}",
        doc["a"]["units"],
        doc["a"]["requests"],
        doc["b"]["units"],
        doc["b"]["requests"],
        top["function"],
        top["delta_share_pp"],
        top["p_value"],
        top["q_value"]
    );
    assert!(
        top["function"]
            .as_str()
            .is_some_and(|f| f.starts_with("slow_compute")),
        "the slow path should rank first: {doc:#}"
    );
    // Significant: `high` with many fast windows; `medium` when a loaded machine left B
    // with few units (the permutation test's smallest p-value grows as units shrink).
    assert!(
        matches!(top["significance"].as_str(), Some("high" | "medium")),
        "{doc:#}"
    );
    assert!(
        top["delta_share_pp"].as_f64().is_some_and(|d| d > 20.0),
        "{doc:#}"
    );
    let svg = std::fs::read_to_string(dir.path().join("diff.svg")).unwrap_or_default();
    assert!(
        svg.contains("slow_compute"),
        "the flame graph shows the slow path"
    );
}

/// The README's command against a mostly idle service that serves each request on its own
/// thread, as real Python services do: py-spy `--nonblocking` then writes samples with no
/// stack (` 1` lines) and, for idle windows, empty files. The trigger must keep both
/// cohorts, count requests as compare does, and compare must work or say why it cannot.
#[test]
#[ignore = "needs python3, py-spy and the right to ptrace"]
fn readme_command_on_a_mostly_idle_threaded_service() {
    common::require_program("python3");
    common::require_program("py-spy");
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let traces = dir.path().join("traces.jsonl");
    let (service, port) = start_service(dir.path(), &traces, true);
    let pid = service.0.id();

    // Mostly idle: one slow request every 3 s, a fast one every 0.5 s in between.
    let done = Arc::new(AtomicBool::new(false));
    let driver = {
        let done = done.clone();
        std::thread::spawn(move || {
            let t0 = Instant::now();
            let mut n = 0u64;
            while !done.load(Ordering::Relaxed) && t0.elapsed() < Duration::from_secs(90) {
                get(port, if n % 6 == 0 { "/slow" } else { "/fast" });
                n += 1;
                std::thread::sleep(Duration::from_millis(500));
            }
        })
    };
    let (slow_dir, fast_dir) = (dir.path().join("slow"), dir.path().join("fast"));
    let bin = env!("CARGO_BIN_EXE_tracediag");
    let trigger = Command::new(bin)
        .args(["profile", "trigger", "--service", "pysvc"])
        .args([
            "--min-duration",
            "80ms",
            "--count",
            "6",
            "--max-wait",
            "40s",
        ])
        .args(["--window", "1s", "--frequency", "100", "--format", "json"])
        .arg("--source")
        .arg(&traces)
        .arg("--out")
        .arg(&slow_dir)
        .arg("--baseline")
        .arg(&fast_dir)
        .arg("--command")
        .arg(readme_collector(pid))
        .env_remove("TRACEDIAG_SOURCE")
        .env("TRACEDIAG_CONFIG", dir.path().join("none.toml"))
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run tracediag: {e}"));
    done.store(true, Ordering::Relaxed);
    let _ = driver.join();
    drop(service);
    let stderr = String::from_utf8_lossy(&trigger.stderr);
    let stdout = String::from_utf8_lossy(&trigger.stdout);
    assert!(
        trigger.status.success(),
        "profile trigger failed (py-spy must be able to attach: run as root or set \
         kernel.yama.ptrace_scope=0): {stderr}{stdout}"
    );
    let summary: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("trigger output is not JSON ({e}): {stdout}"));
    assert!(slow_dir.join("manifest.json").is_file(), "{summary:#}");
    assert!(fast_dir.join("manifest.json").is_file(), "{summary:#}");
    let cohort = &summary["cohort"];
    assert!(cohort["units"].as_u64() > Some(0), "{summary:#}\n{stderr}");

    let compare = Command::new(bin)
        .args(["profile", "compare", "--format", "json", "--a"])
        .arg(&slow_dir)
        .arg("--b")
        .arg(&fast_dir)
        .env("TRACEDIAG_CONFIG", dir.path().join("none.toml"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run tracediag: {e}"));
    let out = String::from_utf8_lossy(&compare.stdout);
    assert!(
        compare.status.success(),
        "compare failed: {}",
        String::from_utf8_lossy(&compare.stderr)
    );
    let doc: serde_json::Value = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("compare output is not JSON ({e}): {out}"));
    eprintln!(
        "idle e2e: {} window(s), {} skipped; A {} units / {} requests / {} samples + {} without \
         a stack; B {} units / {} requests / {} samples + {} without a stack; next: {}",
        summary["windows"],
        summary["windows_skipped"],
        doc["a"]["units"],
        doc["a"]["requests"],
        doc["a"]["samples"],
        doc["a"]["no_stack_samples"],
        doc["b"]["units"],
        doc["b"]["requests"],
        doc["b"]["samples"],
        doc["b"]["no_stack_samples"],
        summary["next"]
    );
    // Trigger and compare count the same requests.
    assert_eq!(
        doc["a"]["requests"], cohort["requests"],
        "{summary:#}\n{doc:#}"
    );
    assert_eq!(doc["b"]["requests"], summary["baseline"]["requests"]);
    assert_eq!(doc["a"]["no_stack_samples"], cohort["no_stack_samples"]);
    let comparable =
        doc["a"]["samples"].as_u64() > Some(0) && doc["b"]["samples"].as_u64() > Some(0);
    if comparable {
        // The trigger proposed the comparison, and it ranks the slow path hotter in A.
        assert!(summary["next"].is_string(), "{summary:#}");
        let slow = doc["hotspots"]
            .as_array()
            .and_then(|h| {
                h.iter().find(|h| {
                    h["function"]
                        .as_str()
                        .is_some_and(|f| f.starts_with("slow_compute"))
                })
            })
            .unwrap_or_else(|| panic!("no slow_compute hotspot: {doc:#}"));
        assert!(slow["delta_share_pp"].as_f64() > Some(0.0), "{doc:#}");
    } else {
        // Nothing to compare: both commands say why, and the trigger proposes no compare.
        assert!(summary["next"].is_null(), "{summary:#}");
        let notes = doc["notes"].to_string();
        assert!(notes.contains("so nothing can be compared"), "{doc:#}");
        assert!(
            summary["cohort"]["problem"].is_string() || summary["baseline"]["problem"].is_string(),
            "{summary:#}"
        );
    }
}
