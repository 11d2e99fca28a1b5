//! Import edits: adding what a fix needs (once, in the right place, merged into
//! an existing `from m import ...` where there is one) and removing imports that
//! the rewrites of this file left unused.
use super::semantic::{text, Semantic, AT_MODULE_LEVEL};
use crate::edit::{Edit, ImportRequest};
use tree_sitter::{Node, Tree};

/// Edits that bind every request not yet reachable in `source`.
pub fn add_imports(tree: &Tree, source: &str, semantic: &Semantic, requests: &[ImportRequest], eol: &str) -> Vec<Edit> {
    let mut wanted: Vec<&ImportRequest> = requests
        .iter()
        .filter(|r| semantic.spelling_of(&qualified(r), AT_MODULE_LEVEL).is_none())
        .collect();
    wanted.sort();
    wanted.dedup();
    let root = tree.root_node();
    let mut edits = Vec::new();
    let mut new_lines = Vec::new();
    let mut merged: Vec<(Node, Vec<&str>)> = Vec::new();
    for request in wanted {
        let target = request
            .member
            .as_deref()
            .and_then(|_| mergeable_from_import(root, source, &request.module));
        match (target, &request.member) {
            (Some(statement), Some(member)) => match merged.iter_mut().find(|(s, _)| *s == statement) {
                Some((_, members)) => members.push(member),
                None => merged.push((statement, vec![member])),
            },
            _ => new_lines.push(request.statement()),
        }
    }
    for (statement, members) in merged {
        let last = last_imported_name(statement).expect("mergeable statements name something");
        edits.push(Edit::insert(
            last.end_byte(),
            members.iter().map(|m| format!(", {m}")).collect::<String>(),
        ));
    }
    if !new_lines.is_empty() {
        let at = insertion_point(root, source);
        let eol = eol_around(source, at).unwrap_or(eol);
        let block: String = new_lines.iter().map(|line| format!("{line}{eol}")).collect();
        edits.push(Edit::insert(at, block));
    }
    edits
}

fn qualified(request: &ImportRequest) -> String {
    match &request.member {
        Some(member) => format!("{}.{member}", request.module),
        None => request.module.clone(),
    }
}

/// A top-level, single-line `from module import a, b` (no comment, no star) to extend.
fn mergeable_from_import<'t>(root: Node<'t>, source: &str, module: &str) -> Option<Node<'t>> {
    let mut cursor = root.walk();
    let found = root.named_children(&mut cursor).find(|statement| {
        statement.kind() == "import_from_statement"
            && statement
                .child_by_field_name("module_name")
                .is_some_and(|m| text(m, source) == module)
            && !text(*statement, source).contains(['\n', '(', '*', '#', '\\'])
    });
    found
}

fn last_imported_name(statement: Node) -> Option<Node> {
    let module = statement.child_by_field_name("module_name");
    let mut cursor = statement.walk();
    let last = statement
        .named_children(&mut cursor)
        .filter(|c| Some(*c) != module)
        .last();
    last
}

/// Where a new import line goes: after the last import of the file's leading
/// import block, else after the docstring and `__future__` imports, else at the top
/// (below a shebang or coding comment).
fn insertion_point(root: Node, source: &str) -> usize {
    let mut after: Option<Node> = None;
    let mut cursor = root.walk();
    // Comments do not count: a docstring after a leading comment is still the docstring.
    let statements = root.named_children(&mut cursor).filter(|s| s.kind() != "comment");
    for (index, statement) in statements.enumerate() {
        match statement.kind() {
            "import_statement" | "import_from_statement" | "future_import_statement" => after = Some(statement),
            "expression_statement" if index == 0 && statement.named_child(0).is_some_and(|s| s.kind() == "string") => {
                after = Some(statement)
            }
            _ => break,
        }
    }
    match after {
        Some(node) => line_end(source, node.end_byte()),
        None => {
            // Keep a shebang and encoding comments first.
            let mut at = 0;
            for line in source.split_inclusive('\n') {
                if line.starts_with("#!") || (line.starts_with('#') && line.contains("coding")) {
                    at += line.len();
                } else {
                    break;
                }
            }
            at
        }
    }
}

