//! Root-cause classification: ranked candidates, each with a category, the span, evidence
//! with concrete numbers, and a recommendation.

use serde::Serialize;

use crate::model::IndexedTrace;

use super::diagnosis::Diagnosis;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Category {
    NetworkTimeout,
    ConnectionFailure,
    ServiceTimeout,
    RateLimited,
    ExecutionFailure,
    PerformanceDegradation,
    BrokenTrace,
    Unknown,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::NetworkTimeout => "NETWORK_TIMEOUT",
            Category::ConnectionFailure => "CONNECTION_FAILURE",
            Category::ServiceTimeout => "SERVICE_TIMEOUT",
            Category::RateLimited => "RATE_LIMITED",
            Category::ExecutionFailure => "EXECUTION_FAILURE",
            Category::PerformanceDegradation => "PERFORMANCE_DEGRADATION",
            Category::BrokenTrace => "BROKEN_TRACE",
            Category::Unknown => "UNKNOWN",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub category: Category,
    /// The span the cause is located at (None only for UNKNOWN on an empty trace).
    pub span: Option<usize>,
    /// For cross-service findings, the other side (e.g. the callee whose response was late).
    pub peer_span: Option<usize>,
    /// Confidence in [0, 1]; candidates are sorted by it, highest first.
    pub score: f64,
    /// Facts with numbers and timestamps, one per line.
    pub evidence: Vec<String>,
    pub recommendation: String,
}

/// Ranked candidates, most likely first; never empty.
pub fn rank(_t: &IndexedTrace, _d: &Diagnosis) -> Vec<Candidate> {
    unimplemented!("rank")
}
