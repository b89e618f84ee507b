//! Which column plays which role: the presets for two known span tables (`beacon`'s
//! `trace_spans`, `llm`'s `llm_traces`) and for OpenTelemetry-shaped tables (`otel`), `--column role=column` overrides, and
//! the checks that every name is a plain identifier that exists in the table.
//!
//! Every identifier that reaches SQL has passed [`valid_ident`] and is written through
//! [`quote`]; every value is a bound parameter. Nothing the user types is spliced into SQL.

use crate::error::{Error, Result};

/// What a column means to tracediag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    TraceId,
    SpanId,
    ParentId,
    Service,
    Operation,
    Start,
    End,
    DurationMs,
    DurationNs,
    Status,
    ErrorMessage,
    Kind,
    /// A json/jsonb object of span attributes.
    Attributes,
    /// A json/jsonb object of resource attributes.
    Resource,
}

pub const ROLES: &[Role] = &[
    Role::TraceId,
    Role::SpanId,
    Role::ParentId,
    Role::Service,
    Role::Operation,
    Role::Start,
    Role::End,
    Role::DurationMs,
    Role::DurationNs,
    Role::Status,
    Role::ErrorMessage,
    Role::Kind,
    Role::Attributes,
    Role::Resource,
];

impl Role {
    /// The name used in `--column NAME=column`.
    pub fn key(self) -> &'static str {
        match self {
            Role::TraceId => "trace_id",
            Role::SpanId => "span_id",
            Role::ParentId => "parent_id",
            Role::Service => "service",
            Role::Operation => "operation",
            Role::Start => "start",
            Role::End => "end",
            Role::DurationMs => "duration_ms",
            Role::DurationNs => "duration_ns",
            Role::Status => "status",
            Role::ErrorMessage => "error_message",
            Role::Kind => "kind",
            Role::Attributes => "attributes",
            Role::Resource => "resource",
        }
    }

    pub fn parse(key: &str) -> Option<Role> {
        let k = key.trim().to_ascii_lowercase().replace('-', "_");
        let k = match k.as_str() {
            "parent_span_id" | "parent" => "parent_id",
            "start_time" | "started_at" => "start",
            "end_time" | "completed_at" => "end",
            "name" => "operation",
            other => other,
        };
        ROLES.iter().copied().find(|r| r.key() == k)
    }
}

/// A named column layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// `trace_spans`, in the layout of seed 000 that the preset copies: one row per span
    /// keyed by `execution_id`, no span or parent ids, so the tree is inferred from time
    /// containment.
    Beacon,
    /// `llm_traces`, in the layout of seed 003 that the preset copies: one row per LLM call
    /// or tool step, with span and parent ids and token and cost columns.
    Llm,
    /// OpenTelemetry spans with jsonb attributes.
    Otel,
    /// Nothing mapped: every role comes from `--column`.
    Custom,
}

impl Preset {
    pub fn parse(s: &str) -> Result<Preset> {
        match s.trim().to_ascii_lowercase().as_str() {
            "beacon" => Ok(Preset::Beacon),
            "llm" => Ok(Preset::Llm),
            "otel" => Ok(Preset::Otel),
            "custom" | "none" => Ok(Preset::Custom),
            other => Err(Error::Usage(format!(
                "unknown preset '{other}': use beacon, llm, otel or custom (with --column role=column)"
            ))),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Preset::Beacon => "beacon",
            Preset::Llm => "llm",
            Preset::Otel => "otel",
            Preset::Custom => "custom",
        }
    }

