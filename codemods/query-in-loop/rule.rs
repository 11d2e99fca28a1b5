//! `query-in-loop`: the filters that spell the batched query's keys in its
//! advice (`loop-target`, `loop-keys`).
use crate::engine::analysis;
use crate::engine::context::Rendered;
use crate::engine::registry::{Filter, Registry};
use crate::engine::semantic::text;
use tree_sitter::Node;

pub fn register(registry: &mut Registry) {
    registry.add_filters(FILTERS);
}

static FILTERS: &[Filter] = &[
    Filter {
        name: "loop-target",
        doc: "the target of the `for` loop the captured expression varies in (`user_id`)",
        apply: |nodes, _, ctx| Some(Rendered::text(loop_target(*nodes.first()?, ctx.source)?)),
    },
    Filter {
        name: "loop-keys",
        doc: "every value the captured expression takes over its loop: the iterable when it is the loop target, else a comprehension",
        apply: |nodes, _, ctx| Some(Rendered::text(loop_keys(*nodes.first()?, ctx.source)?)),
    },
];

/// The target of the loop `expression` varies in (`user_id`).
fn loop_target(expression: Node, source: &str) -> Option<String> {
    let for_loop = analysis::loop_varying(expression, source)?;
    Some(text(for_loop.child_by_field_name("left")?, source).to_string())
}

/// Every value `expression` takes over the loop it varies in: the iterable
/// itself when `expression` is the loop target (`user_ids`), else a
/// comprehension (`[user.id for user in users]`).
fn loop_keys(expression: Node, source: &str) -> Option<String> {
    let for_loop = analysis::loop_varying(expression, source)?;
    let target = text(for_loop.child_by_field_name("left")?, source);
    let iterable = text(for_loop.child_by_field_name("right")?, source);
    let key = text(expression, source);
    Some(if key == target {
        iterable.to_string()
    } else {
        format!("[{key} for {target} in {iterable}]")
    })
}
