//! `profile compare`: load two cohorts (cohort directories or profile files), run the
//! differential hotspot statistics, render, and optionally write the differential flame
//! graph and its three-column stacks.

use std::collections::HashMap;
use std::path::Path;

use crate::analysis::filter::{self, Filter};
use crate::analysis::hotspots::{self, Cohort, Options};
use crate::error::{Error, Result};
use crate::model::Trace;
use crate::report::document::HotspotsReport;
use crate::report::hotspots::{self as render, Side};
use crate::report::Document;
use crate::source::profile::cohort::Attribution;
use crate::source::profile::{self as profiles, sample_ids};

use super::cohorts::{load_side, unit_of, Loaded, Names};
use super::compare_notes::notes;

use super::super::options::ProfileCompareRequest;
use super::super::{Options as RunOptions, Outcome};

/// Which cohort a request belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pick {
    A,
    B,
}

/// RFD 080's form: one set of trace-labelled profiles, split into cohorts by filters over
/// the traces of the requests they sampled. Samples of requests whose trace matches neither
/// filter, or that are not in the source, are left out (and counted in the report's notes
/// via the unit counts); a trace matching both filters goes to A.
fn load_by_filters(
    opts: &RunOptions,
    args: &ProfileCompareRequest,
    keys: &[String],
    names: &mut Names,
) -> Result<(Loaded, Loaded)> {
    let now = crate::time::now_ns();
    let (fa, fb) = cohort_filters(args, now)?;
    let traces = traces_for_filters(opts, args, now)?;
    let pick = pick_by_id(&traces, args.service.as_deref(), &fa, &fb);
    let fallback = 1e9 / f64::from(args.frequency.max(1));
    let (mut a, mut b) = (Cohort::default(), Cohort::default());
    let mut labelled = false;
    for path in &args.profiles {
        split_profile(path, keys, &pick, fallback, names, &mut a, &mut b)?;
        labelled = true;
    }
    let inputs: Vec<String> = args
        .profiles
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let side = |filter: &Option<String>| Side {
        inputs: inputs
            .iter()
            .map(|i| format!("{i} where {}", filter.as_deref().unwrap_or_default()))
            .collect(),
        attribution: "request".into(),
    };
    let attribution = if labelled {
        Attribution::Label
    } else {
        Attribution::File
    };
    Ok((
        Loaded {
            cohort: a,
            side: side(&args.cohort_a),
            attribution,
        },
        Loaded {
            cohort: b,
            side: side(&args.cohort_b),
            attribution,
        },
    ))
}

/// The --cohort-a and --cohort-b filters, parsed.
fn cohort_filters(args: &ProfileCompareRequest, now: i64) -> Result<(Filter, Filter)> {
    let parse = |flag: &str, text: &str| {
        filter::parse(text, now).map_err(|e| {
            Error::Usage(format!(
                "{flag} '{text}': {e}; see `tracediag cohorts --help` for the filter language"
            ))
        })
    };
    Ok((
        parse("--cohort-a", args.cohort_a.as_deref().unwrap_or_default())?,
        parse("--cohort-b", args.cohort_b.as_deref().unwrap_or_default())?,
    ))
}

/// The traces the filters are applied to: those of --since, or of the last hour when the
/// source is a service that cannot list everything at once.
fn traces_for_filters(
    g: &RunOptions,
    args: &ProfileCompareRequest,
    now: i64,
) -> Result<Vec<Trace>> {
    let source = crate::commands::select::open_source(g)?;
    let range = match (args.since, source.loaded()) {
        (Some(since), _) => Some(crate::commands::window::Range {
            start_ns: now.saturating_sub(since),
            end_ns: now,
        }),
        (None, Some(_)) => None,
        (None, None) => Some(crate::commands::window::parse_range(
            "1h..now", "--since", now,
        )?),
    };
    crate::commands::window::traces_in(source.as_ref(), range, args.max_traces, g.quiet, g.verbose)
}

/// Every id a sample may carry (trace id, or any span id of the trace) → its cohort.
fn pick_by_id(
    traces: &[Trace],
    service: Option<&str>,
    fa: &Filter,
    fb: &Filter,
) -> HashMap<String, Pick> {
    let mut pick: HashMap<String, Pick> = HashMap::new();
    for t in traces {
        if service.is_some_and(|svc| !t.spans.iter().any(|s| s.service == svc)) {
            continue;
        }
        let side = if fa.matches(t) {
            Pick::A
        } else if fb.matches(t) {
            Pick::B
        } else {
            continue;
        };
        pick.insert(t.id.clone(), side);
        pick.insert(t.id.trim_start_matches('0').to_string(), side);
        for s in t.spans.iter() {
            pick.insert(s.span_id.to_string(), side);
        }
    }
    pick
}

