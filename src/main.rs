//! Thin entry point: parse, dispatch to a command or a front end, map errors to exit codes.

use std::process::ExitCode;

use tracediag::cli::{self, Invocation};
use tracediag::error::{exit, Result};
use tracediag::{commands, mcp};

/// mimalloc: a trace is decoded into millions of small strings and vectors; measured on a
/// 100,000-span file, `diagnose` takes about a third less time than with the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // One Ctrl-C handler for the process: exit 130, no half-written files.
    commands::interrupt::install();
    let code = match cli::parse().and_then(run) {
        Ok(code) => code,
        Err(err) => {
            let code = err.exit_code();
            if code != exit::OK {
                eprintln!("tracediag: error: {err}");
            }
            code
        }
    };
    ExitCode::from(u8::try_from(code).unwrap_or(2))
}

/// Transparent huge pages off for this process. mimalloc asks for them on its arenas
/// (`MADV_HUGEPAGE`), so every region it touches is faulted in, and zeroed, 2 MiB at a time
/// and counts whole in RSS. Measured on a 100,000-span Jaeger file: peak RSS 143 MiB with
/// them, 115 MiB without, and on a million spans 0.8 s of system time instead of 1.9–2.5 s
/// (mostly zeroing huge pages), for 0.1–0.3 s more user time. This is the prctl mimalloc
/// itself makes with `MIMALLOC_ALLOW_THP=0`; it runs as a constructor, before the runtime's
/// first allocation, because pages faulted in before it stay huge (4 MiB of them when it ran
/// at the start of `main`).
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static SMALL_PAGES_ONLY: extern "C" fn() = small_pages_only;

#[cfg(target_os = "linux")]
extern "C" fn small_pages_only() {
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and changes only this process's (and
    // its children's) paging policy; a failure leaves huge pages on, which is harmless.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn run(invocation: Invocation) -> Result<i32> {
    match invocation {
        Invocation::Run(options) => commands::run(&options),
        Invocation::Mcp(global) => mcp::serve(global),
        Invocation::Ask(question) => cli::ask::run(&question),
    }
}
