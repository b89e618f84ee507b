//! Thin entry point: parse, dispatch, map errors to exit codes.

use std::process::ExitCode;

use clap::Parser;

use tracediag::cli::Cli;
use tracediag::commands;
use tracediag::error::exit;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match commands::run(&cli) {
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
