//! `append-loop-to-comprehension`: `out = []` followed by a loop that only
//! appends to `out` becomes one list comprehension; two nested loops become a
//! two-clause one. The guard `comprehension-loop?` decides whether the loop
//! qualifies; the fixer only builds the text. Comments inside the replaced
//! statements are moved above them by the engine.
use crate::edit::Edit;
use crate::engine::analysis::receivers::{self, Proof};
use crate::engine::analysis::{self, append_loop, fresh_empty_list, only_statement, previous_statement};
use crate::engine::context::{FixContext, FixOutput, GuardContext, Verdict};
use crate::engine::registry::{Arity, Fixer, Guard, OnFragment, Registry};
use crate::engine::semantic::Semantic;
use crate::engine::semantic::{self, text};
use std::ops::Range;
use tree_sitter::Node;

pub fn register(registry: &mut Registry) {
    registry.add_guards(GUARDS);
    registry.add_fixers(FIXERS);
}

static GUARDS: &[Guard] = &[Guard {
    name: "comprehension-loop?",
    doc: "the capture (a `for` loop, or two nested, right after `out = []`) can become `out = [value for target in iterable if condition ...]` without changing what the function does; unsafe inside a `with` whose manager may swallow an exception when the list or loop variable is read after it",
    arity: Arity::Exactly(0),
    on_fragment: OnFragment::Exact,
    may_mark_unsafe: true,
    check: |node, _, ctx| comprehension_loop(node, ctx),
}];

static FIXERS: &[Fixer] = &[Fixer {
    name: "append-loop-to-comprehension",
    doc: "`out = []` + a loop (or two nested) that only appends (under one optional `if` per loop) -> one list comprehension",
    fix: append_loop_to_comprehension,
}];

/// One `for target in iterable [if condition]` clause of the comprehension.
struct Clause<'t> {
    target: Node<'t>,
    iterable: Node<'t>,
    condition: Option<Node<'t>>,
}

/// The loops a comprehension can replace: their clauses, outermost first, and
/// the innermost loop's `list.append(value)`.
struct Nest<'t> {
    clauses: Vec<Clause<'t>>,
    list: Node<'t>,
    value: Node<'t>,
}

/// How many loops deep a nest may go: the pattern's query spells out two.
const MAX_LOOPS: usize = 2;

/// `for a in A: [if c:] for b in B: [if d:] out.append(v)` (or one loop): each
/// loop's whole body is the next loop or the append, under one optional `if`
/// without `elif`/`else`; no loop has an `else` or is `async for`.
fn loop_nest<'t>(for_statement: Node<'t>, source: &str) -> Option<Nest<'t>> {
    let mut clauses = Vec::new();
    let mut current = for_statement;
    loop {
        if let Some(parts) = append_loop(current, source) {
            clauses.push(Clause {
                target: parts.target,
                iterable: parts.iterable,
                condition: parts.condition,
            });
            return Some(Nest {
                clauses,
                list: parts.list,
                value: parts.value,
            });
        }
        let is_async = current.child(0).is_some_and(|c| c.kind() == "async");
        if clauses.len() + 1 >= MAX_LOOPS || is_async || current.child_by_field_name("alternative").is_some() {
            return None;
        }
        let mut inner = only_statement(current.child_by_field_name("body")?)?;
        let mut condition = None;
        if inner.kind() == "if_statement" && inner.child_by_field_name("alternative").is_none() {
            condition = Some(inner.child_by_field_name("condition")?);
            inner = only_statement(inner.child_by_field_name("consequence")?)?;
        }
        if inner.kind() != "for_statement" {
            return None;
        }
        clauses.push(Clause {
            target: current.child_by_field_name("left")?,
            iterable: current.child_by_field_name("right")?,
            condition,
        });
        current = inner;
    }
}

