//! `s = ""` (or `s = "head"`) + `for ...: s += piece` -> collect the pieces in
//! a list and join them once after the loop: linear instead of quadratic in
//! the total length.
use crate::edit::Edit;
use crate::engine::analysis;
use crate::engine::context::{FixContext, FixOutput};
use crate::engine::registry::{Fixer, Registry};
use crate::engine::semantic::{enclosing_function, text};

pub fn register(registry: &mut Registry) {
    registry.add_fixers(FIXERS);
}

static FIXERS: &[Fixer] = &[Fixer {
    name: "string-join",
    doc: "`s = \"\"` + `for ...: s += piece` -> the pieces collected in a list, joined once after the loop (a non-empty start is the list's first item; every `s += ...` of the loop appends)",
    fix,
}];

fn fix(ctx: &FixContext) -> Option<FixOutput> {
    let source = ctx.render.source;
    let name_node = *ctx.render.captures.get("name")?.first()?;
    let accumulator = analysis::fresh_accumulator(name_node, source)?;
    // Every `s += piece` of the loop, in order (the match is the first): the
    // pieces are appended in the order they were added.
    let increments = analysis::increments_of(&accumulator, name_node, source)?;
    let mut edits = Vec::new();
    let name = text(name_node, source);
    let scope = enclosing_function(accumulator.for_loop).unwrap_or_else(|| analysis::root_of(accumulator.for_loop));
    let parts = analysis::fresh_name(scope, source, &format!("{name}_parts"));
    for increment in increments {
        let piece = increment.child_by_field_name("right")?;
        // A bare tuple would become several arguments of `append`.
        if piece.kind() == "expression_list" {
            return None;
        }
        edits.push(Edit::replace(
            increment.byte_range(),
            format!("{parts}.append({})", text(piece, source)),
        ));
    }
    let (start, joiner) = start_and_joiner(accumulator.value, source)?;
    let indent = ctx.file.indentation_of_line(accumulator.for_loop.start_byte());
    let join = format!("{name} = {joiner}.join({parts})");
    let loop_end = accumulator.for_loop.end_byte();
    edits.push(match source[loop_end..].find('\n') {
        Some(offset) => Edit::insert(loop_end + offset + 1, format!("{indent}{join}\n")),
        None => Edit::insert(source.len(), format!("\n{indent}{join}")),
    });
    edits.push(Edit::replace(
        accumulator.init.byte_range(),
        format!("{parts} = [{start}]"),
    ));
    Some(FixOutput {
        edits,
        ..FixOutput::default()
    })
}

/// What the list of parts starts with (nothing for `""`, the literal itself
/// for `"head"`: joined first, it gives the same string) and the empty string
/// of the same kind and quotes to join with (`""`, `b''`).
fn start_and_joiner<'s>(value: tree_sitter::Node, source: &'s str) -> Option<(&'s str, String)> {
    let literal = text(value, source);
    let first = match value.kind() {
        "concatenated_string" => value.named_child(0)?,
        _ => value,
    };
    let opening = text(first.child(0)?, source);
    let quote = opening.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let bytes = if opening.to_ascii_lowercase().contains('b') {
        "b"
    } else {
        ""
    };
    let is_empty = value.kind() == "string" && value.named_child_count() == 2;
    match is_empty {
        true => Some(("", literal.to_string())),
        // A triple-quoted start joins with a one-character quote pair.
        false => Some((literal, format!("{bytes}{}{}", &quote[..1], &quote[..1]))),
    }
}
