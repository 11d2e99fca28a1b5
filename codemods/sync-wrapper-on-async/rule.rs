//! `sync-wrapper-on-async`: the `sync-wrapping-decorator?` guard, what a
//! decorator's wrapper does with the function it wraps.
use crate::engine::analysis::{identifiers_named, root_of};
use crate::engine::context::Verdict;
use crate::engine::registry::{Arity, Guard, OnFragment, Registry};
use crate::engine::semantic::{is_async_def, text};
use tree_sitter::Node;

pub fn register(registry: &mut Registry) {
    registry.add_guards(GUARDS);
}

static GUARDS: &[Guard] = &[Guard {
    name: "sync-wrapping-decorator?",
    doc: "the capture is a decorator whose plain `def wrapper` calls the wrapped function without `await`",
    arity: Arity::Exactly(0),
    on_fragment: OnFragment::Unknown,
    may_mark_unsafe: false,
    check: |node, _, ctx| Verdict::pass_if(is_sync_wrapping_decorator(node, ctx.source)),
}];

/// Whether a module-level `def decorator(func)` of this file returns a plain
/// `def` wrapper that calls `func(...)` and then does more with the call (code
/// after it, or a `try`/`with` around it): on a coroutine function such a wrapper
/// only observes the creation of the coroutine, not its run. Decorators that
/// look at `iscoroutinefunction` are assumed to handle both.
fn is_sync_wrapping_decorator(decorator: Node, source: &str) -> bool {
    let name = text(decorator, source);
    let root = root_of(decorator);
    let mut cursor = root.walk();
    let definitions: Vec<Node> = root
        .named_children(&mut cursor)
        .map(|s| match s.kind() {
            "decorated_definition" => s.child_by_field_name("definition").unwrap_or(s),
            _ => s,
        })
        .filter(|s| {
            s.kind() == "function_definition" && s.child_by_field_name("name").is_some_and(|n| text(n, source) == name)
        })
        .collect();
    let [definition] = definitions.as_slice() else {
        return false;
    };
    let Some(func) = definition
        .child_by_field_name("parameters")
        .and_then(|p| p.named_child(0))
        .filter(|p| p.kind() == "identifier")
    else {
        return false;
    };
    if is_async_def(*definition) || text(*definition, source).contains("iscoroutinefunction") {
        return false;
    }
    let func = text(func, source);
    let Some(body) = definition.child_by_field_name("body") else {
        return false;
    };
    let mut cursor = body.walk();
    let wrappers: Vec<Node> = body
        .named_children(&mut cursor)
        .map(|s| match s.kind() {
            "decorated_definition" => s.child_by_field_name("definition").unwrap_or(s),
            _ => s,
        })
        .filter(|s| s.kind() == "function_definition" && !is_async_def(*s))
        .collect();
    wrappers.iter().any(|wrapper| {
        let returned = wrapper
            .child_by_field_name("name")
            .is_some_and(|n| returns_name(body, source, text(n, source)));
        returned && observes_call(*wrapper, source, func)
    })
}

/// `return name` among the statements of `body`.
fn returns_name(body: Node, source: &str, name: &str) -> bool {
    let mut cursor = body.walk();
    let found = body
        .named_children(&mut cursor)
        .any(|s| s.kind() == "return_statement" && s.named_child(0).is_some_and(|v| text(v, source) == name));
    found
}

/// Whether `wrapper` calls `func(...)` and does something once the call
/// returns: a statement after it other than `return <value>`, or a `try` / `with`
/// around it.
fn observes_call(wrapper: Node, source: &str, func: &str) -> bool {
    let Some(body) = wrapper.child_by_field_name("body") else {
        return false;
    };
    identifiers_named(body, source, func).into_iter().any(|name| {
        let Some(call) = name
            .parent()
            .filter(|c| c.kind() == "call" && c.child_by_field_name("function") == Some(name))
        else {
            return false;
        };
        // `asyncio.run(func())`, or `coro = func(); asyncio.run(coro)`, drive the
        // coroutine (or hand it on): not this bug.
        if call.parent().is_some_and(|p| p.kind() == "argument_list") {
            return false;
        }
        let bound_to = call
            .parent()
            .filter(|a| a.kind() == "assignment")
            .and_then(|a| a.child_by_field_name("left"))
            .filter(|l| l.kind() == "identifier");
        if let Some(result) = bound_to {
            let handed_on = identifiers_named(body, source, text(result, source))
                .iter()
                .any(|u| u.parent().is_some_and(|p| p.kind() == "argument_list"));
            if handed_on {
                return false;
            }
        }
        let mut statement = call;
        let mut around = false;
        while let Some(parent) = statement.parent() {
            if parent == body {
                break;
            }
            around |= matches!(parent.kind(), "try_statement" | "with_statement");
            statement = parent;
        }
        let mut after = statement.next_named_sibling();
        while let Some(next) = after {
            if !matches!(next.kind(), "comment" | "return_statement") {
                return true;
            }
            after = next.next_named_sibling();
        }
        around
    })
}
