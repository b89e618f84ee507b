//! Differential hotspots: which functions take a larger share of CPU in cohort A than in
//! cohort B, and how sure we can be.
//!
//! The request is the unit of analysis. Samples inside one request are correlated (the
//! request runs one code path) and a request contributes few samples, so a pooled test over
//! samples pseudo-replicates: on identical cohorts of 40 requests it flags over half of the
//! functions at α = 0.05. Instead, per function and for self and total time:
//!
//! * share = CPU of the function in the cohort / all CPU of the cohort (a ratio of sums,
//!   the same quantity a flame graph shows), Δ = share_A − share_B in percentage points;
//!   total time counts a function once per sample, so recursion is not double-counted;
//! * a two-sided permutation test that shuffles whole units (requests, or time windows when
//!   samples cannot be tied to requests) between the cohorts, with a fixed seed so a report
//!   is reproducible, p = (hits + 1) / (B + 1);
//! * Benjamini–Hochberg across the functions tested in each family (self, total);
//! * only functions with at least `min_samples` samples in at least `min_units` units are
//!   tested; the others are reported with the reason (too few samples, too few units, an
//!   empty cohort) rather than as "not significant";
//! * samples without a stack (the profiler read none) are counted apart and left out of the
//!   shares: they say nothing about which function ran.
//!
//! Everything here is pure: no I/O, deterministic for a given seed whatever the thread count.

mod permutation;

use std::collections::HashMap;

use serde::Serialize;

use permutation::{min_attainable_p, permutation_p};

pub use permutation::{benjamini_hochberg, SplitMix64};

/// One stack with its weight within a unit. Frames are function ids, root first.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightedStack {
    pub frames: Vec<u32>,
    pub samples: u64,
    pub cpu_ns: f64,
}

/// The unit the test shuffles: one request, or one time window covering `requests` requests.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Unit {
    pub requests: u32,
    pub stacks: Vec<WeightedStack>,
    /// Samples in which the profiler read no stack: counted, not compared.
    pub no_stack_samples: u64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cohort {
    pub units: Vec<Unit>,
    /// Distinct requests the cohort covers, when known. A request that ran across two
    /// windows is in both windows' units but is one request: CPU per request divides by
    /// this, not by the sum over units. None: the sum of the units' `requests`.
    pub requests: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    pub permutations: usize,
    pub seed: u64,
    pub alpha: f64,
    pub min_samples: u64,
    pub min_units: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            permutations: 2_000,
            seed: 0x7261_6365_6469_6167,
            alpha: 0.05,
            min_samples: 10,
            min_units: 3,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Significance {
    /// q ≤ α/5.
    High,
    /// q ≤ α.
    Medium,
    /// q ≤ 2α: a hint worth a second look, not a finding.
    Low,
    NotSignificant,
    /// Not tested, or no result could reach significance: the function is in fewer than
    /// `min_units` units, or the cohorts have too few units for any p to reach α.
    TooFewUnits,
    /// Not tested: fewer than `min_samples` samples of the function.
    TooFewSamples,
    /// Not tested: one cohort has no units or no samples with a stack.
    EmptyCohort,
}

impl Significance {
    pub fn as_str(self) -> &'static str {
        match self {
            Significance::High => "high",
            Significance::Medium => "medium",
            Significance::Low => "low",
            Significance::NotSignificant => "not significant",
            Significance::TooFewUnits => "too few units",
            Significance::TooFewSamples => "too few samples",
            Significance::EmptyCohort => "empty cohort",
        }
    }

    /// Whether a test ran and gave a verdict (as opposed to a reason it could not).
    pub fn is_verdict(self) -> bool {
        self <= Significance::NotSignificant
    }

    fn of(q: f64, alpha: f64) -> Significance {
        match q {
            q if q <= alpha / 5.0 => Significance::High,
            q if q <= alpha => Significance::Medium,
            q if q <= 2.0 * alpha => Significance::Low,
            _ => Significance::NotSignificant,
        }
    }
}

