//! The two sides `profile compare` reads, as units for the statistics: a cohort directory
//! written by `profile trigger` (its manifest says which requests each unit covers), a plain
//! folder of profile files, or profile files (one unit per file, or per request when the
//! samples carry span or trace ids).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::analysis::hotspots::{Cohort, Unit, WeightedStack};
use crate::error::{Error, Result};
use crate::model::profile::{Profile, Sample};
use crate::report::hotspots::Side;
use crate::source::profile::cohort::{self, Attribution};
use crate::source::profile::{self as profiles, sample_ids};

/// Function names shared by both cohorts, so ids mean the same function on either side.
#[derive(Default)]
pub struct Names {
    pub names: Vec<String>,
    index: HashMap<String, u32>,
}

impl Names {
    pub fn id(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), i);
        i
    }
}

/// A cohort ready for the statistics, and what the report says about it.
pub struct Loaded {
    pub cohort: Cohort,
    pub side: Side,
    pub attribution: Attribution,
}

/// Weighted stacks of some samples of `p`, and the samples that had no stack: CPU per
/// sample from the profile when it says, else from `fallback_ns_per_sample`.
pub(super) fn unit_of(
    p: &Profile,
    samples: &mut dyn Iterator<Item = &Sample>,
    fallback_ns_per_sample: f64,
    names: &mut Names,
    what: &str,
) -> Result<Unit> {
    let view = p.cpu_view().map_err(|e| Error::input(what, e))?;
    let ns_per_unit = view.ns_per_unit.unwrap_or(fallback_ns_per_sample);
    // A profile that only states CPU time (period 0): one "sample" per period when known,
    // else per value unit.
    let unit_is_time = p
        .sample_types
        .get(view.value_index)
        .is_some_and(|t| t.unit.ends_with("seconds"));
    let period_ns = if unit_is_time && p.period > 0 {
        p.period as f64
    } else {
        0.0
    };
    let map: Vec<u32> = p.frames.iter().map(|f| names.id(f)).collect();
    let mut agg: HashMap<Vec<u32>, (u64, f64)> = HashMap::new();
    let mut no_stack = 0u64;
    for s in samples {
        let v = s.values.get(view.value_index).copied().unwrap_or(0);
        if v <= 0 {
            continue;
        }
        let ns = v as f64 * ns_per_unit;
        let count = if period_ns > 0.0 {
            (ns / period_ns).round().max(1.0) as u64
        } else {
            v as u64
        };
        if s.stack.is_empty() {
            no_stack += count;
            continue;
        }
        let frames: Vec<u32> = s
            .stack
            .iter()
            .map(|&f| map.get(f as usize).copied().unwrap_or(0))
            .collect();
        let e = agg.entry(frames).or_insert((0, 0.0));
        e.0 += count;
        e.1 += ns;
    }
    let mut stacks: Vec<WeightedStack> = agg
        .into_iter()
        .map(|(frames, (samples, cpu_ns))| WeightedStack {
            frames,
            samples,
            cpu_ns,
        })
        .collect();
    stacks.sort_by(|a, b| a.frames.cmp(&b.frames));
    Ok(Unit {
        requests: 1,
        stacks,
        no_stack_samples: no_stack,
    })
}

/// One side being read: its units, the requests they cover (each counted once, however
/// many units it is in), and the weakest attribution among its inputs.
struct SideBuilder {
    cohort: Cohort,
    requests: HashSet<String>,
    attribution: Option<Attribution>,
    fallback_ns: f64,
}

impl SideBuilder {
    /// Mixed inputs report the weakest attribution.
    fn attributed(&mut self, a: Attribution) {
        self.attribution = Some(match (self.attribution, a) {
            (Some(Attribution::Window), _) | (_, Attribution::Window) => Attribution::Window,
            (Some(Attribution::File), _) | (_, Attribution::File) => Attribution::File,
            _ => a,
        });
    }

    /// A unit covering `requests` (keys that name each request once).
    fn push(&mut self, mut unit: Unit, requests: Vec<String>) {
        unit.requests = u32::try_from(requests.len().max(1)).unwrap_or(u32::MAX);
        self.requests.extend(requests);
        self.cohort.units.push(unit);
    }

