//! append-loop-to-comprehension: `out = []` followed by a loop that only
//! appends to `out` becomes one list comprehension. The guard
//! `#comprehension-loop?` has already decided the loop qualifies; this only
//! builds the text. Comments inside the replaced statements are moved above
//! them by the engine.
use super::{FixContext, FixOutput};
use crate::edit::Edit;
use crate::engine::analysis::{append_loop, fresh_empty_list_before, AppendLoop};
use crate::engine::semantic::text;
use tree_sitter::Node;

pub fn append_loop_to_comprehension(ctx: &FixContext) -> Option<FixOutput> {
    let source = ctx.render.source;
    let parts = append_loop(ctx.target, source)?;
    let init = fresh_empty_list_before(ctx.target, ctx.render.semantic, source, text(parts.list, source))?;
    let assignment = init.named_child(0)?;
    let right = assignment.child_by_field_name("right")?;
    // Everything up to the `[]`: the name, any annotation, the `=`.
    let head = &source[init.start_byte()..right.start_byte()];
    if let Some(copy) = identity_copy(&parts, ctx, init.start_byte(), head) {
        return Some(copy);
    }
    let mut comprehension = format!(
        "{head}[{} for {} in {}",
        text(parts.value, source),
        text(parts.target, source),
        clause_operand(parts.iterable, source)
    );
    if let Some(condition) = parts.condition {
        comprehension.push_str(" if ");
        comprehension.push_str(&clause_operand(condition, source));
    }
    comprehension.push(']');
    Some(FixOutput {
        edits: vec![Edit::replace(init.start_byte()..ctx.target.end_byte(), comprehension)],
        ..FixOutput::default()
    })
}

/// `out = list(xs)` for a loop appending its own target unchanged: `[x for x in
/// xs]` is an identity comprehension (ruff C416), slower than `list(xs)`.
/// `None` where `list` is not the builtin.
fn identity_copy(parts: &AppendLoop, ctx: &FixContext, init_start: usize, head: &str) -> Option<FixOutput> {
    let source = ctx.render.source;
    let plain_target = parts.target.kind() == "identifier" && text(parts.value, source) == text(parts.target, source);
    if !plain_target || parts.condition.is_some() || !ctx.render.semantic.is_builtin("list") {
        return None;
    }
    let iterable = match parts.iterable.kind() {
        "expression_list" => format!("({})", text(parts.iterable, source)),
        _ => text(parts.iterable, source).to_string(),
    };
    Some(FixOutput {
        edits: vec![Edit::replace(
            init_start..ctx.target.end_byte(),
            format!("{head}list({iterable})"),
        )],
        ..FixOutput::default()
    })
}

/// The iterable or condition of a comprehension clause: a bare tuple, a
/// conditional expression or a lambda there would be read differently, so
/// those get parentheses.
fn clause_operand(node: Node, source: &str) -> String {
    let body = text(node, source);
    match node.kind() {
        "expression_list" | "conditional_expression" | "lambda" => format!("({body})"),
        _ => body.to_string(),
    }
}
