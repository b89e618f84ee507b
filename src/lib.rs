//! tracediag: why was this request slow, or why did it fail?
//!
//! # Module map
//!
//! Data flows one way, and each layer imports only the layers below it (`tests/structure.rs`
//! fails on an import that goes up, or on two files that import each other in a circle):
//!
//! ```text
//! main ─> mcp ─> cli ─> commands ─> report ─> analysis ─> model ─> error, time, units, lru, …
//!                                        └──> source ──────┘
//! ```
//!
//! - **`error`, `time`, `units`, `lru`, `side_by_side`** (base): typed errors and the exit
//!   code each maps to; calendar arithmetic, RFC 3339, time ranges; duration, size and count
//!   parsing; the small store of recently used values the MCP server keeps; two passes over
//!   a big trace on two cores. They import nothing of the crate.
//! - **`model`**: `Trace`, `Span`, typed attributes, one status for every error convention,
//!   the span `Tree` built once with its integrity findings, clock-skew correction, profiles.
//! - **`source`** (bytes → model): one decoder per format (Jaeger, OTLP and its variants,
//!   Zipkin, span CSV, pprof, folded stacks, perf script), one `TraceSource` per backend
//!   (file, Jaeger, Tempo, PostgreSQL), the HTTP client, the input limits, the config
//!   file's named sources. Knows neither clap nor report; imports `model` and the base.
//! - **`analysis`** (pure: no I/O, no printing): gaps, critical path, self time, error
//!   origins, root cause, similarity, comparison, statistics, window RCA, cohorts, profile
//!   hotspots, the rule language of `check`. Takes model values, returns plain structs.
//!   Never imports `source`.
//! - **`report`** (the only way out): every command's output is a [`report::Document`],
//!   rendered by one dispatcher as table, JSON, Markdown or llm text. Text cleaning,
//!   redaction, colour, width and budgets live here; a renderer knows no flag.
//! - **`commands`** (glue): take [`commands::Options`], open sources (masked for output
//!   that leaves, see `commands::select`), run analyses, return an `Outcome` (document and
//!   exit code). One file per group of subcommands.
//! - **`cli`** (the front end): clap definitions, the config file's `[defaults]`, and the
//!   one conversion of both into `Options`; `ask` turns a question into a command line.
//!   Nothing below it sees a clap type.
//! - **`mcp`**: a second front end, MCP tools over stdio; a tool call becomes a command
//!   line parsed by `cli`, and both answers are rendered from one document.
//!
//! `CONTRIBUTING.md` says how to add a source, an analysis, an output format or a command.

pub mod analysis;
pub mod cli;
pub mod commands;
pub mod error;
pub mod lru;
pub mod mcp;
pub mod model;
pub mod report;
mod side_by_side;
pub mod source;
pub mod text;
pub mod time;
pub mod units;
