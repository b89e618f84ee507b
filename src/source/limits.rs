//! Limits on what is read, so hostile or broken input ends in a one-line error (or a stated
//! cut) instead of exhausting memory or the stack. Every source goes through here:
//!
//! * `--max-response-size`: bytes read from an HTTP body and bytes decompressed from gzip
//!   (a gzip bomb stops at the limit), and bytes read from a file or stdin; unless given,
//!   files and stdin have a larger default of their own (a million-span Jaeger file is
//!   about 420 MB, and a file's size is known before it is read);
//! * `--max-trace-spans`: a trace with more spans is an input error;
//! * `--max-depth`: a span tree with more levels is an input error (nothing in tracediag
//!   recurses on the depth, but reports of 10,000-level trees are not useful and such trees
//!   are almost always broken parent links);
//! * `--max-attr-size`: longer attribute values are cut at a character boundary and marked
//!   `…[truncated N bytes]`, with one warning per trace.
//!
//! HTTP bodies over the size limit are refused while reading (see [`super::http`]) and are
//! reported as an unreachable source (exit 3), as before; everything else here is an input
//! error (exit 2).

use std::io::Read;

use super::file_bytes::FileBytes;
use crate::error::{Error, Result};
use crate::model::{AttrValue, CompactString, OriginRewrites, ParentLinks, Trace};
use crate::side_by_side::{side_by_side, SPLIT_FROM_SPANS};

/// Default `--max-response-size` for HTTP bodies and gzip data: it keeps a misconfigured
/// endpoint or a gzip bomb from exhausting memory.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 256 * 1024 * 1024;
/// Default for a file or stdin when `--max-response-size` is not given: room for ten
/// million spans of Jaeger JSON (about 420 bytes a span).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 8 * 1024 * 1024 * 1024;
/// Default `--max-trace-spans`.
pub const DEFAULT_MAX_TRACE_SPANS: usize = 1_000_000;
/// Default `--max-depth`, in levels (a lone root span is one level).
pub const DEFAULT_MAX_DEPTH: usize = 10_000;
/// Default `--max-attr-size`, in bytes of UTF-8.
pub const DEFAULT_MAX_ATTR_BYTES: usize = 64 * 1024;

/// The limits in force, from the command line (see `GlobalArgs`), threaded to every reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limits {
    /// Bytes read from one HTTP body and bytes decompressed from gzip.
    pub max_response_bytes: u64,
    /// Bytes read from one file or stdin.
    pub max_file_bytes: u64,
    /// Spans in one trace.
    pub max_trace_spans: usize,
    /// Levels of one trace's span tree.
    pub max_depth: usize,
    /// Bytes of one attribute value; longer ones are cut.
    pub max_attr_bytes: usize,
    /// `-q`: no warning on stderr when attribute values are cut (the trace still says so).
    pub quiet: bool,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            max_trace_spans: DEFAULT_MAX_TRACE_SPANS,
            max_depth: DEFAULT_MAX_DEPTH,
            max_attr_bytes: DEFAULT_MAX_ATTR_BYTES,
            quiet: false,
        }
    }
}

impl Limits {
    /// No limits at all (tests and benchmarks that feed known input).
    pub fn none() -> Limits {
        Limits {
            max_response_bytes: u64::MAX,
            max_file_bytes: u64::MAX,
            max_trace_spans: usize::MAX,
            max_depth: usize::MAX,
            max_attr_bytes: usize::MAX,
            quiet: true,
        }
    }

    /// The message for input over `--max-response-size`; `what` names the input and
    /// `subject` what was too large ("the file", "the response", "the gzip data").
    pub fn too_large_message(&self, what: &str, subject: &str) -> String {
        self.over_message(what, subject, self.max_response_bytes)
    }

    fn over_message(&self, what: &str, subject: &str, limit: u64) -> String {
        format!(
            "{what}: {subject} is larger than the {} limit; raise --max-response-size (or max_response_size in the config) if that is expected",
            human_bytes(limit)
        )
    }

    /// Read all of `reader` (a file or stdin), refusing input over the file limit (exit 2).
    /// `size` is the input's length when known: the buffer is allocated once at that size.
    fn read_all(&self, reader: impl Read, size: u64, what: &str, subject: &str) -> Result<Vec<u8>> {
        let limit = self.max_file_bytes;
        let mut buf = Vec::with_capacity(usize::try_from(size.min(limit)).unwrap_or(0) + 1);
        reader
            .take(limit.saturating_add(1))
            .read_to_end(&mut buf)
            .map_err(|source| Error::Io {
                what: what.to_string(),
                source,
            })?;
        if buf.len() as u64 > limit {
            return Err(Error::Limit(self.over_message(what, subject, limit)));
        }
        Ok(buf)
    }