/// Whether the loop nest `node`, right after `out = []`, can become
/// `out = [value for target in iterable if condition ...]` without changing
/// what the function does: see `codemods/append-loop-to-comprehension/docs.md`.
fn comprehension_loop(node: Node, ctx: &GuardContext) -> Verdict {
    let source = ctx.source;
    let Some(nest) = loop_nest(node, source) else {
        return Verdict::Skip;
    };
    // Built on first use: most matches fail the shape check above.
    let semantic: &Semantic = ctx.semantic;
    let list = text(nest.list, source);
    if fresh_list_above(node, semantic, source, list).is_none() {
        return Verdict::Skip;
    }
    // Comprehensions are scopes of their own: inside a class body they cannot see
    // class attributes, and at module level the loop variable is a global others
    // may read. Only loops in a function body are rewritten.
    let Some(function) = semantic::enclosing_function(node).filter(|f| f.kind() == "function_definition") else {
        return Verdict::Skip;
    };
    // `await`/`yield` change meaning in a comprehension (and sequential awaits are
    // another rule's); zero-argument `super()`, `locals()`, `vars()`, `eval()`
    // and `exec()` see the comprehension's frame instead of the function's
    // (before Python 3.12), and a walrus binds differently.
    if analysis::contains_kind(node, &["await", "async", "yield", "named_expression"]) {
        return Verdict::Skip;
    }
    let Some(names) = loop_names(&nest, source) else {
        return Verdict::Skip;
    };
    if inner_target_read_early(&nest, source) {
        return Verdict::Skip;
    }
    // The list must appear in the loop only as the receiver of its `.append`, and
    // nothing else may watch it fill up: no nested function reads it, it is not
    // a global.
    let list_references = local_references(function, source, list, semantic);
    if analysis::identifiers_named(node, source, list)
        .iter()
        .any(|n| *n != nest.list)
        || list_references.iter().any(|n| seen_beyond_function(*n, function))
    {
        return Verdict::Skip;
    }
    // A loop that raises half-way leaves a partly filled list (and a bound loop
    // variable) behind; a comprehension leaves neither. Only observable when the
    // exception is caught in this function, or swallowed by a `with`.
    // (A loop in an `except`, `else` or `finally` block is not guarded by that
    // `try`.)
    let mut withs = Vec::new();
    let (mut child, mut ancestor) = (node, node.parent());
    while let Some(a) = ancestor.filter(|a| *a != function) {
        let in_try_body = a.kind() == "try_statement" && a.child_by_field_name("body") == Some(child);
        // A class body inside the function: the class's names are invisible in a comprehension.
        if in_try_body || a.kind() == "class_definition" {
            return Verdict::Skip;
        }
        if a.kind() == "with_statement" {
            withs.push(a);
        }
        (child, ancestor) = (a, a.parent());
    }
    let mut watched = list_references;
    for name in &names {
        let references = local_references(function, source, name, semantic);
        if !loop_variable_stays_local(node, name, &references, function, source) {
            return Verdict::Skip;
        }
        watched.extend(references);
    }
    // Anywhere in the function: `locals()` after the loop would miss its
    // variable.
    if sees_frame(function, semantic, source) {
        return Verdict::Skip;
    }
    match withs.is_empty() {
        true => Verdict::Pass,
        false => with_verdict(node, &withs, &watched, function, semantic, source, list),
    }
}

/// The plain names the loops bind, outermost first; `None` when a target is
/// not a name or tuple of names (`for obj.attr in ...`).
fn loop_names<'s>(nest: &Nest, source: &'s str) -> Option<Vec<&'s str>> {
    let mut names = Vec::new();
    for clause in &nest.clauses {
        let mut pending = vec![clause.target];
        while let Some(n) = pending.pop() {
            match n.kind() {
                "identifier" => names.push(text(n, source)),
                "pattern_list" | "tuple_pattern" | "list_pattern" => {
                    let mut cursor = n.walk();
                    pending.extend(n.named_children(&mut cursor));
                }
                _ => return None,
            }
        }
    }
    Some(names)
}

/// Whether an inner loop's variable is read in a clause evaluated before that
/// loop binds it (an outer `if`, its own iterable): the loop reads the value
/// left by the previous iteration, the comprehension its own unbound variable.
fn inner_target_read_early(nest: &Nest, source: &str) -> bool {
    nest.clauses.iter().enumerate().skip(1).any(|(depth, clause)| {
        let mut early: Vec<Node> = nest.clauses[..depth].iter().filter_map(|c| c.condition).collect();
        early.extend(nest.clauses[1..=depth].iter().map(|c| c.iterable));
        analysis::descendants(clause.target)
            .into_iter()
            .filter(|n| n.kind() == "identifier")
            .any(|name| {
                early
                    .iter()
                    .any(|e| !analysis::identifiers_named(*e, source, text(name, source)).is_empty())
            })
    })
}

