//! Answers already given, kept for a repeated call: a model often asks the same question of
//! the same trace twice (after a reconnect, or re-reading its notes). The analysis is
//! deterministic, so the same arguments over the same unchanged files give the same answer;
//! rebuilding it costs the tree, the masking and the analyses of every span again.
//!
//! Only calls whose sources are all local files are kept, each stamped with the file's
//! length and modification time: a changed file is another key, and a server's trace may
//! still be growing, so calls reading one are never kept.

use std::time::Duration;

use rmcp::model::{CallToolResult, JsonObject};

use crate::lru::Lru;
use crate::source::backend::FileKey;
use crate::source::spec::SourceSpec;
use crate::source::Limits;

/// Answers kept.
const MAX_ANSWERS: usize = 64;

/// What makes two calls the same: the tool, its arguments, and the state of every file read.
#[derive(Debug, Clone, PartialEq)]
pub struct CallKey {
    tool: String,
    arguments: String,
    files: Vec<FileKey>,
}

impl CallKey {
    /// The key of a call on `source` (the call's or the server's), or None when the call
    /// may read anything but unchanged local files.
    pub fn of(tool: &str, args: &JsonObject, source: Option<&str>) -> Option<CallKey> {
        let source = args.get("source").and_then(|v| v.as_str()).or(source)?;
        // Any other argument that names a server (a baseline, a second source) rules the
        // call out: what a server answers may change.
        let names_a_server = args
            .values()
            .filter_map(|v| v.as_str())
            .any(|s| s.contains("://"));
        if names_a_server {
            return None;
        }
        let SourceSpec::File(path) = SourceSpec::parse(source).ok()? else {
            return None;
        };
        let file = FileKey::of(&path, &Limits::default())?;
        Some(CallKey {
            tool: tool.to_string(),
            // serde_json's maps are sorted: equal arguments give equal text.
            arguments: serde_json::Value::Object(args.clone()).to_string(),
            files: vec![file],
        })
    }
}

/// The answers kept, least recently used out first, none older than the TTL; each is
/// bounded by its call's token budget.
pub struct Answers(Lru<CallKey, CallToolResult>);

impl Answers {
    pub fn new(ttl: Duration) -> Answers {
        Answers(Lru::new(MAX_ANSWERS, u64::MAX, ttl))
    }

    pub fn get(&self, key: &CallKey) -> Option<CallToolResult> {
        self.0.get(key)
    }

    pub fn put(&self, key: CallKey, answer: CallToolResult) {
        self.0.put(key, answer, 1);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn args(v: serde_json::Value) -> JsonObject {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn only_calls_on_unchanged_local_files_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.json");
        std::fs::write(&path, "{}").unwrap();
        let file = path.to_str().unwrap();
        let a = CallKey::of(
            "diagnose_trace",
            &args(json!({"trace_id": "1"})),
            Some(file),
        );
        let b = CallKey::of(
            "diagnose_trace",
            &args(json!({"trace_id": "1"})),
            Some(file),
        );
        assert!(a.is_some());
        assert_eq!(a, b);
        let other = CallKey::of(
            "diagnose_trace",
            &args(json!({"trace_id": "2"})),
            Some(file),
        );
        assert_ne!(a, other);
        let server = "jaeger+http://localhost:16686";
        assert!(CallKey::of("diagnose_trace", &args(json!({})), Some(server)).is_none());
        let baseline = args(json!({"trace_id": "1", "baseline": "tempo+http://x"}));
        assert!(CallKey::of("diagnose_trace", &baseline, Some(file)).is_none());
        assert!(CallKey::of("diagnose_trace", &args(json!({})), None).is_none());
        // A changed file is another key.
        std::fs::write(&path, "{} ").unwrap();
        let changed = CallKey::of(
            "diagnose_trace",
            &args(json!({"trace_id": "1"})),
            Some(file),
        );
        assert_ne!(a, changed);
    }

    #[test]
    fn a_kept_answer_is_given_again_until_the_ttl() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.json");
        std::fs::write(&path, "{}").unwrap();
        let key = CallKey::of("x", &JsonObject::new(), path.to_str()).unwrap();
        let answers = Answers::new(Duration::from_secs(60));
        assert!(answers.get(&key).is_none());
        answers.put(key.clone(), CallToolResult::structured(json!({"a": 1})));
        assert!(answers.get(&key).is_some());
        let expired = Answers::new(Duration::ZERO);
        expired.put(key.clone(), CallToolResult::structured(json!({"a": 1})));
        std::thread::sleep(Duration::from_millis(5));
        assert!(expired.get(&key).is_none());
    }
}
