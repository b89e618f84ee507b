//! A CPU profile, normalised from whatever format it was read from (pprof, folded stacks,
//! `perf script`, py-spy).
//!
//! Frames are interned: real profiles repeat the same few thousand function names across
//! tens of thousands of samples, and comparing `u32`s is what the hotspot statistics do in
//! their inner loop.

use std::collections::HashMap;

use serde::Serialize;

/// A pprof `ValueType`: what a sample value counts (`cpu`) and in which unit (`nanoseconds`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValueType {
    pub kind: String,
    pub unit: String,
}

impl ValueType {
    pub fn new(kind: &str, unit: &str) -> ValueType {
        ValueType {
            kind: kind.to_string(),
            unit: unit.to_string(),
        }
    }
}

/// A sample label value: pprof labels carry either a string or a number (with a unit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum LabelValue {
    Str(String),
    Num { value: i64, unit: Option<String> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    pub key: String,
    pub value: LabelValue,
}

/// One sample: a stack (indices into [`Profile::frames`], root first), one value per
/// sample type, and its labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    pub stack: Vec<u32>,
    pub values: Vec<i64>,
    pub labels: Vec<Label>,
}

impl Sample {
    pub fn label(&self, key: &str) -> Option<&LabelValue> {
        self.labels.iter().find(|l| l.key == key).map(|l| &l.value)
    }
}

/// The input format a profile was decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProfileFormat {
    Pprof,
    Folded,
    PerfScript,
    PySpy,
    Flamebearer,
}

impl ProfileFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ProfileFormat::Pprof => "pprof",
            ProfileFormat::Folded => "folded",
            ProfileFormat::PerfScript => "perf script",
            ProfileFormat::PySpy => "py-spy",
            ProfileFormat::Flamebearer => "pyroscope flamebearer",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Profile {
    pub format: ProfileFormat,
    /// Interned frame names; samples refer to them by index.
    pub frames: Vec<String>,
    pub samples: Vec<Sample>,
    /// What each entry of `Sample::values` counts.
    pub sample_types: Vec<ValueType>,
    pub period_type: Option<ValueType>,
    /// Sampling period in `period_type` units; 0 when unknown (folded stacks say nothing).
    pub period: i64,
    /// When the profile was taken (ns since the epoch), when the format says.
    pub time_ns: Option<i64>,
    pub duration_ns: Option<i64>,
    index: HashMap<String, u32>,
}

/// How to read CPU time from a profile: which value to use and what one unit of it is
/// worth in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CpuView {
    /// Index into `Sample::values` of the sample count (or of the CPU time when that is all
    /// there is).
    pub value_index: usize,
    /// Nanoseconds of CPU per unit of that value; None when the profile does not say
    /// (folded stacks: the caller knows the sampling rate).
    pub ns_per_unit: Option<f64>,
}

impl Profile {
    pub fn new(format: ProfileFormat, sample_types: Vec<ValueType>) -> Profile {
        Profile {
            format,
            frames: Vec::new(),
            samples: Vec::new(),
            sample_types,
            period_type: None,
            period: 0,
            time_ns: None,
            duration_ns: None,
            index: HashMap::new(),
        }
    }

    /// The index of `name`, adding it when new. Indices are `u32`: a profile with four
    /// billion distinct frames is not a profile, so the last index is reused rather than
    /// overflowing.
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = u32::try_from(self.frames.len()).unwrap_or(u32::MAX);
        self.frames.push(name.to_string());
        self.index.insert(name.to_string(), i);
        i
    }

    pub fn frame(&self, i: u32) -> &str {
        self.frames.get(i as usize).map_or("?", String::as_str)
    }

    /// Which value measures CPU, and its worth in ns. Go CPU profiles carry
    /// `samples/count` and `cpu/nanoseconds`: counting samples keeps the statistics in
    /// samples (the "minimum samples" rule needs counts) and the period converts to time.
    /// Profiles of anything else (heap, contention) are refused: their values are bytes or
    /// objects, and a share of "CPU" computed from them would be wrong.
    pub fn cpu_view(&self) -> Result<CpuView, String> {
        let find = |kind: &[&str], unit: &[&str]| {
            self.sample_types
                .iter()
                .position(|t| kind.contains(&t.kind.as_str()) && unit.contains(&t.unit.as_str()))
        };
        let time_unit_ns = |unit: &str| match unit {
            "nanoseconds" | "ns" => Some(1.0),
            "microseconds" | "us" => Some(1e3),
            "milliseconds" | "ms" => Some(1e6),
            "seconds" | "s" => Some(1e9),
            _ => None,
        };
        let period_ns = self.period_type.as_ref().and_then(|pt| {
            let scale = time_unit_ns(&pt.unit)?;
            (self.period > 0).then_some(self.period as f64 * scale)
        });
        if let Some(i) = find(&["samples", "sample"], &["count", "samples"]) {
            return Ok(CpuView {
                value_index: i,
                ns_per_unit: period_ns,
            });
        }
        let time_type = self.sample_types.iter().enumerate().find_map(|(i, t)| {
            let cpu_like = matches!(t.kind.as_str(), "cpu" | "wall" | "cpu-clock" | "itimer");
            cpu_like.then(|| time_unit_ns(&t.unit).map(|s| (i, s)))?
        });
        if let Some((i, scale)) = time_type {
            return Ok(CpuView {
                value_index: i,
                ns_per_unit: Some(scale),
            });
        }
        let kinds: Vec<String> = self
            .sample_types
            .iter()
            .map(|t| format!("{}/{}", t.kind, t.unit))
            .collect();
        Err(format!(
            "not a CPU profile: its sample types are {} (expected samples/count or cpu/nanoseconds)",
            if kinds.is_empty() {
                "missing".to_string()
            } else {
                kinds.join(", ")
            }
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_reuses_indices() {
        let mut p = Profile::new(
            ProfileFormat::Folded,
            vec![ValueType::new("samples", "count")],
        );
        assert_eq!(p.intern("a"), 0);
        assert_eq!(p.intern("b"), 1);
        assert_eq!(p.intern("a"), 0);
        assert_eq!(p.frame(7), "?");
    }

    #[test]
    fn heap_profiles_are_not_cpu() {
        let p = Profile::new(
            ProfileFormat::Pprof,
            vec![ValueType::new("alloc_space", "bytes")],
        );
        assert!(p.cpu_view().is_err());
    }
}
