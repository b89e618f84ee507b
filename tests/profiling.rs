//! Profiles: every file in `$TRACEDIAG_FIXTURES/profiles` decodes to the sample totals its
//! README states, `perf script` collapses byte for byte as inferno's own test expects, and
//! hostile input is an error, never a panic. The fixture tests are ignored unless asked for
//! (`--include-ignored`) and then fail with a hint when TRACEDIAG_FIXTURES is unset: the
//! fixtures are third-party files kept beside the repository.

use std::path::PathBuf;

mod common;

use tracediag::model::profile::{LabelValue, ProfileFormat};
use tracediag::source::profile::{decode, perf_script};

use profile_util::{parse_differential, totals};

/// `$TRACEDIAG_FIXTURES/profiles`; fails with a hint when TRACEDIAG_FIXTURES is unset.
fn profiles() -> PathBuf {
    common::require_fixtures().join("profiles")
}

fn read(path: &std::path::Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// What the tests read profiles through beyond the product's own API: summed values,
/// folded stacks, three-column differential files, and profile.proto encoding (to build
/// labelled pprof input).
mod profile_util {
    use std::collections::HashMap;

    use prost::Message;
    use tracediag::model::profile::{LabelValue, Profile, ProfileFormat, ValueType};
    use tracediag::source::profile::folded;
    use tracediag::source::profile::pprof::{
        PbFunction, PbLabel, PbLine, PbLocation, PbProfile, PbSample, PbValueType,
    };

    /// The summed value of every sample, per sample type.
    pub fn totals(p: &Profile) -> Vec<i64> {
        let mut t = vec![0i64; p.sample_types.len()];
        for s in &p.samples {
            for (acc, v) in t.iter_mut().zip(&s.values) {
                *acc = acc.saturating_add(*v);
            }
        }
        t
    }

    /// Folded stacks (`a;b;c N`), one line per distinct stack, sorted, with the value at
    /// `value_index`.
    pub fn folded_text(p: &Profile, value_index: usize) -> String {
        let mut agg: HashMap<&[u32], i64> = HashMap::new();
        for s in &p.samples {
            let v = s.values.get(value_index).copied().unwrap_or(0);
            if v > 0 && !s.stack.is_empty() {
                let e = agg.entry(s.stack.as_slice()).or_insert(0);
                *e = e.saturating_add(v);
            }
        }
        let mut lines: Vec<String> = agg
            .into_iter()
            .map(|(stack, v)| {
                let names: Vec<&str> = stack.iter().map(|&f| p.frame(f)).collect();
                format!("{} {v}", names.join(";"))
            })
            .collect();
        lines.sort();
        let mut out = lines.join("\n");
        if !out.is_empty() {
            out.push('\n');
        }
        out
    }

    /// Three-column differential stacks (`stack BEFORE AFTER`) as the two profiles, each
    /// read by the folded reader.
    pub fn parse_differential(text: &str) -> Result<(Profile, Profile), String> {
        let (mut before, mut after) = (String::new(), String::new());
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let split = |s: &str| {
                s.trim_end()
                    .rsplit_once([' ', '\t'])
                    .map(|(a, b)| (a.to_string(), b.to_string()))
            };
            let Some(((stack, a), b)) = split(line).and_then(|(rest, b)| Some((split(&rest)?, b)))
            else {
                return Err(format!(
                    "line {}: not a differential line (`stack BEFORE AFTER`)",
                    n + 1
                ));
            };
            before.push_str(&format!("{} {a}\n", stack.trim_end()));
            after.push_str(&format!("{} {b}\n", stack.trim_end()));
        }
        Ok((
            folded::parse(&before, ProfileFormat::Folded)?,
            folded::parse(&after, ProfileFormat::Folded)?,
        ))
    }

    /// A profile as profile.proto (uncompressed): one function and one location per frame.
    pub fn encode(p: &Profile) -> Vec<u8> {
        let mut strings: Vec<String> = vec![String::new()];
        let mut index: HashMap<String, i64> = HashMap::new();
        let mut str_id = |x: &str, strings: &mut Vec<String>| -> i64 {
            if x.is_empty() {
                return 0;
            }
            if let Some(&i) = index.get(x) {
                return i;
            }
            let i = strings.len() as i64;
            strings.push(x.to_string());
            index.insert(x.to_string(), i);
            i
        };
        let mut vt = |v: &ValueType, strings: &mut Vec<String>| PbValueType {
            r#type: str_id(&v.kind, strings),
            unit: str_id(&v.unit, strings),
        };
        let sample_type = p.sample_types.iter().map(|v| vt(v, &mut strings)).collect();
        let period_type = p.period_type.as_ref().map(|v| vt(v, &mut strings));
        // Ids start at 1: 0 means "none" in pprof.
        let mut function = Vec::with_capacity(p.frames.len());
        let mut location = Vec::with_capacity(p.frames.len());
        for (i, name) in p.frames.iter().enumerate() {
            let id = i as u64 + 1;
            function.push(PbFunction {
                id,
                name: str_id(name, &mut strings),
                system_name: 0,
                filename: 0,
            });
            location.push(PbLocation {
                id,
                address: 0,
                line: vec![PbLine {
                    function_id: id,
                    line: 0,
                }],
            });
        }
        let sample = p
            .samples
            .iter()
            .map(|smp| PbSample {
                location_id: smp.stack.iter().rev().map(|&f| u64::from(f) + 1).collect(),
                value: smp.values.clone(),
                label: smp
                    .labels
                    .iter()
                    .map(|l| match &l.value {
                        LabelValue::Str(v) => PbLabel {
                            key: str_id(&l.key, &mut strings),
                            str: str_id(v, &mut strings),
                            num: 0,
                            num_unit: 0,
                        },
                        LabelValue::Num { value, unit } => PbLabel {
                            key: str_id(&l.key, &mut strings),
                            str: 0,
                            num: *value,
                            num_unit: unit.as_deref().map_or(0, |u| str_id(u, &mut strings)),
                        },
                    })
                    .collect(),
            })
            .collect();
        PbProfile {
            sample_type,
            sample,
            location,
            function,
            string_table: strings,
            time_nanos: p.time_ns.unwrap_or(0),
            duration_nanos: p.duration_ns.unwrap_or(0),
            period_type,
            period: p.period,
        }
        .encode_to_vec()
    }

    #[test]
    fn differential_columns() {
        let (b, a) = parse_differential("a;b 1 2\na;c 3 0\n").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(totals(&b), vec![4]);
        assert_eq!(totals(&a), vec![2]);
    }

    #[test]
    fn pprof_round_trip() {
        use tracediag::model::profile::{Label, Sample};
        use tracediag::source::profile::decode;

        let mut p = Profile::new(
            ProfileFormat::Pprof,
            vec![ValueType::new("samples", "count")],
        );
        let a = p.intern("main");
        let b = p.intern("work");
        p.samples.push(Sample {
            stack: vec![a, b],
            values: vec![3],
            labels: vec![Label {
                key: "span_id".into(),
                value: LabelValue::Str("abc".into()),
            }],
        });
        let bytes = encode(&p);
        let q = decode(&bytes, "t").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(folded_text(&q, 0), "main;work 3\n");
        assert_eq!(q.samples[0].labels, p.samples[0].labels);
    }
}

