//! What `profile compare` says beside the table: why nothing could be compared (an empty
//! cohort, what to change), samples without a stack, too few units, how units were
//! attributed, and why functions were not tested.

use crate::analysis::hotspots::{CohortStats, Comparison, Metric, Options, Significance};
use crate::source::profile::cohort::Attribution;

use super::cohorts::Loaded;

/// The notes of a comparison of `sides` (A, B), in the order a reader needs them.
pub(super) fn notes(
    c: &Comparison,
    sides: [&Loaded; 2],
    metric: Metric,
    o: &Options,
) -> Vec<String> {
    let mut notes = Vec::new();
    let stats = [&c.a, &c.b];
    for ((name, s), l) in ["A", "B"].into_iter().zip(stats).zip(sides) {
        if let Some(n) = empty_cohort(name, s, l) {
            notes.push(n);
        }
    }
    let empty = stats.iter().any(|s| s.samples == 0);
    if c.underpowered() && !empty {
        notes.push(format!(
            "with {} and {} unit(s) no difference can reach significance at α = {} (the smallest \
             attainable p is {:.3}): every function reads \"too few units\"; collect more \
             requests",
            c.a.units, c.b.units, c.alpha, c.min_attainable_p
        ));
    }
    for (name, s) in ["A", "B"].into_iter().zip(stats) {
        if s.no_stack_samples > 0 {
            let all = s.samples + s.no_stack_samples;
            notes.push(format!(
                "cohort {name}: {} of {all} sample(s) ({:.1} %) had no stack (the profiler read \
                 none, as py-spy --nonblocking does when it catches a thread between frames); \
                 they are left out of the shares",
                s.no_stack_samples,
                s.no_stack_samples as f64 * 100.0 / all as f64
            ));
        }
    }
    // An empty cohort has no units to describe.
    for ((name, s), l) in ["A", "B"].into_iter().zip(stats).zip(sides) {
        if s.units == 0 {
            continue;
        }
        match l.attribution {
            Attribution::Window => notes.push(format!(
                "cohort {name}: samples are not tied to requests; attribution is by time window \
                 (each window's profile counts for the requests that ran in it, and the test's \
                 unit is the window)"
            )),
            Attribution::File => notes.push(format!(
                "cohort {name}: profiles carry no span or trace ids; each file is one unit"
            )),
            Attribution::Label => {}
        }
    }
    let count = |sig: Significance| {
        c.hotspots
            .iter()
            .filter(|h| {
                let m = h.measure(metric);
                m.significance == sig && m.p_value.is_none() && m.samples_a + m.samples_b > 0
            })
            .count()
    };
    let few_samples = count(Significance::TooFewSamples);
    if few_samples > 0 {
        notes.push(format!(
            "{few_samples} function(s) with fewer than {} samples were not tested",
            o.min_samples
        ));
    }
    let few_units = count(Significance::TooFewUnits);
    if few_units > 0 {
        notes.push(format!(
            "{few_units} function(s) seen in fewer than {} units were not tested",
            o.min_units
        ));
    }
    notes
}

/// Why cohort `name` has nothing to compare, and what to change; None when it has samples.
fn empty_cohort(name: &str, s: &CohortStats, l: &Loaded) -> Option<String> {
    let inputs = l.side.inputs.join(", ");
    if s.units == 0 {
        let advice = match l.attribution {
            // A cohort directory written by `profile trigger` with no unit in it.
            Attribution::Window | Attribution::Label => {
                "profile trigger kept no unit for it: a match needs a request meeting the \
                 criteria during a window, a baseline unit a window with requests of the \
                 service and no match; loosen or tighten the criteria (--min-duration, \
                 --status-code, --url-pattern), shorten --window, lengthen --max-wait, or send \
                 the service traffic while it is armed"
            }
            Attribution::File => {
                "none of its profiles holds a request of this side (with --cohort-a/--cohort-b: \
                 no trace matched the filter; check --since and the filter)"
            }
        };
        return Some(format!(
            "cohort {name} ({inputs}) is empty, so nothing can be compared: {advice}"
        ));
    }
    (s.samples == 0).then(|| {
        format!(
            "cohort {name} ({inputs}): its {} unit(s) hold no samples with a stack, so nothing \
             can be compared: the profiler saw no CPU burnt while its requests ran (py-spy \
             samples only running threads; --idle samples waiting ones too); profile under \
             load or for longer",
            s.units
        )
    })
}
