//! The W3C trace context `check --run` hands to the command it runs: a fresh random trace id
//! and parent span id, as the `traceparent` header value and as placeholders in the command.

use std::hash::{BuildHasher, Hasher};
use std::io::Read;

/// One run's trace context (`00-<trace id>-<parent span id>-01`, sampled).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceContext {
    /// 32 lower-case hex digits, never all zero.
    pub trace_id: String,
    /// 16 lower-case hex digits, never all zero: the remote parent of the trace's root.
    pub parent_span_id: String,
}

impl TraceContext {
    /// A fresh context: random ids from the operating system, or (where it has none) from
    /// the standard library's randomly keyed hasher.
    pub fn generate() -> TraceContext {
        let mut bytes = [0u8; 24];
        if !os_random(&mut bytes) {
            fallback_random(&mut bytes);
        }
        TraceContext::from_bytes(&bytes)
    }

    /// The context made of 16 trace-id bytes and 8 span-id bytes. The W3C format forbids
    /// all-zero ids, so a zero id gets its last bit set.
    pub fn from_bytes(bytes: &[u8; 24]) -> TraceContext {
        let mut trace = bytes[..16].to_vec();
        let mut span = bytes[16..].to_vec();
        for id in [&mut trace, &mut span] {
            if id.iter().all(|&b| b == 0) {
                if let Some(last) = id.last_mut() {
                    *last = 1;
                }
            }
        }
        TraceContext {
            trace_id: hex(&trace),
            parent_span_id: hex(&span),
        }
    }

    /// The `traceparent` header value: version 00, sampled (flags 01).
    pub fn traceparent(&self) -> String {
        format!("00-{}-{}-01", self.trace_id, self.parent_span_id)
    }

    /// The command with `{traceparent}` and `{trace_id}` replaced.
    pub fn substitute(&self, command: &str) -> String {
        command
            .replace("{traceparent}", &self.traceparent())
            .replace("{trace_id}", &self.trace_id)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn os_random(buf: &mut [u8]) -> bool {
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(buf))
        .is_ok()
}

/// Each `RandomState` is keyed afresh (randomly per process, then incremented); mixing in
/// the clock and the process id keeps ids of runs in different processes apart too.
fn fallback_random(buf: &mut [u8]) {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    for (i, chunk) in buf.chunks_mut(8).enumerate() {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(nanos);
        h.write_u32(std::process::id());
        h.write_usize(i);
        let v = h.finish().to_le_bytes();
        chunk.copy_from_slice(&v[..chunk.len()]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traceparent_layout() {
        let mut b = [0u8; 24];
        for (i, x) in b.iter_mut().enumerate() {
            *x = i as u8;
        }
        let c = TraceContext::from_bytes(&b);
        assert_eq!(c.trace_id, "000102030405060708090a0b0c0d0e0f");
        assert_eq!(c.parent_span_id, "1011121314151617");
        assert_eq!(
            c.traceparent(),
            "00-000102030405060708090a0b0c0d0e0f-1011121314151617-01"
        );
    }

    #[test]
    fn zero_ids_are_made_valid() {
        let c = TraceContext::from_bytes(&[0u8; 24]);
        assert_eq!(c.trace_id, format!("{}1", "0".repeat(31)));
        assert_eq!(c.parent_span_id, "0000000000000001");
    }

    #[test]
    fn generated_contexts_are_well_formed_and_differ() {
        let a = TraceContext::generate();
        let b = TraceContext::generate();
        for c in [&a, &b] {
            let tp = c.traceparent();
            let parts: Vec<&str> = tp.split('-').collect();
            assert_eq!(parts.len(), 4);
            assert_eq!((parts[0], parts[3]), ("00", "01"));
            assert_eq!(parts[1].len(), 32);
            assert_eq!(parts[2].len(), 16);
            assert!(tp
                .bytes()
                .all(|x| x == b'-' || x.is_ascii_digit() || (b'a'..=b'f').contains(&x)));
        }
        assert_ne!(a.trace_id, b.trace_id);
        assert_ne!(a.parent_span_id, b.parent_span_id);
        let mut buf = [0u8; 24];
        fallback_random(&mut buf);
        let mut buf2 = [0u8; 24];
        fallback_random(&mut buf2);
        assert_ne!(buf, buf2);
    }

    #[test]
    fn placeholders_are_substituted() {
        let c = TraceContext::from_bytes(&[0xab; 24]);
        let cmd = "curl -H 'traceparent: {traceparent}' http://x/{trace_id}?a={b}";
        assert_eq!(
            c.substitute(cmd),
            format!(
                "curl -H 'traceparent: 00-{t}-{s}-01' http://x/{t}?a={{b}}",
                t = "ab".repeat(16),
                s = "ab".repeat(8)
            )
        );
        assert_eq!(c.substitute("echo hi"), "echo hi");
    }
}
