//! Import edits: adding what a fix needs (once, in the right place, merged into
//! an existing `from m import ...` where there is one) and removing imports that
//! the rewrites of this file left unused.
use super::semantic::{text, Semantic, AT_MODULE_LEVEL};
use crate::edit::{Edit, ImportRequest};
use std::ops::Range;
use tree_sitter::{Node, Tree};

/// How the project lays out its imports: what ruff's isort (`I001`) checks.
#[derive(Clone, Copy, Debug)]
pub struct ImportStyle<'a> {
    pub line_length: usize,
    /// `known-first-party` of `[tool.ruff.lint.isort]` or `[tool.isort]`: these
    /// are never standard library, whatever their name.
    pub known_first_party: &'a [String],
}

impl ImportStyle<'_> {
    /// The isort section of a top-level module name.
    fn section_of(&self, module: &str) -> Section {
        let top = module.split('.').next().unwrap_or(module);
        if top == "__future__" {
            Section::Future
        } else if module.starts_with('.') {
            Section::Local
        } else if self.known_first_party.iter().any(|m| m == top) {
            Section::FirstParty
        } else if is_standard_library(top) {
            Section::StandardLibrary
        } else {
            Section::Other
        }
    }
}

/// isort's sections, in their order in an import block (third-party and
/// first-party are one here: a fix only ever adds standard-library imports
/// and needs to know only where that section ends).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Section {
    Future,
    StandardLibrary,
    FirstParty,
    Other,
    Local,
}

/// Python's `sys.stdlib_module_names` (3.11), one a line.
const STANDARD_LIBRARY: &str = include_str!("stdlib_modules.txt");

fn is_standard_library(module: &str) -> bool {
    STANDARD_LIBRARY.lines().any(|name| name == module)
}

/// ruff's isort order within a section (`force-sort-within-sections` off):
/// `import x` lines before `from x import y` lines, each by module name
/// ignoring case.
fn statement_key(is_from: bool, module: &str) -> (bool, String, String) {
    (is_from, module.to_lowercase(), module.to_string())
}

/// ruff's order of the names of one `from m import ...` (`order-by-type`):
/// CONSTANTS, then Classes, then the rest, each ignoring case.
fn member_key(name: &str) -> (u8, String, String) {
    let bare = name.split_whitespace().next().unwrap_or(name);
    let kind = if bare.len() > 1 && bare.chars().all(|c| !c.is_lowercase()) {
        0
    } else if bare.starts_with(|c: char| c.is_uppercase()) {
        1
    } else {
        2
    };
    (kind, bare.to_lowercase(), bare.to_string())
}

/// Edits that bind every request not yet reachable in `source`: a name merged
/// into an existing `from m import ...` (in order, wrapped past the line
/// length), else a new statement in the standard-library section of the
/// file's first import block, in isort's order.
pub fn add_imports(
    tree: &Tree,
    source: &str,
    semantic: &Semantic,
    requests: &[ImportRequest],
    eol: &str,
    style: ImportStyle,
) -> Vec<Edit> {
    let mut wanted: Vec<&ImportRequest> = requests
        .iter()
        .filter(|r| semantic.spelling_of(&qualified(r), AT_MODULE_LEVEL).is_none())
        .collect();
    wanted.sort();
    wanted.dedup();
    let root = tree.root_node();
    let mut edits = Vec::new();
    let mut new_statements = Vec::new();
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
            _ => new_statements.push(request),
        }
    }
    for (statement, members) in merged {
        edits.push(merge_members(statement, source, &members, eol, style.line_length));
    }
    if !new_statements.is_empty() {
        new_statements.sort_by_key(|r| statement_key(r.member.is_some(), &r.module));
        edits.extend(place_statements(root, source, &new_statements, eol, style));
    }
    edits
}

fn qualified(request: &ImportRequest) -> String {
    match &request.member {
        Some(member) => format!("{}.{member}", request.module),
        None => request.module.clone(),
    }
}

