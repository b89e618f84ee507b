//! The cohort filter language: select traces with expressions such as
//! `duration > 1s and (service = "payment" or status = error)`.
//!
//! Grammar (keywords case-insensitive):
//! ```text
//! expr       := and ("or" and)*
//! and        := unary ("and" unary)*
//! unary      := "not" unary | "(" expr ")" | comparison
//! comparison := field op value
//! op         := = | != | > | >= | < | <=
//! value      := "quoted string" | bare-word
//! ```
//! Parse errors carry the 1-based column they were found at.

use crate::model::{SpanKind, Trace};
use crate::time::parse_time;
use crate::units::parse_duration_ns;

/// The language, for `--help` and the man page.
pub const HELP: &str = "\
Cohort filters select traces. A comparison is `field op value`; join them with `and`, `or`, \
`not` and parentheses. Operators: = != > >= < <=. Values are bare words or \"quoted strings\".

Fields:
  duration          the trace's duration: duration > 1s, duration <= 250ms
  start             when it started, RFC 3339 or relative: start >= 2023-01-29T08:43:00Z, start > 15m
  status            error or ok (any span failed or none): status = error
  service           any span's service: service = \"payment\"
  operation         any span's operation: operation = \"GET /pay\"
  root.service      the root span's service
  root.operation    the root span's operation: root.operation = \"GET /pay\"
  attr.<key>        any span's attribute (numbers compare as numbers): attr.http.route = \"/pay\"
  spans, errors     counts: spans > 100, errors >= 1

Examples:
  tracediag cohorts --a 'duration > 1s' --b 'duration < 200ms'
  tracediag cohorts --a 'service = \"payment\" and status = error' --b 'status = ok'

A malformed filter is a usage error (exit 2) naming the column where it went wrong.";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

impl Op {
    fn holds(self, ord: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            Op::Eq => ord == Equal,
            Op::Ne => ord != Equal,
            Op::Gt => ord == Greater,
            Op::Ge => ord != Less,
            Op::Lt => ord == Less,
            Op::Le => ord != Greater,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    Duration(Op, i64),
    Start(Op, i64),
    Status {
        error: bool,
        negate: bool,
    },
    Spans(Op, i64),
    Errors(Op, i64),
    /// Any span's service or operation (or the root's) compared as text.
    Text {
        field: TextField,
        op: Op,
        value: String,
    },
    /// Any span's attribute.
    Attr {
        key: String,
        op: Op,
        value: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    Service,
    Operation,
    RootService,
    RootOperation,
}

/// A parse error at a 1-based column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError {
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for FilterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "column {}: {}", self.column, self.message)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    Op(Op),
    Open,
    Close,
    End,
}

struct Lexer {
    toks: Vec<(Tok, usize)>,
    pos: usize,
}

fn lex(src: &str) -> Result<Vec<(Tok, usize)>, FilterError> {
    let chars: Vec<(usize, char)> = src.chars().enumerate().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&(col, c)) = chars.get(i) {
        let col = col + 1;
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push((Tok::Open, col));
                i += 1;
            }
            ')' => {
                out.push((Tok::Close, col));
                i += 1;
            }
            '=' | '!' | '<' | '>' => {
                let next = chars.get(i + 1).map(|&(_, c)| c);
                let (op, len) = match (c, next) {
                    ('=', Some('=')) => (Op::Eq, 2),
                    ('=', _) => (Op::Eq, 1),
                    ('!', Some('=')) => (Op::Ne, 2),
                    ('<', Some('=')) => (Op::Le, 2),
                    ('<', _) => (Op::Lt, 1),
                    ('>', Some('=')) => (Op::Ge, 2),
                    ('>', _) => (Op::Gt, 1),
                    _ => {
                        return Err(FilterError {
                            column: col,
                            message: "'!' must be followed by '=' (use `not` to negate)".into(),
                        })
                    }
                };
                out.push((Tok::Op(op), col));
                i += len;
            }
            '"' | '\'' => {
                let quote = c;
                let mut s = String::new();
                let mut j = i + 1;
                loop {
                    match chars.get(j) {
                        None => {
                            return Err(FilterError {
                                column: col,
                                message: format!("unterminated string: add the closing {quote}"),
                            })
                        }
                        Some(&(_, '\\')) => {
                            if let Some(&(_, e)) = chars.get(j + 1) {
                                s.push(e);
                            }
                            j += 2;
                        }
                        Some(&(_, ch)) if ch == quote => break,
                        Some(&(_, ch)) => {
                            s.push(ch);
                            j += 1;
                        }
                    }
                }
                out.push((Tok::Str(s), col));
                i = j + 1;
            }
            _ => {
                let mut s = String::new();
                while let Some(&(_, ch)) = chars.get(i) {
                    if ch.is_whitespace()
                        || matches!(ch, '(' | ')' | '=' | '!' | '<' | '>' | '"' | '\'')
                    {
                        break;
                    }
                    s.push(ch);
                    i += 1;
                }
                out.push((Tok::Word(s), col));
            }
        }
    }
    out.push((Tok::End, chars.len() + 1));
    Ok(out)
}

