//! Result rows as spans: the select list of `fragments.rs` read column by column, status
//! words and JSON attribute bags decoded, rows grouped into traces, and span ids and parents
//! filled in for tables that have none.

use std::collections::HashMap;
use std::sync::Arc;

use postgres::Row;

use super::conn::error_chain;
use super::mapping::{kind_of, Kind, Role};
use super::PostgresSource;
use crate::error::{Error, Result};
use crate::model::status::{normalize_status, ERROR_STATUS_WORDS};
use crate::model::{normalized_id, AttrValue, CompactString, Span, SpanKind, StatusCode, Trace};
use crate::source::common::parent_id;
use crate::source::infer_parents::{infer_parents, Interval};

/// Status column values (lower-cased) that mean the span succeeded: OpenTelemetry's OK
/// status code as a name or a number.
const OK_STATUS: &[&str] = &["ok", "status_code_ok", "1"];

impl PostgresSource {
    pub(super) fn traces_from_rows(&self, rows: &[Row]) -> Result<Vec<Trace>> {
        let mut order: Vec<Trace> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for row in rows {
            let span = self.span_from_row(row)?;
            let i = match index.get(span.trace_id.as_str()) {
                Some(&i) => i,
                None => {
                    index.insert(span.trace_id.to_string(), order.len());
                    order.push(Trace::new(span.trace_id.to_string()));
                    order.len() - 1
                }
            };
            order[i].spans_mut().push(span);
        }
        let what = self.url.display();
        for t in &mut order {
            // Before inferring parents: that is quadratic in the worst case, and a trace over
            // the span limit is refused anyway.
            if t.spans.len() > self.limits.max_trace_spans {
                self.limits.apply_one(t, &what)?;
            }
            self.finish(t);
            self.limits.apply_one(t, &what)?;
        }
        Ok(order)
    }

    /// Span ids and parents for tables without them; the error conventions.
    fn finish(&self, t: &mut Trace) {
        // Start order (longest first on ties): what the table's writer most likely did, and
        // the order a reader of the waterfall expects.
        t.spans_mut().sort_by(|a, b| {
            a.start_ns
                .cmp(&b.start_ns)
                .then(b.duration_ns.cmp(&a.duration_ns))
        });
        if !self.mapping.has(Role::SpanId) {
            for (i, s) in t.spans_mut().iter_mut().enumerate() {
                s.span_id = (i + 1).to_string().into();
            }
        }
        if !self.mapping.has(Role::ParentId) {
            let parents = {
                let intervals: Vec<Interval> = t
                    .spans
                    .iter()
                    .map(|s| Interval {
                        start_ns: s.start_ns,
                        end_ns: s.end_ns(),
                        service: &s.service,
                    })
                    .collect();
                infer_parents(&intervals)
            };
            let ids: Vec<CompactString> = t.spans.iter().map(|s| s.span_id.clone()).collect();
            for (s, p) in t.spans_mut().iter_mut().zip(parents) {
                s.parent_id = p.and_then(|p| ids.get(p).cloned());
            }
            t.parents_inferred = true;
        }
        for s in t.spans_mut().iter_mut() {
            normalize_status(s);
        }
    }

