//! Work proportional to what can match. Before anything is parsed, one
//! multi-pattern scan finds the literals the active codemods declare. A file
//! with none is done. Otherwise only the top-level statements holding a literal
//! (plus the statement before each, for patterns over consecutive statements,
//! and every module-level import, for name resolution) are parsed as a fragment and matched
//! with the guards that are exact or permissive on a fragment: when nothing
//! survives, the file has no findings and is never parsed whole.
//!
//! The fragment pass may only over-approximate: a guard that needs the whole
//! file passes there, and a fragment that does not parse sends the file to the
//! full pass.
use std::ops::Range;

/// A fragment is only worth it when it is clearly smaller than the file.
const MAX_FRAGMENT_SHARE: f64 = 0.6;

/// Byte ranges of the top-level statements, found by a light scan that follows
/// strings, comments, brackets and line continuations; no parse. Decorators
/// belong to their definition, `else`/`elif`/`except`/`finally` to their statement.
pub fn top_level_statements(source: &str) -> Vec<Range<usize>> {
    let mut starts = Vec::new();
    let bytes = source.as_bytes();
    let mut string: Option<(u8, bool)> = None; // (quote, triple)
    let mut depth = 0usize;
    let mut continued = false;
    let mut decorated = false;
    let mut at = 0;
    while at < bytes.len() {
        let line_end = memchr_newline(bytes, at);
        let line = &source[at..line_end];
        if string.is_none() && depth == 0 && !continued {
            let first = line.as_bytes().first().copied().unwrap_or(b'\n');
            let starts_statement = !matches!(first, b' ' | b'\t' | b'\r' | b'\n' | b'#' | b'\x0c');
            if starts_statement && !continues_compound(line) && !(decorated && starts_definition(line)) {
                starts.push(at);
            }
            if starts_statement {
                decorated = line.starts_with('@') || (decorated && !starts_definition(line));
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
                    } else if c == quote {
                        if !triple {
                            string = None;
                        } else if bytes[i..].starts_with(&[quote, quote, quote]) {
                            string = None;
                            i += 2;
                        }
                    }
                }
                None => match c {
                    b'#' => break,
                    b'\'' | b'"' => {
                        let triple = bytes[i..].starts_with(&[c, c, c]);
                        string = Some((c, triple));
                        if triple {
                            i += 2;
                        }
                    }
                    b'(' | b'[' | b'{' => depth += 1,
                    b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                    b'\\' if i + 1 >= line_end || bytes[i + 1..line_end].iter().all(|b| *b == b'\r') => {
                        continued = true
                    }
                    _ => {}
                },
            }
            i += 1;
        }
        // A backslash-newline inside a one-quote string continues it; otherwise
        // an unterminated one-quote string ends at the line break.
        if let Some((_, false)) = string {
            if !line.trim_end_matches('\r').ends_with('\\') {
                string = None;
            }
        }
        at = line_end + 1;
    }
    let mut ranges: Vec<Range<usize>> = starts.windows(2).map(|w| w[0]..w[1]).collect();
    if let Some(&last) = starts.last() {
        ranges.push(last..source.len());
    }
    ranges
}

fn memchr_newline(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(bytes.len(), |i| from + i)
}

fn continues_compound(line: &str) -> bool {
    ["else", "elif", "except", "finally"].iter().any(|keyword| {
        line.strip_prefix(keyword)
            .is_some_and(|rest| rest.starts_with([':', ' ', '(', '*', '\t']))
    })
}

fn starts_definition(line: &str) -> bool {
    line.starts_with("def ") || line.starts_with("class ") || line.starts_with("async ") || line.starts_with('@')
}

/// Indices of the statements a literal occurs in, each with the one before it.
pub fn relevant_statements(statements: &[Range<usize>], hits: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut relevant = vec![false; statements.len()];
    for offset in hits {
        let index = statements.partition_point(|s| s.end <= offset);
        if index < statements.len() {
            relevant[index] = true;
            if index > 0 {
                relevant[index - 1] = true;
            }
        }
    }
    (0..statements.len()).filter(|i| relevant[*i]).collect()
}

/// The fragment to parse first: imports and the relevant statements, in file
/// order. `None` when it would be most of the file anyway.
pub fn fragment(source: &str, hits: &[usize]) -> Option<String> {
    let statements = top_level_statements(source);
    let relevant = relevant_statements(&statements, hits.iter().copied());
    let mut keep = vec![false; statements.len()];
    for index in relevant {
        keep[index] = true;
    }
    for (index, range) in statements.iter().enumerate() {
        // Imports anywhere at module level, also under `try:` or `if TYPE_CHECKING:`.
        let text = &source[range.clone()];
        let is_definition = text.starts_with("def ") || text.starts_with("class ") || text.starts_with('@');
        if !is_definition && text.contains("import ") {
            keep[index] = true;
        }
    }
    let size: usize = statements
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(r, _)| r.len())
        .sum();
    if size as f64 > MAX_FRAGMENT_SHARE * source.len() as f64 {
        return None;
    }
    let mut text = String::with_capacity(size + statements.len());
    for (range, _) in statements.iter().zip(&keep).filter(|(_, k)| **k) {
        text.push_str(&source[range.clone()]);
        if !text.ends_with('\n') {
            text.push('\n');
        }
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statements(source: &str) -> Vec<&str> {
        top_level_statements(source)
            .into_iter()
            .map(|r| source[r].trim_end())
            .collect()
    }

    #[test]
    fn splits_at_top_level_statements_only() {
        let source = "import os\n@deco\n\ndef f():\n    x = '''\nnot = a statement\n'''\n    return (1,\n2)\nif a:\n    pass\nelse:\n    pass\ny = \\\n  3\n# comment\nz = 'it''s'  # \"\n";
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
        let fragment = fragment(&source, &[at]).unwrap();
        assert_eq!(fragment, "import time\nout = []\nfor x in y:\n    out.append(x)\n");
    }
}
