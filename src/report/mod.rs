//! Reports: turn a trace and its [`Diagnosis`] into a coloured table for a shell, JSON for CI
//! jobs and LLM tools, or Markdown for prompts (the seed's MCP report layout).
//!
//! One function per subcommand; each picks the sections it needs and dispatches on
//! [`Format`]. The section content is computed once here ([`Ctx`], [`waterfall`]) so the
//! three formats cannot disagree about what they show.
//!
//! Nothing here panics on odd input: analysis results refer to spans by index, and every
//! index is looked up with `get`, so a diagnosis that does not match its trace degrades to
//! `?` labels rather than a crash.

pub mod attributes;
mod budget;
pub mod check;
pub mod check_run;
pub mod compare;
pub mod coverage;
pub mod document;
mod findings;
mod gap_list;
mod grid;
pub mod hotspots;
pub mod incident;
mod incident_table;
mod incident_words;
mod json;
pub mod junit;
pub mod llm;
mod llm_attrs;
mod markdown;
mod markdown_details;
mod markdown_table;
pub mod names;
pub mod redact;
pub mod search;
pub mod similar;
pub mod span;
mod span_text;
pub mod stats;
pub mod store_metrics;
mod style;
mod table;
mod text;
mod verdict_text;
mod waterfall;

#[cfg(test)]
mod clean_tests;
#[cfg(test)]
mod findings_tests;
#[cfg(test)]
mod tests;

pub use budget::fit as fit_json;
pub use document::{Document, TraceReport, TraceView};
pub use json::{
    AnomalyDoc, CriticalSegmentDoc, ErrorOriginDoc, GapDoc, IntegrityDoc, PatternsDoc, RepeatedDoc,
    Report, RootCauseDoc, SequentialDoc, SpanDoc, SpanRefDoc, SummaryDoc, TraceDoc,
};
pub use text::clean as clean_text;
pub use text::human as human_duration;

use crate::analysis::gaps::{Gap, GapPosition};
use crate::analysis::verdict::{self, Judged};
use crate::analysis::Diagnosis;
use crate::model::{IndexedTrace, Span};
use rustc_hash::FxHashMap;

/// Output format, chosen with `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Aligned, optionally coloured text for a terminal.
    Table,
    /// Versioned, pretty-printed JSON (see [`Report`]).
    Json,
    /// The seed's MCP report layout, for LLM prompts and tickets.
    Markdown,
    /// Compact Markdown for LLM prompts: summary first, details last, sized by --max-tokens,
    /// every cut stated.
    Llm,
}

impl Format {
    /// Output that leaves for machines or other people: secrets are masked before it is
    /// printed (unless --no-redact).
    pub fn redacts(self) -> bool {
        matches!(self, Format::Json | Format::Markdown | Format::Llm)
    }
}

#[derive(Clone, Debug)]
pub struct RenderOptions {
    /// Emit ANSI colours (table format only).
    pub color: bool,
    /// Do not truncate names to fit `width`.
    pub wide: bool,
    /// The width tables are fitted to (80 columns unless `wide`): every table line fits it.
    pub width: usize,
    /// Span budget for JSON `spans` and for the table and Markdown waterfalls.
    pub max_spans: usize,
    /// Token budget of `--format llm` (None: only `max_spans` limits it).
    pub max_tokens: Option<usize>,
    /// `--attributes`: JSON `spans[]` entries carry their attributes.
    pub span_attributes: bool,
    /// `--events`: JSON `spans[]` entries carry their events.
    pub span_events: bool,
}

impl Default for RenderOptions {
    fn default() -> RenderOptions {
        RenderOptions {
            color: false,
            wide: false,
            width: 80,
            max_spans: 500,
            max_tokens: None,
            span_attributes: false,
            span_events: false,
        }
    }
}

/// Version of the JSON document layout. Bumped when a field is removed, renamed or changes
/// meaning; new fields may appear without a bump.
pub const SCHEMA_VERSION: &str = "1";

