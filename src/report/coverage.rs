//! Where the statistics of a many-trace output were computed: in the store, over how many
//! spans, or here, on how many fetched traces. Told in every format.

use serde::Serialize;

/// Where each group of statistics was computed, over how much data.
#[derive(Debug, Clone, Default, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Coverage {
    /// One entry per group of statistics, in the order they were computed.
    pub parts: Vec<CoveragePart>,
    /// Why the store did not aggregate, when it could have been asked to and the traces
    /// were fetched instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback: Option<String>,
    /// What the store could not compute and where it came from instead.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CoveragePart {
    /// `ranking` (latency, failures, call shape per service), `span_latency_and_errors`
    /// (median span duration per operation and error spans per service), `attributes`,
    /// `exemplars` or `cohorts`.
    pub statistics: String,
    /// `store` (aggregated where the spans live) or `fetched_traces`.
    pub computed_in: String,
    /// Traces the statistics cover (both sides together); absent when the store counts
    /// spans only (Tempo's metrics).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub traces: Option<u64>,
    /// Spans the statistics cover (both sides together).
    pub spans: u64,
    /// The ranges whose statistics cover a sample of their traces, not all of them (the
    /// store bounds its work per range: `--pushdown-traces`); empty when none was sampled.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub samples: Vec<RangeSample>,
}

/// One range aggregated over a sample of its traces.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RangeSample {
    /// `window` or `baseline`.
    pub range: String,
    /// Traces in the sample.
    pub traces: u64,
    /// Their spans.
    pub spans: u64,
    /// Traces starting in the range, the sample's population.
    pub of_traces: u64,
    /// Whether `of_traces` is an estimate (from the sample's share of the range) rather
    /// than a count.
    pub of_traces_estimated: bool,
}

impl Coverage {
    pub fn add(&mut self, statistics: &str, in_store: bool, traces: u64, spans: u64) {
        self.parts.push(CoveragePart {
            statistics: statistics.to_string(),
            computed_in: if in_store { "store" } else { "fetched_traces" }.to_string(),
            traces: Some(traces),
            spans,
            samples: Vec::new(),
        });
    }

    /// The last part added covers only a sample of `range`'s traces.
    pub fn add_sample(&mut self, sample: RangeSample) {
        if let Some(p) = self.parts.last_mut() {
            p.samples.push(sample);
        }
    }

    /// Statistics the store computed over `spans` spans without counting traces.
    pub fn add_store_spans(&mut self, statistics: &str, spans: u64) {
        self.parts.push(CoveragePart {
            statistics: statistics.to_string(),
            computed_in: "store".to_string(),
            traces: None,
            spans,
            samples: Vec::new(),
        });
    }

    /// One sentence for text outputs.
    pub fn sentence(&self) -> String {
        let parts: Vec<String> = self
            .parts
            .iter()
            .map(|p| {
                let traces = p.traces.unwrap_or(0);
                let mut s = match (p.computed_in.as_str(), p.traces) {
                    ("store", Some(t)) => format!(
                        "{} computed in the store over {} spans ({t} traces)",
                        p.statistics, p.spans
                    ),
                    ("store", None) => format!(
                        "{} computed in the store over {} spans",
                        p.statistics, p.spans
                    ),
                    _ => format!(
                        "{} on {traces} fetched traces ({} spans)",
                        p.statistics, p.spans
                    ),
                };
                let samples: Vec<String> = p.samples.iter().map(RangeSample::phrase).collect();
                if !samples.is_empty() {
                    s.push_str(&format!(": {}", samples.join(", ")));
                }
                s
            })
            .collect();
        let mut s = format!("coverage: {}", parts.join("; "));
        if let Some(f) = &self.fallback {
            s.push_str(&format!(
                "; the store did not aggregate ({f}), so traces were fetched"
            ));
        }
        for n in &self.notes {
            s.push_str("; ");
            s.push_str(n);
        }
        s.push('.');
        s
    }
}

impl RangeSample {
    /// `the window a sample of 20000 of about 76900 traces (200000 spans)`.
    fn phrase(&self) -> String {
        format!(
            "the {} a sample of {} of {}{} traces ({} spans)",
            self.range,
            self.traces,
            if self.of_traces_estimated {
                "about "
            } else {
                ""
            },
            self.of_traces,
            self.spans
        )
    }
}
