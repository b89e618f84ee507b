//! The parsed flags turned into [`Options`], once: durations into nanoseconds and
//! `Duration`s, thresholds into `Thresholds`, the search window resolved against the clock,
//! colour decided from the terminal and NO_COLOR, `--format llm` settled per command.

use std::io::IsTerminal;
use std::time::Duration;

use super::args::{
    AnalysisArgs, BaselineArgs, Cli, ColorChoice, Command, FormatArg, GlobalArgs, SearchFilters,
    SimilarBy, StatusArg, TraceArgs,
};
use super::profile::{MetricArg, ProfileCommand};
use crate::analysis::compare::CompareOptions;
use crate::analysis::hotspots::Metric;
use crate::analysis::similarity::Measure;
use crate::analysis::Thresholds;
use crate::commands::options::*;
use crate::error::{Error, Result};
use crate::report::{Format, RenderOptions};
use crate::source::http::HttpOptions;
use crate::source::limits::{Limits, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_RESPONSE_BYTES};
use crate::source::search::{now_ns, parse_time, rfc3339, SearchQuery, StatusFilter};

/// Default search window when neither --since nor --start is given.
const DEFAULT_WINDOW_NS: i64 = 3_600_000_000_000;

/// The options of a run of `cli.command`.
pub fn build(cli: &Cli) -> Result<Options> {
    let g = &cli.global;
    let mut render = RenderOptions {
        color: use_color(g.color),
        max_tokens: g.llm.max_tokens,
        ..RenderOptions::default()
    };
    let action = action(&cli.command, &mut render)?;
    Ok(Options {
        source: g.source.clone(),
        format: format(g.format),
        quiet: g.quiet,
        verbose: g.verbose,
        http: http(g),
        redaction: Redaction {
            enabled: !g.llm.no_redact,
            extra_keys: g.llm.redact_keys.clone(),
        },
        render,
        action,
    })
}

/// The output format. Every document renders `llm`; those without a compact LLM layout of
/// their own give their Markdown (see `report::Document::render`).
fn format(arg: FormatArg) -> Format {
    match arg {
        FormatArg::Table => Format::Table,
        FormatArg::Json => Format::Json,
        FormatArg::Markdown => Format::Markdown,
        FormatArg::Llm => Format::Llm,
    }
}

/// Colour only a terminal, and never when NO_COLOR is set (https://no-color.org), unless forced.
fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// How remote sources are reached, from the flags and TRACEDIAG_TOKEN; a named source's
/// config (headers, tenant, columns) is merged in when it is opened.
fn http(g: &GlobalArgs) -> HttpOptions {
    let duration = |ns: i64| Duration::from_nanos(u64::try_from(ns).unwrap_or(0).max(1_000_000));
    HttpOptions {
        headers: g.headers.clone(),
        token: std::env::var("TRACEDIAG_TOKEN")
            .ok()
            .filter(|t| !t.trim().is_empty()),
        tenant: g.tenant.clone(),
        connect_timeout: duration(g.connect_timeout),
        timeout: duration(g.timeout),
        limits: Limits {
            max_response_bytes: g.max_response_size.unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
            max_file_bytes: g.max_response_size.unwrap_or(DEFAULT_MAX_FILE_BYTES),
            max_trace_spans: g.max_trace_spans,
            max_depth: g.max_depth,
            max_attr_bytes: g.max_attr_size,
            quiet: g.quiet,
        },
        concurrency: g.concurrency.max(1),
        verbose: g.verbose,
        quiet: g.quiet,
        columns: g.columns.clone(),
        statement_timeout: duration(g.statement_timeout),
        ..HttpOptions::default()
    }
}

fn analysis(a: &AnalysisArgs) -> AnalysisOptions {
    AnalysisOptions {
        thresholds: Thresholds {
            slow_factor: a.slow_factor,
            gap_ns: a.gap_threshold,
            network_gap_ns: a.network_gap,
            network_share: a.network_share,
            slow_span_ns: a.slow_span,
            repeat_min: a.repeat_min,
        },
        max_skew: (!a.no_skew_adjust).then_some(a.max_skew),
    }
}

fn trace(kind: TraceKind, a: &TraceArgs, render: &mut RenderOptions) -> Result<Action> {
    render.wide = a.output.wide;
    render.max_spans = a.output.max_spans;
    render.span_attributes = a.output.attributes;
    render.span_events = a.output.events;
    if (a.output.attributes || a.output.events)
        && !matches!(kind, TraceKind::Diagnose | TraceKind::Timeline)
    {
        let flag = if a.output.attributes {
            "--attributes"
        } else {
            "--events"
        };
        return Err(Error::Usage(format!(
            "{flag} goes with diagnose or timeline, whose output lists spans (for one span in full: tracediag span <trace-id> <span-id>)"
        )));
    }
    Ok(Action::Trace(TraceRequest {
        kind,
        trace_id: a.trace_id.clone(),
        analysis: analysis(&a.analysis),
        baseline: baseline(&a.baseline),
    }))
}

