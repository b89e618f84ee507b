//! A generated population of requests, mostly healthy with a realistic spread, and a
//! labelled minority carrying one fault each: what `diagnose` must tell apart. Deterministic
//! (xorshift), so a figure measured once is the figure every run.
//!
//! Shape of a request (medians differ by 1000×, durations log-normal, σ 0.25):
//! `api.POST /ask` → `auth.verify` (5 ms) → `api.call router` (client) →
//! `router.route` (server) → `model.inference` (3 s) → `db.query` (2 ms, client) →
//! `db.SELECT answers` (server), and sometimes a `cache.get` miss that `api` handles.

use std::fmt::Write as _;

/// What was injected into a request, and where the cause is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Healthy,
    /// (category, service the top cause must be located at)
    Fault(&'static str, &'static str),
}

impl Label {
    /// The verdict an SRE would give.
    pub fn verdict(self) -> &'static str {
        match self {
            Label::Healthy => "ok",
            Label::Fault("PERFORMANCE_DEGRADATION" | "NETWORK_TIMEOUT", _) => "slow",
            Label::Fault("BROKEN_TRACE", _) => "partial",
            Label::Fault(..) => "failed",
        }
    }
}

pub const FAULTS: &[(&str, &str)] = &[
    ("NETWORK_TIMEOUT", "api"),
    // The caller's client span records the refused connection.
    ("CONNECTION_FAILURE", "model"),
    ("SERVICE_TIMEOUT", "model"),
    ("RATE_LIMITED", "model"),
    ("EXECUTION_FAILURE", "auth"),
    ("PERFORMANCE_DEGRADATION", "db"),
    // The break shows at the span whose parent is missing.
    ("BROKEN_TRACE", "model"),
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// A standard normal deviate (Box–Muller).
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.unit().max(1e-12), self.unit());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
    /// Log-normal around `median_us` with σ 0.25.
    fn around(&mut self, median_us: f64) -> i64 {
        (median_us * (0.25 * self.normal()).exp()).max(1.0) as i64
    }
}

struct Span {
    id: u64,
    parent: Option<u64>,
    process: &'static str,
    op: &'static str,
    start: i64,
    dur: i64,
    tags: Vec<String>,
}

/// `n` requests a minute apart from 2024-05-01T00:00:00Z; every `fault_every`-th is faulty,
/// the faults taken in turn from [`FAULTS`]. Returns the Jaeger JSON and each trace's id and
/// label.
pub fn jaeger(n: usize, fault_every: usize, seed: u64) -> (String, Vec<(String, Label)>) {
    let mut rng = Rng(seed | 1);
    let mut labels = Vec::new();
    let mut data = String::from("{\"data\":[");
    for i in 0..n {
        let label = if fault_every > 0 && i % fault_every == fault_every / 2 {
            let (c, s) = FAULTS[(i / fault_every) % FAULTS.len()];
            Label::Fault(c, s)
        } else {
            Label::Healthy
        };
        let id = format!("{:016x}", 0x5eed_0000_0000u64 + i as u64);
        let start = 1_714_521_600_000_000 + i as i64 * 60_000_000;
        let spans = request(&mut rng, start, label);
        if i > 0 {
            data.push(',');
        }
        write_trace(&mut data, &id, &spans);
        labels.push((id, label));
    }
    data.push_str("]}");
    (data, labels)
}

fn tag(key: &str, value: &str) -> String {
    format!("{{\"key\":\"{key}\",\"type\":\"string\",\"value\":\"{value}\"}}")
}

fn int_tag(key: &str, value: i64) -> String {
    format!("{{\"key\":\"{key}\",\"type\":\"int64\",\"value\":{value}}}")
}

fn error_tags(message: &str) -> Vec<String> {
    vec![
        "{\"key\":\"error\",\"type\":\"bool\",\"value\":true}".to_string(),
        tag("otel.status_description", message),
    ]
}

