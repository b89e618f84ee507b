//! The permutation test behind the hotspots: whole units shuffled between the cohorts, with
//! a generator seeded per chunk of permutations so the p-values are the same whatever the
//! thread count; Benjamini–Hochberg across the functions tested.

use super::{share, Family, Options};

/// Two-sided exact-split bound: with n_a and n_b units there are C(n, n_a) distinct splits,
/// and the observed one and (for equal sizes) its mirror are always at least as extreme.
pub(super) fn min_attainable_p(n_a: usize, n_b: usize, permutations: usize) -> f64 {
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

pub(super) fn permutation_p(
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
