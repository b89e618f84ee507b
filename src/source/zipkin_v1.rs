//! Zipkin v1 spans (`GET /api/v1/trace/{id}`, old exporters) to Zipkin's v2 shape, the way
//! Zipkin converts them itself (`zipkin2.v1.V1SpanConverter`): the core annotations `cs`,
//! `sr`, `ss`, `cr` (and `ms`, `mr`, `ws`, `wr` for messaging) give the kind, start and
//! duration; a v1 span carrying both the client and the server side becomes two spans, the
//! server one `shared`; `ca`/`sa`/`ma` address annotations become remote endpoints; other
//! binary annotations become tags, so an `error` one marks the span failed.

use serde::Deserialize;

use super::zipkin_span::{Annotation, Endpoint, ZSpan};
use crate::model::SpanKind;

#[derive(Deserialize)]
pub(crate) struct BinaryAnnotation {
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    value: Option<serde_json::Value>,
    #[serde(default)]
    endpoint: Option<Endpoint>,
}

/// The fields of a v1 span that conversion reads.
pub(crate) struct V1Span {
    pub trace_id: String,
    pub id: String,
    pub parent_id: Option<String>,
    pub name: Option<String>,
    pub timestamp: Option<i64>,
    pub duration: Option<i64>,
    pub annotations: Vec<Annotation>,
    pub binary_annotations: Vec<BinaryAnnotation>,
}

/// A core annotation: when, and which side logged it.
#[derive(Clone)]
struct Core {
    ts: i64,
    endpoint: Endpoint,
}

#[derive(Default)]
struct Cores {
    cs: Option<Core>,
    sr: Option<Core>,
    ss: Option<Core>,
    cr: Option<Core>,
    ms: Option<Core>,
    mr: Option<Core>,
    ws: Option<Core>,
    wr: Option<Core>,
}

/// The v2 spans one v1 span stands for, one per endpoint (service) that logged it.
struct Converter<'s> {
    source: &'s V1Span,
    /// `spans[0]` is the first span, which gets everything without an endpoint.
    spans: Vec<ZSpan>,
    /// Whether `spans[0]` has been given an endpoint yet.
    first_placed: bool,
}

/// Convert one v1 span.
pub(crate) fn convert(source: V1Span) -> Vec<ZSpan> {
    let mut c = Converter {
        source: &source,
        spans: vec![base(&source)],
        first_placed: false,
    };
    let cores = c.annotations();
    c.binary_annotations(&cores);
    c.spans
}

fn base(s: &V1Span) -> ZSpan {
    ZSpan {
        trace_id: s.trace_id.clone(),
        id: s.id.clone(),
        parent_id: s.parent_id.clone(),
        name: s.name.clone(),
        ..ZSpan::default()
    }
}

fn same_service(a: &Endpoint, b: &Endpoint) -> bool {
    a.service_name == b.service_name
}

