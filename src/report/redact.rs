//! Masking secrets and personal data before json, llm or markdown output leaves the process
//! (traces routinely carry auth headers, cookies and e-mail addresses, and those outputs are
//! pasted into tickets and prompts).
//!
//! Two layers: attribute keys that name a secret have their whole value masked; any text
//! (attribute values, status messages, span names, evidence) has secret-looking substrings
//! masked: JWTs, bearer/basic credentials, `password=…`-style pairs, e-mail addresses and
//! card numbers (Luhn-checked). Ids are never touched: they are not free text.

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use regex::{Captures, Regex, RegexSet};

use crate::model::{AttrValue, Attributes, CompactString, Origin, OriginRewrites, Span, Trace};
use crate::side_by_side::{side_by_side, SPLIT_FROM_SPANS};

/// What replaces a masked value.
pub const MASK: &str = "[REDACTED]";

/// Key segments that name a secret on their own.
const SECRET_SEGMENTS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "authorization",
    "cookie",
    "session",
    "sessionid",
    "jwt",
    "bearer",
    "credential",
    "credentials",
    "privatekey",
];

/// Adjacent key segments that name a secret together (`api_key`, `set-cookie`, `x-api-key`).
const SECRET_PAIRS: &[(&str, &str)] = &[
    ("api", "key"),
    ("private", "key"),
    ("access", "key"),
    ("secret", "key"),
    ("client", "secret"),
];

/// A last segment that makes the key describe a secret rather than hold it
/// (`token_count`, `session.duration`, `password_length`).
const DESCRIPTIVE_SUFFIXES: &[&str] = &[
    "count", "counts", "length", "len", "size", "ttl", "type", "kind", "duration", "expiry",
    "expires", "expired", "age", "present", "set", "used", "enabled", "valid", "timeout",
];

#[derive(Debug, Clone, Default)]
pub struct Redactor {
    /// `--redact-key` values, lower-case.
    extra_keys: Vec<String>,
}