/// A top-level `from module import a, b` (no comment, star or backslash) to extend.
fn mergeable_from_import<'t>(root: Node<'t>, source: &str, module: &str) -> Option<Node<'t>> {
    let mut cursor = root.walk();
    let found = root.named_children(&mut cursor).find(|statement| {
        statement.kind() == "import_from_statement"
            && statement
                .child_by_field_name("module_name")
                .is_some_and(|m| text(m, source) == module)
            && !text(*statement, source).contains(['*', '#', '\\'])
    });
    found
}

/// `statement` rewritten with `members` among its names, in order: on one line
/// when it fits and was on one, else one name a line with a trailing comma.
fn merge_members(statement: Node, source: &str, members: &[&str], eol: &str, line_length: usize) -> Edit {
    let module = statement.child_by_field_name("module_name");
    let mut cursor = statement.walk();
    let mut names: Vec<&str> = statement
        .named_children(&mut cursor)
        .filter(|c| Some(*c) != module)
        .map(|c| text(c, source))
        .chain(members.iter().copied())
        .collect();
    names.sort_by_key(|name| member_key(name));
    let module = module.map_or("", |m| text(m, source));
    let one_line = format!("from {module} import {}", names.join(", "));
    let column = statement.start_position().column;
    let text = if !text(statement, source).contains('\n') && column + one_line.chars().count() <= line_length {
        one_line
    } else {
        let indent = " ".repeat(column);
        let body: String = names.iter().map(|n| format!("{indent}    {n},{eol}")).collect();
        format!("from {module} import ({eol}{body}{indent})")
    };
    Edit::replace(statement.byte_range(), text)
}

/// Where new import statements go: into the standard-library section of the
/// first import block (each before the first that sorts after it), else as a
/// section of their own after `from __future__` and before the other
/// sections, else as a new block after the docstring with the blank lines
/// isort puts around one.
fn place_statements(root: Node, source: &str, new: &[&ImportRequest], eol: &str, style: ImportStyle) -> Vec<Edit> {
    let block = first_import_block(root);
    let sections: Vec<(Node, Section, (bool, String, String))> = block
        .iter()
        .map(|&statement| {
            let (is_from, module) = imported_module(statement, source);
            (statement, style.section_of(&module), statement_key(is_from, &module))
        })
        .collect();
    let standard: Vec<_> = sections.iter().filter(|s| s.1 == Section::StandardLibrary).collect();
    // New lines end like their neighbours (a file may mix CRLF and LF): like
    // the import they go before, else like the line they follow.
    let eol_at = |at: usize| eol_around(source, at).unwrap_or(eol);
    let eol_before = |at: usize| eol_of_line(source, at).unwrap_or(eol);
    let line = |request: &ImportRequest, eol: &str| format!("{}{eol}", request.statement());
    if let Some(last) = standard.last() {
        return new
            .iter()
            .map(|request| {
                let key = statement_key(request.member.is_some(), &request.module);
                match standard.iter().find(|s| s.2 > key) {
                    Some(next) => {
                        let at = line_start(source, next.0.start_byte());
                        Edit::insert(at, line(request, eol_before(at)))
                    }
                    None => {
                        let at = line_end(source, last.0.end_byte());
                        let eol = eol_at(at);
                        let newline = if source[..at].ends_with('\n') { "" } else { eol };
                        Edit::insert(at, format!("{newline}{}", line(request, eol)))
                    }
                }
            })
            .collect();
    }
    if let Some(after) = sections.iter().find(|s| s.1 > Section::StandardLibrary) {
        let at = line_start(source, after.0.start_byte());
        let eol = eol_before(at);
        let lines: String = new.iter().map(|r| line(r, eol)).collect();
        return vec![Edit::insert(at, format!("{lines}{eol}"))];
    }
    let lines: String = new.iter().map(|r| line(r, eol)).collect();
    if let Some(last_future) = block.last() {
        let at = line_end(source, last_future.end_byte());
        let newline = if source[..at].ends_with('\n') { "" } else { eol };
        return vec![Edit::insert(at, format!("{newline}{eol}{lines}"))];
    }
    vec![new_block(root, source, new, eol)]
}

