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

    pub fn position(&self, offset: usize) -> Position {
        let before = &self.body[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Position {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }

    /// The whitespace that starts the line containing `offset`.
    pub fn indentation_of_line(&self, offset: usize) -> &'a str {
        let line_start = self.body[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line = &self.body[line_start..];
        let width = line.len() - line.trim_start_matches([' ', '\t']).len();
        &line[..width]
    }

    fn line(&self, number: usize) -> &'a str {
        self.body.split('\n').nth(number - 1).unwrap_or("")
    }

    /// `# perfmod: ignore` or `# perfmod: ignore[rule-a, rule-b]` on the first or
    /// last line of a finding silences it.
    pub fn is_suppressed(&self, rule: &str, first_line: usize, last_line: usize) -> bool {
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
        silences(self.line(first_line)) || (last_line != first_line && silences(self.line(last_line)))
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
        assert!(file.is_suppressed("any", 1, 1));
        assert!(file.is_suppressed("y-rule", 2, 2));
        assert!(!file.is_suppressed("z-rule", 2, 2));
        assert!(!file.is_suppressed("any", 3, 3));
    }
}