    /// Read the file at `path`, refusing one over `--max-response-size` before reading it.
    pub fn read_file(&self, path: &str) -> Result<FileBytes> {
        let file = std::fs::File::open(path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => Error::input(
                path,
                "no such file; check the path given to --source (URLs start with jaeger+http://, tempo+http:// or postgres://)",
            ),
            std::io::ErrorKind::PermissionDenied => {
                Error::input(path, "permission denied; check the file's permissions")
            }
            _ => Error::Io {
                what: path.to_string(),
                source,
            },
        })?;
        let meta = file.metadata().ok();
        if meta.as_ref().is_some_and(|m| m.is_dir()) {
            return Err(Error::input(path, "is a directory; pass a trace file"));
        }
        let size = meta.filter(|m| m.is_file()).map_or(0, |m| m.len());
        if size > self.max_file_bytes {
            return Err(Error::Limit(self.over_message(
                path,
                "the file",
                self.max_file_bytes,
            )));
        }
        if let Some(mapped) = super::file_bytes::map(&file, size) {
            return Ok(mapped);
        }
        self.read_all(file, size, path, "the file")
            .map(FileBytes::from)
    }

    /// Read stdin to the end, within the file limit.
    pub fn read_stdin(&self) -> Result<Vec<u8>> {
        self.read_all(std::io::stdin().lock(), 0, "stdin", "the input")
    }

    /// Decompress gzip data (concatenated members too), stopping at `--max-response-size`
    /// decompressed bytes: a small file that inflates to gigabytes is refused, not read.
    pub fn gunzip(&self, bytes: &[u8], what: &str) -> Result<Vec<u8>> {
        let limit = self.max_response_bytes;
        let mut plain = Vec::new();
        flate2::read::MultiGzDecoder::new(bytes)
            .take(limit.saturating_add(1))
            .read_to_end(&mut plain)
            .map_err(|e| {
                Error::input(
                    what,
                    format!("cannot decompress gzip data: {e}; the file is damaged or cut off: download or compress it again"),
                )
            })?;
        if plain.len() as u64 > limit {
            return Err(Error::Limit(
                self.too_large_message(what, "the gzip data decompressed"),
            ));
        }
        Ok(plain)
    }

    /// Enforce the per-trace limits on freshly decoded traces: too many spans or too deep a
    /// tree is an error naming the trace; long attribute values are cut, and each trace with
    /// cut values gets one warning (on stderr unless quiet, and in the trace's warnings).
    pub fn apply(&self, traces: &mut [Trace], what: &str) -> Result<()> {
        for t in traces.iter_mut() {
            self.apply_one(t, what)?;
        }
        Ok(())
    }

    /// [`Limits::apply`] for one trace.
    pub fn apply_one(&self, trace: &mut Trace, what: &str) -> Result<()> {
        let n = trace.spans.len();
        if n > self.max_trace_spans {
            return Err(Error::Limit(format!(
                "{what}: trace {} has {n} spans, more than the --max-trace-spans limit of {}; raise --max-trace-spans if that is expected",
                trace.id, self.max_trace_spans
            )));
        }
        // A tree is never deeper than it has spans: most traces need no walk. The links the
        // walk resolves are kept for the tree, which would resolve them again. Both passes
        // only read the spans: on a big trace the links are resolved on a second core while
        // the values are looked over (a fifth of this step on 100,000 spans).
        let resolve = n > self.max_depth;
        let (links, values_to_cut) = side_by_side(
            resolve && n >= SPLIT_FROM_SPANS,
            || resolve.then(|| ParentLinks::of(&trace.spans)),
            || self.has_values_to_cut(trace),
        );
        let depth = links.as_ref().map_or(0, |l| depth_of(&l.parent));
        if depth > self.max_depth {
            return Err(Error::Limit(format!(
                "{what}: trace {} is {depth} spans deep, more than the --max-depth limit of {}; raise --max-depth if that is expected (very deep trees are often broken parent links)",
                trace.id, self.max_depth
            )));
        }
        // Cut only when there is something to cut: writing the spans would copy shared ones.
        let cut = if values_to_cut {
            self.truncate_attributes(trace)
        } else {
            0
        };
        if cut > 0 {
            let warning = format!(
                "{cut} attribute value(s) longer than {} were cut (marked …[truncated N bytes]); raise --max-attr-size to keep them whole",
                human_bytes(self.max_attr_bytes as u64)
            );
            if !self.quiet {
                eprintln!("tracediag: warning: trace {}: {warning}", trace.id);
            }
            trace.warnings.push(warning);
        }
        // Cutting values moves no parent: the links still hold for the spans now.
        if let Some(links) = links {
            trace.remember_links(links);
        }
        Ok(())
    }

    /// Whether [`Limits::truncate_attributes`] would cut anything, found without writing.
    fn has_values_to_cut(&self, trace: &Trace) -> bool {
        let max = self.max_attr_bytes;
        max != usize::MAX
            && trace.spans.iter().any(|s| {
                let events = s.events.iter().flat_map(|e| e.attributes.iter());
                s.attributes_and_scope()
                    .chain(events)
                    .chain(s.resource())
                    .any(|(_, v)| exceeds(v, max))
            })
    }

    /// Cut every attribute value (span, resource and event attributes, list items) longer
    /// than `max_attr_bytes`. Returns how many were cut.
    pub fn truncate_attributes(&self, trace: &mut Trace) -> usize {
        let max = self.max_attr_bytes;
        if max == usize::MAX {
            return 0;
        }
        let mut cut = 0;
        let mut origins = OriginRewrites::default();
        for s in trace.spans_mut().iter_mut() {
            let events = s.events.iter_mut().flat_map(|e| e.attributes.iter_mut());
            for (_, v) in s.attributes.iter_mut().chain(events) {
                cut += truncate_value(v, max);
            }
            cut += origins.apply(s, |origin| {
                let values = || origin.scope.iter().chain(&origin.resource);
                values().any(|(_, v)| exceeds(v, max)).then(|| {
                    let mut made = origin.clone();
                    let n = made
                        .scope
                        .iter_mut()
                        .chain(made.resource.iter_mut())
                        .map(|(_, v)| truncate_value(v, max))
                        .sum();
                    (made, n)
                })
            });
        }
        cut
    }
}

