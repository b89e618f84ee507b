//! Which traces of a range the window aggregate reads: all of them, or, when the range
//! holds more than the bound, a uniform sample of whole traces drawn by time.
//!
//! The range is cut into `STRATA` equal strata, and each stratum contributes one slice of
//! the same length at a pseudo-random (but fixed) offset; a trace is in the sample when its
//! first span starts in a slice. Every trace thus has the same chance (the slices' share of
//! the range), the sample is the same on every run, the slices are found through the start
//! time index (the work grows with the sample, not the range), and the random offsets keep a
//! periodic load (a job every minute) from always falling in or out of the slices. The
//! range's trace count is then estimated as the sample's count over that share.
//!
//! Choosing the share needs the range's size: a pilot counts the traces with a span in
//! small slices covering `1/PILOT_SHARE` of the range, through the same index.

use std::time::SystemTime;

use super::conditions::system_time;

/// Strata of a sampled range; many, so that a burst or lull is spread over the sample.
const STRATA: i64 = 256;
/// The pilot reads this fraction of the range (1/n).
const PILOT_SHARE: i64 = 64;
/// Strata of the pilot.
const PILOT_STRATA: i64 = 64;
/// Timestamps in the store are microseconds: slices start and end on one.
const US: i64 = 1000;
/// Sample only when it reads at most this share of the range: near the whole range the
/// sample saves little and all traces are read instead.
const MAX_SHARE: f64 = 0.8;

/// The slices of a range to read, in the shape the aggregate query binds.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Slices {
    pub lo: Vec<i64>,
    pub hi: Vec<i64>,
    /// Stratum width (ns); a span `r` ns after the range start is in stratum `r / width`.
    pub width: i64,
    /// Slice length (ns).
    pub len: i64,
    /// Each stratum's slice start, from the stratum start (ns).
    pub offsets: Vec<i64>,
}

impl Slices {
    /// The whole range as one slice.
    pub(super) fn whole(start_ns: i64, end_ns: i64) -> Slices {
        let width = (end_ns - start_ns).max(1);
        Slices {
            lo: vec![start_ns],
            hi: vec![end_ns],
            width,
            len: width,
            offsets: vec![0],
        }
    }

    /// `strata` slices covering about `share` of the range, at offsets fixed by `seed`;
    /// None when they would not be shorter than the strata (a range too short to sample).
    pub(super) fn sampled(
        start_ns: i64,
        end_ns: i64,
        share: f64,
        strata: i64,
        seed: u64,
    ) -> Option<Slices> {
        let width = (end_ns - start_ns) / strata;
        let len = ((width as f64 * share) as i64) / US * US;
        if len < US || width - len < 2 * US {
            return None;
        }
        let mut s = Slices {
            lo: Vec::new(),
            hi: Vec::new(),
            width,
            len,
            offsets: Vec::new(),
        };
        for j in 0..strata {
            let base = start_ns + j * width;
            // Room for the slice and the round-up to a microsecond, inside the stratum.
            let room = (width - len - US) as u64;
            let lo = (base + (mix(seed ^ j as u64) % room) as i64).div_euclid(US) * US + US;
            s.lo.push(lo);
            s.hi.push(lo + len);
            s.offsets.push(lo - base);
        }
        Some(s)
    }

    /// The share of the range the slices cover: every trace's chance of being read.
    pub(super) fn share(&self, start_ns: i64, end_ns: i64) -> f64 {
        let covered: i64 = self.hi.iter().zip(&self.lo).map(|(h, l)| h - l).sum();
        covered as f64 / (end_ns - start_ns).max(1) as f64
    }

    pub(super) fn times(v: &[i64]) -> Vec<SystemTime> {
        v.iter().map(|&ns| system_time(ns)).collect()
    }
}

/// The slices of the pilot, and the share of the range they cover.
pub(super) fn pilot(start_ns: i64, end_ns: i64) -> Option<Slices> {
    Slices::sampled(
        start_ns,
        end_ns,
        1.0 / PILOT_SHARE as f64,
        PILOT_STRATA,
        0x5eed_0001,
    )
}

/// The slices to aggregate, given the pilot's estimate of the range's traces; None: all.
pub(super) fn plan(start_ns: i64, end_ns: i64, estimate: f64, bound: usize) -> Option<Slices> {
    if bound == 0 || estimate <= bound as f64 {
        return None;
    }
    let share = bound as f64 / estimate;
    if share > MAX_SHARE {
        return None;
    }
    Slices::sampled(start_ns, end_ns, share, STRATA, 0x5eed_0002)
}

/// splitmix64: a well-spread fixed function of the stratum, so offsets are deterministic.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3_600_000_000_000;

    #[test]
    fn slices_stay_in_their_strata_on_whole_microseconds() {
        let s = Slices::sampled(7, 7 + H, 0.02, STRATA, 1).expect("sampled");
        assert_eq!(s.lo.len(), STRATA as usize);
        for j in 0..s.lo.len() {
            let base = 7 + j as i64 * s.width;
            assert!(s.lo[j] >= base && s.hi[j] <= base + s.width, "stratum {j}");
            assert_eq!(s.lo[j] % US, 0);
            assert_eq!(s.offsets[j], s.lo[j] - base);
        }
        assert!((s.share(7, 7 + H) - 0.02).abs() < 0.001);
        assert_eq!(Slices::sampled(7, 7 + H, 0.02, STRATA, 1), Some(s));
    }

    #[test]
    fn small_ranges_and_bounds_read_everything() {
        assert_eq!(plan(0, H, 900.0, 1000), None);
        assert_eq!(plan(0, H, 1e6, 0), None);
        assert_eq!(plan(0, H, 1100.0, 1000), None);
        assert!(plan(0, H, 1e6, 1000).is_some());
        assert_eq!(plan(0, 100_000, 1e6, 1000), None);
    }
}