/// The references in `function` to its own variable `name`: a reference in a
/// nested scope that binds `name` for itself (a comprehension's variable, a
/// nested function's parameter or local) names another variable.
fn local_references<'t>(function: Node<'t>, source: &str, name: &str, semantic: &Semantic) -> Vec<Node<'t>> {
    let mut found = analysis::name_references(function, source, name);
    found.retain(|reference| !bound_in_nested_scope(*reference, function, name, source, semantic));
    found
}

/// Whether a scope between `reference` and `function` binds `name` itself.
fn bound_in_nested_scope(reference: Node, function: Node, name: &str, source: &str, semantic: &Semantic) -> bool {
    let at = reference.start_byte();
    let within = |node: Option<Node>| node.is_some_and(|n| n.byte_range().contains(&at));
    let mut ancestor = reference.parent();
    while let Some(scope) = ancestor.filter(|a| *a != function) {
        let owns = match scope.kind() {
            // Its first iterable is evaluated outside it; every other part sees its variables.
            "list_comprehension" | "set_comprehension" | "dictionary_comprehension" | "generator_expression" => {
                let mut cursor = scope.walk();
                let clauses: Vec<Node> = scope
                    .named_children(&mut cursor)
                    .filter(|c| c.kind() == "for_in_clause")
                    .collect();
                let binds = clauses.iter().any(|c| {
                    c.child_by_field_name("left")
                        .is_some_and(|l| !analysis::identifiers_named(l, source, name).is_empty())
                });
                let in_first_iterable =
                    within(clauses.first().copied()) && !within(clauses[0].child_by_field_name("left"));
                binds && !in_first_iterable
            }
            // Its body and parameter names; defaults, annotations and its own
            // name belong to the scope around it.
            "function_definition" | "lambda" => {
                let parameter =
                    within(scope.child_by_field_name("parameters")) && semantic::is_binding_position(reference);
                let declared_outside = analysis::descendants(scope).into_iter().any(|n| {
                    matches!(n.kind(), "global_statement" | "nonlocal_statement")
                        && !analysis::identifiers_named(n, source, name).is_empty()
                });
                (parameter || within(scope.child_by_field_name("body")))
                    && !declared_outside
                    && semantic.binds(semantic.scope_at(scope.start_byte()), name)
            }
            _ => false,
        };
        if owns {
            return true;
        }
        ancestor = scope.parent();
    }
    false
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

/// Whether the loop variable `name` of the nest `for_statement` is read
/// nowhere after the loops (a comprehension variable does not leak): not
/// after them before something rebinds it, not elsewhere in an enclosing loop
/// (a later iteration), not in a nested function, not declared
/// `global`/`nonlocal`. `references` are the function's references to it.
fn loop_variable_stays_local(
    for_statement: Node,
    name: &str,
    references: &[Node],
    function: Node,
    source: &str,
) -> bool {
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
    let rebound = rebound_after(for_statement, name, function, source);
    references.iter().all(|n| {
        if inside.contains(&n.start_byte()) {
            return true;
        }
        if n.start_byte() >= inside.end {
            return rebound.iter().any(|r| r.contains(&n.start_byte())) && !seen_beyond_function(*n, function);
        }
        let in_outer_loop = outer_loop.is_some_and(|o| o.byte_range().contains(&n.start_byte()));
        !in_outer_loop && !seen_beyond_function(*n, function)
    })
}

/// Where, after the loop `for_statement`, its variable `name` is read only
/// once something else has bound it again, so the comprehension not binding
/// it changes nothing. Every statement after the loop counts, in nested blocks
/// too (nested functions and classes aside): a later `for name in ...` covers
/// its target and body (not its iterable or `else`: it may run zero times);
/// `name = <value not reading name>` covers the rest of its block, and
/// everything after it when it sits in the loop's own block with no
/// `break`/`continue` between (nothing can leave the block before it).
fn rebound_after(for_statement: Node, name: &str, function: Node, source: &str) -> Vec<Range<usize>> {
    let mentions = |node: Option<Node>| node.is_some_and(|n| !analysis::identifiers_named(n, source, name).is_empty());
    let after = for_statement.end_byte();
    let mut covered = Vec::new();
    let mut straight_line = true;
    let mut own_block_next = analysis::next_statement(for_statement);
    analysis::walk(function, |node| {
        if node.end_byte() <= after {
            return false;
        }
        if node.start_byte() < after {
            return true;
        }
        if matches!(node.kind(), "function_definition" | "class_definition" | "lambda") {
            return false;
        }
        let in_own_block = Some(node) == own_block_next;
        if in_own_block {
            own_block_next = analysis::next_statement(node);
        }
        let assignment = node.named_child(0).filter(|a| {
            node.kind() == "expression_statement" && node.named_child_count() == 1 && a.kind() == "assignment"
        });
        if let Some(assignment) = assignment {
            let left = assignment.child_by_field_name("left");
            if left.is_some_and(|l| l.kind() == "identifier" && text(l, source) == name)
                && !mentions(assignment.child_by_field_name("right"))
            {
                let end = match in_own_block && straight_line {
                    true => function.end_byte(),
                    false => node.parent().map_or(node.end_byte(), |block| block.end_byte()),
                };
                covered.push(node.start_byte()..end);
            }
        }
        if node.kind() == "for_statement" {
            let target = node.child_by_field_name("left");
            let rebinds = target.is_some_and(|t| {
                analysis::identifiers_named(t, source, name)
                    .iter()
                    .any(|n| semantic::is_binding_position(*n))
            });
            if let (true, Some(target), Some(body)) = (rebinds, target, node.child_by_field_name("body")) {
                covered.push(target.byte_range());
                covered.push(body.byte_range());
            }
        }
        if in_own_block && analysis::contains_kind(node, &["break_statement", "continue_statement"]) {
            straight_line = false;
        }
        true
    });
    covered
}

/// A loop inside `with`: an exception raised half-way that a manager swallows
/// leaves the list partly filled (and the loop variables bound) after the
/// block, where the comprehension leaves them unbound. Safe when every
/// manager is shown to let exceptions through (files, `threading` locks), or
/// when nothing reads them after the innermost `with` and no loop around it
/// comes back into it; otherwise unsafe, saying why. `withs` are the `with`
/// statements around the loop, innermost first; `watched` the references to
/// the list and the loop variables.
fn with_verdict(
    node: Node,
    withs: &[Node],
    watched: &[Node],
    function: Node,
    semantic: &Semantic,
    source: &str,
    list: &str,
) -> Verdict {
    let mut unproven = None;
    for with in withs {
        let is_async = with.child(0).is_some_and(|c| c.kind() == "async");
        for manager in with_managers(*with) {
            let proof = match is_async {
                true => Proof::NotShown(format!(
                    "`async with {}` may swallow an exception",
                    text(manager, source)
                )),
                false => receivers::non_suppressing_manager_proof(manager, source, semantic),
            };
            if let Proof::NotShown(why) = proof {
                unproven.get_or_insert(why);
            }
        }
    }
    let Some(why) = unproven else {
        return Verdict::Pass;
    };
    let mut ancestor = node.parent();
    let mut in_loop = false;
    while let Some(a) = ancestor.filter(|a| *a != function) {
        in_loop |= matches!(a.kind(), "for_statement" | "while_statement");
        ancestor = a.parent();
    }
    let innermost_end = withs[0].end_byte();
    let read_after = watched.iter().any(|n| n.start_byte() >= innermost_end);
    if !in_loop && !read_after {
        return Verdict::Pass;
    }
    let consequence = match read_after {
        true => format!("`{list}` (or the loop variable) would be read after the block partly filled, where the comprehension leaves it unbound"),
        false => format!("a later iteration of the loop around it could read `{list}` partly filled, where the comprehension leaves it as it was"),
    };
    Verdict::unsafe_because(format!("the loop runs inside a `with`: {why}; then {consequence}"))
}

/// The context managers of a `with` statement: each item's value, without its `as` target.
fn with_managers(with: Node) -> Vec<Node> {
    analysis::descendants(with)
        .into_iter()
        .filter(|n| n.kind() == "with_item" && n.parent().and_then(|c| c.parent()) == Some(with))
        .filter_map(|item| item.child_by_field_name("value"))
        .map(|value| match value.kind() {
            "as_pattern" => value.named_child(0).unwrap_or(value),
            _ => value,
        })
        .collect()
}

/// How many statements (not mentioning the list) may sit between `out = []`
/// and its loop.
const MAX_BETWEEN: usize = 3;

/// The `out = []` statement the loop `statement` fills: right before it, or a
/// few statements above with none in between mentioning `name` or able to see
/// the frame (`locals()`...).
fn fresh_list_above<'t>(statement: Node<'t>, semantic: &Semantic, source: &str, name: &str) -> Option<Node<'t>> {
    let mut previous = previous_statement(statement);
    for _ in 0..=MAX_BETWEEN {
        let candidate = previous?;
        if let Some((bound, _)) = fresh_empty_list(candidate, semantic, source) {
            if text(bound, source) == name {
                return Some(candidate);
            }
        }
        if !analysis::identifiers_named(candidate, source, name).is_empty() || sees_frame(candidate, semantic, source) {
            return None;
        }
        previous = previous_statement(candidate);
    }
    None
}