/// (file, sample records, totals per sample type) from the fixture README.
const PPROF: &[(&str, usize, &[i64])] = &[
    (
        "pprof/google-pprof_go-cpu-sample.pb.gz",
        76,
        &[176, 1_760_000_000],
    ),
    (
        "pprof/google-pprof_go-cpu-large.pb.gz",
        20_430,
        &[24_029, 240_290_000_000],
    ),
    (
        "pprof/parca_go-cpu-api-label.pb.gz",
        121,
        &[173, 1_730_000_000],
    ),
    ("pprof/parca_cpu-thread-labels.pb.gz", 439, &[462]),
    (
        "pprof/parca_go-cpu-fib.pb.gz",
        120,
        &[2_974, 29_740_000_000],
    ),
    ("pprof/parca_two-stacks.pb.gz", 2, &[368_421_046]),
    (
        "pprof/parca_go-heap-num-labels.pb.gz",
        54,
        &[83_487, 51_965_338, 73_788, 48_928_729],
    ),
];

/// (file, lines, total count).
const FOLDED: &[(&str, usize, i64)] = &[
    ("folded/local_pyspy-slow-cohort.folded", 12, 299),
    ("folded/local_pyspy-fast-cohort.folded", 15, 299),
    ("folded/inferno_diff-before.folded", 8, 65),
    ("folded/inferno_diff-after.folded", 8, 80),
    ("folded/flamegraph_perf-iperf-collapsed.folded", 106, 200),
    (
        "folded/flamegraph_perf-vertx-java-collapsed.folded",
        199,
        285,
    ),
];

#[test]
#[ignore = "needs TRACEDIAG_FIXTURES (the shared fixtures folder)"]
fn every_fixture_is_covered() {
    let dir = profiles();
    let mut known: Vec<&str> = PPROF.iter().map(|p| p.0).collect();
    known.extend(FOLDED.iter().map(|f| f.0));
    known.extend([
        "folded/inferno_perf-cycles-instructions-diff.3col",
        "perf-script/inferno_go-stacks.perf-script.txt",
        "perf-script/inferno_go-stacks.expected.folded",
        "perf-script/flamegraph_example-perf-stacks.perf-script.txt.gz",
    ]);
    for sub in ["pprof", "folded", "perf-script"] {
        let entries = std::fs::read_dir(dir.join(sub)).unwrap_or_else(|e| panic!("{sub}: {e}"));
        for entry in entries.flatten() {
            let name = format!("{sub}/{}", entry.file_name().to_string_lossy());
            assert!(known.contains(&name.as_str()), "fixture {name} has no test");
        }
    }
}

#[test]
#[ignore = "needs TRACEDIAG_FIXTURES (the shared fixtures folder)"]
fn pprof_fixtures_match_readme_totals() {
    let dir = profiles();
    for (file, samples, totals) in PPROF {
        let p = decode(&read(&dir.join(file)), file).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(p.format, ProfileFormat::Pprof, "{file}");
        assert_eq!(p.samples.len(), *samples, "{file}: sample records");
        let got = profile_util::totals(&p);
        assert_eq!(got.len(), totals.len(), "{file}: sample types");
        for (g, want) in got.iter().zip(totals.iter()) {
            // The README rounds the large CPU totals to three significant digits.
            let tolerance = (*want as f64 * 0.005).max(0.0);
            assert!(
                (*g as f64 - *want as f64).abs() <= tolerance,
                "{file}: total {g}, README says {want}"
            );
        }
    }
}

