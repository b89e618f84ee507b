//! Rule text → tokens, each with its 1-based column and whether whitespace came before it
//! (a space between selector steps means descendant).

use super::selector::Op;
use super::RuleError;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    /// Names, bare values and keywords (`span`, `and`, `http.route`, `/pay`).
    Word(String),
    /// A quoted string, unescaped.
    Str(String),
    /// Starts with a digit: numbers and durations (`3`, `200ms`, `1.5s`).
    Num(String),
    /// `>` between selector steps is lexed as Op(Gt) too; the parser tells them apart.
    Op(Op),
    LBracket,
    RBracket,
    LParen,
    RParen,
    Comma,
    /// After the last token, at the column one past the text.
    End,
}

#[derive(Debug, Clone)]
pub(super) struct Token {
    pub(super) tok: Tok,
    /// 1-based column of the first character.
    pub(super) col: usize,
    /// Whitespace directly before the token (a space between selector steps means descendant).
    pub(super) space_before: bool,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '/' | ':' | '@' | '*' | '$' | '#')
}

/// The tokens of `text`, always ending with [`Tok::End`].
pub(super) fn lex(text: &str) -> Result<Vec<Token>, RuleError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut space = false;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            space = true;
            i += 1;
            continue;
        }
        let (tok, len) = token_at(&chars, i)?;
        out.push(Token {
            tok,
            col: i + 1,
            space_before: space,
        });
        i += len;
        space = false;
    }
    out.push(Token {
        tok: Tok::End,
        col: chars.len() + 1,
        space_before: space,
    });
    Ok(out)
}

/// The token that starts at `chars[i]` (not whitespace), and how many characters it takes.
fn token_at(chars: &[char], i: usize) -> Result<(Tok, usize), RuleError> {
    let c = chars[i];
    let col = i + 1;
    let run = |more: fn(char) -> bool| {
        let mut j = i;
        while j < chars.len() && more(chars[j]) {
            j += 1;
        }
        (chars[i..j].iter().collect::<String>(), j - i)
    };
    Ok(match c {
        '[' => (Tok::LBracket, 1),
        ']' => (Tok::RBracket, 1),
        '(' => (Tok::LParen, 1),
        ')' => (Tok::RParen, 1),
        ',' => (Tok::Comma, 1),
        '"' | '\'' => quoted(chars, i)?,
        '=' | '!' | '<' | '>' | '~' => {
            let (op, len) = operator(c, chars.get(i + 1).copied(), col)?;
            (Tok::Op(op), len)
        }
        c if c.is_ascii_digit() => {
            let (text, len) = run(|ch| ch.is_alphanumeric() || ch == '.');
            (Tok::Num(text), len)
        }
        c if is_word_char(c) => {
            let (text, len) = run(is_word_char);
            (Tok::Word(text), len)
        }
        other => {
            return Err(RuleError {
                column: col,
                message: format!("unexpected character '{other}'"),
            })
        }
    })
}

/// The string quoted by `chars[i]` (`"` or `'`), with backslash escapes removed.
fn quoted(chars: &[char], i: usize) -> Result<(Tok, usize), RuleError> {
    let quote = chars[i];
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
            column: i + 1,
            message: format!("unterminated string: add the closing {quote}"),
        });
    }
    Ok((Tok::Str(s), j - i))
}

/// The comparison operator starting with `c` (then `next`), and its length.
fn operator(c: char, next: Option<char>, col: usize) -> Result<(Op, usize), RuleError> {
    Ok(match (c, next) {
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
    })
}

/// A token as an error message names it.
pub(super) fn describe(t: &Tok) -> String {
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
