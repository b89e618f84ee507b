//! `services` and `operations <service>`: a list of names, one a line, as a Markdown list or
//! as JSON under the list's own key (`{"schema_version": "1", "services": [...]}`).
//!
//! The names come from the source: the text and Markdown forms show them cleaned (see
//! `text::clean`).

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::text::{clean, truncate};
use super::{Format, RenderOptions};

/// `services --format json` and `operations --format json`.
#[derive(Debug, Clone)]
pub struct NamesDoc {
    /// Version of the layout.
    pub schema_version: String,
    /// The key the names are listed under: `services` or `operations`.
    pub key: String,
    /// The names, as the source sorted them.
    pub names: Vec<String>,
}

/// Keys in alphabetical order (`operations` before `schema_version`, `services` after it):
/// the key order of schema version 1, and keys do not move within a version.
impl Serialize for NamesDoc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        if self.key.as_str() < "schema_version" {
            m.serialize_entry(&self.key, &self.names)?;
            m.serialize_entry("schema_version", &self.schema_version)?;
        } else {
            m.serialize_entry("schema_version", &self.schema_version)?;
            m.serialize_entry(&self.key, &self.names)?;
        }
        m.end()
    }
}

/// The table form cuts a name longer than the width with `…` unless `wide`.
pub fn render(doc: &NamesDoc, format: Format, o: &RenderOptions) -> String {
    match format {
        Format::Json => super::json::to_string(doc),
        Format::Markdown | Format::Llm => doc
            .names
            .iter()
            .map(|n| format!("- {}\n", clean(n)))
            .collect(),
        Format::Table => doc
            .names
            .iter()
            .map(|n| {
                let n = clean(n);
                if o.wide {
                    n + "\n"
                } else {
                    truncate(&n, o.width.max(1)) + "\n"
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(key: &str, names: &[&str]) -> NamesDoc {
        NamesDoc {
            schema_version: "1".into(),
            key: key.into(),
            names: names.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn json_keys_are_in_alphabetical_order() {
        for key in ["services", "operations"] {
            let d = doc(key, &["a", "b"]);
            let want = serde_json::to_string_pretty(
                &serde_json::json!({ "schema_version": "1", key: ["a", "b"] }),
            )
            .unwrap()
                + "\n";
            assert_eq!(render(&d, Format::Json, &RenderOptions::default()), want);
        }
    }

    #[test]
    fn text_and_markdown_are_cleaned() {
        let d = doc("services", &["ok", "bad\x1b[2J", "a*b"]);
        let o = RenderOptions::default();
        assert_eq!(render(&d, Format::Table, &o), "ok\nbad\\x1b[2J\na*b\n");
        assert_eq!(
            render(&d, Format::Markdown, &o),
            "- ok\n- bad\\x1b[2J\n- a*b\n"
        );
    }

    #[test]
    fn long_names_fit_unless_wide() {
        let long = "x".repeat(100);
        let d = doc("services", &[&long]);
        let cut = render(&d, Format::Table, &RenderOptions::default());
        assert_eq!(cut, format!("{}…\n", "x".repeat(79)));
        let wide = RenderOptions {
            wide: true,
            ..RenderOptions::default()
        };
        assert_eq!(render(&d, Format::Table, &wide), format!("{long}\n"));
    }
}
