//! The one HTTP client every remote source uses: timeouts, retries with backoff, a response
//! size limit enforced while reading, JSON/HTML detection, and secret masking in every message
//! and `-v` log line.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::Read;
use std::time::{Duration, Instant};

use reqwest::blocking::{Client, RequestBuilder};
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER,
};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;

use super::limits::Limits;
use crate::error::{Error, Result};

/// How remote sources talk HTTP. Built from flags, the environment and the config file.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Extra request headers (`--header 'Name: value'`, config `headers`). Values are secrets.
    pub headers: Vec<(String, String)>,
    /// Bearer token (`TRACEDIAG_TOKEN`), sent as `Authorization: Bearer …` unless a header
    /// already sets Authorization.
    pub token: Option<String>,
    /// Tempo tenant, sent as `X-Scope-OrgID`.
    pub tenant: Option<String>,
    pub connect_timeout: Duration,
    /// Whole-request timeout, body included.
    pub timeout: Duration,
    /// `--max-response-size` (bodies, here) and the other limits, for the decoders.
    pub limits: Limits,
    /// Attempts per request, the first included.
    pub max_attempts: u32,
    /// First backoff delay; doubled per retry, plus up to as much again of jitter.
    pub backoff: Duration,
    /// A `Retry-After` longer than this is not waited for: the request fails and says so.
    pub max_retry_after: Duration,
    /// Traces fetched at once when many are needed (`search --diagnose`).
    pub concurrency: usize,
    /// `-v` level: 1 logs each request, 2 also the request headers (masked).
    pub verbose: u8,
    /// `-q`: no warnings on stderr (a partial trace, a server's side remarks).
    pub quiet: bool,
    /// `--column role=column` for table sources (Postgres).
    pub columns: Vec<(String, String)>,
    /// `--statement-timeout` for database sources.
    pub statement_timeout: Duration,
}

impl Default for HttpOptions {
    fn default() -> HttpOptions {
        HttpOptions {
            headers: Vec::new(),
            token: None,
            tenant: None,
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(30),
            limits: Limits::default(),
            max_attempts: 3,
            backoff: Duration::from_millis(200),
            max_retry_after: Duration::from_secs(30),
            concurrency: 8,
            verbose: 0,
            quiet: false,
            columns: Vec::new(),
            statement_timeout: Duration::from_secs(30),
        }
    }
}

/// Replaces known secrets (header values, tokens, URL passwords) by `***` in any text that
/// may reach the terminal. Masking text rather than only the places we know a secret goes
/// also covers servers that echo a header back in an error body.
#[derive(Debug, Clone, Default)]
pub struct Masker {
    secrets: Vec<String>,
}

impl Masker {
    pub fn add(&mut self, secret: &str) {
        let s = secret.trim();
        if !s.is_empty() && !self.secrets.iter().any(|x| x == s) {
            self.secrets.push(s.to_string());
            // Longest first, so a secret containing another is masked whole.
            self.secrets.sort_by_key(|x| std::cmp::Reverse(x.len()));
        }
    }

    pub fn mask(&self, text: &str) -> String {
        let mut out = text.to_string();
        for s in &self.secrets {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), "***");
            }
        }
        out
    }
}

/// Strip the userinfo from a URL given as text, for display before it is parsed (and when it
/// cannot be).
pub fn mask_userinfo(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{}://***@{}", &url[..scheme_end], &rest[at + 1..]),
        None => url.to_string(),
    }
}

/// A response read in full (within the size limit), whatever its status.
#[derive(Debug)]
pub struct Response {
    pub status: StatusCode,
    pub content_type: String,
    pub body: Vec<u8>,
    /// The request URL, masked, for messages.
    pub url: String,
}

impl Response {
    pub fn is_success(&self) -> bool {
        self.status.is_success()
    }

    /// Check the body is JSON; otherwise a one-line error saying what came instead.
    pub fn check_json(&self, server: &str) -> Result<()> {
        match serde_json::from_slice::<serde::de::IgnoredAny>(&self.body) {
            Ok(_) => Ok(()),
            Err(e) => Err(self.not_json(server, &e)),
        }
    }

    /// Deserialize the body, with the same errors as [`Response::check_json`].
    pub fn json<T: DeserializeOwned>(&self, server: &str) -> Result<T> {
        self.check_json(server)?;
        serde_json::from_slice(&self.body).map_err(|e| {
            Error::Unreachable(format!(
                "{} returned JSON of an unexpected shape ({e}); is this a {server} API? check --source",
                self.url
            ))
        })
    }

