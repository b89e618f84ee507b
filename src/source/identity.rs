//! Which API a server speaks, asked by endpoints only that API answers: a plain URL is
//! probed with these, and a `jaeger+`/`tempo+` source that cannot find a trace checks that it
//! is talking to that API at all before saying "not found" (a web server's 404 page is not
//! Jaeger saying the trace is missing).

use crate::error::{Error, Result};

use super::http::HttpClient;

/// Whether `segments` answers with success and a body `check` accepts; 401/403 is an error
/// of its own (the credentials, not the kind of server).
fn answers(client: &HttpClient, segments: &[&str], check: &dyn Fn(&[u8]) -> bool) -> Result<bool> {
    let r = client.get(&client.endpoint(segments, &[]))?;
    if matches!(r.status.as_u16(), 401 | 403) {
        return Err(r.status_error(client.server()));
    }
    Ok(r.is_success() && check(&r.body))
}

fn json_has(key: &'static str) -> impl Fn(&[u8]) -> bool {
    move |b: &[u8]| {
        serde_json::from_slice::<serde_json::Value>(b).is_ok_and(|v| v.get(key).is_some())
    }
}

/// Jaeger's query service: api_v3 `/api/v3/services` (`{"services": …}`) or v1
/// `/api/services` (`{"data": …}`).
pub fn is_jaeger(client: &HttpClient) -> Result<bool> {
    Ok(
        answers(client, &["api", "v3", "services"], &json_has("services"))?
            || answers(client, &["api", "services"], &json_has("data"))?,
    )
}

/// Tempo: `/api/echo` answers `echo`, or `/api/status/buildinfo` a version.
pub fn is_tempo(client: &HttpClient) -> Result<bool> {
    Ok(answers(client, &["api", "echo"], &|b: &[u8]| {
        String::from_utf8_lossy(b).trim() == "echo"
    })? || answers(
        client,
        &["api", "status", "buildinfo"],
        &json_has("version"),
    )?)
}

/// The error for a server that is not the API its `--source` names (exit 3: the source
/// given cannot be used).
pub fn not_the_api(client: &HttpClient, api: &str, endpoints: &str, port_hint: &str) -> Error {
    Error::Unreachable(format!(
        "{} is not a {api} query API: {endpoints} did not answer as {api} does; check --source ({port_hint})",
        client.base_display()
    ))
}

/// `not_found` unless the server is not a Jaeger query API at all.
pub fn jaeger_or(client: &HttpClient, not_found: Error) -> Error {
    match is_jaeger(client) {
        Ok(true) => not_found,
        Ok(false) => not_the_api(
            client,
            "Jaeger",
            "/api/v3/services and /api/services",
            "Jaeger's query service listens on port 16686",
        ),
        Err(e) => e,
    }
}

/// `not_found` unless the server is not a Tempo API at all.
pub fn tempo_or(client: &HttpClient, not_found: Error) -> Error {
    match is_tempo(client) {
        Ok(true) => not_found,
        Ok(false) => not_the_api(
            client,
            "Tempo",
            "/api/echo and /api/status/buildinfo",
            "Tempo's HTTP API listens on port 3200",
        ),
        Err(e) => e,
    }
}
