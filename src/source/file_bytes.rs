//! A file's bytes, mapped rather than copied when the file is large.
//!
//! Reading a 450 MB trace file copies it from the page cache into a fresh buffer: the kernel
//! zeroes and faults in every page of the buffer, then copies into it (about 0.2 s, and up
//! to 0.7 s on a busy machine, of a 4 s diagnosis). A read-only map shares the page cache's
//! pages instead. Decoding copies everything it keeps out of the bytes, so the map lives only
//! while the file is decoded.
//!
//! The one hazard of a map, as ripgrep weighs it too: a file truncated by another process
//! while it is mapped makes reading the lost part fault (SIGBUS). Files that only grow (a
//! JSON Lines file being appended to, which `check --run` polls) are safe: the map covers
//! the length seen when it was made. Small files are read: a map costs more than it saves.
//!
//! A mapped page the decoder has read past is let go ([`release_addresses`]): the peak memory of
//! decoding a 450 MB file is then what is decoded, not that plus the whole file. The page
//! stays in the page cache, so reading it again costs a minor fault, never a wrong byte.

use std::fs::File;
use std::ops::Deref;
use std::sync::Mutex;

/// Files at least this large are mapped.
const MAP_AT_BYTES: u64 = 4 * 1024 * 1024;

/// Pages are let go in steps of at least this many bytes: one system call per step.
pub(crate) const RELEASE_STEP: usize = 1 << 20;

/// The address ranges (start, length) of the maps alive now. Only a range inside one of them
/// may be released: the same call on heap memory would zero it.
static LIVE_MAPS: Mutex<Vec<(usize, usize)>> = Mutex::new(Vec::new());

/// The bytes of a file or of stdin.
pub enum FileBytes {
    Read(Vec<u8>),
    Mapped(MappedFile),
}

/// A read-only map of a file, registered in [`LIVE_MAPS`] while it lives.
pub struct MappedFile(memmap2::Mmap);

impl MappedFile {
    fn new(map: memmap2::Mmap) -> MappedFile {
        lock_maps().push((map.as_ptr() as usize, map.len()));
        MappedFile(map)
    }
}

impl Drop for MappedFile {
    fn drop(&mut self) {
        // Unregistered before the map itself is dropped (unmapped), under the lock that
        // `release_addresses` holds while it advises: no release can touch the range once unmapped.
        let start = self.0.as_ptr() as usize;
        lock_maps().retain(|&(s, _)| s != start);
    }
}

fn lock_maps() -> std::sync::MutexGuard<'static, Vec<(usize, usize)>> {
    // The list stays consistent whatever panicked while it was held: each change is one call.
    LIVE_MAPS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Deref for FileBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            FileBytes::Read(v) => v,
            FileBytes::Mapped(m) => &m.0,
        }
    }
}

/// Let the whole pages from address `from` up to `to` go from this process's memory when
/// they lie in a mapped file: the caller has read past them. Anything else is left alone.
/// Addresses, because callers know them from text they borrowed out of the range.
pub(crate) fn release_addresses(from: usize, to: usize) {
    #[cfg(unix)]
    {
        let page = page_size();
        let (from, to) = (from.next_multiple_of(page), to / page * page);
        if to <= from {
            return;
        }
        let maps = lock_maps();
        if !maps.iter().any(|&(s, len)| s <= from && to <= s + len) {
            return;
        }
        // SAFETY: the range is whole pages of a live read-only private file map (checked
        // under the lock its owner takes before unmapping). Dropping such pages loses
        // nothing: the next read maps them again from the page cache.
        unsafe {
            libc::madvise(from as *mut libc::c_void, to - from, libc::MADV_DONTNEED);
        }
    }
    #[cfg(not(unix))]
    let _ = (from, to);
}

/// Let the whole pages of `v`'s spare capacity (past its length) go from this process's
/// memory: what was moved out of a vector being emptied from its end. Its allocation stays
/// whole; the pages read as zeros if they are written again, which spare capacity may be,
/// holding no values.
pub(crate) fn release_spare<T>(v: &mut Vec<T>) {
    #[cfg(unix)]
    {
        let size = std::mem::size_of::<T>();
        let page = page_size();
        let base = v.as_mut_ptr() as usize;
        let from = (base + v.len() * size).next_multiple_of(page);
        let to = (base + v.capacity() * size) / page * page;
        if size == 0 || to <= from {
            return;
        }
        // SAFETY: whole pages inside `v`'s own allocation, past its last value, and `v` is
        // borrowed exclusively: nothing reads them, and zeroed pages are valid spare room.
        unsafe {
            libc::madvise(from as *mut libc::c_void, to - from, libc::MADV_DONTNEED);
        }
    }
    #[cfg(not(unix))]
    let _ = v;
}

/// How many bytes of a live map follow `address`, when it lies in one.
pub(crate) fn mapped_after(address: usize) -> Option<usize> {
    lock_maps()
        .iter()
        .find(|&&(s, len)| s <= address && address < s + len)
        .map(|&(s, len)| s + len - address)
}

