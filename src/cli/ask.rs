//! `ask "<question>"`: the seed's natural-language endpoint, done without a model. A small
//! rule-based parser maps the questions people actually type to a tracediag command, prints
//! that command, then runs it. A question it does not understand gets the list of questions
//! it does, never a guess.

use std::sync::OnceLock;

use regex::Regex;

use super::GlobalArgs;
use crate::commands::{self, write_stdout};
use crate::error::{Error, Result};

/// The questions understood, one per intent, as shown when a question is not.
pub const SUPPORTED: &[&str] = &[
    "why did execution 2193 time out?  (diagnose 2193)",
    "what is the root cause of 2193?  (root-cause 2193)",
    "show the timeline | gaps | summary of 2193",
    "show failed calls in the last hour  (search --status error --since 1h --diagnose)",
    "traces slower than 2s in the last 30 minutes  (search --min-duration 2s)",
    "average duration of hybrid_router_call today  (stats --operation … --since 24h)",
    "what is similar to 2193?  (similar 2193)",
    "compare 2193 with 2190  (compare 2193 2190)",
    "list services | operations of router",
];

struct Re {
    id_word: Regex,
    id_bare: Regex,
    compare: Regex,
    window: Regex,
    duration: Regex,
    service: Regex,
    failed_x: Regex,
    operation: Regex,
    operations_of: Regex,
}

fn re() -> Option<&'static Re> {
    static R: OnceLock<Option<Re>> = OnceLock::new();
    R.get_or_init(|| {
        // Literal patterns; `None` (never expected) makes every question "not understood".
        Some(Re {
            id_word: Regex::new(r"\b(?:execution|trace|request|run|job|id)\s+#?([0-9a-f]{1,32})\b").ok()?,
            id_bare: Regex::new(r"(?:^|\s)#?([0-9]{2,32}|[0-9a-f]*[0-9][0-9a-f]*[a-f][0-9a-f]*|[0-9a-f]*[a-f][0-9a-f]*[0-9][0-9a-f]*)(?:\s|$)").ok()?,
            compare: Regex::new(r"\b(?:compare|diff)\s+(?:execution\s+|trace\s+)?#?([0-9a-f]+)\s+(?:with|to|and|vs|against)\s+(?:execution\s+|trace\s+)?#?([0-9a-f]+)\b|\bdifference between\s+(?:execution\s+|trace\s+)?#?([0-9a-f]+)\s+and\s+(?:execution\s+|trace\s+)?#?([0-9a-f]+)\b").ok()?,
            window: Regex::new(r"\b(?:last|past)\s+(?:(\d+)\s+)?(minute|minutes|min|mins|hour|hours|h|day|days|week|weeks)\b|\b(today|this hour)\b").ok()?,
            duration: Regex::new(r"\b(?:slower|longer|more)\s+than\s+(\d+(?:\.\d+)?\s*(?:ms|s|m|h|sec|secs|seconds|second|minutes?|milliseconds?))\b").ok()?,
            service: Regex::new(r"\b(?:service|in|for|from|on|to)\s+(?:service\s+)?([a-z0-9][a-z0-9_.-]*)\b").ok()?,
            failed_x: Regex::new(r"\b(?:failed|failing|erroring)\s+([a-z0-9][a-z0-9_.-]*)\s+(?:calls|requests|traces|spans|executions)\b").ok()?,
            operation: Regex::new(r"\b(?:of|for)\s+(?:operation\s+)?([a-z0-9_][a-z0-9_./:-]*)").ok()?,
            operations_of: Regex::new(r"\boperations\s+(?:of|for|in)\s+(?:service\s+)?([a-z0-9][a-z0-9_.-]*)").ok()?,
        })
    })
    .as_ref()
}

/// Words that are never a service or operation name in these phrasings.
const NOT_NAMES: &[&str] = &[
    "the",
    "a",
    "an",
    "last",
    "past",
    "today",
    "this",
    "hour",
    "all",
    "service",
    "calls",
    "traces",
    "requests",
    "errors",
    "execution",
    "trace",
    "duration",
    "latency",
    "time",
    "me",
    "my",
];

fn window(q: &str, r: &Re) -> Option<String> {
    let c = r.window.captures(q)?;
    if c.get(3).is_some() {
        return Some(if &c[3] == "today" { "24h" } else { "1h" }.into());
    }
    let n: u64 = c
        .get(1)
        .and_then(|m| m.as_str().parse().ok())
        .unwrap_or(1)
        .max(1);
    let unit = c.get(2).map_or("", |m| m.as_str());
    Some(match unit.chars().next() {
        Some('m') => format!("{n}m"),
        Some('h') => format!("{n}h"),
        Some('d') => format!("{n}d"),
        Some('w') => format!("{n}w"),
        _ => return None,
    })
}

fn norm_duration(s: &str) -> String {
    let s = s.replace(' ', "");
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (n, unit) = s.split_at(split);
    let unit = match unit {
        "ms" | "millisecond" | "milliseconds" => "ms",
        "m" | "minute" | "minutes" => "m",
        "h" => "h",
        _ => "s",
    };
    format!("{n}{unit}")
}

