//! `postgres://` URLs, TLS with rustls, and connecting, with errors mapped to exit codes:
//! bad credentials and an unreachable server are exit 3, a missing database or table exit 2.

use std::sync::Arc;
use std::time::Duration;

use postgres::config::SslMode;
use postgres::{Client, NoTls};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

use super::mapping::{Preset, TableName};
use crate::error::{Error, Result};

/// `sslmode`, as libpq spells it. `verify-ca` is checked as strictly as `verify-full`
/// (rustls always checks the host name), which only refuses more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tls {
    Disable,
    /// TLS when the server offers it, certificate not checked (libpq's default).
    Prefer,
    /// TLS or nothing, certificate not checked.
    Require,
    /// TLS with the certificate chain and host name checked.
    VerifyFull,
}

/// Everything a `postgres://` URL says.
#[derive(Debug, Clone)]
pub struct PgUrl {
    pub user: String,
    pub password: Option<String>,
    pub host: String,
    /// A Unix socket directory given as `?host=/run/postgresql`.
    pub socket_dir: Option<String>,
    pub port: u16,
    pub dbname: String,
    pub table: TableName,
    pub preset: Preset,
    pub tls: Tls,
    pub root_cert: Option<String>,
    pub application_name: String,
    pub connect_timeout: Option<Duration>,
}

const KNOWN_PARAMS: &str = "table, schema, preset, sslmode, sslrootcert, connect_timeout, application_name, host, port, user, password, dbname";