/// A file without imports gets them after its docstring (one blank line
/// between), else after its leading comments; then the blank lines isort puts
/// after a block: two before a `def` or `class`, one before other code.
fn new_block(root: Node, source: &str, new: &[&ImportRequest], eol: &str) -> Edit {
    let mut cursor = root.walk();
    let mut statements = root.named_children(&mut cursor).filter(|s| s.kind() != "comment");
    let docstring = statements
        .next()
        .filter(|s| s.kind() == "expression_statement" && s.named_child(0).is_some_and(|d| d.kind() == "string"));
    let at = match docstring {
        Some(docstring) => line_end(source, docstring.end_byte()),
        None => leading_comments_end(source),
    };
    let before = if docstring.is_some() { eol } else { "" };
    let lines: String = new.iter().map(|r| format!("{}{eol}", r.statement())).collect();
    let newline = if at > 0 && !source[..at].ends_with('\n') {
        eol
    } else {
        ""
    };
    // Blank lines already there are replaced by the ones isort wants.
    let mut next = at;
    for line in source[at..].split_inclusive('\n') {
        if !line.trim().is_empty() {
            break;
        }
        next += line.len();
    }
    let rest = source[next..].trim_start();
    let blank_lines = if rest.is_empty() {
        0
    } else if ["def ", "class ", "async def ", "@"]
        .iter()
        .any(|k| rest.starts_with(k))
    {
        2
    } else {
        1
    };
    // The blank lines there stay, byte for byte, when they are as many as isort wants.
    let existing = &source[at..next];
    let after = match existing.matches('\n').count() == blank_lines && newline.is_empty() {
        true => existing.to_string(),
        false => eol.repeat(blank_lines),
    };
    Edit::replace(at..next, format!("{newline}{before}{lines}{after}"))
}

/// The blank lines a file opens with: what removing its first import can leave.
pub fn leading_blank_lines(source: &str) -> usize {
    let mut end = 0;
    for line in source.split_inclusive('\n') {
        if !line.trim().is_empty() || !line.ends_with('\n') {
            break;
        }
        end += line.len();
    }
    end
}

/// The end of a file's shebang, coding line and leading comment block (the
/// block only when a blank line separates it from the code).
fn leading_comments_end(source: &str) -> usize {
    let mut at = 0;
    let mut pragmas_end = 0;
    for line in source.split_inclusive('\n') {
        if !line.starts_with('#') {
            return if line.trim().is_empty() { at } else { pragmas_end };
        }
        at += line.len();
        if line.starts_with("#!") || line.contains("coding") {
            pragmas_end = at;
        }
    }
    pragmas_end
}

/// The top-level import statements right after the docstring (comments and
/// blank lines between them included).
fn first_import_block(root: Node) -> Vec<Node> {
    let mut cursor = root.walk();
    let mut block = Vec::new();
    for (index, statement) in root
        .named_children(&mut cursor)
        .filter(|s| s.kind() != "comment")
        .enumerate()
    {
        match statement.kind() {
            "import_statement" | "import_from_statement" | "future_import_statement" => block.push(statement),
            "expression_statement" if index == 0 && statement.named_child(0).is_some_and(|s| s.kind() == "string") => {}
            _ => break,
        }
    }
    block
}

/// Whether `statement` is a `from` import, and the module it imports from
/// (`.x` for relative ones, the first name of `import a, b`).
fn imported_module(statement: Node, source: &str) -> (bool, String) {
    match statement.kind() {
        "future_import_statement" => (true, "__future__".into()),
        "import_from_statement" => {
            let module = statement
                .child_by_field_name("module_name")
                .map_or(String::new(), |m| text(m, source).to_string());
            (true, module)
        }
        _ => {
            let mut cursor = statement.walk();
            let first = statement.named_children(&mut cursor).next();
            let name = first.map(|n| match n.kind() {
                "aliased_import" => n.child_by_field_name("name").unwrap_or(n),
                _ => n,
            });
            (false, name.map_or(String::new(), |n| text(n, source).to_string()))
        }
    }
}

