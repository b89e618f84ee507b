//! The shape of the house, checked on the source text: the layers import only downwards, no
//! two files import each other through a circle, and no file or function grows past the size
//! a reader can hold in mind. Each test names the offending files so the fix is obvious.
//!
//! Layers, lowest first (a file may import its own layer and any lower one):
//! `error`/`text`/`time`/`units`/`lru`/`side_by_side` → `model` → `source` | `analysis` (siblings, neither
//! imports the other) → `report` → `commands` → `cli` → `mcp` (a front end over the CLI)
//! → `main`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_FILE_LINES: usize = 600;
const MAX_FN_LINES: usize = 120;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `src/`, as a path relative to it.
fn files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![src()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path.strip_prefix(src()).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// The layer a file belongs to: its first path component.
fn layer_of(file: &Path) -> &'static str {
    let first = file
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_str()
        .unwrap();
    match first.trim_end_matches(".rs") {
        "error" | "text" | "time" | "units" | "lru" | "side_by_side" | "lib" => "base",
        "model" => "model",
        "source" => "source",
        "analysis" => "analysis",
        "report" => "report",
        "commands" => "commands",
        "cli" => "cli",
        "mcp" => "mcp",
        "main" => "main",
        other => panic!("src/{first}: no layer for top-level module '{other}'; add it here and to the module map in src/lib.rs"),
    }
}

fn rank(layer: &str) -> u8 {
    match layer {
        "base" => 0,
        "model" => 1,
        "source" | "analysis" => 2,
        "report" => 3,
        "commands" => 4,
        "cli" => 5,
        "mcp" => 6,
        "main" => 7,
        _ => unreachable!(),
    }
}

/// The text with comments and string literals blanked, so a path in a doc comment or a
/// message is not an import.
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                if b[i] == b'\n' {
                    out.push('\n');
                }
                i += 1;
            }
            i += 2;
        } else if b[i] == b'r'
            && (b.get(i + 1) == Some(&b'"') || b.get(i + 1) == Some(&b'#'))
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
        {
            // Raw string r"…" or r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&b'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&b'"') {
                out.push('r');
                i += 1;
                continue;
            }
            j += 1;
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            while j < b.len() && !b[j..].starts_with(&close) {
                if b[j] == b'\n' {
                    out.push('\n');
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j + close.len();
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    i += 1;
                }
                if b.get(i) == Some(&b'\n') {
                    out.push('\n');
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if b[i] == b'\'' && b.get(i + 2) == Some(&b'\'') {
            out.push_str("' '");
            i += 3;
        } else if b[i] == b'\'' && b.get(i + 1) == Some(&b'\\') {
            // '\n', '\'', '\u{…}'
            let mut j = i + 2;
            while j < b.len() && b[j] != b'\'' {
                j += 1;
            }
            out.push_str("' '");
            i = j + 1;
        } else {
            let ch = text[i..].chars().next().unwrap();
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// The file a `crate::a::b::c` path lands in: the longest prefix that is a file.
fn resolve(path: &[&str]) -> Option<PathBuf> {
    for n in (1..=path.len()).rev() {
        let stem: PathBuf = path[..n].iter().collect();
        let file = stem.with_extension("rs");
        if src().join(&file).is_file() {
            return Some(file);
        }
        let module = stem.join("mod.rs");
        if src().join(&module).is_file() {
            return Some(module);
        }
    }
    None
}

/// The files each file reaches through `crate::` paths (in `use` lines and in code), with
/// `{a, b}` groups expanded. Files that are tests only (`tests.rs`, `test_support.rs`) and
/// `#[cfg(test)]` modules at the end of a file are not part of the house and are skipped.
fn imports(file: &Path) -> BTreeSet<PathBuf> {
    let text = std::fs::read_to_string(src().join(file)).unwrap();
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => &text[..],
    };
    let code = code_only(text);
    let mut out = BTreeSet::new();
    let root = if file == Path::new("main.rs") {
        "tracediag::"
    } else {
        "crate::"
    };
    // The module path of this file, for `super::` and `self::` paths.
    let mut module: Vec<String> = file
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_str().unwrap().to_string())
        .collect();
    if module
        .last()
        .is_some_and(|m| m == "mod" || m == "lib" || m == "main")
    {
        module.pop();
    }
    for prefix in [root, "super::", "self::"] {
        for (at, _) in code.match_indices(prefix) {
            if at > 0 {
                let before = code.as_bytes()[at - 1];
                if before.is_ascii_alphanumeric() || before == b'_' || before == b':' {
                    continue;
                }
            }
            let mut rest = &code[at + prefix.len()..];
            let mut base: Vec<String> = match prefix {
                "super::" => module[..module.len().saturating_sub(1)].to_vec(),
                "self::" => module.clone(),
                _ => Vec::new(),
            };
            while let Some(r) = rest.strip_prefix("super::") {
                base.pop();
                rest = r;
            }
            for path in expand(rest) {
                let parts: Vec<&str> = base
                    .iter()
                    .map(String::as_str)
                    .chain(path.split("::").filter(|p| !p.is_empty()))
                    .collect();
                if let Some(target) = resolve(&parts) {
                    if target != file {
                        out.insert(target);
                    }
                }
            }
        }
    }
    out
}

/// `a::b::{c, d::e}` → [`a::b::c`, `a::b::d::e`]; a plain path → itself.
fn expand(rest: &str) -> Vec<String> {
    let mut prefix = String::new();
    let chars: Vec<char> = rest.chars().collect();
    let mut i = 0;
    while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == ':') {
        prefix.push(chars[i]);
        i += 1;
    }
    if chars.get(i) != Some(&'{') || !prefix.ends_with("::") {
        return vec![prefix];
    }
    // Find the matching brace and split the group at top-level commas.
    let mut depth = 0;
    let mut item = String::new();
    let mut items = Vec::new();
    for &c in &chars[i..] {
        match c {
            '{' => {
                depth += 1;
                if depth > 1 {
                    item.push(c);
                }
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    items.push(std::mem::take(&mut item));
                    break;
                }
                item.push(c);
            }
            ',' if depth == 1 => items.push(std::mem::take(&mut item)),
            _ => item.push(c),
        }
    }
    items
        .into_iter()
        .map(|s| s.split_whitespace().collect::<String>())
        .filter(|s| !s.is_empty() && s != "self")
        .flat_map(|s| {
            expand(&s)
                .into_iter()
                .map(|p| format!("{prefix}{p}"))
                .collect::<Vec<_>>()
        })
        .chain(std::iter::once(prefix.trim_end_matches("::").to_string()))
        .collect()
}

