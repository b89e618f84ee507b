//! Parsing `--source`: a file, stdin, a Jaeger or Tempo URL, a plain URL to probe, or a name
//! from the config file.

use super::config::Config;
use super::http::mask_userinfo;
use crate::error::{Error, Result};

/// Where traces come from. New backends (e.g. `postgres://`) add a variant here and an arm in
/// [`super::backend::open`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceSpec {
    /// `-`: read stdin.
    Stdin,
    /// A file path.
    File(String),
    /// `jaeger+http(s)://host:16686[/base]`; the URL is stored without the `jaeger+` prefix.
    Jaeger(String),
    /// `tempo+http(s)://host:3200[/base]`; stored without the `tempo+` prefix.
    Tempo(String),
    /// A plain `http(s)://` URL: which backend answers there is probed.
    Probe(String),
    /// `postgres://` or `postgresql://`, kept whole (table, preset and sslmode are in it).
    Postgres(String),
}

/// Per-source settings from a named config entry, merged with the flags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceSettings {
    /// The config name, when `--source` named one.
    pub name: Option<String>,
    pub headers: Vec<(String, String)>,
    pub tenant: Option<String>,
    /// `columns = { trace_id = "exec_id", … }`: the column mapping of a table source.
    pub columns: Vec<(String, String)>,
}

impl SourceSpec {
    /// Parse `--source`. A name defined under `[sources.<name>]` in the config wins over a
    /// file of the same name (write `./name` for the file); its `url` is parsed in turn.
    pub fn resolve(raw: &str, config: &Config) -> Result<(SourceSpec, SourceSettings)> {
        let s = raw.trim();
        if let Some(named) = config.sources.get(s) {
            let spec = SourceSpec::parse(&named.url).map_err(|e| match e {
                Error::Usage(m) => {
                    Error::Usage(format!("source '{s}' in {}: {m}", config.path_display()))
                }
                other => other,
            })?;
            let settings = SourceSettings {
                name: Some(s.to_string()),
                headers: named
                    .headers
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                tenant: named.tenant.clone(),
                columns: named
                    .columns
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            };
            return Ok((spec, settings));
        }
        Ok((SourceSpec::parse(s)?, SourceSettings::default()))
    }

    /// Parse a source string without config lookup.
    pub fn parse(s: &str) -> Result<SourceSpec> {
        let s = s.trim();
        if s == "-" {
            return Ok(SourceSpec::Stdin);
        }
        let Some(idx) = s.find("://") else {
            return Ok(SourceSpec::File(s.to_string()));
        };
        let scheme = s[..idx].to_ascii_lowercase();
        let rest = &s[idx..];
        match scheme.as_str() {
            "jaeger+http" | "jaeger+https" => Ok(SourceSpec::Jaeger(format!("{}{rest}", &scheme[7..]))),
            "tempo+http" | "tempo+https" => Ok(SourceSpec::Tempo(format!("{}{rest}", &scheme[6..]))),
            "http" | "https" => Ok(SourceSpec::Probe(format!("{scheme}{rest}"))),
            "postgres" | "postgresql" => Ok(SourceSpec::Postgres(s.to_string())),
            "file" => Ok(SourceSpec::File(rest.trim_start_matches("://").to_string())),
            _ => Err(Error::Usage(format!(
                "unsupported source {}: use a file path, -, jaeger+http(s)://, tempo+http(s)://, http(s)://, postgres:// or a name from the config file",
                mask_userinfo(s)
            ))),
        }
    }

    /// The source for messages, with any password masked.
    pub fn display(&self) -> String {
        match self {
            SourceSpec::Stdin => "stdin".into(),
            SourceSpec::File(p) => p.clone(),
            SourceSpec::Jaeger(u) => format!("jaeger+{}", mask_userinfo(u)),
            SourceSpec::Tempo(u) => format!("tempo+{}", mask_userinfo(u)),
            SourceSpec::Probe(u) => mask_userinfo(u),
            SourceSpec::Postgres(u) => super::postgres::conn::mask(u),
        }
    }

    pub fn is_remote(&self) -> bool {
        !matches!(self, SourceSpec::Stdin | SourceSpec::File(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form() {
        assert_eq!(SourceSpec::parse("-").ok(), Some(SourceSpec::Stdin));
        assert_eq!(
            SourceSpec::parse("trace.json").ok(),
            Some(SourceSpec::File("trace.json".into()))
        );
        assert_eq!(
            SourceSpec::parse("jaeger+https://j:16686/jaeger").ok(),
            Some(SourceSpec::Jaeger("https://j:16686/jaeger".into()))
        );
        assert_eq!(
            SourceSpec::parse("tempo+http://t:3200").ok(),
            Some(SourceSpec::Tempo("http://t:3200".into()))
        );
        assert_eq!(
            SourceSpec::parse("http://x:1").ok(),
            Some(SourceSpec::Probe("http://x:1".into()))
        );
        let err = SourceSpec::parse("ftp://u:pw@x")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("ftp://***@x") && !err.contains("pw"), "{err}");
    }

    #[test]
    fn display_masks_passwords() {
        let s = SourceSpec::parse("jaeger+http://me:hunter2@j:16686").ok();
        assert_eq!(
            s.map(|s| s.display()),
            Some("jaeger+http://***@j:16686".into())
        );
    }

    #[test]
    fn named_sources_come_from_the_config() {
        let cfg = Config::from_toml(
            "[sources.prod]\nurl = \"tempo+https://t\"\ntenant = \"team-a\"\nheaders = { Authorization = \"Bearer x\" }\n",
            "test.toml",
        );
        let cfg = cfg.ok().unwrap_or_default();
        let (spec, settings) = SourceSpec::resolve("prod", &cfg)
            .ok()
            .unwrap_or((SourceSpec::Stdin, Default::default()));
        assert_eq!(spec, SourceSpec::Tempo("https://t".into()));
        assert_eq!(settings.tenant.as_deref(), Some("team-a"));
        assert_eq!(
            settings.headers,
            vec![("Authorization".to_string(), "Bearer x".to_string())]
        );
    }
}