/// Self or total time of one function.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Measure {
    pub share_a_pct: f64,
    pub share_b_pct: f64,
    /// share_A − share_B, percentage points; positive = hotter in A.
    pub delta_pp: f64,
    pub cpu_ms_per_request_a: f64,
    pub cpu_ms_per_request_b: f64,
    pub samples_a: u64,
    pub samples_b: u64,
    /// Units (requests or windows) in which the function has samples, both cohorts.
    pub units: usize,
    pub p_value: Option<f64>,
    /// Benjamini–Hochberg adjusted p-value.
    pub q_value: Option<f64>,
    pub significance: Significance,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hotspot {
    pub function: String,
    #[serde(rename = "self")]
    pub self_time: Measure,
    #[serde(rename = "total")]
    pub total_time: Measure,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Time in the function itself (it is the leaf).
    SelfTime,
    /// Time in the function and everything it calls.
    Total,
}

impl Hotspot {
    pub fn measure(&self, m: Metric) -> &Measure {
        match m {
            Metric::SelfTime => &self.self_time,
            Metric::Total => &self.total_time,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CohortStats {
    pub units: usize,
    pub requests: u64,
    /// Samples with a stack: what the shares are taken over.
    pub samples: u64,
    /// Samples without a stack, left out of the shares.
    pub no_stack_samples: u64,
    pub cpu_ms: f64,
    pub cpu_ms_per_request: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub a: CohortStats,
    pub b: CohortStats,
    pub hotspots: Vec<Hotspot>,
    pub permutations: usize,
    pub seed: u64,
    pub alpha: f64,
    pub min_samples: u64,
    pub min_units: usize,
    pub tested_self: usize,
    pub tested_total: usize,
    /// The smallest two-sided p-value any permutation test can reach with these cohort
    /// sizes and permutation count.
    pub min_attainable_p: f64,
}

impl Comparison {
    /// Whether the cohorts are too small for any difference to reach significance.
    pub fn underpowered(&self) -> bool {
        self.min_attainable_p > self.alpha
    }

    /// Sort hotspots for display: significant first (by level), then by |Δ|, then by name.
    pub fn rank(&mut self, m: Metric) {
        self.hotspots.sort_by(|x, y| {
            let (a, b) = (x.measure(m), y.measure(m));
            a.significance
                .cmp(&b.significance)
                .then(b.delta_pp.abs().total_cmp(&a.delta_pp.abs()))
                .then_with(|| x.function.cmp(&y.function))
        });
    }
}

/// Per-function entries of one family, compressed by function: for function `f`,
/// `units[off[f]..off[f+1]]` and `vals[..]` are the units it appears in and its CPU there.
struct Family {
    off: Vec<usize>,
    units: Vec<u32>,
    vals: Vec<f64>,
    samples_a: Vec<u64>,
    samples_b: Vec<u64>,
}

#[derive(Default, Clone, Copy)]
struct Acc {
    self_ns: f64,
    total_ns: f64,
    self_samples: u64,
    total_samples: u64,
}

/// Compare cohort A with cohort B. `names` maps function ids to names.
pub fn compare(names: &[String], a: &Cohort, b: &Cohort, o: &Options) -> Comparison {
    let n_a = a.units.len();
    let units: Vec<&Unit> = a.units.iter().chain(&b.units).collect();
    let n = units.len();
    let (unit_ns, per_fn) = accumulate(&units, names.len());
    let fam_self = Family::build(&per_fn, n_a, |x| (x.self_ns, x.self_samples));
    let fam_total = Family::build(&per_fn, n_a, |x| (x.total_ns, x.total_samples));

    let sa = cohort_stats(&unit_ns[..n_a], a);
    let sb = cohort_stats(&unit_ns[n_a..], b);
    let scale = Scale {
        n_a,
        w_a: sa.cpu_ms * 1e6,
        w_b: sb.cpu_ms * 1e6,
        req_a: sa.requests.max(1) as f64,
        req_b: sb.requests.max(1) as f64,
    };
    let can_test = n_a > 0 && n > n_a && o.permutations > 0 && scale.w_a > 0.0 && scale.w_b > 0.0;
    let tested_self = Tested::run(&fam_self, can_test, &unit_ns, n_a, o);
    let tested_total = Tested::run(&fam_total, can_test, &unit_ns, n_a, o);
    let min_p = min_attainable_p(n_a, n - n_a, o.permutations);
    let verdict = Verdict {
        empty: !(n_a > 0 && n > n_a && scale.w_a > 0.0 && scale.w_b > 0.0),
        underpowered: min_p > o.alpha,
        alpha: o.alpha,
    };

    let mut hotspots = Vec::new();
    for (f, name) in names.iter().enumerate() {
        if fam_total.off[f + 1] == fam_total.off[f] {
            continue;
        }
        let sig_self = verdict.of(&fam_self, f, tested_self.p_and_q(f), o);
        let sig_total = verdict.of(&fam_total, f, tested_total.p_and_q(f), o);
        hotspots.push(Hotspot {
            function: name.clone(),
            self_time: fam_self.measure(f, tested_self.p_and_q(f), &scale, sig_self),
            total_time: fam_total.measure(f, tested_total.p_and_q(f), &scale, sig_total),
        });
    }

    let mut c = Comparison {
        a: sa,
        b: sb,
        hotspots,
        permutations: o.permutations,
        seed: o.seed,
        alpha: o.alpha,
        min_samples: o.min_samples,
        min_units: o.min_units,
        tested_self: tested_self.functions.len(),
        tested_total: tested_total.functions.len(),
        min_attainable_p: min_p,
    };
    c.rank(Metric::SelfTime);
    c
}

/// Per unit: its total CPU, and per function (by id) the units it appears in with its
/// accumulated self and total time there, in unit order.
fn accumulate(units: &[&Unit], nf: usize) -> (Vec<f64>, Vec<Vec<(u32, Acc)>>) {
    let mut unit_ns = vec![0.0f64; units.len()];
    let mut per_fn: Vec<Vec<(u32, Acc)>> = vec![Vec::new(); nf];
    let mut seen: Vec<u32> = Vec::new();
    for (u, unit) in units.iter().enumerate() {
        let mut acc: HashMap<u32, Acc> = HashMap::new();
        for st in &unit.stacks {
            unit_ns[u] += st.cpu_ns;
            let Some(&leaf) = st.frames.last() else {
                continue;
            };
            let e = acc.entry(leaf).or_default();
            e.self_ns += st.cpu_ns;
            e.self_samples += st.samples;
            // Count each function once per stack, however deep it recurses.
            seen.clear();
            seen.extend_from_slice(&st.frames);
            seen.sort_unstable();
            seen.dedup();
            for &f in &seen {
                let e = acc.entry(f).or_default();
                e.total_ns += st.cpu_ns;
                e.total_samples += st.samples;
            }
        }
        let mut acc: Vec<(u32, Acc)> = acc.into_iter().collect();
        acc.sort_unstable_by_key(|(f, _)| *f);
        for (f, x) in acc {
            if let Some(list) = per_fn.get_mut(f as usize) {
                list.push((u as u32, x));
            }
        }
    }
    (unit_ns, per_fn)
}

/// `unit_ns` holds the CPU of each of the cohort's units, in their order.
fn cohort_stats(unit_ns: &[f64], c: &Cohort) -> CohortStats {
    let list = &c.units;
    let cpu_ns: f64 = unit_ns.iter().sum();
    let requests: u64 = c
        .requests
        .unwrap_or_else(|| list.iter().map(|u| u64::from(u.requests.max(1))).sum());
    let samples: u64 = list
        .iter()
        .flat_map(|u| u.stacks.iter().map(|s| s.samples))
        .sum();
    CohortStats {
        units: list.len(),
        requests,
        samples,
        no_stack_samples: list.iter().map(|u| u.no_stack_samples).sum(),
        cpu_ms: cpu_ns / 1e6,
        cpu_ms_per_request: if requests == 0 {
            0.0
        } else {
            cpu_ns / 1e6 / requests as f64
        },
    }
}

/// What the cohorts allow a test to say, for every function alike.
struct Verdict {
    /// A cohort has no units or no CPU: nothing can be compared.
    empty: bool,
    /// Too few units for any p to reach α.
    underpowered: bool,
    alpha: f64,
}

impl Verdict {
    /// Function `f`'s significance: its test's verdict, or the reason there is none, the
    /// cohorts' reason first (an empty cohort, too few units overall), then the function's.
    fn of(&self, fam: &Family, f: usize, pq: Option<(f64, f64)>, o: &Options) -> Significance {
        if self.empty {
            return Significance::EmptyCohort;
        }
        if self.underpowered {
            return Significance::TooFewUnits;
        }
        match pq {
            Some((_, q)) => Significance::of(q, self.alpha),
            None if fam.samples_a[f] + fam.samples_b[f] < o.min_samples.max(1) => {
                Significance::TooFewSamples
            }
            None => Significance::TooFewUnits,
        }
    }
}

/// What every function's shares are taken against: units `..n_a` are cohort A's, and each
/// cohort's CPU (ns) and requests.
struct Scale {
    n_a: usize,
    w_a: f64,
    w_b: f64,
    req_a: f64,
    req_b: f64,
}

impl Family {
    /// One family from the per-function accumulations; `pick` chooses self or total time.
    fn build(per_fn: &[Vec<(u32, Acc)>], n_a: usize, pick: impl Fn(&Acc) -> (f64, u64)) -> Family {
        let nf = per_fn.len();
        let mut fam = Family {
            off: Vec::with_capacity(nf + 1),
            units: Vec::new(),
            vals: Vec::new(),
            samples_a: vec![0; nf],
            samples_b: vec![0; nf],
        };
        fam.off.push(0);
        for (f, list) in per_fn.iter().enumerate() {
            for (u, x) in list {
                let (v, s) = pick(x);
                if s == 0 && v == 0.0 {
                    continue;
                }
                fam.units.push(*u);
                fam.vals.push(v);
                if (*u as usize) < n_a {
                    fam.samples_a[f] += s;
                } else {
                    fam.samples_b[f] += s;
                }
            }
            fam.off.push(fam.units.len());
        }
        fam
    }

    /// Whether function `f` has enough samples in enough units to be tested.
    fn testable(&self, f: usize, o: &Options) -> bool {
        let units = self.off[f + 1] - self.off[f];
        self.samples_a[f] + self.samples_b[f] >= o.min_samples.max(1) && units >= o.min_units.max(1)
    }

    /// Function `f`'s shares in both cohorts and what its test found (`pq`: p and q).
    fn measure(
        &self,
        f: usize,
        pq: Option<(f64, f64)>,
        scale: &Scale,
        significance: Significance,
    ) -> Measure {
        let (mut s_a, mut s_b) = (0.0, 0.0);
        for i in self.off[f]..self.off[f + 1] {
            if (self.units[i] as usize) < scale.n_a {
                s_a += self.vals[i];
            } else {
                s_b += self.vals[i];
            }
        }
        let delta = share(s_a, scale.w_a) - share(s_b, scale.w_b);
        Measure {
            share_a_pct: share(s_a, scale.w_a) * 100.0,
            share_b_pct: share(s_b, scale.w_b) * 100.0,
            delta_pp: delta * 100.0,
            cpu_ms_per_request_a: s_a / 1e6 / scale.req_a,
            cpu_ms_per_request_b: s_b / 1e6 / scale.req_b,
            samples_a: self.samples_a[f],
            samples_b: self.samples_b[f],
            units: self.off[f + 1] - self.off[f],
            p_value: pq.map(|x| x.0),
            q_value: pq.map(|x| x.1),
            significance,
        }
    }
}

/// The functions of one family that were tested, with their p- and q-values.
struct Tested {
    functions: Vec<usize>,
    p: Vec<f64>,
    q: Vec<f64>,
}

impl Tested {
    fn run(fam: &Family, can_test: bool, unit_ns: &[f64], n_a: usize, o: &Options) -> Tested {
        let nf = fam.samples_a.len();
        let functions: Vec<usize> = (0..nf)
            .filter(|&f| can_test && fam.testable(f, o))
            .collect();
        let p = permutation_p(fam, &functions, unit_ns, n_a, o);
        let q = benjamini_hochberg(&p);
        Tested { functions, p, q }
    }

    /// Function `f`'s p and q, when it was tested.
    fn p_and_q(&self, f: usize) -> Option<(f64, f64)> {
        self.functions.binary_search(&f).ok().map(|i| {
            (
                self.p.get(i).copied().unwrap_or(1.0),
                self.q.get(i).copied().unwrap_or(1.0),
            )
        })
    }
}

fn share(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        part / whole
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(stacks: &[(&[u32], u64)]) -> Unit {
        Unit {
            requests: 1,
            no_stack_samples: 0,
            stacks: stacks
                .iter()
                .map(|(f, s)| WeightedStack {
                    frames: f.to_vec(),
                    samples: *s,
                    cpu_ns: *s as f64 * 1e7,
                })
                .collect(),
        }
    }

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("f{i}")).collect()
    }

    #[test]
    fn bh_matches_hand_computation() {
        let q = benjamini_hochberg(&[0.01, 0.04, 0.03, 0.2]);
        let want = [0.04, 0.04 * 4.0 / 3.0, 0.04 * 4.0 / 3.0, 0.2];
        for (a, b) in q.iter().zip(want) {
            assert!((a - b).abs() < 1e-12, "{q:?}");
        }
    }

    #[test]
    fn clear_shift_is_detected_and_ranked_first() {
        // A: main;slow in every request. B: main;fast.
        let a = Cohort {
            units: (0..20).map(|_| unit(&[(&[0, 1], 8), (&[0], 2)])).collect(),
            requests: None,
        };
        let b = Cohort {
            units: (0..20).map(|_| unit(&[(&[0, 2], 8), (&[0], 2)])).collect(),
            requests: None,
        };
        let c = compare(&names(3), &a, &b, &Options::default());
        let top = &c.hotspots[0];
        assert!(top.function == "f1" || top.function == "f2");
        assert_eq!(top.self_time.significance, Significance::High);
        let slow = c
            .hotspots
            .iter()
            .find(|h| h.function == "f1")
            .unwrap_or(top);
        assert!((slow.self_time.delta_pp - 80.0).abs() < 1e-9);
        assert!((slow.self_time.cpu_ms_per_request_a - 80.0).abs() < 1e-9);
        // main is on every stack: 100 % total in both cohorts.
        let main = c
            .hotspots
            .iter()
            .find(|h| h.function == "f0")
            .unwrap_or(top);
        assert!(main.total_time.delta_pp.abs() < 1e-9);
        assert_eq!(main.total_time.significance, Significance::NotSignificant);
    }

    #[test]
    fn few_requests_are_never_significant() {
        let a = Cohort {
            units: (0..2).map(|_| unit(&[(&[0, 1], 50)])).collect(),
            requests: None,
        };
        let b = Cohort {
            units: (0..2).map(|_| unit(&[(&[0, 2], 50)])).collect(),
            requests: None,
        };
        let c = compare(
            &names(3),
            &a,
            &b,
            &Options {
                min_units: 1,
                ..Options::default()
            },
        );
        assert!(c.underpowered());
        assert!(c
            .hotspots
            .iter()
            .all(|h| h.self_time.significance >= Significance::NotSignificant));
    }

    #[test]
    fn recursion_counts_once_in_total() {
        let a = Cohort {
            units: vec![unit(&[(&[0, 1, 1, 1], 4)])],
            requests: None,
        };
        let c = compare(&names(2), &a, &Cohort::default(), &Options::default());
        let f1 = c.hotspots.iter().find(|h| h.function == "f1");
        assert_eq!(f1.map(|h| h.total_time.samples_a), Some(4));
        assert_eq!(f1.map(|h| h.total_time.share_a_pct), Some(100.0));
    }

    #[test]
    fn same_seed_same_answer_and_empty_inputs() {
        let a = Cohort {
            units: (0..6)
                .map(|i| unit(&[(&[0, 1], 3 + i), (&[0, 2], 5)]))
                .collect(),
            requests: None,
        };
        let b = Cohort {
            units: (0..6)
                .map(|i| unit(&[(&[0, 1], 1 + i % 2), (&[0, 2], 5)]))
                .collect(),
            requests: None,
        };
        let o = Options {
            min_samples: 1,
            ..Options::default()
        };
        assert_eq!(
            compare(&names(3), &a, &b, &o),
            compare(&names(3), &a, &b, &o)
        );
        let e = compare(&names(0), &Cohort::default(), &Cohort::default(), &o);
        assert!(e.hotspots.is_empty());
    }

    #[test]
    fn significance_names_why_nothing_was_tested() {
        let o = Options::default();
        // An empty cohort: every function says so.
        let a = Cohort {
            units: (0..10).map(|_| unit(&[(&[0, 1], 20)])).collect(),
            requests: None,
        };
        let c = compare(&names(2), &a, &Cohort::default(), &o);
        assert!(c
            .hotspots
            .iter()
            .all(|h| h.self_time.significance == Significance::EmptyCohort));
        // Two units a side: no p can reach α.
        let two = |leaf: u32| Cohort {
            units: (0..2).map(|_| unit(&[(&[0, leaf], 50)])).collect(),
            requests: None,
        };
        let c = compare(&names(3), &two(1), &two(2), &o);
        assert!(c
            .hotspots
            .iter()
            .all(|h| h.self_time.significance == Significance::TooFewUnits));
        // Enough units, but one function with 2 samples and one in 2 units only.
        let mut a: Vec<Unit> = (0..10).map(|_| unit(&[(&[0, 1], 20)])).collect();
        a[0].stacks.push(unit(&[(&[0, 3], 2)]).stacks[0].clone());
        a[1].stacks.push(unit(&[(&[0, 4], 30)]).stacks[0].clone());
        a[2].stacks.push(unit(&[(&[0, 4], 30)]).stacks[0].clone());
        let b: Vec<Unit> = (0..10).map(|_| unit(&[(&[0, 2], 20)])).collect();
        let c = compare(
            &names(5),
            &Cohort {
                units: a,
                requests: None,
            },
            &Cohort {
                units: b,
                requests: None,
            },
            &o,
        );
        let sig = |f: &str| {
            c.hotspots
                .iter()
                .find(|h| h.function == f)
                .map(|h| h.self_time.significance)
        };
        assert_eq!(sig("f3"), Some(Significance::TooFewSamples));
        assert_eq!(sig("f4"), Some(Significance::TooFewUnits));
        assert_eq!(sig("f1"), Some(Significance::High));
    }

    #[test]
    fn distinct_requests_and_no_stack_samples() {
        let mut u = unit(&[(&[0, 1], 10)]);
        u.requests = 2;
        u.no_stack_samples = 3;
        let a = Cohort {
            units: vec![u.clone(), u],
            // The same request is in both windows: 3 requests, not 4.
            requests: Some(3),
        };
        let c = compare(&names(2), &a, &Cohort::default(), &Options::default());
        assert_eq!(c.a.requests, 3);
        assert_eq!(c.a.samples, 20);
        assert_eq!(c.a.no_stack_samples, 6);
        assert!((c.a.cpu_ms_per_request - 200.0 / 3.0).abs() < 1e-9);
    }
}
