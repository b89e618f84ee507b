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
//!   tested; the others are reported as untested rather than as "not significant".
//!
//! Everything here is pure: no I/O, deterministic for a given seed whatever the thread count.

use std::collections::HashMap;

use serde::Serialize;

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
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cohort {
    pub units: Vec<Unit>,
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
    /// Below the minimum samples or units: no test was run.
    Untested,
}

impl Significance {
    pub fn as_str(self) -> &'static str {
        match self {
            Significance::High => "high",
            Significance::Medium => "medium",
            Significance::Low => "low",
            Significance::NotSignificant => "not significant",
            Significance::Untested => "too few samples",
        }
    }

    fn of(q: Option<f64>, alpha: f64) -> Significance {
        match q {
            None => Significance::Untested,
            Some(q) if q <= alpha / 5.0 => Significance::High,
            Some(q) if q <= alpha => Significance::Medium,
            Some(q) if q <= 2.0 * alpha => Significance::Low,
            Some(_) => Significance::NotSignificant,
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
    pub samples: u64,
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
    let nf = names.len();

    // Per unit: total CPU, and per function the accumulated self/total time.
    let mut unit_ns = vec![0.0f64; n];
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

    let build = |pick: &dyn Fn(&Acc) -> (f64, u64)| -> Family {
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
    };
    let fam_self = build(&|x| (x.self_ns, x.self_samples));
    let fam_total = build(&|x| (x.total_ns, x.total_samples));

    let stats = |range: std::ops::Range<usize>, list: &[Unit]| {
        let cpu_ns: f64 = range.clone().map(|u| unit_ns[u]).sum();
        let requests: u64 = list.iter().map(|u| u64::from(u.requests.max(1))).sum();
        let samples: u64 = list
            .iter()
            .flat_map(|u| u.stacks.iter().map(|s| s.samples))
            .sum();
        CohortStats {
            units: list.len(),
            requests,
            samples,
            cpu_ms: cpu_ns / 1e6,
            cpu_ms_per_request: if requests == 0 {
                0.0
            } else {
                cpu_ns / 1e6 / requests as f64
            },
        }
    };
    let sa = stats(0..n_a, &a.units);
    let sb = stats(n_a..n, &b.units);
    let (w_a, w_b) = (sa.cpu_ms * 1e6, sb.cpu_ms * 1e6);

    let tested = |fam: &Family, f: usize| {
        let units = fam.off[f + 1] - fam.off[f];
        fam.samples_a[f] + fam.samples_b[f] >= o.min_samples.max(1) && units >= o.min_units.max(1)
    };
    let can_test = n_a > 0 && n > n_a && o.permutations > 0 && w_a > 0.0 && w_b > 0.0;
    let tests_self: Vec<usize> = (0..nf)
        .filter(|&f| can_test && tested(&fam_self, f))
        .collect();
    let tests_total: Vec<usize> = (0..nf)
        .filter(|&f| can_test && tested(&fam_total, f))
        .collect();

    let observed = |fam: &Family, f: usize, in_a: &dyn Fn(usize) -> bool, wa: f64, wb: f64| {
        let (mut s_a, mut s_b) = (0.0, 0.0);
        for i in fam.off[f]..fam.off[f + 1] {
            if in_a(fam.units[i] as usize) {
                s_a += fam.vals[i];
            } else {
                s_b += fam.vals[i];
            }
        }
        (s_a, s_b, share(s_a, wa) - share(s_b, wb))
    };

    let p_self = permutation_p(&fam_self, &tests_self, &unit_ns, n_a, o);
    let p_total = permutation_p(&fam_total, &tests_total, &unit_ns, n_a, o);
    let q_self = benjamini_hochberg(&p_self);
    let q_total = benjamini_hochberg(&p_total);
    let lookup = |tests: &[usize], ps: &[f64], qs: &[f64], f: usize| {
        tests.binary_search(&f).ok().map(|i| {
            (
                ps.get(i).copied().unwrap_or(1.0),
                qs.get(i).copied().unwrap_or(1.0),
            )
        })
    };

    let req_a = sa.requests.max(1) as f64;
    let req_b = sb.requests.max(1) as f64;
    let in_a = |u: usize| u < n_a;
    let mut hotspots = Vec::new();
    for (f, name) in names.iter().enumerate() {
        if fam_total.off[f + 1] == fam_total.off[f] {
            continue;
        }
        let measure = |fam: &Family, pq: Option<(f64, f64)>| {
            let (s_a, s_b, delta) = observed(fam, f, &in_a, w_a, w_b);
            Measure {
                share_a_pct: share(s_a, w_a) * 100.0,
                share_b_pct: share(s_b, w_b) * 100.0,
                delta_pp: delta * 100.0,
                cpu_ms_per_request_a: s_a / 1e6 / req_a,
                cpu_ms_per_request_b: s_b / 1e6 / req_b,
                samples_a: fam.samples_a[f],
                samples_b: fam.samples_b[f],
                units: fam.off[f + 1] - fam.off[f],
                p_value: pq.map(|x| x.0),
                q_value: pq.map(|x| x.1),
                significance: Significance::of(pq.map(|x| x.1), o.alpha),
            }
        };
        hotspots.push(Hotspot {
            function: name.clone(),
            self_time: measure(&fam_self, lookup(&tests_self, &p_self, &q_self, f)),
            total_time: measure(&fam_total, lookup(&tests_total, &p_total, &q_total, f)),
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
        tested_self: tests_self.len(),
        tested_total: tests_total.len(),
        min_attainable_p: min_attainable_p(n_a, n - n_a, o.permutations),
    };
    c.rank(Metric::SelfTime);
    c
}

fn share(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        part / whole
    } else {
        0.0
    }
}

/// Two-sided exact-split bound: with n_a and n_b units there are C(n, n_a) distinct splits,
/// and the observed one and (for equal sizes) its mirror are always at least as extreme.
fn min_attainable_p(n_a: usize, n_b: usize, permutations: usize) -> f64 {
    if n_a == 0 || n_b == 0 || permutations == 0 {
        return 1.0;
    }
    let n = n_a + n_b;
    let k = n_a.min(n_b);
    let mut splits = 1.0f64;
    for i in 0..k {
        splits = splits * (n - i) as f64 / (i + 1) as f64;
        if splits > 1e12 {
            break;
        }
    }
    let mirror = if n_a == n_b { 2.0 } else { 1.0 };
    (mirror / splits)
        .max(1.0 / (permutations as f64 + 1.0))
        .min(1.0)
}

/// Permutations per chunk. Each chunk has its own generator seeded from (seed, chunk), so
/// the p-values do not depend on how many threads ran the chunks.
const CHUNK: usize = 128;

fn permutation_p(
    fam: &Family,
    tests: &[usize],
    unit_ns: &[f64],
    n_a: usize,
    o: &Options,
) -> Vec<f64> {
    if tests.is_empty() {
        return Vec::new();
    }
    let n = unit_ns.len();
    let w_total: f64 = unit_ns.iter().sum();
    let all: Vec<f64> = tests
        .iter()
        .map(|&f| fam.vals[fam.off[f]..fam.off[f + 1]].iter().sum())
        .collect();
    let w_a_obs: f64 = unit_ns[..n_a].iter().sum();
    let observed: Vec<f64> = tests
        .iter()
        .zip(&all)
        .map(|(&f, &s_all)| {
            let s_a: f64 = (fam.off[f]..fam.off[f + 1])
                .filter(|&i| (fam.units[i] as usize) < n_a)
                .map(|i| fam.vals[i])
                .sum();
            (share(s_a, w_a_obs) - share(s_all - s_a, w_total - w_a_obs)).abs()
        })
        .collect();
    let chunks = o.permutations.div_ceil(CHUNK);
    let threads = std::thread::available_parallelism()
        .map_or(1, |t| t.get())
        .clamp(1, 8)
        .min(chunks);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let run_chunk = |chunk: usize, hits: &mut [u64], perm: &mut Vec<u32>, in_a: &mut [f64]| {
        let mut rng = SplitMix64::new(o.seed ^ (chunk as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let count = CHUNK.min(o.permutations - chunk * CHUNK);
        for _ in 0..count {
            // Partial Fisher–Yates: the first n_a slots become a uniform random subset. The
            // array need not be reset between rounds: a uniform shuffle of any arrangement
            // is uniform.
            for i in 0..n_a {
                let j = i + rng.below((n - i) as u64) as usize;
                perm.swap(i, j);
            }
            in_a.iter_mut().for_each(|x| *x = 0.0);
            let mut w_a = 0.0;
            for &u in &perm[..n_a] {
                in_a[u as usize] = 1.0;
                w_a += unit_ns[u as usize];
            }
            let w_b = w_total - w_a;
            for (t, &f) in tests.iter().enumerate() {
                let (lo, hi) = (fam.off[f], fam.off[f + 1]);
                let mut s_a = 0.0;
                for (u, v) in fam.units[lo..hi].iter().zip(&fam.vals[lo..hi]) {
                    s_a += v * in_a[*u as usize];
                }
                let d = (share(s_a, w_a) - share(all[t] - s_a, w_b)).abs();
                // A relative tolerance: a split that reproduces the observed statistic up
                // to rounding must count as "at least as extreme".
                if d >= observed[t] * (1.0 - 1e-9) {
                    hits[t] += 1;
                }
            }
        }
    };
    let total_hits = std::sync::Mutex::new(vec![0u64; tests.len()]);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let mut hits = vec![0u64; tests.len()];
                let mut perm: Vec<u32> = (0..n as u32).collect();
                let mut in_a = vec![0.0f64; n];
                loop {
                    let chunk = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if chunk >= chunks {
                        break;
                    }
                    // Each chunk starts from the identity so its result depends on the
                    // chunk alone, not on which thread ran which chunk before it.
                    perm.iter_mut().enumerate().for_each(|(i, p)| *p = i as u32);
                    run_chunk(chunk, &mut hits, &mut perm, &mut in_a);
                }
                if let Ok(mut total) = total_hits.lock() {
                    total.iter_mut().zip(&hits).for_each(|(t, h)| *t += h);
                }
            });
        }
    });
    let hits = total_hits.into_inner().unwrap_or_else(|p| p.into_inner());
    let b = o.permutations as f64;
    hits.iter().map(|&h| (h as f64 + 1.0) / (b + 1.0)).collect()
}

/// Benjamini–Hochberg adjusted p-values (q-values), in the input order.
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&i, &j| p[i].total_cmp(&p[j]));
    let mut q = vec![1.0; m];
    let mut running = 1.0f64;
    for (rank, &i) in order.iter().enumerate().rev() {
        let v = (p[i] * m as f64 / (rank + 1) as f64).min(1.0);
        running = running.min(v);
        q[i] = running;
    }
    q
}

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and the same sequence on every
/// platform, which is what a reproducible permutation test needs; no dependency for it.
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n (Lemire's multiply-shift; the bias for n ≪ 2^64 is negligible here).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(stacks: &[(&[u32], u64)]) -> Unit {
        Unit {
            requests: 1,
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
        };
        let b = Cohort {
            units: (0..20).map(|_| unit(&[(&[0, 2], 8), (&[0], 2)])).collect(),
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
        };
        let b = Cohort {
            units: (0..2).map(|_| unit(&[(&[0, 2], 50)])).collect(),
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
        };
        let b = Cohort {
            units: (0..6)
                .map(|i| unit(&[(&[0, 1], 1 + i % 2), (&[0, 2], 5)]))
                .collect(),
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
}
