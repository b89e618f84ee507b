//! Call patterns worth naming: sequential fan-out (seed 002, "sequential execution
//! detected") and repeated sibling calls (N+1 queries, retries).

use serde::Serialize;

use crate::model::IndexedTrace;

use super::diagnosis::Thresholds;

#[derive(Debug, Clone, PartialEq)]
pub struct SequentialFanOut {
    pub parent: usize,
    /// At least two children to other spans that run one after another, not overlapping.
    pub children: Vec<usize>,
    pub children_sum_ns: i64,
    pub parent_ns: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RepeatKind {
    /// Many calls to the same operation under one parent (N+1).
    NPlusOne,
    /// The same call repeated after failures.
    Retry,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RepeatedCalls {
    pub parent: usize,
    pub kind: RepeatKind,
    /// The repeated siblings, in start order.
    pub calls: Vec<usize>,
    pub total_ns: i64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Patterns {
    pub sequential: Vec<SequentialFanOut>,
    pub repeated: Vec<RepeatedCalls>,
}

pub fn find_patterns(_t: &IndexedTrace, _th: &Thresholds) -> Patterns {
    unimplemented!("find_patterns")
}
