//! serde_json's pretty layout (two spaces an indent), each line break and its indent written
//! in one piece. serde_json writes an indent one level at a time, each level a call into the
//! writer: a 100,000-span report is some 600,000 lines at depth three or four. Output is
//! byte for byte serde_json's `PrettyFormatter` (the golden tests hold it to that).

use std::io::{self, Write};

use serde_json::ser::Formatter;

/// Deeper than this (no report nests so), indents are written a level at a time.
const MAX_DEPTH: usize = 32;

/// `",\n"` then the spaces of [`MAX_DEPTH`] levels: `[1..]` is the line break without a
/// comma.
static BREAK: [u8; 2 + 2 * MAX_DEPTH] = {
    let mut b = [b' '; 2 + 2 * MAX_DEPTH];
    b[0] = b',';
    b[1] = b'\n';
    b
};

#[derive(Default)]
pub struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    /// A line break (after a comma unless `first`), then the indent of the current depth.
    fn line<W: ?Sized + Write>(&self, w: &mut W, comma: bool) -> io::Result<()> {
        let from = usize::from(!comma);
        if self.depth <= MAX_DEPTH {
            return w.write_all(&BREAK[from..2 + 2 * self.depth]);
        }
        w.write_all(&BREAK[from..2])?;
        (0..self.depth).try_for_each(|_| w.write_all(b"  "))
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(w, false)?;
        }
        w.write_all(bracket)
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.line(w, !first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.line(w, !first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    use super::{Pretty, MAX_DEPTH};

    fn ours<T: Serialize>(v: &T) -> String {
        let mut out = Vec::new();
        let mut s = serde_json::Serializer::with_formatter(&mut out, Pretty::default());
        v.serialize(&mut s).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_layout_is_serde_jsons() {
        let mut deep = serde_json::json!([1, {"x": []}]);
        for _ in 0..MAX_DEPTH + 3 {
            deep = serde_json::json!({"a": deep, "b": [1, {}], "c": []});
        }
        let values = [
            serde_json::json!(null),
            serde_json::json!([]),
            serde_json::json!({}),
            serde_json::json!({"a": 1, "b": [1, 2, {"c": "d\n\"e\""}], "e": {}, "f": [[]]}),
            deep,
        ];
        for v in &values {
            assert_eq!(ours(v), serde_json::to_string_pretty(v).unwrap());
        }
    }
}
