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

use std::fs::File;
use std::ops::Deref;

/// Files at least this large are mapped.
const MAP_AT_BYTES: u64 = 4 * 1024 * 1024;

/// The bytes of a file or of stdin.
pub enum FileBytes {
    Read(Vec<u8>),
    Mapped(memmap2::Mmap),
}

impl Deref for FileBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            FileBytes::Read(v) => v,
            FileBytes::Mapped(m) => m,
        }
    }
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
    Some(FileBytes::Mapped(map))
}