#[test]
#[ignore = "needs TRACEDIAG_FIXTURES (the shared fixtures folder)"]
fn pprof_labels_periods_and_types() {
    let dir = profiles();
    let load = |f: &str| decode(&read(&dir.join(f)), f).unwrap_or_else(|e| panic!("{f}: {e}"));

    let p = load("pprof/google-pprof_go-cpu-sample.pb.gz");
    assert_eq!(p.period, 10_000_000);
    let view = p.cpu_view().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(view.ns_per_unit, Some(10_000_000.0));
    assert_eq!(p.sample_types[view.value_index].kind, "samples");

    let p = load("pprof/parca_go-cpu-api-label.pb.gz");
    let labelled = p
        .samples
        .iter()
        .filter(|s| s.label("api") == Some(&LabelValue::Str("query".into())))
        .count();
    assert_eq!(labelled, 11);

    let p = load("pprof/parca_cpu-thread-labels.pb.gz");
    assert!(p
        .samples
        .iter()
        .all(|s| s.label("thread_name") == Some(&LabelValue::Str("parca".into()))));
    let mut threads: Vec<String> = p
        .samples
        .iter()
        .filter_map(|s| match s.label("thread_id") {
            Some(LabelValue::Str(v)) => Some(v.clone()),
            Some(LabelValue::Num { value, .. }) => Some(value.to_string()),
            None => None,
        })
        .collect();
    threads.sort();
    threads.dedup();
    assert_eq!(threads.len(), 6);

    let p = load("pprof/parca_go-heap-num-labels.pb.gz");
    let numeric: Vec<i64> = p
        .samples
        .iter()
        .filter_map(|s| match s.label("bytes") {
            Some(LabelValue::Num { value, .. }) => Some(*value),
            _ => None,
        })
        .collect();
    assert_eq!(numeric.len(), 18);
    let mut distinct = numeric.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 14);
    let err = p
        .cpu_view()
        .expect_err("a heap profile is not a CPU profile");
    assert!(err.contains("not a CPU profile"), "{err}");

    let p = load("pprof/parca_two-stacks.pb.gz");
    let view = p.cpu_view().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(view.ns_per_unit, Some(1.0));

    // Deep recursion: fib appears many times on one stack.
    let p = load("pprof/parca_go-cpu-fib.pb.gz");
    let deepest = p.samples.iter().map(|s| s.stack.len()).max().unwrap_or(0);
    assert!(deepest > 20, "fib stacks are deep, got {deepest}");
}

#[test]
#[ignore = "needs TRACEDIAG_FIXTURES (the shared fixtures folder)"]
fn folded_fixtures_match_readme_totals() {
    let dir = profiles();
    for (file, lines, total) in FOLDED {
        let p = decode(&read(&dir.join(file)), file).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(p.samples.len(), *lines, "{file}: lines");
        assert_eq!(totals(&p), vec![*total], "{file}: total");
        if file.contains("pyspy") {
            assert_eq!(p.format, ProfileFormat::PySpy, "{file}");
            assert!(p.frames.iter().all(|f| !f.ends_with(char::is_numeric)));
        }
    }
}

#[test]
#[ignore = "needs TRACEDIAG_FIXTURES (the shared fixtures folder)"]
fn three_column_differential_fixture() {
    let dir = profiles();
    let file = "folded/inferno_perf-cycles-instructions-diff.3col";
    let text = String::from_utf8(read(&dir.join(file))).unwrap_or_default();
    let (before, after) = parse_differential(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(totals(&before), vec![333]);
    assert_eq!(totals(&after), vec![513]);
    assert!(
        decode(text.as_bytes(), file).is_err(),
        "a 3-column file is not one profile"
    );
}

#[test]
#[ignore = "needs TRACEDIAG_FIXTURES (the shared fixtures folder)"]
fn perf_script_collapses_byte_for_byte() {
    let dir = profiles();
    let input = read(&dir.join("perf-script/inferno_go-stacks.perf-script.txt"));
    let expected = read(&dir.join("perf-script/inferno_go-stacks.expected.folded"));
    let got =
        perf_script::collapse(&String::from_utf8_lossy(&input)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(got.as_bytes(), &expected[..]);

    let p = decode(&input, "go-stacks").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.format, ProfileFormat::PerfScript);
    assert_eq!(p.samples.len(), 5);
    assert_eq!(totals(&p), vec![1_250_000]);
    // Weighted by the cpu-clock period: nanoseconds, not samples.
    assert_eq!(p.sample_types[0].unit, "nanoseconds");
}

#[test]
#[ignore = "needs TRACEDIAG_FIXTURES (the shared fixtures folder)"]
fn gzipped_old_perf_script() {
    let dir = profiles();
    let file = "perf-script/flamegraph_example-perf-stacks.perf-script.txt.gz";
    let p = decode(&read(&dir.join(file)), file).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.format, ProfileFormat::PerfScript);
    assert_eq!(p.samples.len(), 710);
    assert_eq!(totals(&p), vec![1_315]);
    assert_eq!(p.sample_types[0].unit, "count");
}