    fn not_json(&self, server: &str, e: &serde_json::Error) -> Error {
        let trimmed = trim_ascii_start(&self.body);
        let ct = self.content_type.to_ascii_lowercase();
        if self.body.is_empty() || trimmed.is_empty() {
            return Error::Unreachable(format!(
                "{} returned an empty body (HTTP {}) where JSON was expected; is this a {server} API? check --source",
                self.url,
                self.status.as_u16()
            ));
        }
        if ct.contains("html") || trimmed.first() == Some(&b'<') {
            return Error::Unreachable(format!(
                "{} returned HTML where JSON was expected (a login page or a proxy error?); check --source, and --header or TRACEDIAG_TOKEN if it needs a login; it begins: {}",
                self.url,
                first_bytes(&self.body)
            ));
        }
        if !ct.contains("json") && !looks_like_json_start(trimmed) {
            let shown = if ct.is_empty() {
                "a non-JSON body".to_string()
            } else {
                self.content_type.clone()
            };
            return Error::Unreachable(format!(
                "{} returned {shown} where JSON was expected; it begins: {}",
                self.url,
                first_bytes(&self.body)
            ));
        }
        if e.is_eof() {
            return Error::Unreachable(format!(
                "{} returned malformed JSON: it ends at byte {} in the middle of a value (cut off?); retry, or check a proxy in between",
                self.url,
                self.body.len()
            ));
        }
        Error::Unreachable(format!(
            "{} returned malformed JSON at byte offset {}: {}; is this a {server} API? check --source, or a proxy in between",
            self.url,
            byte_offset(&self.body, e.line(), e.column()),
            strip_position(&e.to_string())
        ))
    }

    /// The error for a status the caller has no special meaning for.
    pub fn status_error(&self, server: &str) -> Error {
        let code = self.status.as_u16();
        if code == 401 || code == 403 {
            return Error::Unreachable(format!(
                "authentication failed at {} (HTTP {code}); set --header or TRACEDIAG_TOKEN",
                self.url
            ));
        }
        let detail = error_detail(&self.body);
        Error::Unreachable(format!(
            "{} answered HTTP {}{}; check that {server} is healthy and --source points at it",
            self.url,
            status_text(self.status),
            if detail.is_empty() {
                String::new()
            } else {
                format!(": {detail}")
            }
        ))
    }
}

fn status_text(s: StatusCode) -> String {
    match s.canonical_reason() {
        Some(r) => format!("{} {r}", s.as_u16()),
        None => s.as_u16().to_string(),
    }
}

fn trim_ascii_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

fn looks_like_json_start(b: &[u8]) -> bool {
    matches!(b.first(), Some(b'{' | b'[' | b'"'))
}

/// serde_json reports line and column; users of a one-line body want the byte offset.
fn byte_offset(body: &[u8], line: usize, column: usize) -> usize {
    let mut offset = 0;
    for _ in 1..line {
        match body[offset..].iter().position(|&c| c == b'\n') {
            Some(p) => offset += p + 1,
            None => break,
        }
    }
    (offset + column.saturating_sub(1)).min(body.len())
}

/// serde_json appends " at line L column C"; the message gives the byte offset instead.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// The start of a body, on one line, for messages.
pub fn first_bytes(body: &[u8]) -> String {
    const MAX: usize = 120;
    let text = String::from_utf8_lossy(&body[..body.len().min(MAX * 4)]);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = one_line.chars().take(MAX).collect();
    if one_line.chars().count() > MAX || body.len() > MAX * 4 {
        out.push('…');
    }
    format!("{out:?}")
}

/// What an error body says, in one line: the Jaeger v1 `errors[].msg`, the api_v3
/// `error.message`, or the first bytes of a text body.
fn error_detail(body: &[u8]) -> String {
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) {
        if let Some(msgs) = v.get("errors").and_then(|e| e.as_array()) {
            let m: Vec<&str> = msgs
                .iter()
                .filter_map(|e| e.get("msg").and_then(|m| m.as_str()))
                .collect();
            if !m.is_empty() {
                return m.join("; ");
            }
        }
        if let Some(m) = v.pointer("/error/message").and_then(|m| m.as_str()) {
            return m.to_string();
        }
    }
    if body.iter().all(|c| c.is_ascii_whitespace()) {
        return String::new();
    }
    first_bytes(body)
}

