//! Span selectors and the comparisons shared by selector filters and assertions.

use std::fmt;

use regex::Regex;

use crate::model::{IndexedTrace, Span, StatusCode};

/// What a filter or assertion looks at.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    Service,
    Name,
    Kind,
    Status,
    StatusMessage,
    /// Nanoseconds.
    Duration,
    /// Nanoseconds of time no child covers.
    SelfTime,
    /// A span attribute, else a resource attribute.
    Attr(String),
}

impl Field {
    pub fn from_key(key: &str) -> Field {
        match key {
            "service" | "service.name" => Field::Service,
            "name" | "operation" => Field::Name,
            "kind" => Field::Kind,
            "status" => Field::Status,
            "status_message" => Field::StatusMessage,
            "duration" => Field::Duration,
            "self_time" => Field::SelfTime,
            other => Field::Attr(other.strip_prefix("attr.").unwrap_or(other).to_string()),
        }
    }

    /// Compared as a duration: values are parsed with units (`200ms`).
    pub fn is_duration(&self) -> bool {
        matches!(self, Field::Duration | Field::SelfTime)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Field::Service => "service",
            Field::Name => "name",
            Field::Kind => "kind",
            Field::Status => "status",
            Field::StatusMessage => "status_message",
            Field::Duration => "duration",
            Field::SelfTime => "self_time",
            Field::Attr(k) => k,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Match,
    NotMatch,
    Lt,
    Le,
    Gt,
    Ge,
    Contains,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Match => "~",
            Op::NotMatch => "!~",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Contains => "contains",
        }
    }

    pub fn is_ordering(self) -> bool {
        matches!(self, Op::Lt | Op::Le | Op::Gt | Op::Ge)
    }

    /// Compare two numbers with an ordering or equality operator.
    pub fn compare<T: PartialOrd>(self, a: T, b: T) -> bool {
        match self {
            Op::Eq => a == b,
            Op::Ne => a != b,
            Op::Lt => a < b,
            Op::Le => a <= b,
            Op::Gt => a > b,
            Op::Ge => a >= b,
            Op::Match | Op::NotMatch | Op::Contains => false,
        }
    }
}

/// The right-hand side, typed at parse time so evaluation cannot fail.
#[derive(Debug, Clone)]
pub enum Value {
    Text(String),
    Number(f64),
    /// Nanoseconds.
    Duration(i64),
    Regex(Regex),
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Text(a), Value::Text(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::Duration(a), Value::Duration(b)) => a == b,
            (Value::Regex(a), Value::Regex(b)) => a.as_str() == b.as_str(),
            _ => false,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Text(s) => write!(f, "{s:?}"),
            Value::Number(n) => write!(f, "{n}"),
            Value::Duration(ns) => f.write_str(&crate::analysis::units::fmt_ms(*ns)),
            Value::Regex(r) => write!(f, "{:?}", r.as_str()),
        }
    }
}

/// `field op value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    pub field: Field,
    pub op: Op,
    pub value: Value,
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.field, self.op.as_str(), self.value)
    }
}

/// One `span[...]`: an OR of ANDs of filters; empty matches every span.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Step {
    /// True when this step must be a direct child of the previous one (`>`), false for any
    /// descendant (a space).
    pub child: bool,
    pub any_of: Vec<Vec<Filter>>,
}

/// Steps from the outermost ancestor to the selected span.
#[derive(Debug, Clone, PartialEq)]
pub struct Selector {
    pub steps: Vec<Step>,
    /// The selector as written, for messages.
    pub text: String,
}

impl Filter {
    /// Whether span `i` satisfies the filter. Missing attributes never satisfy a positive
    /// test and always satisfy `!=`/`!~` (Tracetest's behaviour).
    pub fn matches(&self, t: &IndexedTrace, self_ns: Option<&[i64]>, i: usize) -> bool {
        let Some(s) = t.trace.spans.get(i) else {
            return false;
        };
        match &self.field {
            Field::Duration => self.num(s.duration_ns as f64),
            Field::SelfTime => {
                let v = self_ns
                    .and_then(|v| v.get(i))
                    .copied()
                    .unwrap_or(s.duration_ns);
                self.num(v as f64)
            }
            _ => match field_text(s, &self.field) {
                Some(text) => self.text(&text),
                None => matches!(self.op, Op::Ne | Op::NotMatch),
            },
        }
    }

