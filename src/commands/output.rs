//! Writing to stdout without panicking when the reader goes away (`| head`).

use std::io::Write;

use crate::error::{Error, Result};

/// Write `text` to stdout. A closed pipe is not an error worth reporting: the reader has
/// what it wanted (ripgrep and hyperfine behave the same way).
pub fn write_stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) => Err(Error::Io {
            what: "writing output".into(),
            source: e,
        }),
    }
}
