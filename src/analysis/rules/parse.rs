//! Rule text → [`Rule`]. Every error carries the 1-based column (in characters) where the
//! problem starts, so `check` can point at it.

use regex::Regex;

use super::lex::{describe, lex, Tok, Token};
use super::selector::{Field, Filter, Op, Selector, Step, Value};
use super::{Rule, RuleError, RuleKind};
use crate::units::parse_duration_ns;

const BUILTINS: &str =
    "no-errors, no-anomalies, max-gap <DURATION>, max-duration <DURATION>, no-broken-trace, \
     no-n-plus-one [N], span[...] <field> <op> <value>, count(span[...]) <op> <N>";

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
        Tok::Word(w) if w == "span" => p.spans_rule()?,
        Tok::Word(w) if w == "count" => p.count_rule()?,
        Tok::Word(w) => p.builtin_rule(w, first.col)?,
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

/// Tokens of one rule and the position reached; `text` is the rule, for selector texts.
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

    /// `span[...] <field> <op> <value>`.
    fn spans_rule(&mut self) -> Result<RuleKind, RuleError> {
        let selector = self.selector()?;
        let t = self.bump();
        let key = match &t.tok {
            Tok::Word(w) => w.clone(),
            other => {
                return self.err(
                    t.col,
                    format!(
                        "expected what to assert after the selector (duration, status, name, an attribute), found {}",
                        describe(other)
                    ),
                )
            }
        };
        let check = self.comparison(Field::from_key(&key))?;
        Ok(RuleKind::Spans { selector, check })
    }

    /// `count(span[...]) <op> <N>`.
    fn count_rule(&mut self) -> Result<RuleKind, RuleError> {
        self.bump();
        self.expect(Tok::LParen, "'(' after count")?;
        let selector = self.selector()?;
        self.expect(Tok::RParen, "')' to close count(")?;
        let t = self.bump();
        let op = match t.tok {
            Tok::Op(op) => op,
            ref other => {
                return self.err(
                    t.col,
                    format!(
                        "expected a comparison after count(...), found {}",
                        describe(other)
                    ),
                )
            }
        };
        let n = self.bump();
        let n = match &n.tok {
            Tok::Num(s) => match s.parse::<i64>() {
                Ok(v) => v,
                Err(_) => return self.err(n.col, format!("expected a whole number, got '{s}'")),
            },
            other => {
                return self.err(
                    n.col,
                    format!("expected a whole number, found {}", describe(other)),
                )
            }
        };
        Ok(RuleKind::Count { selector, op, n })
    }

    /// A built-in gate by name (`no-errors`, `max-gap 5s`, …); `col` is where the name is.
    fn builtin_rule(&mut self, word: &str, col: usize) -> Result<RuleKind, RuleError> {
        let name = word.to_ascii_lowercase();
        self.bump();
        Ok(match name.as_str() {
            "no-errors" => RuleKind::NoErrors,
            "no-anomalies" => RuleKind::NoAnomalies,
            "no-broken-trace" => RuleKind::NoBrokenTrace,
            "max-gap" | "max-duration" => {
                let ns = self.duration_argument(&name)?;
                if name == "max-gap" {
                    RuleKind::MaxGap(ns)
                } else {
                    RuleKind::MaxDuration(ns)
                }
            }
            "no-n-plus-one" => self.n_plus_one_rule()?,
            _ => return self.err(col, format!("unknown rule '{word}'; rules are: {BUILTINS}")),
        })
    }

    /// The duration after `max-gap` or `max-duration` (named `rule` in the error).
    fn duration_argument(&mut self, rule: &str) -> Result<i64, RuleError> {
        let t = self.bump();
        match &t.tok {
            Tok::Num(s) => parse_duration_ns(s).map_err(|e| RuleError {
                column: t.col,
                message: e,
            }),
            other => self.err(
                t.col,
                format!(
                    "{rule} needs a duration (e.g. 5s), found {}",
                    describe(other)
                ),
            ),
        }
    }

    /// `no-n-plus-one [N]`: N at least 2, 10 when not given.
    fn n_plus_one_rule(&mut self) -> Result<RuleKind, RuleError> {
        match self.peek().tok.clone() {
            Tok::Num(s) => {
                let t = self.bump();
                match s.parse::<usize>() {
                    Ok(n) if n >= 2 => Ok(RuleKind::NoNPlusOne(n)),
                    _ => self.err(
                        t.col,
                        format!("no-n-plus-one needs a count of at least 2, got '{s}'"),
                    ),
                }
            }
            _ => Ok(RuleKind::NoNPlusOne(10)),
        }
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
