//! Jaeger over HTTP: api_v3 when the server has it, else the v1 `/api/...` JSON API.

use std::sync::OnceLock;

use serde::de::IgnoredAny;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::model::Trace;

use super::http::{HttpClient, Response};
use super::search::{SearchQuery, TraceSummary};
use super::trace_source::{pick, TraceSource};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Api {
    V3,
    V1,
}

pub struct Jaeger {
    http: HttpClient,
    api: OnceLock<Api>,
}

/// The v1 envelope: `{"data": …, "errors": [{"code", "msg"}]}`. Only what tracediag checks.
#[derive(Deserialize)]
struct V1Envelope<T> {
    data: Option<T>,
    #[serde(default)]
    errors: Option<Vec<V1Error>>,
}

#[derive(Deserialize)]
struct V1Error {
    #[serde(default)]
    code: i64,
    #[serde(default)]
    msg: String,
}

impl Jaeger {
    pub fn new(http: HttpClient) -> Jaeger {
        Jaeger {
            http,
            api: OnceLock::new(),
        }
    }

    /// Which API the server speaks, asked once: api_v3 answers `/api/v3/services` with a
    /// JSON object; anything else (404, 405, the UI's HTML) means v1 only.
    fn api(&self) -> Result<Api> {
        if let Some(api) = self.api.get() {
            return Ok(*api);
        }
        let r = self
            .http
            .get(&self.http.endpoint(&["api", "v3", "services"], &[]))?;
        if matches!(r.status.as_u16(), 401 | 403) {
            return Err(r.status_error(self.http.server()));
        }
        let v3 = r.is_success()
            && serde_json::from_slice::<serde_json::Value>(&r.body)
                .is_ok_and(|v| v.is_object() && v.get("data").is_none());
        let api = if v3 { Api::V3 } else { Api::V1 };
        if self.http.options().verbose > 0 {
            eprintln!(
                "tracediag: {} speaks {}",
                self.http.base_display(),
                if v3 { "api_v3" } else { "the v1 API only" }
            );
        }
        Ok(*self.api.get_or_init(|| api))
    }

    /// "Not found" — once the server has shown it is the API at all.
    fn not_found(&self, id: &str) -> Error {
        super::identity::jaeger_or(&self.http, self.missing(id))
    }

    /// "Not found", said by Jaeger itself (its error envelope).
    fn missing(&self, id: &str) -> Error {
        Error::TraceNotFound {
            id: id.to_string(),
            source_name: self.describe(),
            hint: " (find recent trace ids with `tracediag search`)".into(),
        }
    }

    /// Decode a trace body; the server's bytes not being traces is the server's fault (exit 3).
    fn decode(&self, r: &Response) -> Result<Vec<Trace>> {
        r.check_json(self.http.server())?;
        super::decode(&r.body, &r.url, &self.http.options().limits)
            .map_err(|e| remote_decode_error(e, self.http.server()))
    }

    /// Check a v1 body for the `errors` array Jaeger sends with HTTP 200. Returns whether
    /// `data` holds anything.
    fn v1_check(&self, r: &Response, id: Option<&str>) -> Result<bool> {
        let env: V1Envelope<Vec<IgnoredAny>> = r.json(self.http.server())?;
        if env.data.is_none() && env.errors.is_none() {
            // A bare trace object (a UI download served as-is), not an envelope.
            return Ok(true);
        }
        let n = env.data.as_ref().map_or(0, Vec::len);
        let errors = env.errors.unwrap_or_default();
        if !errors.is_empty() {
            let msgs: Vec<String> = errors.iter().map(|e| e.msg.clone()).collect();
            let not_found = errors
                .iter()
                .all(|e| e.code == 404 || e.msg.to_ascii_lowercase().contains("not found"));
            if n == 0 {
                if let (Some(id), true) = (id, not_found) {
                    return Err(self.missing(id));
                }
                return Err(Error::Unreachable(format!(
                    "{} reported an error: {}; check the query and that Jaeger's storage is healthy",
                    r.url,
                    self.http.mask(&msgs.join("; "))
                )));
            }
            // Partial answers (some of several ids missing) still carry data: say so and go on.
            if !self.http.options().quiet {
                eprintln!(
                    "tracediag: warning: {} also reported: {}",
                    r.url,
                    self.http.mask(&msgs.join("; "))
                );
            }
        }
        Ok(n > 0)
    }