    /// The table the preset is laid out for, read when the URL names no `table=`.
    pub fn default_table(self) -> &'static str {
        match self {
            Preset::Beacon | Preset::Custom => "trace_spans",
            Preset::Llm => "llm_traces",
            Preset::Otel => "otel_spans",
        }
    }

    /// The preset's columns by role; several columns for one role are COALESCEd in order.
    pub fn columns(self) -> Vec<(Role, Vec<&'static str>)> {
        use Role::*;
        let one = |r: Role, c: &'static str| (r, vec![c]);
        match self {
            Preset::Beacon => vec![
                one(TraceId, "execution_id"),
                one(Service, "service"),
                one(Operation, "operation"),
                one(Start, "started_at"),
                one(End, "completed_at"),
                one(DurationMs, "duration_ms"),
                one(Status, "status"),
                one(ErrorMessage, "error_message"),
            ],
            Preset::Llm => vec![
                one(TraceId, "trace_id"),
                one(SpanId, "span_id"),
                one(ParentId, "parent_span_id"),
                // llm_traces has no service column: the provider that served the call, else
                // the kind of operation (tool_call, retrieval, …).
                (Service, vec!["model_provider", "operation_type"]),
                one(Operation, "span_name"),
                one(Start, "start_time"),
                one(End, "end_time"),
                one(DurationMs, "duration_ms"),
                one(Status, "status"),
                one(ErrorMessage, "error_message"),
            ],
            Preset::Otel => vec![
                one(TraceId, "trace_id"),
                one(SpanId, "span_id"),
                one(ParentId, "parent_span_id"),
                one(Service, "service_name"),
                one(Operation, "name"),
                one(Kind, "kind"),
                one(Start, "start_time"),
                one(End, "end_time"),
                one(DurationNs, "duration_ns"),
                one(Status, "status_code"),
                one(ErrorMessage, "status_message"),
                one(Attributes, "attributes"),
                one(Resource, "resource"),
            ],
            Preset::Custom => Vec::new(),
        }
    }

    /// The `CREATE TABLE` and indexes that fit the preset and the queries tracediag sends.
    pub fn ddl(self, table: &str) -> String {
        let t = table;
        let base = t.rsplit('.').next().unwrap_or(t);
        let (body, trace, start, service_op) = match self {
            Preset::Beacon | Preset::Custom => (
                "    id            BIGSERIAL PRIMARY KEY,\n\
                 \x20   execution_id  BIGINT       NOT NULL,\n\
                 \x20   job_id        BIGINT,\n\
                 \x20   model_id      VARCHAR(255),\n\
                 \x20   region        VARCHAR(64),\n\
                 \x20   service       VARCHAR(64)  NOT NULL,\n\
                 \x20   operation     VARCHAR(255) NOT NULL,\n\
                 \x20   started_at    TIMESTAMPTZ  NOT NULL,\n\
                 \x20   completed_at  TIMESTAMPTZ,\n\
                 \x20   duration_ms   INTEGER,\n\
                 \x20   status        VARCHAR(32)  NOT NULL DEFAULT 'completed',\n\
                 \x20   error_message TEXT",
                "execution_id",
                "started_at",
                "service, operation, started_at",
            ),
            Preset::Llm => (
                "    id              BIGSERIAL PRIMARY KEY,\n\
                 \x20   trace_id        TEXT         NOT NULL,\n\
                 \x20   span_id         TEXT         NOT NULL,\n\
                 \x20   parent_span_id  TEXT,\n\
                 \x20   span_name       TEXT         NOT NULL,\n\
                 \x20   operation_type  TEXT         NOT NULL,\n\
                 \x20   status          TEXT         NOT NULL DEFAULT 'running',\n\
                 \x20   start_time      TIMESTAMPTZ  NOT NULL,\n\
                 \x20   end_time        TIMESTAMPTZ,\n\
                 \x20   duration_ms     INTEGER,\n\
                 \x20   model_name      TEXT,\n\
                 \x20   model_provider  TEXT,\n\
                 \x20   input_tokens    INTEGER,\n\
                 \x20   output_tokens   INTEGER,\n\
                 \x20   cost_usd        NUMERIC(12, 6),\n\
                 \x20   error_message   TEXT,\n\
                 \x20   message_id      TEXT,\n\
                 \x20   conversation_id TEXT,\n\
                 \x20   created_at      TIMESTAMPTZ  NOT NULL DEFAULT now()",
                "trace_id",
                "start_time",
                "operation_type, span_name, start_time",
            ),
            Preset::Otel => (
                "    trace_id       TEXT        NOT NULL,\n\
                 \x20   span_id        TEXT        NOT NULL,\n\
                 \x20   parent_span_id TEXT,\n\
                 \x20   service_name   TEXT        NOT NULL,\n\
                 \x20   name           TEXT        NOT NULL,\n\
                 \x20   kind           TEXT,\n\
                 \x20   start_time     TIMESTAMPTZ NOT NULL,\n\
                 \x20   end_time       TIMESTAMPTZ,\n\
                 \x20   duration_ns    BIGINT,\n\
                 \x20   status_code    TEXT,\n\
                 \x20   status_message TEXT,\n\
                 \x20   attributes     JSONB       NOT NULL DEFAULT '{}',\n\
                 \x20   resource       JSONB       NOT NULL DEFAULT '{}',\n\
                 \x20   PRIMARY KEY (trace_id, span_id)",
                "trace_id",
                "start_time",
                "service_name, name, start_time",
            ),
        };
        let mut s = format!(
            "-- tracediag preset '{}': tracediag diagnose <id> --source 'postgres://…?table={t}&preset={}'\n\
             CREATE TABLE IF NOT EXISTS {t} (\n{body}\n);\n\n",
            self.name(),
            self.name()
        );
        s.push_str(&format!(
            "-- diagnose: one trace by id\nCREATE INDEX IF NOT EXISTS {base}_trace_idx ON {t} ({trace});\n\
             -- search --since / --start: the time window\nCREATE INDEX IF NOT EXISTS {base}_start_idx ON {t} ({start});\n\
             -- search --service/--operation and stats: one operation over time\n\
             CREATE INDEX IF NOT EXISTS {base}_op_start_idx ON {t} ({service_op});\n"
        ));
        if matches!(self, Preset::Otel | Preset::Llm) {
            s.push_str(&format!(
                "-- root-cause --window (pushdown): the traces starting in a range, from the index alone\n\
                 CREATE INDEX IF NOT EXISTS {base}_start_trace_idx ON {t} ({start}) INCLUDE ({trace});\n"
            ));
        }
        if self == Preset::Otel {
            s.push_str(&format!(
                "-- search --tag key=value on attributes\nCREATE INDEX IF NOT EXISTS {base}_attrs_idx ON {t} USING GIN (attributes jsonb_path_ops);\n"
            ));
        }
        s
    }
}

