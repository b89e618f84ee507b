//! Span id → position, the lookup every parent link goes through.
//!
//! Almost every span id in the wild is 16 lower-case hex digits (W3C, Jaeger, Zipkin, after
//! [`super::normalize_id`]); those are kept as their 64-bit value, so a lookup hashes and
//! compares one integer instead of following a pointer to a string and comparing bytes. On a
//! million-span trace that halves indexing (the string map's cost was cache misses on the
//! id bytes). Any other id (other lengths, upper case, opaque text) is kept as a string, so
//! the index maps exactly the strings it was given.

use std::collections::hash_map::Entry;

use rustc_hash::FxHashMap;

/// The first position of each id inserted.
#[derive(Debug, Default)]
pub struct SpanIndex<'a> {
    hex16: FxHashMap<u64, usize>,
    other: FxHashMap<&'a str, usize>,
}

/// Each byte's value as a lower-case hex digit, or 0xFF.
static HEX_DIGIT: [u8; 256] = {
    let mut t = [0xFF; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

/// The value of an id of exactly 16 digits `0-9a-f`: one value for one string. Digits are
/// looked up rather than told apart by range: random ids mix digits and letters, and a
/// branch per character on which it is mispredicts half the time.
fn hex16(id: &str) -> Option<u64> {
    let b = id.as_bytes();
    if b.len() != 16 {
        return None;
    }
    let mut v: u64 = 0;
    let mut bad = 0;
    for &c in b {
        let d = HEX_DIGIT[usize::from(c)];
        bad |= d;
        v = (v << 4) | u64::from(d & 0x0F);
    }
    (bad & 0xF0 == 0).then_some(v)
}

/// Put `i` in a vacant entry; false when the entry was taken.
fn first_at<K>(entry: Entry<'_, K, usize>, i: usize) -> bool {
    match entry {
        Entry::Occupied(_) => false,
        Entry::Vacant(v) => {
            v.insert(i);
            true
        }
    }
}

impl<'a> SpanIndex<'a> {
    pub fn with_capacity(n: usize) -> SpanIndex<'a> {
        SpanIndex {
            hex16: FxHashMap::with_capacity_and_hasher(n, Default::default()),
            other: FxHashMap::default(),
        }
    }

    /// Every span id of `ids`, each at its first position.
    pub fn of(ids: impl ExactSizeIterator<Item = &'a str>) -> SpanIndex<'a> {
        let mut index = SpanIndex::with_capacity(ids.len());
        for (i, id) in ids.enumerate() {
            index.insert(id, i);
        }
        index
    }

    /// Record `id` at `i` unless it is already there; false when it was (a duplicate).
    pub fn insert(&mut self, id: &'a str, i: usize) -> bool {
        match hex16(id) {
            Some(v) => first_at(self.hex16.entry(v), i),
            None => first_at(self.other.entry(id), i),
        }
    }

    pub fn get(&self, id: &str) -> Option<usize> {
        match hex16(id) {
            Some(v) => self.hex16.get(&v).copied(),
            None => self.other.get(id).copied(),
        }
    }

    pub fn contains(&self, id: &str) -> bool {
        self.get(id).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_exactly_the_strings_given() {
        let ids = [
            "00000000000000ab",
            "00000000000000AB",
            "ab",
            "000000000000000ab",
            "trace-123",
            "ffffffffffffffff",
            "0000000000000000",
        ];
        let index = SpanIndex::of(ids.iter().copied());
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(index.get(id), Some(i), "{id}");
        }
        for absent in [
            "00000000000000ac",
            "AB",
            "0ab",
            "fffffffffffffffe",
            "trace-12",
            "",
        ] {
            assert_eq!(index.get(absent), None, "{absent}");
        }
    }

    #[test]
    fn sixteen_hex_digits_and_nothing_else_have_a_value() {
        let reference = |id: &str| {
            (id.len() == 16 && id.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')))
                .then(|| u64::from_str_radix(id, 16).unwrap())
        };
        let base = "0123456789abcdef";
        for at in 0..16 {
            for c in 0..=255u8 {
                let mut b = base.as_bytes().to_vec();
                b[at] = c;
                let id = String::from_utf8_lossy(&b);
                assert_eq!(hex16(&id), reference(&id), "{id:?}");
            }
        }
        assert_eq!(hex16("fedcba9876543210"), Some(0xfedc_ba98_7654_3210));
    }

    #[test]
    fn a_repeated_id_keeps_its_first_position() {
        let mut index = SpanIndex::default();
        assert!(index.insert("00000000000000ab", 0));
        assert!(!index.insert("00000000000000ab", 1));
        assert!(index.insert("x", 2));
        assert!(!index.insert("x", 3));
        assert_eq!(index.get("00000000000000ab"), Some(0));
        assert_eq!(index.get("x"), Some(2));
    }
}
