//! `s = ""` + `for ...: s += piece` -> collect the pieces in a list and join
//! them once after the loop: linear instead of quadratic in the total length.
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
    doc: "`s = \"\"` + `for ...: s += piece` -> the pieces collected in a list, joined once after the loop",
    fix,
}];

fn fix(ctx: &FixContext) -> Option<FixOutput> {
    let source = ctx.render.source;
    let name_node = *ctx.render.captures.get("name")?.first()?;
    let piece = *ctx.render.captures.get("piece")?.first()?;
    // A bare tuple would become several arguments of `append`.
    if piece.kind() == "expression_list" {
        return None;
    }
    let accumulator = analysis::fresh_accumulator(name_node, source)?;
    let name = text(name_node, source);
    let scope = enclosing_function(accumulator.for_loop).unwrap_or_else(|| analysis::root_of(accumulator.for_loop));
    let parts = analysis::fresh_name(scope, source, &format!("{name}_parts"));
    let joiner = text(accumulator.value, source);
    let indent = ctx.file.indentation_of_line(accumulator.for_loop.start_byte());
    let join = format!("{name} = {joiner}.join({parts})");
    let loop_end = accumulator.for_loop.end_byte();
    let after_loop = match source[loop_end..].find('\n') {
        Some(offset) => Edit::insert(loop_end + offset + 1, format!("{indent}{join}\n")),
        None => Edit::insert(source.len(), format!("\n{indent}{join}")),
    };
    Some(FixOutput {
        edits: vec![
            Edit::replace(accumulator.init.byte_range(), format!("{parts} = []")),
            Edit::replace(
                ctx.target.byte_range(),
                format!("{parts}.append({})", text(piece, source)),
            ),
            after_loop,
        ],
        ..FixOutput::default()
    })
}