/// Whether `s` is a plain SQL identifier: a letter or `_`, then letters, digits, `_` or `$`,
/// at most 63 bytes (PostgreSQL's limit; longer names would be silently truncated).
pub fn valid_ident(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && (b[0].is_ascii_alphabetic() || b[0] == b'_')
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'$')
}

/// `"name"`, with embedded quotes doubled. Names passed [`valid_ident`] first, so the
/// doubling is a second line of defence, not the first.
pub fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A `[schema.]table` name, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableName {
    pub schema: Option<String>,
    pub table: String,
}

impl TableName {
    pub fn parse(raw: &str, schema: Option<&str>) -> Result<TableName> {
        let bad = |what: &str| {
            Error::Usage(format!(
                "invalid {what} '{}': use a plain name of letters, digits and _ (table=name or table=schema.name)",
                raw.escape_debug()
            ))
        };
        let parts: Vec<&str> = raw.split('.').collect();
        let (s, t) = match parts.as_slice() {
            [t] => (schema, *t),
            [s, t] if schema.is_none() => (Some(*s), *t),
            _ => return Err(bad("table name")),
        };
        if !valid_ident(t) {
            return Err(bad("table name"));
        }
        if let Some(s) = s {
            if !valid_ident(s) {
                return Err(bad("schema name"));
            }
        }
        Ok(TableName {
            schema: s.map(str::to_string),
            table: t.to_string(),
        })
    }

