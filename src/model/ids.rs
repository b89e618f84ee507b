//! Trace and span id normalisation, done once at the edge.

use compact_str::CompactString;

use super::shared_text::shared;

/// Normalise an id so that the same id read from different formats compares equal: hex ids
/// are lower-cased, and 15- or 31-digit ones are left-padded to 16 or 32 (old Jaeger and
/// Tempo search drop one leading zero). Other lengths are kept: a short decimal execution id
/// such as `2193` stays readable. Ids that are not hex (`trace-123` in jaeger-ui's test data)
/// are opaque and kept as written, trimmed.
pub fn normalize_id(raw: &str) -> String {
    normalized_id(raw).into()
}

/// [`normalize_id`] into the string type spans hold: an id of up to 24 bytes (every span id,
/// 16 hex digits) is kept inline, a longer one (a trace id) shared with the spans that carry
/// it ([`shared`]); neither allocates per span.
pub fn normalized_id(raw: &str) -> CompactString {
    let s = raw.trim();
    match hex_case(s) {
        Some(upper) => normalized_hex_id(s, upper),
        None => shared(s),
    }
}

/// For text of hex digits only, whether any of them is upper-case; None for other text.
/// One pass over the bytes, where asking "all hex?" and then "any upper?" took two (ids are
/// three of every span's strings).
pub fn hex_case(s: &str) -> Option<bool> {
    // 1: a digit or a-f, 2: A-F, 0: anything else.
    const CLASS: [u8; 256] = {
        let mut class = [0u8; 256];
        let mut b = 0;
        while b < 256 {
            class[b] = match b as u8 {
                b'0'..=b'9' | b'a'..=b'f' => 1,
                b'A'..=b'F' => 2,
                _ => 0,
            };
            b += 1;
        }
        class
    };
    let (mut seen, mut other) = (0u8, false);
    for b in s.bytes() {
        let c = CLASS[usize::from(b)];
        seen |= c;
        other |= c == 0;
    }
    (!other).then_some(seen & 2 != 0)
}

/// [`normalized_id`] of text already known to be hex (`upper`: whether any digit is
/// upper-case, as [`hex_case`] says).
pub fn normalized_hex_id(s: &str, upper: bool) -> CompactString {
    let width = match s.len() {
        15 => 16,
        31 => 32,
        _ => s.len(),
    };
    if width == s.len() && !upper {
        return shared(s);
    }
    let mut out = CompactString::with_capacity(width);
    for _ in s.len()..width {
        out.push('0');
    }
    for b in s.bytes() {
        out.push(b.to_ascii_lowercase() as char);
    }
    shared(&out)
}

/// Whether `query` names the trace `id`. Accepts the short forms users paste: a 64-bit id
/// matches a 128-bit id whose high half is zero, and leading zeros may be omitted.
pub fn id_matches(id: &str, query: &str) -> bool {
    let q = normalize_id(query);
    if id == q {
        return true;
    }
    let strip = |s: &str| s.trim_start_matches('0').to_string();
    let both_hex = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit());
    both_hex(id) && both_hex(&q) && strip(id) == strip(&q)
}

/// A key equal for two ids exactly when [`id_matches`] says one names the other: hex ids
/// without their leading zeros, other ids as normalised. Lets a source find a trace by id
/// with one hash lookup instead of comparing with every trace it holds.
pub fn match_key(id: &str) -> String {
    let n = normalize_id(id);
    if !n.is_empty() && n.bytes().all(|b| b.is_ascii_hexdigit()) {
        format!("h:{}", n.trim_start_matches('0'))
    } else {
        format!("o:{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_case_tells_hex_and_its_case_in_one_pass() {
        assert_eq!(hex_case("0ec2b4e0bcea566d"), Some(false));
        assert_eq!(hex_case("0EC2b4"), Some(true));
        assert_eq!(hex_case(""), Some(false));
        for other in ["trace-123", "0ec2g4", "ab cd", "é1"] {
            assert_eq!(hex_case(other), None, "{other}");
        }
        assert_eq!(normalized_id(" EC2B4E0BCEA566D "), "0ec2b4e0bcea566d");
        assert_eq!(normalized_id("Trace-123"), "Trace-123");
    }

    #[test]
    fn match_keys_agree_with_id_matches() {
        let ids = [
            "0ec2b4e0bcea566d",
            "ec2b4e0bcea566d",
            "00000000000000000ec2b4e0bcea566d",
            "EC2B4E0BCEA566D",
            "2193",
            "02193",
            "trace-123",
            " trace-123 ",
            "000",
            "",
            "0",
        ];
        for a in ids {
            for b in ids {
                let id = normalize_id(a);
                assert_eq!(
                    match_key(&id) == match_key(b),
                    id_matches(&id, b),
                    "{a:?} vs {b:?}"
                );
            }
        }
    }

    #[test]
    fn pads_short_hex_ids() {
        assert_eq!(normalize_id("ec2b4e0bcea566d"), "0ec2b4e0bcea566d");
        assert_eq!(
            normalize_id("2e299711ce47710289dc6640727404f"),
            "02e299711ce47710289dc6640727404f"
        );
        assert_eq!(
            normalize_id("5B8EFFF798038103D269B633813FC60C"),
            "5b8efff798038103d269b633813fc60c"
        );
    }

    #[test]
    fn keeps_opaque_ids() {
        assert_eq!(normalize_id(" trace-123 "), "trace-123");
        assert_eq!(normalize_id("2193"), "2193");
    }

    #[test]
    fn matches_short_forms() {
        assert!(id_matches("0000000000002193", "2193"));
        assert!(id_matches(
            "00000000000000000000000000002193",
            "0000000000002193"
        ));
        assert!(!id_matches("0000000000002193", "2194"));
        assert!(id_matches("trace-123", "trace-123"));
    }
}