/// Split one trace-labelled profile into per-request units of cohort A or B.
fn split_profile(
    path: &Path,
    keys: &[String],
    pick: &HashMap<String, Pick>,
    fallback: f64,
    names: &mut Names,
    a: &mut Cohort,
    b: &mut Cohort,
) -> Result<()> {
    let what = path.display().to_string();
    let p = profiles::load(&what)?;
    if !profiles::has_id_labels(&p, keys) {
        return Err(Error::input(
            &what,
            "its samples carry no span or trace id label, so they cannot be split by trace; \
             name the label with --id-label or compare cohorts with --a/--b",
        ));
    }
    let mut by_id: HashMap<(String, u8), Vec<usize>> = HashMap::new();
    for (i, s) in p.samples.iter().enumerate() {
        let ids = sample_ids(s, keys);
        let side = ids.iter().find_map(|id| {
            pick.get(id)
                .or_else(|| pick.get(id.trim_start_matches('0')))
                .map(|side| (id.clone(), *side))
        });
        if let Some((id, side)) = side {
            by_id.entry((id, side as u8)).or_default().push(i);
        }
    }
    let mut units: Vec<((String, u8), Vec<usize>)> = by_id.into_iter().collect();
    units.sort();
    for ((_, side), idx) in units {
        let mut it = idx.iter().filter_map(|&i| p.samples.get(i));
        let unit = unit_of(&p, &mut it, fallback, names, &what)?;
        if side == Pick::A as u8 {
            a.units.push(unit);
        } else {
            b.units.push(unit);
        }
    }
    Ok(())
}

/// Three-column differential lines, `stack B A`, B scaled to A's total sample count
/// (integer, as inferno-diff-folded's normalisation does), frames sanitised, sorted.
pub fn differential_lines(names: &[String], a: &Cohort, b: &Cohort) -> Vec<String> {
    let mut agg: HashMap<Vec<u32>, (u64, u64)> = HashMap::new();
    let (mut total_a, mut total_b) = (0u64, 0u64);
    for (c, is_a) in [(a, true), (b, false)] {
        for u in &c.units {
            for s in &u.stacks {
                let e = agg.entry(s.frames.clone()).or_insert((0, 0));
                if is_a {
                    e.0 += s.samples;
                    total_a += s.samples;
                } else {
                    e.1 += s.samples;
                    total_b += s.samples;
                }
            }
        }
    }
    let scale = if total_b > 0 && total_a > 0 {
        total_a as f64 / total_b as f64
    } else {
        1.0
    };
    // Sanitising may merge frames that differed only in control characters: merge lines.
    let mut lines: HashMap<String, (u64, u64)> = HashMap::new();
    for (frames, (ca, cb)) in agg {
        let stack: Vec<String> = frames
            .iter()
            .map(|&f| render::sanitize_frame(names.get(f as usize).map_or("?", String::as_str)))
            .collect();
        let e = lines.entry(stack.join(";")).or_insert((0, 0));
        e.0 += ca;
        e.1 += cb;
    }
    let mut out: Vec<String> = lines
        .into_iter()
        .map(|(stack, (ca, cb))| format!("{stack} {} {ca}", (cb as f64 * scale) as u64))
        .collect();
    out.sort();
    out
}

pub fn run(opts: &RunOptions, args: &ProfileCompareRequest) -> Result<Outcome> {
    if !(args.alpha > 0.0 && args.alpha < 1.0) {
        return Err(Error::Usage("--alpha must be between 0 and 1".into()));
    }
    let keys = super::id_labels(&args.id_labels);
    let mut names = Names::default();
    let (a, b) = if args.profiles.is_empty() {
        (
            load_side(&args.a, args.frequency, &keys, &mut names)?,
            load_side(&args.b, args.frequency, &keys, &mut names)?,
        )
    } else {
        load_by_filters(opts, args, &keys, &mut names)?
    };
    let o = Options {
        permutations: args.permutations,
        seed: args.seed,
        alpha: args.alpha,
        min_samples: args.min_samples,
        min_units: args.min_units,
    };
    let mut c = hotspots::compare(&names.names, &a.cohort, &b.cohort, &o);
    c.rank(args.metric);

    let notes = notes(&c, [&a, &b], args.metric, &o);

    if args.svg.is_some() || args.folded.is_some() {
        let lines = differential_lines(&names.names, &a.cohort, &b.cohort);
        if let Some(path) = &args.folded {
            let mut text = lines.join("\n");
            text.push('\n');
            crate::commands::interrupt::write_atomic(path, text.as_bytes())?;
        }
        if let Some(path) = &args.svg {
            let svg = render::flamegraph_svg(&lines)
                .map_err(|e| Error::input(path.display().to_string(), e))?;
            crate::commands::interrupt::write_atomic(path, &svg)?;
        }
    }

    Ok(Outcome::ok(Document::Hotspots(Box::new(HotspotsReport {
        comparison: c,
        a: a.side,
        b: b.side,
        metric: args.metric,
        top: args.top.max(1),
        notes,
    }))))
}
