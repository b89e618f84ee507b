//! Grafana Tempo over HTTP: trace by id (v2, falling back to v1), TraceQL search, tag values.
//!
//! Traces are asked for as OTLP protobuf (`Accept: application/protobuf`), which Tempo
//! serves on both trace routes and which decodes several times faster than its JSON; the
//! body's content decides how it is read, so a Tempo or a proxy answering JSON still works,
//! and one refusing the type (406, 415) is asked again for JSON.

use std::sync::atomic::{AtomicBool, Ordering};

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::{Error, Result};
use crate::model::span_metrics::SpanMetrics;
use crate::model::Trace;

use super::http::{first_bytes, HttpClient, Response};
use super::jaeger::{remote_decode_error, Num};
use super::otlp_proto;
use super::search::{pad_trace_id, SearchQuery, TraceSummary};
use super::trace_source::{pick, TraceSource};

/// The media type Tempo serves OTLP protobuf under.
const PROTOBUF: &str = "application/protobuf";

pub struct Tempo {
    pub(super) http: HttpClient,
    /// The server (or a proxy) refused protobuf once: ask for JSON from then on.
    json_only: AtomicBool,
}

impl Tempo {
    pub fn new(http: HttpClient) -> Tempo {
        Tempo {
            http,
            json_only: AtomicBool::new(false),
        }
    }

    /// GET a trace route, preferring protobuf; 406 or 415 means the type is refused (a
    /// proxy, a look-alike server), so the request is made again for JSON.
    fn get_trace(&self, segments: &[&str]) -> Result<Response> {
        let url = self.http.endpoint(segments, &[]);
        if !self.json_only.load(Ordering::Relaxed) {
            let r = self.http.get_accepting(&url, Some(PROTOBUF))?;
            if !matches!(r.status.as_u16(), 406 | 415) {
                return Ok(r);
            }
            self.json_only.store(true, Ordering::Relaxed);
            if self.http.options().verbose > 0 {
                eprintln!(
                    "tracediag: {} refused {PROTOBUF} (HTTP {}); asking for JSON",
                    r.url,
                    r.status.as_u16()
                );
            }
        }
        self.http.get(&url)
    }

    /// "Not found" — once the server has shown it is the API at all.
    fn not_found(&self, id: &str) -> Error {
        super::identity::tempo_or(
            &self.http,
            Error::TraceNotFound {
                id: id.to_string(),
                source_name: self.describe(),
                hint: " (find recent trace ids with `tracediag search`)".into(),
            },
        )
    }

    fn decode(&self, bytes: &[u8], r: &Response) -> Result<Vec<Trace>> {
        super::decode(bytes, &r.url, &self.http.options().limits)
            .map_err(|e| remote_decode_error(e, self.http.server()))
    }

    fn found(&self, id: &str, traces: Vec<Trace>) -> Result<Trace> {
        // Tempo answers with the spans of this id only; an empty document means not found.
        let mut traces: Vec<Trace> = traces.into_iter().filter(|t| !t.spans.is_empty()).collect();
        match traces.len() {
            0 => Err(self.not_found(id)),
            1 => Ok(traces.remove(0)),
            _ => pick(&traces, Some(id), &self.describe()),
        }
    }

    /// `/api/v2/traces/<id>` in protobuf: a `TraceByIDResponse`.
    fn trace_v2_protobuf(&self, id: &str, r: &Response) -> Result<Trace> {
        let answer = otlp_proto::decode_tempo_response(&r.body, &r.url)
            .map_err(|e| remote_decode_error(e, self.http.server()))?;
        let mut trace = self.found(id, answer.traces)?;
        if let Some(message) = answer.partial {
            self.partial(&mut trace, Some(message));
        }
        Ok(trace)
    }

