//! The one HTTP client every remote source uses: timeouts, retries with backoff, a response
//! size limit enforced while reading, JSON/HTML detection, and secret masking in every message
//! and `-v` log line.
//!
//! * `client.rs`: the client bound to one server: URL, credentials, default headers;
//! * `retry.rs`: GET with retries, backoff and `Retry-After`;
//! * `body.rs`: reading a body within the size limit;
//! * `response.rs`: a response read in full, checked for JSON, its error messages;
//! * `errors.rs`: transport failures as one-line messages;
//! * `secrets.rs`: masking credentials in anything that reaches the terminal.

mod body;
mod client;
mod errors;
mod response;
mod retry;
mod secrets;

use std::time::Duration;

use super::limits::Limits;

pub use client::HttpClient;
pub use response::{first_bytes, Response};
pub use secrets::mask_userinfo;

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
