//! Token and cost totals of LLM spans (the columns of the Postgres `llm` preset's
//! `llm_traces`, OpenTelemetry's `gen_ai.*` conventions), shown in `summary` and `diagnose`
//! when a trace carries them.

use serde::Serialize;

use super::trace::Trace;

const INPUT: &[&str] = &[
    "gen_ai.usage.input_tokens",
    "input_tokens",
    "llm.usage.prompt_tokens",
];
const OUTPUT: &[&str] = &[
    "gen_ai.usage.output_tokens",
    "output_tokens",
    "llm.usage.completion_tokens",
];
const COST: &[&str] = &["cost_usd", "gen_ai.usage.cost", "llm.cost_usd"];

/// Totals over the spans that report them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct LlmUsage {
    pub input_tokens: i64,
    pub output_tokens: i64,
    pub cost_usd: f64,
}

impl LlmUsage {
    /// The totals, or None when no span carries a token or cost attribute.
    pub fn of(trace: &Trace) -> Option<LlmUsage> {
        let mut found = false;
        let mut u = LlmUsage {
            input_tokens: 0,
            output_tokens: 0,
            cost_usd: 0.0,
        };
        for s in trace.spans.iter() {
            let first = |keys: &[&str]| {
                keys.iter()
                    .find_map(|k| super::span::attr(&s.attributes, k))
            };
            if let Some(n) = first(INPUT).and_then(|v| v.as_i64()) {
                u.input_tokens = u.input_tokens.saturating_add(n);
                found = true;
            }
            if let Some(n) = first(OUTPUT).and_then(|v| v.as_i64()) {
                u.output_tokens = u.output_tokens.saturating_add(n);
                found = true;
            }
            if let Some(c) = first(COST).and_then(|v| v.as_text().trim().parse::<f64>().ok()) {
                if c.is_finite() {
                    u.cost_usd += c;
                    found = true;
                }
            }
        }
        found.then_some(u)
    }

    /// `3200 in / 800 out tokens · $0.0575`.
    pub fn line(&self) -> String {
        format!(
            "{} in / {} out tokens · ${}",
            self.input_tokens,
            self.output_tokens,
            // Enough digits for per-call prices, without float noise.
            format!("{:.6}", self.cost_usd)
                .trim_end_matches('0')
                .trim_end_matches('.')
        )
    }
}