impl Lexer {
    fn peek(&self) -> (&Tok, usize) {
        self.toks
            .get(self.pos)
            .map(|(t, c)| (t, *c))
            .unwrap_or((&Tok::End, 0))
    }

    fn next(&mut self) -> (Tok, usize) {
        let t = self.toks.get(self.pos).cloned().unwrap_or((Tok::End, 0));
        self.pos += 1;
        t
    }

    fn keyword(&self, kw: &str) -> bool {
        matches!(self.peek().0, Tok::Word(w) if w.eq_ignore_ascii_case(kw))
    }
}

fn err<T>(column: usize, message: impl Into<String>) -> Result<T, FilterError> {
    Err(FilterError {
        column,
        message: message.into(),
    })
}

/// Parse a filter. `now_ns` resolves relative times (`start > 15m`).
pub fn parse(src: &str, now_ns: i64) -> Result<Filter, FilterError> {
    let mut lx = Lexer {
        toks: lex(src)?,
        pos: 0,
    };
    if matches!(lx.peek().0, Tok::End) {
        return err(1, "the filter is empty: write e.g. duration > 1s");
    }
    let f = parse_or(&mut lx, now_ns, 0)?;
    match lx.next() {
        (Tok::End, _) => Ok(f),
        (Tok::Close, col) => err(col, "unbalanced ')'"),
        (_, col) => err(col, "expected `and`, `or` or the end of the filter"),
    }
}

/// Nesting deeper than this is refused rather than risking the stack.
const MAX_DEPTH: usize = 64;

fn parse_or(lx: &mut Lexer, now: i64, depth: usize) -> Result<Filter, FilterError> {
    let mut left = parse_and(lx, now, depth)?;
    while lx.keyword("or") {
        lx.next();
        let right = parse_and(lx, now, depth)?;
        left = Filter::Or(Box::new(left), Box::new(right));
    }
    Ok(left)
}

fn parse_and(lx: &mut Lexer, now: i64, depth: usize) -> Result<Filter, FilterError> {
    let mut left = parse_unary(lx, now, depth)?;
    while lx.keyword("and") {
        lx.next();
        let right = parse_unary(lx, now, depth)?;
        left = Filter::And(Box::new(left), Box::new(right));
    }
    Ok(left)
}

fn parse_unary(lx: &mut Lexer, now: i64, depth: usize) -> Result<Filter, FilterError> {
    let col = lx.peek().1;
    if depth > MAX_DEPTH {
        return err(col, format!("nested more than {MAX_DEPTH} deep"));
    }
    if lx.keyword("not") {
        lx.next();
        return Ok(Filter::Not(Box::new(parse_unary(lx, now, depth + 1)?)));
    }
    if matches!(lx.peek().0, Tok::Open) {
        lx.next();
        let inner = parse_or(lx, now, depth + 1)?;
        return match lx.next() {
            (Tok::Close, _) => Ok(inner),
            (_, c) => err(c, format!("expected ')' to close the '(' at column {col}")),
        };
    }
    parse_comparison(lx, now)
}

