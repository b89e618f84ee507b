//! Benchmark of `profile compare`'s statistics: two cohorts of 1,000 requests with 100,000
//! samples in total, 2,000 permutations (issue target: under 3 s on the project machine,
//! 2 cores). Also times the step before it: turning the per-request folded stacks, as the
//! cohort directory stores them, into weighted stacks.
//!
//! Run: `cargo bench --bench profile_compare`. Prints figures; the target is reported, not
//! asserted (a loaded CI machine must not fail the build on timing).

use std::collections::HashMap;
use std::time::Instant;

use tracediag::analysis::hotspots::{compare, Cohort, Options, SplitMix64, Unit, WeightedStack};

const REQUESTS: usize = 1_000;
const SAMPLES: usize = 100_000;
const FUNCTIONS: u32 = 400;
const RUNS: usize = 3;

/// A call tree: each function calls a few fixed others, so stacks repeat as real ones do.
fn stack(rng: &mut SplitMix64, hot: Option<u32>) -> Vec<u32> {
    let depth = 4 + rng.below(10) as usize;
    let mut frames = vec![0u32];
    let mut f = 0u32;
    for _ in 1..depth {
        f = (f * 7 + 1 + rng.below(4) as u32) % FUNCTIONS;
        frames.push(f);
    }
    if let Some(h) = hot {
        if rng.below(5) == 0 {
            frames.push(h);
        }
    }
    frames
}

fn cohort(rng: &mut SplitMix64, hot: Option<u32>) -> (Cohort, Vec<String>) {
    let per = SAMPLES / (2 * REQUESTS);
    let mut folded = Vec::with_capacity(REQUESTS);
    let mut units = Vec::with_capacity(REQUESTS);
    for _ in 0..REQUESTS {
        let mut agg: HashMap<Vec<u32>, u64> = HashMap::new();
        for _ in 0..per {
            *agg.entry(stack(rng, hot)).or_insert(0) += 1;
        }
        let mut text = String::new();
        for (frames, n) in &agg {
            let names: Vec<String> = frames.iter().map(|f| format!("pkg.Function{f}")).collect();
            text.push_str(&format!("{} {n}\n", names.join(";")));
        }
        folded.push(text);
        units.push(Unit {
            requests: 1,
            stacks: agg
                .into_iter()
                .map(|(frames, n)| WeightedStack {
                    frames,
                    samples: n,
                    cpu_ns: n as f64 * 1e7,
                })
                .collect(),
            no_stack_samples: 0,
        });
    }
    (
        Cohort {
            units,
            requests: None,
        },
        folded,
    )
}

fn main() {
    let mut rng = SplitMix64::new(42);
    let (a, folded_a) = cohort(&mut rng, Some(FUNCTIONS - 1));
    let (b, folded_b) = cohort(&mut rng, None);
    let names: Vec<String> = (0..FUNCTIONS).map(|f| format!("pkg.Function{f}")).collect();
    let o = Options::default();

    let t = Instant::now();
    let mut parsed = 0usize;
    for text in folded_a.iter().chain(&folded_b) {
        let p = tracediag::source::profile::folded::parse(
            text,
            tracediag::model::profile::ProfileFormat::Folded,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        parsed += p.samples.len();
    }
    let parse_s = t.elapsed().as_secs_f64();

    let mut times = Vec::new();
    let mut result = None;
    for _ in 0..RUNS {
        let t = Instant::now();
        result = Some(compare(&names, &a, &b, &o));
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let c = result.unwrap_or_else(|| panic!("no run"));
    let best = times[0];
    let median = times[times.len() / 2];
    println!(
        "profile compare: {} + {} requests, {} samples, {} permutations, {} functions tested (self) / {} (total)",
        c.a.requests, c.b.requests, c.a.samples + c.b.samples, o.permutations, c.tested_self, c.tested_total
    );
    println!("  parse per-request folded stacks ({parsed} lines): {parse_s:.3} s");
    println!("  statistics: best {best:.3} s, median {median:.3} s over {RUNS} runs");
    println!(
        "  target < 3 s: {}",
        if median + parse_s < 3.0 {
            "met"
        } else {
            "NOT met"
        }
    );
    if let Some(top) = c.hotspots.first() {
        println!(
            "  top hotspot: {} Δ {:+.1} pp, q = {:?}",
            top.function, top.self_time.delta_pp, top.self_time.q_value
        );
    }
}
