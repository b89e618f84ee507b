//! Rule text → [`Rule`]. Every error carries the 1-based column (in characters) where the
//! problem starts, so `check` can point at it.

use std::fmt;

use regex::Regex;

use super::selector::{Field, Filter, Op, Selector, Step, Value};
use super::{Rule, RuleKind};
use crate::units::parse_duration_ns;

/// A parse error: what is wrong and where.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleError {
    /// 1-based column, in characters.
    pub column: usize,
    pub message: String,
}

impl RuleError {
    /// `rule 'TEXT': column N: MESSAGE`, one line.
    pub fn with_rule(&self, text: &str) -> String {
        format!(
            "rule '{}': column {}: {}",
            text.trim(),
            self.column,
            self.message
        )
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column, self.message)
    }
}

const BUILTINS: &str =
    "no-errors, no-anomalies, max-gap <DURATION>, max-duration <DURATION>, no-broken-trace, \
     no-n-plus-one [N], span[...] <field> <op> <value>, count(span[...]) <op> <N>";

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// Names, bare values and keywords (`span`, `and`, `http.route`, `/pay`).
    Word(String),
    /// A quoted string, unescaped.
    Str(String),
    /// Starts with a digit: numbers and durations (`3`, `200ms`, `1.5s`).
    Num(String),
    Op(Op),
    LBracket,
    RBracket,
    LParen,
    RParen,
    Comma,
    /// `>` between selector steps is lexed as Op(Gt); see the parser.
    End,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    /// 1-based column of the first character.
    col: usize,
    /// Whitespace directly before the token (a space between selector steps means descendant).
    space_before: bool,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '/' | ':' | '@' | '*' | '$' | '#')
}

fn lex(text: &str) -> Result<Vec<Token>, RuleError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut space = false;
    while i < chars.len() {
        let c = chars[i];
        let col = i + 1;
        if c.is_whitespace() {
            space = true;
            i += 1;
            continue;
        }
        let push = |out: &mut Vec<Token>, tok: Tok, space: bool| {
            out.push(Token {
                tok,
                col,
                space_before: space,
            })
        };
        let next = chars.get(i + 1).copied();
        match c {
            '[' => {
                push(&mut out, Tok::LBracket, space);
                i += 1;
            }
            ']' => {
                push(&mut out, Tok::RBracket, space);
                i += 1;
            }
            '(' => {
                push(&mut out, Tok::LParen, space);
                i += 1;
            }
            ')' => {
                push(&mut out, Tok::RParen, space);
                i += 1;
            }
            ',' => {
                push(&mut out, Tok::Comma, space);
                i += 1;
            }
            '"' | '\'' => {
                let quote = c;
                let mut s = String::new();
                let mut j = i + 1;
                let mut closed = false;
                while j < chars.len() {
                    match chars[j] {
                        '\\' if j + 1 < chars.len() => {
                            s.push(chars[j + 1]);
                            j += 2;
                        }
                        q if q == quote => {
                            closed = true;
                            j += 1;
                            break;
                        }
                        other => {
                            s.push(other);
                            j += 1;
                        }
                    }
                }
                if !closed {
                    return Err(RuleError {
                        column: col,
                        message: format!("unterminated string: add the closing {quote}"),
                    });
                }
                push(&mut out, Tok::Str(s), space);
                i = j;
            }
            '=' | '!' | '<' | '>' | '~' => {
                let (op, len) = match (c, next) {
                    ('=', Some('=')) => (Op::Eq, 2),
                    ('=', Some('~')) => (Op::Match, 2),
                    ('=', _) => (Op::Eq, 1),
                    ('!', Some('=')) => (Op::Ne, 2),
                    ('!', Some('~')) => (Op::NotMatch, 2),
                    ('<', Some('=')) => (Op::Le, 2),
                    ('<', _) => (Op::Lt, 1),
                    ('>', Some('=')) => (Op::Ge, 2),
                    ('>', _) => (Op::Gt, 1),
                    ('~', _) => (Op::Match, 1),
                    _ => {
                        return Err(RuleError {
                            column: col,
                            message: "unexpected '!': use != or !~".into(),
                        })
                    }
                };
                push(&mut out, Tok::Op(op), space);
                i += len;
            }
            c if c.is_ascii_digit() => {
                let mut j = i;
                while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '.') {
                    j += 1;
                }
                push(&mut out, Tok::Num(chars[i..j].iter().collect()), space);
                i = j;
            }
            c if is_word_char(c) => {
                let mut j = i;
                while j < chars.len() && is_word_char(chars[j]) {
                    j += 1;
                }
                push(&mut out, Tok::Word(chars[i..j].iter().collect()), space);
                i = j;
            }
            other => {
                return Err(RuleError {
                    column: col,
                    message: format!("unexpected character '{other}'"),
                })
            }
        }
        space = false;
    }
    out.push(Token {
        tok: Tok::End,
        col: chars.len() + 1,
        space_before: space,
    });
    Ok(out)
}

