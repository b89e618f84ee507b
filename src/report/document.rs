//! The one way out: every command produces a [`Document`], and [`Document::render`] turns it
//! into the chosen [`Format`]. A document is rendered from typed values only, so the JSON,
//! the table, the Markdown and the llm text of one run show the same facts, and the MCP
//! server renders both its answers from one document instead of running a command twice.
//!
//! What leaves here is inert: JSON is escaped by serde, and every other format passes
//! [`terminal_safe`] last, so a control sequence a trace carried can neither move the
//! cursor nor retitle the terminal, whatever a renderer forgot.

use std::borrow::Cow;

use serde_json::Value;

use crate::analysis::cohort::CohortComparison;
use crate::analysis::hotspots::{Comparison, Metric};
use crate::analysis::incident::Incident;
use crate::analysis::verdict::Judged;
use crate::analysis::Diagnosis;
use crate::model::IndexedTrace;
use crate::time::Range;

use super::check::CheckDoc;
use super::compare::CompareDoc;
use super::hotspots::{HotspotReport, Side};
use super::names::NamesDoc;
use super::search::SearchDoc;
use super::similar::SimilarDoc;
use super::span::SpanDetailDoc;
use super::stats::StatsDoc;
use super::{Format, RenderOptions};

/// The section of a single-trace report a command shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraceView {
    Diagnose,
    Gaps,
    RootCause,
    Timeline,
    Summary,
}

/// One trace, its diagnosis and verdict, and the section to show.
pub struct TraceReport {
    pub trace: IndexedTrace,
    pub diagnosis: Diagnosis,
    pub judged: Judged,
    pub view: TraceView,
}

/// `root-cause --window`: the ranked services and what was compared.
pub struct WindowReport {
    pub incident: Incident,
    pub window: Range,
    pub baseline: Range,
    pub sources: Vec<String>,
    /// The attribute values the window's traces share more than the baseline's.
    pub attributes: Option<super::attributes::AttributesDoc>,
    /// Where the statistics were computed.
    pub coverage: super::coverage::Coverage,
    /// What the store computed over every span of both ranges (Tempo's TraceQL metrics).
    pub store_metrics: Option<super::store_metrics::StoreMetricsDoc>,
}

/// `cohorts`: the comparison and the two filters as the user gave them.
pub struct CohortsReport {
    pub comparison: CohortComparison,
    pub a: String,
    pub b: String,
    /// Where the statistics were computed.
    pub coverage: super::coverage::Coverage,
}

/// `profile compare`: the differential hotspots of two cohorts.
pub struct HotspotsReport {
    pub comparison: Comparison,
    pub a: Side,
    pub b: Side,
    pub metric: Metric,
    pub top: usize,
    pub notes: Vec<String>,
}

/// What a command produces.
pub enum Document {
    Trace(Box<TraceReport>),
    Window(Box<WindowReport>),
    Cohorts(Box<CohortsReport>),
    Hotspots(Box<HotspotsReport>),
    Search {
        doc: Box<SearchDoc>,
        /// With `--diagnose`: each hit carries its top root cause.
        diagnosed: bool,
    },
    Names(NamesDoc),
    Similar(Box<SimilarDoc>),
    Compare(Box<CompareDoc>),
    Stats(Box<StatsDoc>),
    Attributes(Box<super::attributes::AttributesDoc>),
    Check(Box<CheckDoc>),
    /// `span`: one span in full.
    Span(Box<SpanDetailDoc>),
    /// Text that reads the same in every format (a JSON Schema, SQL DDL).
    Text(String),
    /// Text a command already rendered in the run's format.
    Rendered(String),
}

impl Document {
    /// The document in `format`.
    /// Write the document as JSON to `out` while it is serialised, when it is one that may
    /// be large (a single-trace report); None for the others, which are rendered whole.
    pub fn write_json(
        &self,
        o: &RenderOptions,
        out: &mut dyn std::io::Write,
    ) -> Option<std::io::Result<()>> {
        match self {
            Document::Trace(r) => Some(super::write_trace_json(r, o, out)),
            _ => None,
        }
    }

