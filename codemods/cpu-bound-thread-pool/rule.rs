//! `cpu-bound-thread-pool`: the `cpu-bound-pool?` guard, an executor whose
//! every job is a pure, picklable module-level function, created where a
//! spawned child does not create it again.
use crate::engine::analysis;
use crate::engine::context::{GuardContext, Verdict};
use crate::engine::module_index::{self, ValueKind};
use crate::engine::registry::{Arity, Guard, OnFragment, Registry};
use crate::engine::semantic::{self, text};
use tree_sitter::Node;

pub fn register(registry: &mut Registry) {
    registry.add_guards(GUARDS);
}

static GUARDS: &[Guard] = &[Guard {
    name: "cpu-bound-pool?",
    doc: "the capture (a `ThreadPoolExecutor(...)` call) is bound by `with ... as name:` and every use submits or maps a pure module-level function of this file or of a project module it imports it from, created where a spawned child does not create it again",
    arity: Arity::Exactly(0),
    on_fragment: OnFragment::Unknown,
    may_mark_unsafe: false,
    check: |node, _, ctx| Verdict::pass_if(is_cpu_bound_pool(node, ctx)),
}];

/// An executor made by `with <call> as name:` whose every use submits or maps
/// a pure module-level function of this file (so it pickles and gains from
/// processes), created where a spawned child re-importing the module does not
/// create it again (in a function or under `if __name__ == "__main__":`).
fn is_cpu_bound_pool(call: Node, ctx: &GuardContext) -> bool {
    let source = ctx.source;
    let Some(pattern) = call.parent().filter(|p| p.kind() == "as_pattern") else {
        return false;
    };
    let Some(with_statement) = pattern
        .parent()
        .filter(|p| p.kind() == "with_item")
        .and_then(|item| item.parent())
        .and_then(|clause| clause.parent())
        .filter(|w| w.kind() == "with_statement")
    else {
        return false;
    };
    let Some(alias) = pattern
        .child_by_field_name("alias")
        .and_then(|a| a.named_child(0))
        .filter(|a| a.kind() == "identifier")
    else {
        return false;
    };
    let Some(body) = with_statement.child_by_field_name("body") else {
        return false;
    };
    // Only `max_workers` may be positional: the second parameter differs
    // (`thread_name_prefix` / `mp_context`); `*args` / `**kwargs` could be anything.
    let arguments: Vec<Node> = match call.child_by_field_name("arguments") {
        Some(list) => analysis::statements(list),
        None => Vec::new(),
    };
    let positional = arguments.iter().filter(|a| a.kind() != "keyword_argument").count();
    if positional > 1
        || arguments
            .iter()
            .any(|a| matches!(a.kind(), "list_splat" | "dictionary_splat"))
    {
        return false;
    }
    let root = analysis::root_of(call);
    let scope = semantic::enclosing_function(call).unwrap_or(root);
    let mut submissions = 0;
    for used in analysis::identifiers_named(scope, source, text(alias, source)) {
        if used == alias {
            continue;
        }
        let Some(worker) = submitted_worker(used, body, source) else {
            return false;
        };
        if !is_pure_worker(worker, root, ctx) {
            return false;
        }
        submissions += 1;
    }
    submissions > 0 && !runs_at_import(with_statement, root, source)
}

/// Whether the worker `f` is a pure function defined at module level, in this
/// file or in a module of the project it imports `f` from (pickled by
/// reference, as the child imports it).
fn is_pure_worker(worker: Node, root: Node, ctx: &GuardContext) -> bool {
    let source = ctx.source;
    if analysis::is_pure_function(root, source, ctx.semantic, text(worker, source)) {
        return true;
    }
    ctx.semantic
        .resolve(worker, source)
        .filter(|q| !q.starts_with("builtins."))
        .and_then(|q| module_index::imported_value(&q))
        == Some(ValueKind::Function { pure: true })
}

/// For `executor` in `executor.submit(f, ...)` / `executor.map(f, ...)` inside
/// `body`: the identifier `f`.
fn submitted_worker<'t>(executor: Node<'t>, body: Node<'t>, source: &str) -> Option<Node<'t>> {
    let method = executor.parent().filter(|m| m.kind() == "attribute")?;
    let name = method.child_by_field_name("attribute")?;
    let call = method.parent().filter(|c| c.kind() == "call")?;
    let inside = body.start_byte() <= call.start_byte() && call.end_byte() <= body.end_byte();
    if !inside || !matches!(text(name, source), "submit" | "map") {
        return None;
    }
    let first = call.child_by_field_name("arguments")?.named_child(0)?;
    (first.kind() == "identifier").then_some(first)
}

/// Whether a statement runs when the module is imported (as a process-pool
/// child on spawn platforms re-imports `__main__`): not inside a function or
/// class, nor under `if __name__ == "__main__":`; or inside a top-level function
/// or class that module-level code outside such a guard refers to.
fn runs_at_import(statement: Node, root: Node, source: &str) -> bool {
    let mut top = statement;
    while let Some(parent) = top.parent().filter(|p| *p != root) {
        if parent.kind() == "if_statement"
            && parent
                .child_by_field_name("condition")
                .is_some_and(|c| analysis::is_main_guard(c, source))
        {
            return false;
        }
        top = parent;
    }
    let definition = match top.kind() {
        "decorated_definition" => top.child_by_field_name("definition"),
        "function_definition" | "class_definition" => Some(top),
        _ => None,
    };
    let Some(name) = definition.and_then(|d| d.child_by_field_name("name")) else {
        return true;
    };
    analysis::statements(root).into_iter().any(|s| {
        let guarded = s.kind() == "if_statement"
            && s.child_by_field_name("condition")
                .is_some_and(|c| analysis::is_main_guard(c, source));
        let definition = matches!(
            s.kind(),
            "function_definition" | "class_definition" | "decorated_definition"
        );
        !guarded && !definition && !analysis::identifiers_named(s, source, text(name, source)).is_empty()
    })
}
