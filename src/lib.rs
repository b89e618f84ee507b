//! tracediag: why was this request slow, or why did it fail?
//!
//! Data flows one way: `source` (bytes → model) → `model` (spans, tree) → `analysis` (pure
//! functions) → `report` (table, JSON, Markdown).

pub mod analysis;
pub mod error;
pub mod model;
pub mod report;
pub mod source;
