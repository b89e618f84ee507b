//! The config file: named sources and defaults for flags.
//!
//! `$XDG_CONFIG_HOME/tracediag/config.toml`, else `~/.config/tracediag/config.toml`:
//!
//! ```toml
//! [sources.prod]
//! url = "jaeger+https://jaeger.example.com"
//! headers = { Authorization = "Bearer …" }
//! tenant = "team-a"            # Tempo X-Scope-OrgID
//!
//! [defaults]
//! format = "json"
//! slow_factor = 4.0
//! gap_threshold = "2s"
//! timeout = "60s"
//! max_response_size = "1GiB"
//! max_attr_size = "1MiB"
//! concurrency = 4
//! ```
//!
//! A flag given on the command line (or through its environment variable) always wins.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub sources: BTreeMap<String, NamedSource>,
    #[serde(default)]
    pub defaults: Defaults,
    /// Where it was read from, for messages.
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedSource {
    pub url: String,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    pub tenant: Option<String>,
    /// Column mapping of a table source: role = column (see `--column`).
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
}

/// Defaults for flags; names are the long flags with `_` for `-`. Durations and sizes are
/// strings as on the command line (`"5s"`, `"256MiB"`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    pub format: Option<String>,
    pub color: Option<String>,
    pub slow_factor: Option<f64>,
    pub gap_threshold: Option<String>,
    pub network_gap: Option<String>,
    pub network_share: Option<f64>,
    pub slow_span: Option<String>,
    pub repeat_min: Option<usize>,
    pub max_skew: Option<String>,
    pub max_spans: Option<usize>,
    pub timeout: Option<String>,
    pub connect_timeout: Option<String>,
    pub max_response_size: Option<String>,
    pub max_trace_spans: Option<usize>,
    pub max_depth: Option<usize>,
    pub max_attr_size: Option<String>,
    pub concurrency: Option<usize>,
}

impl Config {
    /// The config file's path: `$XDG_CONFIG_HOME/tracediag/config.toml`, else
    /// `$HOME/.config/tracediag/config.toml`.
    pub fn default_path() -> Option<PathBuf> {
        let xdg = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
        let base = xdg.filter(|p| p.is_absolute()).or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".config"))
        })?;
        Some(base.join("tracediag").join("config.toml"))
    }

    /// Read the config file; a missing file is an empty config.
    pub fn load() -> Result<Config> {
        let Some(path) = Config::default_path() else {
            return Ok(Config::default());
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let mut cfg = Config::from_toml(&text, &path.display().to_string())?;
                cfg.path = Some(path);
                Ok(cfg)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(Error::Io {
                what: path.display().to_string(),
                source: e,
            }),
        }
    }

    pub fn from_toml(text: &str, what: &str) -> Result<Config> {
        toml::from_str(text).map_err(|e| {
            // toml's message spans several lines with a source excerpt; keep the first.
            let msg = e
                .message()
                .lines()
                .next()
                .unwrap_or("invalid TOML")
                .to_string();
            let at = e
                .span()
                .map(|s| format!(" at line {}", line_of(text, s.start)))
                .unwrap_or_default();
            Error::input(what, format!("config file{at}: {msg}"))
        })
    }

    pub fn path_display(&self) -> String {
        self.path
            .as_ref()
            .map_or_else(|| "the config file".into(), |p| p.display().to_string())
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sources_and_defaults() {
        let cfg = Config::from_toml(
            "[sources.prod]\nurl = \"jaeger+http://j:16686\"\n[defaults]\nformat = \"json\"\nslow_factor = 4.0\n",
            "c.toml",
        );
        let cfg = cfg.ok().unwrap_or_default();
        assert_eq!(
            cfg.sources.get("prod").map(|s| s.url.as_str()),
            Some("jaeger+http://j:16686")
        );
        assert_eq!(cfg.defaults.slow_factor, Some(4.0));
    }

    #[test]
    fn reports_the_line_of_a_mistake() {
        let err = Config::from_toml("[defaults]\nformat = \"json\"\nbogus = 1\n", "c.toml").err();
        let msg = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.starts_with("c.toml: config file at line 3"), "{msg}");
    }
}
