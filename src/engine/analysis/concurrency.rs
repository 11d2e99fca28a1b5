//! Asyncio analyses shared by the concurrency rules (`unbounded-gather`,
//! `sequential-await-loop`, and the rules that flag or rewrite gathers later):
//! whether an awaited expression is a fresh coroutine or an already running
//! Task, whether code is already bounded by a semaphore, and the sites the
//! bounded rewrites change. Like every analysis here, each answers on the side
//! that makes a rule skip when it cannot tell.
use super::{
    append_loop, contains_kind, fresh_empty_list, identifiers_named, in_nested_scope, previous_statement, walk,
};
use crate::engine::semantic::{enclosing_function, enclosing_statement, is_async_def, text, Semantic};
use std::collections::HashMap;
use tree_sitter::Node;

/// Classes whose instances bound concurrency when entered with `async with`.
const SEMAPHORES: &[&str] = &["asyncio.Semaphore", "asyncio.BoundedSemaphore"];

/// Functions whose result is already scheduled (a Task or Future) or is not a
/// single coroutine at all.
const SCHEDULERS: &[&str] = &[
    "asyncio.create_task",
    "asyncio.ensure_future",
    "asyncio.shield",
    "asyncio.gather",
    "asyncio.wrap_future",
    "asyncio.run_coroutine_threadsafe",
    "asyncio.as_completed",
    "asyncio.Task",
    "asyncio.Future",
];

/// Methods that schedule work at once on a receiver whose type a file cannot
/// show (an event loop, a `TaskGroup`, an executor). They are matched by name,
/// which is sound here because the answer only ever makes a rule skip.
const SCHEDULING_METHODS: &[&str] = &[
    "create_task",
    "ensure_future",
    "run_in_executor",
    "create_future",
    "submit",
];

/// What an expression handed to `gather` or `create_task` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Awaitable {
    /// A call that creates a coroutine, which runs only once awaited: a
    /// semaphore around the await bounds it. Calls into other modules land
    /// here too (they cannot be told apart from coroutine functions).
    Coroutine,
    /// A Task or Future, already running: a semaphore around awaiting it
    /// bounds nothing.
    Scheduled,
    /// Not a call, or a call of a local plain `def`, which may return anything.
    Unknown,
}

/// Whether `expr` creates a fresh coroutine or an already scheduled Task/Future.
pub fn classify(expr: Node, semantic: &Semantic, source: &str) -> Awaitable {
    let Some(function) = expr.child_by_field_name("function").filter(|_| expr.kind() == "call") else {
        return Awaitable::Unknown;
    };
    let scheduler = semantic
        .resolve(function, source)
        .is_some_and(|q| SCHEDULERS.contains(&q.as_str()));
    let scheduling_method = function.kind() == "attribute"
        && function
            .child_by_field_name("attribute")
            .is_some_and(|a| SCHEDULING_METHODS.contains(&text(a, source)));
    if scheduler || scheduling_method {
        return Awaitable::Scheduled;
    }
    match local_function(function, source) {
        Some(def) if !is_async_def(def) => Awaitable::Unknown,
        _ => Awaitable::Coroutine,
    }
}

/// The `def` a callee names, when the file defines it where the call can see
/// it: a bare name defined in an enclosing block or the module, or
/// `self.method` / `cls.method` defined in the enclosing class.
pub fn local_function<'t>(callee: Node<'t>, source: &str) -> Option<Node<'t>> {
    if callee.kind() == "attribute" {
        let object = callee.child_by_field_name("object")?;
        if object.kind() != "identifier" || !matches!(text(object, source), "self" | "cls") {
            return None;
        }
        let class = ancestors(callee).find(|n| n.kind() == "class_definition")?;
        let method = text(callee.child_by_field_name("attribute")?, source);
        return defined_in(class.child_by_field_name("body")?, source, method);
    }
    if callee.kind() != "identifier" {
        return None;
    }
    let name = text(callee, source);
    ancestors(callee)
        .filter(|n| matches!(n.kind(), "block" | "module"))
        .filter(|n| n.parent().is_none_or(|p| p.kind() != "class_definition"))
        .find_map(|scope| defined_in(scope, source, name))
}

fn ancestors(node: Node) -> impl Iterator<Item = Node> {
    std::iter::successors(node.parent(), |n| n.parent())
}

