//! Comment keeping: a rewrite that replaces text holding comments would drop
//! them; they move onto their own lines above the statement instead.
use super::semantic::{self, enclosing_statement};
use crate::edit::Edit;
use tree_sitter::Tree;

/// Comments inside a replaced range that the replacement drops are moved onto
/// their own lines above the statement, so no rewrite ever loses a comment.
pub(super) fn keep_comments(tree: &Tree, edits: &[Edit], source: &str, eol: &str) -> Vec<Edit> {
    let mut moved = Vec::new();
    for edit in edits.iter().filter(|e| !e.range.is_empty()) {
        let Some(cover) = tree
            .root_node()
            .descendant_for_byte_range(edit.range.start, edit.range.end)
        else {
            continue;
        };
        let mut comments = Vec::new();
        let mut cursor = cover.walk();
        let mut stack = vec![cover];
        while let Some(node) = stack.pop() {
            if node.end_byte() <= edit.range.start || node.start_byte() >= edit.range.end {
                continue;
            }
            if node.kind() == "comment" {
                let comment = semantic::text(node, source);
                if !edit.text.contains(comment) && !moved.iter().any(|(_, c)| *c == comment) {
                    comments.push((node.start_byte(), comment));
                }
                continue;
            }
            stack.extend(node.children(&mut cursor));
        }
        comments.sort();
        if comments.is_empty() {
            continue;
        }
        // The statement where the edit starts: for an edit spanning several
        // statements `cover` is their block, whose own statement is the
        // enclosing `def` or loop, too far up.
        let first = tree
            .root_node()
            .descendant_for_byte_range(edit.range.start, edit.range.start + 1)
            .unwrap_or(cover);
        let statement = enclosing_statement(first);
        moved.extend(comments.into_iter().map(|(_, c)| (statement, c)));
    }
    let mut edits = Vec::new();
    for (statement, comment) in &moved {
        let line_start = statement.start_byte() - statement.start_position().column;
        let indent = &source[line_start..statement.start_byte()];
        edits.push(Edit::insert(statement.start_byte(), format!("{comment}{eol}{indent}")));
    }
    edits
}