fn is_test_file(file: &Path) -> bool {
    let name = file.file_name().unwrap().to_str().unwrap();
    name == "tests.rs" || name == "test_support.rs" || name.ends_with("_tests.rs")
}

fn graph() -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
    files()
        .into_iter()
        .filter(|f| !is_test_file(f))
        .map(|f| {
            let deps = imports(&f)
                .into_iter()
                .filter(|d| !is_test_file(d))
                .collect();
            (f, deps)
        })
        .collect()
}

#[test]
fn layers_import_only_downwards() {
    let mut bad = Vec::new();
    for (file, deps) in graph() {
        let from = layer_of(&file);
        for dep in deps {
            let to = layer_of(&dep);
            let sideways = from != to && rank(from) == rank(to);
            if rank(to) > rank(from) || sideways {
                bad.push(format!(
                    "src/{} ({from}) imports src/{} ({to})",
                    file.display(),
                    dep.display()
                ));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "imports against the layers:\n{}",
        bad.join("\n")
    );
}

#[test]
fn no_import_cycles_between_files() {
    let graph = graph();
    // Tarjan's strongly connected components, iteratively.
    let nodes: Vec<&PathBuf> = graph.keys().collect();
    let index_of: BTreeMap<&PathBuf, usize> =
        nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let edges: Vec<Vec<usize>> = nodes
        .iter()
        .map(|n| {
            graph[*n]
                .iter()
                .filter_map(|d| index_of.get(d).copied())
                .collect()
        })
        .collect();
    let n = nodes.len();
    let (mut index, mut low, mut on_stack) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
    let (mut stack, mut next, mut cycles) = (Vec::new(), 0, Vec::new());
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        let mut work = vec![(start, 0usize)];
        while let Some(&mut (v, ref mut ei)) = work.last_mut() {
            if *ei == 0 {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if *ei < edges[v].len() {
                let w = edges[v][*ei];
                *ei += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                loop {
                    let w = stack.pop().unwrap();
                    on_stack[w] = false;
                    component.push(format!("src/{}", nodes[w].display()));
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    cycles.push(component.join(", "));
                }
            }
        }
    }
    assert!(
        cycles.is_empty(),
        "files that import each other in a circle:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn no_file_over_the_size_limit() {
    let big: Vec<String> = files()
        .into_iter()
        .filter(|f| !is_test_file(f))
        .filter_map(|f| {
            let text = std::fs::read_to_string(src().join(&f)).unwrap();
            // A file's own unit tests at its end do not count.
            let body = text
                .find("#[cfg(test)]\nmod tests")
                .map_or(&text[..], |at| &text[..at]);
            let lines = body.lines().count();
            (lines > MAX_FILE_LINES).then(|| format!("src/{}: {lines} lines", f.display()))
        })
        .collect();
    assert!(
        big.is_empty(),
        "files over {MAX_FILE_LINES} lines (split them by concern):\n{}",
        big.join("\n")
    );
}

#[test]
fn no_function_over_the_size_limit() {
    let mut long = Vec::new();
    for f in files().into_iter().filter(|f| !is_test_file(f)) {
        let text = std::fs::read_to_string(src().join(&f)).unwrap();
        let body = text
            .find("#[cfg(test)]\nmod tests")
            .map_or(&text[..], |at| &text[..at]);
        let code = code_only(body);
        let lines: Vec<&str> = code.lines().collect();
        for (start, line) in lines.iter().enumerate() {
            let t = line.trim_start();
            let is_fn = [
                "fn ",
                "pub fn ",
                "pub(crate) fn ",
                "pub(super) fn ",
                "async fn ",
                "pub async fn ",
                "const fn ",
                "pub const fn ",
                "unsafe fn ",
            ]
            .iter()
            .any(|p| t.starts_with(p));
            if !is_fn {
                continue;
            }
            // The body runs from the first `{` to its matching `}`; a declaration ending in
            // `;` (a trait method) has none.
            let mut depth = 0i32;
            let mut opened = false;
            let mut end = None;
            'scan: for (i, l) in lines.iter().enumerate().skip(start) {
                for c in l.chars() {
                    match c {
                        ';' if !opened && depth == 0 => break 'scan,
                        '{' => {
                            depth += 1;
                            opened = true;
                        }
                        '}' => {
                            depth -= 1;
                            if opened && depth == 0 {
                                end = Some(i);
                                break 'scan;
                            }
                        }
                        _ => {}
                    }
                }
            }
            if let Some(end) = end {
                let n = end - start + 1;
                if n > MAX_FN_LINES {
                    let name = t.split('(').next().unwrap_or(t);
                    long.push(format!(
                        "src/{}:{}: {name}: {n} lines",
                        f.display(),
                        start + 1
                    ));
                }
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FN_LINES} lines (split them):\n{}",
        long.join("\n")
    );
}