/// The function named `name` defined directly in `block` (decorated or not).
fn defined_in<'t>(block: Node<'t>, source: &str, name: &str) -> Option<Node<'t>> {
    let mut cursor = block.walk();
    let found = block
        .named_children(&mut cursor)
        .filter_map(|statement| match statement.kind() {
            "function_definition" => Some(statement),
            "decorated_definition" => statement.child_by_field_name("definition"),
            _ => None,
        })
        .filter(|def| def.kind() == "function_definition")
        .find(|def| def.child_by_field_name("name").is_some_and(|n| text(n, source) == name));
    found
}

/// Whether `expr` is a semaphore: a `Semaphore(...)` call, or a name or
/// attribute the file binds to one (assignment, or parameter or variable
/// annotated with the class). Spellings are compared file-wide, not per
/// scope: a false "yes" only makes a rule skip.
pub fn is_semaphore(expr: Node, semantic: &Semantic, source: &str) -> bool {
    let is_class = |node: Node| {
        let node = if node.kind() == "type" {
            node.named_child(0)
        } else {
            Some(node)
        };
        node.and_then(|n| semantic.resolve(n, source))
            .is_some_and(|q| SEMAPHORES.contains(&q.as_str()))
    };
    let is_construction =
        |node: Node| node.kind() == "call" && node.child_by_field_name("function").is_some_and(is_class);
    if is_construction(expr) {
        return true;
    }
    if !matches!(expr.kind(), "identifier" | "attribute") {
        return false;
    }
    let spelled = text(expr, source);
    let root = ancestors(expr).last().unwrap_or(expr);
    let mut found = false;
    walk(root, |node| {
        let (name, value, annotation) = match node.kind() {
            "assignment" => (
                node.child_by_field_name("left"),
                node.child_by_field_name("right"),
                node.child_by_field_name("type"),
            ),
            "typed_parameter" => (node.named_child(0), None, node.child_by_field_name("type")),
            "typed_default_parameter" => (node.child_by_field_name("name"), None, node.child_by_field_name("type")),
            _ => return !found,
        };
        if name.is_some_and(|n| text(n, source) == spelled)
            && (value.is_some_and(is_construction) || annotation.is_some_and(is_class))
        {
            found = true;
        }
        !found
    });
    found
}

/// The context managers an `async with` statement enters (`None` for a plain `with`).
fn async_with_values(statement: Node) -> Option<Vec<Node>> {
    if statement.kind() != "with_statement" || statement.child(0)?.kind() != "async" {
        return None;
    }
    let clause = statement
        .named_children(&mut statement.walk())
        .find(|c| c.kind() == "with_clause")?;
    let values = clause
        .named_children(&mut clause.walk())
        .filter_map(|item| item.child_by_field_name("value"))
        .filter_map(|value| match value.kind() {
            "as_pattern" => value.named_child(0),
            _ => Some(value),
        })
        .collect();
    Some(values)
}

fn enters_semaphore(statement: Node, semantic: &Semantic, source: &str) -> bool {
    async_with_values(statement).is_some_and(|values| values.into_iter().any(|v| is_semaphore(v, semantic, source)))
}

/// Whether `node` runs inside an `async with <semaphore>:` of its own function.
pub fn under_semaphore(node: Node, semantic: &Semantic, source: &str) -> bool {
    for ancestor in ancestors(node) {
        if matches!(ancestor.kind(), "function_definition" | "lambda" | "class_definition") {
            return false;
        }
        if enters_semaphore(ancestor, semantic, source) {
            return true;
        }
    }
    false
}

/// Whether `call` calls a local coroutine function that enters a semaphore
/// itself (the seed's `process_item`, or the helper these rewrites add).
pub fn is_bounded_call(call: Node, semantic: &Semantic, source: &str) -> bool {
    let Some(def) = call
        .child_by_field_name("function")
        .and_then(|f| local_function(f, source))
        .filter(|def| is_async_def(*def))
    else {
        return false;
    };
    let Some(body) = def.child_by_field_name("body") else {
        return false;
    };
    let mut bounded = false;
    walk(body, |node| {
        if bounded || node.kind() == "function_definition" || node.kind() == "lambda" {
            return false;
        }
        bounded = enters_semaphore(node, semantic, source);
        !bounded
    });
    bounded
}