    /// Tempo's `status: PARTIAL`: spans were dropped (size limit, filter). Said on stderr
    /// and kept in the trace's warnings.
    fn partial(&self, trace: &mut Trace, message: Option<String>) {
        let why = message
            .filter(|m| !m.trim().is_empty())
            .unwrap_or_else(|| "no reason given".into());
        let warning = format!(
            "Tempo returned a partial trace (status PARTIAL: {why}); spans are missing, so gaps and the root cause may be wrong"
        );
        if !self.http.options().quiet {
            eprintln!("tracediag: warning: {}", self.http.mask(&warning));
        }
        trace.warnings.push(warning);
    }

    /// `/api/v2/traces/<id>`: `{"trace": {...}, "status": "PARTIAL", "message": …}`.
    fn trace_v2(&self, id: &str, r: &Response) -> Result<Trace> {
        if is_protobuf(r) {
            return self.trace_v2_protobuf(id, r);
        }
        #[derive(Deserialize)]
        struct V2<'a> {
            #[serde(borrow)]
            trace: Option<&'a RawValue>,
            #[serde(default)]
            status: Option<String>,
            #[serde(default)]
            message: Option<String>,
        }
        r.check_json(self.http.server())?;
        let v2: V2 = serde_json::from_slice(&r.body).map_err(|e| {
            Error::Unreachable(format!(
                "{}: not a Tempo trace response ({e}); is this a Tempo API? check --source",
                r.url
            ))
        })?;
        // An empty `trace` object is how a trace with no spans comes back.
        let Some(raw) = v2.trace.filter(|t| t.get().trim() != "{}") else {
            return Err(self.not_found(id));
        };
        let mut trace = self.found(id, self.decode(raw.get().as_bytes(), r)?)?;
        if v2
            .status
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("PARTIAL"))
        {
            self.partial(&mut trace, v2.message);
        }
        Ok(trace)
    }

    fn tag_values(&self, segments: &[&str], query: &[(&str, String)]) -> Result<Vec<String>> {
        // v1 returns strings, v2 `{type, value}` objects.
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum TagValue {
            Plain(String),
            Typed {
                #[serde(default)]
                value: String,
            },
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Values {
            #[serde(default)]
            tag_values: Vec<TagValue>,
        }
        let r = self.http.get(&self.http.endpoint(segments, query))?;
        if !r.is_success() {
            return Err(r.status_error(self.http.server()));
        }
        let mut v: Vec<String> = r
            .json::<Values>(self.http.server())?
            .tag_values
            .into_iter()
            .map(|t| match t {
                TagValue::Plain(s) | TagValue::Typed { value: s } => s,
            })
            .filter(|s| !s.is_empty())
            .collect();
        v.sort();
        v.dedup();
        Ok(v)
    }
}

impl TraceSource for Tempo {
    fn describe(&self) -> String {
        format!("tempo+{}", self.http.base_display())
    }

    fn trace(&self, id: &str) -> Result<Trace> {
        let id = id.trim();
        // Tempo ids are 128-bit hex; a short id lost its leading zeros.
        let wire_id = pad_trace_id(id);
        let r = self.get_trace(&["api", "v2", "traces", &wire_id])?;
        match r.status.as_u16() {
            _ if r.is_success() => return self.trace_v2(id, &r),
            // 404 is both "no such trace" and "no v2 route" (Tempo before 2.5): ask v1.
            404 | 405 => {}
            400 => return Err(bad_id(id, &r)),
            _ => return Err(r.status_error(self.http.server())),
        }
        let r = self.get_trace(&["api", "traces", &wire_id])?;
        match r.status.as_u16() {
            // v1 protobuf is a bare `tempopb.Trace`, which reads as `TracesData`.
            _ if r.is_success() && is_protobuf(&r) => self.found(id, self.decode(&r.body, &r)?),
            _ if r.is_success() => {
                r.check_json(self.http.server())?;
                self.found(id, self.decode(&r.body, &r)?)
            }
            404 => Err(self.not_found(id)),
            400 => Err(bad_id(id, &r)),
            _ => Err(r.status_error(self.http.server())),
        }
    }

