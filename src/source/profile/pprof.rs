//! pprof `profile.proto`, decoded with `prost` from a hand-written subset of the messages.
//!
//! Why not a pprof crate: the `pprof` crate is a profiler (signal handlers, a sampling
//! runtime) whose decoder is a by-product, and the message set we need is eight small
//! messages whose field numbers have been stable since 2016. Deriving `prost::Message` on
//! them needs no `protoc` and no build script, and the same structs encode test profiles.
//! Unknown fields (mappings' build ids, comments, drop/keep frames) are skipped by prost.

use std::collections::HashMap;

use crate::model::profile::{Label, LabelValue, Profile, ProfileFormat, Sample, ValueType};

#[derive(Clone, PartialEq, prost::Message)]
pub struct PbProfile {
    #[prost(message, repeated, tag = "1")]
    pub sample_type: Vec<PbValueType>,
    #[prost(message, repeated, tag = "2")]
    pub sample: Vec<PbSample>,
    #[prost(message, repeated, tag = "4")]
    pub location: Vec<PbLocation>,
    #[prost(message, repeated, tag = "5")]
    pub function: Vec<PbFunction>,
    #[prost(string, repeated, tag = "6")]
    pub string_table: Vec<String>,
    #[prost(int64, tag = "9")]
    pub time_nanos: i64,
    #[prost(int64, tag = "10")]
    pub duration_nanos: i64,
    #[prost(message, optional, tag = "11")]
    pub period_type: Option<PbValueType>,
    #[prost(int64, tag = "12")]
    pub period: i64,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct PbValueType {
    #[prost(int64, tag = "1")]
    pub r#type: i64,
    #[prost(int64, tag = "2")]
    pub unit: i64,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct PbSample {
    /// Leaf first.
    #[prost(uint64, repeated, tag = "1")]
    pub location_id: Vec<u64>,
    #[prost(int64, repeated, tag = "2")]
    pub value: Vec<i64>,
    #[prost(message, repeated, tag = "3")]
    pub label: Vec<PbLabel>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct PbLabel {
    #[prost(int64, tag = "1")]
    pub key: i64,
    #[prost(int64, tag = "2")]
    pub str: i64,
    #[prost(int64, tag = "3")]
    pub num: i64,
    #[prost(int64, tag = "4")]
    pub num_unit: i64,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct PbLocation {
    #[prost(uint64, tag = "1")]
    pub id: u64,
    #[prost(uint64, tag = "3")]
    pub address: u64,
    /// Inlined frames: the last entry is the caller.
    #[prost(message, repeated, tag = "4")]
    pub line: Vec<PbLine>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct PbLine {
    #[prost(uint64, tag = "1")]
    pub function_id: u64,
    #[prost(int64, tag = "2")]
    pub line: i64,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct PbFunction {
    #[prost(uint64, tag = "1")]
    pub id: u64,
    #[prost(int64, tag = "2")]
    pub name: i64,
    #[prost(int64, tag = "3")]
    pub system_name: i64,
    #[prost(int64, tag = "4")]
    pub filename: i64,
}

/// Decode an (already decompressed) profile.proto message.
pub fn decode(bytes: &[u8]) -> Result<Profile, String> {
    use prost::Message;
    let pb = PbProfile::decode(bytes).map_err(|e| format!("not a pprof protobuf: {e}"))?;
    if pb.sample_type.is_empty() && pb.sample.is_empty() {
        return Err("not a pprof protobuf: no sample types and no samples".into());
    }
    convert(&pb)
}

fn convert(pb: &PbProfile) -> Result<Profile, String> {
    let strings = &pb.string_table;
    // Index 0 is always "" in a valid profile; an out-of-range index degrades to "" rather
    // than failing the whole file.
    let s = |i: i64| -> &str {
        usize::try_from(i)
            .ok()
            .and_then(|i| strings.get(i))
            .map_or("", String::as_str)
    };
    let vt = |v: &PbValueType| ValueType::new(s(v.r#type), s(v.unit));
    let mut p = Profile::new(
        ProfileFormat::Pprof,
        pb.sample_type.iter().map(vt).collect(),
    );
    p.period_type = pb.period_type.as_ref().map(vt);
    p.period = pb.period;
    p.time_ns = (pb.time_nanos > 0).then_some(pb.time_nanos);
    p.duration_ns = (pb.duration_nanos > 0).then_some(pb.duration_nanos);

    let functions: HashMap<u64, &PbFunction> = pb.function.iter().map(|f| (f.id, f)).collect();
    // Each location's frames, root-most first (a location's inlined lines list the callee first).
    let mut locations: HashMap<u64, Vec<u32>> = HashMap::with_capacity(pb.location.len());
    for loc in &pb.location {
        let mut frames = Vec::with_capacity(loc.line.len().max(1));
        for line in loc.line.iter().rev() {
            let name = match functions.get(&line.function_id) {
                Some(f) if !s(f.name).is_empty() => s(f.name).to_string(),
                Some(f) if !s(f.system_name).is_empty() => s(f.system_name).to_string(),
                _ => format!("0x{:x}", loc.address),
            };
            frames.push(p.intern(&name));
        }
        if frames.is_empty() {
            frames.push(p.intern(&format!("0x{:x}", loc.address)));
        }
        locations.insert(loc.id, frames);
    }
    let unknown = p.intern("[unknown location]");
    for sample in &pb.sample {
        let mut stack = Vec::with_capacity(sample.location_id.len() * 2);
        for id in sample.location_id.iter().rev() {
            match locations.get(id) {
                Some(frames) => stack.extend_from_slice(frames),
                None => {
                    stack.push(unknown);
                }
            }
        }
        let labels = sample
            .label
            .iter()
            .map(|l| Label {
                key: s(l.key).to_string(),
                value: if l.str != 0 {
                    LabelValue::Str(s(l.str).to_string())
                } else {
                    LabelValue::Num {
                        value: l.num,
                        unit: (l.num_unit != 0).then(|| s(l.num_unit).to_string()),
                    }
                },
            })
            .collect();
        p.samples.push(Sample {
            stack,
            values: sample.value.clone(),
            labels,
        });
    }
    Ok(p)
}