/// The line ending of the line before `at` (a line start), else of the line
/// at `at`: new import lines end like their neighbours, so in a file mixing
/// CRLF and LF an import that replaces a removed CRLF line keeps its `\r`.
fn eol_around(source: &str, at: usize) -> Option<&'static str> {
    if at > 0 && source[..at].ends_with('\n') {
        return Some(ending_at(source, at - 1));
    }
    eol_of_line(source, at)
}

/// The line ending of the line holding `at`.
fn eol_of_line(source: &str, at: usize) -> Option<&'static str> {
    source[at..].find('\n').map(|i| ending_at(source, at + i))
}

/// `"\r\n"` or `"\n"` for the `\n` at `newline`.
fn ending_at(source: &str, newline: usize) -> &'static str {
    if source[..newline].ends_with('\r') {
        "\r\n"
    } else {
        "\n"
    }
}

/// The offset of the start of the line holding `offset`.
fn line_start(source: &str, offset: usize) -> usize {
    source[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// The offset just past the end of the line containing `offset`.
fn line_end(source: &str, offset: usize) -> usize {
    source[offset..].find('\n').map_or(source.len(), |i| offset + i + 1)
}

/// Edits removing the imports whose names `before` referenced and `after` (the
/// rewritten file) no longer does, laid out as isort would. Imports that were
/// already unused are not ours to remove; an import that is the only statement
/// of its block stays (the block would be empty).
pub fn remove_unused(
    tree: &Tree,
    source: &str,
    before: &Semantic,
    after: &Semantic,
    eol: &str,
    style: ImportStyle,
) -> Vec<Edit> {
    let dead: Vec<&str> = after
        .imports
        .iter()
        .filter(|i| before.reference_count(&i.local) > 0 && after.reference_count(&i.local) == 0)
        .filter(|i| !mentioned_in_strings(source, &i.local))
        .map(|i| i.local.as_str())
        .collect();
    if dead.is_empty() {
        return Vec::new();
    }
    let mut edits = Vec::new();
    for statement in import_statements(tree.root_node()) {
        if text(statement, source).contains('#') {
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
            let alone_in_block = statement.parent().is_some_and(|block| {
                let mut cursor = block.walk();
                let others = block
                    .named_children(&mut cursor)
                    .filter(|s| s.kind() != "comment" && *s != statement)
                    .count();
                block.kind() == "block" && others == 0
            });
            if let Some(range) = whole_lines(source, statement).filter(|_| !alone_in_block) {
                edits.push(Edit::delete(range));
            }
        } else {
            let keyword_end = names[0].start_byte();
            let head = &source[statement.start_byte()..keyword_end];
            let head = head.trim_end().trim_end_matches('(').trim_end();
            let original = text(statement, source);
            let magic_comma = original.trim_end_matches(')').trim_end().ends_with(',');
            let one_line = format!("{head} {}", kept.join(", "));
            let column = statement.start_position().column;
            let fits = column + one_line.chars().count() <= style.line_length;
            let text = if module.is_none() || (fits && !magic_comma) {
                one_line
            } else {
                let indent = " ".repeat(column);
                let body: String = kept.iter().map(|n| format!("{indent}    {n},{eol}")).collect();
                format!("{head} ({eol}{body}{indent})")
            };
            edits.push(Edit::replace(statement.byte_range(), text));
        }
    }
    edits
}

/// Every `import` and `from ... import` statement of the file, nested ones included.
fn import_statements(root: Node) -> Vec<Node> {
    let mut found = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if matches!(node.kind(), "import_statement" | "import_from_statement") {
            found.push(node);
            continue;
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor).filter(|c| c.child_count() > 0));
    }
    found
}

/// The lines `statement` fills alone, with the blank line after it when it was
/// an isort section of its own (blank lines on both sides), so the sections
/// around it stay one blank line apart. `None` when it shares a line. (Blank
/// lines left opening the file are the caller's: see [`leading_blank_lines`].)
fn whole_lines(source: &str, statement: Node) -> Option<Range<usize>> {
    let start = line_start(source, statement.start_byte());
    let end = line_end(source, statement.end_byte());
    let alone =
        source[start..statement.start_byte()].trim().is_empty() && source[statement.end_byte()..end].trim().is_empty();
    if !alone {
        return None;
    }
    let blank_before = start > 0 && {
        let previous = line_start(source, start - 1);
        source[previous..start].trim().is_empty()
    };
    let next_end = line_end(source, end);
    let blank_after = end < source.len() && source[end..next_end].trim().is_empty();
    Some(start..if blank_before && blank_after { next_end } else { end })
}