    /// The quoted name for SQL.
    pub fn sql(&self) -> String {
        match &self.schema {
            Some(s) => format!("{}.{}", quote(s), quote(&self.table)),
            None => quote(&self.table),
        }
    }

    /// The name for messages.
    pub fn display(&self) -> String {
        match &self.schema {
            Some(s) => format!("{s}.{}", self.table),
            None => self.table.clone(),
        }
    }
}

/// A column of the table as the catalog describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    /// `format_type()`'s text, e.g. `bigint`, `timestamp with time zone`.
    pub type_name: String,
}

/// How a column's value is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    Float,
    Bool,
    Time,
    Json,
    Text,
}

pub fn kind_of(type_name: &str) -> Kind {
    let t = type_name.to_ascii_lowercase();
    if matches!(t.as_str(), "bigint" | "integer" | "smallint") {
        Kind::Int
    } else if t.starts_with("numeric") || t == "real" || t == "double precision" {
        Kind::Float
    } else if t == "boolean" {
        Kind::Bool
    } else if t.starts_with("timestamp") {
        Kind::Time
    } else if t == "json" || t == "jsonb" {
        Kind::Json
    } else {
        Kind::Text
    }
}

/// The resolved mapping: for each role, the columns that fill it (checked to exist), and the
/// remaining columns, which become attributes.
#[derive(Debug, Clone)]
pub struct Mapping {
    pub roles: Vec<(Role, Vec<Column>)>,
    pub extras: Vec<Column>,
    /// The literal service for rows whose service columns are all NULL (or absent).
    pub service_fallback: Option<&'static str>,
}

impl Mapping {
    /// Resolve `preset` plus `overrides` against the table's `columns`. Every column the user
    /// named must exist; a preset column that is absent is dropped unless its role is
    /// required. Errors name every missing column at once.
    pub fn resolve(
        preset: Preset,
        overrides: &[(String, String)],
        columns: &[Column],
        table: &str,
    ) -> Result<Mapping> {
        let wanted = wanted_columns(preset, overrides)?;
        let (roles, mut missing) = find_columns(&wanted, columns);
        // llm_traces has no service column of its own: rows without a provider or operation
        // type fall back to a constant, so the role is not required there.
        let service_fallback = (preset == Preset::Llm).then_some("llm");
        missing.extend(missing_roles(&roles, &wanted, service_fallback.is_none()));
        if !missing.is_empty() {
            return Err(Error::input(
                table,
                format!(
                    "missing column(s): {}; map them with --column role=column (see `tracediag schema {}`)",
                    missing.join(", "),
                    preset.name()
                ),
            ));
        }
        check_types(&roles, table)?;
        let used: Vec<&str> = roles
            .iter()
            .flat_map(|(_, cs)| cs.iter().map(|c| c.name.as_str()))
            .collect();
        let extras = columns
            .iter()
            .filter(|c| !used.contains(&c.name.as_str()))
            .cloned()
            .collect();
        Ok(Mapping {
            roles,
            extras,
            service_fallback,
        })
    }

    pub fn get(&self, role: Role) -> Option<&[Column]> {
        self.roles
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, c)| c.as_slice())
    }

    pub fn has(&self, role: Role) -> bool {
        self.get(role).is_some()
    }
}

/// A role and the column names asked to fill it, and whether the user named them
/// (`--column`) rather than the preset.
type Wanted = (Role, Vec<String>, bool);