/// Whether wrapping `coroutine`, awaited at `site`, in a semaphore would bound
/// anything: it is a fresh coroutine, not bounded by its own function, and
/// `site` is not already inside an `async with <semaphore>`.
fn needs_bound(coroutine: Node, site: Node, semantic: &Semantic, source: &str) -> bool {
    classify(coroutine, semantic, source) == Awaitable::Coroutine
        && !is_bounded_call(coroutine, semantic, source)
        && !under_semaphore(site, semantic, source)
}

/// A place where a data-dependent number of coroutines starts at once.
#[derive(Clone, Copy, Debug)]
pub struct UnboundedSite<'t> {
    /// The `async def` the site is in.
    pub function: Node<'t>,
    /// The coroutine call to bound (evaluated once per item).
    pub coroutine: Node<'t>,
}

/// `call` is `gather(...)` or `<task group>.create_task(...)` (the query has
/// checked which); the coroutine it starts per item, when nothing bounds it.
/// `limit` is the semaphore's size (`--concurrency-limit`): a site whose items
/// are counted by literals (`for _ in range(10)`) and never exceed it is left
/// alone, since the semaphore would never make a coroutine wait.
pub fn unbounded_site<'t>(
    call: Node<'t>,
    semantic: &Semantic,
    source: &str,
    limit: Option<u64>,
) -> Option<UnboundedSite<'t>> {
    let within_limit = |count: Option<u64>| count.zip(limit).is_some_and(|(count, limit)| count <= limit);
    let function = enclosing_function(call).filter(|f| is_async_def(*f))?;
    let arguments = call.child_by_field_name("arguments")?;
    let positional: Vec<Node> = arguments
        .named_children(&mut arguments.walk())
        .filter(|a| !matches!(a.kind(), "comment" | "keyword_argument" | "dictionary_splat"))
        .collect();
    let creates_task = call
        .child_by_field_name("function")
        .and_then(|f| f.child_by_field_name("attribute"))
        .is_some_and(|a| text(a, source) == "create_task");
    let coroutine = if creates_task {
        // `tg.create_task(work(x))` in a loop: the coroutine is the first argument.
        let for_statement = ancestors(call).find(|n| n.kind() == "for_statement")?;
        if within_limit(literal_range_len(
            for_statement.child_by_field_name("right")?,
            semantic,
            source,
        )) {
            return None;
        }
        *positional.first()?
    } else {
        // `await gather(*items)` and nothing else positional.
        if call.parent()?.kind() != "await" {
            return None;
        }
        let [splat] = positional[..] else {
            return None;
        };
        let items = splat.named_child(0).filter(|_| splat.kind() == "list_splat")?;
        let collection = match items.kind() {
            "list_comprehension" | "generator_expression" => items,
            "identifier" => built_just_before(call, items, function, source)?,
            _ => return None,
        };
        let mut cursor = collection.walk();
        let count = collection
            .named_children(&mut cursor)
            .filter(|c| c.kind() == "for_in_clause")
            .try_fold(1u64, |count, clause| {
                count.checked_mul(literal_range_len(
                    clause.child_by_field_name("right")?,
                    semantic,
                    source,
                )?)
            });
        if within_limit(count) {
            return None;
        }
        collection.child_by_field_name("body")?
    };
    needs_bound(coroutine, call, semantic, source).then_some(UnboundedSite { function, coroutine })
}

/// The coroutine calls a `gather(...)` runs, when they can be read off the code:
/// its positional call arguments, or the element of `*[f(x) for ...]`,
/// `*(f(x) for ...)`, `*[f(a), g(b)]`, or of `*tasks` built just before.
pub fn gathered_calls<'t>(gather: Node<'t>, source: &str) -> Option<Vec<Node<'t>>> {
    let arguments = gather.child_by_field_name("arguments")?;
    let positional: Vec<Node> = arguments
        .named_children(&mut arguments.walk())
        .filter(|a| !matches!(a.kind(), "comment" | "keyword_argument" | "dictionary_splat"))
        .collect();
    let elements = match positional[..] {
        [splat] if splat.kind() == "list_splat" => {
            let mut items = splat.named_child(0)?;
            if items.kind() == "identifier" {
                items = built_just_before(gather, items, enclosing_function(gather)?, source)?;
            }
            match items.kind() {
                "list_comprehension" | "generator_expression" => vec![items.child_by_field_name("body")?],
                "list" | "tuple" => items.named_children(&mut items.walk()).collect(),
                _ => return None,
            }
        }
        _ => positional,
    };
    (!elements.is_empty() && elements.iter().all(|e| e.kind() == "call")).then_some(elements)
}

