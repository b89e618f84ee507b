//! A JSON reader for plain, well-formed documents, without serde's machinery: a position in
//! UTF-8 text, read forward. Every step gives `None` on anything it does not read exactly
//! as serde_json would (a `\u` escape of a lone surrogate, a number past the simple forms,
//! nesting deeper than serde_json's limit allows, malformed text); the caller then reads the
//! whole value again with serde_json, which gives the same result or the located error
//! message. So this reader never has to explain anything, only to be exact when it answers.

use std::borrow::Cow;

use super::common::Scalar;

/// Deeper than this, serde_json's own limit (128) may apply: left to it.
const MAX_DEPTH: u32 = 100;

/// Bytes that end the plain run of a string: the quote, the backslash, control characters.
static STOPS: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// Where the plain run of a string from `at` ends: at its first quote, backslash or control
/// character; and whether every byte before it is ASCII. Eight bytes are looked at a time
/// (ids and timestamps are 16 to 32 bytes): in each, the lowest byte flagged by the carry
/// tricks below is exact (a false flag can only follow a true one, higher up), and bytes of
/// multi-byte characters are never flagged. Bytes past the end in its word may make a run
/// seem not ASCII when it is: it is then only checked as text, at a little cost.
fn plain_run(bytes: &[u8], mut at: usize) -> Option<(usize, bool)> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let mut high = 0;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        high |= x & HIGH;
        let control = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
        let quote = zero_byte(x ^ (ONES * u64::from(b'"')));
        let backslash = zero_byte(x ^ (ONES * u64::from(b'\\')));
        let stops = control | quote | backslash;
        if stops != 0 {
            return Some((at + (stops.trailing_zeros() / 8) as usize, high == 0));
        }
        at += 8;
    }
    loop {
        let b = *bytes.get(at)?;
        if STOPS[usize::from(b)] {
            return Some((at, high == 0));
        }
        high |= u64::from(b & 0x80);
        at += 1;
    }
}

/// `bytes` as text: at no cost when [`plain_run`] found them all ASCII, else checked.
fn as_text(bytes: &[u8], ascii: bool) -> Option<&str> {
    if ascii {
        debug_assert!(bytes.is_ascii());
        // SAFETY: every byte is below 0x80 (checked by `plain_run`), and ASCII is UTF-8.
        Some(unsafe { std::str::from_utf8_unchecked(bytes) })
    } else {
        std::str::from_utf8(bytes).ok()
    }
}

/// A position in JSON text, which need not be UTF-8: what is not is left to serde_json.
pub(crate) struct Cursor<'a> {
    text: &'a [u8],
    pos: usize,
    depth: u32,
}

impl<'a> Cursor<'a> {
    pub fn new(text: &'a [u8]) -> Cursor<'a> {
        Cursor {
            text,
            pos: 0,
            depth: 0,
        }
    }

    fn bytes(&self) -> &'a [u8] {
        self.text
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes().get(self.pos) {
            self.pos += 1;
        }
    }

