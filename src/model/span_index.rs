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

/// The value of an id of exactly 16 digits `0-9a-f`: one value for one string.
fn hex16(id: &str) -> Option<u64> {
    let b = id.as_bytes();
    if b.len() != 16 {
        return None;
    }
    let mut v: u64 = 0;
    for &c in b {
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => return None,
        };
        v = (v << 4) | u64::from(d);
    }
    Some(v)
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
