//! `schema <preset>`: the DDL and indexes for a Postgres table tracediag reads.

use crate::cli::Cli;
use crate::error::{exit, Result};
use crate::source::postgres::mapping::{Preset, TableName};

use super::output::write_stdout;

/// Postgres presets `schema` prints DDL for.
pub const PRESETS: &[&str] = &["beacon", "llm", "otel"];

pub fn run(cli: &Cli, preset: &str, table: Option<&str>) -> Result<i32> {
    let preset = Preset::parse(preset)?;
    let table = TableName::parse(table.unwrap_or(preset.default_table()), None)?;
    if !cli.global.quiet {
        write_stdout(&preset.ddl(&table.display()))?;
    }
    Ok(exit::OK)
}
