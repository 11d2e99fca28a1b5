//! A Python file's text as perfmod edits it: the BOM set aside, the line ending
//! and indentation unit detected, so every edit can match the file's own style
//! and every byte outside an edit stays as it was.
const SPACES: &str = "        ";

/// A 1-based line and column (columns count characters, as editors do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Line numbers of many offsets in one text, each found by binary search.
pub struct LineIndex {
    /// Offset of each line's first byte.
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let breaks = text
            .bytes()
            .enumerate()
            .filter(|(_, b)| *b == b'\n')
            .map(|(i, _)| i + 1);
        LineIndex {
            starts: std::iter::once(0).chain(breaks).collect(),
        }
    }

    /// The 1-based line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|start| *start <= offset)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct SourceFile<'a> {
    pub bom: bool,
    /// The text without its BOM: what is parsed and edited.
    pub body: &'a str,
    /// `\r\n` when the file's first line ends so, else `\n`.
    pub eol: &'static str,
    /// A tab, or the file's smallest indentation in spaces (4 when none).
    pub indent_unit: &'static str,
}

impl<'a> SourceFile<'a> {
    pub fn new(text: &'a str) -> Self {
        let (bom, body) = match text.strip_prefix('\u{feff}') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let eol = match body.find('\n') {
            Some(at) if at > 0 && body.as_bytes()[at - 1] == b'\r' => "\r\n",
            _ => "\n",
        };
        SourceFile {
            bom,
            body,
            eol,
            indent_unit: detect_indent_unit(body),
        }
    }

    /// The full file text for a rewritten body, BOM restored.
    pub fn with_body(&self, body: &str) -> String {
        if self.bom {
            format!("\u{feff}{body}")
        } else {
            body.to_string()
        }
    }

    /// Template text uses `\n`; a CRLF file gets CRLF.
    pub fn with_eol(&self, text: &str) -> String {
        if self.eol == "\n" {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len() + 8);
        let mut previous = '\0';
        for c in text.chars() {
            if c == '\n' && previous != '\r' {
                out.push('\r');
            }
            out.push(c);
            previous = c;
        }
        out
    }

    /// The position of `offset`, counting lines from the start of the file (for
    /// the odd error; a node's position is [`SourceFile::node_position`]).
    pub fn position(&self, offset: usize) -> Position {
        let before = &self.body[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Position {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }

    /// The position of a node's boundary: tree-sitter already knows the row, so
    /// only that line is scanned (columns count characters, not bytes).
    pub fn node_position(&self, offset: usize, point: tree_sitter::Point) -> Position {
        let line_start = offset - point.column;
        Position {
            line: point.row + 1,
            column: self.body[line_start..offset].chars().count() + 1,
        }
    }

    /// The line containing `offset`, without its line break.
    fn line_at(&self, offset: usize) -> &'a str {
        let start = self.body[..offset].rfind('\n').map_or(0, |i| i + 1);
        let end = self.body[offset..].find('\n').map_or(self.body.len(), |i| offset + i);
        &self.body[start..end]
    }

    /// The whitespace that starts the line containing `offset`.
    pub fn indentation_of_line(&self, offset: usize) -> &'a str {
        let line_start = self.body[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line = &self.body[line_start..];
        let width = line.len() - line.trim_start_matches([' ', '\t']).len();
        &line[..width]
    }

    /// `# perfmod: ignore` or `# perfmod: ignore[rule-a, rule-b]` on the first or
    /// last line of a finding (the lines holding `start` and `end`) silences it.
    pub fn is_suppressed(&self, rule: &str, start: usize, end: usize) -> bool {
        let silences = |line: &str| {
            let Some(at) = line.find("# perfmod: ignore") else {
                return false;
            };
            let rest = &line[at + "# perfmod: ignore".len()..];
            match rest.strip_prefix('[').and_then(|r| r.split_once(']')) {
                Some((list, _)) => list.split(',').any(|id| id.trim() == rule),
                None => !rest.starts_with('['),
            }
        };
        let (first, last) = (self.line_at(start), self.line_at(end));
        silences(first) || (last != first && silences(last))
    }
}

fn detect_indent_unit(body: &str) -> &'static str {
    let mut smallest = usize::MAX;
    for line in body.lines() {
        if line.starts_with('\t') {
            return "\t";
        }
        let width = line.len() - line.trim_start_matches(' ').len();
        if width > 0 && width < line.len() && !line.trim_start().starts_with('#') {
            smallest = smallest.min(width);
        }
    }
    if smallest == usize::MAX || smallest > SPACES.len() {
        &SPACES[..4]
    } else {
        &SPACES[..smallest]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_bom_crlf_and_tabs() {
        let file = SourceFile::new("\u{feff}if x:\r\n\tpass\r\n");
        assert!(file.bom);
        assert_eq!(file.eol, "\r\n");
        assert_eq!(file.indent_unit, "\t");
        assert_eq!(file.with_eol("a\nb"), "a\r\nb");
        assert_eq!(file.with_body("x"), "\u{feff}x");
    }

    #[test]
    fn line_index_agrees_with_positions() {
        let file = SourceFile::new("a\nbb\n\nccc");
        let index = LineIndex::new(file.body);
        for offset in 0..file.body.len() {
            assert_eq!(index.line_of(offset), file.position(offset).line, "offset {offset}");
        }
    }

    #[test]
    fn positions_count_characters() {
        let file = SourceFile::new("é = 1\nxé = f()\n");
        assert_eq!(
            file.position(file.body.find("f()").unwrap()),
            Position { line: 2, column: 6 }
        );
    }

    #[test]
    fn suppression_comments_name_rules() {
        let file = SourceFile::new("a  # perfmod: ignore\nb  # perfmod: ignore[x-rule, y-rule]\nc\n");
        let line = |n: usize| file.body.split_inclusive('\n').take(n - 1).map(str::len).sum::<usize>();
        assert!(file.is_suppressed("any", line(1), line(1)));
        assert!(file.is_suppressed("y-rule", line(2), line(2)));
        assert!(!file.is_suppressed("z-rule", line(2), line(2)));
        assert!(!file.is_suppressed("any", line(3), line(3)));
        assert!(
            file.is_suppressed("y-rule", line(1) + 1, line(2) + 1),
            "the last line counts too"
        );
    }
}
