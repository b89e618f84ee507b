//! Thin entry point: parse, dispatch, map errors to exit codes.

use std::process::ExitCode;

use tracediag::commands;
use tracediag::error::exit;

fn main() -> ExitCode {
    // One Ctrl-C handler for the process: exit 130, no half-written files.
    commands::interrupt::install();
    // Flags, then the config file's [defaults] for what the flags left unset.
    let code = match tracediag::source::config::parse_cli().and_then(|mut cli| {
        commands::prepare(&mut cli);
        commands::run(&cli)
    }) {
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
