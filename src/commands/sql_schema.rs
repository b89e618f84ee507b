//! `schema <preset>`: the DDL and indexes for a Postgres table tracediag reads.

use crate::error::Result;
use crate::report::Document;
use crate::source::postgres::mapping::{Preset, TableName};

use super::Outcome;

/// Postgres presets `schema` prints DDL for.
pub const PRESETS: &[&str] = &["beacon", "llm", "otel"];

pub fn build(preset: &str, table: Option<&str>) -> Result<Outcome> {
    let preset = Preset::parse(preset)?;
    let table = TableName::parse(table.unwrap_or(preset.default_table()), None)?;
    Ok(Outcome::ok(Document::Text(preset.ddl(&table.display()))))
}
