// TEMP STUB (replaced by the reports branch)
use crate::analysis::Diagnosis;
use crate::model::IndexedTrace;
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)] pub enum Format { Table, Json, Markdown }
#[derive(Clone, Debug)] pub struct RenderOptions { pub color: bool, pub wide: bool, pub width: usize, pub max_spans: usize }
pub const SCHEMA_VERSION: &str = "1";
pub fn diagnose(_t: &IndexedTrace, _d: &Diagnosis, _f: Format, _o: &RenderOptions) -> String { String::new() }
pub fn gaps(_t: &IndexedTrace, _d: &Diagnosis, _f: Format, _o: &RenderOptions) -> String { String::new() }
pub fn root_cause(_t: &IndexedTrace, _d: &Diagnosis, _f: Format, _o: &RenderOptions) -> String { String::new() }
pub fn timeline(_t: &IndexedTrace, _d: &Diagnosis, _f: Format, _o: &RenderOptions) -> String { String::new() }
pub fn summary(_t: &IndexedTrace, _d: &Diagnosis, _f: Format, _o: &RenderOptions) -> String { String::new() }
