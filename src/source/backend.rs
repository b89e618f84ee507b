//! Opening the source a `--source` names: a file, stdin, or a server whose kind is given
//! or probed.

use crate::error::{Error, Result};

pub use super::file::{keep_decoded_files, DecodedFiles, FileKey, FileSource};
use super::http::{HttpClient, HttpOptions};
use super::identity::{is_jaeger, is_tempo};
use super::jaeger::Jaeger;
use super::postgres::{PgOptions, PostgresSource};
use super::spec::SourceSpec;
use super::tempo::Tempo;
pub use super::trace_source::{fetch_each, fetch_many, pick, TraceSource};

/// Open the source `spec` names.
pub fn open(spec: &SourceSpec, opts: &HttpOptions) -> Result<Box<dyn TraceSource>> {
    Ok(match spec {
        SourceSpec::Stdin => Box::new(FileSource::stdin(&opts.limits)?),
        SourceSpec::File(path) => Box::new(FileSource::load(path, &opts.limits)?),
        SourceSpec::Jaeger(url) => Box::new(Jaeger::new(HttpClient::new(url, "Jaeger", opts)?)),
        SourceSpec::Tempo(url) => Box::new(Tempo::new(HttpClient::new(url, "Tempo", opts)?)),
        SourceSpec::Probe(url) => probe(url, opts)?,
        SourceSpec::Postgres(url) => Box::new(PostgresSource::open(
            url,
            &PgOptions {
                columns: opts.columns.clone(),
                statement_timeout: opts.statement_timeout,
                connect_timeout: opts.connect_timeout,
                verbose: opts.verbose,
                limits: opts.limits,
            },
        )?),
    })
}

/// Tell which backend answers at a plain URL: Jaeger api_v3, Jaeger v1, then Tempo.
fn probe(url: &str, opts: &HttpOptions) -> Result<Box<dyn TraceSource>> {
    let client = HttpClient::new(url, "a Jaeger or Tempo server", opts)?;
    if is_jaeger(&client)? {
        if opts.verbose > 0 {
            eprintln!("tracediag: {} is Jaeger", client.base_display());
        }
        return Ok(Box::new(Jaeger::new(HttpClient::new(url, "Jaeger", opts)?)));
    }
    if is_tempo(&client)? {
        if opts.verbose > 0 {
            eprintln!("tracediag: {} is Tempo", client.base_display());
        }
        return Ok(Box::new(Tempo::new(HttpClient::new(url, "Tempo", opts)?)));
    }
    Err(Error::Unreachable(format!(
        "{} answers, but neither as Jaeger (/api/v3/services, /api/services) nor as Tempo (/api/echo); \
         say which with jaeger+{} or tempo+{}",
        client.base_display(),
        client.base_display(),
        client.base_display()
    )))
}
