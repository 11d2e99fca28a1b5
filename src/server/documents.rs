//! The open documents as the editor has them (unsaved edits included), and the
//! one translation between LSP positions (line, UTF-16 code unit) and the byte
//! offsets the engine works in.
use lsp_types::{Position, Range, TextDocumentContentChangeEvent, Url};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// One open document at one version; cheap to clone for a worker thread.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub uri: Url,
    pub version: i32,
    pub text: Arc<str>,
    /// The file the configuration is resolved for: the document's own path, or
    /// for an unsaved `untitled:` buffer a file in the current directory.
    pub path: PathBuf,
}

#[derive(Default)]
pub struct Documents {
    open: HashMap<Url, Snapshot>,
}

impl Documents {
    pub fn open(&mut self, uri: Url, version: i32, text: String) -> Snapshot {
        let path = uri.to_file_path().unwrap_or_else(|()| PathBuf::from("untitled.py"));
        let snapshot = Snapshot {
            uri: uri.clone(),
            version,
            text: text.into(),
            path,
        };
        self.open.insert(uri, snapshot.clone());
        snapshot
    }

    /// Applies `didChange` events in order (full or incremental). `None` when
    /// the document is not open.
    pub fn change(
        &mut self,
        uri: &Url,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) -> Option<Snapshot> {
        let snapshot = self.open.get_mut(uri)?;
        let mut text = snapshot.text.to_string();
        for change in changes {
            match change.range {
                Some(range) => {
                    let start = offset(&text, range.start);
                    let end = offset(&text, range.end).max(start);
                    text.replace_range(start..end, &change.text);
                }
                None => text = change.text,
            }
        }
        snapshot.text = text.into();
        snapshot.version = version;
        Some(snapshot.clone())
    }

    pub fn close(&mut self, uri: &Url) {
        self.open.remove(uri);
    }

    pub fn get(&self, uri: &Url) -> Option<&Snapshot> {
        self.open.get(uri)
    }

    pub fn all(&self) -> impl Iterator<Item = &Snapshot> {
        self.open.values()
    }
}

/// Line starts of a text, to turn many byte offsets into LSP positions.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let breaks = text.match_indices('\n').map(|(i, _)| i + 1);
        LineIndex {
            text,
            starts: std::iter::once(0).chain(breaks).collect(),
        }
    }

    /// The LSP position of a byte offset (clamped to the text, and to a char boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|start| *start <= offset) - 1;
        let character = self.text[self.starts[line]..offset].encode_utf16().count();
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, bytes: std::ops::Range<usize>) -> Range {
        Range::new(self.position(bytes.start), self.position(bytes.end))
    }
}

/// The byte offset of an LSP position; a position past a line's end means its
/// end, past the last line the end of the text (as the spec asks).
pub fn offset(text: &str, position: Position) -> usize {
    let mut line_start = 0;
    for _ in 0..position.line {
        match text[line_start..].find('\n') {
            Some(at) => line_start += at + 1,
            None => return text.len(),
        }
    }
    let line_end = text[line_start..].find('\n').map_or(text.len(), |at| line_start + at);
    let mut units = 0;
    for (at, c) in text[line_start..line_end].char_indices() {
        if units >= position.character as usize {
            return line_start + at;
        }
        units += c.len_utf16();
    }
    line_end
}

/// The one edit turning `old` into `new`: the span between their common prefix
/// and suffix, so a client applying it rewrites only what changed.
pub fn minimal_edit(old: &str, new: &str) -> lsp_types::TextEdit {
    let mut prefix = old.bytes().zip(new.bytes()).take_while(|(a, b)| a == b).count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let room = old.len().min(new.len()) - prefix;
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    let index = LineIndex::new(old);
    lsp_types::TextEdit {
        range: index.range(prefix..old.len() - suffix),
        new_text: new[prefix..new.len() - suffix].to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(old: &str, edit: &lsp_types::TextEdit) -> String {
        let mut text = old.to_string();
        let (start, end) = (offset(old, edit.range.start), offset(old, edit.range.end));
        text.replace_range(start..end, &edit.new_text);
        text
    }

    #[test]
    fn positions_count_utf16_units() {
        let text = "a = 'é𝄞'\nb\n";
        let index = LineIndex::new(text);
        let after_clef = text.find("'\n").unwrap();
        assert_eq!(index.position(after_clef), Position::new(0, 8));
        assert_eq!(offset(text, Position::new(0, 8)), after_clef);
        assert_eq!(index.position(text.len()), Position::new(2, 0));
        assert_eq!(offset(text, Position::new(9, 0)), text.len());
        assert_eq!(offset(text, Position::new(1, 40)), text.len() - 1);
    }

    #[test]
    fn minimal_edit_reproduces_the_new_text() {
        for (old, new) in [
            ("x = 1\ny = 2\n", "x = 1\ny = 3\n"),
            ("aaa", "aa"),
            ("aa", "aaa"),
            ("é\n", "è\n"),
            ("same", "same"),
            ("import a\nx\n", "import a\nimport b\nx\n"),
        ] {
            let edit = minimal_edit(old, new);
            assert_eq!(apply(old, &edit), new, "{old:?} -> {new:?}");
        }
        let edit = minimal_edit("x = 1\ny = 2\n", "x = 1\ny = 3\n");
        assert_eq!(edit.new_text, "3");
        assert_eq!(edit.range, Range::new(Position::new(1, 4), Position::new(1, 5)));
    }

    #[test]
    fn incremental_changes_apply_in_order() {
        let mut documents = Documents::default();
        let uri = Url::parse("file:///tmp/a.py").unwrap();
        documents.open(uri.clone(), 1, "x = 1\n".into());
        let change = |range: Option<Range>, text: &str| TextDocumentContentChangeEvent {
            range,
            range_length: None,
            text: text.into(),
        };
        let snapshot = documents
            .change(
                &uri,
                2,
                vec![
                    change(Some(Range::new(Position::new(0, 4), Position::new(0, 5))), "22"),
                    change(Some(Range::new(Position::new(1, 0), Position::new(1, 0))), "y = 3\n"),
                ],
            )
            .unwrap();
        assert_eq!(&*snapshot.text, "x = 22\ny = 3\n");
        assert_eq!(snapshot.version, 2);
    }
}
