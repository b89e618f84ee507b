//! `tracediag profile`: trace-triggered collection ([`trigger`]) and differential hotspots
//! ([`compare`]).

pub mod compare;
pub mod trigger;

use crate::cli::Cli;
use crate::cli_profile::{ProfileArgs, ProfileCommand};
use crate::error::Result;
use crate::source::profile::DEFAULT_ID_LABELS;

pub fn run(cli: &Cli, args: &ProfileArgs, color: bool) -> Result<i32> {
    match &args.command {
        ProfileCommand::Trigger(a) => trigger::run(cli, a),
        ProfileCommand::Compare(a) => compare::run(cli, a, color),
    }
}

/// The id label keys: the user's, or the defaults.
pub fn id_labels(given: &[String]) -> Vec<String> {
    if given.is_empty() {
        DEFAULT_ID_LABELS.iter().map(|s| s.to_string()).collect()
    } else {
        given.to_vec()
    }
}
