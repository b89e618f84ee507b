//! Differential hotspots as a table (80 columns), JSON and Markdown, plus the differential
//! flame graph (inferno) and its three-column folded input.
//!
//! Function names come from profiles, i.e. from whoever built the profiled binary: they are
//! cleaned for the terminal like span names, and sanitised harder for the SVG, where a C0
//! control character would make the document invalid XML.

use serde::Serialize;

use crate::analysis::hotspots::{Comparison, Hotspot, Measure, Metric, Significance};

use super::markdown_table::{table as md_table, Col};
use super::style::{Painter, Role};
use super::text::{clean, fit_left, fit_right, md, truncate, wrap};

/// What the report says about each cohort beyond the statistics.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    pub inputs: Vec<String>,
    /// `request`, `window` or `file`.
    pub attribution: String,
}

#[derive(Debug, Clone)]
pub struct HotspotReport<'a> {
    pub comparison: &'a Comparison,
    pub a: Side,
    pub b: Side,
    pub metric: Metric,
    pub top: usize,
    pub notes: Vec<String>,
}

fn p_text(p: Option<f64>) -> String {
    match p {
        None => "-".into(),
        Some(p) if p < 0.001 => "<0.001".into(),
        Some(p) => format!("{p:.3}"),
    }
}

fn ms(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v < 10.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.0}")
    }
}

fn metric_name(m: Metric) -> &'static str {
    match m {
        Metric::SelfTime => "self",
        Metric::Total => "total",
    }
}

/// Functions with samples under the chosen metric (a caller with no self time has nothing
/// to show in a self-time ranking), at most `top`.
fn shown<'a>(r: &'a HotspotReport) -> impl Iterator<Item = &'a Hotspot> {
    listed(r).take(r.top)
}

fn listed<'a>(r: &'a HotspotReport) -> impl Iterator<Item = &'a Hotspot> {
    r.comparison.hotspots.iter().filter(|h| {
        let m = h.measure(r.metric);
        m.samples_a + m.samples_b > 0
    })
}

