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

#[test]
#[ignore = "needs python3, py-spy and the right to ptrace"]
fn trigger_and_compare_with_py_spy() {
    common::require_program("python3");
    common::require_program("py-spy");
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let traces = dir.path().join("traces.jsonl");
    let port_file = dir.path().join("port");
    std::fs::write(&traces, "").unwrap_or_else(|e| panic!("{e}"));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pysvc.py");
    let service = KillOnDrop(
        Command::new("python3")
            .arg(&script)
            .arg(&traces)
            .arg(&port_file)
            .stdin(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start python3: {e}")),
    );
    let pid = service.0.id();
    let started = Instant::now();
    let port: u16 = loop {
        if let Ok(s) = std::fs::read_to_string(&port_file) {
            if let Ok(p) = s.trim().parse() {
                break p;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the Python service did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    };

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
    let collector = format!(
        "py-spy record --format raw -F -r {{hz}} -d {{seconds}} -o {{out}} --pid {pid} --nonblocking"
    );
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
    assert_eq!(top["significance"], "high", "{doc:#}");
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
