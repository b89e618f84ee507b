//! `tracediag schema`: the JSON Schema of every command's `--format json` output, generated
//! from the Rust types that produce it (so it cannot drift from what is printed).

use serde::Serialize;

use crate::error::{Error, Result};
use crate::report::{check::CheckDoc, Document, Report, SCHEMA_VERSION};

use super::options::SchemaRequest;
use super::{Options, Outcome};

/// `services --format json`.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct ServicesDoc {
    /// Version of the layout.
    pub schema_version: String,
    /// Service names, sorted.
    pub services: Vec<String>,
}

/// `operations --format json`.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct OperationsDoc {
    /// Version of the layout.
    pub schema_version: String,
    /// Operation names, sorted.
    pub operations: Vec<String>,
}

fn schema<T: schemars::JsonSchema>() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(T)).unwrap_or(serde_json::Value::Null)
}

/// Every command with JSON output and the schema of that output, one line each.
pub fn schemas() -> Vec<(&'static str, serde_json::Value)> {
    let report = schema::<Report>();
    vec![
        ("diagnose", report.clone()),
        ("gaps", report.clone()),
        ("root-cause", report.clone()),
        ("timeline", report.clone()),
        ("summary", report),
        ("search", schema::<crate::report::search::SearchDoc>()),
        ("services", schema::<ServicesDoc>()),
        ("operations", schema::<OperationsDoc>()),
        ("check", schema::<CheckDoc>()),
        ("span", schema::<crate::report::span::SpanDetailDoc>()),
        ("similar", schema::<crate::report::similar::SimilarDoc>()),
        ("compare", schema::<crate::report::compare::CompareDoc>()),
        ("stats", schema::<crate::report::stats::StatsDoc>()),
        // `root-cause --window` prints another document than `root-cause <trace>`.
        (
            "root-cause-window",
            schema::<crate::report::incident::IncidentDoc>(),
        ),
        ("cohorts", schema::<crate::report::incident::CohortsDoc>()),
        (
            "cohorts-attributes",
            schema::<crate::report::attributes::AttributesDoc>(),
        ),
        (
            "profile-compare",
            schema::<crate::report::hotspots::HotspotsDoc>(),
        ),
    ]
}

pub fn build(_opts: &Options, args: &SchemaRequest) -> Result<Outcome> {
    if let Some(preset) = args
        .command
        .as_deref()
        .filter(|n| super::sql_schema::PRESETS.contains(n))
    {
        return super::sql_schema::build(preset, args.table.as_deref());
    }
    if args.table.is_some() {
        return Err(Error::Usage(format!(
            "--table goes with a Postgres preset ({})",
            super::sql_schema::PRESETS.join(", ")
        )));
    }
    let all = schemas();
    let doc = match &args.command {
        Some(name) => match all.iter().find(|(n, _)| n == name) {
            Some((_, s)) => s.clone(),
            None => {
                let names: Vec<&str> = all.iter().map(|(n, _)| *n).collect();
                return Err(Error::Usage(format!(
                    "no JSON output schema for '{name}'; commands with one: {}",
                    names.join(", ")
                )));
            }
        },
        None => {
            let map: serde_json::Map<String, serde_json::Value> =
                all.into_iter().map(|(n, s)| (n.to_string(), s)).collect();
            serde_json::json!({
                "schema_version": SCHEMA_VERSION,
                "command": "schema",
                "schemas": map,
            })
        }
    };
    let mut text = serde_json::to_string_pretty(&doc)
        .map_err(|e| Error::Usage(format!("cannot render JSON: {e}")))?;
    text.push('\n');
    Ok(Outcome::ok(Document::Text(text)))
}