/// Whether `node` calls something that sees the frame it runs in (before
/// Python 3.12 a comprehension has its own): zero-argument `super()`,
/// `locals()`, `vars()`, `dir()`, or `eval`/`exec`, each the builtin.
fn sees_frame(node: Node, semantic: &Semantic, source: &str) -> bool {
    const FRAME_BUILTINS: [&str; 6] = ["eval", "exec", "super", "locals", "vars", "dir"];
    // Most code calls none of them: no tree walk, no semantic model.
    let body = text(node, source);
    let called = |name: &str| {
        body.match_indices(name).any(|(at, _)| {
            let before = body[..at].chars().next_back();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
                && body[at + name.len()..].trim_start().starts_with('(')
        })
    };
    if !FRAME_BUILTINS.iter().any(|name| called(name)) {
        return false;
    }
    analysis::descendants(node).into_iter().any(|call| {
        let Some(function) = call.child_by_field_name("function").filter(|_| call.kind() == "call") else {
            return false;
        };
        let Some(builtin) = semantic
            .resolve(function, source)
            .and_then(|q| q.strip_prefix("builtins.").map(str::to_string))
        else {
            return false;
        };
        let no_arguments = call
            .child_by_field_name("arguments")
            .is_some_and(|a| a.named_child_count() == 0);
        match builtin.as_str() {
            "eval" | "exec" => true,
            "super" | "locals" | "vars" | "dir" => no_arguments,
            _ => false,
        }
    })
}