/// The line ending of the line before `at` (a line start), else of the line
/// at `at`: new import lines end like their neighbours, so in a file mixing
/// CRLF and LF an import that replaces a removed CRLF line keeps its `\r`.
fn eol_around(source: &str, at: usize) -> Option<&'static str> {
    let ending = |line_end: usize| {
        if source[..line_end].ends_with('\r') {
            "\r\n"
        } else {
            "\n"
        }
    };
    if at > 0 && source[..at].ends_with('\n') {
        return Some(ending(at - 1));
    }
    source[at..].find('\n').map(|i| ending(at + i))
}

/// The offset just past the end of the line containing `offset`.
fn line_end(source: &str, offset: usize) -> usize {
    source[offset..].find('\n').map_or(source.len(), |i| offset + i + 1)
}

/// Edits removing the top-level imports whose names `before` referenced and
/// `after` (the rewritten file) no longer does. Imports that were already
/// unused are not ours to remove.
pub fn remove_unused(tree: &Tree, source: &str, before: &Semantic, after: &Semantic) -> Vec<Edit> {
    let dead: Vec<&str> = after
        .imports
        .iter()
        .filter(|i| i.top_level && before.reference_count(&i.local) > 0 && after.reference_count(&i.local) == 0)
        .filter(|i| !mentioned_in_strings(source, &i.local))
        .map(|i| i.local.as_str())
        .collect();
    if dead.is_empty() {
        return Vec::new();
    }
    let root = tree.root_node();
    let mut cursor = root.walk();
    let mut edits = Vec::new();
    for statement in root.named_children(&mut cursor) {
        if !matches!(statement.kind(), "import_statement" | "import_from_statement")
            || text(statement, source).contains('#')
        {
            continue;
        }
        let module = statement.child_by_field_name("module_name");
        let mut names_cursor = statement.walk();
        let names: Vec<Node> = statement
            .named_children(&mut names_cursor)
            .filter(|c| Some(*c) != module)
            .collect();
        let binds = |name: &Node| -> &str {
            match name.kind() {
                "aliased_import" => name.child_by_field_name("alias").map_or("", |a| text(a, source)),
                _ => {
                    let dotted = text(*name, source);
                    if module.is_some() {
                        dotted
                    } else {
                        dotted.split('.').next().unwrap_or(dotted)
                    }
                }
            }
        };
        let kept: Vec<&str> = names
            .iter()
            .filter(|n| !dead.contains(&binds(n)))
            .map(|n| text(*n, source))
            .collect();
        if kept.len() == names.len() {
            continue;
        }
        if kept.is_empty() {
            let start = statement.start_byte() - statement.start_position().column;
            let end = line_end(source, statement.end_byte());
            let alone_on_its_lines = source[start..statement.start_byte()].trim().is_empty()
                && source[statement.end_byte()..end].trim().is_empty();
            if alone_on_its_lines {
                edits.push(Edit::delete(start..end));
            }
        } else {
            let keyword_end = names[0].start_byte();
            let head = &source[statement.start_byte()..keyword_end];
            let head = head.trim_end().trim_end_matches('(').trim_end();
            edits.push(Edit::replace(
                statement.byte_range(),
                format!("{head} {}", kept.join(", ")),
            ));
        }
    }
    edits
}

/// `__all__ = ["name"]` and string annotations mention names as text.
fn mentioned_in_strings(source: &str, name: &str) -> bool {
    source.contains(&format!("\"{name}\""))
        || source.contains(&format!("'{name}'"))
        || source.contains(&format!("\"{name}["))
        || source.contains(&format!("'{name}["))
}