/// The `--concurrency-limit` option as a number.
pub fn concurrency_limit(options: &HashMap<String, String>) -> Option<u64> {
    options.get("concurrency-limit")?.parse().ok()
}

/// How many items `range(...)` of integer literals yields (`range(10)`,
/// `range(0, 9, 3)`), as Python computes it; `None` for anything else.
fn literal_range_len(iterable: Node, semantic: &Semantic, source: &str) -> Option<u64> {
    let function = iterable.child_by_field_name("function")?;
    let arguments = iterable.child_by_field_name("arguments")?;
    if iterable.kind() != "call"
        || function.kind() != "identifier"
        || text(function, source) != "range"
        || !semantic.is_builtin("range", function.start_byte())
    {
        return None;
    }
    let mut cursor = arguments.walk();
    let values = arguments
        .named_children(&mut cursor)
        .filter(|a| a.kind() != "comment")
        .map(|a| integer_literal(a, source))
        .collect::<Option<Vec<i128>>>()?;
    let (start, stop, step) = match values[..] {
        [stop] => (0, stop, 1),
        [start, stop] => (start, stop, 1),
        [start, stop, step] if step != 0 => (start, stop, step),
        _ => return None,
    };
    let span = if step > 0 { stop - start } else { start - stop };
    let step = step.abs();
    u64::try_from(((span + step - 1) / step).max(0)).ok()
}

/// A decimal integer literal, possibly negated (`10`, `-3`, `1_000`).
fn integer_literal(node: Node, source: &str) -> Option<i128> {
    match node.kind() {
        "integer" => text(node, source).replace('_', "").parse().ok(),
        "unary_operator" if text(node, source).starts_with('-') => {
            integer_literal(node.child_by_field_name("argument")?, source)?.checked_neg()
        }
        _ => None,
    }
}

/// For `gather(*tasks)`: the comprehension in `tasks = [...]` when that is the
/// statement just before and `tasks` is used nowhere else in the function (so
/// changing what its elements are cannot be observed).
fn built_just_before<'t>(call: Node<'t>, name: Node<'t>, function: Node<'t>, source: &str) -> Option<Node<'t>> {
    let previous = previous_statement(enclosing_statement(call))?;
    let assignment = previous
        .named_child(0)
        .filter(|a| previous.kind() == "expression_statement" && a.kind() == "assignment")?;
    let left = assignment.child_by_field_name("left")?;
    let right = assignment.child_by_field_name("right")?;
    let spelled = text(name, source);
    let only_here = identifiers_named(function, source, spelled).len() == 2;
    (left.kind() == "identifier"
        && text(left, source) == spelled
        && matches!(right.kind(), "list_comprehension" | "generator_expression")
        && only_here)
        .then_some(right)
}

/// `out = []` followed by `for x in xs: out.append(await f(x))` whose
/// iterations are independent.
#[derive(Clone, Copy, Debug)]
pub struct AwaitLoop<'t> {
    pub function: Node<'t>,
    /// The `out = []` statement.
    pub init: Node<'t>,
    /// The `[]` (or `list()`) in it.
    pub empty: Node<'t>,
    pub for_statement: Node<'t>,
    /// The call awaited in `out.append(await call)`.
    pub call: Node<'t>,
}

/// The loop, when turning it into one gather cannot be told apart except by
/// timing, interleaving and exceptions (see `sequential-await-loop` docs): the
/// body is only the append, no `else`, the list is fresh, the awaited call
/// reads neither the list nor anything an earlier iteration wrote, and the loop
/// variables are not read after the loop (a comprehension does not leak them).
pub fn independent_await_loop<'t>(for_statement: Node<'t>, semantic: &Semantic, source: &str) -> Option<AwaitLoop<'t>> {
    let function = enclosing_function(for_statement).filter(|f| is_async_def(*f))?;
    let parts = append_loop(for_statement, source).filter(|parts| parts.condition.is_none())?;
    let (list, awaited) = (parts.list, parts.value);
    let call = awaited
        .named_child(0)
        .filter(|c| awaited.kind() == "await" && c.kind() == "call")?;
    let (name, empty) = fresh_empty_list(previous_statement(for_statement)?, semantic, source)?;
    let list_name = text(list, source);
    if text(name, source) != list_name {
        return None;
    }
    let (iterable, target) = (parts.iterable, parts.target);
    let independent = identifiers_named(call, source, list_name).is_empty()
        && identifiers_named(iterable, source, list_name).is_empty()
        && !contains_kind(call, &["await", "named_expression", "yield"]);
    let list_private = identifiers_named(function, source, list_name).iter().all(|use_| {
        !in_nested_scope(*use_, function)
            && use_
                .parent()
                .is_none_or(|p| !matches!(p.kind(), "global_statement" | "nonlocal_statement"))
    });
    let targets_local = loop_names(target, source)?.into_iter().all(|loop_name| {
        identifiers_named(function, source, loop_name)
            .into_iter()
            .all(|use_| is_within(use_, for_statement) || bound_by_comprehension(use_, loop_name, source))
    });
    (independent && list_private && targets_local).then_some(AwaitLoop {
        function,
        init: previous_statement(for_statement)?,
        empty,
        for_statement,
        call,
    })
}

