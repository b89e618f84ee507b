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

/// Bit `n` set when some key of [`INPUT`], [`OUTPUT`] or [`COST`] is `n` bytes long.
const KEY_LENGTHS: u64 = {
    let mut mask = 0u64;
    let lists = [INPUT, OUTPUT, COST];
    let mut l = 0;
    while l < lists.len() {
        let mut k = 0;
        while k < lists[l].len() {
            mask |= 1 << lists[l][k].len();
            k += 1;
        }
        l += 1;
    }
    mask
};

/// Whether `key` can be one of the usage keys: its length first, which rules out nearly
/// every attribute without comparing text.
fn may_be_usage_key(key: &str) -> bool {
    key.len() < 64
        && KEY_LENGTHS & (1 << key.len()) != 0
        && [INPUT, OUTPUT, COST].iter().any(|keys| keys.contains(&key))
}

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
            // Most spans carry none of these keys: one look at each key's length says so.
            if !s.attributes.iter().any(|(k, _)| may_be_usage_key(k)) {
                continue;
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AttrValue, Span};

    fn span(attrs: &[(&str, AttrValue)]) -> Span {
        Span {
            attributes: attrs
                .iter()
                .map(|(k, v)| ((*k).into(), v.clone()))
                .collect(),
            ..Span::default()
        }
    }

    #[test]
    fn every_usage_key_passes_the_length_filter_and_others_do_not() {
        for key in INPUT.iter().chain(OUTPUT).chain(COST) {
            assert!(may_be_usage_key(key), "{key}");
        }
        for other in ["http.method", "cost", &"x".repeat(25), &"y".repeat(80)] {
            assert!(!may_be_usage_key(other), "{other}");
        }
    }

    #[test]
    fn totals_take_the_first_listed_key_of_each_span() {
        let trace = Trace::with_spans(
            "t".into(),
            vec![
                span(&[
                    ("input_tokens", AttrValue::Int(5)),
                    ("gen_ai.usage.input_tokens", AttrValue::Int(7)),
                    ("llm.cost_usd", AttrValue::Str("0.25".into())),
                ]),
                span(&[("http.method", AttrValue::Str("GET".into()))]),
                span(&[("output_tokens", AttrValue::Int(3))]),
            ],
        );
        let u = LlmUsage::of(&trace).unwrap();
        assert_eq!((u.input_tokens, u.output_tokens, u.cost_usd), (7, 3, 0.25));
        let plain = Trace::with_spans("t".into(), vec![span(&[("cost", AttrValue::Int(1))])]);
        assert_eq!(LlmUsage::of(&plain), None);
    }
}
