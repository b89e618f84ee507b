//! tracediag: why was this request slow, or why did it fail?
//!
//! Data flows one way: `source` (bytes → model) → `model` (spans, tree) → `analysis` (pure
//! functions) → `report` (table, JSON, Markdown). `cli` and `commands` are the front end.

pub mod analysis;
pub mod cli;
pub mod cli_llm;
pub mod cli_profile;
pub mod commands;
pub mod docs;
pub mod error;
pub mod model;
pub mod report;
pub mod source;
pub mod text;
pub mod time;
pub mod units;
