//! Fitting a JSON document into a size budget (the MCP server's `max_tokens`), the way the
//! llm text is fitted: lists are cut from their end, least telling first, and every cut is
//! stated in the document itself — `truncated: true`, `omitted_<list>` with the count left
//! out (`omitted_spans` adds to the count already there), and `omitted_reason`.
//!
//! The order follows what a reader needs last: the span list, then the critical path's
//! segments, the integrity details, anomalies and gaps, patterns, error origins, and the
//! root causes last (the top one is always kept).

use serde_json::Value;

/// Lists in the order they are cut, as (top-level key, key inside it).
const CUT_ORDER: &[(&str, Option<&str>)] = &[
    ("spans", None),
    ("rows", None),
    // `span`: its links, events, resource and attributes (objects lose their last keys).
    ("links", None),
    ("events", None),
    ("resource", None),
    ("attributes", None),
    ("critical_path", None),
    ("integrity", Some("outside_parent")),
    ("integrity", Some("skew_adjustments")),
    ("integrity", Some("orphans")),
    ("integrity", Some("duplicate_span_ids")),
    ("integrity", Some("non_positive_durations")),
    ("integrity", Some("cycles")),
    ("integrity", Some("root_span_ids")),
    ("integrity", Some("findings")),
    ("anomalies", None),
    ("handled_errors", None),
    ("gaps", None),
    ("patterns", Some("sequential")),
    ("patterns", Some("repeated")),
    ("hits", None),
    ("groups", None),
    ("traces", None),
    ("error_origins", None),
    ("trace", Some("services")),
    ("time_breakdown", Some("top")),
    ("root_causes", None),
];

/// Room kept for the fields that state the cuts.
const STATEMENT_ROOM: usize = 512;

/// Cut `doc`'s lists until its compact JSON is at most `max_chars` long (or nothing more can
/// be cut); returns whether anything was cut. `reason` names the budget in `omitted_reason`.
pub fn fit(doc: &mut Value, max_chars: usize, reason: &str) -> bool {
    if compact_len(doc) <= max_chars {
        return false;
    }
    let mut cuts: Vec<(String, usize)> = Vec::new();
    let mut target = max_chars.saturating_sub(STATEMENT_ROOM);
    // The statement of the cuts takes room too: cut again, deeper, until both fit.
    for _ in 0..4 {
        cut_lists(doc, target, &mut cuts);
        let mut stated = doc.clone();
        state(&mut stated, &cuts, reason);
        let size = compact_len(&stated);
        if size <= max_chars {
            *doc = stated;
            return !cuts.is_empty();
        }
        target = target.saturating_sub(size - max_chars);
    }
    state(doc, &cuts, reason);
    !cuts.is_empty()
}

/// Cut lists in [`CUT_ORDER`] until the document is at most `target` long; counts go into
/// `cuts` (added to earlier rounds').
fn cut_lists(doc: &mut Value, target: usize, cuts: &mut Vec<(String, usize)>) {
    let mut size = compact_len(doc);
    for &(key, inner) in CUT_ORDER {
        if size <= target {
            break;
        }
        let keep_at_least = usize::from(key == "root_causes");
        if let Some(map) = doc.get_mut(key).and_then(Value::as_object_mut) {
            let omitted = cut_object(map, &mut size, target);
            note_cut(cuts, format!("omitted_{key}"), omitted);
            continue;
        }
        let Some(list) = list_mut(doc, key, inner) else {
            continue;
        };
        let mut omitted = 0;
        while size > target && list.len() > keep_at_least {
            if let Some(item) = list.pop() {
                // The item and the comma before it.
                size = size.saturating_sub(compact_len(&item) + 1);
                omitted += 1;
            }
        }
        let name = match inner {
            Some(inner) => format!("omitted_{key}_{inner}"),
            None => format!("omitted_{key}"),
        };
        note_cut(cuts, name, omitted);
    }
}

/// Remove an object's last keys until the document is at most `target` long.
fn cut_object(map: &mut serde_json::Map<String, Value>, size: &mut usize, target: usize) -> usize {
    let mut omitted = 0;
    while *size > target {
        let Some(key) = map.keys().next_back().cloned() else {
            break;
        };
        if let Some(v) = map.remove(&key) {
            // `"key":value` and the comma before it.
            *size = size.saturating_sub(key.len() + 3 + compact_len(&v) + 1);
            omitted += 1;
        }
    }
    omitted
}

fn note_cut(cuts: &mut Vec<(String, usize)>, name: String, omitted: usize) {
    if omitted == 0 {
        return;
    }
    match cuts.iter_mut().find(|(n, _)| *n == name) {
        Some((_, n)) => *n += omitted,
        None => cuts.push((name, omitted)),
    }
}

fn list_mut<'a>(doc: &'a mut Value, key: &str, inner: Option<&str>) -> Option<&'a mut Vec<Value>> {
    let v = doc.get_mut(key)?;
    match inner {
        Some(inner) => v.get_mut(inner)?.as_array_mut(),
        None => v.as_array_mut(),
    }
}

fn compact_len(v: &Value) -> usize {
    serde_json::to_string(v).map_or(0, |s| s.len())
}

/// Write the cuts into the document.
fn state(doc: &mut Value, cuts: &[(String, usize)], reason: &str) {
    let Some(obj) = doc.as_object_mut() else {
        return;
    };
    if cuts.is_empty() {
        return;
    }
    obj.insert("truncated".into(), Value::Bool(true));
    for (name, n) in cuts {
        let before = obj.get(name).and_then(Value::as_u64).unwrap_or(0);
        obj.insert(name.clone(), Value::from(before + *n as u64));
    }
    let listed: Vec<String> = cuts
        .iter()
        .map(|(name, n)| format!("{n} {}", name.trim_start_matches("omitted_")))
        .collect();
    let note = format!("{} left out to fit {reason}", listed.join(", "));
    let text = match obj.get("omitted_reason").and_then(Value::as_str) {
        Some(before) if !before.is_empty() => format!("{before}; {note}"),
        _ => note,
    };
    obj.insert("omitted_reason".into(), Value::String(text));
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn cuts_the_span_list_first_and_says_so() {
        let spans: Vec<Value> = (0..1000)
            .map(|i| json!({"span_id": format!("{i:016x}")}))
            .collect();
        let mut doc =
            json!({"root_causes": [{"category": "X"}], "spans": spans, "omitted_spans": 5});
        assert!(fit(&mut doc, 4000, "max_tokens 1000"));
        assert!(compact_len(&doc) <= 4000);
        let kept = doc["spans"].as_array().map_or(0, Vec::len);
        assert_eq!(doc["omitted_spans"], json!(5 + 1000 - kept as u64));
        assert_eq!(doc["root_causes"].as_array().map(Vec::len), Some(1));
        assert_eq!(doc["truncated"], json!(true));
        assert!(doc["omitted_reason"]
            .as_str()
            .unwrap()
            .contains("max_tokens 1000"));
    }

    #[test]
    fn leaves_a_small_document_alone() {
        let mut doc = json!({"spans": [1, 2, 3]});
        assert!(!fit(&mut doc, 1000, "x"));
        assert_eq!(doc, json!({"spans": [1, 2, 3]}));
    }
}
