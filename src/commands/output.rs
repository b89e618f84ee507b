//! Writing to stdout without panicking when the reader goes away (`| head`), and capturing
//! a command's output in-process (the MCP server runs commands and returns their text).

use std::cell::RefCell;
use std::io::Write;

use crate::error::{Error, Result};

thread_local! {
    /// Where `write_stdout` goes instead of stdout while [`capture`] runs on this thread.
    static CAPTURED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Write `text` to stdout. A closed pipe is not an error worth reporting: the reader has
/// what it wanted (ripgrep and hyperfine behave the same way).
pub fn write_stdout(text: &str) -> Result<()> {
    let captured = CAPTURED.with(|c| match c.borrow_mut().as_mut() {
        Some(buf) => {
            buf.push_str(text);
            true
        }
        None => false,
    });
    if captured {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) => Err(Error::Io {
            what: "writing output".into(),
            source: e,
        }),
    }
}

/// Stream to stdout through `write`, buffered; into the capture when one runs. `write`
/// returns None when it has nothing to stream, and nothing is written.
pub fn stream_stdout(
    write: impl FnOnce(&mut dyn Write) -> Option<std::io::Result<()>>,
) -> Result<bool> {
    let io_error = |e| Error::Io {
        what: "writing output".into(),
        source: e,
    };
    if CAPTURED.with(|c| c.borrow().is_some()) {
        let mut buf = Vec::new();
        let Some(r) = write(&mut buf) else {
            return Ok(false);
        };
        r.map_err(io_error)?;
        write_stdout(&String::from_utf8_lossy(&buf))?;
        return Ok(true);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let Some(r) = write(&mut out) else {
        return Ok(false);
    };
    r.and_then(|_| out.flush()).map_err(io_error)?;
    Ok(true)
}

/// Run `f` and return what it wrote with [`write_stdout`], with its result.
pub fn capture<T>(f: impl FnOnce() -> Result<T>) -> (String, Result<T>) {
    let previous = CAPTURED.with(|c| c.borrow_mut().replace(String::new()));
    let result = f();
    let text = CAPTURED
        .with(|c| std::mem::replace(&mut *c.borrow_mut(), previous))
        .unwrap_or_default();
    (text, result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capture_collects_and_nests() {
        let (outer, r) = capture(|| {
            write_stdout("a")?;
            let (inner, _) = capture(|| write_stdout("b"));
            assert_eq!(inner, "b");
            write_stdout("c")
        });
        assert!(r.is_ok());
        assert_eq!(outer, "ac");
    }
}
