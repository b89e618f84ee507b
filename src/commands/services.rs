//! `services` and `operations <service>`: what the source knows, one name a line.

use crate::error::Result;
use crate::report::names::NamesDoc;
use crate::report::Document;

use super::select::open_source;
use super::{Options, Outcome};

pub fn services(opts: &Options) -> Result<Outcome> {
    let source = open_source(opts)?;
    let names = source.services()?;
    print("services", &names)
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
    print("operations", &names)
}

fn print(key: &str, names: &[String]) -> Result<Outcome> {
    let doc = NamesDoc {
        schema_version: crate::report::SCHEMA_VERSION.to_string(),
        key: key.to_string(),
        names: names.to_vec(),
    };
    Ok(Outcome::ok(Document::Names(doc)))
}
