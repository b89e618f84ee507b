//! The cohort directory `profile trigger` writes and `profile compare` reads:
//!
//! ```text
//! <dir>/manifest.json        what was collected, how, and which requests each profile covers
//! <dir>/profiles/0001.folded  one profile per unit, folded stacks, counts in samples
//! ```
//!
//! A unit is one request when samples were tied to it by a span or trace id label, or one
//! collection window (covering the requests that ran in it) otherwise; `attribution` in the
//! manifest says which. The directory is built under a temporary name beside its final
//! path and renamed into place when complete, so a cohort directory is never half-written.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::profile::Profile;

pub const MANIFEST: &str = "manifest.json";
pub const KIND: &str = "tracediag-profile-cohort";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attribution {
    /// Samples carried a span or trace id label: one unit per request.
    Label,
    /// Samples carried no id: one unit per collection window, tied to the requests that ran
    /// on the service during it.
    Window,
    /// Profile files given directly, one unit per file.
    File,
}

impl Attribution {
    pub fn describe(self) -> &'static str {
        match self {
            Attribution::Label => "request (samples tied to traces by id labels)",
            Attribution::Window => {
                "time window (samples not tied to requests; each profile window is attributed to the requests that ran in it)"
            }
            Attribution::File => "profile file",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestInfo {
    pub trace_id: String,
    pub span_id: String,
    pub operation: String,
    pub start: String,
    pub duration_ms: f64,
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitEntry {
    /// Path of the folded profile, relative to the cohort directory.
    pub file: String,
    pub samples: u64,
    /// CPU time one sample stands for.
    pub cpu_ns_per_sample: f64,
    /// Samples in which the profiler read no stack: not in the folded file (a stack-less
    /// line is not folded stacks to other tools), counted here.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub no_stack_samples: u64,
    pub window_start: String,
    pub window_end: String,
    pub requests: Vec<RequestInfo>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub schema_version: String,
    pub kind: String,
    pub created: String,
    /// False when collection was interrupted (Ctrl-C); what was collected is kept.
    pub complete: bool,
    /// `count`, `timeout` or `interrupt`.
    pub stopped_by: String,
    pub cohort: String,
    pub source: String,
    pub service: String,
    pub criteria: serde_json::Value,
    pub collector: String,
    pub frequency_hz: u32,
    pub attribution: Attribution,
    pub units: Vec<UnitEntry>,
}

/// A cohort read back: each unit's profile with its manifest entry.
#[derive(Debug)]
pub struct LoadedCohort {
    pub dir: PathBuf,
    pub manifest: Manifest,
    pub profiles: Vec<Profile>,
}

pub fn is_cohort_dir(path: &Path) -> bool {
    path.is_dir() && path.join(MANIFEST).is_file()
}

pub fn load(dir: &Path) -> Result<LoadedCohort> {
    let what = dir.display().to_string();
    let bytes = std::fs::read(dir.join(MANIFEST)).map_err(|source| Error::Io {
        what: format!("{what}/{MANIFEST}"),
        source,
    })?;
    let manifest: Manifest = serde_json::from_slice(&bytes)
        .map_err(|e| Error::input(&what, format!("{MANIFEST} is not a cohort manifest: {e}")))?;
    if manifest.kind != KIND {
        return Err(Error::input(
            &what,
            format!("{MANIFEST} is not a {KIND} manifest"),
        ));
    }
    let mut profiles = Vec::with_capacity(manifest.units.len());
    for u in &manifest.units {
        // The manifest is data: a unit path must stay inside the cohort directory.
        let rel = Path::new(&u.file);
        if rel.is_absolute()
            || rel
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir))
        {
            return Err(Error::input(
                &what,
                format!("unit path {:?} leaves the cohort directory", u.file),
            ));
        }
        let path = dir.join(rel);
        // An empty unit file is a unit that burned no CPU while profiled, not an error.
        let empty = std::fs::metadata(&path)
            .map(|m| m.len() == 0)
            .unwrap_or(false);
        profiles.push(if empty && u.samples == 0 {
            Profile::new(
                crate::model::profile::ProfileFormat::Folded,
                vec![crate::model::profile::ValueType::new("samples", "count")],
            )
        } else {
            super::load(&path.display().to_string())?
        });
    }
    Ok(LoadedCohort {
        dir: dir.to_path_buf(),
        manifest,
        profiles,
    })
}

/// A cohort being written: under `<final>.partial-<pid>` until [`Writer::finish`].
pub struct Writer {
    pub tmp: PathBuf,
    pub dest: PathBuf,
    next: usize,
}

impl Writer {
    /// Refuse an existing non-empty destination up front: collection can take minutes and
    /// must not end in "cannot write".
    pub fn create(dest: &Path) -> Result<Writer> {
        if dest.exists() {
            let empty = std::fs::read_dir(dest)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false);
            if !empty {
                return Err(Error::Usage(format!(
                    "{} already exists; choose a new cohort directory",
                    dest.display()
                )));
            }
        }
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "cohort".into());
        let tmp = dest.with_file_name(format!(".{name}.partial-{}", std::process::id()));
        let io = |source| Error::Io {
            what: tmp.display().to_string(),
            source,
        };
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(io)?;
        }
        std::fs::create_dir_all(tmp.join("profiles")).map_err(io)?;
        Ok(Writer {
            tmp,
            dest: dest.to_path_buf(),
            next: 0,
        })
    }

    /// Store one unit's folded stacks; returns the manifest path.
    pub fn add(&mut self, folded: &str) -> Result<String> {
        self.next += 1;
        let rel = format!("profiles/{:04}.folded", self.next);
        let path = self.tmp.join(&rel);
        std::fs::write(&path, folded).map_err(|source| Error::Io {
            what: path.display().to_string(),
            source,
        })?;
        Ok(rel)
    }

    /// Write the manifest and move the directory into place.
    pub fn finish(self, manifest: &Manifest) -> Result<PathBuf> {
        let io = |what: &Path| {
            let what = what.display().to_string();
            move |source| Error::Io { what, source }
        };
        let mut json = serde_json::to_string_pretty(manifest)
            .map_err(|e| Error::Usage(format!("cannot render the manifest: {e}")))?;
        json.push('\n');
        let path = self.tmp.join(MANIFEST);
        std::fs::write(&path, json).map_err(io(&path))?;
        if self.dest.exists() {
            // Checked empty at creation; rename(2) cannot replace a directory on every platform.
            std::fs::remove_dir(&self.dest).map_err(io(&self.dest))?;
        }
        std::fs::rename(&self.tmp, &self.dest).map_err(io(&self.dest))?;
        Ok(self.dest)
    }

    /// Drop everything written (nothing was collected).
    pub fn abandon(self) {
        let _ = std::fs::remove_dir_all(&self.tmp);
    }
}
