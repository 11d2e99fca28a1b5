//! `append-loop-to-comprehension`: `out = []` followed by a loop that only
//! appends to `out` becomes one list comprehension. The guard
//! `comprehension-loop?` decides whether the loop qualifies; the fixer only
//! builds the text. Comments inside the replaced statements are moved above
//! them by the engine.
use crate::edit::Edit;
use crate::engine::analysis::{self, append_loop, fresh_empty_list, next_statement, previous_statement, AppendLoop};
use crate::engine::context::{FixContext, FixOutput, GuardContext, Verdict};
use crate::engine::registry::{Arity, Fixer, Guard, OnFragment, Registry};
use crate::engine::semantic::Semantic;
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
    may_mark_unsafe: false,
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
    if fresh_list_above(node, ctx.semantic, source, list).is_none() {
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
    if analysis::contains_kind(node, &["await", "async", "yield", "named_expression"]) {
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
    // (A loop in an `except`, `else` or `finally` block is not guarded by that
    // `try`; a `with` may swallow the exception.)
    let (mut child, mut ancestor) = (node, node.parent());
    while let Some(a) = ancestor.filter(|a| *a != function) {
        let in_try_body = a.kind() == "try_statement" && a.child_by_field_name("body") == Some(child);
        // A class body inside the function: the class's names are invisible in a comprehension.
        if in_try_body || matches!(a.kind(), "with_statement" | "class_definition") {
            return false;
        }
        (child, ancestor) = (a, a.parent());
    }
    // Anywhere in the function: `locals()` after the loop would miss its
    // variable. (Last: it may need the file's semantic model.)
    loop_variables_stay_local(node, parts.target, function, source) && !sees_frame(function, ctx.semantic, source)
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
        let rebound = rebound_after(for_statement, name, source);
        analysis::name_references(function, source, name).iter().all(|n| {
            if inside.contains(&n.start_byte()) {
                return true;
            }
            if n.start_byte() >= inside.end {
                return rebound.covers(n.start_byte()) && !seen_beyond_function(*n, function);
            }
            let in_outer_loop = outer_loop.is_some_and(|o| o.byte_range().contains(&n.start_byte()));
            !in_outer_loop && !seen_beyond_function(*n, function)
        })
    })
}

/// Where, after a loop, its variable `name` is read only once something else
/// has bound it again (so the comprehension not binding it changes nothing).
struct Rebound {
    /// Later `for name in ...` loops (iterable aside): their body reads their own binding.
    loops: Vec<std::ops::Range<usize>>,
    /// From here on, a plain `name = ...` in the loop's block has rebound it.
    from: Option<usize>,
}

impl Rebound {
    fn covers(&self, at: usize) -> bool {
        self.from.is_some_and(|from| at >= from) || self.loops.iter().any(|l| l.contains(&at))
    }
}

/// Walks the statements after `for_statement` in its block: a later loop over
/// `name` whose iterable and `else` do not read it covers its own references,
/// `name = <value not reading name>` covers everything after it, and any other
/// statement that mentions `name` ends the walk (its reading is not covered).
fn rebound_after(for_statement: Node, name: &str, source: &str) -> Rebound {
    let mentions = |node: Option<Node>| node.is_some_and(|n| !analysis::identifiers_named(n, source, name).is_empty());
    let mut rebound = Rebound {
        loops: Vec::new(),
        from: None,
    };
    let mut next = next_statement(for_statement);
    while let Some(statement) = next {
        let assignment = statement.named_child(0).filter(|a| {
            statement.kind() == "expression_statement" && statement.named_child_count() == 1 && a.kind() == "assignment"
        });
        if let Some(assignment) = assignment {
            let left = assignment.child_by_field_name("left");
            if left.is_some_and(|l| l.kind() == "identifier" && text(l, source) == name)
                && !mentions(assignment.child_by_field_name("right"))
            {
                rebound.from = Some(statement.start_byte());
                return rebound;
            }
        }
        let loop_target = statement
            .child_by_field_name("left")
            .filter(|_| statement.kind() == "for_statement");
        let rebinding_loop = loop_target.is_some_and(|t| {
            analysis::identifiers_named(t, source, name)
                .iter()
                .any(|n| semantic::is_binding_position(*n))
        }) && !mentions(statement.child_by_field_name("right"))
            && !mentions(statement.child_by_field_name("alternative"));
        if rebinding_loop {
            rebound.loops.push(statement.byte_range());
        } else if mentions(Some(statement)) {
            return rebound;
        }
        next = next_statement(statement);
    }
    rebound
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
    let parts = append_loop(ctx.target, source)?;
    let init = fresh_list_above(ctx.target, ctx.render.semantic, source, text(parts.list, source))?;
    let assignment = init.named_child(0)?;
    let right = assignment.child_by_field_name("right")?;
    // Everything up to the `[]`: the name, any annotation, the `=`.
    let head = &source[init.start_byte()..right.start_byte()];
    let comprehension = match identity_copy(&parts, ctx) {
        Some(copy) => format!("{head}{copy}"),
        None => {
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

/// `list(xs)` for a loop appending its own target unchanged: `[x for x in
/// xs]` is an identity comprehension (ruff C416), slower than `list(xs)`.
/// `None` where `list` is not the builtin.
fn identity_copy(parts: &AppendLoop, ctx: &FixContext) -> Option<String> {
    let source = ctx.render.source;
    let plain_target = parts.target.kind() == "identifier" && text(parts.value, source) == text(parts.target, source);
    if !plain_target || parts.condition.is_some() || !ctx.render.semantic.is_builtin("list", ctx.target.start_byte()) {
        return None;
    }
    Some(match parts.iterable.kind() {
        "expression_list" => format!("list(({}))", text(parts.iterable, source)),
        _ => format!("list({})", text(parts.iterable, source)),
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