/// Version of the single-trace document (`diagnose`, `gaps`, `root-cause`, `timeline`,
/// `summary`): "2" added `verdict`, `verdict_reason`, `baseline`, `handled_errors` and
/// `time_breakdown`, and left `root_causes` empty for a request that is fine.
pub const TRACE_SCHEMA_VERSION: &str = "2";

/// The section `view` of a judged trace in `format`.
pub fn render_trace(r: &TraceReport, format: Format, o: &RenderOptions) -> String {
    let c = Ctx::judged(&r.trace, &r.diagnosis, o, r.judged.clone());
    match r.view {
        TraceView::Diagnose => diagnose_ctx(&c, format),
        TraceView::Gaps => gaps_ctx(&c, format),
        TraceView::RootCause => root_cause_ctx(&c, format),
        TraceView::Timeline => timeline_ctx(&c, format),
        TraceView::Summary => summary_ctx(&c, format),
    }
}

/// Write a single-trace report as JSON to `out` as it is serialised, byte for byte what
/// [`render_trace`] returns: a 100,000-span report is some 14 MB of text, which need not
/// sit in memory beside the trace.
pub fn write_trace_json(
    r: &TraceReport,
    o: &RenderOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let c = Ctx::judged(&r.trace, &r.diagnosis, o, r.judged.clone());
    let doc = match r.view {
        TraceView::Diagnose => json::diagnose(&c),
        TraceView::Gaps => json::gaps(&c),
        TraceView::RootCause => json::root_cause(&c),
        TraceView::Timeline => json::timeline(&c),
        TraceView::Summary => json::summary(&c),
    };
    json::write(&doc, out)
}

/// Everything: header, integrity, root causes, error origins, anomalies, gaps, critical
/// path, patterns and the span waterfall.
pub fn diagnose(t: &IndexedTrace, d: &Diagnosis, format: Format, o: &RenderOptions) -> String {
    diagnose_ctx(&Ctx::new(t, d, o), format)
}

fn diagnose_ctx(c: &Ctx, format: Format) -> String {
    match format {
        Format::Table => table::diagnose(c),
        Format::Json => json::to_string(&json::diagnose(c)),
        Format::Markdown => markdown::diagnose(c),
        Format::Llm => llm::render(c, llm::Part::Diagnose),
    }
}

/// The uninstrumented stretches inside spans.
pub fn gaps(t: &IndexedTrace, d: &Diagnosis, format: Format, o: &RenderOptions) -> String {
    gaps_ctx(&Ctx::new(t, d, o), format)
}

fn gaps_ctx(c: &Ctx, format: Format) -> String {
    match format {
        Format::Table => table::gaps(c),
        Format::Json => json::to_string(&json::gaps(c)),
        Format::Markdown => markdown::gaps(c),
        Format::Llm => llm::render(c, llm::Part::Gaps),
    }
}

/// Ranked root-cause candidates with evidence and recommendations, and error origins.
pub fn root_cause(t: &IndexedTrace, d: &Diagnosis, format: Format, o: &RenderOptions) -> String {
    root_cause_ctx(&Ctx::new(t, d, o), format)
}

fn root_cause_ctx(c: &Ctx, format: Format) -> String {
    match format {
        Format::Table => table::root_cause(c),
        Format::Json => json::to_string(&json::root_cause(c)),
        Format::Markdown => markdown::root_cause(c),
        Format::Llm => llm::render(c, llm::Part::RootCause),
    }
}

/// The span waterfall (the seed's `/timeline`).
pub fn timeline(t: &IndexedTrace, d: &Diagnosis, format: Format, o: &RenderOptions) -> String {
    timeline_ctx(&Ctx::new(t, d, o), format)
}

fn timeline_ctx(c: &Ctx, format: Format) -> String {
    match format {
        Format::Table => table::timeline(c),
        Format::Json => json::to_string(&json::timeline(c)),
        Format::Markdown => markdown::timeline(c),
        Format::Llm => llm::render(c, llm::Part::Timeline),
    }
}

