//! Profiles: bytes → [`Profile`]. The format is detected from the content, never from the
//! file name (py-spy writes raw protobuf to files named `.pb.gz`):
//!
//! * gzip (magic `1f 8b`) is undone first, whatever is inside;
//! * binary data is pprof `profile.proto` ([`pprof`]);
//! * text is folded stacks ([`folded`], [`pyspy`] when the frames are py-spy's),
//!   `perf script` output ([`perf_script`]) or Pyroscope flamebearer JSON ([`flamebearer`]).

pub mod cohort;
pub mod flamebearer;
pub mod folded;
pub mod perf_script;
pub mod pprof;
pub mod pyspy;
#[cfg(test)]
mod test_support;

use std::io::Read;

use crate::error::{Error, Result};
use crate::model::normalize_id;
use crate::model::profile::{LabelValue, Profile, Sample};

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Decompressed profiles larger than this are refused: a small gzip bomb must not exhaust
/// memory (the largest real profile in the fixtures is 9 MB uncompressed).
const MAX_DECOMPRESSED: u64 = 1 << 30;

/// Label keys that tie a sample to a request, in the order they are tried: pyroscope-go
/// (`span_id`), otel-profiling-go (`profile_id`), plain `trace_id`, Polar Signals
/// (`otel.traceid`), Datadog (`span id`, numeric).
pub const DEFAULT_ID_LABELS: &[&str] = &[
    "span_id",
    "profile_id",
    "trace_id",
    "otel.traceid",
    "span id",
];

/// Decode one profile in any supported format.
pub fn decode(bytes: &[u8], what: &str) -> Result<Profile> {
    let plain;
    let bytes = if bytes.starts_with(&GZIP_MAGIC) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(bytes)
            .take(MAX_DECOMPRESSED + 1)
            .read_to_end(&mut out)
            .map_err(|e| Error::input(what, format!("cannot decompress gzip data: {e}")))?;
        if out.len() as u64 > MAX_DECOMPRESSED {
            return Err(Error::input(
                what,
                "decompresses to more than 1 GiB; refused",
            ));
        }
        plain = out;
        &plain[..]
    } else {
        bytes
    };
    decode_plain(bytes).map_err(|m| Error::input(what, m))
}

fn is_text(bytes: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(bytes).ok()?;
    let binary = text
        .chars()
        .take(65_536)
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
    (!binary).then_some(text)
}

fn decode_plain(bytes: &[u8]) -> Result<Profile, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("the profile is empty".into());
    }
    let Some(text) = is_text(bytes) else {
        return pprof::decode(bytes);
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if flamebearer::looks_like(text) {
        return flamebearer::parse(text);
    }
    if folded::looks_like(text) {
        if folded::looks_differential(text) && !pyspy::looks_like(text) {
            return Err(
                "three-column differential stacks (`stack BEFORE AFTER`): split them into two \
                 profiles, or pass each cohort's own profiles"
                    .into(),
            );
        }
        if pyspy::looks_like(text) {
            return pyspy::parse(text);
        }
        return folded::parse(text, crate::model::profile::ProfileFormat::Folded);
    }
    if perf_script::looks_like(text) {
        return perf_script::parse(text);
    }
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let short: String = first.chars().take(60).collect();
    Err(format!(
        "not a profile (pprof protobuf, folded stacks, perf script, py-spy raw or flamebearer JSON): \
         text starting with \"{}\"",
        crate::text::clean(&short)
    ))
}

/// Read and decode the profile at `path`.
pub fn load(path: &str) -> Result<Profile> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        what: path.to_string(),
        source,
    })?;
    decode(&bytes, path)
}

/// The request ids a sample is labelled with, under the first of `keys` it carries, in
/// every normal form it may be written in elsewhere: hex as-is (normalised), and decimal
/// numbers (Datadog's numeric `span id`) also as 16-digit hex.
pub fn sample_ids(sample: &Sample, keys: &[String]) -> Vec<String> {
    for key in keys {
        let Some(v) = sample.label(key) else { continue };
        let mut out = Vec::with_capacity(2);
        match v {
            LabelValue::Str(s) => {
                let s = s.trim();
                if s.is_empty() {
                    continue;
                }
                out.push(normalize_id(s));
                if s.bytes().all(|b| b.is_ascii_digit()) {
                    if let Ok(n) = s.parse::<u64>() {
                        out.push(format!("{n:016x}"));
                    }
                }
            }
            LabelValue::Num { value, .. } => {
                out.push(format!("{:016x}", *value as u64));
                out.push(value.to_string());
            }
        }
        return out;
    }
    Vec::new()
}

/// Whether any sample carries one of the id labels.
pub fn has_id_labels(p: &Profile, keys: &[String]) -> bool {
    p.samples.iter().any(|s| !sample_ids(s, keys).is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::profile::Label;

    #[test]
    fn ids_from_hex_and_decimal_labels() {
        let keys: Vec<String> = DEFAULT_ID_LABELS.iter().map(|s| s.to_string()).collect();
        let s = Sample {
            stack: vec![],
            values: vec![1],
            labels: vec![Label {
                key: "span id".into(),
                value: LabelValue::Num {
                    value: 255,
                    unit: None,
                },
            }],
        };
        assert_eq!(sample_ids(&s, &keys), vec!["00000000000000ff", "255"]);
        let s = Sample {
            stack: vec![],
            values: vec![1],
            labels: vec![Label {
                key: "span_id".into(),
                value: LabelValue::Str("00000000000000FF".into()),
            }],
        };
        assert_eq!(sample_ids(&s, &keys)[0], "00000000000000ff");
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for input in [
            &b""[..],
            b"\x1f\x8b\x08garbage",
            b"\x0a\xff\xff\xff\xff\x0f",
            b"hello world\n",
            b"\x00\x01\x02\x03",
        ] {
            assert!(decode(input, "t").is_err(), "{input:?}");
        }
    }

    /// What py-spy 0.4.3 `record --format raw -F --nonblocking` wrote for a threaded
    /// server: a line ` 1` among the stacks, for a sample in which it read no stack.
    #[test]
    fn py_spy_lines_without_a_stack_are_counted_not_refused() {
        let text = "<module> (svc.py:1);BaseServer.serve_forever (socketserver.py:216);\
                    ThreadingMixIn.process_request (socketserver.py:697) 3\n 1\n\
                    Thread._bootstrap (threading.py:988);Handler.do_GET (svc.py:9);\
                    slow (svc.py:3) 12\n";
        let p = decode(text.as_bytes(), "t").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.format, crate::model::profile::ProfileFormat::PySpy);
        let no_stack: i64 = p
            .samples
            .iter()
            .filter(|s| s.stack.is_empty())
            .map(|s| s.values[0])
            .sum();
        assert_eq!((p.samples.len(), no_stack), (3, 1));
    }
}
