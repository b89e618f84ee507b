//! The SQL text derived once from the mapping: quoted identifiers and fixed casts only, so
//! no query ever splices in anything the user typed.

use super::conn::PgUrl;
use super::mapping::{kind_of, quote, Column, Kind, Mapping, Role};

/// The pieces of SQL every query of one mapped table is built from.
pub(super) struct Fragments {
    pub(super) table: String,
    /// The select list, in the column order `rows.rs` reads.
    pub(super) select: String,
    /// `trace_col = ANY($1::…[])`.
    pub(super) trace_filter: String,
    pub(super) trace_is_int: bool,
    pub(super) trace_text: String,
    pub(super) start_col: String,
    pub(super) start_us: String,
    pub(super) dur_ns: String,
    pub(super) service: String,
    pub(super) operation: String,
    /// `lower(status) = ANY($k)` with the error words bound; None without a status column.
    pub(super) status: Option<String>,
}

impl Fragments {
    pub(super) fn new(url: &PgUrl, m: &Mapping) -> Fragments {
        let col = |r: Role| m.get(r).and_then(|c| c.first());
        let text = |r: Role| match m.get(r) {
            Some(cols) if cols.len() > 1 => format!(
                "COALESCE({})",
                cols.iter()
                    .map(|c| format!("{}::text", quote(&c.name)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Some([c]) => format!("{}::text", quote(&c.name)),
            _ => "NULL::text".into(),
        };
        let service = match (m.get(Role::Service), m.service_fallback) {
            (Some(_), Some(fb)) => {
                let t = text(Role::Service);
                let inner = t
                    .strip_prefix("COALESCE(")
                    .and_then(|s| s.strip_suffix(')'));
                // The fallback is a constant of ours, never user input.
                format!("COALESCE({}, '{fb}')", inner.unwrap_or(&t))
            }
            (None, Some(fb)) => format!("'{fb}'::text"),
            _ => text(Role::Service),
        };
        let us = |c: &Column| format!("(EXTRACT(EPOCH FROM {}) * 1000000)::int8", quote(&c.name));
        let start = col(Role::Start);
        let start_us = start.map_or_else(|| "0::int8".into(), us);
        let mut dur_parts = Vec::new();
        if let (Some(s), Some(e)) = (start, col(Role::End)) {
            dur_parts.push(format!(
                "(EXTRACT(EPOCH FROM ({} - {})) * 1000000000)::int8",
                quote(&e.name),
                quote(&s.name)
            ));
        }
        if let Some(c) = col(Role::DurationNs) {
            dur_parts.push(format!("({})::int8", quote(&c.name)));
        }
        if let Some(c) = col(Role::DurationMs) {
            dur_parts.push(format!("({} * 1000000)::int8", quote(&c.name)));
        }
        dur_parts.push("0::int8".into());
        let dur_ns = format!("COALESCE({})", dur_parts.join(", "));
        let trace = col(Role::TraceId);
        let trace_is_int = trace.is_some_and(|c| kind_of(&c.type_name) == Kind::Int);
        let trace_filter = match trace {
            Some(c) if trace_is_int => format!("{} = ANY($1::int8[])", quote(&c.name)),
            Some(c) if is_string_type(&c.type_name) => {
                format!("{} = ANY($1::text[])", quote(&c.name))
            }
            Some(c) => format!("{}::text = ANY($1::text[])", quote(&c.name)),
            None => "false".into(),
        };
        let status = m.get(Role::Status).map(|_| text(Role::Status));
        let mut select = vec![
            text(Role::TraceId),
            text(Role::SpanId),
            text(Role::ParentId),
            service.clone(),
            text(Role::Operation),
            start_us.clone(),
            dur_ns.clone(),
            text(Role::Status),
            text(Role::ErrorMessage),
            text(Role::Kind),
            text(Role::Attributes),
            text(Role::Resource),
        ];
        select.extend(m.extras.iter().map(|c| format!("{}::text", quote(&c.name))));
        Fragments {
            table: url.table.sql(),
            select: select.join(", "),
            trace_filter,
            trace_is_int,
            trace_text: text(Role::TraceId),
            start_col: start.map_or_else(|| "NULL".into(), |c| quote(&c.name)),
            start_us,
            dur_ns,
            service,
            operation: text(Role::Operation),
            status,
        }
    }
}

fn is_string_type(t: &str) -> bool {
    let t = t.to_ascii_lowercase();
    t == "text" || t.starts_with("character") || t.starts_with("varchar")
}
