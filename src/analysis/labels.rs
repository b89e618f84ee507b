//! Dense ids for `service.operation` labels, so analyses that group spans by label compare
//! integers instead of hashing or comparing strings over and over (100,000-span traces).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::model::Span;

/// Label id of every span, by span index.
pub(crate) struct Labels {
    pub ids: Vec<u32>,
    /// Number of distinct labels; ids are below it.
    pub count: usize,
}

impl Labels {
    /// Ids are given in order of first appearance, so they are deterministic.
    pub(crate) fn of(spans: &[Span]) -> Labels {
        let mut map: HashMap<(&str, &str), u32, BuildHasherDefault<FxHasher>> = HashMap::default();
        let mut ids = Vec::with_capacity(spans.len());
        let mut prev: Option<(&Span, u32)> = None;
        for s in spans {
            // Neighbouring spans often share a label (a span list is usually grouped by
            // service or by parent): comparing with the previous one skips the hash.
            let id = match prev {
                Some((p, id)) if p.operation == s.operation && p.service == s.service => id,
                _ => {
                    let next = map.len() as u32;
                    *map.entry((s.service.as_str(), s.operation.as_str()))
                        .or_insert(next)
                }
            };
            prev = Some((s, id));
            ids.push(id);
        }
        Labels {
            ids,
            count: map.len(),
        }
    }
}

/// The multiply-rotate hash rustc uses (FxHash): not DoS-resistant, which does not matter
/// for labels of one trace, and several times faster than SipHash on short strings.
#[derive(Default)]
struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_support::*;

    #[test]
    fn same_label_same_id() {
        let spans = vec![
            span_ms("a", None, "db.q", 0, 1),
            span_ms("b", None, "db.r", 0, 1),
            span_ms("c", None, "db.q", 0, 1),
            span_ms("d", None, "dbq.", 0, 1),
        ];
        let l = Labels::of(&spans);
        assert_eq!((l.ids, l.count), (vec![0, 1, 0, 2], 3));
    }
}