    pub fn render(&self, format: Format, o: &RenderOptions) -> String {
        let text = match self {
            Document::Trace(r) => super::render_trace(r, format, o),
            Document::Window(r) => {
                let parts = super::incident::WindowParts {
                    incident: &r.incident,
                    window: r.window,
                    baseline: r.baseline,
                    sources: &r.sources,
                    attributes: r.attributes.as_ref(),
                    coverage: &r.coverage,
                    store_metrics: r.store_metrics.as_ref(),
                };
                let mut text = super::incident::render(&parts, format, o);
                // In text, the attributes are told only when one stands out.
                if let Some(a) = r.attributes.as_ref().filter(|a| {
                    format != Format::Json && a.rows.first().is_some_and(|r| r.significant)
                }) {
                    text.push('\n');
                    text.push_str(&super::attributes::render(a, format, o));
                }
                text
            }
            Document::Cohorts(r) => {
                super::incident::cohorts(&r.comparison, (&r.a, &r.b), &r.coverage, format, o)
            }
            Document::Hotspots(r) => hotspots(r, format, o),
            Document::Search { doc, diagnosed } => {
                super::search::render(doc, *diagnosed, format, o)
            }
            Document::Names(doc) => super::names::render(doc, format, o),
            Document::Similar(doc) => super::similar::similar(doc, format, o),
            Document::Compare(doc) => super::compare::compare(doc, format, o),
            Document::Stats(doc) => super::stats::stats(doc, format, o),
            Document::Attributes(doc) => super::attributes::render(doc, format, o),
            Document::Check(doc) => super::check::render(doc, format),
            Document::Span(doc) => match format {
                Format::Table => super::span_text::table_text(doc, o),
                Format::Json => super::json::to_string(doc.as_ref()),
                Format::Markdown => super::span_text::markdown(doc),
                Format::Llm => super::span_text::llm(doc, o),
            },
            Document::Text(text) | Document::Rendered(text) => return text.clone(),
        };
        match format {
            Format::Json => text,
            _ => terminal_safe(&text).into_owned(),
        }
    }

    /// The JSON rendering as a value (for callers that page or cut it: see
    /// [`super::fit_json`]).
    pub fn json_value(&self, o: &RenderOptions) -> Value {
        let text = self.render(Format::Json, o);
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    }
}

fn hotspots(r: &HotspotsReport, format: Format, o: &RenderOptions) -> String {
    let report = HotspotReport {
        comparison: &r.comparison,
        a: r.a.clone(),
        b: r.b.clone(),
        metric: r.metric,
        top: r.top,
        notes: r.notes.clone(),
    };
    match format {
        Format::Json => super::hotspots::json(&report),
        Format::Markdown | Format::Llm => super::hotspots::markdown(&report),
        Format::Table => super::hotspots::table(&report, o.color, o.wide),
    }
}

/// `text` with every control character removed except newline, tab and the colour (SGR)
/// sequences the table renderer writes: `ESC [ <digits and ;> m`.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\x1b' {
            if let Some(len) = sgr_len(rest) {
                out.push_str(&rest[..len]);
                rest = &rest[len..];
                continue;
            }
        }
        if !unsafe_char(c) {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// The length of the SGR sequence `ESC [ [0-9;]* m` at the start of `s`, if it is one.
fn sgr_len(s: &str) -> Option<usize> {
    let body = s.strip_prefix("\x1b[")?;
    let params = body
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';')
        .count();
    (body.as_bytes().get(params) == Some(&b'm')).then_some(2 + params + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_colour_and_layout_drops_other_controls() {
        let s = "\x1b[1mbold\x1b[0m\tx\n\x1b]0;title\x07y\x1b[2Jz\r";
        assert_eq!(terminal_safe(s), "\x1b[1mbold\x1b[0m\tx\n]0;titley[2Jz");
        assert!(matches!(terminal_safe("plain\n"), Cow::Borrowed(_)));
    }
}