    fn search(&self, q: &SearchQuery) -> Result<Vec<TraceSummary>> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Stats {
            #[serde(rename = "spanCount")]
            span_count: Num,
            #[serde(rename = "errorCount")]
            error_count: Num,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Hit {
            #[serde(rename = "traceID", default)]
            trace_id: String,
            #[serde(default)]
            root_service_name: String,
            #[serde(default)]
            root_trace_name: String,
            #[serde(default)]
            start_time_unix_nano: Num,
            #[serde(default)]
            duration_ms: Option<f64>,
            #[serde(default)]
            service_stats: Option<std::collections::BTreeMap<String, Stats>>,
        }
        #[derive(Deserialize)]
        struct Found {
            #[serde(default)]
            traces: Vec<Hit>,
        }
        let params = [
            ("q", q.to_traceql()),
            // Tempo wants seconds; without start/end it searches only recent data.
            ("start", (q.start_ns / 1_000_000_000).to_string()),
            (
                "end",
                (q.end_ns.saturating_add(999_999_999) / 1_000_000_000).to_string(),
            ),
            ("limit", q.limit.to_string()),
        ];
        let r = self
            .http
            .get(&self.http.endpoint(&["api", "search"], &params))?;
        if r.status.as_u16() == 400 {
            return Err(Error::Usage(format!(
                "Tempo rejected the search at {}: {}",
                r.url,
                first_bytes(&r.body)
            )));
        }
        if !r.is_success() {
            return Err(r.status_error(self.http.server()));
        }
        let found: Found = r.json(self.http.server())?;
        Ok(found
            .traces
            .into_iter()
            .map(|h| {
                let (spans, errors) = match &h.service_stats {
                    Some(stats) => {
                        let sum = |f: fn(&Stats) -> i64| stats.values().map(f).sum::<i64>();
                        (
                            usize::try_from(sum(|s| s.span_count.0)).ok(),
                            usize::try_from(sum(|s| s.error_count.0)).ok(),
                        )
                    }
                    None => (None, None),
                };
                TraceSummary {
                    trace_id: pad_trace_id(&h.trace_id),
                    start_ns: h.start_time_unix_nano.0,
                    duration_ns: (h.duration_ms.unwrap_or(0.0) * 1e6).round() as i64,
                    root_service: h.root_service_name,
                    root_operation: h.root_trace_name,
                    span_count: spans,
                    error_count: errors,
                }
            })
            .collect())
    }

    fn services(&self) -> Result<Vec<String>> {
        self.tag_values(&["api", "search", "tag", "service.name", "values"], &[])
    }

    fn operations(&self, service: &str) -> Result<Vec<String>> {
        let q = SearchQuery {
            service: Some(service.to_string()),
            ..SearchQuery::default()
        }
        .to_traceql();
        self.tag_values(
            &["api", "v2", "search", "tag", "name", "values"],
            &[("q", q)],
        )
    }

    fn concurrency(&self) -> usize {
        self.http.options().concurrency
    }

    fn span_metrics(&self, start_ns: i64, end_ns: i64) -> std::result::Result<SpanMetrics, String> {
        self.traceql_metrics(start_ns, end_ns)
    }
}

/// Whether a trace body is protobuf. The content decides, not the label: binary bytes are
/// protobuf; an empty body labelled protobuf is an empty message (no spans).
fn is_protobuf(r: &Response) -> bool {
    otlp_proto::looks_binary(&r.body)
        || (r.body.is_empty() && r.content_type.to_ascii_lowercase().contains("protobuf"))
}

fn bad_id(id: &str, r: &Response) -> Error {
    Error::Usage(format!(
        "Tempo rejected trace id '{id}' at {}: {}; pass a hex trace id",
        r.url,
        first_bytes(&r.body)
    ))
}
