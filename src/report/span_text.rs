//! The `span` document as a table (80 columns: long keys and values wrap, nothing is cut),
//! as Markdown, and as compact text for prompts (each value bounded, the whole within
//! `--max-tokens`, every cut stated).

use unicode_width::UnicodeWidthChar;

use super::markdown_table::{cell, table, Col};
use super::span::{value_text, AttrMap, SpanDetailDoc};
use super::text::{clean, human, md, truncate, width};
use super::RenderOptions;

/// Widest key column; a longer key gets a line of its own above its value.
const KEY_COLUMN: usize = 28;

/// Longest value in the prompt text; longer ones end in `…`.
const LLM_VALUE: usize = 300;

/// Characters per token, as `--max-tokens` counts them.
const CHARS_PER_TOKEN: usize = 4;

/// An event's name, or a word for its absence (OTLP events may have none).
fn event_name(name: &str) -> String {
    if name.trim().is_empty() {
        "(no name)".into()
    } else {
        clean(name)
    }
}

fn ns(ms: f64) -> i64 {
    (ms * 1e6).round() as i64
}

fn offset(ms: f64) -> String {
    if ms < 0.0 {
        human(ns(ms))
    } else {
        format!("+{}", human(ns(ms)))
    }
}

fn status_line(d: &SpanDetailDoc) -> String {
    let code = serde_json::to_value(d.status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    match &d.status_message {
        Some(m) if !m.is_empty() => format!("{code}: {}", clean(m)),
        _ => code,
    }
}

fn parent_line(d: &SpanDetailDoc) -> String {
    match (&d.parent_span_id, d.parent_ref) {
        (Some(p), Some("follows_from")) => format!("{} (follows from)", clean(p)),
        (Some(p), _) => clean(p),
        (None, _) => "none (a root span)".into(),
    }
}

/// `s` cut into pieces of at most `max` columns: after the last space of a piece when it
/// has one in its second half, else by character. Nothing is dropped or collapsed but the
/// space a piece ends with, so a value is shown as it is, only broken across lines.
fn hard_wrap(s: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    let mut cur = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw > max && !cur.is_empty() {
            let split = cur.rfind(' ').filter(|&at| width(&cur[..at]) * 2 >= max);
            match split {
                Some(at) => {
                    let rest = cur[at + 1..].to_string();
                    cur.truncate(at);
                    lines.push(std::mem::replace(&mut cur, rest));
                    w = width(&cur);
                }
                None => {
                    lines.push(std::mem::take(&mut cur));
                    w = 0;
                }
            }
        }
        cur.push(c);
        w += cw;
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Key/value rows under `indent` spaces: keys in a column, values wrapped to `total`
/// columns under their column; a key too long for the column stands on its own line.
fn kv_lines(pairs: &[(String, String)], indent: usize, total: usize) -> Vec<String> {
    let key_w = pairs
        .iter()
        .map(|(k, _)| width(k))
        .filter(|&w| w <= KEY_COLUMN)
        .max()
        .unwrap_or(0);
    let value_at = indent + key_w + 2;
    let value_w = total.saturating_sub(value_at).max(20);
    let pad = " ".repeat(indent);
    let mut out = Vec::new();
    for (k, v) in pairs {
        let mut values = hard_wrap(v, value_w).into_iter();
        if width(k) > key_w {
            for piece in hard_wrap(k, total.saturating_sub(indent)) {
                out.push(format!("{pad}{piece}"));
            }
        } else {
            let first = values.next().unwrap_or_default();
            let gap = " ".repeat(key_w - width(k) + 2);
            out.push(format!("{pad}{k}{gap}{first}").trim_end().to_string());
        }
        for piece in values {
            out.push(format!("{}{piece}", " ".repeat(value_at)));
        }
    }
    out
}

fn pairs(map: &AttrMap) -> Vec<(String, String)> {
    map.iter().map(|(k, v)| (clean(k), value_text(v))).collect()
}

fn cut_note(d: &SpanDetailDoc) -> Option<String> {
    (d.cut_values > 0).then(|| {
        format!(
            "{} value(s) cut at --max-attr-size ({} bytes) and marked …[truncated N bytes]; raise --max-attr-size to see them whole.",
            d.cut_values, d.max_attr_size_bytes
        )
    })
}

/// The span for a terminal, every line within `o.width` columns (unless `--wide`).
pub fn table_text(d: &SpanDetailDoc, o: &RenderOptions) -> String {
    let total = if o.wide { usize::MAX / 4 } else { o.width };
    let title = format!(
        "Span {} · {}.{}",
        clean(&d.span_id),
        clean(&d.service),
        clean(&d.operation)
    );
    let mut lines: Vec<String> = hard_wrap(&title, total);
    let mut head = vec![
        ("trace".to_string(), clean(&d.trace_id)),
        ("parent".to_string(), parent_line(d)),
        ("kind".to_string(), d.kind.as_str().to_string()),
        (
            "start".to_string(),
            format!(
                "{} from the trace start ({})",
                offset(d.start_offset_ms),
                d.start_time
            ),
        ),
        ("duration".to_string(), human(ns(d.duration_ms))),
        ("status".to_string(), status_line(d)),
    ];
    if let Some(h) = &d.host {
        head.insert(3, ("host".to_string(), clean(h)));
    }
    head.extend(d.warnings.iter().map(|w| ("warning".to_string(), clean(w))));
    if d.same_id_spans > 0 {
        head.push((
            "note".to_string(),
            format!(
                "{} other span(s) share this id; this is the first",
                d.same_id_spans
            ),
        ));
    }
    lines.extend(kv_lines(&head, 0, total));
    section(&mut lines, "Attributes", &pairs(&d.attributes), total);
    section(&mut lines, "Resource", &pairs(&d.resource), total);
    if !d.events.is_empty() {
        lines.push(String::new());
        lines.push(format!("Events ({})", d.events.len()));
        for e in &d.events {
            let head = format!("{}  {}", offset(e.offset_ms), event_name(&e.name));
            lines.extend(
                hard_wrap(&head, total.saturating_sub(2))
                    .iter()
                    .map(|l| format!("  {l}")),
            );
            lines.extend(kv_lines(&pairs(&e.attributes), 6, total));
        }
    }
    if !d.links.is_empty() {
        lines.push(String::new());
        lines.push(format!("Links ({})", d.links.len()));
        for l in &d.links {
            let text = format!(
                "{}  trace {} span {}",
                l.ref_type,
                clean(&l.trace_id),
                clean(&l.span_id)
            );
            lines.extend(
                hard_wrap(&text, total.saturating_sub(2))
                    .iter()
                    .map(|l| format!("  {l}")),
            );
        }
    }
    if let Some(note) = cut_note(d) {
        lines.push(String::new());
        lines.extend(super::text::wrap(&note, total, "", ""));
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

fn section(lines: &mut Vec<String>, title: &str, pairs: &[(String, String)], total: usize) {
    lines.push(String::new());
    if pairs.is_empty() {
        lines.push(format!("{title}: none"));
        return;
    }
    lines.push(format!("{title} ({})", pairs.len()));
    lines.extend(kv_lines(pairs, 2, total));
}

fn md_attrs(title: &str, map: &AttrMap) -> String {
    if map.is_empty() {
        return format!("\n## {title}\n\nNone.\n");
    }
    let rows = map.iter().map(|(k, v)| {
        vec![
            format!("`{}`", cell(k).replace('`', "'")),
            md(&value_text(v)),
        ]
    });
    format!(
        "\n## {title}\n\n{}",
        table(&[Col::left("Key"), Col::left("Value")], rows)
    )
}

/// The span as Markdown: identity as a list, attributes, resource and events as tables.
pub fn markdown(d: &SpanDetailDoc) -> String {
    let mut out = format!(
        "# Span `{}` — {}: {}\n\n",
        clean(&d.span_id),
        md(&d.service),
        md(&d.operation)
    );
    out.push_str(&format!("- Trace: `{}`\n", clean(&d.trace_id)));
    out.push_str(&format!("- Parent: {}\n", md(&parent_line(d))));
    out.push_str(&format!("- Kind: {}\n", d.kind.as_str()));
    if let Some(h) = &d.host {
        out.push_str(&format!("- Host: {}\n", md(h)));
    }
    out.push_str(&format!(
        "- Start: {} from the trace start ({})\n",
        offset(d.start_offset_ms),
        d.start_time
    ));
    out.push_str(&format!("- Duration: {}\n", human(ns(d.duration_ms))));
    out.push_str(&format!("- Status: {}\n", md(&status_line(d))));
    for w in &d.warnings {
        out.push_str(&format!("- Warning: {}\n", md(w)));
    }
    out.push_str(&md_attrs("Attributes", &d.attributes));
    out.push_str(&md_attrs("Resource", &d.resource));
    if !d.events.is_empty() {
        let rows = d.events.iter().map(|e| {
            let attrs: Vec<String> = pairs(&e.attributes)
                .into_iter()
                .map(|(k, v)| format!("{}={}", md(&k), md(&v)))
                .collect();
            vec![
                offset(e.offset_ms),
                md(&event_name(&e.name)),
                attrs.join(", "),
            ]
        });
        out.push_str(&format!(
            "\n## Events\n\n{}",
            table(
                &[
                    Col::right("Offset"),
                    Col::left("Event"),
                    Col::left("Attributes")
                ],
                rows
            )
        ));
    }
    if !d.links.is_empty() {
        out.push_str("\n## Links\n\n");
        for l in &d.links {
            out.push_str(&format!(
                "- {}: trace `{}` span `{}`\n",
                l.ref_type,
                clean(&l.trace_id),
                clean(&l.span_id)
            ));
        }
    }
    if let Some(note) = cut_note(d) {
        out.push_str(&format!("\n_{}_\n", md(&note)));
    }
    out
}

/// Compact text for a prompt: values cut to [`LLM_VALUE`] columns, lines added while they
/// fit `--max-tokens`, and what was left out stated.
pub fn llm(d: &SpanDetailDoc, o: &RenderOptions) -> String {
    let budget = o
        .max_tokens
        .map_or(usize::MAX, |n| n.saturating_mul(CHARS_PER_TOKEN));
    let mut out = format!(
        "# Span {} in trace {}\n{}: {} ({}), start {} from the trace start, took {}, status {}, parent {}.\n",
        truncate(&clean(&d.span_id), 80),
        truncate(&clean(&d.trace_id), 80),
        truncate(&clean(&d.service), 160),
        truncate(&clean(&d.operation), 160),
        d.kind.as_str(),
        offset(d.start_offset_ms),
        human(ns(d.duration_ms)),
        truncate(&status_line(d), LLM_VALUE),
        truncate(&parent_line(d), 80),
    );
    let line =
        |(k, v): (String, String)| format!("- {}={}", truncate(&k, 80), truncate(&v, LLM_VALUE));
    let events: Vec<String> = d
        .events
        .iter()
        .map(|e| {
            let attrs: Vec<String> = pairs(&e.attributes)
                .into_iter()
                .map(|(k, v)| format!("{}={}", truncate(&k, 80), truncate(&v, LLM_VALUE)))
                .collect();
            format!(
                "- {} {}: {}",
                offset(e.offset_ms),
                truncate(&event_name(&e.name), 80),
                attrs.join(", ")
            )
        })
        .collect();
    let links: Vec<String> = d
        .links
        .iter()
        .map(|l| {
            format!(
                "- {} trace {} span {}",
                l.ref_type,
                clean(&l.trace_id),
                clean(&l.span_id)
            )
        })
        .collect();
    let sections = [
        (
            "Attributes",
            pairs(&d.attributes)
                .into_iter()
                .map(line)
                .collect::<Vec<_>>(),
        ),
        (
            "Resource",
            pairs(&d.resource).into_iter().map(line).collect(),
        ),
        ("Events", events),
        ("Links", links),
    ];
    // Room for the closing statement of cuts.
    let reserve = 200;
    let mut cuts = Vec::new();
    for (title, items) in sections {
        if items.is_empty() {
            continue;
        }
        let head = format!("\n## {title}\n");
        let mut shown = 0;
        for item in &items {
            let extra = item.len() + 1 + if shown == 0 { head.len() } else { 0 };
            if out.len() + extra + reserve > budget {
                break;
            }
            if shown == 0 {
                out.push_str(&head);
            }
            out.push_str(item);
            out.push('\n');
            shown += 1;
        }
        if shown < items.len() {
            cuts.push(format!(
                "{} of {} {}",
                items.len() - shown,
                items.len(),
                title.to_lowercase()
            ));
        }
    }
    if !cuts.is_empty() {
        out.push_str(&format!(
            "\n_Omitted for the token budget ({} tokens): {}._\n",
            o.max_tokens.unwrap_or(0),
            cuts.join(", ")
        ));
    }
    if let Some(note) = cut_note(d) {
        out.push_str(&format!("_{note}_\n"));
    }
    if out.len() > budget {
        // Only a budget below the header's length gets here; never print past it.
        let note = "\n[cut at the token budget]\n";
        let mut cut = budget.saturating_sub(note.len());
        while cut > 0 && !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        out.push_str(note);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_character_within_the_width() {
        let lines = hard_wrap("abcdé名f", 3);
        assert!(lines.iter().all(|l| width(l) <= 3), "{lines:?}");
        assert_eq!(lines.concat(), "abcdé名f");
        let words = hard_wrap("one two  three", 8);
        assert_eq!(words, ["one two", " three"]);
        assert_eq!(hard_wrap("", 5), vec![String::new()]);
    }

    #[test]
    fn long_keys_and_values_fit() {
        let pairs = vec![
            ("short".to_string(), "v".repeat(200)),
            ("k".repeat(40), "x".to_string()),
        ];
        let lines = kv_lines(&pairs, 2, 80);
        assert!(lines.iter().all(|l| width(l) <= 80), "{lines:#?}");
        assert!(lines[0].starts_with("  short ") && lines[0].ends_with('v'));
        let joined: String = lines.concat().chars().filter(|c| *c == 'v').collect();
        assert_eq!(joined.len(), 200);
    }
}