/// The preset's columns with each `--column role=column` replacing its role's; refuses
/// unknown roles and names that are not plain identifiers.
fn wanted_columns(preset: Preset, overrides: &[(String, String)]) -> Result<Vec<Wanted>> {
    let mut wanted: Vec<Wanted> = preset
        .columns()
        .into_iter()
        .map(|(r, cols)| (r, cols.into_iter().map(String::from).collect(), false))
        .collect();
    for (key, col) in overrides {
        let role = Role::parse(key).ok_or_else(|| {
            let keys: Vec<&str> = ROLES.iter().map(|r| r.key()).collect();
            Error::Usage(format!(
                "unknown column role '{}' in --column: use one of {}",
                key.escape_debug(),
                keys.join(", ")
            ))
        })?;
        if !valid_ident(col) {
            return Err(Error::Usage(format!(
                "invalid column name '{}' for --column {}: use a plain name of letters, digits and _",
                col.escape_debug(),
                role.key()
            )));
        }
        wanted.retain(|(r, _, _)| *r != role);
        wanted.push((role, vec![col.clone()], true));
    }
    Ok(wanted)
}

/// The table's columns for each wanted role, and a description of every column the user
/// named that the table lacks.
fn find_columns(wanted: &[Wanted], columns: &[Column]) -> (Vec<(Role, Vec<Column>)>, Vec<String>) {
    let find = |name: &str| columns.iter().find(|c| c.name == name).cloned();
    let mut missing = Vec::new();
    let mut roles = Vec::new();
    for (role, names, explicit) in wanted {
        let found: Vec<Column> = names.iter().filter_map(|n| find(n)).collect();
        if *explicit && found.is_empty() {
            missing.push(format!(
                "{} (--column {}={})",
                names.join("/"),
                role.key(),
                names.join("/")
            ));
            continue;
        }
        if !found.is_empty() {
            roles.push((*role, found));
        }
    }
    (roles, missing)
}

/// The roles every query needs that no column fills: trace id, operation, start, service
/// (unless `service_required` is false), and an end time or a duration.
fn missing_roles(
    roles: &[(Role, Vec<Column>)],
    wanted: &[Wanted],
    service_required: bool,
) -> Vec<String> {
    let has = |r: Role| roles.iter().any(|(x, _)| *x == r);
    let mut missing = Vec::new();
    let mut required = vec![Role::TraceId, Role::Operation, Role::Start];
    if service_required {
        required.push(Role::Service);
    }
    for r in required {
        if !has(r) {
            missing.push(describe_missing(r, wanted));
        }
    }
    if !has(Role::End) && !has(Role::DurationMs) && !has(Role::DurationNs) {
        missing.push(format!(
            "{} (an end time or a duration: --column end=…, duration_ms=… or duration_ns=…)",
            [Role::End, Role::DurationMs, Role::DurationNs]
                .iter()
                .map(|r| describe_missing(*r, wanted))
                .collect::<Vec<_>>()
                .join(" / ")
        ));
    }
    missing
}

