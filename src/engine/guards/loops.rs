//! Guards over loops: `iterated-alone?` and `comprehension-loop?`.
use super::*;

/// For an iterable about to be replaced by its receiver (`f.readlines()` ->
/// `f`, so the loop consumes `f` lazily instead of a list read up front): the
/// loop must not touch the receiver meanwhile. Unsafe when its body names
/// anything the receiver is made of (it might read, seek, write or close it),
/// when the body can suspend (`yield`, `await`: other code then runs mid-loop),
/// and for generator expressions, which iterate after their creation, perhaps
/// after the file is closed. Skips `async for`, which a list cannot feed.
pub(super) fn iterated_alone(iterable: Node, source: &str) -> Verdict {
    let Some(looping) = analysis::loop_over(iterable) else {
        return Verdict::Skip;
    };
    if looping.child(0).is_some_and(|c| c.kind() == "async") {
        return Verdict::Skip;
    }
    if looping.kind() == "generator_expression" {
        return Verdict::unsafe_because("a generator expression reads the file later, perhaps after it is closed");
    }
    let receiver = match iterable.kind() {
        "call" => iterable
            .child_by_field_name("function")
            .and_then(|f| f.child_by_field_name("object"))
            .unwrap_or(iterable),
        _ => iterable,
    };
    let names = analysis::names_read(receiver, source);
    // A `for` statement's body; a comprehension is all body but its iterable.
    let body = looping
        .child_by_field_name("body")
        .filter(|_| looping.kind() == "for_statement");
    let scope = body.unwrap_or(looping);
    let outside_iterable = |n: &Node| n.end_byte() <= iterable.start_byte() || n.start_byte() >= iterable.end_byte();
    let touched = names.iter().any(|name| {
        analysis::identifiers_named(scope, source, name)
            .iter()
            .any(outside_iterable)
    });
    if touched {
        Verdict::unsafe_because("the loop body uses the file, which would now be read while it iterates")
    } else if analysis::contains_kind(scope, &["yield", "await"]) {
        Verdict::unsafe_because("the loop can suspend (`yield`/`await`) while the file is read lazily")
    } else {
        Verdict::Pass
    }
}

/// Whether the `for` loop `node`, right after `out = []`, can become
/// `out = [value for target in iterable if condition]` without changing what the
/// function does: see `codemods/append-loop-to-comprehension/docs.md`.
pub(super) fn is_comprehension_loop(node: Node, ctx: &GuardContext) -> bool {
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
pub(super) fn seen_beyond_function(reference: Node, function: Node) -> bool {
    semantic::enclosing_function(reference) != Some(function)
        || reference
            .parent()
            .is_some_and(|p| matches!(p.kind(), "global_statement" | "nonlocal_statement"))
}

/// Whether the loop variables of `for_statement` are plain names that nothing
/// reads after the loop (a comprehension variable does not leak): not after it,
/// not elsewhere in an enclosing loop (a later iteration), not in a nested
/// function, not declared `global`/`nonlocal`.
pub(super) fn loop_variables_stay_local(for_statement: Node, target: Node, function: Node, source: &str) -> bool {
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