    fn span_from_row(&self, row: &Row) -> Result<Span> {
        let bad = |i: usize, e: postgres::Error| {
            Error::Unreachable(format!(
                "{}: unexpected value in result column {i}: {}",
                self.url.display(),
                error_chain(&e)
            ))
        };
        let text = |i: usize| -> Result<Option<String>> { row.try_get(i).map_err(|e| bad(i, e)) };
        let int = |i: usize| -> Result<Option<i64>> { row.try_get(i).map_err(|e| bad(i, e)) };
        let mut s = Span {
            trace_id: normalized_id(&text(0)?.unwrap_or_default()),
            span_id: text(1)?.map(|v| normalized_id(&v)).unwrap_or_default(),
            parent_id: text(2)?.and_then(|v| parent_id(normalized_id(&v))),
            service: text(3)?.unwrap_or_else(|| "unknown".into()).into(),
            operation: text(4)?.unwrap_or_default().into(),
            start_ns: int(5)?.unwrap_or(0).saturating_mul(1000),
            duration_ns: int(6)?.unwrap_or(0),
            ..Span::default()
        };
        let status = text(7)?;
        let message = text(8)?;
        if let Some(k) = text(9)? {
            s.kind = SpanKind::parse(&k);
        }
        for (i, resource) in [(10, false), (11, true)] {
            if let Some(json) = text(i)? {
                let target = if resource {
                    &mut Arc::make_mut(&mut s.origin).resource
                } else {
                    &mut s.attributes
                };
                if let Ok(serde_json::Value::Object(map)) = serde_json::from_str(&json) {
                    flatten("", &map, target);
                }
            }
        }
        for (j, col) in self.mapping.extras.iter().enumerate() {
            if let Some(v) = text(12 + j)? {
                s.attributes
                    .push((col.name.clone().into(), typed(&v, kind_of(&col.type_name))));
            }
        }
        if let Some(st) = status {
            let lower = st.trim().to_ascii_lowercase();
            if ERROR_STATUS_WORDS.contains(&lower.as_str()) {
                s.status.code = StatusCode::Error;
            } else if OK_STATUS.contains(&lower.as_str()) {
                s.status.code = StatusCode::Ok;
            }
            s.attributes
                .push(("status".into(), AttrValue::Str(st.into())));
        }
        if let Some(m) = message.filter(|m| !m.is_empty()) {
            if s.status.code == StatusCode::Error {
                s.status.message = Some(m.clone());
            }
            s.attributes
                .push(("error.message".into(), AttrValue::Str(m.into())));
        }
        Ok(s)
    }
}

/// A column value read as text, typed by the column's type.
fn typed(v: &str, kind: Kind) -> AttrValue {
    match kind {
        Kind::Int => v
            .parse()
            .map_or_else(|_| AttrValue::Str(v.into()), AttrValue::Int),
        Kind::Float => v
            .parse()
            .map_or_else(|_| AttrValue::Str(v.into()), AttrValue::Float),
        Kind::Bool => AttrValue::Bool(v == "true" || v == "t"),
        _ => AttrValue::Str(v.into()),
    }
}

/// A JSON object as attributes; nested objects become dotted keys (`http.request.method`).
fn flatten(
    prefix: &str,
    map: &serde_json::Map<String, serde_json::Value>,
    out: &mut Vec<(CompactString, AttrValue)>,
) {
    for (k, v) in map {
        let key = if prefix.is_empty() {
            CompactString::from(k.as_str())
        } else {
            compact_str::format_compact!("{prefix}.{k}")
        };
        match v {
            serde_json::Value::Object(inner) => flatten(&key, inner, out),
            serde_json::Value::Null => {}
            other => out.push((key, json_value(other))),
        }
    }
}

fn json_value(v: &serde_json::Value) -> AttrValue {
    match v {
        serde_json::Value::Bool(b) => AttrValue::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => AttrValue::Int(i),
            None => AttrValue::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_json::Value::String(s) => AttrValue::Str(s.as_str().into()),
        serde_json::Value::Array(items) => AttrValue::List(items.iter().map(json_value).collect()),
        other => AttrValue::Str(other.to_string().into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_attributes_flatten() {
        let v: serde_json::Value = serde_json::from_str(
            r#"{"http":{"status_code":503,"method":"GET"},"ok":true,"x":null,"l":[1,"a"]}"#,
        )
        .unwrap_or_default();
        let mut out = Vec::new();
        if let serde_json::Value::Object(m) = v {
            flatten("", &m, &mut out);
        }
        assert!(out.contains(&("http.status_code".into(), AttrValue::Int(503))));
        assert!(out.contains(&("ok".into(), AttrValue::Bool(true))));
        assert_eq!(out.len(), 4);
    }
}
