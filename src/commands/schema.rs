//! `schema <preset>`: the DDL and indexes for a Postgres table tracediag reads.

use crate::cli::{Cli, SchemaArgs};
use crate::error::{exit, Result};
use crate::source::postgres::mapping::{Preset, TableName};

use super::output::write_stdout;

pub fn run(cli: &Cli, args: &SchemaArgs) -> Result<i32> {
    let preset = Preset::parse(&args.preset)?;
    let table = TableName::parse(
        args.table.as_deref().unwrap_or(preset.default_table()),
        None,
    )?;
    if !cli.global.quiet {
        write_stdout(&preset.ddl(&table.display()))?;
    }
    Ok(exit::OK)
}
