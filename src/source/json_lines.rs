//! JSON Lines (the OpenTelemetry Collector's file exporter): cutting the input into lines,
//! and reading a large input's lines on two threads.

use super::file_bytes::{ReadBehind, RELEASE_STEP};

/// Input at least this large is read as two halves side by side.
pub(super) const TWO_THREADS_AT_BYTES: usize = 8 * 1024 * 1024;

/// The input cut before every `{` that starts a line, whitespace-only pieces dropped. A raw
/// newline cannot occur inside a JSON string, so a cut falls between tokens; a cut inside a
/// value (an unindented nested object) makes that piece fail, and the caller reads the
/// input whole.
pub(super) fn split<'a>(bytes: &'a [u8]) -> Vec<&'a [u8]> {
    let mut parts = Vec::new();
    let mut keep = |part: &'a [u8]| {
        if part.iter().any(|b| !b.is_ascii_whitespace()) {
            parts.push(part);
        }
    };
    // Scanned a window at a time, releasing what is behind: a document without line breaks
    // is one part, and its pages are decoded after this scan, not held through it.
    let finder = memchr::memmem::Finder::new(b"\n{");
    let mut behind = ReadBehind::new(bytes);
    let (mut start, mut from) = (0, 0);
    while from < bytes.len() {
        let to = (from + RELEASE_STEP).min(bytes.len());
        // One byte past the window, for a line break at its last byte.
        let window = &bytes[from..(to + 1).min(bytes.len())];
        for at in finder.find_iter(window).map(|i| from + i) {
            if at >= to {
                break;
            }
            keep(&bytes[start..=at]);
            start = at + 1;
        }
        behind.read_past(&bytes[..to]);
        from = to;
    }
    keep(&bytes[start..]);
    parts
}

/// Bytes read before a half estimates its size (see `read_in_halves`).
const ESTIMATE_AFTER_BYTES: usize = 1 << 20;

/// `read` every part in order into a fresh `T`: in one piece, or, when the parts hold at
/// least `two_threads_at` bytes, as two halves of about equal size, the second on its own
/// thread. The halves come back in input order, for the caller to join: the same result as
/// reading alone, in about half the time on two cores. Err when any part fails.
///
/// Once a megabyte of a larger half is read, `expect(t, read, wanted)` is told how many
/// bytes were read into `t` and how many it should make room for: the rest of the input for
/// the first half (which the caller joins the second onto), its own for the second.
pub(super) fn read_in_halves<T: Default + Send>(
    parts: &[&[u8]],
    two_threads_at: usize,
    read: impl Fn(&[u8], &mut T) -> Result<(), ()> + Sync,
    expect: impl Fn(&mut T, usize, usize) + Sync,
) -> Result<Vec<T>, ()> {
    let read_all = |parts: &[&[u8]], wanted: usize| {
        let mut into = T::default();
        let Some(first) = parts.first() else {
            return Ok(into);
        };
        let mut behind = ReadBehind::new(first);
        let mut done = 0;
        for part in parts {
            read(part, &mut into)?;
            behind.read_past(part);
            let before = done;
            done += part.len();
            if before < ESTIMATE_AFTER_BYTES && done >= ESTIMATE_AFTER_BYTES && done < wanted {
                expect(&mut into, done, wanted);
            }
        }
        Ok::<T, ()>(into)
    };
    let total: usize = parts.iter().map(|p| p.len()).sum();
    if total < two_threads_at {
        return Ok(vec![read_all(parts, total)?]);
    }
    let mut upto = 0;
    let cut = parts
        .iter()
        .position(|p| {
            upto += p.len();
            upto * 2 >= total
        })
        .map_or(parts.len(), |i| i + 1);
    let (first, second) = parts.split_at(cut);
    let second_bytes = total - upto;
    std::thread::scope(|s| {
        let later = s.spawn(|| read_all(second, second_bytes));
        let early = read_all(first, total);
        let later = later
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        Ok(vec![early?, later?])
    })
}
