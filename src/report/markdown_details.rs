//! `diagnose` and `timeline` in Markdown with `--attributes` / `--events`: the listed spans'
//! attributes and events below the timeline, one entry per span that has any, so a ticket
//! carries the tags and logs a reader would otherwise open the Jaeger UI for.

use super::span::{attr_map, event_docs, value_text, AttrMap};
use super::text::{human, md};
use super::waterfall::select;
use super::Ctx;

fn pairs(map: &AttrMap) -> String {
    let list: Vec<String> = map
        .iter()
        .map(|(k, v)| format!("{}={}", md(k), md(&value_text(v))))
        .collect();
    list.join(", ")
}

/// The "Span Details" section, or nothing when neither flag was given or no listed span
/// has attributes or events.
pub(super) fn section(c: &Ctx) -> String {
    let (attrs, events) = (c.o.span_attributes, c.o.span_events);
    if !attrs && !events {
        return String::new();
    }
    let mut out = String::new();
    for &i in &select(c, c.o.max_spans).spans {
        let Some(s) = c.span(i) else { continue };
        let mut lines = Vec::new();
        if attrs && s.attributes_and_scope().next().is_some() {
            lines.push(format!(
                "  - Attributes: {}",
                pairs(&attr_map(s.attributes_and_scope()))
            ));
        }
        if events {
            for e in event_docs(&s.events, s.start_ns) {
                let ns = (e.offset_ms * 1e6).round() as i64;
                let sign = if ns < 0 { "" } else { "+" };
                lines.push(format!(
                    "  - Event {sign}{} {}: {}",
                    human(ns),
                    md(&e.name),
                    pairs(&e.attributes)
                ));
            }
        }
        if !lines.is_empty() {
            out.push_str(&format!("- `{}` {}\n", md(&s.span_id), md(&s.label())));
            out.push_str(&lines.join("\n"));
            out.push('\n');
        }
    }
    if out.is_empty() {
        return out;
    }
    format!("### Span Details:\n\n{out}")
}
