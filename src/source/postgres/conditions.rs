//! The span filters of `search` and `stats` as SQL: conditions on the mapped columns, every
//! value a bound parameter.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use postgres::types::ToSql;

use super::mapping::{quote, valid_ident, Role};
use super::PostgresSource;
use crate::error::{Error, Result};
use crate::model::status::ERROR_STATUS_WORDS;

impl PostgresSource {
    /// The SQL conditions and parameters for the span filters of a search or stats query.
    pub(super) fn span_conditions(
        &self,
        service: Option<&String>,
        operation: Option<&String>,
        window: (Option<i64>, Option<i64>),
        min_ns: Option<i64>,
        max_ns: Option<i64>,
        params: &mut Params,
    ) -> Vec<String> {
        let f = &self.sql;
        let mut conds = Vec::new();
        if let Some(start) = window.0 {
            conds.push(format!(
                "{} >= {}",
                f.start_col,
                params.push(system_time(start))
            ));
        }
        if let Some(end) = window.1 {
            conds.push(format!(
                "{} <= {}",
                f.start_col,
                params.push(system_time(end))
            ));
        }
        if let Some(s) = service {
            conds.push(format!("{} = {}", f.service, params.push(s.clone())));
        }
        if let Some(o) = operation {
            conds.push(format!("{} = {}", f.operation, params.push(o.clone())));
        }
        if let Some(d) = min_ns {
            conds.push(format!("{} >= {}", f.dur_ns, params.push(d)));
        }
        if let Some(d) = max_ns {
            conds.push(format!("{} <= {}", f.dur_ns, params.push(d)));
        }
        conds
    }

    /// `lower(status) = ANY($k)`, or `false` when the table has no status column.
    pub(super) fn error_predicate(&self, params: &mut Params) -> String {
        match &self.sql.status {
            Some(status) => {
                let words: Vec<String> = ERROR_STATUS_WORDS.iter().map(|w| w.to_string()).collect();
                format!(
                    "COALESCE(lower({status}) = ANY({}), false)",
                    params.push(words)
                )
            }
            None => "false".into(),
        }
    }

    /// A `--tag key=value` as SQL: an extra column of that name, or a key of the attributes.
    pub(super) fn tag_condition(
        &self,
        key: &str,
        value: &str,
        params: &mut Params,
    ) -> Result<String> {
        if valid_ident(key) {
            if let Some(c) = self.mapping.extras.iter().find(|c| c.name == key) {
                return Ok(format!(
                    "{}::text = {}",
                    quote(&c.name),
                    params.push(value.to_string())
                ));
            }
        }
        match self.mapping.get(Role::Attributes).and_then(|c| c.first()) {
            Some(c) => Ok(format!(
                "{} ->> {} = {}",
                quote(&c.name),
                params.push(key.to_string()),
                params.push(value.to_string())
            )),
            None => Err(Error::Usage(format!(
                "--tag {}: table {} has no such column and no attributes column",
                key.escape_debug(),
                self.url.table.display()
            ))),
        }
    }

    pub(super) fn trace_col(&self) -> String {
        self.mapping
            .get(Role::TraceId)
            .and_then(|c| c.first())
            .map_or_else(|| "NULL".into(), |c| quote(&c.name))
    }
}

pub(super) fn system_time(ns: i64) -> SystemTime {
    let d = Duration::from_nanos(ns.unsigned_abs());
    if ns >= 0 {
        UNIX_EPOCH.checked_add(d).unwrap_or(UNIX_EPOCH)
    } else {
        UNIX_EPOCH.checked_sub(d).unwrap_or(UNIX_EPOCH)
    }
}

/// Bound parameters, numbered as they are added.
#[derive(Default)]
pub(super) struct Params(Vec<Box<dyn ToSql + Sync>>);

impl Params {
    /// Add a value; returns its placeholder (`$3`).
    pub(super) fn push(&mut self, v: impl ToSql + Sync + 'static) -> String {
        self.0.push(Box::new(v));
        format!("${}", self.0.len())
    }

    pub(super) fn refs(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.0.iter().map(|b| b.as_ref()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_before_the_epoch_do_not_panic() {
        assert!(system_time(-5) < UNIX_EPOCH);
        assert!(system_time(i64::MIN) <= UNIX_EPOCH);
    }
}
