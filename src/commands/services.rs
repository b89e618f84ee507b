//! `services` and `operations <service>`: what the source knows, one name a line.

use crate::cli::Cli;
use crate::error::{exit, Error, Result};
use crate::report::Format;

use super::output::write_stdout;
use super::select::open_source;

pub fn services(cli: &Cli) -> Result<i32> {
    let source = open_source(&cli.global)?;
    let names = source.services()?;
    print(cli, "services", &names)
}

pub fn operations(cli: &Cli, service: &str) -> Result<i32> {
    let source = open_source(&cli.global)?;
    let names = source.operations(service)?;
    if names.is_empty() && !cli.global.quiet {
        eprintln!(
            "tracediag: {} knows no operations of service '{service}' (see `tracediag services`)",
            source.describe()
        );
    }
    print(cli, "operations", &names)
}

fn print(cli: &Cli, key: &str, names: &[String]) -> Result<i32> {
    let text = match cli.global.format {
        Format::Json => {
            let doc =
                serde_json::json!({ "schema_version": crate::report::SCHEMA_VERSION, key: names });
            serde_json::to_string_pretty(&doc)
                .map_err(|e| Error::Usage(format!("cannot render JSON: {e}")))?
                + "\n"
        }
        Format::Markdown => names.iter().map(|n| format!("- {n}\n")).collect(),
        _ => names.iter().map(|n| format!("{n}\n")).collect(),
    };
    if !cli.global.quiet {
        write_stdout(&text)?;
    }
    Ok(exit::OK)
}