/// Counts, services, duration, slowest span, first error (the seed's `/summary`).
pub fn summary(t: &IndexedTrace, d: &Diagnosis, format: Format, o: &RenderOptions) -> String {
    summary_ctx(&Ctx::new(t, d, o), format)
}

fn summary_ctx(c: &Ctx, format: Format) -> String {
    match format {
        Format::Table => table::summary(c),
        Format::Json => json::to_string(&json::summary(c)),
        Format::Markdown => markdown::summary(c),
        Format::Llm => llm::render(c, llm::Part::Summary),
    }
}

/// The trace, its diagnosis and lookups every format needs, computed once per render.
pub(crate) struct Ctx<'a> {
    pub t: &'a IndexedTrace,
    pub d: &'a Diagnosis,
    pub o: &'a RenderOptions,
    /// The verdict, handled errors and time breakdown.
    pub v: Judged,
    /// Start of the trace window; offsets are relative to it.
    pub start_ns: i64,
    /// Length of the trace window (never negative).
    pub duration_ns: i64,
    pub root: Option<usize>,
    /// Indices into `d.anomalies`, by span; only spans with an anomaly are keys (a vector
    /// over every span held 2.4 MB of empty lists on a 100,000-span trace).
    anomalies_by_span: FxHashMap<usize, Vec<usize>>,
    /// Index into `d.gaps` of the gap shown as a span's "gap after" (see [`Ctx::gap_after`]);
    /// only spans with such a gap are keys.
    gap_after: Vec<u32>,
}

impl<'a> Ctx<'a> {
    /// The context of a trace judged on its own (no baseline).
    pub fn new(t: &'a IndexedTrace, d: &'a Diagnosis, o: &'a RenderOptions) -> Ctx<'a> {
        Ctx::judged(t, d, o, verdict::judge(t, d, None))
    }

    pub fn judged(
        t: &'a IndexedTrace,
        d: &'a Diagnosis,
        o: &'a RenderOptions,
        v: Judged,
    ) -> Ctx<'a> {
        let n = t.trace.spans.len();
        let mut anomalies_by_span: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
        for (ai, a) in d.anomalies.iter().enumerate() {
            if a.span < n {
                anomalies_by_span.entry(a.span).or_default().push(ai);
            }
        }
        let gap_after = gap_after_index(n, &d.gaps);
        let root = if t.tree.len() == n {
            t.tree.main_root(&t.trace)
        } else {
            None
        };
        Ctx {
            t,
            d,
            o,
            v,
            start_ns: t.trace.start_ns(),
            duration_ns: t.trace.duration_ns().max(0),
            root,
            anomalies_by_span,
            gap_after,
        }
    }

