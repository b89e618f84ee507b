//! Decoded trace files kept between tool calls: a model asks several questions about one
//! trace, and reading and decoding a 100,000-span file is nearly all of a call's time.
//!
//! Least recently used first out, within a memory bound (estimated at twice the file's
//! size, about what its decoded spans take) and a time to live; a changed file has another
//! key (length, modification time), so it is read afresh.

use std::sync::Arc;
use std::time::Duration;

use crate::lru;
use crate::model::Trace;
use crate::source::backend::{DecodedFiles, FileKey};

/// Memory the kept files may take, estimated.
pub const MAX_BYTES: u64 = 1024 * 1024 * 1024;
/// How long an unused file is kept.
pub const TTL: Duration = Duration::from_secs(15 * 60);

/// The store of decoded files the MCP server installs.
pub struct Lru(lru::Lru<FileKey, Arc<Vec<Trace>>>);

impl Lru {
    pub fn new(max_bytes: u64, ttl: Duration) -> Lru {
        Lru(lru::Lru::new(usize::MAX, max_bytes, ttl))
    }
}

/// Estimated memory of a decoded file: twice its size on disk.
fn estimate(key: &FileKey) -> u64 {
    key.len.saturating_mul(2)
}

impl DecodedFiles for Lru {
    fn get(&self, key: &FileKey) -> Option<Arc<Vec<Trace>>> {
        self.0.get(key)
    }

    fn put(&self, key: FileKey, traces: Arc<Vec<Trace>>) {
        let bytes = estimate(&key);
        self.0.put(key, traces, bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Limits;

    fn key(name: &str, len: u64) -> FileKey {
        FileKey {
            path: name.into(),
            len,
            modified: None,
            limits: Limits::default(),
        }
    }

    fn traces(id: &str) -> Arc<Vec<Trace>> {
        Arc::new(vec![Trace::new(id.into())])
    }

    #[test]
    fn keeps_the_recently_used_within_the_bound() {
        let lru = Lru::new(100, TTL);
        lru.put(key("a", 20), traces("a"));
        lru.put(key("b", 20), traces("b"));
        assert!(lru.get(&key("a", 20)).is_some());
        lru.put(key("c", 20), traces("c")); // 120 > 100: b, the least recently used, goes
        assert!(lru.get(&key("b", 20)).is_none());
        assert!(lru.get(&key("a", 20)).is_some());
        assert!(lru.get(&key("c", 20)).is_some());
        assert!(
            lru.get(&key("a", 21)).is_none(),
            "a changed file is another key"
        );
        lru.put(key("huge", 60), traces("huge"));
        assert!(lru.get(&key("huge", 60)).is_none(), "larger than the bound");
    }

    #[test]
    fn forgets_after_the_ttl() {
        let lru = Lru::new(100, Duration::ZERO);
        lru.put(key("a", 1), traces("a"));
        std::thread::sleep(Duration::from_millis(5));
        assert!(lru.get(&key("a", 1)).is_none());
    }
}
