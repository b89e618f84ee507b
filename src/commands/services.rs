//! `services` and `operations <service>`: what the source knows, one name a line.

use crate::cli::Cli;
use crate::error::{exit, Result};
use crate::report::names::NamesDoc;

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
    let doc = NamesDoc {
        schema_version: crate::report::SCHEMA_VERSION.to_string(),
        key: key.to_string(),
        names: names.to_vec(),
    };
    let text = crate::report::names::render(&doc, cli.global.format);
    if !cli.global.quiet {
        write_stdout(&text)?;
    }
    Ok(exit::OK)
}