    fn search_v3(&self, q: &SearchQuery) -> Result<Vec<TraceSummary>> {
        let params = q.jaeger_v3_params();
        // trace-summaries (v2.19+) saves fetching every span; older servers lack the route.
        let r = self.http.get(
            &self
                .http
                .endpoint(&["api", "v3", "trace-summaries"], &params),
        )?;
        if r.is_success() {
            return parse_summaries(&r, self.http.server());
        }
        if r.status.as_u16() == 404 && is_v3_error(&r) {
            // api_v3 answers an empty search with 404, not an empty list.
            return Ok(Vec::new());
        }
        if !matches!(r.status.as_u16(), 404 | 405 | 501) {
            return Err(r.status_error(self.http.server()));
        }
        let r = self
            .http
            .get(&self.http.endpoint(&["api", "v3", "traces"], &params))?;
        match r.status.as_u16() {
            404 => Ok(Vec::new()),
            _ if r.is_success() => Ok(self.decode(&r)?.iter().map(TraceSummary::of).collect()),
            400 => Err(rejected(&r)),
            _ => Err(r.status_error(self.http.server())),
        }
    }

    fn search_v1(&self, q: &SearchQuery) -> Result<Vec<TraceSummary>> {
        let r = self.http.get(
            &self
                .http
                .endpoint(&["api", "traces"], &q.jaeger_v1_params()),
        )?;
        if r.status.as_u16() == 400 {
            return Err(rejected(&r));
        }
        if !r.is_success() {
            return Err(r.status_error(self.http.server()));
        }
        if !self.v1_check(&r, None)? {
            return Ok(Vec::new());
        }
        Ok(self.decode(&r)?.iter().map(TraceSummary::of).collect())
    }

    fn v1_list(&self, segments: &[&str]) -> Result<Vec<String>> {
        let r = self.http.get(&self.http.endpoint(segments, &[]))?;
        if !r.is_success() {
            return Err(r.status_error(self.http.server()));
        }
        let env: V1Envelope<Vec<String>> = r.json(self.http.server())?;
        if let Some(errors) = env.errors.filter(|e| !e.is_empty()) {
            let msgs: Vec<String> = errors.into_iter().map(|e| e.msg).collect();
            return Err(Error::Unreachable(format!(
                "{} reported an error: {}",
                r.url,
                self.http.mask(&msgs.join("; "))
            )));
        }
        Ok(sorted(env.data.unwrap_or_default()))
    }
}

impl TraceSource for Jaeger {
    fn describe(&self) -> String {
        format!("jaeger+{}", self.http.base_display())
    }

    fn trace(&self, id: &str) -> Result<Trace> {
        let id = id.trim();
        let r = match self.api()? {
            // Raw traces: tracediag adjusts clock skew itself. Both spellings of the flag, for
            // the gateway before and after v2.19.
            Api::V3 => {
                let q = [
                    ("rawTraces", "true".to_string()),
                    ("raw_traces", "true".to_string()),
                ];
                self.http
                    .get(&self.http.endpoint(&["api", "v3", "traces", id], &q))?
            }
            Api::V1 => self.http.get(
                &self
                    .http
                    .endpoint(&["api", "traces", id], &[("raw", "true".to_string())]),
            )?,
        };
        if r.status.as_u16() == 404 {
            // Jaeger's own error body (v1 `errors`, api_v3 `error`) says it; anything else
            // (a web server's 404 page) is checked to be Jaeger first.
            let jaegers = serde_json::from_slice::<serde_json::Value>(&r.body)
                .is_ok_and(|v| v.get("errors").is_some() || v.get("error").is_some());
            return Err(if jaegers {
                self.missing(id)
            } else {
                self.not_found(id)
            });
        }
        if r.status.as_u16() == 400 {
            return Err(Error::Usage(format!(
                "Jaeger at {} rejected trace id '{id}' ({}); pass the hex id shown in the Jaeger UI",
                self.http.base_display(),
                super::http::first_bytes(&r.body)
            )));
        }
        if !r.is_success() {
            return Err(r.status_error(self.http.server()));
        }
        if self.api.get() == Some(&Api::V1) && !self.v1_check(&r, Some(id))? {
            return Err(self.not_found(id));
        }
        let traces = self.decode(&r)?;
        match traces.len() {
            0 => Err(self.not_found(id)),
            // The server answered for this id; its id may be spelled differently (padding).
            1 => Ok(traces.into_iter().next().unwrap_or_default()),
            _ => pick(&traces, Some(id), &self.describe()),
        }
    }

