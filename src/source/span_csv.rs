//! Span tables: CSV (or TSV) with a header row, one span per row, as exported from databases
//! and research datasets (`trace_id, span_id, parent_span_id, service, pod, operation,
//! start_time_us, duration_us`). Column names are matched loosely (`traceId`, `trace_id` and
//! `Trace-ID` are the same column); columns nobody maps become span attributes.

use csv::{ByteRecord, ReaderBuilder};

use super::common::{group, parent_id};
use crate::error::{Error, Result};
use crate::model::status::normalize_status;
use crate::model::{normalized_id, AttrValue, Span, SpanKind, Trace};

/// The role a column plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    TraceId,
    SpanId,
    ParentId,
    Service,
    Operation,
    Host,
    Kind,
    /// Start time in this many nanoseconds per unit (1000 for µs); 0 = RFC 3339 text.
    Start(i64),
    /// Duration in this many nanoseconds per unit.
    Duration(i64),
    /// End time, same convention as `Start`.
    End(i64),
    ErrorMessage,
    /// Anything else: an attribute under the column's own name.
    Attr,
}

/// Map a header to its role. Names are compared lower-cased with `_`, `-`, `.` and spaces
/// removed, so every spelling of a name lands on the same key.
fn role(header: &str) -> Col {
    let key: String = header
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | '.' | ' '))
        .flat_map(char::to_lowercase)
        .collect();
    match key.as_str() {
        "traceid" => Col::TraceId,
        "spanid" => Col::SpanId,
        "parentspanid" | "parentid" | "parent" => Col::ParentId,
        "service" | "servicename" => Col::Service,
        "operation" | "operationname" | "name" | "spanname" => Col::Operation,
        "pod" | "host" | "hostname" | "podname" => Col::Host,
        "kind" | "spankind" => Col::Kind,
        "starttimeus" | "startus" | "timestampus" => Col::Start(1_000),
        "starttimens" | "startns" | "starttimeunixnano" | "timestampns" => Col::Start(1),
        "starttimems" | "startms" | "timestampms" => Col::Start(1_000_000),
        "starttime" | "timestamp" => Col::Start(0),
        "durationus" => Col::Duration(1_000),
        "durationns" | "durationnanos" => Col::Duration(1),
        "durationms" => Col::Duration(1_000_000),
        "endtimeus" | "endus" => Col::End(1_000),
        "endtimens" | "endns" | "endtimeunixnano" => Col::End(1),
        "endtimems" | "endms" => Col::End(1_000_000),
        "errormessage" | "errormsg" => Col::ErrorMessage,
        _ => Col::Attr,
    }
}

const EXPECTED: &str =
    "trace_id, span_id, parent_span_id, service, operation, start_time_us, duration_us";

/// Whether `text` starts with a span-table header: a delimited first line naming a trace id
/// or span id column. Used to tell a CSV from other text before committing to it.
pub(crate) fn looks_like(text: &[u8]) -> bool {
    let line = first_line(text);
    let Ok(line) = std::str::from_utf8(line) else {
        return false;
    };
    let delim = delimiter(line);
    line.contains(delim as char)
        && line
            .split(delim as char)
            .any(|h| matches!(role(h.trim().trim_matches('"')), Col::TraceId | Col::SpanId))
}

fn first_line(text: &[u8]) -> &[u8] {
    let end = text.iter().position(|&b| b == b'\n').unwrap_or(text.len());
    text.get(..end).unwrap_or_default()
}

/// Comma unless the header has more tabs or semicolons than commas.
fn delimiter(header: &str) -> u8 {
    let count = |c: char| header.matches(c).count();
    let (commas, tabs, semis) = (count(','), count('\t'), count(';'));
    if tabs > commas && tabs >= semis {
        b'\t'
    } else if semis > commas {
        b';'
    } else {
        b','
    }
}

pub(crate) fn decode(text: &[u8], what: &str) -> Result<Vec<Trace>> {
    let header_line = std::str::from_utf8(first_line(text)).unwrap_or("");
    let mut reader = ReaderBuilder::new()
        .delimiter(delimiter(header_line))
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text);
    let headers = reader
        .byte_headers()
        .map_err(|e| Error::input(what, format!("cannot read the CSV header: {e}")))?
        .clone();
    let names: Vec<String> = headers
        .iter()
        .map(|h| String::from_utf8_lossy(h).into_owned())
        .collect();
    let roles: Vec<Col> = names.iter().map(|h| role(h)).collect();

    let has = |f: fn(&Col) -> bool| roles.iter().any(f);
    let mut missing = Vec::new();
    if !has(|r| *r == Col::TraceId) {
        missing.push("trace_id");
    }
    if !has(|r| *r == Col::SpanId) {
        missing.push("span_id");
    }
    if !has(|r| *r == Col::Service) {
        missing.push("service");
    }
    if !has(|r| *r == Col::Operation) {
        missing.push("operation");
    }
    if !has(|r| matches!(r, Col::Start(_))) {
        missing.push("start_time_us");
    }
    if !has(|r| matches!(r, Col::Duration(_) | Col::End(_))) {
        missing.push("duration_us");
    }
    if !missing.is_empty() {
        return Err(Error::input(
            what,
            format!(
                "span CSV is missing required column(s) {} (found: {}; expected: {EXPECTED})",
                missing.join(", "),
                names.join(", ")
            ),
        ));
    }

    let mut spans = Vec::new();
    let mut record = ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(Error::input(what, format!("malformed CSV: {e}"))),
        }
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let mut span = Span::default();
        let mut end: Option<i64> = None;
        for (i, field) in record.iter().enumerate() {
            let Some(&col) = roles.get(i) else { continue };
            if field.is_empty() {
                continue;
            }
            let value = || String::from_utf8_lossy(field).into_owned();
            let name = || names.get(i).map(String::as_str).unwrap_or("");
            match col {
                Col::TraceId => span.trace_id = normalized_id(&value()),
                Col::SpanId => span.span_id = normalized_id(&value()),
                Col::ParentId => span.parent_id = parent_id(normalized_id(&value())),
                Col::Service => span.service = value().into(),
                Col::Operation => span.operation = value().into(),
                Col::Host => span.host = Some(value().into()),
                Col::Kind => span.kind = SpanKind::parse(&value()),
                Col::Start(unit) => span.start_ns = time(field, unit, what, line, name())?,
                Col::Duration(unit) => span.duration_ns = time(field, unit, what, line, name())?,
                Col::End(unit) => end = Some(time(field, unit, what, line, name())?),
                Col::ErrorMessage => span
                    .attributes
                    .push(("error.message".into(), AttrValue::Str(value().into()))),
                Col::Attr => span
                    .attributes
                    .push((name().into(), AttrValue::Str(value().into()))),
            }
        }
        if span.span_id.is_empty() {
            return Err(Error::input(
                what,
                format!("line {line}: the span_id is empty"),
            ));
        }
        if let Some(end) = end {
            if !roles.iter().any(|r| matches!(r, Col::Duration(_))) {
                span.duration_ns = end.saturating_sub(span.start_ns);
            }
        }
        normalize_status(&mut span);
        spans.push(span);
    }
    Ok(group(spans, Vec::new()))
}