fn human_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}

/// A client bound to one server's base URL.
pub struct HttpClient {
    client: Client,
    /// Base URL without userinfo.
    base: Url,
    basic: Option<(String, Option<String>)>,
    headers: HeaderMap,
    masker: Masker,
    opts: HttpOptions,
    /// What runs there, for messages ("Jaeger", "Tempo").
    server: String,
}

impl HttpClient {
    /// `url` is the server's base URL (`http://host:16686/jaeger`), possibly with userinfo for
    /// basic auth.
    pub fn new(url: &str, server: &str, opts: &HttpOptions) -> Result<HttpClient> {
        let shown = mask_userinfo(url);
        let mut base = Url::parse(url)
            .map_err(|e| Error::Usage(format!("invalid source URL {shown}: {e}")))?;
        if !matches!(base.scheme(), "http" | "https") || base.host_str().is_none_or(str::is_empty) {
            return Err(Error::Usage(format!(
                "invalid source URL {shown}: expected http(s)://host[:port][/path]"
            )));
        }
        let mut masker = Masker::default();
        let basic = if !base.username().is_empty() || base.password().is_some() {
            let user = decode_pct(base.username());
            let pass = base.password().map(decode_pct);
            if let Some(p) = &pass {
                masker.add(p);
                masker.add(base.password().unwrap_or_default());
            }
            // The username alone is not secret, but it is part of the credential pair and
            // hiding it costs nothing.
            masker.add(&user);
            let _ = base.set_username("");
            let _ = base.set_password(None);
            Some((user, pass))
        } else {
            None
        };
        base.set_query(None);
        base.set_fragment(None);

        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let mut has_auth = false;
        for (name, value) in &opts.headers {
            masker.add(value);
            let n = HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| {
                Error::Usage(format!("invalid header name '{}' in --header", name.trim()))
            })?;
            let mut v = HeaderValue::from_str(value.trim()).map_err(|_| {
                Error::Usage(format!(
                    "invalid value for header '{}' in --header",
                    name.trim()
                ))
            })?;
            v.set_sensitive(true);
            has_auth |= n == AUTHORIZATION;
            headers.insert(n, v);
        }
        if let Some(token) = opts
            .token
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            masker.add(token);
            if !has_auth && basic.is_none() {
                let mut v = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
                    Error::Usage("TRACEDIAG_TOKEN holds characters not allowed in a header".into())
                })?;
                v.set_sensitive(true);
                headers.insert(AUTHORIZATION, v);
            }
        }
        if let Some(tenant) = opts
            .tenant
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let v = HeaderValue::from_str(tenant).map_err(|_| {
                Error::Usage(format!("invalid tenant '{tenant}' for X-Scope-OrgID"))
            })?;
            headers.insert(HeaderName::from_static("x-scope-orgid"), v);
        }

        let client = Client::builder()
            .connect_timeout(opts.connect_timeout)
            .timeout(opts.timeout)
            .user_agent(concat!("tracediag/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Unreachable(format!("cannot set up an HTTP client: {e}")))?;
        Ok(HttpClient {
            client,
            base,
            basic,
            headers,
            masker,
            opts: opts.clone(),
            server: server.to_string(),
        })
    }

    pub fn server(&self) -> &str {
        &self.server
    }

    pub fn options(&self) -> &HttpOptions {
        &self.opts
    }

    /// The base URL, masked, for `describe` and messages.
    pub fn base_display(&self) -> String {
        self.masker.mask(self.base.as_str().trim_end_matches('/'))
    }

    pub fn mask(&self, text: &str) -> String {
        self.masker.mask(text)
    }

    /// The URL of an endpoint under the base path; each segment is percent-encoded, so ids
    /// and service names with `/` or spaces stay one segment.
    pub fn endpoint(&self, segments: &[&str], query: &[(&str, String)]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty();
            path.extend(segments);
        }
        if !query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        url
    }

    /// GET `url` with retries; returns the response whatever its status, or a one-line error
    /// when no response could be had.
    pub fn get(&self, url: &Url) -> Result<Response> {
        let shown = self.masker.mask(url.as_str());
        let mut attempt = 0;
        loop {
            attempt += 1;
            let started = Instant::now();
            if self.opts.verbose >= 2 {
                for (name, value) in &self.headers {
                    let v = if value.is_sensitive() {
                        "***".to_string()
                    } else {
                        self.masker.mask(value.to_str().unwrap_or("?"))
                    };
                    eprintln!("tracediag: > {name}: {v}");
                }
            }
            let outcome = self.request(url).send();
            let retry_in = match outcome {
                Err(e) => {
                    let msg = self.transport_error(&e, &shown);
                    if self.opts.verbose > 0 {
                        eprintln!(
                            "tracediag: GET {shown} failed after {} ms: {msg}",
                            started.elapsed().as_millis()
                        );
                    }
                    // Only failures to connect are retried: the request never reached the
                    // server. A timeout after connecting would just cost another 30 s.
                    if e.is_connect() && attempt < self.opts.max_attempts {
                        self.backoff(attempt)
                    } else {
                        return Err(Error::Unreachable(msg));
                    }
                }
                Ok(resp) => {
                    let status = resp.status();
                    let retry_after = parse_retry_after(resp.headers().get(RETRY_AFTER));
                    let content_type = resp
                        .headers()
                        .get(CONTENT_TYPE)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_string();
                    let body = self.read_body(resp, &shown)?;
                    if self.opts.verbose > 0 {
                        eprintln!(
                            "tracediag: GET {shown} → {} ({} bytes, {} ms)",
                            status.as_u16(),
                            body.len(),
                            started.elapsed().as_millis()
                        );
                    }
                    let response = Response {
                        status,
                        content_type,
                        body,
                        url: shown.clone(),
                    };
                    if !is_retryable(status) {
                        return Ok(response);
                    }
                    if attempt >= self.opts.max_attempts {
                        return Err(self.gave_up(&response, attempt));
                    }
                    match retry_after {
                        Some(wait) if wait > self.opts.max_retry_after => {
                            return Err(Error::Unreachable(format!(
                                "{shown} answered HTTP {} and asked to retry after {}s, longer than tracediag waits ({}); try again later",
                                status_text(status),
                                wait.as_secs(),
                                human_duration(self.opts.max_retry_after)
                            )));
                        }
                        Some(wait) => wait.max(self.backoff(attempt)),
                        None => self.backoff(attempt),
                    }
                }
            };
            if self.opts.verbose > 0 {
                eprintln!(
                    "tracediag: retrying in {} ms (attempt {} of {})",
                    retry_in.as_millis(),
                    attempt + 1,
                    self.opts.max_attempts
                );
            }
            std::thread::sleep(retry_in);
        }
    }

    fn request(&self, url: &Url) -> RequestBuilder {
        let mut req = self.client.get(url.clone()).headers(self.headers.clone());
        if let Some((user, pass)) = &self.basic {
            req = req.basic_auth(user, pass.as_ref());
        }
        req
    }

    /// Read the body, refusing it as soon as it passes the size limit.
    fn read_body(&self, resp: reqwest::blocking::Response, shown: &str) -> Result<Vec<u8>> {
        let limit = self.opts.limits.max_response_bytes;
        // Exit 3, as the README's exit codes say: a server that sends more than asked for
        // is not answering with a trace.
        let too_large =
            || Error::Unreachable(self.opts.limits.too_large_message(shown, "the response"));
        if resp.content_length().is_some_and(|n| n > limit) {
            return Err(too_large());
        }
        let expected = resp.content_length();
        let mut body =
            Vec::with_capacity(expected.unwrap_or(0).min(limit).min(64 * 1024 * 1024) as usize);
        match resp.take(limit.saturating_add(1)).read_to_end(&mut body) {
            Ok(_) if body.len() as u64 > limit => Err(too_large()),
            Ok(_) => Ok(body),
            Err(e) if is_timeout_io(&e) => Err(Error::Unreachable(format!(
                "{shown} did not finish sending its response within {} (got {} bytes); raise --timeout or check the server",
                human_duration(self.opts.timeout),
                body.len()
            ))),
            Err(e) => Err(Error::Unreachable(format!(
                "{shown}: the response was cut off after {} bytes{} ({}); retry, or check a proxy in between",
                body.len(),
                expected.map(|n| format!(" of {n}")).unwrap_or_default(),
                self.masker.mask(&root_cause(&e))
            ))),
        }
    }

    fn transport_error(&self, e: &reqwest::Error, shown: &str) -> String {
        let cause = self.masker.mask(&chain(e));
        let base = self.base_display();
        let lower = cause.to_ascii_lowercase();
        if e.is_connect() {
            let what = if lower.contains("dns")
                || lower.contains("resolve")
                || lower.contains("name or service")
            {
                "host not found"
            } else if lower.contains("refused") {
                "connection refused"
            } else if e.is_timeout() || lower.contains("timed out") {
                "connect timed out"
            } else {
                "cannot connect"
            };
            return format!(
                "cannot reach {shown} ({what}); is {} running at {base}? check --source",
                self.server
            );
        }
        if e.is_timeout() {
            return format!(
                "{shown} did not answer within {}; raise --timeout or check that {} at {base} is healthy",
                human_duration(self.opts.timeout),
                self.server
            );
        }
        format!(
            "request to {shown} failed: {cause}; is {} running at {base}? check --source",
            self.server
        )
    }

    fn gave_up(&self, r: &Response, attempts: u32) -> Error {
        let detail = error_detail(&r.body);
        let advice = if r.status == StatusCode::TOO_MANY_REQUESTS {
            "the server is rate limiting; wait and try again"
        } else {
            "check that the server and any proxy in front of it are healthy"
        };
        Error::Unreachable(format!(
            "{} answered HTTP {} {attempts} times{}; {advice}",
            r.url,
            status_text(r.status),
            if detail.is_empty() {
                String::new()
            } else {
                format!(" ({detail})")
            }
        ))
    }

    /// Exponential backoff with jitter: `backoff × 2^(attempt-1)` plus up to as much again,
    /// so many clients retrying at once spread out.
    fn backoff(&self, attempt: u32) -> Duration {
        let base = self
            .opts
            .backoff
            .saturating_mul(1 << attempt.saturating_sub(1).min(10));
        let jitter_ms = random_u64() % (base.as_millis() as u64).max(1);
        base + Duration::from_millis(jitter_ms)
    }
}