fn is_within(node: Node, outer: Node) -> bool {
    outer.start_byte() <= node.start_byte() && node.end_byte() <= outer.end_byte()
}

/// The names a `for` target binds, when it is only names (not `self.x` or `a[i]`).
fn loop_names<'s>(target: Node, source: &'s str) -> Option<Vec<&'s str>> {
    let mut names = Vec::new();
    let mut plain = true;
    walk(target, |node| {
        match node.kind() {
            "identifier" => names.push(text(node, source)),
            "pattern_list" | "tuple_pattern" | "list_pattern" | "parenthesized_expression" => {}
            _ if !node.is_named() => {}
            _ => plain = false,
        }
        plain
    });
    plain.then_some(names)
}

/// Whether this use of `name` reads a comprehension's own variable (and not
/// the enclosing scope's: the first iterable is evaluated outside).
fn bound_by_comprehension(use_: Node, name: &str, source: &str) -> bool {
    ancestors(use_)
        .take_while(|n| !matches!(n.kind(), "function_definition" | "lambda" | "class_definition"))
        .filter(|n| {
            matches!(
                n.kind(),
                "list_comprehension" | "set_comprehension" | "dictionary_comprehension" | "generator_expression"
            )
        })
        .any(|comprehension| {
            let mut clauses = comprehension
                .named_children(&mut comprehension.walk())
                .collect::<Vec<_>>();
            clauses.retain(|c| c.kind() == "for_in_clause");
            let binds = clauses.iter().any(|clause| {
                clause
                    .child_by_field_name("left")
                    .is_some_and(|left| !identifiers_named(left, source, name).is_empty())
            });
            let in_outer_iterable = clauses
                .first()
                .and_then(|first| first.child_by_field_name("right"))
                .is_some_and(|right| is_within(use_, right));
            binds && !in_outer_iterable
        })
}

/// The helper a previous rewrite (or the author) put at the top of `function`:
/// `sem = asyncio.Semaphore(n)` then `async def wrapper(coro): async with sem:
/// return await coro`, both directly in the function body, with `sem` used
/// nowhere else and `wrapper` only called. Returns the wrapper's name and
/// where its definition ends (sites before it cannot use it).
pub fn existing_bounded_helper<'s>(function: Node, semantic: &Semantic, source: &'s str) -> Option<(&'s str, usize)> {
    let body = function.child_by_field_name("body")?;
    let mut cursor = body.walk();
    let found = body.named_children(&mut cursor).find_map(|def| {
        if !is_async_def(def) {
            return None;
        }
        let wrapper = text(def.child_by_field_name("name")?, source);
        let parameters = def.child_by_field_name("parameters")?;
        let [parameter] = parameters.named_children(&mut parameters.walk()).collect::<Vec<_>>()[..] else {
            return None;
        };
        let statement = single_statement(def)?;
        let semaphore = async_with_values(statement)?;
        let [semaphore] = semaphore[..] else {
            return None;
        };
        let inner = single_statement(statement)?;
        // `return await coro`: `returned` is the await, `awaited` its operand.
        let returned = inner.named_child(0).filter(|_| inner.kind() == "return_statement")?;
        let awaited = returned.named_child(0).filter(|_| returned.kind() == "await")?;
        let shape = parameter.kind() == "identifier"
            && text(awaited, source) == text(parameter, source)
            && semaphore.kind() == "identifier";
        let semaphore_name = text(semaphore, source);
        let made_here = body.named_children(&mut body.walk()).any(|s| {
            fresh_semaphore(s, semantic, source).is_some_and(|n| text(n, source) == semaphore_name)
                && s.end_byte() <= def.start_byte()
        });
        let private = identifiers_named(function, source, semaphore_name).len() == 2
            && identifiers_named(function, source, wrapper).iter().all(|use_| {
                use_.parent().is_some_and(|p| {
                    p == def || (p.kind() == "call" && p.child_by_field_name("function") == Some(*use_))
                })
            });
        (shape && made_here && private).then_some((wrapper, def.end_byte()))
    });
    found
}