/// `__all__ = ["name"]` and string annotations (`x: "name"`, `"name[int]"`)
/// mention names as text; a plain string such as `= "name"` or a docstring
/// opening `"""name[...]` does not.
fn mentioned_in_strings(source: &str, name: &str) -> bool {
    let exact = [format!("\"{name}\""), format!("'{name}'")];
    let quoted_alone = exact.iter().any(|quoted| {
        source.match_indices(quoted.as_str()).any(|(at, _)| {
            let before = source[..at].trim_end();
            before.ends_with(['[', ',', ':', '>', '|'])
        })
    });
    let subscripted = [format!("\"{name}["), format!("'{name}[")];
    let in_annotation = subscripted.iter().any(|quoted| {
        source
            .match_indices(quoted.as_str())
            .any(|(at, _)| !source[..at].ends_with(['"', '\'']))
    });
    quoted_alone || in_annotation
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `source` with `module` (or `module.member`) imported as a fix would.
    fn add(source: &str, target: &str) -> String {
        let mut parser = crate::engine::python_parser();
        let tree = parser.parse(source, None).unwrap();
        let semantic = Semantic::build(&tree, source);
        let request = match target.split_once(':') {
            Some((module, member)) => ImportRequest {
                module: module.into(),
                member: Some(member.into()),
            },
            None => ImportRequest {
                module: target.into(),
                member: None,
            },
        };
        let style = ImportStyle {
            line_length: 50,
            known_first_party: &["queue".to_string()],
        };
        let edits = add_imports(&tree, source, &semantic, &[request], "\n", style);
        crate::edit::apply_edits(source, &edits)
    }

    // Each expected text is what `ruff check --select I` (0.17) leaves as it is.
    #[test]
    fn a_new_import_goes_into_the_standard_library_section_in_order() {
        let source = "\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\n\nimport os\nfrom typing import Any\n\nimport requests\n";
        assert_eq!(
            add(source, "collections:deque"),
            source.replace("from typing", "from collections import deque\nfrom typing")
        );
        assert_eq!(
            add(source, "asyncio"),
            source.replace("import os", "import asyncio\nimport os")
        );
        assert_eq!(
            add(source, "zlib"),
            source.replace("import os\n", "import os\nimport zlib\n")
        );
    }

    #[test]
    fn a_missing_standard_library_section_goes_before_the_others() {
        let source = "from __future__ import annotations\n\nimport requests\n\nimport queue\n";
        assert_eq!(
            add(source, "asyncio"),
            source.replace("import requests", "import asyncio\n\nimport requests")
        );
        assert_eq!(
            add("from __future__ import annotations\n\nx = 1\n", "asyncio"),
            "from __future__ import annotations\n\nimport asyncio\n\nx = 1\n"
        );
    }

    #[test]
    fn a_file_without_imports_gets_a_block_with_isort_blank_lines() {
        assert_eq!(
            add("\"\"\"Doc.\"\"\"\n\n\ndef f():\n    pass\n", "asyncio"),
            "\"\"\"Doc.\"\"\"\n\nimport asyncio\n\n\ndef f():\n    pass\n"
        );
        assert_eq!(add("x = 1\n", "asyncio"), "import asyncio\n\nx = 1\n");
    }

    #[test]
    fn merged_names_are_ordered_and_wrapped_past_the_line_length() {
        assert_eq!(
            add("from collections import deque\n", "collections:OrderedDict"),
            "from collections import OrderedDict, deque\n"
        );
        assert_eq!(
            add("from collections import ChainMap, deque\n", "collections:OrderedDict"),
            "from collections import (\n    ChainMap,\n    OrderedDict,\n    deque,\n)\n"
        );
    }
}
