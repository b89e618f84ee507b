//! JSON Lines (the OpenTelemetry Collector's file exporter): cutting the input into lines,
//! and reading a large input's lines on two threads.

/// Input at least this large is read as two halves side by side.
pub(super) const TWO_THREADS_AT_BYTES: usize = 8 * 1024 * 1024;

/// The input cut before every `{` that starts a line, whitespace-only pieces dropped. A raw
/// newline cannot occur inside a JSON string, so a cut falls between tokens; a cut inside a
/// value (an unindented nested object) makes that piece fail, and the caller reads the
/// input whole.
pub(super) fn split(bytes: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut start = 0;
    for at in memchr::memmem::find_iter(bytes, b"\n{") {
        parts.push(&bytes[start..=at]);
        start = at + 1;
    }
    parts.push(&bytes[start..]);
    parts.retain(|p| p.iter().any(|b| !b.is_ascii_whitespace()));
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
        for part in parts {
            read(part, &mut into)?;
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
