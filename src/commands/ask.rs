//! `ask`: placeholder.
use crate::cli::Cli;
use crate::cli_llm::AskArgs;
use crate::error::{Error, Result};
pub fn run(_cli: &Cli, _a: &AskArgs) -> Result<i32> {
    Err(Error::Usage("ask: not yet".into()))
}