/// Times must be timestamps, attribute bags JSON, durations numbers: the SQL casts them so.
fn check_types(roles: &[(Role, Vec<Column>)], table: &str) -> Result<()> {
    for (role, cols) in roles {
        for c in cols {
            let k = kind_of(&c.type_name);
            let ok = match role {
                Role::Start | Role::End => k == Kind::Time,
                Role::DurationMs | Role::DurationNs => matches!(k, Kind::Int | Kind::Float),
                Role::Attributes | Role::Resource => k == Kind::Json,
                _ => true,
            };
            if !ok {
                let want = match role {
                    Role::Start | Role::End => "timestamp or timestamptz",
                    Role::Attributes | Role::Resource => "json or jsonb",
                    _ => "a number",
                };
                return Err(Error::input(
                    table,
                    format!(
                        "column {} ({}) is {}, but the {} role needs {want}; map another column or a view that converts it",
                        c.name,
                        role.key(),
                        c.type_name,
                        role.key()
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn describe_missing(role: Role, wanted: &[Wanted]) -> String {
    match wanted.iter().find(|(r, _, _)| *r == role) {
        Some((_, names, _)) => format!("{} ({})", names.join("/"), role.key()),
        None => role.key().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(spec: &[(&str, &str)]) -> Vec<Column> {
        spec.iter()
            .map(|(n, t)| Column {
                name: n.to_string(),
                type_name: t.to_string(),
            })
            .collect()
    }

    fn beacon_cols() -> Vec<Column> {
        cols(&[
            ("execution_id", "bigint"),
            ("job_id", "bigint"),
            ("model_id", "character varying(255)"),
            ("region", "character varying(64)"),
            ("service", "character varying(64)"),
            ("operation", "character varying(255)"),
            ("started_at", "timestamp with time zone"),
            ("completed_at", "timestamp with time zone"),
            ("duration_ms", "integer"),
            ("status", "character varying(32)"),
            ("error_message", "text"),
        ])
    }

    #[test]
    fn identifiers_are_plain_names_only() {
        for ok in [
            "trace_spans",
            "_x",
            "T1$",
            "a23456789012345678901234567890123456789012345678901234567890123",
        ] {
            assert!(valid_ident(ok), "{ok}");
        }
        for bad in [
            "",
            "trace_spans; DROP TABLE x",
            "\"quoted\"",
            "a-b",
            "1abc",
            "a b",
            "é",
            "a234567890123456789012345678901234567890123456789012345678901234",
        ] {
            assert!(!valid_ident(bad), "{bad}");
        }
        assert_eq!(quote("a\"b"), "\"a\"\"b\"");
        assert!(TableName::parse("a.b.c", None).is_err());
        assert!(TableName::parse("s.t", Some("other")).is_err());
        let t = TableName::parse("s.t", None).ok();
        assert_eq!(t.map(|t| t.sql()), Some("\"s\".\"t\"".to_string()));
        let t = TableName::parse("t", Some("s")).ok();
        assert_eq!(t.map(|t| t.display()), Some("s.t".to_string()));
    }

    #[test]
    fn beacon_maps_and_keeps_the_rest_as_attributes() {
        let m = Mapping::resolve(Preset::Beacon, &[], &beacon_cols(), "t");
        let m = m.ok().unwrap_or_else(|| panic!("beacon resolves"));
        assert!(m.has(Role::TraceId) && !m.has(Role::ParentId) && !m.has(Role::SpanId));
        let extras: Vec<&str> = m.extras.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(extras, vec!["job_id", "model_id", "region"]);
    }

    #[test]
    fn missing_columns_are_all_named() {
        let mut c = beacon_cols();
        c.retain(|c| c.name != "started_at" && c.name != "service");
        let err = Mapping::resolve(Preset::Beacon, &[], &c, "public.trace_spans")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("started_at (start)") && err.contains("service (service)"),
            "{err}"
        );
        let err = Mapping::resolve(
            Preset::Beacon,
            &[("trace_id".into(), "exec_id".into())],
            &beacon_cols(),
            "t",
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(err.contains("exec_id"), "{err}");
    }

    #[test]
    fn overrides_are_validated() {
        for (k, v) in [("trace_id", "x; DROP TABLE t"), ("nonsense", "x")] {
            let r = Mapping::resolve(Preset::Beacon, &[(k.into(), v.into())], &beacon_cols(), "t");
            assert!(matches!(r, Err(Error::Usage(_))), "{k}={v}");
        }
        let r = Mapping::resolve(
            Preset::Beacon,
            &[("start".into(), "status".into())],
            &beacon_cols(),
            "t",
        );
        let msg = r.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.contains("timestamp"), "{msg}");
    }

    #[test]
    fn ddl_names_the_indexes() {
        let d = Preset::Beacon.ddl("trace_spans");
        assert!(d.contains("CREATE TABLE IF NOT EXISTS trace_spans"));
        assert!(d.contains("ON trace_spans (execution_id)"));
        assert!(d.contains("(service, operation, started_at)"));
        assert!(Preset::Otel
            .ddl("s.otel_spans")
            .contains("otel_spans_trace_idx ON s.otel_spans (trace_id)"));
        assert!(Preset::Otel
            .ddl("otel_spans")
            .contains("ON otel_spans (start_time) INCLUDE (trace_id)"));
    }
}
