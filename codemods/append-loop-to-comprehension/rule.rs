//! `append-loop-to-comprehension`: `out = []` followed by a loop that only
//! appends to `out` becomes one list comprehension. The guard
//! `comprehension-loop?` decides whether the loop qualifies; the fixer only
//! builds the text. Comments inside the replaced statements are moved above
//! them by the engine.
use crate::edit::Edit;
use crate::engine::analysis::{self, append_loop, fresh_empty_list_before, AppendLoop};
use crate::engine::context::{FixContext, FixOutput, GuardContext, Verdict};
use crate::engine::registry::{Arity, Fixer, Guard, OnFragment, Registry};
use crate::engine::semantic::{self, text};
use tree_sitter::Node;

pub fn register(registry: &mut Registry) {
    registry.add_guards(GUARDS);
    registry.add_fixers(FIXERS);
}

static GUARDS: &[Guard] = &[Guard {
    name: "comprehension-loop?",
    doc: "the capture (a `for` loop right after `out = []`) can become `out = [value for target in iterable if condition]` without changing what the function does",
    arity: Arity::Exactly(0),
    on_fragment: OnFragment::Exact,
    check: |node, _, ctx| Verdict::pass_if(is_comprehension_loop(node, ctx)),
}];

static FIXERS: &[Fixer] = &[Fixer {
    name: "append-loop-to-comprehension",
    doc: "`out = []` + a loop that only appends (under one optional `if`) -> one list comprehension",
    fix: append_loop_to_comprehension,
}];

/// Whether the `for` loop `node`, right after `out = []`, can become
/// `out = [value for target in iterable if condition]` without changing what the
/// function does: see `codemods/append-loop-to-comprehension/docs.md`.
fn is_comprehension_loop(node: Node, ctx: &GuardContext) -> bool {
    let source = ctx.source;
    let Some(parts) = analysis::append_loop(node, source) else {
        return false;
    };
    let list = text(parts.list, source);
    if analysis::fresh_empty_list_before(node, ctx.semantic, source, list).is_none() {
        return false;
    }
    // Comprehensions are scopes of their own: inside a class body they cannot see
    // class attributes, and at module level the loop variable is a global others
    // may read. Only loops in a function body are rewritten.
    let Some(function) = semantic::enclosing_function(node).filter(|f| f.kind() == "function_definition") else {
        return false;
    };
    // `await`/`yield` change meaning in a comprehension (and sequential awaits are
    // another rule's); zero-argument `super()`, `locals()`, `vars()`, `eval()`
    // and `exec()` see the comprehension's frame instead of the function's
    // (before Python 3.12), and a walrus binds differently.
    if analysis::contains_kind(node, &["await", "async", "yield", "named_expression"])
        || ["super", "locals", "vars", "eval", "exec", "dir"]
            .iter()
            .any(|name| !analysis::identifiers_named(node, source, name).is_empty())
    {
        return false;
    }
    // The list must appear in the loop only as the receiver of its `.append`, and
    // nothing else may watch it fill up: no nested function reads it, it is not
    // a global.
    if analysis::identifiers_named(node, source, list)
        .iter()
        .any(|n| *n != parts.list)
        || analysis::name_references(function, source, list)
            .iter()
            .any(|n| seen_beyond_function(*n, function))
    {
        return false;
    }
    // A loop that raises half-way leaves a partly filled list (and a bound loop
    // variable) behind; a comprehension leaves neither. Only observable when the
    // exception is caught in this function.
    let mut ancestor = node.parent();
    while let Some(a) = ancestor.filter(|a| *a != function) {
        // A class body inside the function: the class's names are invisible in a comprehension.
        if matches!(a.kind(), "try_statement" | "with_statement" | "class_definition") {
            return false;
        }
        ancestor = a.parent();
    }
    loop_variables_stay_local(node, parts.target, function, source)
}

/// Whether this reference to a local of `function` makes it visible outside
/// the function's own frame: it sits in a nested function or lambda (a closure),
/// or declares the name `global`/`nonlocal`.
fn seen_beyond_function(reference: Node, function: Node) -> bool {
    semantic::enclosing_function(reference) != Some(function)
        || reference
            .parent()
            .is_some_and(|p| matches!(p.kind(), "global_statement" | "nonlocal_statement"))
}

/// Whether the loop variables of `for_statement` are plain names that nothing
/// reads after the loop (a comprehension variable does not leak): not after it,
/// not elsewhere in an enclosing loop (a later iteration), not in a nested
/// function, not declared `global`/`nonlocal`.
fn loop_variables_stay_local(for_statement: Node, target: Node, function: Node, source: &str) -> bool {
    let mut names = Vec::new();
    let mut pending = vec![target];
    while let Some(n) = pending.pop() {
        match n.kind() {
            "identifier" => names.push(text(n, source)),
            "pattern_list" | "tuple_pattern" | "list_pattern" => {
                let mut cursor = n.walk();
                pending.extend(n.named_children(&mut cursor));
            }
            _ => return false,
        }
    }
    // The outermost loop around this one, within the function: code anywhere in
    // it may run after this loop.
    let mut outer_loop = None;
    let mut ancestor = for_statement.parent();
    while let Some(a) = ancestor.filter(|a| *a != function) {
        if matches!(a.kind(), "for_statement" | "while_statement") {
            outer_loop = Some(a);
        }
        ancestor = a.parent();
    }
    let inside = for_statement.byte_range();
    names.iter().all(|name| {
        analysis::name_references(function, source, name).iter().all(|n| {
            if inside.contains(&n.start_byte()) {
                return true;
            }
            let in_outer_loop = outer_loop.is_some_and(|o| o.byte_range().contains(&n.start_byte()));
            n.start_byte() < inside.start && !in_outer_loop && !seen_beyond_function(*n, function)
        })
    })
}

fn append_loop_to_comprehension(ctx: &FixContext) -> Option<FixOutput> {
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