struct Parser {
    toks: Vec<Token>,
    pos: usize,
    text: String,
}

impl Parser {
    fn peek(&self) -> &Token {
        // `lex` always ends with End, and `bump` never moves past it.
        &self.toks[self.pos.min(self.toks.len() - 1)]
    }

    fn bump(&mut self) -> Token {
        let t = self.peek().clone();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn err<T>(&self, col: usize, message: impl Into<String>) -> Result<T, RuleError> {
        Err(RuleError {
            column: col,
            message: message.into(),
        })
    }

    fn expect(&mut self, want: Tok, what: &str) -> Result<Token, RuleError> {
        let t = self.bump();
        if t.tok == want {
            Ok(t)
        } else {
            self.err(
                t.col,
                format!("expected {what}, found {}", describe(&t.tok)),
            )
        }
    }

    fn word_is(&self, w: &str) -> bool {
        matches!(&self.peek().tok, Tok::Word(x) if x.eq_ignore_ascii_case(w))
    }

    /// `span[...] (' ' | '>') span[...] ...`, stopping at anything that is not a step.
    fn selector(&mut self) -> Result<Selector, RuleError> {
        let start_col = self.peek().col;
        let mut steps = Vec::new();
        loop {
            let mut child = false;
            if !steps.is_empty() {
                // A `>` followed by `span` is the child combinator; a `>` followed by
                // anything else is the assertion's operator.
                if self.peek().tok == Tok::Op(Op::Gt) && self.next_is_span() {
                    self.bump();
                    child = true;
                } else if !self.word_is("span") {
                    break;
                }
            }
            let t = self.bump();
            match &t.tok {
                Tok::Word(w) if w == "span" => {}
                other => {
                    return self.err(
                        t.col,
                        format!("expected span[...], found {}", describe(other)),
                    )
                }
            }
            let mut step = Step {
                child,
                any_of: Vec::new(),
            };
            if self.peek().tok == Tok::LBracket && !self.peek().space_before {
                self.bump();
                step.any_of = self.filters()?;
            }
            steps.push(step);
        }
        let end_col = self.peek().col;
        let text: String = self
            .text
            .chars()
            .skip(start_col - 1)
            .take(end_col.saturating_sub(start_col))
            .collect();
        Ok(Selector {
            steps,
            text: text.trim().to_string(),
        })
    }

    fn next_is_span(&self) -> bool {
        matches!(self.toks.get(self.pos + 1).map(|t| &t.tok), Some(Tok::Word(w)) if w == "span")
    }

    /// Inside `[...]`: filters joined by and (space or `and`) and or (`or` or `,`).
    fn filters(&mut self) -> Result<Vec<Vec<Filter>>, RuleError> {
        let mut any = vec![Vec::new()];
        loop {
            let t = self.peek().clone();
            match &t.tok {
                Tok::RBracket => {
                    self.bump();
                    break;
                }
                Tok::End => return self.err(t.col, "unclosed '[': add ']'"),
                Tok::Comma => {
                    self.bump();
                    any.push(Vec::new());
                    continue;
                }
                Tok::Word(w) if w.eq_ignore_ascii_case("or") => {
                    self.bump();
                    any.push(Vec::new());
                    continue;
                }
                Tok::Word(w) if w.eq_ignore_ascii_case("and") => {
                    self.bump();
                    continue;
                }
                _ => {}
            }
            let f = self.filter()?;
            if let Some(last) = any.last_mut() {
                last.push(f);
            }
        }
        if let Some(empty) = any.iter().position(|a| a.is_empty()) {
            if any.len() > 1 || empty > 0 {
                return self.err(self.peek().col, "empty alternative around 'or' or ','");
            }
            any.clear();
        }
        Ok(any)
    }

    /// `key op value`.
    fn filter(&mut self) -> Result<Filter, RuleError> {
        let t = self.bump();
        let key = match &t.tok {
            Tok::Word(w) => w.clone(),
            Tok::Str(s) => s.clone(),
            other => {
                return self.err(
                    t.col,
                    format!("expected an attribute name, found {}", describe(other)),
                )
            }
        };
        let field = Field::from_key(&key);
        self.comparison(field)
    }

    /// `op value` after a field.
    fn comparison(&mut self, field: Field) -> Result<Filter, RuleError> {
        let t = self.bump();
        let op = match &t.tok {
            Tok::Op(op) => *op,
            Tok::Word(w) if w.eq_ignore_ascii_case("contains") => Op::Contains,
            other => {
                return self.err(
                    t.col,
                    format!(
                    "expected an operator (= != ~ !~ < <= > >= contains) after '{field}', found {}",
                    describe(other)
                ),
                )
            }
        };
        let v = self.bump();
        let raw = match &v.tok {
            Tok::Word(w) | Tok::Num(w) | Tok::Str(w) => w.clone(),
            other => {
                return self.err(
                    v.col,
                    format!(
                        "expected a value after '{}', found {}",
                        op.as_str(),
                        describe(other)
                    ),
                )
            }
        };
        let quoted = matches!(v.tok, Tok::Str(_));
        let value = match op {
            Op::Match | Op::NotMatch => match Regex::new(&raw) {
                Ok(r) => Value::Regex(r),
                Err(e) => {
                    let msg = e.to_string();
                    let last = msg.lines().last().unwrap_or("invalid").trim().to_string();
                    return self.err(v.col, format!("invalid regular expression: {last}"));
                }
            },
            _ if field.is_duration() => match parse_duration_ns(&raw) {
                Ok(ns) => Value::Duration(ns),
                Err(e) => return self.err(v.col, e),
            },
            _ if op.is_ordering() => match raw.parse::<f64>() {
                Ok(n) if n.is_finite() => Value::Number(n),
                _ => match parse_duration_ns(&raw) {
                    Ok(ns) if !quoted && raw.starts_with(|c: char| c.is_ascii_digit()) => {
                        Value::Duration(ns)
                    }
                    _ => {
                        return self.err(
                            v.col,
                            format!(
                                "'{}' needs a number or a duration, got '{raw}'",
                                op.as_str()
                            ),
                        )
                    }
                },
            },
            _ if field == Field::Status => {
                let lower = raw.to_ascii_lowercase();
                if !matches!(lower.as_str(), "error" | "ok" | "unset") {
                    return self.err(v.col, format!("status is error, ok or unset, not '{raw}'"));
                }
                Value::Text(lower)
            }
            _ => Value::Text(raw),
        };
        Ok(Filter { field, op, value })
    }

    fn at_end(&self) -> Result<(), RuleError> {
        let t = self.peek();
        if t.tok == Tok::End {
            Ok(())
        } else {
            self.err(
                t.col,
                format!("unexpected {} after the rule", describe(&t.tok)),
            )
        }
    }
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Word(w) => format!("'{w}'"),
        Tok::Str(s) => format!("\"{s}\""),
        Tok::Num(n) => format!("'{n}'"),
        Tok::Op(op) => format!("'{}'", op.as_str()),
        Tok::LBracket => "'['".into(),
        Tok::RBracket => "']'".into(),
        Tok::LParen => "'('".into(),
        Tok::RParen => "')'".into(),
        Tok::Comma => "','".into(),
        Tok::End => "the end of the rule".into(),
    }
}