#[cfg(unix)]
fn page_size() -> usize {
    static PAGE: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    // SAFETY: sysconf has no preconditions.
    *PAGE.get_or_init(|| match unsafe { libc::sysconf(libc::_SC_PAGESIZE) } {
        n if n > 0 => n as usize,
        _ => 4096,
    })
}

/// Releases memory read front to back, a step at a time, by address.
pub(crate) struct ReadBehind {
    released: usize,
}

impl ReadBehind {
    /// Reading starts at `bytes`.
    pub fn new(bytes: &[u8]) -> ReadBehind {
        ReadBehind::at(bytes.as_ptr() as usize)
    }

    /// Reading starts at `address`.
    pub fn at(address: usize) -> ReadBehind {
        ReadBehind { released: address }
    }

    /// Everything before `end`'s end has been read.
    pub fn read_past(&mut self, end: &[u8]) {
        self.read_to(end.as_ptr() as usize + end.len());
    }

    /// Everything before `address` has been read.
    pub fn read_to(&mut self, address: usize) {
        if address >= self.released + RELEASE_STEP {
            release_addresses(self.released, address);
            self.released = address;
        }
    }
}

/// `bytes` as text when it is UTF-8. Checked a window at a time, letting go of what is behind
/// (see [`release_addresses`]): a mapped file is not held whole through the check only to
/// be read again by the parser.
pub(crate) fn as_text(bytes: &[u8]) -> Option<&str> {
    let mut behind = ReadBehind::new(bytes);
    let mut from = 0;
    while from < bytes.len() {
        let to = (from + RELEASE_STEP).min(bytes.len());
        match std::str::from_utf8(&bytes[from..to]) {
            Ok(_) => from = to,
            // A character cut by the window's end: checked again from its first byte.
            Err(e) if e.error_len().is_none() && to < bytes.len() && e.valid_up_to() > 0 => {
                from += e.valid_up_to();
            }
            Err(_) => return None,
        }
        behind.read_past(&bytes[..from]);
    }
    // SAFETY: every byte was checked above, in windows that each start on a character
    // boundary (the previous window's valid end).
    Some(unsafe { std::str::from_utf8_unchecked(bytes) })
}

impl From<Vec<u8>> for FileBytes {
    fn from(v: Vec<u8>) -> FileBytes {
        FileBytes::Read(v)
    }
}

/// Map `file` of `size` bytes (its length when it was opened) if it is large enough to gain;
/// `None` to read it instead (small, or the map failed: a pipe, a special file).
pub(super) fn map(file: &File, size: u64) -> Option<FileBytes> {
    if size < MAP_AT_BYTES {
        return None;
    }
    let len = usize::try_from(size).ok()?;
    // SAFETY: the map is read-only and private to this process; see the module comment for
    // the truncation hazard, which is the same as ripgrep's and accepted for the same reason.
    let map = unsafe { memmap2::MmapOptions::new().len(len).map(file) }.ok()?;
    #[cfg(unix)]
    {
        // Decoding reads front to back once.
        let _ = map.advise(memmap2::Advice::Sequential);
    }
    Some(FileBytes::Mapped(MappedFile::new(map)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file of `len` bytes with a recognisable pattern, and its mapped bytes.
    fn mapped(len: usize) -> (tempfile::NamedTempFile, Vec<u8>, FileBytes) {
        let content: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        let mut file = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(&mut file, &content).unwrap();
        let bytes = map(file.as_file(), len as u64).expect("a large file is mapped");
        assert!(matches!(bytes, FileBytes::Mapped(_)));
        (file, content, bytes)
    }

    #[test]
    fn a_vectors_spare_pages_go_and_its_values_stay() {
        let mut v: Vec<u64> = (0..3_000_000).collect();
        v.truncate(1_000_123);
        release_spare(&mut v);
        assert!(v.iter().enumerate().all(|(i, &x)| x == i as u64));
        // The room past the values is still the vector's, to be written again.
        v.extend(1_000_123..3_000_000);
        assert!(v.iter().enumerate().all(|(i, &x)| x == i as u64));
    }

    #[test]
    fn released_pages_of_a_map_read_back_the_same() {
        let (_file, content, bytes) = mapped(6 * 1024 * 1024 + 123);
        let at = bytes.as_ptr() as usize;
        release_addresses(at + 1000, at + 5 * 1024 * 1024);
        let mut behind = ReadBehind::new(&bytes);
        for end in (0..bytes.len()).step_by(300_000) {
            behind.read_past(&bytes[..end]);
        }
        assert!(bytes[..] == content[..]);
    }

    #[test]
    fn memory_that_is_not_a_live_map_is_left_alone() {
        let heap: Vec<u8> = (0..8 * 1024 * 1024).map(|i| (i % 7 + 1) as u8).collect();
        release_addresses(heap.as_ptr() as usize, heap.as_ptr() as usize + heap.len());
        assert!(heap
            .iter()
            .enumerate()
            .all(|(i, &b)| b == (i % 7 + 1) as u8));

        // A map that has gone is no longer registered: its range is not advised again.
        let (_file, _, bytes) = mapped(5 * 1024 * 1024);
        let range = (bytes.as_ptr() as usize, bytes.len());
        drop(bytes);
        assert!(!lock_maps().contains(&range));
    }
}
