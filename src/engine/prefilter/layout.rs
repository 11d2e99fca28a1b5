//! A file's shape without a parse: its logical lines, where its comments and
//! string contents are, its top-level statements. One light scan that follows
//! strings, comments, brackets and line continuations.
use std::cell::OnceCell;
use std::ops::Range;

/// One logical line: a line of code with its bracketed or backslash-continued
/// continuation lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogicalLine {
    /// Where its first physical line starts (before the indentation).
    pub start: usize,
    /// Where its last physical line ends (at the line break).
    pub end: usize,
    /// The width of its indentation in bytes (a tab counts one: Python rejects
    /// files whose blocks compare differently with other tab sizes).
    pub indent: usize,
}

impl LogicalLine {
    /// Its text after the indentation.
    pub fn code<'s>(&self, source: &'s str) -> &'s str {
        &source[self.start + self.indent..self.end]
    }

    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// The bytes that change the scan's state outside strings.
const CODE_SPECIAL: [bool; 256] = {
    let mut special = [false; 256];
    let mut i = 0;
    while i < 10 {
        special[b"#'\"([{)]}\\"[i] as usize] = true;
        i += 1;
    }
    special
};

#[derive(Default)]
pub struct Layout {
    /// Every logical line that holds code, in order.
    pub lines: Vec<LogicalLine>,
    /// Comments and the contents of string literals, in order. An f-string is
    /// not among them: its replacement fields are code.
    not_code: Vec<Range<usize>>,
    /// See [`Layout::enclosing_functions`]; found once, for the codemods that ask.
    functions: OnceCell<Vec<Option<usize>>>,
}

impl Layout {
    pub fn scan(source: &str) -> Layout {
        let mut lines: Vec<LogicalLine> = Vec::new();
        let mut not_code = Vec::new();
        let bytes = source.as_bytes();
        // (quote, triple, where its contents start, whether it is an f-string)
        let mut string: Option<(u8, bool, usize, bool)> = None;
        let mut depth = 0usize;
        let mut continued = false;
        let mut open = false;
        let mut at = 0;
        while at < bytes.len() {
            let line_end = source[at..].find('\n').map_or(bytes.len(), |i| at + i);
            if string.is_none() && depth == 0 && !continued {
                let indent = bytes[at..line_end]
                    .iter()
                    .take_while(|b| matches!(b, b' ' | b'\t' | b'\x0c'))
                    .count();
                if !matches!(bytes.get(at + indent), None | Some(b'#' | b'\r' | b'\n')) {
                    lines.push(LogicalLine {
                        start: at,
                        end: line_end,
                        indent,
                    });
                    open = true;
                }
            }
            continued = false;
            let mut i = at;
            while i < line_end {
                // Jump to the next byte that can change the state.
                let skip = match string {
                    Some((quote, ..)) => bytes[i..line_end].iter().position(|b| *b == quote || *b == b'\\'),
                    None => bytes[i..line_end].iter().position(|b| CODE_SPECIAL[*b as usize]),
                };
                let Some(skip) = skip else { break };
                i += skip;
                let c = bytes[i];
                match string {
                    Some((quote, triple, contents, formatted)) => {
                        if c == b'\\' {
                            i += 1;
                        } else if c == quote && (!triple || bytes[i..].starts_with(&[quote, quote, quote])) {
                            if !formatted {
                                not_code.push(contents..i);
                            }
                            string = None;
                            i += if triple { 2 } else { 0 };
                        }
                    }
                    None => match c {
                        b'#' => {
                            not_code.push(i..line_end);
                            break;
                        }
                        b'\'' | b'"' => {
                            let triple = bytes[i..].starts_with(&[c, c, c]);
                            let prefix = bytes[..i].iter().rev().take_while(|b| b.is_ascii_alphabetic());
                            let formatted = prefix.take(3).any(|b| matches!(b, b'f' | b'F'));
                            i += if triple { 2 } else { 0 };
                            string = Some((c, triple, i + 1, formatted));
                        }
                        b'(' | b'[' | b'{' => depth += 1,
                        b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                        b'\\' if bytes[i + 1..line_end].iter().all(|b| *b == b'\r') => continued = true,
                        _ => {}
                    },
                }
                i += 1;
            }
            // An unterminated one-quote string ends at the line break, unless the
            // line ends with a backslash.
            if let Some((_, false, contents, formatted)) = string {
                if !source[at..line_end].trim_end_matches('\r').ends_with('\\') {
                    if !formatted {
                        not_code.push(contents..line_end);
                    }
                    string = None;
                }
            }
            if open {
                let last = lines.last_mut().expect("an open logical line");
                last.end = line_end;
                open = string.is_some() || depth > 0 || continued;
            }
            at = line_end + 1;
        }
        if let Some((_, _, contents, false)) = string {
            not_code.push(contents..source.len());
        }
        Layout {
            lines,
            not_code,
            functions: OnceCell::new(),
        }
    }