impl PgUrl {
    /// Parse `postgres[ql]://[user[:password]@]host[:port]/dbname?table=…&preset=…`.
    /// `has_columns`: `--column` was given, which makes the default preset `custom`.
    pub fn parse(raw: &str, has_columns: bool) -> Result<PgUrl> {
        let masked = mask(raw);
        let url = reqwest::Url::parse(raw.trim()).map_err(|e| {
            Error::Usage(format!(
                "invalid Postgres URL {masked}: {e}; expected postgres://user@host:5432/db?table=trace_spans&preset=beacon"
            ))
        })?;
        let mut user = decode(url.username());
        let mut password = url.password().map(decode);
        let mut host = url
            .host_str()
            .unwrap_or("")
            .trim_matches(['[', ']'])
            .to_string();
        let mut port = url.port().unwrap_or(5432);
        let mut dbname = decode(url.path().trim_start_matches('/'));
        let mut table = None;
        let mut schema = None;
        let mut preset = None;
        let mut tls = Tls::Prefer;
        let mut root_cert = None;
        let mut socket_dir = None;
        let mut application_name = "tracediag".to_string();
        let mut connect_timeout = None;
        for (k, v) in url.query_pairs() {
            let v = v.into_owned();
            match k.as_ref() {
                "table" => table = Some(v),
                "schema" => schema = Some(v),
                "preset" => preset = Some(Preset::parse(&v)?),
                "sslmode" => {
                    tls = match v.as_str() {
                        "disable" => Tls::Disable,
                        "allow" | "prefer" => Tls::Prefer,
                        "require" => Tls::Require,
                        "verify-ca" | "verify-full" => Tls::VerifyFull,
                        other => {
                            return Err(Error::Usage(format!(
                                "sslmode={other} in {masked}: use disable, prefer, require, verify-ca or verify-full"
                            )))
                        }
                    }
                }
                "sslrootcert" => root_cert = Some(v),
                "connect_timeout" => {
                    let secs: u64 = v.parse().map_err(|_| {
                        Error::Usage(format!("connect_timeout={v} in {masked}: expected whole seconds"))
                    })?;
                    connect_timeout = Some(Duration::from_secs(secs.max(1)));
                }
                "application_name" => application_name = v,
                "host" if v.starts_with('/') => socket_dir = Some(v),
                "host" => host = v,
                "port" => {
                    port = v.parse().map_err(|_| {
                        Error::Usage(format!("port={v} in {masked}: expected a port number"))
                    })?
                }
                "user" => user = v,
                "password" => password = Some(v),
                "dbname" => dbname = v,
                other => {
                    return Err(Error::Usage(format!(
                        "unknown parameter '{}' in {masked}: known ones are {KNOWN_PARAMS}",
                        other.escape_debug()
                    )))
                }
            }
        }
        if host.is_empty() && socket_dir.is_none() {
            host = "localhost".into();
        }
        if user.is_empty() {
            user = std::env::var("PGUSER")
                .ok()
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| "postgres".into());
        }
        if dbname.is_empty() {
            dbname = user.clone();
        }
        if password.is_none() {
            password = std::env::var("PGPASSWORD").ok().filter(|p| !p.is_empty());
        }
        let preset = preset.unwrap_or(if has_columns {
            Preset::Custom
        } else {
            Preset::Beacon
        });
        let table = TableName::parse(
            table.as_deref().unwrap_or(preset.default_table()),
            schema.as_deref(),
        )?;
        Ok(PgUrl {
            user,
            password,
            host,
            socket_dir,
            port,
            dbname,
            table,
            preset,
            tls,
            root_cert,
            application_name,
            connect_timeout,
        })
    }

    /// The URL without its password, for messages and `-v`.
    pub fn display(&self) -> String {
        let host = self.socket_dir.as_deref().unwrap_or(&self.host);
        format!(
            "postgres://{}@{}:{}/{}?table={}&preset={}",
            self.user,
            host,
            self.port,
            self.dbname,
            self.table.display(),
            self.preset.name()
        )
    }

    pub fn connect(&self, connect_timeout: Duration) -> Result<Client> {
        let mut cfg = postgres::Config::new();
        cfg.user(&self.user)
            .dbname(&self.dbname)
            .port(self.port)
            .application_name(&self.application_name)
            .connect_timeout(self.connect_timeout.unwrap_or(connect_timeout));
        match &self.socket_dir {
            Some(dir) => cfg.host_path(dir),
            None => cfg.host(&self.host),
        };
        if let Some(p) = &self.password {
            cfg.password(p);
        }
        let result = match self.tls {
            Tls::Disable => cfg.ssl_mode(SslMode::Disable).connect(NoTls),
            mode => {
                cfg.ssl_mode(if mode == Tls::Prefer {
                    SslMode::Prefer
                } else {
                    SslMode::Require
                });
                let tls = tokio_postgres_rustls::MakeRustlsConnect::new(self.rustls_config()?);
                cfg.connect(tls)
            }
        };
        result.map_err(|e| self.connect_error(&e))
    }

    fn rustls_config(&self) -> Result<ClientConfig> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::Unreachable(format!("TLS setup failed: {e}")))?;
        if self.tls != Tls::VerifyFull {
            // libpq's prefer and require encrypt without checking who answers; so do we.
            return Ok(builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(Unverified(provider)))
                .with_no_client_auth());
        }
        let mut roots = RootCertStore::empty();
        match &self.root_cert {
            Some(path) => {
                use rustls::pki_types::pem::PemObject;
                let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
                    .and_then(|it| it.collect())
                    .map_err(|e| {
                        Error::input(path.as_str(), format!("cannot read sslrootcert: {e}"))
                    })?;
                roots.add_parsable_certificates(certs);
            }
            None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        }
        Ok(builder.with_root_certificates(roots).with_no_client_auth())
    }

    /// One line saying what failed and what to do; never the password.
    fn connect_error(&self, e: &postgres::Error) -> Error {
        let at = self.display();
        if let Some(db) = e.as_db_error() {
            let code = db.code().code();
            return match code {
                "28P01" | "28000" => Error::Unreachable(format!(
                    "{at}: authentication failed for user {}: check the password (in the URL or PGPASSWORD) and pg_hba.conf",
                    self.user
                )),
                "3D000" => Error::input(
                    at,
                    format!("database {} does not exist: check the URL's database name", self.dbname),
                ),
                _ => Error::Unreachable(format!("{at}: {}", self.mask(db.message()))),
            };
        }
        let detail = self.mask(&error_chain(e));
        Error::Unreachable(format!(
            "{at}: cannot connect: {detail}; is PostgreSQL running and reachable (sslmode={})?",
            match self.tls {
                Tls::Disable => "disable",
                Tls::Prefer => "prefer",
                Tls::Require => "require",
                Tls::VerifyFull => "verify-full",
            }
        ))
    }

    pub fn mask(&self, text: &str) -> String {
        match &self.password {
            Some(p) if !p.is_empty() => text.replace(p.as_str(), "***"),
            _ => text.to_string(),
        }
    }
}

