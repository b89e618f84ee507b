//! Loading the source and picking the trace the user asked for.

use std::io::{IsTerminal, Read};

use crate::cli::GlobalArgs;
use crate::error::{Error, Result};
use crate::model::{id_matches, Trace};
use crate::source;

/// Read every trace from the source named by `--source` (or piped stdin).
pub fn load_traces(global: &GlobalArgs) -> Result<(String, Vec<Trace>)> {
    let no_source = || {
        Error::Usage(
            "no trace source: pass --source <file> (or `-` for stdin), or set TRACEDIAG_SOURCE"
                .into(),
        )
    };
    let (src, traces) = match &global.source {
        Some(s) => (s.clone(), source::load(s)?),
        None if !std::io::stdin().is_terminal() => {
            // Piped input without --source. Nothing piped at all is more likely a forgotten
            // --source than an empty trace file, so say that.
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| Error::Io {
                    what: "stdin".into(),
                    source: e,
                })?;
            if bytes.is_empty() {
                return Err(no_source());
            }
            ("-".to_string(), source::decode(&bytes, "stdin")?)
        }
        None => return Err(no_source()),
    };
    if global.verbose > 0 {
        let spans: usize = traces.iter().map(|t| t.spans.len()).sum();
        eprintln!(
            "tracediag: read {} trace(s), {} span(s) from {}",
            traces.len(),
            spans,
            display_source(&src)
        );
    }
    Ok((src, traces))
}

pub fn display_source(src: &str) -> String {
    if src == "-" {
        "stdin".into()
    } else {
        src.to_string()
    }
}

/// The trace named by `id`, or the only trace when `id` is omitted.
pub fn pick(traces: Vec<Trace>, id: Option<&str>, src: &str) -> Result<Trace> {
    let what = display_source(src);
    match id {
        Some(id) => {
            let n = traces.len();
            let known: Vec<String> = traces.iter().take(5).map(|t| t.id.clone()).collect();
            traces
                .into_iter()
                .find(|t| id_matches(&t.id, id))
                .ok_or_else(|| Error::TraceNotFound {
                    id: id.to_string(),
                    source_name: what,
                    hint: if n == 0 {
                        String::new()
                    } else {
                        format!(
                            " (it holds {n} trace(s): {}{})",
                            known.join(", "),
                            if n > 5 { ", …" } else { "" }
                        )
                    },
                })
        }
        None => {
            let n = traces.len();
            if n == 1 {
                Ok(traces.into_iter().next().unwrap_or_default())
            } else if n == 0 {
                Err(Error::input(what, "holds no traces"))
            } else {
                let known: Vec<String> = traces.iter().take(5).map(|t| t.id.clone()).collect();
                Err(Error::Usage(format!(
                    "{what} holds {n} traces; name one: {}{}",
                    known.join(", "),
                    if n > 5 { ", …" } else { "" }
                )))
            }
        }
    }
}