/// Whether [`truncate_value`] would cut `v`.
fn exceeds(v: &AttrValue, max: usize) -> bool {
    match v {
        AttrValue::Str(s) | AttrValue::Bytes(s) => s.len() > max,
        AttrValue::List(items) => items.iter().any(|i| exceeds(i, max)),
        AttrValue::Int(_) | AttrValue::Float(_) | AttrValue::Bool(_) => false,
    }
}

/// Cut `v` (and the items of a list, at any nesting, without recursion) to `max` bytes.
fn truncate_value(v: &mut AttrValue, max: usize) -> usize {
    let mut cut = 0;
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            AttrValue::Str(s) | AttrValue::Bytes(s) => cut += usize::from(truncate_str(s, max)),
            AttrValue::List(items) => stack.extend(items.iter_mut()),
            AttrValue::Int(_) | AttrValue::Float(_) | AttrValue::Bool(_) => {}
        }
    }
    cut
}

/// Cut `s` to at most `max` bytes at a character boundary and append
/// `…[truncated N bytes]`, N the bytes removed. Returns whether it was cut.
pub fn truncate_str(s: &mut CompactString, max: usize) -> bool {
    if s.len() <= max {
        return false;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let removed = s.len() - end;
    s.truncate(end);
    s.push_str(&format!("…[truncated {removed} bytes]"));
    s.shrink_to_fit();
    true
}

/// Levels of the span tree that `parent` (each span's parent position, as [`ParentLinks`]
/// resolves it) describes: the most spans on one path from a root down (0 for no spans). A
/// cycle is counted once round. Iterative and linear: a chain of any length is fine.
fn depth_of(parent: &[Option<usize>]) -> usize {
    let n = parent.len();
    // 0: not yet known. `mark` tells which walk put a span on its path, to see loops.
    let mut levels = vec![0usize; n];
    let mut mark = vec![usize::MAX; n];
    let mut path = Vec::new();
    let mut deepest = 0;
    for start in 0..n {
        if levels[start] != 0 {
            continue;
        }
        path.clear();
        let mut cur = Some(start);
        let mut base = 0;
        while let Some(i) = cur {
            if levels[i] != 0 {
                base = levels[i];
                break;
            }
            if mark[i] == start {
                break; // a loop: the span where it closes counts as a root
            }
            mark[i] = start;
            path.push(i);
            cur = parent[i];
        }
        for (k, &i) in path.iter().rev().enumerate() {
            levels[i] = base + k + 1;
        }
        deepest = deepest.max(base + path.len());
    }
    deepest
}

/// Human form of a byte count for messages.
pub fn human_bytes(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if n >= MIB && n % MIB == 0 {
        format!("{} MiB", n / MIB)
    } else if n >= 1024 && n % 1024 == 0 {
        format!("{} KiB", n / 1024)
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;

    fn depth(trace: &Trace) -> usize {
        depth_of(&trace.parent_links().parent)
    }

    fn span(id: &str, parent: Option<&str>) -> Span {
        Span {
            span_id: id.into(),
            parent_id: parent.map(Into::into),
            ..Span::default()
        }
    }

    fn trace(spans: Vec<Span>) -> Trace {
        Trace::with_spans("t".into(), spans)
    }

    #[test]
    fn depth_counts_levels_and_survives_loops() {
        assert_eq!(depth(&trace(vec![])), 0);
        assert_eq!(depth(&trace(vec![span("a", None)])), 1);
        let chain = trace(vec![
            span("c", Some("b")),
            span("a", None),
            span("b", Some("a")),
            span("x", Some("missing")),
        ]);
        assert_eq!(depth(&chain), 3);
        let looped = trace(vec![
            span("a", Some("c")),
            span("b", Some("a")),
            span("c", Some("b")),
            span("d", Some("c")),
            span("e", Some("e")),
        ]);
        assert_eq!(depth(&looped), 3);
        let n = 300_000;
        let long = trace(
            (0..n)
                .map(|i| {
                    let p = (i > 0).then(|| (i - 1).to_string());
                    span(&i.to_string(), p.as_deref())
                })
                .collect(),
        );
        assert_eq!(depth(&long), n);
    }

    #[test]
    fn truncates_at_a_char_boundary() {
        let mut s = CompactString::from("aé".repeat(3)); // 9 bytes
        assert!(!truncate_str(&mut s.clone(), 9));
        assert!(truncate_str(&mut s, 5)); // "aéa" is 4 bytes, 'é' would end at 6
        assert_eq!(s, "aéa…[truncated 5 bytes]");
    }

    #[test]
    fn cuts_nested_values_and_counts_them() {
        let mut s = span("a", None);
        s.attributes = vec![
            ("ok".into(), AttrValue::Str("x".repeat(8).into())),
            ("long".into(), AttrValue::Str("y".repeat(9).into())),
            (
                "list".into(),
                AttrValue::List(vec![AttrValue::List(vec![AttrValue::Bytes(
                    "z".repeat(20).into(),
                )])]),
            ),
        ];
        let mut t = trace(vec![s]);
        let limits = Limits {
            max_attr_bytes: 8,
            quiet: true,
            ..Limits::default()
        };
        assert!(limits.apply_one(&mut t, "x").is_ok());
        assert_eq!(t.warnings.len(), 1, "{:?}", t.warnings);
        assert!(t.warnings[0].starts_with("2 attribute value(s)"));
        let a = &t.spans[0].attributes;
        assert_eq!(a[0].1.as_text(), "x".repeat(8));
        assert_eq!(
            a[1].1.as_text(),
            format!("{}…[truncated 1 bytes]", "y".repeat(8))
        );
    }

    #[test]
    fn span_and_depth_limits_name_the_trace() {
        let t = || trace(vec![span("a", None), span("b", Some("a"))]);
        let at = Limits {
            max_trace_spans: 2,
            max_depth: 2,
            ..Limits::default()
        };
        assert!(at.apply_one(&mut t(), "f").is_ok());
        let e = Limits {
            max_trace_spans: 1,
            ..at
        }
        .apply_one(&mut t(), "f")
        .err()
        .map(|e| (e.exit_code(), e.to_string()));
        assert_eq!(
            e,
            Some((
                2,
                "f: trace t has 2 spans, more than the --max-trace-spans limit of 1; raise --max-trace-spans if that is expected".into()
            ))
        );
        let e = Limits { max_depth: 1, ..at }.apply_one(&mut t(), "f").err();
        assert!(e.is_some_and(|e| e.to_string().contains("is 2 spans deep")));
    }
}