fn parse_comparison(lx: &mut Lexer, now: i64) -> Result<Filter, FilterError> {
    let (field, fcol) =
        match lx.next() {
            (Tok::Word(w), c) => (w, c),
            (Tok::End, c) => return err(c, "expected a comparison such as duration > 1s"),
            (_, c) => return err(
                c,
                "expected a field name (duration, status, service, root.operation, attr.<key>, …)",
            ),
        };
    let op = match lx.next() {
        (Tok::Op(op), _) => op,
        (_, c) => {
            return err(
                c,
                format!("expected an operator (= != > >= < <=) after '{field}'"),
            )
        }
    };
    let (value, vcol) = match lx.next() {
        (Tok::Word(w), c) | (Tok::Str(w), c) => (w, c),
        (_, c) => return err(c, format!("expected a value after '{field}'")),
    };
    let lower = field.to_ascii_lowercase();
    let count = |v: &str| -> Result<i64, FilterError> {
        v.parse::<i64>()
            .or_else(|_| err(vcol, format!("expected a whole number, got '{v}'")))
    };
    let text_op = |op: Op| -> Result<Op, FilterError> {
        if matches!(op, Op::Eq | Op::Ne) {
            Ok(op)
        } else {
            err(fcol, format!("'{field}' compares with = or != only"))
        }
    };
    Ok(match lower.as_str() {
        "duration" => match parse_duration_ns(&value) {
            Ok(ns) => Filter::Duration(op, ns),
            Err(_) => return err(vcol, format!("expected a duration like 250ms or 1s, got '{value}'")),
        },
        "start" => match parse_time(&value, now) {
            Ok(ns) => Filter::Start(op, ns),
            Err(_) => return err(vcol, format!("expected an RFC 3339 time or a relative one (15m), got '{value}'")),
        },
        "status" => {
            let op = text_op(op)?;
            let error = match value.to_ascii_lowercase().as_str() {
                "error" => true,
                "ok" => false,
                _ => return err(vcol, format!("status is error or ok, got '{value}'")),
            };
            Filter::Status {
                error,
                negate: op == Op::Ne,
            }
        }
        "spans" => Filter::Spans(op, count(&value)?),
        "errors" => Filter::Errors(op, count(&value)?),
        "service" | "operation" | "root.service" | "root.operation" => Filter::Text {
            field: match lower.as_str() {
                "service" => TextField::Service,
                "operation" => TextField::Operation,
                "root.service" => TextField::RootService,
                _ => TextField::RootOperation,
            },
            op: text_op(op)?,
            value,
        },
        _ => match field.strip_prefix("attr.") {
            Some(key) if !key.is_empty() => Filter::Attr {
                key: key.to_string(),
                op,
                value,
            },
            _ => {
                return err(
                    fcol,
                    format!("unknown field '{field}': use duration, start, status, service, operation, root.service, root.operation, attr.<key>, spans or errors"),
                )
            }
        },
    })
}

/// Compare as numbers when both sides are numbers, else as text.
fn compare(have: &str, op: Op, want: &str) -> bool {
    match (have.trim().parse::<f64>(), want.trim().parse::<f64>()) {
        (Ok(a), Ok(b)) => a.partial_cmp(&b).is_some_and(|o| op.holds(o)),
        _ => op.holds(have.cmp(want)),
    }
}

impl Filter {
    /// Whether `t` is selected. The root is the earliest span without a parent in the trace
    /// (server kind preferred when several start together does not matter here).
    pub fn matches(&self, t: &Trace) -> bool {
        match self {
            Filter::And(a, b) => a.matches(t) && b.matches(t),
            Filter::Or(a, b) => a.matches(t) || b.matches(t),
            Filter::Not(a) => !a.matches(t),
            Filter::Duration(op, ns) => op.holds(t.duration_ns().cmp(ns)),
            Filter::Start(op, ns) => op.holds(t.start_ns().cmp(ns)),
            Filter::Status { error, negate } => ((t.error_count() > 0) == *error) != *negate,
            Filter::Spans(op, n) => op.holds((t.spans.len() as i64).cmp(n)),
            Filter::Errors(op, n) => op.holds((t.error_count() as i64).cmp(n)),
            Filter::Text { field, op, value } => {
                let eq = |s: &str| s == value;
                let any = match field {
                    TextField::Service => t.spans.iter().any(|s| eq(&s.service)),
                    TextField::Operation => t.spans.iter().any(|s| eq(&s.operation)),
                    TextField::RootService => root(t).is_some_and(|s| eq(&s.service)),
                    TextField::RootOperation => root(t).is_some_and(|s| eq(&s.operation)),
                };
                // `!=` means no span has it, the reading people expect of `service != "x"`.
                any == (*op == Op::Eq)
            }
            Filter::Attr { key, op, value } => {
                let any = |o: Op| {
                    t.spans
                        .iter()
                        .any(|s| s.attr(key).is_some_and(|a| compare(&a.as_text(), o, value)))
                };
                match op {
                    Op::Ne => !any(Op::Eq),
                    o => any(*o),
                }
            }
        }
    }
}