    /// A cohort directory: its manifest's units, each covering the requests it lists. A
    /// request listed by two windows' units is one request (as `profile trigger` counts it).
    fn cohort_dir(&mut self, dir: &Path, names: &mut Names) -> Result<()> {
        let what = dir.display().to_string();
        let c = cohort::load(dir)?;
        self.attributed(c.manifest.attribution);
        for (i, (entry, p)) in c.manifest.units.iter().zip(&c.profiles).enumerate() {
            let ns = if entry.cpu_ns_per_sample > 0.0 {
                entry.cpu_ns_per_sample
            } else {
                self.fallback_ns
            };
            let mut unit = unit_of(p, &mut p.samples.iter(), ns, names, &what)?;
            // The trigger stores no-stack samples in the manifest, not in the folded file.
            unit.no_stack_samples += entry.no_stack_samples;
            let mut keys: Vec<String> = entry
                .requests
                .iter()
                .map(|r| format!("trace {}", r.trace_id))
                .collect();
            if keys.is_empty() {
                keys.push(format!("unit {what} {i}"));
            }
            self.push(unit, keys);
        }
        Ok(())
    }

    /// A profile file: one unit per request id its samples carry (samples without one
    /// belong to no request in the cohort), or one unit for the whole file.
    fn file(&mut self, path: &Path, id_keys: &[String], names: &mut Names) -> Result<()> {
        let what = path.display().to_string();
        let p = profiles::load(&what)?;
        if !profiles::has_id_labels(&p, id_keys) {
            let unit = unit_of(&p, &mut p.samples.iter(), self.fallback_ns, names, &what)?;
            self.push(unit, vec![format!("file {what}")]);
            self.attributed(Attribution::File);
            return Ok(());
        }
        let mut by_id: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, s) in p.samples.iter().enumerate() {
            if let Some(id) = sample_ids(s, id_keys).into_iter().next() {
                by_id.entry(id).or_default().push(i);
            }
        }
        let mut ids: Vec<(String, Vec<usize>)> = by_id.into_iter().collect();
        ids.sort();
        for (id, idx) in ids {
            let mut it = idx.iter().filter_map(|&i| p.samples.get(i));
            let unit = unit_of(&p, &mut it, self.fallback_ns, names, &what)?;
            self.push(unit, vec![format!("id {id}")]);
        }
        self.attributed(Attribution::Label);
        Ok(())
    }
}

/// The profile files of a plain folder (no manifest.json), by name: regular files that are
/// not hidden. Subfolders are not entered.
fn profile_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let what = dir.display().to_string();
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        what: what.clone(),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file() || t.is_symlink()))
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Error::input(
            &what,
            "holds no profile files (and no manifest.json): pass a cohort directory written by \
             `profile trigger`, a folder of profiles, or profile files",
        ));
    }
    Ok(files)
}

/// Load one side: cohort directories, plain folders of profiles, or profile files.
pub fn load_side(
    paths: &[PathBuf],
    frequency: u32,
    id_keys: &[String],
    names: &mut Names,
) -> Result<Loaded> {
    let mut b = SideBuilder {
        cohort: Cohort::default(),
        requests: HashSet::new(),
        attribution: None,
        fallback_ns: 1e9 / f64::from(frequency.max(1)),
    };
    for path in paths {
        if cohort::is_cohort_dir(path) {
            b.cohort_dir(path, names)?;
        } else if path.is_dir() {
            for file in profile_files(path)? {
                b.file(&file, id_keys, names)?;
            }
        } else {
            b.file(path, id_keys, names)?;
        }
    }
    let attribution = b.attribution.unwrap_or(Attribution::File);
    let mut cohort = b.cohort;
    cohort.requests = Some(b.requests.len() as u64);
    Ok(Loaded {
        cohort,
        side: Side {
            inputs: paths.iter().map(|p| p.display().to_string()).collect(),
            attribution: match attribution {
                Attribution::Label => "request",
                Attribution::Window => "window",
                Attribution::File => "file",
            }
            .into(),
        },
        attribution,
    })
}
