//! Enough of the shell to read the command lines the README and `docs/` show: words with
//! single and double quotes and backslashes, `#` comments, line continuations, and the
//! operators that separate commands (`|`, `&&`, `||`, `;`, `&`) or redirect (`>`, `<`).
//! Included with `#[path = "common/shell.rs"] mod shell;` by the tests that read docs.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// One shell token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    Word(String),
    /// An operator that ends a command: `|`, `||`, `&&`, `;`, `&`.
    Separator(String),
    /// A redirection (`>`, `>>`, `<`, `2>`, …); the word after it is its target.
    Redirect(String),
}

/// Split `line` (continuations `\` + newline allowed) into tokens, as sh would.
pub fn tokenize(line: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    let finish = |word: &mut String, in_word: &mut bool, tokens: &mut Vec<Token>| {
        if *in_word {
            tokens.push(Token::Word(std::mem::take(word)));
            *in_word = false;
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => word.push(ch),
                        None => return Err("unclosed single quote".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(ch @ ('"' | '\\' | '$' | '`')) => word.push(ch),
                            Some('\n') => {}
                            Some(ch) => {
                                word.push('\\');
                                word.push(ch);
                            }
                            None => return Err("unclosed double quote".into()),
                        },
                        Some(ch) => word.push(ch),
                        None => return Err("unclosed double quote".into()),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') => {}
                Some(ch) => {
                    in_word = true;
                    word.push(ch);
                }
                None => {}
            },
            '#' if !in_word => break,
            c if c.is_whitespace() => finish(&mut word, &mut in_word, &mut tokens),
            '|' | '&' | ';' => {
                finish(&mut word, &mut in_word, &mut tokens);
                let mut op = c.to_string();
                if matches!((c, chars.peek()), ('|', Some('|')) | ('&', Some('&'))) {
                    op.push(chars.next().unwrap_or(c));
                }
                tokens.push(Token::Separator(op));
            }
            '>' | '<' => {
                // `2>` and `&>`: a file-descriptor prefix belongs to the redirection.
                let mut op = if in_word && word.chars().all(|d| d.is_ascii_digit()) {
                    in_word = false;
                    std::mem::take(&mut word)
                } else {
                    finish(&mut word, &mut in_word, &mut tokens);
                    String::new()
                };
                op.push(c);
                while let Some(&next @ ('>' | '&')) = chars.peek() {
                    op.push(next);
                    chars.next();
                }
                tokens.push(Token::Redirect(op));
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    finish(&mut word, &mut in_word, &mut tokens);
    Ok(tokens)
}

/// The simple commands of a line, each as its words: separators split them, redirections
/// and their targets are dropped, and leading `NAME=value` assignments are left out.
pub fn commands(line: &str) -> Result<Vec<Vec<String>>, String> {
    let mut out = vec![Vec::new()];
    let mut tokens = tokenize(line)?.into_iter();
    while let Some(t) = tokens.next() {
        match t {
            Token::Word(w) => {
                let current = out.last_mut().expect("one command at least");
                let assignment = current.is_empty()
                    && w.split_once('=').is_some_and(|(name, _)| {
                        !name.is_empty()
                            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    });
                if !assignment {
                    current.push(w);
                }
            }
            Token::Separator(_) => out.push(Vec::new()),
            Token::Redirect(_) => {
                tokens.next();
            }
        }
    }
    out.retain(|c| !c.is_empty());
    Ok(out)
}

/// The argv (program name `tracediag` first) of a command that runs tracediag: `tracediag …`,
/// a path ending in `/tracediag`, or `cargo run … -- …`. None for any other command.
pub fn tracediag_argv(words: &[String]) -> Option<Vec<String>> {
    let first = words.first()?;
    if first == "tracediag" || first.ends_with("/tracediag") {
        let mut argv = vec!["tracediag".to_string()];
        argv.extend(words[1..].iter().cloned());
        return Some(argv);
    }
    if first == "cargo" && words.get(1).is_some_and(|w| w == "run") {
        let dashes = words.iter().position(|w| w == "--")?;
        let mut argv = vec!["tracediag".to_string()];
        argv.extend(words[dashes + 1..].iter().cloned());
        return Some(argv);
    }
    None
}

/// The README and every page under `docs/`.
pub fn pages() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pages = vec![root.join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/ exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    pages.extend(docs);
    pages
}