/// The error and its sources on one line.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        let t = inner.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        src = inner.source();
    }
    s.replace('\n', " ")
}

/// The URL with any password replaced, for messages about a URL that may not parse.
pub fn mask(raw: &str) -> String {
    let Some(scheme_end) = raw.find("://") else {
        return raw.to_string();
    };
    let rest = &raw[scheme_end + 3..];
    let auth_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let auth = &rest[..auth_end];
    let masked_auth = match auth.rfind('@') {
        Some(at) => {
            let userinfo = &auth[..at];
            let user = userinfo.split(':').next().unwrap_or("");
            let pw = if userinfo.contains(':') { ":***" } else { "" };
            format!("{user}{pw}@{}", &auth[at + 1..])
        }
        None => auth.to_string(),
    };
    let mut tail = rest[auth_end..].to_string();
    // A password may also come as ?password=…
    if let Some(pos) = tail.find("password=") {
        let end = tail[pos..].find('&').map_or(tail.len(), |e| pos + e);
        tail.replace_range(pos + "password=".len()..end, "***");
    }
    format!("{}://{masked_auth}{tail}", &raw[..scheme_end])
}

/// Percent-decode a URL component.
fn decode(s: &str) -> String {
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Accepts any certificate but still checks the handshake signatures, so the session is
/// encrypted to whoever holds the key of the certificate presented (libpq's `require`).
#[derive(Debug)]
struct Unverified(Arc<CryptoProvider>);

impl ServerCertVerifier for Unverified {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls_and_defaults() {
        let u = PgUrl::parse(
            "postgresql://me:s%40cret@db.example:6543/traces?table=obs.trace_spans&preset=llm&sslmode=require",
            false,
        );
        let u = u.ok().unwrap_or_else(|| panic!("parses"));
        assert_eq!(
            (u.user.as_str(), u.password.as_deref()),
            ("me", Some("s@cret"))
        );
        assert_eq!(
            (u.host.as_str(), u.port, u.dbname.as_str()),
            ("db.example", 6543, "traces")
        );
        assert_eq!(u.table.display(), "obs.trace_spans");
        assert_eq!((u.preset, u.tls), (Preset::Llm, Tls::Require));
        assert!(!u.display().contains("s@cret") && !u.display().contains("s%40cret"));

        let u = PgUrl::parse("postgres://h/db", true).ok();
        assert_eq!(u.as_ref().map(|u| u.preset), Some(Preset::Custom));
        assert_eq!(u.map(|u| u.table.display()), Some("trace_spans".into()));
    }

    #[test]
    fn rejects_bad_parameters_without_echoing_the_password() {
        for bad in [
            "postgres://u:hunter2@h/db?sslmode=sometimes",
            "postgres://u:hunter2@h/db?tabel=x",
            "postgres://u:hunter2@h/db?table=a;DROP TABLE x",
            "postgres://u:hunter2@h/db?table=a.b.c",
            "postgres://u:hunter2@h/db?preset=zipkin",
        ] {
            let e = PgUrl::parse(bad, false)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(!e.is_empty() && !e.contains("hunter2"), "{bad}: {e}");
        }
        assert_eq!(
            mask("postgres://u:pw@h/db?x=1&password=pw2&y=2"),
            "postgres://u:***@h/db?x=1&password=***&y=2"
        );
    }
}
