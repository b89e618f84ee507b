//! Sources: bytes → model. One decoder per format, detected from content (never from the
//! file name: stdin has none, and exports are often misnamed).
//!
//! * `document.rs`: JSON documents and JSON Lines, dispatching keys to
//! * `jaeger_json.rs` (Jaeger v1), `otlp_json.rs` (OTLP, Tempo, Jaeger api_v3),
//!   `zipkin_json.rs` (Zipkin v2 and, through `zipkin_v1.rs`, v1 spans; cleaned by
//!   `zipkin_clean.rs` as Zipkin's UI cleans them, in the shape of `zipkin_span.rs`);
//! * `otlp_proto/`: OTLP protobuf (bare messages, file exporter frames, Tempo responses),
//!   mapped to the model by `otlp_mapping.rs` as `otlp_json.rs` is;
//! * `span_csv.rs`: span tables;
//! * `common.rs`: shared value handling and grouping into traces.

mod alongside;
mod common;
mod document;
mod file;
pub mod file_bytes;
mod identity;
mod jaeger_json;
mod json_cursor;
mod json_lines;
mod otlp_json;
mod otlp_mapping;
mod span_csv;
mod tempo_metrics;
mod zipkin_clean;
mod zipkin_json;
mod zipkin_span;
mod zipkin_v1;

pub mod backend;
pub mod config;
pub mod http;
pub mod infer_parents;
pub mod jaeger;
pub mod limits;
pub mod otlp_proto;
pub mod postgres;
pub mod profile;
pub mod pushdown;
pub mod search;
pub mod spec;
pub mod tempo;
pub mod trace_source;

use crate::error::{Error, Result};
use crate::model::Trace;

pub use limits::Limits;

/// The start of every "this is not something we read" message.
pub(crate) const NOT_RECOGNISED: &str =
    "not a Jaeger JSON, OTLP JSON, OTLP JSON Lines or span CSV document";

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Decode every trace in `bytes`, whatever supported format they are in (Jaeger v1 JSON,
/// OTLP JSON and its variants, JSON Lines of OTLP documents, OTLP protobuf, Zipkin v2 JSON,
/// span CSV, gzip of any of these), within `limits` (gzip output, spans per trace, tree depth, attribute
/// size; see [`limits`]). `what` names the input in error messages (a path or `stdin`).
///
/// Traces are sorted by trace id; spans keep their input order.
pub fn decode(bytes: &[u8], what: &str, limits: &Limits) -> Result<Vec<Trace>> {
    let mut traces = if bytes.starts_with(&GZIP_MAGIC) {
        let plain = limits.gunzip(bytes, what)?;
        if plain.starts_with(&GZIP_MAGIC) {
            return Err(Error::input(
                what,
                "gzip data inside gzip data: decompress the file once first",
            ));
        }
        decode_plain(&plain, what)?
    } else {
        decode_plain(bytes, what)?
    };
    limits.apply(&mut traces, what)?;
    Ok(traces)
}

/// Read `path` (`-` for stdin) within `--max-response-size` and decode it.
pub fn load(path: &str, limits: &Limits) -> Result<Vec<Trace>> {
    if path == "-" {
        let bytes = limits.read_stdin()?;
        return decode(&bytes, "stdin", limits);
    }
    let bytes = limits.read_file(path)?;
    decode(&bytes, path, limits)
}

fn decode_plain(bytes: &[u8], what: &str) -> Result<Vec<Trace>> {
    // Before whitespace is skipped: a bare protobuf message starts with 0x0A, a newline.
    if otlp_proto::looks_binary(bytes) {
        return otlp_proto::decode(bytes, what);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let Some(first) = bytes.iter().position(|b| !b.is_ascii_whitespace()) else {
        return Err(Error::input(
            what,
            "the input is empty: expected a Jaeger JSON, OTLP JSON, OTLP JSON Lines or span CSV document",
        ));
    };
    let text = bytes.get(first..).unwrap_or_default();
    match text.first() {
        Some(b'{' | b'[') => document::decode(text, what),
        _ if span_csv::looks_like(text) => span_csv::decode(text, what),
        _ => Err(Error::input(
            what,
            format!("{NOT_RECOGNISED}: {}", describe_unknown(text)),
        )),
    }
}

/// A short description of unrecognised input, for the error message.
fn describe_unknown(text: &[u8]) -> String {
    let head = text.get(..512).unwrap_or(text);
    let binary =
        head.contains(&0) || std::str::from_utf8(head).is_err_and(|e| e.error_len().is_some());
    if binary {
        return "the input is binary data".into();
    }
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = String::from_utf8_lossy(line);
    let short: String = line.chars().take(60).collect();
    let ellipsis = if short.len() < line.len() { "…" } else { "" };
    format!("text starting with \"{short}{ellipsis}\" (a CSV needs a header with trace_id and span_id columns)")
}
