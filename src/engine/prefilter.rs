//! Work proportional to what can match. Before anything is parsed, one
//! multi-pattern scan finds the literals the active codemods declare. A file
//! with none is done. Otherwise only the statements holding a literal (plus the
//! statement before each, for patterns over consecutive statements, and every
//! module-level import, for name resolution; inside a large class only the
//! methods holding one, under the class header) are parsed as a fragment and
//! matched with the guards that are exact or permissive on a fragment. When
//! nothing survives, the file has no findings and is never parsed whole.
//!
//! The fragment pass may only over-approximate: a guard that needs the whole
//! file passes there, and a fragment that does not parse sends the file to the
//! full pass.
use std::ops::Range;

/// A fragment is only worth it when it is clearly smaller than the file.
pub const DEFAULT_MAX_SHARE: f64 = 0.6;

/// The start offset and indentation width of every logical line that holds
/// code, found by a light scan that follows strings, comments, brackets and
/// line continuations; no parse.
fn logical_lines(source: &str) -> Vec<(usize, usize)> {
    let mut lines = Vec::new();
    let bytes = source.as_bytes();
    let mut string: Option<(u8, bool)> = None; // (quote, triple)
    let mut depth = 0usize;
    let mut continued = false;
    let mut at = 0;
    while at < bytes.len() {
        let line_end = bytes[at..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(bytes.len(), |i| at + i);
        if string.is_none() && depth == 0 && !continued {
            let indent = bytes[at..line_end]
                .iter()
                .take_while(|b| matches!(b, b' ' | b'\t' | b'\x0c'))
                .count();
            if !matches!(bytes.get(at + indent), None | Some(b'#' | b'\r' | b'\n')) {
                lines.push((at, indent));
            }
        }
        continued = false;
        let mut i = at;
        while i < line_end {
            let c = bytes[i];
            match string {
                Some((quote, triple)) => {
                    if c == b'\\' {
                        i += 1;
                    } else if c == quote && (!triple || bytes[i..].starts_with(&[quote, quote, quote])) {
                        string = None;
                        i += if triple { 2 } else { 0 };
                    }
                }
                None => match c {
                    b'#' => break,
                    b'\'' | b'"' => {
                        let triple = bytes[i..].starts_with(&[c, c, c]);
                        string = Some((c, triple));
                        i += if triple { 2 } else { 0 };
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
        if let Some((_, false)) = string {
            if !source[at..line_end].trim_end_matches('\r').ends_with('\\') {
                string = None;
            }
        }
        at = line_end + 1;
    }
    lines
}

/// Groups the logical lines of `within` indented by exactly `indent` into
/// statements: decorators belong to their definition, `else`/`elif`/`except`/
/// `finally` to their statement, deeper lines to the statement above them.
fn statements_at(source: &str, lines: &[(usize, usize)], within: Range<usize>, indent: usize) -> Vec<Range<usize>> {
    let mut starts: Vec<usize> = Vec::new();
    let mut decorated = false;
    for &(start, width) in lines.iter().filter(|(start, _)| within.contains(start)) {
        if width != indent {
            continue;
        }
        let code = &source[start + width..];
        let is_definition = ["def ", "class ", "async "].iter().any(|k| code.starts_with(k));
        if !continues_compound(code) && !(decorated && (is_definition || code.starts_with('@'))) {
            starts.push(start);
        }
        decorated = code.starts_with('@') || (decorated && !is_definition);
    }
    let mut ranges: Vec<Range<usize>> = starts.windows(2).map(|w| w[0]..w[1]).collect();
    if let Some(&last) = starts.last() {
        ranges.push(last..within.end);
    }
    ranges
}

fn continues_compound(code: &str) -> bool {
    ["else", "elif", "except", "finally"].iter().any(|keyword| {
        code.strip_prefix(keyword)
            .is_some_and(|rest| rest.starts_with([':', ' ', '(', '*', '\t']))
    })
}

/// A top-level statement, and for a class its header and body statements, so
/// that a fragment can keep a few methods of a large class.
pub struct Statement {
    range: Range<usize>,
    /// (header, body statements) when the statement is a class.
    class: Option<(Range<usize>, Vec<Range<usize>>)>,
}

impl Statement {
    pub fn range(&self) -> Range<usize> {
        self.range.clone()
    }
}

pub fn top_level_statements(source: &str) -> Vec<Statement> {
    let lines = logical_lines(source);
    statements_at(source, &lines, 0..source.len(), 0)
        .into_iter()
        .map(|range| {
            let code = &source[range.clone()];
            let header_line = code.lines().find(|l| !l.starts_with('@')).unwrap_or("");
            let class = if header_line.starts_with("class ") {
                let body_indent = lines
                    .iter()
                    .find(|(start, width)| range.contains(start) && *width > 0)
                    .map(|l| l.1);
                body_indent.and_then(|indent| {
                    let body = statements_at(source, &lines, range.clone(), indent);
                    Some((range.start..body.first()?.start, body))
                })
            } else {
                None
            };
            Statement { range, class }
        })
        .collect()
}

/// The fragment to parse first: module-level imports, and each statement a
/// literal occurs in with the statement before it; inside a class, only the
/// methods holding a literal (with the class header and the statement before
/// each). So a pattern must match within what its literals keep: a class header
/// and the methods holding its literals (`tests/codemods.rs` checks every
/// example with and without fragments). `None` when the fragment would be over
/// `max_share` of the file.
pub fn fragment(source: &str, statements: &[Statement], hits: &[usize], max_share: f64) -> Option<String> {
    let ranges: Vec<Range<usize>> = statements.iter().map(|s| s.range.clone()).collect();
    let relevant = relevant(&ranges, hits);
    let mut text = String::new();
    let push = |text: &mut String, range: Range<usize>| {
        text.push_str(&source[range]);
        if !text.ends_with('\n') {
            text.push('\n');
        }
    };
    for (index, statement) in statements.iter().enumerate() {
        let code = &source[statement.range.clone()];
        let is_definition = code.starts_with("def ") || code.starts_with("class ") || code.starts_with('@');
        // Imports anywhere at module level, also under `try:` or `if TYPE_CHECKING:`.
        let holds_imports = !is_definition && code.contains("import ");
        if !relevant[index] && !holds_imports {
            continue;
        }
        match &statement.class {
            Some((header, body)) if !hits.iter().any(|h| header.contains(h)) => {
                push(&mut text, header.clone());
                let in_body = self::relevant(body, hits);
                for (range, _) in body.iter().zip(&in_body).filter(|(_, keep)| **keep) {
                    push(&mut text, range.clone());
                }
            }
            _ => push(&mut text, statement.range.clone()),
        }
    }
    (text.len() as f64 <= max_share * source.len() as f64).then_some(text)
}

/// Where a literal that an import renames (`from m import Literal as Alias`) is
/// used under its alias: those uses hold no literal, yet may match. Returns each
/// use's offset with the index (in `hits`) of the literal its import renamed, so
/// the use counts as that literal.
pub fn alias_uses(source: &str, statements: &[Statement], hits: &[usize]) -> Vec<(usize, usize)> {
    let mut aliases: Vec<(&str, usize)> = Vec::new();
    for range in statements.iter().map(|s| &s.range) {
        let code = &source[range.clone()];
        if !code.contains(" as ") || !code.contains("import ") {
            continue;
        }
        let mut at = range.start;
        for piece in code.split([',', '(', ')', '\n', ';']) {
            if let Some((name, alias)) = piece.split_once(" as ") {
                let name_span = at..at + name.len();
                if let Some(hit) = hits.iter().position(|h| name_span.contains(h)) {
                    aliases.push((alias.trim(), hit));
                }
            }
            at += piece.len() + 1;
        }
    }
    let is_identifier = |c: char| c.is_alphanumeric() || c == '_';
    let mut uses = Vec::new();
    for (alias, hit) in aliases.into_iter().filter(|(a, _)| !a.is_empty()) {
        for (offset, _) in source.match_indices(alias) {
            let before = source[..offset].chars().next_back();
            let after = source[offset + alias.len()..].chars().next();
            if !before.is_some_and(is_identifier) && !after.is_some_and(is_identifier) {
                uses.push((offset, hit));
            }
        }
    }
    uses
}

/// The byte ranges to match in a parsed file: its top-level statements that
/// hold a literal (adjacent ones merged). Every match contains a literal, so no
/// match lies elsewhere, and the query never visits the rest of the file.
pub fn relevant_ranges(root: tree_sitter::Node, hits: &[usize]) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mut cursor = root.walk();
    let mut sorted = hits.to_vec();
    sorted.sort_unstable();
    for statement in root.children(&mut cursor) {
        let range = statement.byte_range();
        let first = sorted.partition_point(|h| *h < range.start);
        if sorted.get(first).is_some_and(|h| *h < range.end) {
            match ranges.last_mut() {
                Some(last) if last.end >= range.start => last.end = range.end,
                _ => ranges.push(range),
            }
        }
    }
    ranges
}

/// Which statements a literal occurs in, each with the one before it (patterns
/// may span two consecutive statements).
fn relevant(statements: &[Range<usize>], hits: &[usize]) -> Vec<bool> {
    let mut relevant = vec![false; statements.len()];
    for &offset in hits {
        let index = statements.partition_point(|s| s.end <= offset);
        if index < statements.len() && statements[index].contains(&offset) {
            relevant[index] = true;
            if index > 0 {
                relevant[index - 1] = true;
            }
        }
    }
    relevant
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fragment(source: &str, hits: &[usize], share: f64) -> Option<String> {
        let statements = top_level_statements(source);
        let mut hits = hits.to_vec();
        let aliases = alias_uses(source, &statements, &hits);
        hits.extend(aliases.into_iter().map(|(offset, _)| offset));
        super::fragment(source, &statements, &hits, share)
    }

    fn statements(source: &str) -> Vec<&str> {
        top_level_statements(source)
            .into_iter()
            .map(|s| source[s.range].trim_end())
            .collect()
    }

    #[test]
    fn aliases_of_literal_names_are_hits() {
        let source = "from time import sleep as nap\n\nasync def f():\n    nap(1)\n";
        let statements = top_level_statements(source);
        let uses = alias_uses(source, &statements, &[source.find("sleep").unwrap()]);
        assert_eq!(
            uses,
            vec![(source.find("nap").unwrap(), 0), (source.rfind("nap").unwrap(), 0)]
        );
        assert!(alias_uses("sleep(1)\n", &top_level_statements("sleep(1)\n"), &[0]).is_empty());
    }

    #[test]
    fn splits_at_top_level_statements_only() {
        let source = r#"import os
@deco

def f():
    x = '''
not = a statement
'''
    return (1,
2)
if a:
    pass
else:
    pass
y = \
  3
# comment
z = 'it''s'  # "
"#;
        assert_eq!(
            statements(source),
            vec![
                "import os",
                "@deco\n\ndef f():\n    x = '''\nnot = a statement\n'''\n    return (1,\n2)",
                "if a:\n    pass\nelse:\n    pass",
                "y = \\\n  3\n# comment",
                "z = 'it''s'  # \"",
            ]
        );
    }

    #[test]
    fn fragments_keep_imports_and_neighbours() {
        let mut source = String::from("import time\n");
        for i in 0..20 {
            source.push_str(&format!("def f{i}():\n    return {i}\n"));
        }
        source.push_str("out = []\nfor x in y:\n    out.append(x)\n");
        let at = source.find("append").unwrap();
        assert_eq!(
            fragment(&source, &[at], DEFAULT_MAX_SHARE).unwrap(),
            "import time\nout = []\nfor x in y:\n    out.append(x)\n"
        );
    }

    #[test]
    fn fragments_follow_aliased_imports() {
        let mut source =
            String::from("from concurrent.futures import (\n    as_completed,\n    ThreadPoolExecutor as TPE,\n)\n");
        for i in 0..20 {
            source.push_str(&format!("def f{i}():\n    return {i}\n"));
        }
        source.push_str("def run():\n    with TPE(2) as pool:\n        pass\n");
        let at = source.find("ThreadPoolExecutor").unwrap();
        let fragment = fragment(&source, &[at], DEFAULT_MAX_SHARE).unwrap();
        assert!(
            fragment.ends_with("def run():\n    with TPE(2) as pool:\n        pass\n"),
            "{fragment}"
        );
    }

    #[test]
    fn fragments_keep_only_the_relevant_methods_of_a_class() {
        let mut source = String::from("class Big(Base):\n    \"\"\"Doc.\"\"\"\n\n");
        for i in 0..20 {
            source.push_str(&format!("    def m{i}(self):\n        return {i}\n\n"));
        }
        source.push_str("    @property\n    def hot(self):\n        time.sleep(1)\n");
        let at = source.find("sleep").unwrap();
        let expected = "class Big(Base):\n    def m19(self):\n        return 19\n\n    @property\n    def hot(self):\n        time.sleep(1)\n";
        assert_eq!(fragment(&source, &[at], DEFAULT_MAX_SHARE).unwrap(), expected);
    }
}
