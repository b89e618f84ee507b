//! Uninstrumented time inside spans: the stretches of a parent no child covers, before the
//! first child, between children, after the last child.

use serde::Serialize;

use crate::model::IndexedTrace;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GapPosition {
    /// From the parent's start to its first child's start.
    BeforeFirstChild,
    /// Between the end of the children covered so far and the next child's start.
    BetweenChildren,
    /// From the last child's end to the parent's end.
    AfterLastChild,
}

/// Which network leg an uncovered stretch sits on when the parent and the adjacent child
/// are in different services: time before the child starts is the request leg (the call
/// travelling to the callee), time after it ends is the response leg (the answer travelling back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Leg {
    Request,
    Response,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Gap {
    /// The span the gap is inside.
    pub span: usize,
    pub position: GapPosition,
    pub start_ns: i64,
    pub duration_ns: i64,
    /// The child that ended just before the gap (None for `BeforeFirstChild`).
    pub after_child: Option<usize>,
    /// The child that starts right after the gap (None for `AfterLastChild`).
    pub before_child: Option<usize>,
    /// Set when the gap borders a child in another service.
    pub leg: Option<Leg>,
}

/// Gaps of every span that has children, in span pre-order then time order. Zero-length gaps
/// are not reported. Children are clipped to the parent's window; asynchronous children
/// (FOLLOWS_FROM, consumer) still cover the time they overlap.
pub fn find_gaps(_t: &IndexedTrace) -> Vec<Gap> {
    unimplemented!("find_gaps")
}
