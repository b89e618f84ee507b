//! The client bound to one server's base URL: the URL checked and stripped of credentials,
//! basic auth, bearer token, tenant and extra headers set once, every secret registered for
//! masking.

use reqwest::blocking::{Client, RequestBuilder};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION};
use reqwest::Url;

use super::secrets::{decode_pct, mask_userinfo, Masker};
use super::HttpOptions;
use crate::error::{Error, Result};

/// A client bound to one server's base URL.
pub struct HttpClient {
    client: Client,
    /// Base URL without userinfo.
    base: Url,
    basic: Option<(String, Option<String>)>,
    pub(super) headers: HeaderMap,
    pub(super) masker: Masker,
    pub(super) opts: HttpOptions,
    /// What runs there, for messages ("Jaeger", "Tempo").
    pub(super) server: String,
    /// `--header 'Accept: …'` was given: it wins over the type a request prefers.
    user_accept: bool,
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
        let mut user_accept = false;
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
            user_accept |= n == ACCEPT;
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
            user_accept,
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

    /// A GET with the client's headers; `accept` replaces the default `Accept:
    /// application/json` unless the user set Accept themselves.
    pub(super) fn request(&self, url: &Url, accept: Option<&'static str>) -> RequestBuilder {
        let mut headers = self.headers.clone();
        if let Some(accept) = accept.filter(|_| !self.user_accept) {
            headers.insert(ACCEPT, HeaderValue::from_static(accept));
        }
        let mut req = self.client.get(url.clone()).headers(headers);
        if let Some((user, pass)) = &self.basic {
            req = req.basic_auth(user, pass.as_ref());
        }
        req
    }
}
