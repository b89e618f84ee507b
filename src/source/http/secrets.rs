//! Credentials never reach the terminal: header values, tokens and URL passwords are masked
//! in every message and log line, and userinfo is stripped from URLs shown before parsing.

/// Replaces known secrets (header values, tokens, URL passwords) by `***` in any text that
/// may reach the terminal. Masking text rather than only the places we know a secret goes
/// also covers servers that echo a header back in an error body.
#[derive(Debug, Clone, Default)]
pub struct Masker {
    secrets: Vec<String>,
}

impl Masker {
    pub fn add(&mut self, secret: &str) {
        let s = secret.trim();
        if !s.is_empty() && !self.secrets.iter().any(|x| x == s) {
            self.secrets.push(s.to_string());
            // Longest first, so a secret containing another is masked whole.
            self.secrets.sort_by_key(|x| std::cmp::Reverse(x.len()));
        }
    }

    pub fn mask(&self, text: &str) -> String {
        let mut out = text.to_string();
        for s in &self.secrets {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), "***");
            }
        }
        out
    }
}

/// Strip the userinfo from a URL given as text, for display before it is parsed (and when it
/// cannot be).
pub fn mask_userinfo(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{}://***@{}", &url[..scheme_end], &rest[at + 1..]),
        None => url.to_string(),
    }
}

/// Percent-decode URL userinfo (`p%40ss` → `p@ss`) for basic auth; invalid escapes are
/// kept as they are.
pub(super) fn decode_pct(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_userinfo_and_secrets() {
        assert_eq!(mask_userinfo("http://u:p@h:1/x"), "http://***@h:1/x");
        assert_eq!(mask_userinfo("http://h:1/x@y"), "http://h:1/x@y");
        let mut m = Masker::default();
        m.add("s3cret");
        m.add("s3cret-longer");
        assert_eq!(m.mask("a s3cret-longer and s3cret"), "a *** and ***");
    }

    #[test]
    fn percent_decodes_userinfo() {
        assert_eq!(decode_pct("p%40ss"), "p@ss");
        assert_eq!(decode_pct("100%"), "100%");
    }
}
