//! `tracediag profile`: trace-triggered collection ([`trigger`]) and differential hotspots
//! ([`compare`]).

mod cohorts;
pub mod compare;
mod compare_notes;
pub mod trigger;

use crate::source::profile::DEFAULT_ID_LABELS;

/// The id label keys: the user's, or the defaults.
pub fn id_labels(given: &[String]) -> Vec<String> {
    if given.is_empty() {
        DEFAULT_ID_LABELS.iter().map(|s| s.to_string()).collect()
    } else {
        given.to_vec()
    }
}