pub fn table(r: &HotspotReport, color: bool, wide: bool) -> String {
    let p = Painter::new(color);
    let c = r.comparison;
    let mut out = String::new();
    let head = |s: &str, side: &crate::analysis::hotspots::CohortStats, inputs: &Side| {
        format!(
            "{s}: {}  {} units, {} req, {} samples, {} ms CPU/req\n",
            truncate(&clean(&inputs.inputs.join(", ")), 22),
            side.units,
            side.requests,
            side.samples,
            ms(side.cpu_ms_per_request)
        )
    };
    out.push_str(&p.paint("Differential hotspots", Some(Role::Heading), false));
    out.push_str(&format!(
        " ({} time; + = hotter in A)\n",
        metric_name(r.metric)
    ));
    out.push_str(&head("A", &c.a, &r.a));
    out.push_str(&head("B", &c.b, &r.b));
    out.push('\n');
    let fw = 26;
    let header = format!(
        "{} {} {} {} {} {}",
        fit_left("FUNCTION", fw),
        fit_right("Δ SHARE", 8),
        fit_right("A MS/REQ", 8),
        fit_right("B MS/REQ", 8),
        fit_right("P", 7),
        "SIGNIFICANCE"
    );
    out.push_str(&p.paint(&header, Some(Role::Dim), false));
    out.push('\n');
    if c.hotspots.is_empty() {
        out.push_str("no samples to compare\n");
    }
    for h in shown(r) {
        let m = h.measure(r.metric);
        let name = clean(&h.function);
        let name = if wide { name } else { fit_left(&name, fw) };
        let sig = m.significance.as_str();
        let role = match m.significance {
            Significance::High | Significance::Medium => Some(Role::Anomaly),
            Significance::Low => None,
            _ => Some(Role::Dim),
        };
        out.push_str(&format!(
            "{} {} {} {} {} {}\n",
            name,
            fit_right(&format!("{:+.1}pp", m.delta_pp), 8),
            fit_right(&ms(m.cpu_ms_per_request_a), 8),
            fit_right(&ms(m.cpu_ms_per_request_b), 8),
            fit_right(&p_text(m.p_value), 7),
            p.paint(sig, role, m.significance == Significance::High)
        ));
    }
    let listed = listed(r).count();
    if listed > r.top {
        out.push_str(&p.paint(
            &format!("… {} more function(s) (--top)\n", listed - r.top),
            Some(Role::Dim),
            false,
        ));
    }
    out.push('\n');
    let method = format!(
        "Permutation test over units ({} permutations, seed {}), Benjamini–Hochberg across \
         {} function(s); p is unadjusted, significance uses the adjusted q (high ≤ {}, medium ≤ {}).",
        c.permutations,
        c.seed,
        match r.metric {
            Metric::SelfTime => c.tested_self,
            Metric::Total => c.tested_total,
        },
        c.alpha / 5.0,
        c.alpha
    );
    let width = if wide { usize::MAX } else { 80 };
    for line in wrap(&method, width, "", "") {
        out.push_str(&line);
        out.push('\n');
    }
    for n in &r.notes {
        for line in wrap(&clean(n), width, "Note: ", "      ") {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// `profile compare --format json`.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct HotspotsDoc {
    /// Version of the layout.
    pub schema_version: String,
    pub a: CohortSideDoc,
    /// The reference cohort.
    pub b: CohortSideDoc,
    /// `self` or `total`: what the hotspots are ranked by.
    pub metric: String,
    pub method: MethodDoc,
    /// Too few units for any test to reach significance.
    pub underpowered: bool,
    /// Functions compared (the hotspots listed are the top of them).
    pub functions: usize,
    pub hotspots: Vec<HotspotDoc>,
    pub notes: Vec<String>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct CohortSideDoc {
    /// Cohort directories or profile files read.
    pub inputs: Vec<String>,
    /// `request`, `window` or `file`: what one unit of the test is.
    pub attribution: String,
    pub units: usize,
    /// Distinct requests: one that ran across two windows counts once.
    pub requests: u64,
    /// Samples with a stack: what the shares are taken over.
    pub samples: u64,
    /// Samples in which the profiler read no stack, left out of the shares.
    pub no_stack_samples: u64,
    pub cpu_ms: f64,
    pub cpu_ms_per_request: f64,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct MethodDoc {
    pub test: String,
    pub correction: String,
    pub permutations: usize,
    pub seed: u64,
    pub alpha: f64,
    pub min_samples: u64,
    pub min_units: usize,
    pub functions_tested_self: usize,
    pub functions_tested_total: usize,
    /// The smallest p-value the permutation count can give.
    pub min_attainable_p: f64,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct HotspotDoc {
    pub function: String,
    /// The ranking metric's figures, flattened for readers that want one row per function.
    pub delta_share_pp: f64,
    pub cpu_ms_per_request_a: f64,
    pub cpu_ms_per_request_b: f64,
    pub p_value: Option<f64>,
    pub q_value: Option<f64>,
    pub significance: Significance,
    #[serde(rename = "self")]
    pub self_time: Measure,
    pub total: Measure,
}

pub fn json(r: &HotspotReport) -> String {
    let c = r.comparison;
    let hotspots: Vec<HotspotDoc> = shown(r)
        .map(|h| {
            let m = h.measure(r.metric);
            HotspotDoc {
                function: h.function.clone(),
                delta_share_pp: m.delta_pp,
                cpu_ms_per_request_a: m.cpu_ms_per_request_a,
                cpu_ms_per_request_b: m.cpu_ms_per_request_b,
                p_value: m.p_value,
                q_value: m.q_value,
                significance: m.significance,
                self_time: h.self_time.clone(),
                total: h.total_time.clone(),
            }
        })
        .collect();
    let side = |s: &crate::analysis::hotspots::CohortStats, d: &Side| CohortSideDoc {
        inputs: d.inputs.clone(),
        attribution: d.attribution.clone(),
        units: s.units,
        requests: s.requests,
        samples: s.samples,
        no_stack_samples: s.no_stack_samples,
        cpu_ms: s.cpu_ms,
        cpu_ms_per_request: s.cpu_ms_per_request,
    };
    let doc = HotspotsDoc {
        schema_version: super::SCHEMA_VERSION.to_string(),
        a: side(&c.a, &r.a),
        b: side(&c.b, &r.b),
        metric: metric_name(r.metric).to_string(),
        method: MethodDoc {
            test: "two-sided permutation test shuffling whole units between cohorts".into(),
            correction: "benjamini-hochberg".into(),
            permutations: c.permutations,
            seed: c.seed,
            alpha: c.alpha,
            min_samples: c.min_samples,
            min_units: c.min_units,
            functions_tested_self: c.tested_self,
            functions_tested_total: c.tested_total,
            min_attainable_p: c.min_attainable_p,
        },
        underpowered: c.underpowered(),
        functions: c.hotspots.len(),
        hotspots,
        notes: r.notes.clone(),
    };
    let mut s =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

pub fn markdown(r: &HotspotReport) -> String {
    let c = r.comparison;
    let mut out = format!(
        "## Differential hotspots ({} time)\n\n- A: {} unit(s), {} request(s), {} ms CPU per request\n- B: {} unit(s), {} request(s), {} ms CPU per request\n\n",
        metric_name(r.metric),
        c.a.units,
        c.a.requests,
        ms(c.a.cpu_ms_per_request),
        c.b.units,
        c.b.requests,
        ms(c.b.cpu_ms_per_request)
    );
    let cols = [
        Col::left("Function"),
        Col::right("Δ share (pp)"),
        Col::right("A ms/req"),
        Col::right("B ms/req"),
        Col::right("p"),
        Col::left("Significance"),
    ];
    out.push_str(&md_table(
        &cols,
        shown(r).map(|h| {
            let m = h.measure(r.metric);
            [
                // `md`: C++ and Rust names carry `<…>`, which Markdown would take for HTML.
                md(&h.function),
                format!("{:+.1}", m.delta_pp),
                ms(m.cpu_ms_per_request_a),
                ms(m.cpu_ms_per_request_b),
                p_text(m.p_value),
                m.significance.as_str().to_string(),
            ]
        }),
    ));
    for n in &r.notes {
        out.push_str(&format!("\n> {}\n", md(n)));
    }
    out
}

/// Longest frame name kept in a flame graph, in characters.
const MAX_FRAME: usize = 300;

/// A frame name safe for folded stacks and for the SVG: control characters dropped
/// (inferno escapes `<` and `&`, but C0 controls would still make the XML invalid), `;`
/// (the folded separator) mapped to `:`, whitespace runs collapsed to one space, length
/// capped. Never empty: an empty frame would vanish from the stack.
pub fn sanitize_frame(name: &str) -> String {
    let mut out = String::with_capacity(name.len().min(MAX_FRAME + 4));
    let mut space = false;
    let mut n = 0;
    for c in name.chars() {
        if n >= MAX_FRAME {
            out.push('…');
            break;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if c.is_control()
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{fffe}' | '\u{ffff}')
        {
            continue;
        }
        if space {
            out.push(' ');
            n += 1;
            space = false;
        }
        out.push(if c == ';' { ':' } else { c });
        n += 1;
    }
    if out.is_empty() {
        "?".into()
    } else {
        out
    }
}

/// Render three-column differential lines (`stack BEFORE AFTER`, B before A) as a
/// differential flame graph: width = A, red = hotter in A, blue = hotter in B. Colours are
/// deterministic (hash of the name, no random palette), so the same input gives the same
/// bytes. Titles are fixed text: nothing from the profiles goes into notes or titles.
pub fn flamegraph_svg(lines: &[String]) -> Result<Vec<u8>, String> {
    if lines.is_empty() {
        return Err("no stacks to draw".into());
    }
    let mut opt = inferno::flamegraph::Options::default();
    opt.deterministic = true;
    opt.title = "Differential flame graph: cohort A vs cohort B".into();
    opt.subtitle =
        Some("Width = A. Red: hotter in A, blue: hotter in B (B scaled to A's total).".into());
    opt.count_name = "samples".into();
    let mut out = Vec::new();
    inferno::flamegraph::from_lines(&mut opt, lines.iter().map(String::as_str), &mut out)
        .map_err(|e| format!("cannot draw the flame graph: {e}"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitising() {
        assert_eq!(sanitize_frame("a;b\x00c\n d"), "a:bc d");
        assert_eq!(sanitize_frame("\x01\x02"), "?");
        assert_eq!(
            sanitize_frame(&"x".repeat(10_000)).chars().count(),
            MAX_FRAME + 1
        );
    }
}
