//! Pure functions over the model: no I/O, no printing. Each returns plain result structs
//! that refer to spans by their index in `Trace::spans`; the report layer turns indices into
//! ids and names.

pub mod anomalies;
pub mod attributes;
pub mod baseline;
pub mod breakdown;
pub mod cohort;
pub mod compare;
pub mod critical_path;
pub mod diagnosis;
pub mod errors;
pub mod filter;
pub mod gaps;
pub mod hotspots;
pub mod incident;
mod labels;
pub mod patterns;
pub mod rerank;
pub mod root_cause;
pub mod rules;
pub mod self_time;
pub mod similarity;
pub mod stats;
#[cfg(test)]
pub(crate) mod test_support;
pub mod thresholds;
pub mod units;
pub mod verdict;

pub use diagnosis::{diagnose, Diagnosis};
pub use thresholds::Thresholds;
