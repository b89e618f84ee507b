//! A small store of recently used values for a long-running process (the MCP server): at
//! most so many entries and so much estimated weight, none unused for longer than a time to
//! live; the least recently used goes first. A linear scan: these stores hold a handful of
//! entries, each standing for a whole trace or file.

use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

struct Entry<K, V> {
    key: K,
    value: V,
    weight: u64,
    used: Instant,
}

pub struct Lru<K, V> {
    max_entries: usize,
    max_weight: u64,
    ttl: Duration,
    entries: Mutex<Vec<Entry<K, V>>>,
}

impl<K: PartialEq, V: Clone> Lru<K, V> {
    /// A store of at most `max_entries` values weighing at most `max_weight` together.
    pub fn new(max_entries: usize, max_weight: u64, ttl: Duration) -> Lru<K, V> {
        Lru {
            max_entries,
            max_weight,
            ttl,
            entries: Mutex::new(Vec::new()),
        }
    }

    fn entries(&self) -> MutexGuard<'_, Vec<Entry<K, V>>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The value kept for `key`, which counts as used now.
    pub fn get(&self, key: &K) -> Option<V> {
        let now = Instant::now();
        let mut entries = self.entries();
        entries.retain(|e| now.duration_since(e.used) <= self.ttl);
        let e = entries.iter_mut().find(|e| &e.key == key)?;
        e.used = now;
        Some(e.value.clone())
    }

    /// Keep `value` for `key`, making room by dropping the least recently used; a value
    /// heavier than the whole bound is not kept.
    pub fn put(&self, key: K, value: V, weight: u64) {
        if weight > self.max_weight || self.max_entries == 0 {
            return;
        }
        let mut entries = self.entries();
        entries.retain(|e| e.key != key);
        loop {
            let full = entries.len() >= self.max_entries
                || entries.iter().map(|e| e.weight).sum::<u64>() + weight > self.max_weight;
            let oldest = (0..entries.len()).min_by_key(|&i| entries[i].used);
            match oldest.filter(|_| full) {
                Some(i) => {
                    entries.swap_remove(i);
                }
                None => break,
            }
        }
        entries.push(Entry {
            key,
            value,
            weight,
            used: Instant::now(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_recently_used_within_the_bound() {
        let lru = Lru::new(usize::MAX, 100, Duration::from_secs(60));
        lru.put("a", 1, 40);
        lru.put("b", 2, 40);
        assert!(lru.get(&"a").is_some());
        lru.put("c", 3, 40); // 120 > 100: b, the least recently used, goes
        assert!(lru.get(&"b").is_none());
        assert!(lru.get(&"a").is_some());
        assert!(lru.get(&"c").is_some());
        lru.put("huge", 4, 101);
        assert!(lru.get(&"huge").is_none(), "larger than the bound");
    }

    #[test]
    fn keeps_at_most_so_many() {
        let lru = Lru::new(2, u64::MAX, Duration::from_secs(60));
        lru.put(1, "a", 1);
        lru.put(2, "b", 1);
        assert!(lru.get(&1).is_some());
        lru.put(3, "c", 1);
        assert!(lru.get(&2).is_none(), "the least recently used goes");
        assert_eq!(lru.get(&1), Some("a"));
        assert_eq!(lru.get(&3), Some("c"));
        lru.put(3, "d", 1);
        assert_eq!(
            lru.get(&3),
            Some("d"),
            "a key kept again replaces its value"
        );
    }

    #[test]
    fn forgets_after_the_ttl() {
        let lru = Lru::new(usize::MAX, 100, Duration::ZERO);
        lru.put("a", 1, 1);
        std::thread::sleep(Duration::from_millis(5));
        assert!(lru.get(&"a").is_none());
    }
}