fn root(t: &Trace) -> Option<&crate::model::Span> {
    let ids = crate::model::SpanIndex::of(t.spans.iter().map(|s| s.span_id.as_str()));
    t.spans
        .iter()
        .filter(|s| s.parent_id.as_deref().is_none_or(|p| !ids.contains(p)))
        .min_by_key(|s| (s.start_ns, s.kind != SpanKind::Server))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_support::*;
    use crate::model::AttrValue;

    const NOW: i64 = 1_700_000_000_000_000_000;

    fn trace() -> Trace {
        indexed(vec![
            span_ms("r", None, "gateway.GET /pay", 0, 1500),
            with_attr(
                span_ms("a", Some("r"), "payment.charge", 10, 1400),
                "http.route",
                AttrValue::Str("/pay".into()),
            ),
            failed(span_ms("b", Some("a"), "bank.call", 20, 100), "boom"),
            with_attr(
                span_ms("c", Some("a"), "db.query", 200, 10),
                "rows",
                AttrValue::Int(42),
            ),
        ])
        .trace
    }

    fn yes(src: &str) -> bool {
        match parse(src, NOW) {
            Ok(f) => f.matches(&trace()),
            Err(e) => panic!("{src}: {e}"),
        }
    }

    #[test]
    fn valid_filters_select_what_they_say() {
        assert!(yes("duration > 1s"));
        assert!(!yes("duration > 2s"));
        assert!(yes("duration >= 1500ms and duration <= 1.5s"));
        assert!(yes("status = error"));
        assert!(!yes("status = ok"));
        assert!(yes("status != ok"));
        assert!(yes(r#"service = "bank""#));
        assert!(!yes(r#"service != "bank""#));
        assert!(yes(r#"root.operation = "GET /pay""#));
        assert!(yes("root.service = gateway"));
        assert!(!yes("root.service = payment"));
        assert!(yes(r#"attr.http.route = "/pay""#));
        assert!(yes("attr.rows > 40 and attr.rows < 100"));
        assert!(yes("spans = 4 and errors >= 1"));
        assert!(yes(
            "(duration > 10s or status = error) and not service = nowhere"
        ));
        // The test trace starts at the epoch.
        assert!(!yes("start >= 2023-01-29T08:43:00Z"));
        assert!(yes("start < 2023-01-29T08:43:00Z"));
        assert!(yes("DURATION > 1s AND Status = error"));
        assert!(yes("start < 15m"));
    }

    #[test]
    fn and_binds_tighter_than_or() {
        // false and false or true = true; false and (false or true) = false.
        assert!(yes("duration > 2s and spans = 9 or status = error"));
        assert!(!yes("duration > 2s and (spans = 9 or status = error)"));
    }

    #[test]
    fn invalid_filters_point_at_the_column() {
        let col = |src: &str| parse(src, NOW).err().map(|e| e.column);
        assert_eq!(col(""), Some(1));
        assert_eq!(col("duration > 1x"), Some(12));
        assert_eq!(col("durashun > 1s"), Some(1));
        assert_eq!(col("duration 1s"), Some(10));
        assert_eq!(col("duration >"), Some(11));
        assert_eq!(col("(duration > 1s"), Some(15));
        assert_eq!(col("duration > 1s)"), Some(14));
        assert_eq!(col("duration > 1s and"), Some(18));
        assert_eq!(col("duration > 1s xor status = ok"), Some(15));
        assert_eq!(col(r#"service = "pay"#), Some(11));
        assert_eq!(col("service > x"), Some(1));
        assert_eq!(col("status = maybe"), Some(10));
        assert_eq!(col("a ! b"), Some(3));
        assert_eq!(col("spans > many"), Some(9));
        assert_eq!(col("attr. = 1"), Some(1));
        let e = parse("duration > 1x", NOW)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.starts_with("column 12: expected a duration"), "{e}");
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let deep = "(".repeat(10_000);
        assert!(parse(&deep, NOW).is_err());
        let nots = "not ".repeat(10_000) + "status = ok";
        assert!(parse(&nots, NOW).is_err());
        for s in ["\"", "'\\", "é = ü", ")(", "= = =", "attr.x = \"\\\""] {
            let _ = parse(s, NOW);
        }
    }
}