#[test]
fn legacy_and_garbage_inputs_are_errors() {
    let cases: &[&[u8]] = &[
        b"",
        b"\n\n",
        b"\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00",
        b"--- contention:\ncycles/second=3000000000\n",
        b"\x1f\x8b",
        b"{\"flamebearer\": 3}",
        b"{\"flamebearer\":{\"names\":[\"total\"],\"levels\":[[0,1,1,7]]}}",
    ];
    for c in cases {
        assert!(
            decode(c, "input").is_err(),
            "{:?} should be refused",
            String::from_utf8_lossy(c)
        );
    }
}

// ---------------------------------------------------------------------------------------
// Statistics: seeded simulations.

mod stats {
    use tracediag::analysis::hotspots::{
        compare, Cohort, Options, Significance, SplitMix64, Unit, WeightedStack,
    };

    const LEAVES: u32 = 10;

    /// One request: a request type (some requests take a different code path, which is
    /// what makes samples within a request correlated), 1–8 samples drawn from that type's
    /// leaf distribution; `slow_share` of samples go to the extra function `LEAVES + 1`.
    fn request(rng: &mut SplitMix64, slow_share: f64) -> Unit {
        let kind = rng.below(4) as u32;
        let samples = 1 + rng.below(8);
        let mut stacks = Vec::new();
        for _ in 0..samples {
            let leaf = if rng.unit() < slow_share {
                LEAVES + 1
            } else if rng.unit() < 0.7 {
                // Mostly the type's own two functions...
                1 + 2 * kind + rng.below(2) as u32
            } else {
                // ...sometimes any function.
                1 + rng.below(u64::from(LEAVES)) as u32
            };
            stacks.push(WeightedStack {
                frames: vec![0, leaf],
                samples: 1,
                cpu_ns: 1e7,
            });
        }
        Unit {
            requests: 1,
            stacks,
            no_stack_samples: 0,
        }
    }

    fn cohort(rng: &mut SplitMix64, n: usize, slow_share: f64) -> Cohort {
        Cohort {
            units: (0..n).map(|_| request(rng, slow_share)).collect(),
            requests: None,
        }
    }

    fn names() -> Vec<String> {
        (0..=LEAVES + 1).map(|i| format!("f{i}")).collect()
    }

    /// The pooled two-proportion z-test over samples, for contrast: it treats correlated
    /// samples as independent.
    fn pooled_z_rejects(a: &Cohort, b: &Cohort, f: u32) -> bool {
        let count = |c: &Cohort| {
            let mut hit = 0.0;
            let mut all = 0.0;
            for u in &c.units {
                for s in &u.stacks {
                    all += s.samples as f64;
                    if s.frames.last() == Some(&f) {
                        hit += s.samples as f64;
                    }
                }
            }
            (hit, all)
        };
        let ((x1, n1), (x2, n2)) = (count(a), count(b));
        let p = (x1 + x2) / (n1 + n2);
        let se = (p * (1.0 - p) * (1.0 / n1 + 1.0 / n2)).sqrt();
        se > 0.0 && ((x1 / n1 - x2 / n2) / se).abs() > 1.959_964
    }

    #[test]
    fn false_positive_rate_near_alpha_on_identical_cohorts() {
        let mut rng = SplitMix64::new(20_240_501);
        let o = Options {
            permutations: 500,
            min_samples: 10,
            min_units: 3,
            ..Options::default()
        };
        let sims = 200;
        let (mut tests, mut rejected, mut any_bh, mut pooled) = (0usize, 0usize, 0usize, 0usize);
        for sim in 0..sims {
            let a = cohort(&mut rng, 40, 0.0);
            let b = cohort(&mut rng, 40, 0.0);
            let c = compare(
                &names(),
                &a,
                &b,
                &Options {
                    seed: sim as u64,
                    ..o
                },
            );
            for h in &c.hotspots {
                if let Some(p) = h.self_time.p_value {
                    tests += 1;
                    rejected += usize::from(p <= 0.05);
                }
            }
            any_bh += usize::from(
                c.hotspots
                    .iter()
                    .any(|h| h.self_time.significance <= Significance::Medium),
            );
            pooled += (1..=LEAVES)
                .filter(|&f| pooled_z_rejects(&a, &b, f))
                .count();
        }
        let rate = rejected as f64 / tests as f64;
        let family = any_bh as f64 / sims as f64;
        let pooled_rate = pooled as f64 / (sims * LEAVES as usize) as f64;
        eprintln!(
            "null simulation: {sims} comparisons of 40 vs 40 requests, {tests} tests: \
             permutation p ≤ 0.05 in {:.1}% of tests; BH-significant function in {:.1}% of \
             comparisons; pooled z-test over samples rejects {:.1}%",
            rate * 100.0,
            family * 100.0,
            pooled_rate * 100.0
        );
        assert!(tests > 1_000, "too few tests ran: {tests}");
        assert!(
            (0.03..=0.07).contains(&rate),
            "per-test false-positive rate {rate}"
        );
        assert!(family <= 0.08, "comparisons with a BH finding: {family}");
    }

