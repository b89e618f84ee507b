//! Pieces every reader shares: borrowed strings, loosely typed JSON scalars, id decoding and
//! the span every reader starts from.

use std::borrow::Cow;
use std::fmt;

use base64::Engine;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::file_bytes::release_spare;
use crate::model::ids::{hex_case, normalized_hex_id};
use crate::model::shared_text::shared;
use crate::model::{normalized_id, AttrValue, CompactString, Span, Trace};

/// A string that borrows from the input unless it holds escapes. A newtype because serde only
/// borrows a `Cow` when the field itself is marked `#[serde(borrow)]`; inside an `Option` or a
/// `Vec` a bare `Cow` would always be copied, and copying every id and tag of a 40 MB trace
/// is what the typed readers exist to avoid.
#[derive(Debug, Clone, serde::Deserialize)]
pub(crate) struct Str<'a>(#[serde(borrow)] pub Cow<'a, str>);

impl Str<'_> {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address of the text in the input, when it was borrowed rather than unescaped.
    pub fn address(&self) -> Option<usize> {
        match &self.0 {
            Cow::Borrowed(s) => Some(s.as_ptr() as usize),
            Cow::Owned(_) => None,
        }
    }
}

/// A JSON scalar whose type the formats do not agree on: int64 may be a number or a string,
/// Jaeger tag values may be anything. Containers are skipped (reported as `Other`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar<'a> {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(Cow<'a, str>),
    Other,
}