fn is_retryable(s: StatusCode) -> bool {
    // 500 is included: our requests are idempotent GETs, and Jaeger/Tempo query frontends
    // answer 500 for transient storage errors that a retry often gets past.
    matches!(s.as_u16(), 429 | 500 | 502 | 503 | 504)
}

/// `Retry-After` in seconds. The HTTP-date form is not parsed; the backoff is used then.
fn parse_retry_after(v: Option<&HeaderValue>) -> Option<Duration> {
    let secs: u64 = v?.to_str().ok()?.trim().parse().ok()?;
    Some(Duration::from_secs(secs))
}

fn random_u64() -> u64 {
    // RandomState is randomly seeded per instance: enough jitter without a rand dependency.
    let mut h = RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.finish()
}

fn is_timeout_io(e: &std::io::Error) -> bool {
    if e.kind() == std::io::ErrorKind::TimedOut {
        return true;
    }
    let text = chain(e).to_ascii_lowercase();
    text.contains("timed out") || text.contains("timeout")
}

/// The error and its causes on one line.
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        let t = s.to_string();
        if !parts.iter().any(|p| p.contains(&t)) {
            parts.push(t);
        }
        cur = s.source();
    }
    parts.join(": ")
}

/// The innermost cause, which names what actually happened ("connection closed before
/// message completed").
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur: &(dyn std::error::Error + 'static) = e;
    while let Some(s) = cur.source() {
        cur = s;
    }
    cur.to_string()
}

fn decode_pct(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_userinfo_and_secrets() {
        assert_eq!(mask_userinfo("http://u:p@h:1/x"), "http://***@h:1/x");
        assert_eq!(mask_userinfo("http://h:1/x@y"), "http://h:1/x@y");
        let mut m = Masker::default();
        m.add("s3cret");
        m.add("s3cret-longer");
        assert_eq!(m.mask("a s3cret-longer and s3cret"), "a *** and ***");
    }

    #[test]
    fn byte_offsets_count_lines() {
        assert_eq!(byte_offset(b"{\n  \"a\": x}", 2, 8), 9);
        assert_eq!(byte_offset(b"{\"a\": x}", 1, 7), 6);
    }

    #[test]
    fn percent_decodes_userinfo() {
        assert_eq!(decode_pct("p%40ss"), "p@ss");
        assert_eq!(decode_pct("100%"), "100%");
    }
}