fn segments(key: &str) -> Vec<String> {
    // Split on separators and camelCase humps: `X-Api-Key`, `sessionId`, `http.request.header.cookie`.
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in key.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

impl Redactor {
    pub fn new(extra_keys: &[String]) -> Redactor {
        Redactor {
            extra_keys: extra_keys
                .iter()
                .map(|k| k.trim().to_lowercase())
                .filter(|k| !k.is_empty())
                .collect(),
        }
    }

    /// Whether an attribute with this key holds a secret.
    pub fn is_secret_key(&self, key: &str) -> bool {
        let lower = key.to_lowercase();
        if self
            .extra_keys
            .iter()
            .any(|k| lower == *k || lower.ends_with(&format!(".{k}")))
        {
            return true;
        }
        let segs = segments(key);
        let Some(last) = segs.last() else {
            return false;
        };
        if segs.len() > 1 && DESCRIPTIVE_SUFFIXES.contains(&last.as_str()) {
            return false;
        }
        segs.iter().any(|s| SECRET_SEGMENTS.contains(&s.as_str()))
            || segs
                .windows(2)
                .any(|w| SECRET_PAIRS.contains(&(w[0].as_str(), w[1].as_str())))
            || self.extra_keys.iter().any(|k| segs.iter().any(|s| s == k))
    }

    /// `text` with secret-looking substrings masked; borrowed when nothing was found.
    pub fn text<'a>(&self, text: &'a str) -> Cow<'a, str> {
        redact_text(text)
    }

    /// Mask a trace in place; returns how many values were changed.
    pub fn trace(&self, t: &mut Trace) -> usize {
        let mut n = 0;
        let mut fix = |s: &mut dyn Masked| {
            if let Cow::Owned(o) = redact_text(s.text()) {
                s.replace(o);
                n += 1;
            }
        };
        for w in &mut t.warnings {
            fix(w);
        }
        let dirty = self.dirty_spans(&t.spans);
        let mut keys = HashMap::default();
        let mut attr_changes = 0;
        let mut origins = OriginRewrites::default();
        // Spans a source still shares (a file kept by the MCP server) are copied only when
        // one of them holds something to mask; most traces hold nothing.
        for i in dirty {
            let span = &mut t.spans_mut()[i];
            fix(&mut span.operation);
            if let Some(m) = span.status.message.as_mut() {
                fix(m);
            }
            attr_changes += self.attributes(&mut span.attributes, &mut keys);
            attr_changes += origins.apply(span, |origin| {
                let mut seen = Seen::remembering(false);
                if self.origin_attributes_are_clean(origin, &mut keys, &mut seen) {
                    return None;
                }
                let mut masked = origin.clone();
                let n = self.attributes(&mut masked.scope, &mut keys)
                    + self.attributes(&mut masked.resource, &mut keys);
                Some((masked, n))
            });
            for e in &mut span.events {
                fix(&mut e.name);
                attr_changes += self.attributes(&mut e.attributes, &mut keys);
            }
        }
        n + attr_changes
    }

    /// Which spans hold something to mask, asked before anything changes, so that each
    /// distinct text and each shared origin (resource and scope) is judged once (100,000
    /// spans share a few names and one origin per service). Only read: a big trace's two halves are asked
    /// on two cores, each remembering its own answers.
    fn dirty_spans(&self, spans: &[Span]) -> Vec<usize> {
        let remember = spans.len() >= SEEN_FROM_SPANS;
        let dirty_in = |range: std::ops::Range<usize>| -> Vec<usize> {
            let (mut keys, mut seen) = (HashMap::default(), Seen::remembering(remember));
            range
                .filter(|&i| !self.span_is_clean(&spans[i], &mut keys, &mut seen))
                .collect()
        };
        let half = spans.len() / 2;
        let (second, mut first) = side_by_side(
            spans.len() >= SPLIT_FROM_SPANS,
            || dirty_in(half..spans.len()),
            || dirty_in(0..half),
        );
        first.extend(second);
        first
    }

    /// Whether masking would leave `span` as it is.
    fn span_is_clean<'t>(
        &self,
        span: &'t Span,
        keys: &mut HashMap<String, bool>,
        seen: &mut Seen<'t>,
    ) -> bool {
        seen.text_is_clean(&span.operation)
            && span
                .status
                .message
                .as_deref()
                .is_none_or(|m| seen.text_is_clean(m))
            && self.attributes_are_clean(&span.attributes, keys, seen)
            && seen.origin_is_clean(&span.origin, |o, seen| {
                self.origin_attributes_are_clean(o, keys, seen)
            })
            && span.events.iter().all(|e| {
                seen.text_is_clean(&e.name) && self.attributes_are_clean(&e.attributes, keys, seen)
            })
    }

    fn origin_attributes_are_clean<'t>(
        &self,
        origin: &'t Origin,
        keys: &mut HashMap<String, bool>,
        seen: &mut Seen<'t>,
    ) -> bool {
        self.attributes_are_clean(&origin.scope, keys, seen)
            && self.attributes_are_clean(&origin.resource, keys, seen)
    }

    fn attributes_are_clean<'t>(
        &self,
        attrs: &'t Attributes,
        keys: &mut HashMap<String, bool>,
        seen: &mut Seen<'t>,
    ) -> bool {
        attrs.iter().all(|(k, v)| {
            if self.key_is_secret(k, keys) {
                matches!(v, AttrValue::Str(s) if s == MASK)
            } else {
                seen.value_is_clean(v)
            }
        })
    }

    /// [`Self::is_secret_key`], asked once per distinct key.
    fn key_is_secret(&self, key: &str, keys: &mut HashMap<String, bool>) -> bool {
        if let Some(&secret) = keys.get(key) {
            return secret;
        }
        let secret = self.is_secret_key(key);
        keys.insert(key.to_string(), secret);
        secret
    }

    /// Mask attributes; `keys` remembers each distinct key's verdict, so the key test runs
    /// once per key and trace, not once per attribute (100,000 spans share a dozen keys).
    fn attributes(&self, attrs: &mut Attributes, keys: &mut HashMap<String, bool>) -> usize {
        let mut n = 0;
        for (k, v) in attrs.iter_mut() {
            if self.key_is_secret(k, keys) {
                if !matches!(v, AttrValue::Str(s) if s == MASK) {
                    *v = AttrValue::Str(MASK.into());
                    n += 1;
                }
            } else {
                n += value(v);
            }
        }
        n
    }
}

