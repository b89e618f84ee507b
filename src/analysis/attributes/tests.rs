use super::*;
use crate::model::{Span, Trace};

/// A small deterministic generator (xorshift64*), so populations are the same every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
    /// Log-normal around `median` ms.
    fn duration_ms(&mut self, median: f64) -> f64 {
        let (u1, u2) = (self.unit().max(1e-12), self.unit());
        let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
        median * (0.4 * z).exp()
    }
}

fn s(v: &str) -> AttrValue {
    AttrValue::Str(v.into())
}

/// A request through gateway → checkout → payments; each service's spans carry a version,
/// a pod, a region and a request id (an identifier, to be left out). `culprit` makes
/// checkout version 2.3 slow (5× its usual time).
fn request(i: usize, rng: &mut Rng, culprit: bool) -> IndexedTrace {
    let id = format!("{i:032x}");
    let version = rng.pick(&["2.1", "2.2", "2.2", "2.3"]);
    let pod = rng.pick(&["pod-a", "pod-b", "pod-c", "pod-d", "pod-e"]);
    let region = rng.pick(&["eu-west", "us-east", "ap-south"]);
    let slow = culprit && version == "2.3";
    let checkout_ms = rng.duration_ms(80.0) * if slow { 5.0 } else { 1.0 };
    let payments_ms = rng.duration_ms(40.0);
    let mk = |n: u64, parent: Option<u64>, service: &str, op: &str, start: f64, dur: f64| Span {
        trace_id: id.clone().into(),
        span_id: format!("{n:016x}").into(),
        parent_id: parent.map(|p| format!("{p:016x}").into()),
        service: service.into(),
        operation: op.into(),
        start_ns: 1_700_000_000_000_000_000 + (i as i64) * 1_000_000_000 + (start * 1e6) as i64,
        duration_ns: (dur * 1e6) as i64,
        attributes: vec![("http.request_id".into(), s(&format!("req-{i}")))],
        origin: std::sync::Arc::new(crate::model::Origin {
            scope: Vec::new(),
            resource: vec![
                (
                    "service.version".into(),
                    s(if service == "checkout" {
                        version
                    } else {
                        "1.0"
                    }),
                ),
                ("k8s.pod.name".into(), s(&format!("{service}-{pod}"))),
                ("cloud.region".into(), s(region)),
            ],
        }),
        ..Span::default()
    };
    let total = 5.0 + checkout_ms + payments_ms + 5.0;
    let mut trace = Trace::new(id.clone());
    trace.spans = std::sync::Arc::new(vec![
        mk(1, None, "gateway", "POST /checkout", 0.0, total),
        mk(
            2,
            Some(1),
            "checkout",
            "place_order",
            5.0,
            checkout_ms + payments_ms,
        ),
        mk(
            3,
            Some(2),
            "payments",
            "charge",
            5.0 + checkout_ms,
            payments_ms,
        ),
    ]);
    IndexedTrace::new(trace, None)
}

/// The slowest 5 % against the rest.
fn split(traces: &[IndexedTrace]) -> (Vec<&IndexedTrace>, Vec<&IndexedTrace>) {
    let mut order: Vec<&IndexedTrace> = traces.iter().collect();
    order.sort_by_key(|t| std::cmp::Reverse(t.trace.duration_ns()));
    let cut = (traces.len() / 20).max(1);
    let (a, b) = order.split_at(cut);
    (a.to_vec(), b.to_vec())
}

#[test]
fn the_culprit_version_ranks_first_and_identifiers_are_left_out() {
    let mut rng = Rng(0x5eed);
    let traces: Vec<IndexedTrace> = (0..1000).map(|i| request(i, &mut rng, true)).collect();
    let (a, b) = split(&traces);
    let c = compare_attributes(&a, &b, &AttributeOptions::default());
    let top = &c.rows[0];
    assert_eq!(
        (top.service.as_str(), top.key.as_str(), top.value.as_str()),
        ("checkout", "service.version", "2.3"),
        "{:#?}",
        &c.rows[..3]
    );
    assert!(top.significant && top.q_value < 1e-6, "{top:?}");
    assert!(top.a_share > 0.9 && top.b_share < 0.25, "{top:?}");
    // Nothing else is significant: pods and regions vary at random.
    assert_eq!(
        c.rows.iter().filter(|r| r.significant).count(),
        1,
        "{:#?}",
        c.rows
    );
    // Request ids are identifiers: one value per request, never compared.
    assert!(c.rows.iter().all(|r| r.key != "http.request_id"));
    assert!(c
        .excluded
        .iter()
        .any(|e| e.key == "http.request_id" && e.distinct_values > 20));
}

/// Over 200 populations with no culprit, the share in which anything is called significant
/// stays near `alpha` (Benjamini–Hochberg under the global null bounds it by alpha).
#[test]
fn null_populations_rarely_show_a_significant_value() {
    let mut rng = Rng(0xa11ce);
    let mut with_finding = 0;
    for _ in 0..200 {
        let traces: Vec<IndexedTrace> = (0..400).map(|i| request(i, &mut rng, false)).collect();
        let (a, b) = split(&traces);
        let c = compare_attributes(&a, &b, &AttributeOptions::default());
        if c.rows.iter().any(|r| r.significant) {
            with_finding += 1;
        }
    }
    let rate = with_finding as f64 / 200.0;
    eprintln!("null populations with a significant value: {with_finding} of 200 ({rate})");
    assert!(rate <= 0.05, "false-positive rate {rate}");
}

#[test]
fn fisher_matches_known_values() {
    let lf = LogFactorials::new(100);
    // R: fisher.test(matrix(c(3, 1, 1, 3), 2))$p.value = 0.4857143
    assert!((fisher_two_sided(3, 1, 1, 3, &lf) - 0.485_714_3).abs() < 1e-6);
    // fisher.test(matrix(c(10, 0, 0, 10), 2))$p.value = 1.082509e-05
    assert!((fisher_two_sided(10, 0, 0, 10, &lf) - 1.082_509e-5).abs() < 1e-9);
    assert_eq!(fisher_two_sided(0, 0, 4, 5, &lf), 1.0);
}
