//! The config file's `[defaults]`, merged under the command line: a flag the user gave (or
//! its environment variable) wins; otherwise the config's value replaces the built-in default.

use clap::parser::ValueSource;
use clap::{ArgMatches, ValueEnum};

use super::args::{AnalysisArgs, Cli, ColorChoice, Command, FormatArg, OutputArgs, RootCauseArgs};
use crate::error::{Error, Result};
use crate::source::config::Config;
use crate::units::{parse_count, parse_duration_ns, parse_size, parse_size_usize};

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
        g.format = FormatArg::from_str(v, true)
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
        g.max_response_size = Some(parse_size(v).map_err(|e| bad("max_response_size", e))?);
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
            | Command::RootCause(RootCauseArgs { trace: a, .. })
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
    use clap::FromArgMatches;

    use super::*;

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
            assert_eq!(cli.global.format, FormatArg::Json);
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
            assert_eq!(cli.global.format, FormatArg::Table);
        }
    }
}