    fn num(&self, v: f64) -> bool {
        match &self.value {
            Value::Duration(d) => self.op.compare(v, *d as f64),
            Value::Number(n) => self.op.compare(v, *n),
            _ => false,
        }
    }

    fn text(&self, text: &str) -> bool {
        match (&self.value, self.op) {
            (Value::Regex(r), Op::Match) => r.is_match(text),
            (Value::Regex(r), Op::NotMatch) => !r.is_match(text),
            (Value::Text(v), Op::Eq) => text == v,
            (Value::Text(v), Op::Ne) => text != v,
            (Value::Text(v), Op::Contains) => text.contains(v.as_str()),
            (Value::Number(n), op) => text.trim().parse::<f64>().is_ok_and(|x| op.compare(x, *n)),
            (Value::Duration(d), op) => {
                crate::units::parse_duration_ns(text).is_ok_and(|x| op.compare(x, *d))
            }
            _ => false,
        }
    }
}

/// The span's value of a text field, or None when it has none.
pub fn field_text(s: &Span, field: &Field) -> Option<String> {
    match field {
        Field::Service => Some(s.service.to_string()),
        Field::Name => Some(s.operation.to_string()),
        Field::Kind => Some(s.kind.as_str().to_string()),
        Field::Status => Some(
            match s.status.code {
                StatusCode::Error => "error",
                StatusCode::Ok => "ok",
                StatusCode::Unset => "unset",
            }
            .to_string(),
        ),
        Field::StatusMessage => s.status.message.clone(),
        Field::Duration => Some(crate::analysis::units::fmt_ms(s.duration_ns)),
        Field::SelfTime => None,
        Field::Attr(k) => s.attr(k).map(|v| v.as_text()),
    }
}

impl Step {
    fn matches(&self, t: &IndexedTrace, self_ns: Option<&[i64]>, i: usize) -> bool {
        self.any_of.is_empty()
            || self
                .any_of
                .iter()
                .any(|all| all.iter().all(|f| f.matches(t, self_ns, i)))
    }
}

impl Selector {
    /// Indices of the selected spans, in trace order.
    pub fn select(&self, t: &IndexedTrace, self_ns: Option<&[i64]>) -> Vec<usize> {
        let n = t.trace.spans.len();
        let mut prev: Vec<bool> = Vec::new();
        for (k, step) in self.steps.iter().enumerate() {
            // For a descendant step: whether some ancestor matched the previous steps. One
            // pass in pre-order (parents first) instead of walking every span's ancestors,
            // which is quadratic on a deep chain.
            let below_prev: Vec<bool> = if k > 0 && !step.child {
                let mut below = vec![false; n];
                for &i in &t.tree.preorder {
                    if let Some(p) = t.tree.parent.get(i).copied().flatten() {
                        let hit = prev.get(p).copied().unwrap_or(false)
                            || below.get(p).copied().unwrap_or(false);
                        if let Some(b) = below.get_mut(i) {
                            *b = hit;
                        }
                    }
                }
                below
            } else {
                Vec::new()
            };
            let cur: Vec<bool> = (0..n)
                .map(|i| {
                    if !step.matches(t, self_ns, i) {
                        return false;
                    }
                    if k == 0 {
                        return true;
                    }
                    if step.child {
                        let parent = t.tree.parent.get(i).copied().flatten();
                        parent.is_some_and(|p| prev.get(p).copied().unwrap_or(false))
                    } else {
                        below_prev.get(i).copied().unwrap_or(false)
                    }
                })
                .collect();
            prev = cur;
        }
        (0..n)
            .filter(|&i| prev.get(i).copied().unwrap_or(false))
            .collect()
    }
}