    /// The next byte that is not whitespace, not consumed.
    pub fn peek(&mut self) -> Option<u8> {
        self.skip_whitespace();
        self.bytes().get(self.pos).copied()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.pos += 1)
    }

    /// Only whitespace is left.
    pub fn at_end(&mut self) -> bool {
        self.peek().is_none()
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        self.skip_whitespace();
        self.bytes()
            .get(self.pos..)?
            .starts_with(word)
            .then(|| self.pos += word.len())
    }

    /// A `null`, consumed; false, with nothing consumed, for anything else.
    pub fn null(&mut self) -> bool {
        self.peek() == Some(b'n') && self.literal(b"null").is_some()
    }

    /// A string: borrowed from the text unless it has escapes.
    pub fn string(&mut self) -> Option<Cow<'a, str>> {
        self.eat(b'"')?;
        let start = self.pos;
        let bytes = self.bytes();
        let (at, ascii) = plain_run(bytes, start)?;
        self.pos = at;
        match bytes[at] {
            b'"' => {
                self.pos += 1;
                as_text(&bytes[start..at], ascii).map(Cow::Borrowed)
            }
            b'\\' => self.unescape(start).map(Cow::Owned),
            _ => None,
        }
    }

    /// The rest of a string with escapes, from its first character at `start`.
    fn unescape(&mut self, start: usize) -> Option<String> {
        let bytes = self.bytes();
        let mut out = String::new();
        let mut run = start;
        loop {
            let (end, ascii) = plain_run(bytes, run)?;
            self.pos = end;
            out.push_str(as_text(&bytes[run..end], ascii)?);
            match bytes[self.pos] {
                b'"' => {
                    self.pos += 1;
                    return Some(out);
                }
                b'\\' => {
                    let code = *bytes.get(self.pos + 1)?;
                    self.pos += 2;
                    out.push(match code {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return None,
                    });
                    run = self.pos;
                }
                _ => return None,
            }
        }
    }

    /// The character of a `\u` escape whose four digits start here; a surrogate pair is two
    /// escapes. Lone surrogates are left to serde_json.
    fn unicode_escape(&mut self) -> Option<char> {
        let high = self.hex4()?;
        if !(0xD800..0xE000).contains(&high) {
            return char::from_u32(high);
        }
        if high >= 0xDC00 || self.bytes().get(self.pos..self.pos + 2)? != b"\\u" {
            return None;
        }
        self.pos += 2;
        let low = self.hex4()?;
        if !(0xDC00..0xE000).contains(&low) {
            return None;
        }
        char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.bytes().get(self.pos..self.pos + 4)?;
        let mut n = 0;
        for &d in digits {
            n = n * 16 + char::from(d).to_digit(16)?;
        }
        self.pos += 4;
        Some(n)
    }

    /// A number as serde_json hands it over: a non-negative integer as `U64`; anything else
    /// (negative, fractional, exponent, past `u64`) is given to serde_json itself.
    fn number(&mut self) -> Option<Scalar<'a>> {
        self.skip_whitespace();
        let bytes = self.bytes();
        let start = self.pos;
        let mut at = start;
        while let Some(b'0'..=b'9') = bytes.get(at) {
            at += 1;
        }
        let digits = at - start;
        let plain = !matches!(bytes.get(at), Some(b'.' | b'e' | b'E' | b'-' | b'+'));
        // Up to 19 digits cannot overflow a u64; a leading zero is only `0` itself.
        if plain && (1..=19).contains(&digits) && (bytes[start] != b'0' || digits == 1) {
            self.pos = at;
            let n = bytes[start..at]
                .iter()
                .fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
            return Some(Scalar::U64(n));
        }
        while let Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'-' | b'+') = bytes.get(at) {
            at += 1;
        }
        let value = serde_json::from_slice::<Scalar>(&bytes[start..at]).ok()?;
        self.pos = at;
        matches!(value, Scalar::I64(_) | Scalar::U64(_) | Scalar::F64(_)).then_some(value)
    }

    /// Any value as a [`Scalar`]: containers are read through and given as `Other`.
    pub fn scalar(&mut self) -> Option<Scalar<'a>> {
        match self.peek()? {
            b'"' => self.string().map(Scalar::Str),
            b'-' | b'0'..=b'9' => self.number(),
            b't' => self.literal(b"true").map(|()| Scalar::Bool(true)),
            b'f' => self.literal(b"false").map(|()| Scalar::Bool(false)),
            b'n' => self.literal(b"null").map(|()| Scalar::Null),
            b'{' | b'[' => self.skip().map(|()| Scalar::Other),
            _ => None,
        }
    }

    /// Read past any value, checking it as serde_json's `IgnoredAny` does.
    pub fn skip(&mut self) -> Option<()> {
        match self.peek()? {
            b'{' => self.object(|_, c| c.skip()),
            b'[' => self.array(Cursor::skip),
            _ => self.scalar().map(drop),
        }
    }

    fn enter(&mut self, open: u8) -> Option<()> {
        self.eat(open)?;
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    /// An object: `each` reads the value of every key, in order.
    pub fn object(
        &mut self,
        mut each: impl FnMut(Cow<'a, str>, &mut Cursor<'a>) -> Option<()>,
    ) -> Option<()> {
        self.enter(b'{')?;
        if self.peek()? == b'}' {
            self.pos += 1;
        } else {
            loop {
                let key = self.string()?;
                self.eat(b':')?;
                each(key, self)?;
                match self.peek()? {
                    b',' => self.pos += 1,
                    b'}' => {
                        self.pos += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.depth -= 1;
        Some(())
    }

    /// An array: `each` reads every element, in order.
    pub fn array(&mut self, mut each: impl FnMut(&mut Cursor<'a>) -> Option<()>) -> Option<()> {
        let mut more = self.first_element()?;
        while more {
            each(self)?;
            more = self.next_element()?;
        }
        Some(())
    }

    /// The start of an array: whether an element follows (else the array is read).
    pub fn first_element(&mut self) -> Option<bool> {
        self.enter(b'[')?;
        if self.peek()? == b']' {
            self.pos += 1;
            self.depth -= 1;
            return Some(false);
        }
        Some(true)
    }

    /// After an element: whether another follows (else the array is read).
    pub fn next_element(&mut self) -> Option<bool> {
        match self.peek()? {
            b',' => {
                self.pos += 1;
                Some(true)
            }
            b']' => {
                self.pos += 1;
                self.depth -= 1;
                Some(false)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Cursor, Scalar};

    /// What serde_json makes of `json` as a Scalar, if it reads it.
    fn serde_scalar(json: &str) -> Option<Scalar<'_>> {
        serde_json::from_str::<Scalar>(json).ok()
    }

    fn cursor_scalar(json: &str) -> Option<Scalar<'_>> {
        let mut c = Cursor::new(json.as_bytes());
        c.scalar().filter(|_| c.at_end())
    }

    #[test]
    fn every_answer_is_serde_jsons() {
        let cases = [
            r#""plain""#,
            r#""tab\there \"q\" \\ \/ \b\f\n\r""#,
            r#""\u00e9\u4e2d\ud83d\ude00""#,
            r#""\ud83d""#,
            r#""\ude00x""#,
            r#""\u12""#,
            r#""\x""#,
            "\"a\u{1}b\"",
            "\"é中😀\"",
            "0",
            "7",
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999",
            "-0",
            "-12",
            "1.5",
            "1e3",
            "-1.25E-2",
            "01",
            "1.",
            ".5",
            "1-2",
            "--1",
            "true",
            "false",
            "null",
            "tru",
            "nul",
            "[1,2]",
            "{\"a\":[1,{\"b\":null}]}",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "[",
            "",
        ];
        for json in cases {
            let ours = cursor_scalar(json);
            if let Some(ours) = &ours {
                assert_eq!(Some(ours), serde_scalar(json).as_ref(), "{json}");
            }
        }
        // The plain forms are read here, not handed back.
        for json in [
            r#""tab\there \"q\"""#,
            r#""\ud83d\ude00""#,
            "18446744073709551615",
            "-12",
            "1.5",
            "true",
            "[1,{\"a\":2}]",
        ] {
            assert!(cursor_scalar(json).is_some(), "{json}");
        }
        for json in [r#""\ud83d""#, "01", "[1,]", "\"a\u{1}b\""] {
            assert!(cursor_scalar(json).is_none(), "{json}");
        }
    }

    #[test]
    fn a_plain_run_stops_at_the_first_quote_backslash_or_control_character() {
        let slow = |b: &[u8], from: usize| {
            let end = (from..b.len()).find(|&i| super::STOPS[usize::from(b[i])])?;
            Some((end, b[from..end].is_ascii()))
        };
        let mut text: Vec<u8> = "abcdefgh ijklmnop é中 0123456789 ~\u{7f}".bytes().collect();
        for stop in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
            for at in 0..text.len() {
                let saved = text[at];
                text[at] = stop;
                for from in 0..=at {
                    let (end, ascii) = super::plain_run(&text, from).expect("a stop");
                    let (want_end, want_ascii) = slow(&text, from).expect("a stop");
                    assert_eq!(end, want_end, "{stop} at {at} from {from}");
                    // Never ASCII when it is not; at worst not known to be when it is.
                    assert!(!ascii || want_ascii, "{stop} at {at} from {from}");
                }
                text[at] = saved;
            }
        }
        assert_eq!(
            super::plain_run(&text, 0),
            None,
            "no stop: the string is not closed"
        );
    }

    #[test]
    fn text_that_is_not_utf8_is_left_to_serde_json() {
        for bytes in [
            &b"\"\xff\""[..],
            b"\"ab\xc3\"",
            b"\"\xed\xa0\x80 long enough\"",
        ] {
            let mut c = Cursor::new(bytes);
            assert_eq!(c.scalar(), None, "{bytes:?}");
        }
        let mut c = Cursor::new("\"é\"".as_bytes());
        assert_eq!(c.scalar(), Some(Scalar::Str("é".into())));
    }

    #[test]
    fn deep_nesting_is_left_to_serde_json() {
        let deep = format!("{}{}", "[".repeat(150), "]".repeat(150));
        assert!(cursor_scalar(&deep).is_none());
        let fine = format!("{}{}", "[".repeat(50), "]".repeat(50));
        assert_eq!(cursor_scalar(&fine), Some(Scalar::Other));
    }
}