fn append_loop_to_comprehension(ctx: &FixContext) -> Option<FixOutput> {
    let source = ctx.render.source;
    let nest = loop_nest(ctx.target, source)?;
    let init = fresh_list_above(ctx.target, ctx.render.semantic, source, text(nest.list, source))?;
    let assignment = init.named_child(0)?;
    let right = assignment.child_by_field_name("right")?;
    // Everything up to the `[]`: the name, any annotation, the `=`.
    let head = &source[init.start_byte()..right.start_byte()];
    let comprehension = match identity_copy(&nest, ctx) {
        Some(copy) => format!("{head}{copy}"),
        None => {
            let mut comprehension = format!("{head}[{}", text(nest.value, source));
            for clause in &nest.clauses {
                comprehension.push_str(&format!(
                    " for {} in {}",
                    text(clause.target, source),
                    clause_operand(clause.iterable, source)
                ));
                if let Some(condition) = clause.condition {
                    comprehension.push_str(" if ");
                    comprehension.push_str(&clause_operand(condition, source));
                }
            }
            comprehension.push(']');
            comprehension
        }
    };
    // `out = []` a few statements up: it moves down to the loop.
    let edits = match previous_statement(ctx.target) == Some(init) {
        true => vec![Edit::replace(init.start_byte()..ctx.target.end_byte(), comprehension)],
        false => vec![
            analysis::deletion_of(init, source)?,
            Edit::replace(ctx.target.byte_range(), comprehension),
        ],
    };
    Some(FixOutput {
        edits,
        ..FixOutput::default()
    })
}

/// `list(xs)` for a single loop appending its own target unchanged: `[x for
/// x in xs]` is an identity comprehension (ruff C416), slower than `list(xs)`.
/// `None` where `list` is not the builtin.
fn identity_copy(nest: &Nest, ctx: &FixContext) -> Option<String> {
    let source = ctx.render.source;
    let [clause] = nest.clauses.as_slice() else {
        return None;
    };
    let plain_target = clause.target.kind() == "identifier" && text(nest.value, source) == text(clause.target, source);
    if !plain_target || clause.condition.is_some() || !ctx.render.semantic.is_builtin("list", ctx.target.start_byte()) {
        return None;
    }
    Some(match clause.iterable.kind() {
        "expression_list" => format!("list(({}))", text(clause.iterable, source)),
        _ => format!("list({})", text(clause.iterable, source)),
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