    /// Whether `offset` is in code: not in a comment, nor inside a string
    /// literal other than an f-string (a string's opening quote is code).
    pub fn is_code(&self, offset: usize) -> bool {
        let index = self.not_code.partition_point(|r| r.end <= offset);
        !self.not_code.get(index).is_some_and(|r| r.contains(&offset))
    }

    /// The index of the logical line `offset` is in.
    pub fn line_at(&self, offset: usize) -> Option<usize> {
        let index = self.lines.partition_point(|l| l.end < offset);
        self.lines
            .get(index)
            .filter(|l| l.start <= offset && offset <= l.end)
            .map(|_| index)
    }

    /// For each logical line, the header line of the innermost `def` it is in
    /// (a header counts as in its own function).
    pub fn enclosing_functions(&self, source: &str) -> &[Option<usize>] {
        self.functions.get_or_init(|| self.find_enclosing_functions(source))
    }

    fn find_enclosing_functions(&self, source: &str) -> Vec<Option<usize>> {
        let mut functions = Vec::with_capacity(self.lines.len());
        // (indentation, function) of the lines that may open a block around the next one.
        let mut open: Vec<(usize, Option<usize>)> = Vec::new();
        for (index, line) in self.lines.iter().enumerate() {
            while open.last().is_some_and(|(indent, _)| *indent >= line.indent) {
                open.pop();
            }
            let code = line.code(source);
            let code = code.strip_prefix("async").map_or(code, str::trim_start);
            let function = match code.starts_with("def ") {
                true => Some(index),
                false => open.last().and_then(|(_, function)| *function),
            };
            functions.push(function);
            open.push((line.indent, function));
        }
        functions
    }

    /// The logical lines after `header` (a line opening a block) that belong to
    /// its block, with the `else`/`elif`/`except`/`finally` clauses that follow
    /// it at its indentation: the range of text they cover, from `header` on.
    pub fn block(&self, source: &str, header: usize) -> Range<usize> {
        let indent = self.lines[header].indent;
        let mut end = self.lines[header].end;
        for line in &self.lines[header + 1..] {
            let clause = line.indent == indent && continues_compound(line.code(source));
            if line.indent <= indent && !clause {
                break;
            }
            end = line.end;
        }
        self.lines[header].start..end
    }
}

/// A top-level statement, and for a class its header and body statements, so
/// that a fragment can keep a few methods of a large class.
pub struct Statement {
    pub range: Range<usize>,
    /// (header, body statements) when the statement is a class.
    pub class: Option<(Range<usize>, Vec<Range<usize>>)>,
}

