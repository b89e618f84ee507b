//! Pyroscope's flamebearer JSON (`/pyroscope/render`): `names` plus `levels`, 4 integers per
//! node: x-offset delta, total, self, name index. Offsets are delta-encoded against the end
//! of the previous node in the same level; a node's parent is the node one level up whose
//! range contains its start.

use serde::Deserialize;

use crate::model::profile::{Profile, ProfileFormat, Sample, ValueType};

#[derive(Deserialize)]
struct Doc {
    flamebearer: Flamebearer,
    #[serde(default)]
    metadata: Option<Metadata>,
}

#[derive(Deserialize)]
struct Flamebearer {
    names: Vec<String>,
    levels: Vec<Vec<i64>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Metadata {
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    sample_rate: Option<i64>,
    #[serde(default)]
    units: Option<String>,
}

pub fn looks_like(text: &str) -> bool {
    text.trim_start().starts_with('{') && text.contains("\"flamebearer\"")
}

pub fn parse(text: &str) -> Result<Profile, String> {
    let doc: Doc = serde_json::from_str(text).map_err(|e| format!("not flamebearer JSON: {e}"))?;
    if let Some(f) = doc.metadata.as_ref().and_then(|m| m.format.as_deref()) {
        if f != "single" {
            return Err(format!(
                "flamebearer format '{f}' is not supported (expected a single profile, not a diff)"
            ));
        }
    }
    let units = doc
        .metadata
        .as_ref()
        .and_then(|m| m.units.clone())
        .unwrap_or_else(|| "samples".into());
    let mut p = if units == "samples" {
        let mut p = Profile::new(
            ProfileFormat::Flamebearer,
            vec![ValueType::new("samples", "count")],
        );
        if let Some(rate) = doc.metadata.as_ref().and_then(|m| m.sample_rate) {
            if rate > 0 {
                p.period_type = Some(ValueType::new("cpu", "nanoseconds"));
                p.period = 1_000_000_000 / rate;
            }
        }
        p
    } else {
        Profile::new(
            ProfileFormat::Flamebearer,
            vec![ValueType::new(&units, "count")],
        )
    };
    let fb = &doc.flamebearer;
    let frames: Vec<u32> = fb.names.iter().map(|n| p.intern(n)).collect();
    // Per level: (start, end, stack) of each node.
    let mut prev: Vec<(i64, i64, Vec<u32>)> = Vec::new();
    for (depth, level) in fb.levels.iter().enumerate() {
        if level.len() % 4 != 0 {
            return Err(format!(
                "flamebearer level {depth} does not hold groups of 4 integers"
            ));
        }
        let mut cur = Vec::with_capacity(level.len() / 4);
        let mut end_of_prev = 0i64;
        for node in level.chunks_exact(4) {
            let (delta, total, self_v, name) = (node[0], node[1], node[2], node[3]);
            let start = end_of_prev.saturating_add(delta);
            let end = start.saturating_add(total.max(0));
            end_of_prev = end;
            let name = usize::try_from(name)
                .ok()
                .and_then(|i| frames.get(i).copied())
                .ok_or_else(|| format!("flamebearer name index {name} out of range"))?;
            let mut stack = if depth == 0 {
                Vec::new()
            } else {
                let parent = prev.partition_point(|(s, _, _)| *s <= start);
                match parent.checked_sub(1).and_then(|i| prev.get(i)) {
                    Some((ps, pe, st)) if *ps <= start && start < (*pe).max(*ps + 1) => st.clone(),
                    _ => return Err(format!("flamebearer node at level {depth} has no parent")),
                }
            };
            // The level-0 node is the synthetic "total" root: not a frame.
            if depth > 0 {
                stack.push(name);
            }
            if self_v > 0 && !stack.is_empty() {
                p.samples.push(Sample {
                    stack: stack.clone(),
                    values: vec![self_v],
                    labels: Vec::new(),
                });
            }
            cur.push((start, end, stack));
        }
        prev = cur;
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::profile::test_support::{folded, totals};

    #[test]
    fn decodes_levels() {
        // total(10) -> a(6, self 1) -> b(5, self 5); total -> c(4, self 4)
        let doc = r#"{"flamebearer":{"names":["total","a","b","c"],
            "levels":[[0,10,0,0],[0,6,1,1,0,4,4,3],[0,5,5,2]]},
            "metadata":{"format":"single","sampleRate":100,"units":"samples"}}"#;
        let p = parse(doc).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(totals(&p), vec![10]);
        let folded = folded(&p, 0);
        assert_eq!(folded, "a 1\na;b 5\nc 4\n");
        assert_eq!(p.period, 10_000_000);
    }
}
