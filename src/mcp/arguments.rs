//! A tool call's JSON arguments as a command line: flags, positionals after `--`, and the
//! arguments the MCP layer reads itself (source, budget, paging).

use rmcp::model::JsonObject;
use rmcp::ErrorData as McpError;
use serde_json::Value;

use super::tools::{To, ToolDef, Ty, DEFAULT_LIMIT, DEFAULT_MAX_TOKENS, MAX_LIMIT};

/// Arguments read by the MCP layer.
pub struct Layer {
    pub source: Option<String>,
    pub max_tokens: usize,
    pub limit: usize,
    pub offset: usize,
}

pub fn invalid(msg: impl Into<String>) -> McpError {
    McpError::invalid_params(msg.into(), None)
}

fn kebab(name: &str) -> String {
    format!("--{}", name.replace('_', "-"))
}

/// The tool's arguments as a command line for `command`, and the layer's own arguments.
/// An argument the MCP layer reads itself.
fn set_layer(
    layer: &mut Layer,
    name: &str,
    scalar: Option<&str>,
    bad: &dyn Fn(&str) -> McpError,
) -> Result<(), McpError> {
    let n = || scalar.and_then(|s| s.parse::<usize>().ok());
    match name {
        "source" => layer.source = scalar.map(str::to_string),
        "max_tokens" => {
            let v = n().ok_or_else(|| bad("a whole number"))?;
            if v < crate::cli::MIN_MAX_TOKENS {
                return Err(bad("at least 100"));
            }
            layer.max_tokens = v;
        }
        "limit" => {
            let v = n().ok_or_else(|| bad("a whole number"))?;
            if !(1..=MAX_LIMIT).contains(&v) {
                return Err(bad("from 1 to 500"));
            }
            layer.limit = v;
        }
        "offset" => layer.offset = n().ok_or_else(|| bad("a whole number"))?,
        _ => {}
    }
    Ok(())
}

pub fn argv(
    def: &ToolDef,
    command: &str,
    args: &JsonObject,
) -> Result<(Vec<String>, Layer), McpError> {
    let mut flags: Vec<String> = Vec::new();
    // By the tool's parameter order, not the arguments' (a JSON object's keys come sorted:
    // `span_id` would precede `trace_id`).
    let mut positional: Vec<(usize, Vec<String>)> = Vec::new();
    let mut layer = Layer {
        source: None,
        max_tokens: DEFAULT_MAX_TOKENS,
        limit: DEFAULT_LIMIT,
        offset: 0,
    };
    for (key, value) in args {
        let Some(prm) = def.params.iter().find(|p| p.name == key) else {
            let known: Vec<&str> = def.params.iter().map(|p| p.name).collect();
            return Err(invalid(format!(
                "{}: unknown argument '{key}'; arguments: {}",
                def.name,
                known.join(", ")
            )));
        };
        if value.is_null() {
            continue;
        }
        let bad = |want: &str| invalid(format!("{}: '{key}' must be {want}", def.name));
        let scalar = match (prm.ty, value) {
            (Ty::Str, Value::String(s)) => Some(s.clone()),
            (Ty::Int, Value::Number(n)) => Some(
                n.as_u64()
                    .ok_or_else(|| bad("a whole number ≥ 0"))?
                    .to_string(),
            ),
            (Ty::Num, Value::Number(n)) => Some(n.to_string()),
            (Ty::Bool, Value::Bool(_))
            | (Ty::StrList, Value::Array(_))
            | (Ty::Tags, Value::Object(_)) => None,
            (Ty::Str, _) => return Err(bad("a string")),
            (Ty::Int, _) => return Err(bad("a whole number")),
            (Ty::Num, _) => return Err(bad("a number")),
            (Ty::Bool, _) => return Err(bad("true or false")),
            (Ty::StrList, _) => return Err(bad("a list of strings")),
            (Ty::Tags, _) => return Err(bad("an object of strings")),
        };
        if prm.to == To::Layer {
            set_layer(&mut layer, prm.name, scalar.as_deref(), &bad)?;
            continue;
        }
        let items: Vec<String> = match value {
            Value::Array(a) => a
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| bad("a list of strings"))
                })
                .collect::<Result<_, _>>()?,
            Value::Object(o) => o
                .iter()
                .map(|(k, v)| {
                    v.as_str()
                        .map(|v| format!("{k}={v}"))
                        .ok_or_else(|| bad("an object of strings"))
                })
                .collect::<Result<_, _>>()?,
            _ => scalar.clone().into_iter().collect(),
        };
        match (prm.to, value) {
            (To::Flag, Value::Bool(true)) => flags.push(kebab(prm.name)),
            (To::Flag, Value::Bool(false)) => {}
            (To::Flag, _) => {
                for it in items {
                    // `--flag=value` so a value starting with '-' is not read as a flag.
                    flags.push(format!("{}={it}", kebab(prm.name)));
                }
            }
            (To::Repeat(flag), _) => {
                for it in items {
                    flags.push(format!("--{flag}={it}"));
                }
            }
            (To::Positional, _) => {
                let at = def.params.iter().position(|p| p.name == prm.name);
                positional.push((at.unwrap_or(usize::MAX), items));
            }
            (To::Layer, _) => {}
        }
    }
    for req in def.required {
        if args.get(*req).is_none_or(|v| v.is_null()) {
            return Err(invalid(format!(
                "{}: missing required argument '{req}'",
                def.name
            )));
        }
    }
    // A command may be a subcommand path ("profile compare").
    let mut out = vec!["tracediag".to_string()];
    out.extend(command.split(' ').map(str::to_string));
    out.extend(flags);
    if !positional.is_empty() {
        // After `--` ids are never mistaken for flags.
        out.push("--".into());
        positional.sort_by_key(|(at, _)| *at);
        out.extend(positional.into_iter().flat_map(|(_, items)| items));
    }
    Ok((out, layer))
}
