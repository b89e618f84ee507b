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

use clap::parser::ValueSource;
use clap::{ArgMatches, FromArgMatches, ValueEnum};
use serde::Deserialize;

use crate::cli::{AnalysisArgs, Cli, ColorChoice, Command, OutputArgs};
use crate::error::{Error, Result};
use crate::report::Format;
use crate::units::parse_duration_ns;

use crate::units::{parse_count, parse_size, parse_size_usize};

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

/// Parse the command line, then fill every flag the user did not give from the config's
/// `[defaults]`.
pub fn parse_cli() -> Result<Cli> {
    let matches = Cli::command().get_matches();
    let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let cfg = Config::load()?;
    apply_defaults(&mut cli, &matches, &cfg)?;
    Ok(cli)
}

/// Whether the user left `id` at its built-in default, in the command or its subcommand
/// (clap reports global flags given after the subcommand on the subcommand's matches).
fn unset(top: &ArgMatches, sub: Option<&ArgMatches>, id: &str) -> bool {
    let explicit = |m: &ArgMatches| {
        m.try_contains_id(id).unwrap_or(false)
            && matches!(
                m.value_source(id),
                Some(ValueSource::CommandLine | ValueSource::EnvVariable)
            )
    };
    !explicit(top) && !sub.is_some_and(explicit)
}

pub fn apply_defaults(cli: &mut Cli, top: &ArgMatches, cfg: &Config) -> Result<()> {
    let d = &cfg.defaults;
    let sub = top.subcommand().map(|(_, m)| m);
    let bad = |key: &str, msg: String| {
        Error::input(cfg.path_display(), format!("[defaults] {key}: {msg}"))
    };
    let g = &mut cli.global;
    if let (Some(v), true) = (&d.format, unset(top, sub, "format")) {
        g.format = Format::from_str(v, true)
            .map_err(|_| bad("format", format!("unknown format '{v}'")))?;
    }
    if let (Some(v), true) = (&d.color, unset(top, sub, "color")) {
        g.color = ColorChoice::from_str(v, true)
            .map_err(|_| bad("color", format!("unknown value '{v}'")))?;
    }
    if let (Some(v), true) = (&d.timeout, unset(top, sub, "timeout")) {
        g.timeout = parse_duration_ns(v).map_err(|e| bad("timeout", e))?;
    }
    if let (Some(v), true) = (&d.connect_timeout, unset(top, sub, "connect_timeout")) {
        g.connect_timeout = parse_duration_ns(v).map_err(|e| bad("connect_timeout", e))?;
    }
    if let (Some(v), true) = (&d.max_response_size, unset(top, sub, "max_response_size")) {
        g.max_response_size = parse_size(v).map_err(|e| bad("max_response_size", e))?;
    }
    if let (Some(v), true) = (d.max_trace_spans, unset(top, sub, "max_trace_spans")) {
        g.max_trace_spans = parse_count(&v.to_string()).map_err(|e| bad("max_trace_spans", e))?;
    }
    if let (Some(v), true) = (d.max_depth, unset(top, sub, "max_depth")) {
        g.max_depth = parse_count(&v.to_string()).map_err(|e| bad("max_depth", e))?;
    }
    if let (Some(v), true) = (&d.max_attr_size, unset(top, sub, "max_attr_size")) {
        g.max_attr_size = parse_size_usize(v).map_err(|e| bad("max_attr_size", e))?;
    }
    if let (Some(v), true) = (d.concurrency, unset(top, sub, "concurrency")) {
        g.concurrency = v.max(1);
    }
    let (analysis, output): (Option<&mut AnalysisArgs>, Option<&mut OutputArgs>) =
        match &mut cli.command {
            Command::Diagnose(a)
            | Command::Gaps(a)
            | Command::RootCause(crate::cli::RootCauseArgs { trace: a, .. })
            | Command::Timeline(a)
            | Command::Summary(a) => (Some(&mut a.analysis), Some(&mut a.output)),
            Command::Search(s) => (Some(&mut s.analysis), None),
            _ => (None, None),
        };
    if let Some(a) = analysis {
        if let (Some(v), true) = (d.slow_factor, unset(top, sub, "slow_factor")) {
            a.slow_factor = v;
        }
        if let (Some(v), true) = (&d.gap_threshold, unset(top, sub, "gap_threshold")) {
            a.gap_threshold = parse_duration_ns(v).map_err(|e| bad("gap_threshold", e))?;
        }
        if let (Some(v), true) = (&d.network_gap, unset(top, sub, "network_gap")) {
            a.network_gap = parse_duration_ns(v).map_err(|e| bad("network_gap", e))?;
        }
        if let (Some(v), true) = (d.network_share, unset(top, sub, "network_share")) {
            a.network_share = v;
        }
        if let (Some(v), true) = (&d.slow_span, unset(top, sub, "slow_span")) {
            a.slow_span = parse_duration_ns(v).map_err(|e| bad("slow_span", e))?;
        }
        if let (Some(v), true) = (d.repeat_min, unset(top, sub, "repeat_min")) {
            a.repeat_min = v;
        }
        if let (Some(v), true) = (&d.max_skew, unset(top, sub, "max_skew")) {
            a.max_skew = parse_duration_ns(v).map_err(|e| bad("max_skew", e))?;
        }
    }
    if let Some(o) = output {
        if let (Some(v), true) = (d.max_spans, unset(top, sub, "max_spans")) {
            o.max_spans = v;
        }
    }
    Ok(())
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

    #[test]
    fn flags_win_over_defaults() {
        let cfg = Config::from_toml(
            "[defaults]\nformat = \"json\"\nslow_factor = 4.0\n",
            "c.toml",
        )
        .ok()
        .unwrap_or_default();
        let m = Cli::command().get_matches_from(["tracediag", "diagnose", "--slow-factor", "2"]);
        let mut cli = Cli::from_arg_matches(&m).ok();
        if let Some(cli) = cli.as_mut() {
            assert!(apply_defaults(cli, &m, &cfg).is_ok());
            assert_eq!(cli.global.format, Format::Json);
            match &cli.command {
                Command::Diagnose(a) => assert_eq!(a.analysis.slow_factor, 2.0),
                other => panic!("parsed as {other:?}"),
            }
        } else {
            panic!("did not parse");
        }
        let m = Cli::command().get_matches_from(["tracediag", "diagnose", "--format", "table"]);
        if let Ok(mut cli) = Cli::from_arg_matches(&m) {
            assert!(apply_defaults(&mut cli, &m, &cfg).is_ok());
            assert_eq!(cli.global.format, Format::Table);
        }
    }
}
