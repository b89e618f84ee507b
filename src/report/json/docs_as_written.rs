//! Lists of a report whose documents are each made only as they are written.
//!
//! A `SpanDoc` is some 200 bytes plus copies of its ids and names. Built all at once, a
//! million-span report held a million of them beside the trace they were copied from (a
//! third of its peak memory); made one at a time, the document holds the rows' indices.
//! The critical path is listed the same way: it can have as many stretches as the trace
//! has spans.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Serialize, Serializer};

use super::{span_doc, CriticalSegmentDoc, SpanDoc};
use crate::report::Ctx;

/// Rows of a report, written as an array of the documents `make` makes of them, and
/// documented as one.
#[derive(Clone)]
pub struct DocsAsWritten<'a, R, D> {
    ctx: &'a Ctx<'a>,
    rows: Vec<R>,
    make: fn(&'a Ctx<'a>, &R) -> D,
}

/// The spans of a report, in the rows the waterfall chose.
pub type SpanDocs<'a> = DocsAsWritten<'a, usize, SpanDoc>;

/// The critical path's stretches: (span, start, end), a span's consecutive ones merged.
pub type CriticalPathDocs<'a> = DocsAsWritten<'a, (usize, i64, i64), CriticalSegmentDoc<'a>>;

impl<'a> SpanDocs<'a> {
    pub(crate) fn spans(ctx: &'a Ctx<'a>, rows: Vec<usize>) -> SpanDocs<'a> {
        DocsAsWritten::new(ctx, rows, |ctx, &i| span_doc(ctx, i))
    }
}

impl<'a, R, D> DocsAsWritten<'a, R, D> {
    pub(crate) fn new(
        ctx: &'a Ctx<'a>,
        rows: Vec<R>,
        make: fn(&'a Ctx<'a>, &R) -> D,
    ) -> DocsAsWritten<'a, R, D> {
        DocsAsWritten { ctx, rows, make }
    }

    /// How many documents are listed.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether no document is listed.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The documents, made one at a time.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = D> + use<'_, 'a, R, D> {
        self.rows.iter().map(|r| (self.make)(self.ctx, r))
    }
}

impl<R, D: std::fmt::Debug> std::fmt::Debug for DocsAsWritten<'_, R, D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<R, D: Serialize> Serialize for DocsAsWritten<'_, R, D> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<R, D: JsonSchema> JsonSchema for DocsAsWritten<'_, R, D> {
    fn inline_schema() -> bool {
        <Vec<D>>::inline_schema()
    }

    fn schema_name() -> Cow<'static, str> {
        <Vec<D>>::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        <Vec<D>>::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        <Vec<D>>::json_schema(generator)
    }
}