fn baseline(a: &BaselineArgs) -> BaselineRequest {
    BaselineRequest {
        choice: match (&a.baseline_from, a.no_baseline) {
            (_, true) => BaselineChoice::Off,
            (Some(src), false) => BaselineChoice::From(src.clone()),
            (None, false) => BaselineChoice::Auto,
        },
        window_ns: a.baseline_window,
        max_traces: a.baseline_traces,
    }
}

fn action(command: &Command, render: &mut RenderOptions) -> Result<Action> {
    Ok(match command {
        Command::Diagnose(a) => trace(TraceKind::Diagnose, a, render)?,
        Command::Gaps(a) => trace(TraceKind::Gaps, a, render)?,
        Command::Timeline(a) => trace(TraceKind::Timeline, a, render)?,
        Command::Summary(a) => trace(TraceKind::Summary, a, render)?,
        Command::Span(a) => Action::Span(SpanRequest {
            trace_id: a.trace_id.clone(),
            span_id: a.span_id.clone(),
        }),
        Command::RootCause(rc) => match &rc.incident.window {
            Some(window) => {
                render.wide = rc.trace.output.wide;
                Action::Window(WindowRequest {
                    window: window.clone(),
                    baseline: rc.incident.baseline.clone(),
                    baseline_sources: rc.incident.baseline_source.clone(),
                    max_traces: rc.incident.max_traces,
                    pushdown: rc.incident.pushdown,
                    pushdown_traces: rc.incident.pushdown_traces,
                    analysis: analysis(&rc.trace.analysis),
                })
            }
            None => trace(TraceKind::RootCause, &rc.trace, render)?,
        },
        Command::Search(a) => {
            render.wide = a.wide;
            Action::Search(SearchRequest {
                query: query(&a.filters, a.limit)?,
                diagnose: a.diagnose,
                analysis: analysis(&a.analysis),
                baseline: baseline(&a.baseline),
            })
        }
        Command::Cohorts(a) => {
            render.wide = a.wide;
            Action::Cohorts(CohortRequest {
                a: a.a.clone(),
                b: a.b.clone(),
                window: a.window.clone(),
                max_traces: a.max_traces,
                svg: a.svg.clone(),
                folded: a.folded.clone(),
                by_attributes: a.by == crate::cli::window::CohortBy::Attributes,
            })
        }
        Command::Services(a) => {
            render.wide = a.wide;
            Action::Services
        }
        Command::Operations(a) => {
            render.wide = a.wide;
            Action::Operations {
                service: a.service.clone(),
            }
        }
        Command::Similar(a) => {
            render.wide = a.wide;
            Action::Similar(SimilarRequest {
                trace_id: a.trace_id.clone(),
                measure: match a.by {
                    SimilarBy::Sequence => Measure::Sequence,
                    SimilarBy::Structure => Measure::Structure,
                },
                match_attrs: a.match_attrs.clone(),
                any_root: a.any_root,
                limit: a.limit,
                min_score: a.min_score,
                candidates: a.candidates,
                query: query(&a.filters, a.candidates.saturating_add(1))?,
                analysis: analysis(&a.analysis),
            })
        }
        Command::Compare(a) => {
            render.wide = a.wide;
            Action::Compare(CompareRequest {
                trace_a: a.trace_a.clone(),
                trace_b: a.trace_b.clone(),
                source_b: a.source_b.clone(),
                compare: CompareOptions {
                    factor: a.factor,
                    min_delta_ns: a.min_delta,
                },
                max_rows: a.max_rows,
                analysis: analysis(&a.analysis),
            })
        }
        Command::Stats(a) => {
            render.wide = a.wide;
            Action::Stats(StatsRequest {
                query: query(&a.filters, a.limit)?,
                group_by: a.group_by.clone(),
                outlier_factor: a.outliers.then_some(a.outlier_factor),
                max_skew: (!a.no_skew_adjust).then_some(a.max_skew),
                stream: a.stream,
            })
        }
        Command::Check(a) => check(a)?,
        Command::Schema(a) => Action::Schema(SchemaRequest {
            command: a.command.clone(),
            table: a.table.clone(),
        }),
        Command::Profile(p) => profile(&p.command, render),
        Command::Mcp(_) | Command::Ask(_) => {
            return Err(Error::Usage(
                "internal: mcp and ask are front ends, not commands".into(),
            ))
        }
    })
}

