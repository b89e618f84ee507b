//! A generated microservice system for window RCA: requests through a gateway, a frontend
//! that calls auth, cart (which reads redis twice) and payment (which queries db twice),
//! 10 spans a request. Inside the fault range, payment's own work is slower and some of its
//! second db queries fail (and the charge with them). Deterministic (xorshift); every time
//! a whole microsecond, so a file and a PostgreSQL table hold the same spans exactly.
//! Shared by the PostgreSQL pushdown test and the window RCA benchmark (included by path).

#![allow(dead_code)]

use std::fmt::Write as _;

/// One span; times in µs since the epoch.
#[derive(Debug, Clone)]
pub struct Row {
    pub trace: u64,
    pub span: u64,
    pub parent: Option<u64>,
    pub service: &'static str,
    pub name: &'static str,
    pub server: bool,
    pub start_us: i64,
    pub dur_us: i64,
    pub error: bool,
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    /// `base` µs, ±30 %.
    fn around(&mut self, base: i64) -> i64 {
        let u = (self.next() % 10_000) as i64;
        base * 7 / 10 + base * 6 * u / 100_000
    }
}

/// `traces` requests starting evenly over `[start_us, start_us + span_us)`; those starting in
/// `fault` (µs, half-open) carry the fault. Calls `each` with every request's 10 spans.
pub fn generate(
    traces: u64,
    start_us: i64,
    span_us: i64,
    fault: (i64, i64),
    seed: u64,
    mut each: impl FnMut(&[Row]),
) {
    let mut rng = Rng(seed | 1);
    let step = (span_us / traces.max(1) as i64).max(1);
    let mut rows = Vec::with_capacity(10);
    for i in 0..traces {
        rows.clear();
        let t0 = start_us + i as i64 * step + (rng.next() % step.max(1) as u64) as i64 / 2;
        let faulty = fault.0 <= t0 && t0 < fault.1;
        let id = |k: u64| i * 16 + k + 1;
        let mut push = |k: u64, parent: Option<u64>, svc, name, server, start, dur, error| {
            rows.push(Row {
                trace: i + 1,
                span: id(k),
                parent: parent.map(id),
                service: svc,
                name,
                server,
                start_us: start,
                dur_us: dur,
                error,
            });
        };
        let fe = t0 + rng.around(300);
        let auth = fe + rng.around(200);
        let d_auth = rng.around(2_000);
        let cart = auth + d_auth + rng.around(100);
        let r1 = cart + rng.around(300);
        let d_r1 = rng.around(400);
        let r2 = r1 + d_r1 + rng.around(100);
        let d_r2 = rng.around(400);
        let d_cart = r2 + d_r2 + rng.around(500) - cart;
        let pay = cart + d_cart + rng.around(100);
        let q1 = pay + rng.around(1_000);
        let d_q1 = rng.around(3_000);
        let q2 = q1 + d_q1 + rng.around(2_000);
        let d_q2 = rng.around(3_000);
        let slow = if faulty { rng.around(40_000) } else { 0 };
        let failed = faulty && rng.next() % 10 == 0;
        let d_pay = q2 + d_q2 + rng.around(4_000) + slow - pay;
        let render = pay + d_pay + rng.around(200);
        let d_render = rng.around(1_500);
        let d_fe = render + d_render + rng.around(300) - fe;
        let d_gw = fe + d_fe + rng.around(300) - t0;
        push(0, None, "gateway", "GET /checkout", true, t0, d_gw, false);
        push(1, Some(0), "frontend", "checkout", true, fe, d_fe, false);
        push(2, Some(1), "auth", "verify", true, auth, d_auth, false);
        push(3, Some(1), "cart", "get", true, cart, d_cart, false);
        push(4, Some(3), "redis", "GET", true, r1, d_r1, false);
        push(5, Some(3), "redis", "GET", true, r2, d_r2, false);
        push(6, Some(1), "payment", "charge", true, pay, d_pay, failed);
        push(7, Some(6), "db", "query", true, q1, d_q1, false);
        push(8, Some(6), "db", "query", true, q2, d_q2, failed);
        push(
            9,
            Some(1),
            "frontend",
            "render",
            false,
            render,
            d_render,
            false,
        );
        each(&rows);
    }
}

/// The row as COPY text for the `otel` preset's columns (see [`OTEL_COLUMNS`]).
pub fn copy_line(r: &Row, ts: impl Fn(i64) -> String) -> String {
    format!(
        "{:032x}\t{:016x}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{{}}\t{{\"service.name\":\"{}\"}}",
        r.trace,
        r.span,
        r.parent
            .map_or_else(|| "\\N".to_string(), |p| format!("{p:016x}")),
        r.service,
        r.name,
        if r.server {
            "SPAN_KIND_SERVER"
        } else {
            "SPAN_KIND_INTERNAL"
        },
        ts(r.start_us),
        ts(r.start_us + r.dur_us),
        r.dur_us * 1000,
        if r.error {
            "STATUS_CODE_ERROR"
        } else {
            "STATUS_CODE_UNSET"
        },
        r.service,
    )
}

pub const OTEL_COLUMNS: &str = "trace_id, span_id, parent_span_id, service_name, name, kind, start_time, end_time, duration_ns, status_code, attributes, resource";

/// OTLP JSON of `rows` (one resource per span).
pub fn otlp_json(rows: &[Row]) -> String {
    let mut out = String::from("{\"resourceSpans\":[");
    for (i, r) in rows.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let parent = r
            .parent
            .map(|p| format!(",\"parentSpanId\":\"{p:016x}\""))
            .unwrap_or_default();
        let _ = write!(
            out,
            "{{\"resource\":{{\"attributes\":[{{\"key\":\"service.name\",\"value\":{{\"stringValue\":\"{}\"}}}}]}},\
             \"scopeSpans\":[{{\"spans\":[{{\"traceId\":\"{:032x}\",\"spanId\":\"{:016x}\"{parent},\
             \"name\":\"{}\",\"kind\":{},\"startTimeUnixNano\":\"{}\",\"endTimeUnixNano\":\"{}\",\
             \"status\":{{\"code\":{}}}}}]}}]}}",
            r.service,
            r.trace,
            r.span,
            r.name,
            if r.server { 2 } else { 1 },
            r.start_us * 1000,
            (r.start_us + r.dur_us) * 1000,
            if r.error { 2 } else { 0 },
        );
    }
    out.push_str("]}");
    out
}
