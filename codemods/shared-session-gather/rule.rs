//! `shared-session-gather`: the `gathers-shared-session?` guard, a `gather` of
//! coroutines that all receive the same SQLAlchemy session.
use crate::engine::analysis::{self, concurrency};
use crate::engine::context::{GuardContext, Verdict};
use crate::engine::registry::{Arity, Guard, OnFragment, Registry};
use crate::engine::semantic::text;
use tree_sitter::Node;

pub fn register(registry: &mut Registry) {
    registry.add_guards(GUARDS);
}

static GUARDS: &[Guard] = &[Guard {
    name: "gathers-shared-session?",
    doc: "every coroutine the captured `gather` runs receives the same SQLAlchemy session as an argument",
    arity: Arity::Exactly(0),
    on_fragment: OnFragment::Unknown,
    may_mark_unsafe: false,
    check: |node, _, ctx| Verdict::pass_if(gathers_shared_session(node, ctx)),
}];

/// Every coroutine `gather` runs receives the same SQLAlchemy session as an
/// argument.
fn gathers_shared_session(gather: Node, ctx: &GuardContext) -> bool {
    let Some(calls) = concurrency::gathered_calls(gather, ctx.source) else {
        return false;
    };
    let session_arguments = |call: Node| -> Vec<String> {
        let Some(arguments) = call.child_by_field_name("arguments") else {
            return Vec::new();
        };
        let mut cursor = arguments.walk();
        let names: Vec<String> = arguments
            .named_children(&mut cursor)
            .map(|a| a.child_by_field_name("value").unwrap_or(a))
            .filter(|a| a.kind() == "identifier" && analysis::is_sqlalchemy_session(*a, ctx.source, ctx.semantic))
            .map(|a| text(a, ctx.source).to_string())
            .collect();
        names
    };
    let first = session_arguments(calls[0]);
    first
        .iter()
        .any(|session| calls[1..].iter().all(|call| session_arguments(*call).contains(session)))
        && (calls.len() > 1 || is_comprehension_element(calls[0]))
}

/// The element of a comprehension: one call, run once per item.
fn is_comprehension_element(call: Node) -> bool {
    call.parent()
        .is_some_and(|p| matches!(p.kind(), "list_comprehension" | "generator_expression"))
}
