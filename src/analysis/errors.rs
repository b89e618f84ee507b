//! Where an error started and how it travelled to the root.

use crate::model::IndexedTrace;

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorOrigin {
    /// The deepest error span with no errored children.
    pub origin: usize,
    /// Errored ancestors the error propagated through, nearest first, up to the highest one
    /// in an unbroken run of errored spans (the root when it failed too).
    pub chain: Vec<usize>,
}

/// Every error origin, earliest first (ties: deeper first, then input order).
pub fn error_origins(_t: &IndexedTrace) -> Vec<ErrorOrigin> {
    unimplemented!("error_origins")
}