fn name_ok(n: &str) -> bool {
    !NOT_NAMES.contains(&n) && !n.chars().all(|c| c.is_ascii_digit())
}

/// The trace id a question is about: after "execution"/"trace"/…, else a bare number or
/// hex token.
fn trace_id(q: &str, r: &Re) -> Option<String> {
    // Numbers of a time window or threshold ("last 30 minutes", "slower than 2s") are not ids.
    let q = r.window.replace_all(q, " ");
    let q = r.duration.replace_all(&q, " ");
    if let Some(c) = r.id_word.captures(&q) {
        return Some(c[1].to_string());
    }
    r.id_bare.captures(&q).map(|c| c[1].to_string())
}

/// The command a question maps to (subcommand and arguments), or None when not understood.
pub fn interpret(question: &str) -> Option<Vec<String>> {
    let r = re()?;
    let q = normalise(question);
    let has = |w: &str| q.split(' ').any(|t| t == w) || q.contains(w) && w.contains(' ');
    let v = |xs: &[&str]| Some(xs.iter().map(|s| s.to_string()).collect::<Vec<String>>());

    if let Some(c) = r.compare.captures(&q) {
        let a = c.get(1).or(c.get(3))?.as_str();
        let b = c.get(2).or(c.get(4))?.as_str();
        return v(&["compare", a, b]);
    }
    if has("similar") || q.contains("same way as") || q.contains("look like") {
        return v(&["similar", &trace_id(&q, r)?]);
    }
    if q.contains("root cause") {
        return v(&["root-cause", &trace_id(&q, r)?]);
    }
    if [
        "average",
        "avg",
        "mean",
        "p50",
        "p95",
        "p99",
        "percentile",
        "percentiles",
        "stats",
        "statistics",
    ]
    .iter()
    .any(|w| has(w))
    {
        let op = r
            .operation
            .captures_iter(&q)
            .map(|c| c[1].trim_end_matches('.').to_string())
            .find(|n| name_ok(n) && !["the", "duration", "latency"].contains(&n.as_str()))?;
        let since = window(&q, r).unwrap_or_else(|| "24h".into());
        return v(&["stats", "--operation", &op, "--since", &since]);
    }
    if [
        "failed", "failing", "errors", "error", "erroring", "failures",
    ]
    .iter()
    .any(|w| has(w))
        && trace_id(&q, r).is_none()
    {
        return Some(failures(&q, r));
    }
    if let Some(c) = r.duration.captures(&q) {
        return Some(slower_than(&q, r, &c[1]));
    }
    if let Some(c) = r.operations_of.captures(&q) {
        return v(&["operations", &c[1]]);
    }
    if has("services") && trace_id(&q, r).is_none() {
        return v(&["services"]);
    }
    for (word, cmd) in [
        ("timeline", "timeline"),
        ("waterfall", "timeline"),
        ("gaps", "gaps"),
        ("gap", "gaps"),
        ("summary", "summary"),
        ("summarize", "summary"),
        ("summarise", "summary"),
    ] {
        if has(word) {
            return v(&[cmd, &trace_id(&q, r)?]);
        }
    }
    if [
        "why", "diagnose", "explain", "happened", "wrong", "slow", "fail", "failed", "timeout",
    ]
    .iter()
    .any(|w| has(w))
        || q.contains("time out")
        || q.contains("timed out")
    {
        return v(&["diagnose", &trace_id(&q, r)?]);
    }
    None
}