/// Verdicts already reached while a trace is checked: text judged clean or not, and the
/// shared origins found clean (by address: spans of one resource and scope block share one).
struct Seen<'t> {
    /// Whether to remember at all: a small trace repeats little, and filling maps for each
    /// of 100,000 ten-span traces (window root cause) cost more than judging again.
    remember: bool,
    texts: HashMap<&'t str, bool>,
    clean_origins: rustc_hash::FxHashSet<*const Origin>,
}

/// Spans from which a trace's verdicts are remembered.
const SEEN_FROM_SPANS: usize = 256;

/// Texts remembered at most: names and values repeat, free text mostly does not.
const SEEN_TEXTS: usize = 1 << 16;
/// Longer texts are judged each time: hashing them costs about what judging does.
const SEEN_TEXT_BYTES: usize = 256;

impl<'t> Seen<'t> {
    fn remembering(remember: bool) -> Seen<'t> {
        Seen {
            remember,
            texts: HashMap::default(),
            clean_origins: rustc_hash::FxHashSet::default(),
        }
    }

    fn text_is_clean(&mut self, text: &'t str) -> bool {
        let judge = |text: &str| matches!(redact_text(text), Cow::Borrowed(_));
        if !self.remember || text.len() > SEEN_TEXT_BYTES {
            return judge(text);
        }
        if let Some(&clean) = self.texts.get(text) {
            return clean;
        }
        let clean = judge(text);
        if self.texts.len() < SEEN_TEXTS {
            self.texts.insert(text, clean);
        }
        clean
    }

    fn value_is_clean(&mut self, v: &'t AttrValue) -> bool {
        match v {
            AttrValue::Str(s) => self.text_is_clean(s),
            AttrValue::List(items) => items.iter().all(|i| self.value_is_clean(i)),
            _ => true,
        }
    }

    fn origin_is_clean(
        &mut self,
        origin: &'t Arc<Origin>,
        judge: impl FnOnce(&'t Origin, &mut Seen<'t>) -> bool,
    ) -> bool {
        if !self.remember {
            return judge(origin, self);
        }
        let at = Arc::as_ptr(origin);
        if self.clean_origins.contains(&at) {
            return true;
        }
        let clean = judge(origin, self);
        if clean {
            self.clean_origins.insert(at);
        }
        clean
    }
}

fn value(v: &mut AttrValue) -> usize {
    match v {
        AttrValue::Str(s) => match redact_text(s) {
            Cow::Owned(o) => {
                *s = o.into();
                1
            }
            Cow::Borrowed(_) => 0,
        },
        AttrValue::List(items) => items.iter_mut().map(value).sum(),
        _ => 0,
    }
}

struct Patterns {
    /// All five patterns in one automaton: most text matches none of them, and one scan
    /// says so instead of five.
    any: RegexSet,
    jwt: Regex,
    bearer: Regex,
    pair: Regex,
    email: Regex,
    card: Regex,
}