    #[test]
    fn known_shift_is_detected() {
        let mut rng = SplitMix64::new(7);
        let mut detected = 0;
        let sims = 20;
        for sim in 0..sims {
            // 25 % of A's samples are in the slow function, 2 % of B's.
            let a = cohort(&mut rng, 40, 0.25);
            let b = cohort(&mut rng, 40, 0.02);
            let c = compare(
                &names(),
                &a,
                &b,
                &Options {
                    seed: sim,
                    ..Options::default()
                },
            );
            let top = &c.hotspots[0];
            if top.function == format!("f{}", LEAVES + 1)
                && top.self_time.significance <= Significance::Medium
                && top.self_time.delta_pp > 15.0
            {
                detected += 1;
            }
        }
        assert!(detected >= sims - 1, "shift detected in {detected}/{sims}");
    }
}

// ---------------------------------------------------------------------------------------
// Differential flame graph: hostile frame names still give valid XML.

#[test]
fn svg_is_valid_xml_for_hostile_frame_names() {
    use tracediag::analysis::hotspots::{Cohort, Unit, WeightedStack};
    use tracediag::commands::profile::compare::differential_lines;
    use tracediag::report::hotspots::flamegraph_svg;

    let names: Vec<String> = vec![
        "main".into(),
        "</title><script>alert(1)</script>".into(),
        "ctl\x00\x01\x07\x1b[2J\x7f\u{202e}chars".into(),
        "semi;colon;frame 12".into(),
        "x".repeat(10_240),
        "amp & \"quotes\" 'single' <!-- comment -- -->".into(),
        "\n\t ".into(),
    ];
    let stack = |leaf: u32, n: u64| WeightedStack {
        frames: vec![0, leaf],
        samples: n,
        cpu_ns: n as f64,
    };
    let a = Cohort {
        units: vec![Unit {
            requests: 1,
            stacks: (1..7).map(|f| stack(f, 3 + u64::from(f))).collect(),
            no_stack_samples: 0,
        }],
        requests: None,
    };
    let b = Cohort {
        units: vec![Unit {
            requests: 1,
            stacks: (1..7).map(|f| stack(f, 9 - u64::from(f))).collect(),
            no_stack_samples: 0,
        }],
        requests: None,
    };
    let lines = differential_lines(&names, &a, &b);
    for l in &lines {
        // Exactly three columns: the stack never gains a separator or a line break.
        assert_eq!(l.lines().count(), 1);
        let mut it = l.rsplitn(3, ' ');
        assert!(it.next().is_some_and(|c| c.parse::<u64>().is_ok()), "{l}");
        assert!(it.next().is_some_and(|c| c.parse::<u64>().is_ok()), "{l}");
        assert_eq!(it.next().map(|s| s.split(';').count()), Some(2), "{l}");
    }
    let svg = flamegraph_svg(&lines).unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8(svg.clone()).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !text.contains("<script>alert"),
        "frame names must be escaped"
    );
    assert!(!text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')));
    let mut reader = quick_xml::Reader::from_reader(&svg[..]);
    let mut buf = Vec::new();
    let mut elements = 0;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(_)) => elements += 1,
            Ok(_) => {}
            Err(e) => panic!("invalid XML at {}: {e}", reader.buffer_position()),
        }
        buf.clear();
    }
    assert!(elements > 10);
    // Same input, same bytes.
    assert_eq!(flamegraph_svg(&lines).ok(), Some(svg));
    assert!(flamegraph_svg(&[]).is_err());
}

// ---------------------------------------------------------------------------------------
// Label attribution: trigger against a pprof endpoint whose samples carry span ids, and
// compare on a labelled pprof file.

mod labels {
    use std::process::Command;

    use super::profile_util::encode;
    use tracediag::model::profile::{Label, LabelValue, Profile, ProfileFormat, Sample, ValueType};

    fn labelled_pprof(spans: &[(&str, &str, i64)]) -> Vec<u8> {
        let mut p = Profile::new(
            ProfileFormat::Pprof,
            vec![ValueType::new("samples", "count")],
        );
        p.period_type = Some(ValueType::new("cpu", "nanoseconds"));
        p.period = 10_000_000;
        let main = p.intern("main");
        for (span, leaf, n) in spans {
            let f = p.intern(leaf);
            p.samples.push(Sample {
                stack: vec![main, f],
                values: vec![*n],
                labels: vec![Label {
                    key: "span_id".into(),
                    value: LabelValue::Str((*span).into()),
                }],
            });
        }
        encode(&p)
    }