    pub fn span(&self, i: usize) -> Option<&'a Span> {
        self.t.trace.spans.get(i)
    }

    pub fn len(&self) -> usize {
        self.t.trace.spans.len()
    }

    /// `service.operation`, raw (callers clean or escape it for their format).
    pub fn label(&self, i: usize) -> String {
        self.span(i).map_or_else(|| "?".to_string(), Span::label)
    }

    pub fn id(&self, i: usize) -> String {
        self.span(i)
            .map_or_else(|| "?".to_string(), |s| s.span_id.to_string())
    }

    /// Span `i`'s service, as a document field ("" for no such span).
    pub fn service(&self, i: usize) -> String {
        self.span(i)
            .map_or_else(String::new, |s| s.service.to_string())
    }

    /// Span `i`'s operation, as a document field ("" for no such span).
    pub fn operation(&self, i: usize) -> String {
        self.span(i)
            .map_or_else(String::new, |s| s.operation.to_string())
    }

    pub fn offset_ns(&self, i: usize) -> i64 {
        self.span(i)
            .map_or(0, |s| s.start_ns.saturating_sub(self.start_ns))
    }

    pub fn duration(&self, i: usize) -> i64 {
        self.span(i).map_or(0, |s| s.duration_ns)
    }

    pub fn is_error(&self, i: usize) -> bool {
        self.span(i).is_some_and(Span::is_error)
    }

    pub fn is_anomaly(&self, i: usize) -> bool {
        self.anomalies_by_span
            .get(&i)
            .is_some_and(|v| !v.is_empty())
    }

    pub fn is_critical(&self, i: usize) -> bool {
        self.d.critical_path.contains(i)
    }

    pub fn self_ns(&self, i: usize) -> Option<i64> {
        self.d.self_time_ns.get(i).copied()
    }

    pub fn depth(&self, i: usize) -> u32 {
        match self.t.tree.depth.get(i) {
            Some(&d) if d != u32::MAX => d,
            _ => 0,
        }
    }

    /// The anomaly reasons of span `i`, joined, or None.
    pub fn anomaly_reason(&self, i: usize) -> Option<String> {
        let list = self.anomalies_by_span.get(&i)?;
        if list.is_empty() {
            return None;
        }
        let reasons: Vec<&str> = list
            .iter()
            .filter_map(|&a| self.d.anomalies.get(a))
            .map(|a| a.reason.as_str())
            .collect();
        Some(reasons.join("; "))
    }

    /// The gap shown after span `i`: the largest after-last-child gap inside it (the time
    /// the span waited after its work was done, e.g. a late response), otherwise the gap that
    /// follows it inside its parent.
    pub fn gap_after(&self, i: usize) -> Option<&'a Gap> {
        let gi = *self.gap_after.get(i).filter(|&&gi| gi != NO_GAP)? as usize;
        self.d.gaps.get(gi)
    }

    /// The span with the most self time: where time was actually spent, which the root's
    /// duration (always the largest) does not tell.
    pub fn slowest(&self) -> Option<usize> {
        (0..self.len()).max_by_key(|&i| {
            (
                self.self_ns(i).unwrap_or(0),
                self.duration(i),
                std::cmp::Reverse(i),
            )
        })
    }

    /// The earliest failed span.
    pub fn first_error(&self) -> Option<usize> {
        (0..self.len())
            .filter(|&i| self.is_error(i))
            .min_by_key(|&i| (self.offset_ns(i), i))
    }

    /// A gap is worth a line of its own when it is at least 1 s (the seed's threshold) or a
    /// tenth of the trace, so millisecond-scale traces still show their gaps.
    pub fn notable_gap(&self, gap_ns: i64) -> bool {
        gap_ns > 0
            && (gap_ns >= 1_000_000_000 || gap_ns.saturating_mul(10) >= self.duration_ns.max(1))
    }
}

/// No gap at this span's slot in [`gap_after_index`].
const NO_GAP: u32 = u32::MAX;

/// For each span, the index of its "gap after" in `gaps`, or [`NO_GAP`]. A slot per span
/// rather than a map: most spans of a big trace have one (87,000 of 100,000 in the
/// benchmark), and a map of them cost a fifth of writing its report.
fn gap_after_index(n: usize, gaps: &[Gap]) -> Vec<u32> {
    let mut inside = vec![NO_GAP; n];
    let mut follows = vec![NO_GAP; n];
    // Keep the longer gap of the two at a span's slot; the first seen wins a tie.
    let keep = |slots: &mut [u32], span: usize, gi: u32| {
        let Some(slot) = slots.get_mut(span) else {
            return;
        };
        if *slot == NO_GAP || gaps[gi as usize].duration_ns > gaps[*slot as usize].duration_ns {
            *slot = gi;
        }
    };
    for (gi, g) in gaps.iter().enumerate() {
        let Ok(gi) = u32::try_from(gi) else { break };
        if gi == NO_GAP {
            break;
        }
        if g.position == GapPosition::AfterLastChild {
            keep(&mut inside, g.span(), gi);
        }
        if let Some(c) = g.after_child() {
            keep(&mut follows, c, gi);
        }
    }
    // A gap inside the span is shown before the one that follows it.
    for (slot, follow) in inside.iter_mut().zip(follows) {
        if *slot == NO_GAP {
            *slot = follow;
        }
    }
    inside
}