fn patterns() -> Option<&'static Patterns> {
    static P: OnceLock<Option<Patterns>> = OnceLock::new();
    P.get_or_init(|| {
        // Literal patterns: compiling cannot fail, but a failure must not panic either; it
        // would only disable redaction, so `redact_text` then masks everything instead.
        let sources = [
            r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*",
            r"(?i)\b(bearer|basic)(\s+)([A-Za-z0-9._~+/=-]{8,})",
            r#"(?i)\b(password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|client[_-]?secret|authorization|set-cookie|cookie|session[_-]?id|session|sid)("?\s*[:=]\s*)((?i:bearer\s+|basic\s+)?(?:"[^"]*"|'[^']*'|[^\s&,;"'}]+))"#,
            r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}",
            r"\b[2-6]\d{3}(?:[ -]?\d){9,15}\b",
        ];
        let [jwt, bearer, pair, email, card] = sources;
        Some(Patterns {
            any: RegexSet::new(sources).ok()?,
            jwt: Regex::new(jwt).ok()?,
            bearer: Regex::new(bearer).ok()?,
            pair: Regex::new(pair).ok()?,
            email: Regex::new(email).ok()?,
            card: Regex::new(card).ok()?,
        })
    })
    .as_ref()
}

/// Luhn checksum over the digits of `s` (separators ignored).
fn luhn(s: &str) -> bool {
    let digits: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
    if !(13..=19).contains(&digits.len()) {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(k, &d)| {
            if k % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

/// Mask secret-looking substrings of free text.
pub fn redact_text(text: &str) -> Cow<'_, str> {
    let Some(p) = patterns() else {
        return if text.is_empty() {
            Cow::Borrowed(text)
        } else {
            Cow::Owned(MASK.to_string())
        };
    };
    // Cheap pre-check: most span names and values match none of the patterns; when none
    // matches the text, no replacement can happen.
    if !p.any.is_match(text) {
        return Cow::Borrowed(text);
    }
    let mut out: Cow<str> = Cow::Borrowed(text);
    out = apply(out, &p.jwt, &|_| MASK.to_string());
    // Pairs before bare schemes, so `Authorization: Bearer x` loses the scheme too.
    out = apply(out, &p.pair, &|c| {
        if c[3].contains(MASK) {
            c[0].to_string()
        } else {
            format!("{}{}{MASK}", &c[1], &c[2])
        }
    });
    // A credential has a digit or base64 padding; "Basic authentication" is prose.
    out = apply(out, &p.bearer, &|c| {
        if c[3].chars().any(|ch| ch.is_ascii_digit() || ch == '=') {
            format!("{}{}{MASK}", &c[1], &c[2])
        } else {
            c[0].to_string()
        }
    });
    out = apply(out, &p.email, &|_| MASK.to_string());
    out = apply(out, &p.card, &|c| {
        if luhn(&c[0]) {
            MASK.to_string()
        } else {
            c[0].to_string()
        }
    });
    // `replace_all` hands back an owned string even when every replacement was the original
    // text (a non-Luhn number): report "unchanged" honestly.
    match out {
        Cow::Owned(o) if o == text => Cow::Borrowed(text),
        other => other,
    }
}

/// One replacement pass; keeps the borrow when the pattern did not match.
fn apply<'a>(out: Cow<'a, str>, re: &Regex, rep: &dyn Fn(&Captures) -> String) -> Cow<'a, str> {
    let replaced = match re.replace_all(&out, |c: &Captures| rep(c)) {
        Cow::Borrowed(_) => None,
        Cow::Owned(o) => Some(o),
    };
    match replaced {
        None => out,
        Some(o) => Cow::Owned(o),
    }
}

/// Text masked in place, whichever string type holds it.
trait Masked {
    fn text(&self) -> &str;
    fn replace(&mut self, masked: String);
}

impl Masked for String {
    fn text(&self) -> &str {
        self
    }
    fn replace(&mut self, masked: String) {
        *self = masked;
    }
}

