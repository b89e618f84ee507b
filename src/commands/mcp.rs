//! `mcp`: placeholder.
use crate::cli::Cli;
use crate::error::{Error, Result};
pub fn run(_cli: &Cli) -> Result<i32> {
    Err(Error::Usage("mcp: not yet".into()))
}