/// `name = Semaphore(...)`: the name.
fn fresh_semaphore<'t>(statement: Node<'t>, semantic: &Semantic, source: &str) -> Option<Node<'t>> {
    let assignment = statement
        .named_child(0)
        .filter(|a| statement.kind() == "expression_statement" && a.kind() == "assignment")?;
    let value = assignment.child_by_field_name("right")?;
    if value.kind() != "call" || !is_semaphore(value, semantic, source) {
        return None;
    }
    assignment
        .child_by_field_name("left")
        .filter(|l| l.kind() == "identifier")
}

/// The only statement of a compound statement's body.
fn single_statement(compound: Node) -> Option<Node> {
    let body = compound.child_by_field_name("body")?;
    let statements: Vec<Node> = body
        .named_children(&mut body.walk())
        .filter(|n| n.kind() != "comment")
        .collect();
    match statements[..] {
        [only] => Some(only),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::python_parser;

    /// Parses `source` and hands `check` the semantic model and the smallest
    /// node spanning the last occurrence of `expr`.
    fn at<R>(source: &str, expr: &str, check: impl FnOnce(Node, &Semantic) -> R) -> R {
        let tree = python_parser().parse(source, None).unwrap();
        let semantic = Semantic::build(&tree, source);
        let start = source.rfind(expr).unwrap();
        let node = tree
            .root_node()
            .descendant_for_byte_range(start, start + expr.len())
            .unwrap();
        check(node, &semantic)
    }

    #[test]
    fn tells_coroutines_from_running_tasks() {
        let source = "import asyncio as aio\ndef plain(): pass\nasync def coro(): pass\n";
        let kind = |call: &str| {
            at(&format!("{source}{call}\n"), call, |n, s| {
                classify(n, s, &format!("{source}{call}\n"))
            })
        };
        assert_eq!(kind("coro(1)"), Awaitable::Coroutine);
        assert_eq!(kind("other.fetch(1)"), Awaitable::Coroutine);
        assert_eq!(kind("aio.create_task(coro())"), Awaitable::Scheduled);
        assert_eq!(kind("aio.ensure_future(coro())"), Awaitable::Scheduled);
        assert_eq!(kind("loop.run_in_executor(None, plain)"), Awaitable::Scheduled);
        assert_eq!(kind("plain()"), Awaitable::Unknown);
        assert_eq!(kind("pending"), Awaitable::Unknown);
    }

    #[test]
    fn recognises_semaphores_by_construction_binding_and_annotation() {
        let source = "from asyncio import Semaphore\nimport asyncio\n\
                      limit = Semaphore(3)\nlock = asyncio.Lock()\n\
                      class C:\n    def __init__(self):\n        self.sem = asyncio.BoundedSemaphore(2)\n\
                      def f(gate: asyncio.Semaphore):\n    pass\n";
        for (expr, expected) in [("limit", true), ("lock", false), ("self.sem", true), ("gate", true)] {
            let probe = format!("{source}{expr}\n");
            assert_eq!(at(&probe, expr, |n, s| is_semaphore(n, s, &probe)), expected, "{expr}");
        }
    }

    #[test]
    fn loop_variables_may_only_be_reused_by_comprehensions() {
        let looped = |after: &str| {
            let source = format!(
                "async def f(xs):\n    out = []\n    for x in xs:\n        out.append(await g(x))\n    {after}\n"
            );
            at(&source, "for x in xs", |n, s| {
                independent_await_loop(n, s, &source).is_some()
            })
        };
        assert!(looped("return out"));
        assert!(looped("return [x for x in out]"));
        assert!(!looped("return x"));
        assert!(!looped("return [y for y in range(x)]"));
        assert!(!looped("return [x for x in range(x)]"));
    }
}