/// The question in lower case, punctuation turned to spaces, single-spaced, no final dot.
fn normalise(question: &str) -> String {
    let q: String = question
        .to_lowercase()
        .chars()
        .map(|c| {
            if matches!(c, '?' | '!' | ',' | ';' | '"' | '\'' | '`') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let q = q.split_whitespace().collect::<Vec<_>>().join(" ");
    q.trim_end_matches('.').to_string()
}

/// "Which requests failed (in checkout) in the last hour?": a search for failed traces.
fn failures(q: &str, r: &Re) -> Vec<String> {
    let since = window(q, r).unwrap_or_else(|| "1h".into());
    let mut out: Vec<String> = vec!["search".into(), "--status".into(), "error".into()];
    let svc = r
        .failed_x
        .captures(q)
        .map(|c| c[1].to_string())
        .filter(|n| name_ok(n))
        .or_else(|| {
            r.service
                .captures_iter(q)
                .map(|c| c[1].to_string())
                .find(|n| name_ok(n))
        });
    if let Some(s) = svc {
        out.push("--service".into());
        out.push(s);
    }
    out.extend(["--since".into(), since, "--diagnose".into()]);
    out
}

/// "Requests slower than 2s (in checkout)?": a search by minimum duration.
fn slower_than(q: &str, r: &Re, duration: &str) -> Vec<String> {
    let since = window(q, r).unwrap_or_else(|| "1h".into());
    let mut out: Vec<String> = vec![
        "search".into(),
        "--min-duration".into(),
        norm_duration(duration),
    ];
    if let Some(s) = r
        .service
        .captures_iter(q)
        .map(|c| c[1].to_string())
        .find(|n| name_ok(n))
    {
        out.push("--service".into());
        out.push(s);
    }
    out.extend(["--since".into(), since, "--diagnose".into()]);
    out
}

/// Quote an argument for display the way a shell would need it.
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// A question from `tracediag ask`, with the global flags it runs under.
pub struct Question {
    pub text: String,
    /// Print the command the question maps to without running it.
    pub dry_run: bool,
    pub global: GlobalArgs,
}

pub fn run(q: &Question) -> Result<i32> {
    let question = &q.text;
    let Some(words) = interpret(question) else {
        return Err(Error::Usage(format!(
            "not understood: \"{}\"; questions I answer: {}",
            crate::report::redact::redact_text(question.trim()),
            SUPPORTED.join("; ")
        )));
    };
    let shown = format!(
        "tracediag {}",
        words
            .iter()
            .map(|w| shell_word(w))
            .collect::<Vec<_>>()
            .join(" ")
    );
    if !q.global.quiet {
        eprintln!("→ {shown}");
    }
    if q.dry_run {
        if !q.global.quiet {
            write_stdout(&format!("{shown}\n"))?;
        }
        return Ok(crate::error::exit::OK);
    }
    let argv = std::iter::once("tracediag".to_string()).chain(words.iter().cloned());
    let parsed = super::parse_from(argv).map_err(|e| {
        let first = words.first().map_or("", String::as_str);
        if e.kind() == clap::error::ErrorKind::InvalidSubcommand {
            Error::Usage(format!(
                "this build of tracediag has no `{first}` command (the question maps to: {shown})"
            ))
        } else {
            Error::Usage(super::first_line(&e))
        }
    })?;
    // The question's command runs under the flags `ask` was given.
    let inner = super::Cli {
        global: q.global.clone(),
        command: parsed.command,
    };
    commands::run(&super::options::build(&inner)?)
}

#[cfg(test)]
mod tests {
    use super::interpret;

    #[test]
    fn phrasings() {
        let table: &[(&str, Option<&str>)] = &[
            ("why did execution 2193 time out?", Some("diagnose 2193")),
            ("Why did execution 2193 timeout?", Some("diagnose 2193")),
            (
                "Execution 2193 timed out, what happened?",
                Some("diagnose 2193"),
            ),
            (
                "why is trace 4bf92f3577b34da6a3ce929d0e0e4736 slow",
                Some("diagnose 4bf92f3577b34da6a3ce929d0e0e4736"),
            ),
            ("diagnose 2193", Some("diagnose 2193")),
            ("what is the root cause of 2193?", Some("root-cause 2193")),
            ("root cause of execution 2193", Some("root-cause 2193")),
            (
                "show failed calls in the last hour",
                Some("search --status error --since 1h --diagnose"),
            ),
            (
                "Show me all failed Modal calls in the last hour",
                Some("search --status error --service modal --since 1h --diagnose"),
            ),
            (
                "errors in service router in the last 30 minutes",
                Some("search --status error --service router --since 30m --diagnose"),
            ),
            (
                "failed calls in the last 2 days",
                Some("search --status error --since 2d --diagnose"),
            ),
            (
                "p99 of modal.inference in the past week",
                Some("stats --operation modal.inference --since 1w"),
            ),
            (
                "failed requests today",
                Some("search --status error --since 24h --diagnose"),
            ),
            (
                "average duration of hybrid_router_call today",
                Some("stats --operation hybrid_router_call --since 24h"),
            ),
            (
                "What's the average duration for hybrid_router_call?",
                Some("stats --operation hybrid_router_call --since 24h"),
            ),
            (
                "p95 of modal.inference in the last 2 hours",
                Some("stats --operation modal.inference --since 2h"),
            ),
            ("what is similar to 2193?", Some("similar 2193")),
            (
                "Are there other executions failing the same way as 2193?",
                Some("similar 2193"),
            ),
            ("compare 2193 with 2190", Some("compare 2193 2190")),
            (
                "difference between trace 2193 and 2190",
                Some("compare 2193 2190"),
            ),
            (
                "traces slower than 2s in the last 30 minutes",
                Some("search --min-duration 2s --since 30m --diagnose"),
            ),
            ("show the timeline of 2193", Some("timeline 2193")),
            ("gaps in execution 2193", Some("gaps 2193")),
            ("summary of 2193", Some("summary 2193")),
            ("list services", Some("services")),
            ("operations of router", Some("operations router")),
            // Not understood: never a guess.
            ("why did it time out?", None),
            ("what is the weather?", None),
            ("average duration", None),
            ("", None),
            ("compare 2193", None),
            ("similar", None),
        ];
        for (q, want) in table {
            let got = interpret(q).map(|w| w.join(" "));
            assert_eq!(got.as_deref(), *want, "{q}");
        }
    }
}
