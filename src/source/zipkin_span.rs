//! Zipkin's v2 span shape, which both JSON versions are read into before cleaning: the
//! endpoint, the annotation as written, and the span.

use serde::Deserialize;

use crate::model::SpanKind;

/// A Zipkin endpoint (`localEndpoint`, `remoteEndpoint`, v1 annotation `endpoint`).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Endpoint {
    pub service_name: Option<String>,
    pub ipv4: Option<String>,
    pub ipv6: Option<String>,
    pub port: Option<i64>,
}

impl Endpoint {
    /// Zipkin drops endpoints without any field (`isEndpoint` in zipkin-lens).
    pub fn is_empty(&self) -> bool {
        self.service_name.is_none()
            && self.ipv4.is_none()
            && self.ipv6.is_none()
            && self.port.is_none()
    }

    /// The service name, when it says something (Zipkin writes "" for "unknown").
    pub fn service(&self) -> Option<&str> {
        self.service_name.as_deref().filter(|s| !s.is_empty())
    }
}

impl<'de> Deserialize<'de> for Endpoint {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            #[serde(default, rename = "serviceName")]
            service_name: Option<String>,
            #[serde(default)]
            ipv4: Option<String>,
            #[serde(default)]
            ipv6: Option<String>,
            #[serde(default)]
            port: Option<serde_json::Value>,
        }
        let r = Raw::deserialize(d)?;
        let text = |s: Option<String>| s.filter(|s| !s.is_empty());
        Ok(Endpoint {
            service_name: r.service_name,
            ipv4: text(r.ipv4),
            ipv6: text(r.ipv6),
            // Ports are numbers; 0 means "not known" in v1 data.
            port: r
                .port
                .and_then(|p| p.as_i64().or_else(|| p.as_str()?.parse().ok()))
                .filter(|p| *p != 0),
        })
    }
}

#[derive(Deserialize)]
pub(crate) struct Annotation {
    #[serde(default)]
    pub timestamp: Option<serde_json::Value>,
    #[serde(default)]
    pub value: Option<String>,
    /// v1 only: which side logged it.
    #[serde(default)]
    pub endpoint: Option<Endpoint>,
}

impl Annotation {
    /// Microseconds; v1 exporters sometimes write `1.463737111294e+15`.
    pub fn micros(&self) -> Option<i64> {
        let v = self.timestamp.as_ref()?;
        v.as_i64().or_else(|| v.as_f64().map(|f| f as i64))
    }
}

/// One span in Zipkin's v2 shape, before cleaning: what v2 JSON holds, and what a v1 span
/// converts into.
#[derive(Debug, Clone, Default)]
pub(crate) struct ZSpan {
    pub trace_id: String,
    pub id: String,
    pub parent_id: Option<String>,
    pub name: Option<String>,
    pub kind: Option<SpanKind>,
    /// Microseconds since the epoch; absent in fragments and in spans whose start was lost.
    pub timestamp: Option<i64>,
    pub duration: Option<i64>,
    pub local: Endpoint,
    pub remote: Endpoint,
    pub tags: Vec<(String, String)>,
    /// (microseconds, value), in input order.
    pub annotations: Vec<(i64, String)>,
    /// The server half of an RPC whose client reported the same span id.
    pub shared: bool,
    /// Input position, so that cleaned spans keep the order they were read in.
    pub order: usize,
    /// Set by cleaning when the start was not in the data (see `zipkin_clean::Placement`).
    pub placed_from: Option<&'static str>,
}
