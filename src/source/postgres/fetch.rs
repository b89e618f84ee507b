//! Traces by id. Ids are matched in every spelling a table may hold them in, and any number
//! of traces are fetched with one query: a round trip per trace would dominate
//! `search --diagnose`.

use std::collections::HashMap;

use super::mapping::Role;
use super::PostgresSource;
use crate::error::{Error, Result};
use crate::model::{id_matches, normalize_id, Trace};
use crate::source::trace_source::TraceSource;

impl PostgresSource {
    /// Fetch the traces whose ids are among `ids`, grouped by trace, in first-row order.
    fn fetch(&self, ids: &[String]) -> Result<Vec<Trace>> {
        let sql = format!(
            "SELECT {} FROM {} WHERE {}",
            self.sql.select, self.sql.table, self.sql.trace_filter
        );
        let rows = if self.sql.trace_is_int {
            // Ids that are not integers cannot name a row of an integer column.
            let mut v: Vec<i64> = ids.iter().filter_map(|id| id.trim().parse().ok()).collect();
            v.sort_unstable();
            v.dedup();
            if v.is_empty() {
                return Ok(Vec::new());
            }
            self.run(&sql, |c| c.query(&sql, &[&v]))?
        } else {
            let mut v: Vec<String> = ids.iter().flat_map(|id| id_candidates(id)).collect();
            v.sort_unstable();
            v.dedup();
            self.run(&sql, |c| c.query(&sql, &[&v]))?
        };
        self.traces_from_rows(&rows)
    }

    /// The trace with id `id`, matched in any of the spellings a table may store it in.
    pub(super) fn fetch_trace(&self, id: &str) -> Result<Trace> {
        let traces = self.fetch(&[id.to_string()])?;
        traces
            .into_iter()
            .find(|t| id_matches(&t.id, id) || t.id == id.trim())
            .ok_or_else(|| Error::TraceNotFound {
                id: id.to_string(),
                source_name: self.describe(),
                hint: format!(
                    " (no row with {} = that id; find ids with `tracediag search`)",
                    self.mapping
                        .get(Role::TraceId)
                        .and_then(|c| c.first())
                        .map_or("the trace id", |c| c.name.as_str())
                ),
            })
    }

    /// The traces with ids `ids`, each found or not found on its own, fetched with one query.
    pub(super) fn fetch_traces(&self, ids: &[String]) -> Vec<Result<Trace>> {
        // One query for all of them: a round trip per trace would dominate `search --diagnose`.
        let fetched = match self.fetch(ids) {
            Ok(t) => t,
            Err(e) => {
                // Every id gets the error, with its exit code: a trace over a limit is an
                // input error (2), a failed query an unreachable source (3).
                let msg = e.to_string();
                let again = |m: String| match &e {
                    Error::Limit(_) => Error::Limit(m),
                    Error::Input { .. } | Error::Usage(_) | Error::TraceNotFound { .. } => {
                        Error::Usage(m)
                    }
                    _ => Error::Unreachable(m),
                };
                return ids.iter().map(|_| Err(again(msg.clone()))).collect();
            }
        };
        let mut by_id: HashMap<String, Trace> =
            fetched.into_iter().map(|t| (t.id.clone(), t)).collect();
        ids.iter()
            .map(|id| {
                // By key first; the scan for short or padded spellings is the rare case.
                let norm = normalize_id(id);
                let key = if by_id.contains_key(&norm) {
                    Some(norm)
                } else {
                    by_id
                        .keys()
                        .find(|k| id_matches(k, id) || k.as_str() == id.trim())
                        .cloned()
                };
                match key.and_then(|k| by_id.remove(&k)) {
                    Some(t) => Ok(t),
                    None => Err(Error::TraceNotFound {
                        id: id.clone(),
                        source_name: self.describe(),
                        hint: String::new(),
                    }),
                }
            })
            .collect()
    }
}

/// The spellings under which a text trace id may be stored: as typed, lower-cased,
/// normalised, and left-padded to 16 and 32 hex digits.
fn id_candidates(id: &str) -> Vec<String> {
    let t = id.trim();
    let mut v = vec![t.to_string(), t.to_ascii_lowercase(), normalize_id(t)];
    if !t.is_empty() && t.len() < 32 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
        let lower = t.to_ascii_lowercase();
        if t.len() < 16 {
            v.push(format!("{lower:0>16}"));
        }
        v.push(format!("{lower:0>32}"));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_cover_short_and_padded_ids() {
        let c = id_candidates("2193");
        assert!(c.contains(&"2193".to_string()));
        assert!(c.contains(&"0000000000002193".to_string()));
        assert!(c.contains(&format!("{:0>32}", "2193")));
        assert_eq!(
            id_candidates("x'; DROP TABLE t; --")[0],
            "x'; DROP TABLE t; --"
        );
    }
}