impl Layout {
    /// The top-level statements, each running up to the next one (comments and
    /// blank lines after a statement belong to it).
    pub fn top_level_statements(&self, source: &str) -> Vec<Statement> {
        self.statements_at(source, 0..source.len(), 0)
            .into_iter()
            .map(|range| {
                let code = &source[range.clone()];
                let header_line = code.lines().find(|l| !l.starts_with('@')).unwrap_or("");
                let class = if header_line.starts_with("class ") {
                    let body_indent = self
                        .lines
                        .iter()
                        .find(|line| range.contains(&line.start) && line.indent > 0)
                        .map(|line| line.indent);
                    body_indent.and_then(|indent| {
                        let body = self.statements_at(source, range.clone(), indent);
                        Some((range.start..body.first()?.start, body))
                    })
                } else {
                    None
                };
                Statement { range, class }
            })
            .collect()
    }

    /// Groups the logical lines of `within` indented by exactly `indent` into
    /// statements: decorators belong to their definition, `else`/`elif`/`except`/
    /// `finally` to their statement, deeper lines to the statement above them.
    fn statements_at(&self, source: &str, within: Range<usize>, indent: usize) -> Vec<Range<usize>> {
        let mut starts: Vec<usize> = Vec::new();
        let mut decorated = false;
        for line in self.lines.iter().filter(|line| within.contains(&line.start)) {
            if line.indent != indent {
                continue;
            }
            let code = line.code(source);
            let is_definition = ["def ", "class ", "async "].iter().any(|k| code.starts_with(k));
            if !continues_compound(code) && !(decorated && (is_definition || code.starts_with('@'))) {
                starts.push(line.start);
            }
            decorated = code.starts_with('@') || (decorated && !is_definition);
        }
        let mut ranges: Vec<Range<usize>> = starts.windows(2).map(|w| w[0]..w[1]).collect();
        if let Some(&last) = starts.last() {
            ranges.push(last..within.end);
        }
        ranges
    }
}

fn continues_compound(code: &str) -> bool {
    ["else", "elif", "except", "finally"].iter().any(|keyword| {
        code.strip_prefix(keyword)
            .is_some_and(|rest| rest.starts_with([':', ' ', '(', '*', '\t']))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logical_lines_span_brackets_strings_and_continuations() {
        let source = "x = (1,\n     2)\n# only a comment\ny = '''a\nb'''\nz = 1 + \\\n    2\nif a:\n    pass\n";
        let layout = Layout::scan(source);
        let lines: Vec<(&str, usize)> = layout.lines.iter().map(|l| (l.code(source), l.indent)).collect();
        assert_eq!(
            lines,
            vec![
                ("x = (1,\n     2)", 0),
                ("y = '''a\nb'''", 0),
                ("z = 1 + \\\n    2", 0),
                ("if a:", 0),
                ("pass", 4),
            ]
        );
        assert_eq!(layout.line_at(source.find("2)").unwrap()), Some(0));
        assert_eq!(layout.line_at(source.find("comment").unwrap()), None);
    }

    #[test]
    fn comments_and_plain_string_contents_are_not_code() {
        let source = "s = 'sum(' + \"\"  # sum(\nf'{sum(x)}' ; b\"for\"\n";
        let layout = Layout::scan(source);
        let code_at = |needle: &str, nth: usize| layout.is_code(source.match_indices(needle).nth(nth).unwrap().0);
        assert!(!code_at("sum(", 0), "inside a string");
        assert!(code_at("'sum(", 0), "an opening quote is code");
        assert!(code_at("\"\"", 0), "an empty string's quotes are code");
        assert!(!code_at("sum(", 1), "in a comment");
        assert!(code_at("sum(", 2), "inside an f-string's replacement field");
        assert!(!code_at("for", 0), "inside a bytes literal");
    }

    #[test]
    fn a_block_runs_to_the_next_line_as_little_indented_with_its_clauses() {
        let source = "for x in y:\n    a()\n\n    b()\nelse:\n    c()\nd()\n";
        let layout = Layout::scan(source);
        let block = layout.block(source, 0);
        assert_eq!(&source[block], "for x in y:\n    a()\n\n    b()\nelse:\n    c()");
    }
}