    fn now_ns() -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i64)
    }

    /// Two requests running now: `/pay` (span …01) and `/health` (span …02).
    fn traces_now() -> String {
        let start = now_ns() - 1_000_000_000;
        let span = |trace: &str, span: &str, route: &str| {
            format!(
                r#"{{"traceId":"{trace}","spanId":"{span}","name":"GET {route}","kind":2,"startTimeUnixNano":"{start}","endTimeUnixNano":"{}","attributes":[{{"key":"http.route","value":{{"stringValue":"{route}"}}}}]}}"#,
                start + 30_000_000_000
            )
        };
        format!(
            r#"{{"resourceSpans":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"api"}}}}]}},"scopeSpans":[{{"spans":[{},{}]}}]}}]}}"#,
            span(
                "0000000000000000000000000000000a",
                "0000000000000001",
                "/pay"
            ),
            span(
                "0000000000000000000000000000000b",
                "0000000000000002",
                "/health"
            )
        ) + "\n"
    }

    #[test]
    fn trigger_ties_labelled_samples_to_requests() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let traces = dir.path().join("traces.jsonl");
        std::fs::write(&traces, traces_now()).unwrap_or_else(|e| panic!("{e}"));
        let mut server = mockito::Server::new();
        let body = labelled_pprof(&[
            ("0000000000000001", "slow", 40),
            ("0000000000000002", "fast", 3),
            ("00000000000000ff", "other", 5),
        ]);
        let _m = server
            .mock("GET", "/debug/pprof/profile")
            .match_query(mockito::Matcher::UrlEncoded("seconds".into(), "1".into()))
            .with_body(body)
            .create();
        let out = Command::new(env!("CARGO_BIN_EXE_tracediag"))
            .args([
                "profile",
                "trigger",
                "--service",
                "api",
                "--url-pattern",
                "/pay*",
            ])
            .args([
                "--count",
                "1",
                "--window",
                "1s",
                "--max-wait",
                "30s",
                "--format",
                "json",
            ])
            .arg("--source")
            .arg(&traces)
            .arg("--out")
            .arg(dir.path().join("slow"))
            .arg("--baseline")
            .arg(dir.path().join("fast"))
            .arg("--pprof-url")
            .arg(format!("{}/debug/pprof/profile", server.url()))
            .env("TRACEDIAG_CONFIG", dir.path().join("none.toml"))
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}{stdout}",
            String::from_utf8_lossy(&out.stderr)
        );
        let read = |d: &str| -> serde_json::Value {
            let bytes = std::fs::read(dir.path().join(d).join("manifest.json")).unwrap_or_default();
            serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{d}: {e}"))
        };
        let slow = read("slow");
        assert_eq!(slow["attribution"], "label");
        assert_eq!(slow["stopped_by"], "count");
        assert_eq!(slow["units"].as_array().map(Vec::len), Some(1));
        assert_eq!(
            slow["units"][0]["requests"][0]["span_id"],
            "0000000000000001"
        );
        // The mock answers at once, so several windows may run before the first is
        // attributed: each adds the request's own samples, and only those.
        let n = slow["units"][0]["samples"].as_u64().unwrap_or(0);
        assert!(n >= 40 && n % 40 == 0, "{n}");
        let folded = std::fs::read_to_string(dir.path().join("slow/profiles/0001.folded"))
            .unwrap_or_default();
        assert_eq!(folded, format!("main;slow {n}\n"));
        let fast = read("fast");
        let m = fast["units"][0]["samples"].as_u64().unwrap_or(0);
        assert!(m >= 3 && m % 3 == 0 && m / 3 == n / 40, "{m}");
        // No leftovers beside the cohorts.
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().to_string())
                    .collect()
            })
            .unwrap_or_default();
        assert!(names.iter().all(|n| !n.contains("partial")), "{names:?}");
    }

    #[test]
    fn compare_splits_a_labelled_profile_by_request() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let a: Vec<(String, &str, i64)> =
            (0..12).map(|i| (format!("{i:016x}"), "slow", 20)).collect();
        let b: Vec<(String, &str, i64)> = (100..112)
            .map(|i| (format!("{i:016x}"), "fast", 20))
            .collect();
        let refs = |v: &[(String, &str, i64)]| -> Vec<u8> {
            let r: Vec<(&str, &str, i64)> =
                v.iter().map(|(s, l, n)| (s.as_str(), *l, *n)).collect();
            labelled_pprof(&r)
        };
        std::fs::write(dir.path().join("a.pb"), refs(&a)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("b.pb"), refs(&b)).unwrap_or_else(|e| panic!("{e}"));
        let out = Command::new(env!("CARGO_BIN_EXE_tracediag"))
            .args(["profile", "compare", "--format", "json", "--a"])
            .arg(dir.path().join("a.pb"))
            .arg("--b")
            .arg(dir.path().join("b.pb"))
            .arg("--folded")
            .arg(dir.path().join("diff.3col"))
            .env("TRACEDIAG_CONFIG", dir.path().join("none.toml"))
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        crate::common::validate("profile-compare", &String::from_utf8_lossy(&out.stdout));
        assert_eq!(doc["a"]["units"], 12);
        assert_eq!(doc["a"]["attribution"], "request");
        assert_eq!(doc["hotspots"][0]["significance"], "high");
        assert_eq!(doc["a"]["cpu_ms_per_request"], 200.0);
        let folded = std::fs::read_to_string(dir.path().join("diff.3col")).unwrap_or_default();
        assert_eq!(folded, "main;fast 240 0\nmain;slow 0 240\n");
    }

    /// RFD 080's form: one labelled profile, split by filters over the requests' traces.
    #[test]
    fn compare_splits_by_trace_filters() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        // 24 requests: the 12 slow ones (1.5 s) burn their CPU in `parse_slowly`, the 12 fast
        // ones (40 ms) in `parse`. Samples carry the root span id.
        let mut spans = Vec::new();
        let mut samples: Vec<(String, &str, i64)> = Vec::new();
        for i in 0..24u32 {
            let slow = i % 2 == 0;
            let (span_id, trace_id) = (format!("{:016x}", i + 1), format!("{:032x}", i + 1));
            let start = 1_700_000_000_000_000_000i64 + i64::from(i) * 2_000_000_000;
            let dur = if slow { 1_500_000_000 } else { 40_000_000 };
            spans.push(format!(
                r#"{{"traceId":"{trace_id}","spanId":"{span_id}","name":"GET /pay","kind":2,"startTimeUnixNano":"{start}","endTimeUnixNano":"{}"}}"#,
                start + dur
            ));
            samples.push((span_id, if slow { "parse_slowly" } else { "parse" }, 15));
        }
        let traces = format!(
            r#"{{"resourceSpans":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"api"}}}}]}},"scopeSpans":[{{"spans":[{}]}}]}}]}}"#,
            spans.join(",")
        );
        std::fs::write(dir.path().join("traces.json"), traces).unwrap_or_else(|e| panic!("{e}"));
        let r: Vec<(&str, &str, i64)> = samples
            .iter()
            .map(|(s, l, n)| (s.as_str(), *l, *n))
            .collect();
        std::fs::write(dir.path().join("all.pb"), labelled_pprof(&r))
            .unwrap_or_else(|e| panic!("{e}"));
        let run = |extra: &[&str]| {
            Command::new(env!("CARGO_BIN_EXE_tracediag"))
                .args(["profile", "compare", "--format", "json", "--source"])
                .arg(dir.path().join("traces.json"))
                .arg("--profiles")
                .arg(dir.path().join("all.pb"))
                .args(extra)
                .env("TRACEDIAG_CONFIG", dir.path().join("none.toml"))
                .output()
                .unwrap_or_else(|e| panic!("{e}"))
        };
        let out = run(&[
            "--cohort-a",
            "duration > 1s",
            "--cohort-b",
            "duration < 100ms",
            "--service",
            "api",
        ]);
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        assert_eq!(doc["a"]["units"], 12, "{doc:#}");
        assert_eq!(doc["b"]["units"], 12);
        let slow = doc["hotspots"]
            .as_array()
            .and_then(|h| h.iter().find(|h| h["function"] == "parse_slowly"))
            .unwrap_or_else(|| panic!("no parse_slowly hotspot: {doc:#}"));
        assert_eq!(slow["delta_share_pp"], 100.0, "{slow:#}");
        assert_eq!(slow["cpu_ms_per_request_a"], 150.0);
        assert_eq!(slow["significance"], "high");
        // A typo in a filter is a usage error naming the column; --cohort-a needs its pair.
        let typo = run(&[
            "--cohort-a",
            "duration >> 1s",
            "--cohort-b",
            "duration < 100ms",
        ]);
        assert_eq!(typo.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&typo.stderr).contains("column"));
        let alone = run(&["--cohort-a", "duration > 1s"]);
        assert_eq!(alone.status.code(), Some(2));
    }
}

