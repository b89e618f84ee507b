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
    purge_freed_memory_soon();
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

/// mimalloc's `purge_delay` option (its place in `mi_option_t` of the bundled mimalloc 3;
/// a test holds it to the option's default).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Memory freed and not reused goes back to the system after 2 ms instead of mimalloc's
/// default second. A command's phases each free big scratch (the decoder's batches, the
/// index's and the analyses' working lists) that later phases do not reuse; held for a
/// second, it counted in RSS to the end. Measured on the 100,000-span files: peak RSS 74.8 →
/// 69.0 MiB (OTLP) and 82.2 → 74.0 MiB (Jaeger); time the same on OTLP, up to 7 % more on
/// Jaeger, whose decoder frees and allocates the most (a million spans: 2.46 → 2.56 s).
fn purge_freed_memory_soon() {
    // SAFETY: sets one integer option; first thing in `main`, before any thread starts
    // (`mi_option_set` is not thread safe). An option mimalloc did not know would be ignored.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 2) }
}

fn run(invocation: Invocation) -> Result<i32> {
    match invocation {
        Invocation::Run(options) => commands::run(&options),
        Invocation::Mcp(global) => mcp::serve(global),
        Invocation::Ask(question) => cli::ask::run(&question),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The number names `purge_delay`: the only option whose default is 1000 (ms) in the
    /// bundled mimalloc. A mimalloc that numbers its options otherwise fails here.
    #[test]
    fn the_purge_delay_option_number_is_mimallocs() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return; // set from outside: the default cannot be seen
        }
        // SAFETY: reads one option; nothing in this test binary sets options.
        assert_eq!(
            unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) },
            1000
        );
    }
}
