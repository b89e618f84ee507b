//! The waterfall's span documents, each made only as it is written.
//!
//! A `SpanDoc` is some 200 bytes plus copies of its ids and names. Built all at once, a
//! million-span report held a million of them beside the trace they were copied from (a
//! third of its peak memory); made one at a time, the document holds the rows' indices.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Serialize, Serializer};

use super::{span_doc, SpanDoc};
use crate::report::Ctx;

/// The spans of a report, in the rows the waterfall chose; written as an array of
/// [`SpanDoc`], and documented as one.
#[derive(Clone)]
pub struct SpanDocs<'a> {
    ctx: &'a Ctx<'a>,
    rows: Vec<usize>,
}

impl<'a> SpanDocs<'a> {
    pub(crate) fn new(ctx: &'a Ctx<'a>, rows: Vec<usize>) -> SpanDocs<'a> {
        SpanDocs { ctx, rows }
    }

    /// How many spans are listed.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether no span is listed.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The documents, made one at a time.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = SpanDoc> + '_ {
        self.rows.iter().map(|&i| span_doc(self.ctx, i))
    }
}

impl std::fmt::Debug for SpanDocs<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for SpanDocs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl JsonSchema for SpanDocs<'_> {
    fn inline_schema() -> bool {
        <Vec<SpanDoc>>::inline_schema()
    }

    fn schema_name() -> Cow<'static, str> {
        <Vec<SpanDoc>>::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        <Vec<SpanDoc>>::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        <Vec<SpanDoc>>::json_schema(generator)
    }
}