impl Masked for CompactString {
    fn text(&self) -> &str {
        self
    }
    fn replace(&mut self, masked: String) {
        *self = masked.into();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_keys() {
        let r = Redactor::new(&["x-internal-id".into(), "tenant".into()]);
        for k in [
            "password",
            "db.password",
            "http.request.header.authorization",
            "Authorization",
            "http.response.header.set-cookie",
            "cookie",
            "session.id",
            "sessionId",
            "X-Api-Key",
            "api_key",
            "apikey",
            "auth_token",
            "oauth.access_token",
            "client_secret",
            "aws.secret_access_key",
            "jwt",
            "x-internal-id",
            "app.tenant",
        ] {
            assert!(r.is_secret_key(k), "{k} should be secret");
        }
        for k in [
            "gen_ai.usage.input_tokens",
            "llm.usage.total_tokens",
            "token_count",
            "session.duration",
            "password_length",
            "http.route",
            "db.statement",
            "user.id",
            "keyboard",
            "tokenizer",
            "passage",
        ] {
            assert!(!r.is_secret_key(k), "{k} should be kept");
        }
    }

    #[test]
    fn secret_values() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        let cases = [
            (format!("token {jwt} rejected"), "token [REDACTED] rejected"),
            (
                "Authorization: Bearer abcdef123456789".into(),
                "Authorization: [REDACTED]",
            ),
            (
                "using Basic dXNlcjpwYXNzd29yZA==".into(),
                "using Basic [REDACTED]",
            ),
            (
                "login failed password=hunter2 user=bob".into(),
                "login failed password=[REDACTED] user=bob",
            ),
            (
                "GET /reset?token=abc123&x=1".into(),
                "GET /reset?token=[REDACTED]&x=1",
            ),
            (
                "{\"api_key\": \"k-123\"}".into(),
                "{\"api_key\": [REDACTED]}",
            ),
            (
                "mail alice.smith+x@example.co.uk now".into(),
                "mail [REDACTED] now",
            ),
            (
                "card 4111 1111 1111 1111 declined".into(),
                "card [REDACTED] declined",
            ),
            (
                "card 4111111111111111 declined".into(),
                "card [REDACTED] declined",
            ),
            ("amex 378282246310005".into(), "amex [REDACTED]"),
            (
                "Set-Cookie: sid=abc; Path=/".into(),
                "Set-Cookie: [REDACTED]; Path=/",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(redact_text(&input), want, "{input}");
        }
        for keep in [
            "total_tokens=512",
            "tokens: 5",
            "user@localhost",
            "pkg@1.2.3",
            "order 4111111111111112 shipped",
            "timestamp 1709632800000000",
            "trace 7000000000000000",
            "span id 4bf92f3577b34da6a3ce929d0e0e4736",
            "SELECT * FROM sessions_archive",
            "eyJ alone",
            "Bearer",
            "Basic authentication required",
            "",
        ] {
            assert!(
                matches!(redact_text(keep), Cow::Borrowed(_)),
                "{keep} -> {}",
                redact_text(keep)
            );
        }
    }

    #[test]
    fn trace_is_masked_in_place() {
        use crate::model::{Span, Status};
        let span = Span {
            trace_id: "1".into(),
            span_id: "a".into(),
            service: "api".into(),
            operation: "POST /login email=bob@example.com".into(),
            duration_ns: 1,
            status: Status {
                message: Some("bad password=x".into()),
                ..Status::default()
            },
            attributes: vec![
                (
                    "http.request.header.authorization".into(),
                    AttrValue::Str("Bearer abcdefghijk".into()),
                ),
                ("gen_ai.usage.input_tokens".into(), AttrValue::Int(12)),
                (
                    "user.email".into(),
                    AttrValue::Str("bob@example.com".into()),
                ),
            ],
            ..Span::default()
        };
        let mut t = Trace::new("1".into());
        t.spans_mut().push(span);
        let n = Redactor::default().trace(&mut t);
        assert_eq!(n, 4);
        let s = &t.spans[0];
        assert_eq!(s.operation, "POST /login email=[REDACTED]");
        assert_eq!(s.status.message.as_deref(), Some("bad password=[REDACTED]"));
        assert_eq!(s.attributes[0].1, AttrValue::Str(MASK.into()));
        assert_eq!(s.attributes[1].1, AttrValue::Int(12));
        assert_eq!(s.attributes[2].1, AttrValue::Str(MASK.into()));
    }
}