/// `check`: the traces or search to check, the rules, and with `--run` the command to trigger.
fn check(a: &super::llm::CheckArgs) -> Result<Action> {
    Ok(Action::Check(CheckRequest {
        trace_ids: a.trace_ids.clone(),
        rules: a.rules.clone(),
        rules_file: a.rules_file.clone(),
        junit: a.junit.clone(),
        search: if a.search {
            Some(query(&a.filters, a.limit)?)
        } else {
            None
        },
        cohort: a.cohort.clone(),
        limit: a.limit,
        analysis: analysis(&a.analysis),
        run: a.run.run.as_ref().map(|command| RunRequest {
            command: command.clone(),
            settle_ns: a.run.settle,
            max_wait_ns: a.run.max_wait,
            poll_interval_ns: a.run.poll_interval,
            repeat: a.run.repeat,
            baseline_report: a.run.baseline_report.clone(),
            max_regression: a.run.max_regression,
        }),
    }))
}

fn profile(command: &ProfileCommand, render: &mut RenderOptions) -> Action {
    match command {
        ProfileCommand::Trigger(a) => Action::ProfileTrigger(TriggerRequest {
            service: a.service.clone(),
            min_duration: a.min_duration,
            max_duration: a.max_duration,
            status_code: a.status_code.clone(),
            url_pattern: a.url_pattern.clone(),
            count: a.count,
            max_wait: a.max_wait,
            frequency: a.frequency,
            window: a.window,
            out: a.out.clone(),
            baseline: a.baseline.clone(),
            command: a.command.clone(),
            pprof_url: a.pprof_url.clone(),
            pyroscope_url: a.pyroscope_url.clone(),
            pyroscope_query: a.pyroscope_query.clone(),
            id_labels: a.id_labels.clone(),
            poll: a.poll,
        }),
        ProfileCommand::Compare(a) => {
            render.wide = a.wide;
            Action::ProfileCompare(ProfileCompareRequest {
                a: a.a.clone(),
                b: a.b.clone(),
                profiles: a.profiles.clone(),
                cohort_a: a.cohort_a.clone(),
                cohort_b: a.cohort_b.clone(),
                service: a.service.clone(),
                since: a.since,
                max_traces: a.max_traces,
                metric: match a.metric {
                    MetricArg::SelfTime => Metric::SelfTime,
                    MetricArg::Total => Metric::Total,
                },
                top: a.top,
                permutations: a.permutations,
                seed: a.seed,
                alpha: a.alpha,
                min_samples: a.min_samples,
                min_units: a.min_units,
                frequency: a.frequency,
                id_labels: a.id_labels.clone(),
                svg: a.svg.clone(),
                folded: a.folded.clone(),
            })
        }
    }
}

/// The backend-neutral query for `filters`, returning at most `limit` traces; the window is
/// resolved against the clock now.
pub fn query(filters: &SearchFilters, limit: usize) -> Result<SearchQuery> {
    let now = now_ns();
    let at = |t: &Option<String>| {
        t.as_deref()
            .map(|t| parse_time(t, now))
            .transpose()
            .map_err(Error::Usage)
    };
    let (start_ns, end_ns) = match filters.since {
        Some(since) => (now.saturating_sub(since), now),
        None => {
            let end = at(&filters.end)?.unwrap_or(now);
            let start = at(&filters.start)?.unwrap_or(end.saturating_sub(DEFAULT_WINDOW_NS));
            (start, end)
        }
    };
    if start_ns >= end_ns {
        return Err(Error::Usage(format!(
            "the search window is empty: --start {} is not before --end {}",
            rfc3339(start_ns),
            rfc3339(end_ns)
        )));
    }
    if let (Some(min), Some(max)) = (filters.min_duration, filters.max_duration) {
        if max < min {
            return Err(Error::Usage(
                "--max-duration is shorter than --min-duration".into(),
            ));
        }
    }
    Ok(SearchQuery {
        service: filters.service.clone(),
        operation: filters.operation.clone(),
        min_duration_ns: filters.min_duration,
        max_duration_ns: filters.max_duration,
        status: filters.status.map(|s| match s {
            StatusArg::Error => StatusFilter::Error,
            StatusArg::Ok => StatusFilter::Ok,
        }),
        tags: filters.tags.clone(),
        start_ns,
        end_ns,
        explicit_window: filters.since.is_some()
            || filters.start.is_some()
            || filters.end.is_some(),
        root_only: false,
        near_ns: None,
        limit: limit.max(1),
        traceql: filters.traceql.clone(),
    })
}