impl Converter<'_> {
    /// The span for endpoint `e` (`closeEnoughEndpoint`: same service name).
    fn for_endpoint(&mut self, e: Option<&Endpoint>) -> usize {
        let Some(e) = e else { return 0 };
        if !self.first_placed {
            self.first_placed = true;
            self.spans[0].local = e.clone();
            return 0;
        }
        if let Some(i) = self.spans.iter().position(|s| same_service(&s.local, e)) {
            return i;
        }
        self.new_span(e)
    }

    fn new_span(&mut self, e: &Endpoint) -> usize {
        let mut s = base(self.source);
        s.local = e.clone();
        self.spans.push(s);
        self.spans.len() - 1
    }

    fn annotations(&mut self) -> Cores {
        let mut k = Cores::default();
        for a in &self.source.annotations {
            let value = a.value.clone().unwrap_or_default();
            let ts = a.micros().unwrap_or(0);
            let i = self.for_endpoint(a.endpoint.as_ref());
            // Core annotations need an endpoint; without one they are plain events.
            let core = a.endpoint.clone().map(|endpoint| Core { ts, endpoint });
            let slot = match (value.as_str(), core.is_some()) {
                ("cs", true) => Some((&mut k.cs, Some(SpanKind::Client))),
                ("sr", true) => Some((&mut k.sr, Some(SpanKind::Server))),
                ("ss", true) => Some((&mut k.ss, Some(SpanKind::Server))),
                ("cr", true) => Some((&mut k.cr, Some(SpanKind::Client))),
                ("ms", true) => Some((&mut k.ms, Some(SpanKind::Producer))),
                ("mr", true) => Some((&mut k.mr, Some(SpanKind::Consumer))),
                ("ws", true) => Some((&mut k.ws, None)),
                ("wr", true) => Some((&mut k.wr, None)),
                _ => None,
            };
            match slot {
                Some((slot, kind)) => {
                    if kind.is_some() {
                        self.spans[i].kind = kind;
                    }
                    *slot = core;
                }
                None => self.spans[i].annotations.push((ts, value)),
            }
        }
        self.rpc(&mut k);
        self.messaging(&k);
        k
    }

    /// Start, duration and the client/server split from `cs`, `sr`, `ss`, `cr`.
    fn rpc(&mut self, k: &mut Cores) {
        let (ts, dur) = (self.source.timestamp, self.source.duration);
        // Bridged event data can lack the start annotation; the span's own timestamp is it.
        let reflects = |end: &Option<Core>| match (end, ts, dur) {
            (Some(e), Some(t), Some(d)) => t.saturating_add(d) == e.ts,
            _ => false,
        };
        if k.cs.is_none() && reflects(&k.cr) {
            k.cs = k.cr.clone().map(|c| Core {
                ts: ts.unwrap_or(0),
                ..c
            });
        }
        if k.sr.is_none() && reflects(&k.ss) {
            k.sr = k.ss.clone().map(|c| Core {
                ts: ts.unwrap_or(0),
                ..c
            });
        }
        match (&k.cs, &k.sr) {
            (Some(cs), Some(sr)) => {
                // In a shared span the client side owns the span's timestamp and duration.
                self.timestamp_duration(cs, k.cr.as_ref());
                let client = self.for_endpoint(Some(&cs.endpoint));
                let server = if same_service(&cs.endpoint, &sr.endpoint) {
                    // Loopback: still two spans.
                    self.spans[client].kind = Some(SpanKind::Client);
                    let s = self.new_span(&sr.endpoint);
                    self.spans[s].kind = Some(SpanKind::Server);
                    s
                } else {
                    self.for_endpoint(Some(&sr.endpoint))
                };
                let server = &mut self.spans[server];
                server.shared = true;
                server.timestamp = Some(sr.ts);
                if let Some(ss) = &k.ss {
                    server.duration = Some(ss.ts.saturating_sub(sr.ts));
                }
                if k.cr.is_none() && dur.is_none() {
                    self.spans[client].duration = None; // one-way: no duration
                }
            }
            (Some(cs), None) if k.cr.is_some() => self.timestamp_duration(cs, k.cr.as_ref()),
            (None, Some(sr)) if k.ss.is_some() => self.timestamp_duration(sr, k.ss.as_ref()),
            _ => self.incomplete_rpc(k),
        }
        // v1 had no shared flag: a server side without the span's timestamp was shared.
        if let (None, Some(sr)) = (&k.cs, &k.sr) {
            if ts.is_none() || (k.ss.is_some() && dur.is_none()) {
                let i = self.for_endpoint(Some(&sr.endpoint));
                self.spans[i].shared = true;
            }
        }
    }

    fn incomplete_rpc(&mut self, k: &Cores) {
        for s in &mut self.spans {
            match s.kind {
                Some(SpanKind::Client) => {
                    if let Some(cs) = &k.cs {
                        s.timestamp = Some(cs.ts);
                    }
                    if let Some(cr) = &k.cr {
                        s.annotations.push((cr.ts, "cr".into()));
                    }
                }
                Some(SpanKind::Server) => {
                    if let Some(sr) = &k.sr {
                        s.timestamp = Some(sr.ts);
                    }
                    if let Some(ss) = &k.ss {
                        s.annotations.push((ss.ts, "ss".into()));
                    }
                }
                _ => {}
            }
        }
        if let Some(t) = self.source.timestamp {
            self.spans[0].timestamp = Some(t);
            self.spans[0].duration = self.source.duration;
        }
    }

    /// `ms`/`mr` (with `ws`/`wr`): producer and consumer sides.
    fn messaging(&mut self, k: &Cores) {
        match (&k.ms, &k.mr) {
            (Some(ms), Some(mr)) => {
                let producer = self.for_endpoint(Some(&ms.endpoint));
                let consumer = if same_service(&ms.endpoint, &mr.endpoint) {
                    self.spans[producer].kind = Some(SpanKind::Producer);
                    let c = self.new_span(&mr.endpoint);
                    self.spans[c].kind = Some(SpanKind::Consumer);
                    c
                } else {
                    self.for_endpoint(Some(&mr.endpoint))
                };
                let c = &mut self.spans[consumer];
                c.shared = true;
                match &k.wr {
                    Some(wr) => {
                        c.timestamp = Some(wr.ts);
                        c.duration = Some(mr.ts.saturating_sub(wr.ts));
                    }
                    None => c.timestamp = Some(mr.ts),
                }
                let p = &mut self.spans[producer];
                p.timestamp = Some(ms.ts);
                p.duration = k.ws.as_ref().map(|ws| ws.ts.saturating_sub(ms.ts));
            }
            (Some(ms), None) => self.timestamp_duration(ms, k.ws.as_ref()),
            (None, Some(mr)) => match &k.wr {
                Some(wr) => self.timestamp_duration(wr, Some(mr)),
                None => self.timestamp_duration(mr, None),
            },
            (None, None) => {
                for (a, name) in [(&k.ws, "ws"), (&k.wr, "wr")] {
                    if let Some(a) = a {
                        let i = self.for_endpoint(Some(&a.endpoint));
                        self.spans[i].annotations.push((a.ts, name.into()));
                    }
                }
            }
        }
    }

    /// The span's own timestamp and duration when both are set, else the annotations'.
    fn timestamp_duration(&mut self, begin: &Core, end: Option<&Core>) {
        let i = self.for_endpoint(Some(&begin.endpoint));
        let s = &mut self.spans[i];
        match (self.source.timestamp, self.source.duration) {
            (Some(t), Some(d)) => {
                s.timestamp = Some(t);
                s.duration = Some(d);
            }
            _ => {
                s.timestamp = Some(begin.ts);
                if let Some(end) = end {
                    s.duration = Some(end.ts.saturating_sub(begin.ts));
                }
            }
        }
    }

    fn binary_annotations(&mut self, k: &Cores) {
        let (mut ca, mut sa, mut ma) = (None, None, None);
        for b in &self.source.binary_annotations {
            let key = b.key.clone().unwrap_or_default();
            let value = match &b.value {
                Some(serde_json::Value::String(s)) => Some(s.clone()),
                Some(serde_json::Value::Bool(_)) | None => None,
                Some(v) => Some(v.to_string()),
            };
            let Some(value) = value else {
                // Address annotations: `"value": true` and the address in the endpoint.
                match key.as_str() {
                    "ca" => ca = b.endpoint.clone(),
                    "sa" => sa = b.endpoint.clone(),
                    "ma" => ma = b.endpoint.clone(),
                    _ => {}
                }
                continue;
            };
            // An empty "lc" only marks a local span.
            if key == "lc" && value.is_empty() {
                continue;
            }
            let i = self.for_endpoint(b.endpoint.as_ref());
            self.spans[i].tags.push((key, value));
        }
        let no_core = k.cs.is_none() && k.cr.is_none() && k.ss.is_none() && k.sr.is_none();
        if no_core && (ca.is_some() || sa.is_some()) {
            match (ca, sa) {
                (Some(ca), Some(sa)) => {
                    let i = self.for_endpoint(Some(&ca));
                    self.spans[i].remote = sa;
                }
                (None, Some(sa)) => self.spans[0].remote = sa,
                (Some(ca), None) => {
                    self.spans[0].kind = Some(SpanKind::Server);
                    self.spans[0].remote = ca;
                }
                (None, None) => {}
            }
            return;
        }
        let server = k.sr.as_ref().or(k.ss.as_ref());
        if let (Some(mut ca), Some(server)) = (ca, server) {
            if ca != server.endpoint {
                // Finagle logs the client's socket under the server's service name.
                if same_service(&ca, &server.endpoint) {
                    ca.service_name = None;
                }
                let i = self.for_endpoint(Some(&server.endpoint));
                self.spans[i].remote = ca;
            }
        }
        if let Some(sa) = sa {
            if let Some(client) = k.cs.as_ref().or(k.cr.as_ref()) {
                let i = self.for_endpoint(Some(&client.endpoint));
                self.spans[i].remote = sa;
            }
        }
        if let Some(ma) = ma {
            for side in [&k.ms, &k.mr].into_iter().flatten() {
                let i = self.for_endpoint(Some(&side.endpoint));
                self.spans[i].remote = ma.clone();
            }
        }
    }
}