    fn search(&self, q: &SearchQuery) -> Result<Vec<TraceSummary>> {
        if q.traceql.is_some() {
            return Err(Error::Usage(
                "--traceql is for Tempo; for Jaeger use --service, --operation and --tag".into(),
            ));
        }
        if q.service.is_none() {
            return Err(Error::Usage(format!(
                "searching Jaeger needs --service (list them with `tracediag services --source {}`)",
                self.describe()
            )));
        }
        let mut hits = match self.api()? {
            Api::V3 => self.search_v3(q)?,
            Api::V1 => self.search_v1(q)?,
        };
        // Jaeger matches any span and caps newest first; the root filter and the order the
        // query asks for are applied to what it returned.
        hits.retain(|h| q.root_matches(h));
        q.keep(&mut hits);
        Ok(hits)
    }

    fn services(&self) -> Result<Vec<String>> {
        match self.api()? {
            Api::V3 => {
                #[derive(Deserialize)]
                struct Services {
                    #[serde(default)]
                    services: Vec<String>,
                }
                let r = self
                    .http
                    .get(&self.http.endpoint(&["api", "v3", "services"], &[]))?;
                if !r.is_success() {
                    return Err(r.status_error(self.http.server()));
                }
                Ok(sorted(r.json::<Services>(self.http.server())?.services))
            }
            Api::V1 => self.v1_list(&["api", "services"]),
        }
    }

    fn operations(&self, service: &str) -> Result<Vec<String>> {
        match self.api()? {
            Api::V3 => {
                #[derive(Deserialize)]
                struct Op {
                    #[serde(default)]
                    name: String,
                }
                #[derive(Deserialize)]
                struct Ops {
                    #[serde(default)]
                    operations: Vec<Op>,
                }
                let q = [("service", service.to_string())];
                let r = self
                    .http
                    .get(&self.http.endpoint(&["api", "v3", "operations"], &q))?;
                if r.status.as_u16() == 404 && is_v3_error(&r) {
                    return Ok(Vec::new());
                }
                if !r.is_success() {
                    return Err(r.status_error(self.http.server()));
                }
                Ok(sorted(
                    r.json::<Ops>(self.http.server())?
                        .operations
                        .into_iter()
                        .map(|o| o.name)
                        .collect(),
                ))
            }
            Api::V1 => self.v1_list(&["api", "services", service, "operations"]),
        }
    }

    fn concurrency(&self) -> usize {
        self.http.options().concurrency
    }
}

/// An api_v3 error body: `{"error": {"httpCode": 404, "message": "No traces found"}}`.
fn is_v3_error(r: &Response) -> bool {
    serde_json::from_slice::<serde_json::Value>(&r.body).is_ok_and(|v| v.get("error").is_some())
}

/// A 400 on a search means the query was wrong, which the user can fix (exit 2).
fn rejected(r: &Response) -> Error {
    Error::Usage(format!(
        "Jaeger rejected the search at {}: {}",
        r.url,
        super::http::first_bytes(&r.body)
    ))
}

fn parse_summaries(r: &Response, server: &str) -> Result<Vec<TraceSummary>> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Summary {
        #[serde(default)]
        trace_id: String,
        #[serde(default)]
        root_service_name: String,
        #[serde(default)]
        root_operation_name: String,
        #[serde(default)]
        min_start_time_unix_nano: Num,
        #[serde(default)]
        max_end_time_unix_nano: Num,
        #[serde(default)]
        span_count: Num,
        #[serde(default)]
        error_span_count: Num,
    }
    #[derive(Deserialize)]
    struct Summaries {
        #[serde(default)]
        summaries: Vec<Summary>,
    }
    let s: Summaries = r.json(server)?;
    Ok(s.summaries
        .into_iter()
        .map(|s| TraceSummary {
            trace_id: crate::model::normalize_id(&s.trace_id),
            start_ns: s.min_start_time_unix_nano.0,
            duration_ns: (s.max_end_time_unix_nano.0 - s.min_start_time_unix_nano.0).max(0),
            root_service: s.root_service_name,
            root_operation: s.root_operation_name,
            span_count: usize::try_from(s.span_count.0).ok(),
            error_count: usize::try_from(s.error_span_count.0).ok(),
        })
        .collect())
}

/// A protobuf-JSON integer: a number, or (int64) a decimal string.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Num(pub i64);

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Num, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            I(i64),
            F(f64),
            S(String),
        }
        Ok(Num(match Raw::deserialize(d)? {
            Raw::I(i) => i,
            Raw::F(f) if f.is_finite() => f as i64,
            Raw::F(_) => 0,
            Raw::S(s) => s.trim().parse().unwrap_or(0),
        }))
    }
}

/// Decoder errors on a server's body become exit-3 errors naming the URL.
pub(crate) fn remote_decode_error(e: Error, server: &str) -> Error {
    match e {
        Error::Input { what, message } => Error::Unreachable(format!(
            "{what}: {message}; is this a {server} API? check --source"
        )),
        other => other,
    }
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}