/// Parse one rule.
pub fn parse_rule(text: &str) -> Result<Rule, RuleError> {
    // Columns refer to the text as given, so only trailing space is dropped here.
    let trimmed_end = text.trim_end();
    let toks = lex(trimmed_end)?;
    let mut p = Parser {
        toks,
        pos: 0,
        text: trimmed_end.to_string(),
    };
    let first = p.peek().clone();
    let kind = match &first.tok {
        Tok::End => return p.err(first.col, format!("empty rule; rules are: {BUILTINS}")),
        Tok::Word(w) if w == "span" => {
            let selector = p.selector()?;
            let t = p.bump();
            let key = match &t.tok {
                Tok::Word(w) => w.clone(),
                other => {
                    return p.err(
                        t.col,
                        format!(
                            "expected what to assert after the selector (duration, status, name, an attribute), found {}",
                            describe(other)
                        ),
                    )
                }
            };
            let check = p.comparison(Field::from_key(&key))?;
            RuleKind::Spans { selector, check }
        }
        Tok::Word(w) if w == "count" => {
            p.bump();
            p.expect(Tok::LParen, "'(' after count")?;
            let selector = p.selector()?;
            p.expect(Tok::RParen, "')' to close count(")?;
            let t = p.bump();
            let op = match t.tok {
                Tok::Op(op) => op,
                ref other => {
                    return p.err(
                        t.col,
                        format!(
                            "expected a comparison after count(...), found {}",
                            describe(other)
                        ),
                    )
                }
            };
            let n = p.bump();
            let n = match &n.tok {
                Tok::Num(s) => match s.parse::<i64>() {
                    Ok(v) => v,
                    Err(_) => return p.err(n.col, format!("expected a whole number, got '{s}'")),
                },
                other => {
                    return p.err(
                        n.col,
                        format!("expected a whole number, found {}", describe(other)),
                    )
                }
            };
            RuleKind::Count { selector, op, n }
        }
        Tok::Word(w) => {
            let name = w.to_ascii_lowercase();
            p.bump();
            match name.as_str() {
                "no-errors" => RuleKind::NoErrors,
                "no-anomalies" => RuleKind::NoAnomalies,
                "no-broken-trace" => RuleKind::NoBrokenTrace,
                "max-gap" | "max-duration" => {
                    let t = p.bump();
                    let ns = match &t.tok {
                        Tok::Num(s) => parse_duration_ns(s).map_err(|e| RuleError {
                            column: t.col,
                            message: e,
                        })?,
                        other => {
                            return p.err(
                                t.col,
                                format!(
                                    "{name} needs a duration (e.g. 5s), found {}",
                                    describe(other)
                                ),
                            )
                        }
                    };
                    if name == "max-gap" {
                        RuleKind::MaxGap(ns)
                    } else {
                        RuleKind::MaxDuration(ns)
                    }
                }
                "no-n-plus-one" => match p.peek().tok.clone() {
                    Tok::Num(s) => {
                        let t = p.bump();
                        match s.parse::<usize>() {
                            Ok(n) if n >= 2 => RuleKind::NoNPlusOne(n),
                            _ => {
                                return p.err(
                                    t.col,
                                    format!("no-n-plus-one needs a count of at least 2, got '{s}'"),
                                )
                            }
                        }
                    }
                    _ => RuleKind::NoNPlusOne(10),
                },
                _ => {
                    return p.err(
                        first.col,
                        format!("unknown rule '{w}'; rules are: {BUILTINS}"),
                    )
                }
            }
        }
        other => {
            return p.err(
                first.col,
                format!(
                    "a rule starts with a rule name, span[...] or count(, not {}",
                    describe(other)
                ),
            )
        }
    };
    p.at_end()?;
    Ok(Rule {
        text: text.trim().to_string(),
        name: None,
        kind,
    })
}
