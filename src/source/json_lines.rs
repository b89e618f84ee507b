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

/// `read` every part in order into a fresh `T`: in one piece, or, when the parts hold at
/// least `two_threads_at` bytes, as two halves of about equal size, the second on its own
/// thread. The halves come back in input order, for the caller to join: the same result as
/// reading alone, in about half the time on two cores. Err when any part fails.
pub(super) fn read_in_halves<T: Default + Send>(
    parts: &[&[u8]],
    two_threads_at: usize,
    read: impl Fn(&[u8], &mut T) -> Result<(), ()> + Sync,
) -> Result<Vec<T>, ()> {
    let read_all = |parts: &[&[u8]]| {
        let mut into = T::default();
        let Some(first) = parts.first() else {
            return Ok(into);
        };
        let mut behind = ReadBehind::new(first);
        for part in parts {
            read(part, &mut into)?;
            behind.read_past(part);
        }
        Ok::<T, ()>(into)
    };
    let total: usize = parts.iter().map(|p| p.len()).sum();
    if total < two_threads_at {
        return Ok(vec![read_all(parts)?]);
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
    std::thread::scope(|s| {
        let later = s.spawn(|| read_all(second));
        let early = read_all(first);
        let later = later
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        Ok(vec![early?, later?])
    })
}
