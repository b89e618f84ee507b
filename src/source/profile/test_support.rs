//! What the profile unit tests assert on: a profile's summed values and its folded stacks.

use std::collections::HashMap;

use crate::model::profile::Profile;

/// The summed value of every sample, per sample type.
pub(crate) fn totals(p: &Profile) -> Vec<i64> {
    let mut t = vec![0i64; p.sample_types.len()];
    for s in &p.samples {
        for (acc, v) in t.iter_mut().zip(&s.values) {
            *acc = acc.saturating_add(*v);
        }
    }
    t
}

/// Folded stacks (`a;b;c N`), one line per distinct stack, sorted, with the value at
/// `value_index`.
pub(crate) fn folded(p: &Profile, value_index: usize) -> String {
    let mut agg: HashMap<&[u32], i64> = HashMap::new();
    for s in &p.samples {
        let v = s.values.get(value_index).copied().unwrap_or(0);
        if v > 0 && !s.stack.is_empty() {
            let e = agg.entry(s.stack.as_slice()).or_insert(0);
            *e = e.saturating_add(v);
        }
    }
    let mut lines: Vec<String> = agg
        .into_iter()
        .map(|(stack, v)| {
            let names: Vec<&str> = stack.iter().map(|&f| p.frame(f)).collect();
            format!("{} {v}", names.join(";"))
        })
        .collect();
    lines.sort();
    let mut out = lines.join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    out
}
