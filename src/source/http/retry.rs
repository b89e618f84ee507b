//! GET with retries. Only what a retry can fix is retried: failures to connect, and the
//! statuses a proxy or a query frontend answers when briefly overloaded.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderValue, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{StatusCode, Url};

use super::client::HttpClient;
use super::errors::human_duration;
use super::response::{error_detail, status_text, Response};
use crate::error::{Error, Result};

impl HttpClient {
    /// GET `url` with retries; returns the response whatever its status, or a one-line error
    /// when no response could be had.
    pub fn get(&self, url: &Url) -> Result<Response> {
        self.get_accepting(url, None)
    }

    /// [`HttpClient::get`] asking for another media type than JSON (`Accept`); the server
    /// may still answer JSON, which `Response::content_type` tells.
    pub fn get_accepting(&self, url: &Url, accept: Option<&'static str>) -> Result<Response> {
        let shown = self.masker.mask(url.as_str());
        let mut attempt = 0;
        loop {
            attempt += 1;
            let started = Instant::now();
            if self.opts.verbose >= 2 {
                if let Some(accept) = accept {
                    eprintln!("tracediag: > accept (preferred): {accept}");
                }
                for (name, value) in &self.headers {
                    let v = if value.is_sensitive() {
                        "***".to_string()
                    } else {
                        self.masker.mask(value.to_str().unwrap_or("?"))
                    };
                    eprintln!("tracediag: > {name}: {v}");
                }
            }
            let outcome = self.request(url, accept).send();
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
