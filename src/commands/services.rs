//! `services` and `operations <service>`: what the source knows, one name a line.

use crate::error::Result;

use super::select::open_source;
use super::{Options, Outcome};

pub fn services(opts: &Options) -> Result<Outcome> {
    let source = open_source(opts)?;
    let names = source.services()?;
    print(opts, "services", &names)
}

pub fn operations(opts: &Options, service: &str) -> Result<Outcome> {
    let source = open_source(opts)?;
    let names = source.operations(service)?;
    if names.is_empty() && !opts.quiet {
        eprintln!(
            "tracediag: {} knows no operations of service '{service}' (see `tracediag services`)",
            source.describe()
        );
    }
    print(opts, "operations", &names)
}

fn print(opts: &Options, key: &str, names: &[String]) -> Result<Outcome> {
    use crate::report::{Document, Format};
    let text = match opts.format {
        Format::Json => {
            let doc =
                serde_json::json!({ "schema_version": crate::report::SCHEMA_VERSION, key: names });
            serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
        }
        Format::Markdown => names.iter().map(|n| format!("- {n}\n")).collect(),
        _ => names.iter().map(|n| format!("{n}\n")).collect(),
    };
    Ok(Outcome::ok(Document::Rendered(text)))
}