/// One request's spans, with `label`'s fault injected.
fn request(rng: &mut Rng, start: i64, label: Label) -> Vec<Span> {
    let fault = match label {
        Label::Fault(c, _) => c,
        Label::Healthy => "",
    };
    let auth = rng.around(5_000.0);
    let db_server = if fault == "PERFORMANCE_DEGRADATION" {
        rng.around(12_000_000.0)
    } else {
        rng.around(2_000.0)
    };
    let db_client = db_server + rng.around(300.0);
    let model_own = if fault == "SERVICE_TIMEOUT" {
        30_000_000
    } else {
        rng.around(3_000_000.0)
    };
    let model = model_own + db_client;
    let route = model + rng.around(800.0);
    let network_wait = if fault == "NETWORK_TIMEOUT" {
        rng.around(60_000_000.0)
    } else {
        rng.around(400.0)
    };
    let call = route + network_wait + rng.around(200.0);
    let cache_miss = fault.is_empty() && rng.unit() < 0.05;
    let cache = if cache_miss { rng.around(1_000.0) } else { 0 };
    let root = auth + call + cache + rng.around(1_000.0);

    let t_auth = start + 200;
    let t_call = t_auth + auth + 100;
    let t_route = t_call + network_wait / 2 + 50;
    let t_model = t_route + 300;
    let t_db = t_model + model_own / 2;
    let mut spans = vec![
        span(1, None, "api", "POST /ask", "server", start, root),
        span(2, Some(1), "auth", "verify", "internal", t_auth, auth),
        span(3, Some(1), "api", "call router", "client", t_call, call),
        span(4, Some(3), "router", "route", "server", t_route, route),
        span(5, Some(4), "model", "inference", "internal", t_model, model),
        span(6, Some(5), "model", "db.query", "client", t_db, db_client),
        span(
            7,
            Some(6),
            "db",
            "SELECT answers",
            "server",
            t_db + 100,
            db_server,
        ),
    ];
    if cache_miss {
        let mut c = span(
            8,
            Some(1),
            "cache",
            "get",
            "server",
            t_call + call + 50,
            cache,
        );
        c.tags.extend(error_tags("key not found"));
        c.tags.push(int_tag("http.status_code", 404));
        spans.push(c);
    }
    inject(&mut spans, fault);
    spans
}

/// Errors travel up to the root, as a failed request records them.
fn fail_up_from(spans: &mut [Span], id: u64, message: &str) {
    let mut at = Some(id);
    while let Some(i) = at {
        let Some(s) = spans.iter_mut().find(|s| s.id == i) else {
            break;
        };
        let msg = if s.id == id {
            message
        } else {
            "upstream call failed"
        };
        s.tags.extend(error_tags(msg));
        at = s.parent;
    }
}

fn inject(spans: &mut Vec<Span>, fault: &str) {
    match fault {
        "CONNECTION_FAILURE" => {
            // The client could not connect: no server span.
            spans.retain(|s| s.id != 7);
            fail_up_from(
                spans,
                6,
                "dial tcp 10.0.0.7:5432: connect: connection refused",
            );
        }
        "SERVICE_TIMEOUT" => fail_up_from(spans, 5, "context deadline exceeded"),
        "RATE_LIMITED" => {
            if let Some(s) = spans.iter_mut().find(|s| s.id == 5) {
                s.tags.push(int_tag("http.status_code", 429));
            }
            fail_up_from(spans, 5, "429 Too Many Requests: rate limit exceeded");
        }
        "EXECUTION_FAILURE" => fail_up_from(spans, 2, "KeyError: 'tenant'"),
        "BROKEN_TRACE" => {
            // The router's span never arrived: its children point to a missing parent.
            spans.retain(|s| s.id != 4);
        }
        _ => {}
    }
}

fn span(
    id: u64,
    parent: Option<u64>,
    process: &'static str,
    op: &'static str,
    kind: &'static str,
    start: i64,
    dur: i64,
) -> Span {
    Span {
        id,
        parent,
        process,
        op,
        start,
        dur,
        tags: vec![tag("span.kind", kind)],
    }
}

fn write_trace(out: &mut String, id: &str, spans: &[Span]) {
    let _ = write!(out, "{{\"traceID\":\"{id}\",\"spans\":[");
    // Span ids of 16 hex digits: the trace's last 12, then the span's number.
    let sid = |n: u64| format!("{}{n:04x}", &id[4..]);
    for (k, s) in spans.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        let refs = s.parent.map_or_else(String::new, |p| {
            format!(
                "{{\"refType\":\"CHILD_OF\",\"traceID\":\"{id}\",\"spanID\":\"{}\"}}",
                sid(p)
            )
        });
        let _ = write!(
            out,
            "{{\"traceID\":\"{id}\",\"spanID\":\"{}\",\"operationName\":\"{}\",\"references\":[{refs}],\"startTime\":{},\"duration\":{},\"tags\":[{}],\"logs\":[],\"processID\":\"{}\"}}",
            sid(s.id),
            s.op,
            s.start,
            s.dur,
            s.tags.join(","),
            s.process
        );
    }
    out.push_str("],\"processes\":{");
    for (k, p) in ["api", "auth", "router", "model", "db", "cache"]
        .iter()
        .enumerate()
    {
        if k > 0 {
            out.push(',');
        }
        let _ = write!(out, "\"{p}\":{{\"serviceName\":\"{p}\",\"tags\":[]}}");
    }
    out.push_str("}}");
}
