//! Reading a response body within `--max-response-size`: refused as soon as it passes the
//! limit, and a body cut off or stalled mid-way is told apart from a refused one.

use std::io::Read;

use super::client::HttpClient;
use super::errors::{chain, human_duration, root_cause};
use crate::error::{Error, Result};

impl HttpClient {
    /// Read the body, refusing it as soon as it passes the size limit.
    pub(super) fn read_body(
        &self,
        resp: reqwest::blocking::Response,
        shown: &str,
    ) -> Result<Vec<u8>> {
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
}

fn is_timeout_io(e: &std::io::Error) -> bool {
    if e.kind() == std::io::ErrorKind::TimedOut {
        return true;
    }
    let text = chain(e).to_ascii_lowercase();
    text.contains("timed out") || text.contains("timeout")
}