impl<'de: 'a, 'a> Deserialize<'de> for Scalar<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Scalar<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E>(self) -> Result<Scalar<'a>, E> {
                Ok(Scalar::Null)
            }
            fn visit_none<E>(self) -> Result<Scalar<'a>, E> {
                Ok(Scalar::Null)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Scalar<'a>, E> {
                Ok(Scalar::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar<'a>, E> {
                Ok(Scalar::I64(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar<'a>, E> {
                Ok(Scalar::U64(v))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar<'a>, E> {
                Ok(Scalar::F64(v))
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Scalar<'a>, E> {
                Ok(Scalar::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar<'a>, E> {
                Ok(Scalar::Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Scalar<'a>, E> {
                Ok(Scalar::Str(Cow::Owned(v)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar<'a>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Scalar::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar<'a>, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Scalar::Other)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

impl Scalar<'_> {
    /// The value as an integer. Out-of-range numbers saturate: a timestamp past year 2262 is
    /// already nonsense, and saturating keeps the rest of the trace readable.
    pub fn to_i64(&self) -> Option<i64> {
        match self {
            Scalar::I64(v) => Some(*v),
            Scalar::U64(v) => Some(i64::try_from(*v).unwrap_or(i64::MAX)),
            Scalar::F64(v) if v.is_finite() => Some(*v as i64),
            Scalar::Str(s) => {
                // Nanosecond timestamps are written as strings of 19 digits (twice a span):
                // read directly when they are only digits and cannot overflow.
                if let Some(n) = short_decimal(s) {
                    return Some(n);
                }
                let t = s.trim();
                t.parse::<i64>().ok().or_else(|| match t.parse::<f64>() {
                    Ok(f) if f.is_finite() => Some(f as i64),
                    _ => None,
                })
            }
            _ => None,
        }
    }

    pub fn to_f64(&self) -> Option<f64> {
        match self {
            Scalar::I64(v) => Some(*v as f64),
            Scalar::U64(v) => Some(*v as f64),
            Scalar::F64(v) => Some(*v),
            Scalar::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Scalar::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The value as text, for display and for formats that stringify everything.
    pub fn to_text(&self) -> String {
        match self {
            Scalar::Null | Scalar::Other => String::new(),
            Scalar::Bool(b) => b.to_string(),
            Scalar::I64(v) => v.to_string(),
            Scalar::U64(v) => v.to_string(),
            Scalar::F64(v) => v.to_string(),
            Scalar::Str(s) => s.to_string(),
        }
    }

    /// [`Self::to_text`] as the string type spans hold.
    pub fn to_compact_text(&self) -> CompactString {
        match self {
            Scalar::Str(s) => CompactString::from(&**s),
            Scalar::Null | Scalar::Other => CompactString::default(),
            other => other.to_text().into(),
        }
    }

    /// The value as the attribute type its JSON type suggests.
    pub fn to_attr(&self) -> AttrValue {
        match self {
            Scalar::Bool(b) => AttrValue::Bool(*b),
            Scalar::I64(v) => AttrValue::Int(*v),
            Scalar::U64(v) => match i64::try_from(*v) {
                Ok(i) => AttrValue::Int(i),
                Err(_) => AttrValue::Str(self.to_compact_text()),
            },
            Scalar::F64(v) => AttrValue::Float(*v),
            Scalar::Str(_) | Scalar::Null | Scalar::Other => AttrValue::Str(self.to_compact_text()),
        }
    }
}

/// Text of 1 to 19 ASCII digits as a number, when it fits an `i64` (no sign, no spaces);
/// None for anything else, which `str::parse` then reads as before. Nanosecond timestamps
/// are 19 digits: read eight at a time (19 digits always fit a `u64`).
fn short_decimal(s: &str) -> Option<i64> {
    let bytes = s.as_bytes();
    if bytes.is_empty() || bytes.len() > 19 {
        return None;
    }
    let mut n = 0u64;
    let mut eights = bytes.chunks_exact(8);
    for chunk in &mut eights {
        n = n * 100_000_000 + eight_digits(chunk)?;
    }
    for &b in eights.remainder() {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        n = n * 10 + u64::from(digit);
    }
    i64::try_from(n).ok()
}

/// Eight ASCII digits as a number, or None when any is not a digit: each byte's digit
/// checked and the pairs, quads and halves combined in one word.
fn eight_digits(chunk: &[u8]) -> Option<u64> {
    let mut word = [0; 8];
    word.copy_from_slice(chunk);
    let x = u64::from_le_bytes(word);
    const HIGH_NIBBLES: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    const ZEROS: u64 = 0x3030_3030_3030_3030;
    // Every byte is 0x30..=0x39: its high nibble is 3, and adding 6 does not carry into it.
    if x & HIGH_NIBBLES != ZEROS || (x.wrapping_add(0x0606_0606_0606_0606) & HIGH_NIBBLES) != ZEROS
    {
        return None;
    }
    let mut v = x - ZEROS;
    v = (v * 10 + (v >> 8)) & 0x00FF_00FF_00FF_00FF;
    v = (v * 100 + (v >> 16)) & 0x0000_FFFF_0000_FFFF;
    v = (v * 10_000 + (v >> 32)) & 0xFFFF_FFFF;
    Some(v)
}

/// `v.into_iter().map(f).collect()` with exactly `v.len()` capacity. A plain `collect` here
/// reuses the source allocation in place: the raw serde structs are several times larger
/// than the model's, so each span would keep a mostly empty buffer alive (measured: +70 MB
/// on a 100,000-span OTLP file).
pub(crate) fn map_exact<T, U>(v: Vec<T>, f: impl FnMut(T) -> U) -> Vec<U> {
    let mut out = Vec::with_capacity(v.len());
    out.extend(v.into_iter().map(f));
    out
}

/// A parent id: empty and all-zero ids mean "no parent" in every format we read (Jaeger
/// encodes a missing parent as span id 0, some OTLP exporters write zeros instead of "").
pub(crate) fn parent_id(id: CompactString) -> Option<CompactString> {
    if id.is_empty() || id.bytes().all(|b| b == b'0') {
        None
    } else {
        Some(id)
    }
}

/// Decode an OTLP id: hex as written by the spec encoding, base64 as written by plain
/// protobuf-JSON marshallers (Tempo). All-hex text is taken as hex; otherwise base64 that
/// decodes to exactly 8 or 16 bytes (span and trace id widths) becomes lower-case hex.
/// Anything else is kept as an opaque id rather than guessed at.
pub(crate) fn otlp_id(raw: &str) -> CompactString {
    let s = raw.trim();
    if let Some(upper) = hex_case(s) {
        return normalized_hex_id(s, upper);
    }
    let engines = [
        &base64::engine::general_purpose::STANDARD,
        &base64::engine::general_purpose::URL_SAFE,
        &base64::engine::general_purpose::STANDARD_NO_PAD,
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
    ];
    for engine in engines {
        if let Ok(bytes) = engine.decode(s) {
            if bytes.len() == 8 || bytes.len() == 16 {
                return to_hex(&bytes);
            }
        }
    }
    normalized_id(s)
}

pub(crate) fn to_hex(bytes: &[u8]) -> CompactString {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    // Ids are 8 or 16 bytes: written on the stack, then shared like any id.
    let mut buf = [0u8; 64];
    let Some(out) = buf.get_mut(..bytes.len() * 2) else {
        return bytes
            .iter()
            .flat_map(|b| {
                [
                    HEX[(b >> 4) as usize] as char,
                    HEX[(b & 0xf) as usize] as char,
                ]
            })
            .collect();
    };
    for (pair, b) in out.chunks_exact_mut(2).zip(bytes) {
        pair[0] = HEX[(b >> 4) as usize];
        pair[1] = HEX[(b & 0xf) as usize];
    }
    shared(std::str::from_utf8(out).unwrap_or_default())
}

/// Microseconds to nanoseconds, saturating.
pub(crate) fn us_to_ns(us: i64) -> i64 {
    us.saturating_mul(1000)
}

/// How many more items `left_bytes` hold, at the rate `seen` items took `seen_bytes`, with a
/// sixteenth to spare: room reserved from it that falls short by one item doubles the vector.
pub(crate) fn expected_more(seen: usize, seen_bytes: usize, left_bytes: usize) -> usize {
    let more = seen.saturating_mul(left_bytes) / seen_bytes.max(1);
    more.saturating_add(more / 16)
}

/// Group spans into traces by trace id, traces sorted by id, spans kept in input order.
/// `warnings` pairs a trace id (None: every trace) with a message.
pub(crate) fn group(spans: Vec<Span>, warnings: Vec<(Option<String>, String)>) -> Vec<Trace> {
    // Capacity beyond the spans is left as it is: pages never written take no memory, and
    // shrinking would copy every span to a new block, leaving the old one behind.
    let mut traces: Vec<Trace> = Vec::new();
    let single = spans.first().map(|s| s.trace_id.clone());
    if let Some(id) = single.filter(|id| spans.iter().all(|s| s.trace_id == id)) {
        // The common case, a single trace: move the vector rather than regrouping it.
        traces.push(Trace::with_spans(id.to_string(), spans));
    } else {
        traces = by_trace(spans)
            .into_iter()
            .map(|(id, spans)| Trace::with_spans(id, spans))
            .collect();
    }
    for (id, message) in warnings {
        match id {
            Some(id) => {
                if let Some(t) = traces.iter_mut().find(|t| t.id == id) {
                    push_unique(&mut t.warnings, message);
                }
            }
            None => {
                for t in &mut traces {
                    push_unique(&mut t.warnings, message.clone());
                }
            }
        }
    }
    traces
}

/// Spans by trace id, sorted by id, each trace's in input order and in a vector of exactly
/// its size: the spans of each trace are counted first. Pushed as found, a 10-span trace's
/// vector had room for 16 (a million spans: 150 MB more at the peak). The input is emptied
/// from its end, its pages let go as it goes, so the spans are not held twice (the peak of
/// `root-cause --window` over a million spans was here).
fn by_trace(mut spans: Vec<Span>) -> Vec<(String, Vec<Span>)> {
    let mut slot_of_id: rustc_hash::FxHashMap<&str, u32> = rustc_hash::FxHashMap::default();
    let mut ids: Vec<&str> = Vec::new();
    let mut sizes: Vec<usize> = Vec::new();
    let mut last: Option<(&str, u32)> = None;
    let slots: Vec<u32> = spans
        .iter()
        .map(|s| {
            let id = s.trace_id.as_str();
            let slot = match last {
                // Spans of a trace mostly come together.
                Some((l, slot)) if l == id => slot,
                _ => *slot_of_id.entry(id).or_insert_with(|| {
                    ids.push(id);
                    sizes.push(0);
                    u32::try_from(ids.len() - 1).expect("fewer than 2^32 traces")
                }),
            };
            last = Some((id, slot));
            sizes[slot as usize] += 1;
            slot
        })
        .collect();
    let mut traces: Vec<(String, Vec<Span>)> =
        ids.iter().map(|id| (id.to_string(), Vec::new())).collect();
    drop(slot_of_id);
    let mut left = sizes.clone();
    while let Some(s) = spans.pop() {
        let slot = slots[spans.len()] as usize;
        let list = &mut traces[slot].1;
        // Room made when the trace's last span comes, not all at once before: the
        // allocator writes into each block it hands out, so room made up front is memory
        // taken before the input's is let go.
        if list.capacity() == 0 {
            list.reserve_exact(sizes[slot]);
        }
        left[slot] -= 1;
        list.spare_capacity_mut()[left[slot]].write(s);
        if spans.len() % RELEASE_SPANS == 0 {
            release_spare(&mut spans);
        }
    }
    for ((_, list), &n) in traces.iter_mut().zip(&sizes) {
        // SAFETY: each trace's `n` spans were counted in `slots` and written once each, to
        // places n-1 down to 0 of room made for exactly n.
        unsafe { list.set_len(n) };
    }
    traces.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    traces
}

/// Move `from`'s values onto the end of `to`, in order, `from` emptied from its end with its
/// pages let go as it goes: joining the two halves of a big input held the second twice
/// (a million spans: 120 MB more at the peak of reading them).
pub(crate) fn move_onto<T>(to: &mut Vec<T>, mut from: Vec<T>) {
    let (start, n) = (to.len(), from.len());
    to.reserve(n);
    let room = &mut to.spare_capacity_mut()[..n];
    let mut left = n;
    while let Some(v) = from.pop() {
        left -= 1;
        room[left].write(v);
        if left % RELEASE_SPANS == 0 {
            release_spare(&mut from);
        }
    }
    // SAFETY: the `n` places after `start` were each written once, from n-1 down to 0.
    unsafe { to.set_len(start + n) };
}

/// Spans moved out of the input between two lets-go of its spare pages (about 4 MB).
const RELEASE_SPANS: usize = 16 * 1024;

fn push_unique(list: &mut Vec<String>, message: String) {
    if !list.contains(&message) {
        list.push(message);
    }
}

/// Spans and warnings gathered from one input, before grouping.
#[derive(Debug, Default)]
pub(crate) struct Collected {
    pub spans: Vec<Span>,
    /// OTLP origins (resource and scope) made so far, shared by every span with the same.
    pub origins: super::otlp_mapping::Origins,
    /// (trace id or None for every trace, message)
    pub warnings: Vec<(Option<String>, String)>,
}

/// A serde error for a value of the wrong shape, located by serde_json's line/column.
pub(crate) fn shape_error<E: de::Error>(message: impl fmt::Display) -> E {
    E::custom(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_moved_onto_a_vector_keep_their_order() {
        let n = 2 * RELEASE_SPANS + 5;
        let mut to: Vec<String> = (0..7).map(|i| i.to_string()).collect();
        move_onto(&mut to, (7..n).map(|i| i.to_string()).collect());
        assert_eq!(to, (0..n).map(|i| i.to_string()).collect::<Vec<_>>());
        move_onto(&mut to, Vec::new());
        assert_eq!(to.len(), n);
    }

    #[test]
    fn traces_keep_their_spans_in_input_order_when_grouped() {
        // Past the step at which the input's pages are let go, interleaved, one trace alone.
        let n = 3 * RELEASE_SPANS + 17;
        let span = |i: usize| Span {
            trace_id: match i {
                7 => "lone".into(),
                _ => ["b", "a", "c"][i % 3].into(),
            },
            span_id: format!("{i:016x}").into(),
            attributes: vec![("i".into(), AttrValue::Int(i as i64))],
            ..Span::default()
        };
        let traces = group((0..n).map(span).collect(), Vec::new());
        let ids: Vec<&str> = traces.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c", "lone"]);
        assert_eq!(traces.iter().map(|t| t.spans.len()).sum::<usize>(), n);
        for t in &traces {
            let at: Vec<usize> = t
                .spans
                .iter()
                .map(|s| {
                    let Some(AttrValue::Int(i)) = s.attr("i") else {
                        panic!("attribute kept")
                    };
                    assert_eq!(s.span_id, format!("{i:016x}"));
                    *i as usize
                })
                .collect();
            assert!(at.windows(2).all(|w| w[0] < w[1]), "{}: input order", t.id);
            assert_eq!(
                t.spans.capacity(),
                t.spans.len(),
                "room for exactly its spans"
            );
        }
    }

    #[test]
    fn decimal_text_reads_as_str_parse_does() {
        for text in [
            "0",
            "007",
            "1700000000000000000",
            "9223372036854775807",
            "9223372036854775808",
            "99999999999999999999",
            " 12 ",
            "+5",
            "-5",
            "1e3",
            "12x",
            "",
        ] {
            let expected =
                text.trim()
                    .parse::<i64>()
                    .ok()
                    .or_else(|| match text.trim().parse::<f64>() {
                        Ok(f) if f.is_finite() => Some(f as i64),
                        _ => None,
                    });
            assert_eq!(Scalar::Str(text.into()).to_i64(), expected, "{text:?}");
        }
        assert_eq!(short_decimal("9223372036854775808"), None);
        // Every length, and a non-digit (either side of the digits' range) at every place.
        let digits = "1700000000123456789";
        for len in 1..=digits.len() {
            let text = &digits[..len];
            assert_eq!(short_decimal(text), text.parse().ok(), "{text}");
            for at in 0..len {
                for bad in [b'/', b':', b'?', b'a', b' ', 0x80] {
                    let mut b = text.as_bytes().to_vec();
                    b[at] = bad;
                    let t = String::from_utf8_lossy(&b);
                    assert_eq!(short_decimal(&t), None, "{t}");
                }
            }
        }
    }

    #[test]
    fn decodes_base64_and_hex_ids() {
        assert_eq!(
            otlp_id("O6VWCcPN5JZJzXfR+dzZNg=="),
            "3ba55609c3cde49649cd77d1f9dcd936"
        );
        assert_eq!(otlp_id("Sc130fnc2TY="), "49cd77d1f9dcd936");
        assert_eq!(
            otlp_id("5B8EFFF798038103D269B633813FC60C"),
            "5b8efff798038103d269b633813fc60c"
        );
        assert_eq!(otlp_id("EEE19B7EC3C1B174"), "eee19b7ec3c1b174");
        assert_eq!(otlp_id("trace-123"), "trace-123");
    }

    #[test]
    fn scalar_numbers_saturate() {
        assert_eq!(Scalar::U64(u64::MAX).to_i64(), Some(i64::MAX));
        assert_eq!(Scalar::F64(1e30).to_i64(), Some(i64::MAX));
        assert_eq!(
            Scalar::Str("9223372036854775222".into()).to_i64(),
            Some(9223372036854775222)
        );
        assert_eq!(Scalar::Str("x".into()).to_i64(), None);
    }

    #[test]
    fn zero_parent_is_root() {
        assert_eq!(parent_id("0000000000000000".into()), None);
        assert_eq!(parent_id(String::new().into()), None);
        assert_eq!(parent_id("01".into()), Some("01".into()));
    }
}