/// A time or duration cell in `unit` ns (0: RFC 3339 text), as ns.
fn time(field: &[u8], unit: i64, what: &str, line: u64, column: &str) -> Result<i64> {
    let text = std::str::from_utf8(field).unwrap_or("").trim();
    let bad = || {
        Error::input(
            what,
            format!("line {line}: {column} value '{text}' is not a number"),
        )
    };
    if let Ok(f) = text.parse::<f64>() {
        if !f.is_finite() {
            return Err(bad());
        }
        let unit = if unit == 0 { epoch_unit(f) } else { unit };
        if let Ok(i) = text.parse::<i64>() {
            return Ok(i.saturating_mul(unit));
        }
        // `as` saturates, which is the documented behaviour for out-of-range numbers.
        return Ok((f * unit as f64) as i64);
    }
    if unit == 0 {
        return rfc3339_ns(text).ok_or_else(|| {
            Error::input(
                what,
                format!("line {line}: {column} value '{text}' is not an RFC 3339 time"),
            )
        });
    }
    Err(bad())
}

/// The unit of a bare epoch number in a column whose name does not say (`start_time`),
/// guessed from its magnitude: today is ~1.7e9 s, 1.7e12 ms, 1.7e15 µs, 1.7e18 ns.
fn epoch_unit(v: f64) -> i64 {
    let v = v.abs();
    if v < 1e11 {
        1_000_000_000
    } else if v < 1e14 {
        1_000_000
    } else if v < 1e17 {
        1_000
    } else {
        1
    }
}

fn rfc3339_ns(s: &str) -> Option<i64> {
    crate::time::parse_rfc3339(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::StatusCode;

    #[test]
    fn reads_dataset_columns() {
        let csv =
            "trace_id,span_id,parent_span_id,service,pod,operation,start_time_us,duration_us\n\
                   AA,1,,gw,gw-1,/,10,5\naa,2,1,svc,svc-1,op,11,2\n";
        let t = decode(csv.as_bytes(), "x").unwrap();
        assert_eq!(t.len(), 1);
        let s = &t[0].spans;
        assert_eq!(s[0].trace_id, "aa");
        assert_eq!(s[0].parent_id, None);
        assert_eq!(s[0].host.as_deref(), Some("gw-1"));
        assert_eq!(s[0].start_ns, 10_000);
        assert_eq!(s[1].parent_id.as_deref(), Some("1"));
        assert_eq!(s[1].duration_ns, 2_000);
    }

    #[test]
    fn aliases_status_and_extra_columns() {
        let csv = "traceId\tspanId\tparentSpanId\tserviceName\tspan_name\tstart_time\tduration_ms\tstatus\terror_message\tregion\n\
                   t\ts\t\tsvc\top\t2024-01-02T03:04:05.5Z\t1.5\ttimeout\tupstream slow\teu\n";
        let t = decode(csv.as_bytes(), "x").unwrap();
        let s = &t[0].spans[0];
        assert_eq!(s.start_ns, 1_704_164_645_500_000_000);
        assert_eq!(s.duration_ns, 1_500_000);
        assert_eq!(s.status.code, StatusCode::Error);
        assert_eq!(s.status.message.as_deref(), Some("upstream slow"));
        assert_eq!(s.attr("region"), Some(&AttrValue::Str("eu".into())));
    }

    #[test]
    fn names_missing_columns() {
        let e = decode(b"trace_id,span_id,operation\n1,2,x\n", "f.csv")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("service") && e.contains("start_time_us") && e.contains("duration_us"),
            "{e}"
        );
        assert!(!e.contains("missing required column(s) trace_id"), "{e}");
    }

    #[test]
    fn bad_number_is_an_error() {
        let e = decode(
            b"trace_id,span_id,service,operation,start_time_us,duration_us\n1,2,s,o,abc,1\n",
            "f",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("line 2") && e.contains("abc"), "{e}");
    }

    #[test]
    fn rfc3339() {
        assert_eq!(rfc3339_ns("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(rfc3339_ns("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(
            rfc3339_ns("2024-02-29T00:00:00.000000001Z"),
            Some(1_709_164_800_000_000_001)
        );
        assert_eq!(rfc3339_ns("2024-13-01T00:00:00Z"), None);
        assert_eq!(rfc3339_ns("garbage"), None);
    }
}