// ---------------------------------------------------------------------------------------
// Profilers as they are: lines without a stack, windows that cannot be read, empty
// cohorts, requests in two windows, plain folders of profiles.

mod real_profilers {
    use std::path::Path;
    use std::process::{Command, Output};

    fn now_ns() -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as i64)
    }

    /// Two requests of `api` running now and for the next 30 s: `/pay` and `/health`.
    fn long_requests() -> String {
        let start = now_ns() - 1_000_000_000;
        let span = |trace: &str, span: &str, route: &str| {
            format!(
                r#"{{"traceId":"{trace}","spanId":"{span}","name":"GET {route}","kind":2,"startTimeUnixNano":"{start}","endTimeUnixNano":"{}","attributes":[{{"key":"http.route","value":{{"stringValue":"{route}"}}}}]}}"#,
                start + 30_000_000_000
            )
        };
        format!(
            r#"{{"resourceSpans":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"api"}}}}]}},"scopeSpans":[{{"spans":[{},{}]}}]}}]}}"#,
            span(
                "0000000000000000000000000000000a",
                "0000000000000001",
                "/pay"
            ),
            span(
                "0000000000000000000000000000000b",
                "0000000000000002",
                "/health"
            )
        ) + "\n"
    }

    fn tracediag(dir: &Path, args: &[&str], paths: &[(&str, &Path)]) -> Output {
        let mut c = Command::new(env!("CARGO_BIN_EXE_tracediag"));
        c.args(args);
        for (flag, p) in paths {
            c.arg(flag).arg(p);
        }
        c.env_remove("TRACEDIAG_SOURCE")
            .env("TRACEDIAG_CONFIG", dir.join("none.toml"))
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn json(out: &Output) -> serde_json::Value {
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        })
    }

    /// A collector that writes what py-spy `--nonblocking` writes (stacks and a ` 4` line
    /// without one), except in window 2, where it writes something that is not a profile.
    /// Every window sees the one matching request (`/pay`, 30 s long), so the trigger's
    /// units all cover it: one request in several units, which compare must count once.
    /// No window is left for the baseline, which must say so instead of proposing a
    /// compare that cannot work.
    #[test]
    fn trigger_skips_a_bad_window_and_says_the_baseline_is_empty() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let traces = dir.path().join("traces.jsonl");
        std::fs::write(&traces, long_requests()).unwrap_or_else(|e| panic!("{e}"));
        let counter = dir.path().join("n");
        let command = format!(
            "n=$(cat {c} 2>/dev/null || echo 0); n=$((n+1)); echo $n > {c}; sleep {{seconds}}; \
             if [ $n = 2 ]; then echo 'hello world' > {{out}}; \
             else printf '<module> (svc.py:1);slow (svc.py:3) 6\\n 4\\n' > {{out}}; fi",
            c = counter.display()
        );
        let (slow, fast) = (dir.path().join("slow"), dir.path().join("fast"));
        let out = tracediag(
            dir.path(),
            &[
                "profile",
                "trigger",
                "--service",
                "api",
                "--url-pattern",
                "/pay*",
                "--count",
                "5",
                "--window",
                "1s",
                "--max-wait",
                "4s",
                "--format",
                "json",
                "--command",
                &command,
            ],
            &[
                ("--source", &traces),
                ("--out", &slow),
                ("--baseline", &fast),
            ],
        );
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(out.status.success(), "{stderr}");
        assert!(
            stderr.contains("window 2 skipped: unreadable profile"),
            "{stderr}"
        );
        let summary = json(&out);
        assert_eq!(summary["windows_skipped"], 1, "{summary:#}");
        let units = summary["cohort"]["units"].as_u64().unwrap_or(0);
        assert!(units >= 2, "{summary:#}");
        assert_eq!(summary["cohort"]["requests"], 1, "{summary:#}");
        assert_eq!(summary["cohort"]["samples"], 6 * units);
        assert_eq!(summary["cohort"]["no_stack_samples"], 4 * units);
        assert_eq!(summary["baseline"]["units"], 0);
        assert!(summary["baseline"]["problem"]
            .as_str()
            .is_some_and(|p| p.starts_with("empty") && p.contains("--window")));
        assert!(summary["next"].is_null(), "{summary:#}");

        // Compare counts the request once, as the trigger did, and says B is empty.
        let cmp = tracediag(
            dir.path(),
            &["profile", "compare", "--format", "json"],
            &[("--a", &slow), ("--b", &fast)],
        );
        assert!(cmp.status.success());
        let doc = json(&cmp);
        crate::common::validate("profile-compare", &String::from_utf8_lossy(&cmp.stdout));
        assert_eq!(doc["a"]["requests"], summary["cohort"]["requests"]);
        assert_eq!(doc["a"]["units"], units);
        assert_eq!(doc["a"]["no_stack_samples"], 4 * units);
        assert_eq!(doc["b"]["units"], 0);
        assert!(doc["hotspots"].as_array().is_some_and(
            |h| !h.is_empty() && h.iter().all(|h| h["significance"] == "empty_cohort")
        ));
        let notes = doc["notes"].to_string();
        assert!(
            notes.contains("cohort B") && notes.contains("is empty"),
            "{notes}"
        );
        assert!(notes.contains("had no stack"), "{notes}");

        // The text summary names the empty baseline and proposes no compare.
        let text = tracediag(
            dir.path(),
            &["profile", "compare"],
            &[("--a", &slow), ("--b", &fast)],
        );
        let text = String::from_utf8_lossy(&text.stdout);
        assert!(text.contains("empty cohort"), "{text}");
    }

    /// `--a DIR` with a plain folder of profile files: one unit per file, hidden files
    /// left alone; the significance column names too few units, not too few samples.
    #[test]
    fn compare_reads_plain_folders_of_profiles() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let write = |side: &str, n: usize, leaf: &str| {
            let d = dir.path().join(side);
            std::fs::create_dir_all(&d).unwrap_or_else(|e| panic!("{e}"));
            for i in 0..n {
                let body = format!("main;{leaf} 40\nmain 10\n 2\n");
                std::fs::write(d.join(format!("w{i}.folded")), body)
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            std::fs::write(d.join(".DS_Store"), "junk").unwrap_or_else(|e| panic!("{e}"));
            d
        };
        let (a, b) = (write("a", 6, "slow"), write("b", 6, "fast"));
        let out = tracediag(
            dir.path(),
            &["profile", "compare", "--format", "json"],
            &[("--a", &a), ("--b", &b)],
        );
        let doc = json(&out);
        assert_eq!(doc["a"]["units"], 6, "{doc:#}");
        assert_eq!(doc["a"]["attribution"], "file");
        assert_eq!(doc["a"]["requests"], 6);
        assert_eq!(doc["a"]["no_stack_samples"], 12);
        assert_eq!(doc["hotspots"][0]["significance"], "high", "{doc:#}");

        // Two files a side: no p-value can reach α, and the column says why.
        let (a2, b2) = (write("a2", 2, "slow"), write("b2", 2, "fast"));
        let out = tracediag(
            dir.path(),
            &["profile", "compare", "--format", "json"],
            &[("--a", &a2), ("--b", &b2)],
        );
        let doc = json(&out);
        assert!(doc["hotspots"]
            .as_array()
            .is_some_and(|h| h.iter().all(|h| h["significance"] == "too_few_units")));

        // An empty folder is a one-line input error.
        let empty = dir.path().join("empty");
        std::fs::create_dir_all(&empty).unwrap_or_else(|e| panic!("{e}"));
        let out = tracediag(
            dir.path(),
            &["profile", "compare"],
            &[("--a", &empty), ("--b", &b)],
        );
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("holds no profile files") && err.lines().count() == 1,
            "{err}"
        );
    }
}
