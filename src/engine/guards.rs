//! Guards: the semantic checks a tree-sitter query cannot express, written as
//! custom predicates inside the query, e.g.
//!
//! ```scheme
//! ((call function: (_) @callee) @match
//!  (#qualname? @callee "time.sleep")
//!  (#in-async-function? @match))
//! ```
//!
//! Each guard either passes, skips the match, or lets it through but marks the
//! rewrite unsafe (it cannot prove behaviour is kept). Guards live here, shared,
//! so no codemod re-implements an analysis another one already has.
use super::analysis::{self, concurrency, ExceptionObserver};
use super::fixers::{dataclass_slots, lru_ordered_dict};
use super::semantic::{self, text, Semantic};
use std::collections::HashMap;
use tree_sitter::{Node, QueryPredicate, QueryPredicateArg};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    Pass,
    /// Matches, but the rewrite may change behaviour: only with `--unsafe`.
    Unsafe,
    Skip,
}

/// Guard name, and how many string arguments it takes after its capture
/// (`None`: one or more).
const GUARDS: &[(&str, Option<usize>)] = &[
    ("qualname?", None),
    ("in-async-function?", Some(0)),
    ("not-in-async-function?", Some(0)),
    ("hashable-literals?", Some(0)),
    ("hashable?", Some(0)),
    ("logger?", Some(0)),
    ("no-keyword?", None),
    ("positional-count?", Some(1)),
    ("unbounded-coroutines?", Some(0)),
    ("independent-await-loop?", Some(0)),
    ("cpu-bound-pool?", Some(0)),
    ("lru-list-class?", Some(0)),
    ("dataclass-slots?", Some(0)),
    ("no-splat?", Some(0)),
    ("loop-iterable?", Some(0)),
    ("iterated-alone?", Some(0)),
    ("handlers-agree?", None),
    ("no-await?", Some(0)),
    ("not-decorated-with?", None),
    ("stringified?", Some(0)),
    ("cache-key?", Some(0)),
    ("queue-list?", Some(0)),
    ("comprehension-loop?", Some(0)),
    ("in-annotation?", Some(0)),
    ("typing-builtin-alias?", Some(0)),
    ("union-convertible?", Some(0)),
    ("fresh-accumulator?", Some(1)),
    ("duration-start?", Some(0)),
    ("sqlalchemy-session?", Some(0)),
    ("gathers-shared-session?", Some(0)),
    ("varies-in-loop?", Some(0)),
    ("sync-wrapping-decorator?", Some(0)),
];

/// Guards whose verdict on a prefilter fragment (some top-level statements and
/// every import) is never stricter than on the whole file: they look only at
/// the match and its ancestors, or (`qualname?`) can only resolve more names
/// when other statements are missing. Any other guard passes on a fragment.
const EXACT_ON_FRAGMENT: &[&str] = &[
    "qualname?",
    "in-async-function?",
    "not-in-async-function?",
    "hashable-literals?",
    "hashable?",
    "no-keyword?",
    "positional-count?",
    "no-splat?",
    "loop-iterable?",
    "iterated-alone?",
    "no-await?",
    "stringified?",
    "cache-key?",
];

pub fn exact_on_fragment(predicate: &QueryPredicate) -> bool {
    EXACT_ON_FRAGMENT.contains(&&*predicate.operator)
}

/// Load-time check: a known guard whose first argument is a capture of this query.
pub fn validate(predicate: &QueryPredicate, captures: &[&str]) -> Result<(), String> {
    let name = &*predicate.operator;
    let Some((_, arity)) = GUARDS.iter().find(|(g, _)| *g == name) else {
        let known: Vec<&str> = GUARDS.iter().map(|(g, _)| *g).collect();
        return Err(format!("unknown guard `#{name}` (known: {})", known.join(", ")));
    };
    match predicate.args.first() {
        Some(QueryPredicateArg::Capture(index)) if (*index as usize) < captures.len() => {}
        _ => return Err(format!("`#{name}` takes a capture as its first argument")),
    }
    let strings = predicate.args.len() - 1;
    let ok = match arity {
        Some(n) => strings == *n,
        None => strings >= 1,
    };
    if !ok
        || predicate.args[1..]
            .iter()
            .any(|a| matches!(a, QueryPredicateArg::Capture(_)))
    {
        return Err(format!("`#{name}` has the wrong arguments"));
    }
    Ok(())
}

/// What a guard sees of one match.
pub struct GuardContext<'a, 't> {
    pub source: &'a str,
    pub semantic: &'a Semantic,
    pub captures: &'a HashMap<&'a str, Vec<Node<'t>>>,
    /// The codemod options (`concurrency-limit`, ...).
    pub options: &'a HashMap<String, String>,
}

/// Evaluates one guard predicate on the node its capture names.
pub fn check(predicate: &QueryPredicate, capture_names: &[&str], ctx: &GuardContext) -> Verdict {
    let QueryPredicateArg::Capture(index) = predicate.args[0] else {
        return Verdict::Skip;
    };
    let Some(node) = ctx
        .captures
        .get(capture_names[index as usize])
        .and_then(|n| n.first().copied())
    else {
        // An optional capture that did not match: nothing to check.
        return Verdict::Pass;
    };
    let strings: Vec<&str> = predicate.args[1..]
        .iter()
        .filter_map(|a| match a {
            QueryPredicateArg::String(s) => Some(&**s),
            QueryPredicateArg::Capture(_) => None,
        })
        .collect();
    let pass = |ok: bool| if ok { Verdict::Pass } else { Verdict::Skip };
    match &*predicate.operator {
        "qualname?" => pass(
            ctx.semantic
                .resolve(node, ctx.source)
                .is_some_and(|q| strings.contains(&q.as_str())),
        ),
        "in-async-function?" => pass(semantic::in_async_function(node)),
        "not-in-async-function?" => pass(!semantic::in_async_function(node)),
        "hashable-literals?" => {
            pass(node.named_child_count() > 0 && all_named_children(node, |c| is_hashable_literal(c, ctx.source)))
        }
        "hashable?" => {
            if is_hashable_literal(node, ctx.source) {
                Verdict::Pass
            } else {
                Verdict::Unsafe
            }
        }
        "logger?" => pass(is_logger(node, ctx)),
        "no-keyword?" => pass(all_named_children(node, |arg| {
            arg.kind() != "keyword_argument"
                || !arg
                    .child_by_field_name("name")
                    .is_some_and(|n| strings.contains(&text(n, ctx.source)))
        })),
        "positional-count?" => {
            let wanted: usize = strings[0].parse().unwrap_or(usize::MAX);
            let mut cursor = node.walk();
            let args: Vec<Node> = node
                .named_children(&mut cursor)
                .filter(|a| a.kind() != "comment")
                .collect();
            let positional = args
                .iter()
                .filter(|a| !matches!(a.kind(), "keyword_argument" | "dictionary_splat"))
                .count();
            pass(positional == wanted && !args.iter().any(|a| a.kind() == "list_splat"))
        }
        "unbounded-coroutines?" => pass(
            concurrency::unbounded_site(
                node,
                ctx.semantic,
                ctx.source,
                concurrency::concurrency_limit(ctx.options),
            )
            .is_some(),
        ),
        "independent-await-loop?" => {
            pass(concurrency::independent_await_loop(node, ctx.semantic, ctx.source).is_some())
        }
        "cpu-bound-pool?" => pass(is_cpu_bound_pool(node, ctx)),
        "lru-list-class?" => {
            let root = root_of(node);
            match lru_ordered_dict::plan(node, root, ctx.source, ctx.semantic) {
                Some(plan) if plan.safe => Verdict::Pass,
                Some(_) => Verdict::Unsafe,
                None => Verdict::Skip,
            }
        }
        "dataclass-slots?" => pass(dataclass_slots::plan(node, root_of(node), ctx.source, ctx.semantic).is_some()),
        "no-splat?" => pass(all_named_children(node, |arg| {
            !matches!(arg.kind(), "list_splat" | "dictionary_splat")
        })),
        "loop-iterable?" => pass(analysis::loop_over(node).is_some()),
        "iterated-alone?" => iterated_alone(node, ctx.source),
        "handlers-agree?" => handlers_agree(node, &strings, ctx),
        // `await` or `async for` would turn a comprehension into an async one.
        "no-await?" => pass(!analysis::contains_kind(node, &["await", "async"])),
        "not-decorated-with?" => pass(!decorated_with(node, &strings, ctx)),
        "stringified?" => pass(is_stringified(node, ctx)),
        "cache-key?" => pass(is_cache_key(node, ctx.source, ctx.semantic)),
        "queue-list?" => pass(analysis::queue_list(node, ctx.source, ctx.semantic).is_some()),
        "comprehension-loop?" => pass(is_comprehension_loop(node, ctx)),
        "in-annotation?" => pass(analysis::in_annotation(node)),
        "typing-builtin-alias?" => pass(analysis::builtin_for_typing_alias(node, ctx.source, ctx.semantic).is_some()),
        "union-convertible?" => pass(analysis::union_operands_ok(&analysis::generic_members(node))),
        "fresh-accumulator?" => pass(
            analysis::fresh_accumulator(node, ctx.source)
                .is_some_and(|acc| is_empty_literal(acc.value, ctx.source, strings[0])),
        ),
        "duration-start?" => pass(analysis::duration_clocks(node, ctx.source, ctx.semantic).is_some()),
        "sqlalchemy-session?" => pass(analysis::is_sqlalchemy_session(node, ctx.source, ctx.semantic)),
        "gathers-shared-session?" => pass(gathers_shared_session(node, ctx)),
        "varies-in-loop?" => pass(analysis::loop_varying(node, ctx.source).is_some()),
        "sync-wrapping-decorator?" => pass(analysis::is_sync_wrapping_decorator(node, ctx.source)),
        _ => Verdict::Skip,
    }
}

fn root_of(node: Node) -> Node {
    let mut root = node;
    while let Some(parent) = root.parent() {
        root = parent;
    }
    root
}

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
    let root = root_of(call);
    let scope = semantic::enclosing_function(call).unwrap_or(root);
    let mut submissions = 0;
    for used in analysis::identifiers_named(scope, source, text(alias, source)) {
        if used == alias {
            continue;
        }
        let Some(worker) = submitted_worker(used, body, source) else {
            return false;
        };
        if !analysis::is_pure_function(root, source, ctx.semantic, text(worker, source)) {
            return false;
        }
        submissions += 1;
    }
    submissions > 0 && !runs_at_import(with_statement, root, source)
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

/// For an iterable about to be replaced by its receiver (`f.readlines()` ->
/// `f`, so the loop consumes `f` lazily instead of a list read up front): the
/// loop must not touch the receiver meanwhile. Unsafe when its body names
/// anything the receiver is made of (it might read, seek, write or close it),
/// when the body can suspend (`yield`, `await`: other code then runs mid-loop),
/// and for generator expressions, which iterate after their creation, perhaps
/// after the file is closed. Skips `async for`, which a list cannot feed.
fn iterated_alone(iterable: Node, source: &str) -> Verdict {
    let Some(looping) = analysis::loop_over(iterable) else {
        return Verdict::Skip;
    };
    if looping.child(0).is_some_and(|c| c.kind() == "async") {
        return Verdict::Skip;
    }
    if looping.kind() == "generator_expression" {
        return Verdict::Unsafe;
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
    if touched || analysis::contains_kind(scope, &["yield", "await"]) {
        Verdict::Unsafe
    } else {
        Verdict::Pass
    }
}

/// Builtin exceptions and their base class, for the exceptions guards reason
/// about (each one's chain up to `BaseException` is complete).
const EXCEPTION_BASES: &[(&str, &str)] = &[
    ("Exception", "BaseException"),
    ("LookupError", "Exception"),
    ("IndexError", "LookupError"),
    ("KeyError", "LookupError"),
    ("ValueError", "Exception"),
    ("TypeError", "Exception"),
    ("StopIteration", "Exception"),
];

/// `exception` and its builtin base classes, or `None` if it is not in the table.
fn exception_lineage(exception: &str) -> Option<Vec<&str>> {
    let mut lineage = vec![exception];
    let mut current = exception;
    while current != "BaseException" {
        current = EXCEPTION_BASES.iter().find(|(e, _)| *e == current)?.1;
        lineage.push(current);
    }
    Some(lineage)
}

/// For a rewrite that raises one builtin exception where the original raised
/// another (`IndexError` -> `ValueError` on empty input): nothing between the
/// match and its function's boundary may tell them apart. Unsafe when a `try`
/// would send them to different `except` clauses (or catch one only), when a
/// `contextlib.suppress` swallows one only, when any other context manager is
/// around (its `__exit__` sees the type), or when a handler's type cannot be
/// resolved to a builtin. Exceptions escaping the function are not followed.
fn handlers_agree(node: Node, raised: &[&str], ctx: &GuardContext) -> Verdict {
    let Some(lineages) = raised.iter().map(|e| exception_lineage(e)).collect::<Option<Vec<_>>>() else {
        return Verdict::Unsafe;
    };
    // Which of `types` catch each raised exception; `None` if one is unknown.
    let catchers = |types: &[Node]| -> Option<Vec<bool>> {
        let mut flat = Vec::new();
        for node in types {
            let node = match node.kind() {
                "as_pattern" => node.named_child(0)?,
                _ => *node,
            };
            match node.kind() {
                "tuple" | "parenthesized_expression" => {
                    flat.extend(node.named_children(&mut node.walk()).filter(|c| c.kind() != "comment"))
                }
                _ => flat.push(node),
            }
        }
        let names: Vec<String> = flat
            .iter()
            .map(|t| {
                ctx.semantic
                    .resolve(*t, ctx.source)?
                    .strip_prefix("builtins.")
                    .map(String::from)
            })
            .collect::<Option<_>>()?;
        Some(
            lineages
                .iter()
                .map(|lineage| names.iter().any(|n| lineage.contains(&n.as_str())))
                .collect(),
        )
    };
    let all_same = |v: &[Option<usize>]| v.windows(2).all(|w| w[0] == w[1]);
    for observer in analysis::exception_observers(node) {
        let agree = match observer {
            ExceptionObserver::Try(clauses) => {
                let mut first_catcher = vec![None; raised.len()];
                let mut known = true;
                for (index, types) in clauses.iter().enumerate() {
                    let Some(catches) = (if types.is_empty() {
                        Some(vec![true; raised.len()])
                    } else {
                        catchers(types)
                    }) else {
                        known = false;
                        break;
                    };
                    for (slot, caught) in first_catcher.iter_mut().zip(catches) {
                        if caught && slot.is_none() {
                            *slot = Some(index);
                        }
                    }
                }
                known && all_same(&first_catcher)
            }
            ExceptionObserver::With(manager) => {
                let callee = (manager.kind() == "call")
                    .then(|| manager.child_by_field_name("function"))
                    .flatten()
                    .and_then(|f| ctx.semantic.resolve(f, ctx.source));
                match callee.as_deref() {
                    Some("builtins.open") => true,
                    Some("contextlib.suppress") => manager
                        .child_by_field_name("arguments")
                        .map(|args| args.named_children(&mut args.walk()).collect::<Vec<_>>())
                        .and_then(|types| catchers(&types))
                        .is_some_and(|caught| caught.iter().all(|c| *c == caught[0])),
                    _ => false,
                }
            }
        };
        if !agree {
            return Verdict::Unsafe;
        }
    }
    Verdict::Pass
}

/// `""` (any quotes and `b`/`r` prefixes, no f-string) for `"str"`; `[]` for `"list"`.
fn is_empty_literal(value: Node, source: &str, kind: &str) -> bool {
    match kind {
        "str" => {
            value.kind() == "string"
                && value.named_child_count() == 2
                && value
                    .child(0)
                    .is_some_and(|start| !text(start, source).to_ascii_lowercase().contains(['f', 't']))
        }
        "list" => value.kind() == "list" && value.named_child_count() == 0,
        _ => false,
    }
}

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

fn all_named_children(node: Node, predicate: impl Fn(Node) -> bool) -> bool {
    let mut cursor = node.walk();
    let all = node
        .named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .all(predicate);
    all
}

/// Literals whose hash is defined: numbers, plain strings, constants, and tuples of those.
fn is_hashable_literal(node: Node, source: &str) -> bool {
    match node.kind() {
        "integer" | "float" | "true" | "false" | "none" => true,
        "string" => {
            !text(node, source).starts_with(['f', 'F'])
                && node
                    .named_children(&mut node.walk())
                    .all(|c| c.kind() != "interpolation")
        }
        "concatenated_string" => all_named_children(node, |c| is_hashable_literal(c, source)),
        "unary_operator" => node
            .child_by_field_name("argument")
            .is_some_and(|a| matches!(a.kind(), "integer" | "float")),
        "tuple" | "parenthesized_expression" => all_named_children(node, |c| is_hashable_literal(c, source)),
        _ => false,
    }
}

/// The `logging` module itself, a `logging.getLogger(...)` call, a name bound
/// from `getLogger(...)` or conventionally named `logger`/`log` (also as
/// `self.logger`).
fn is_logger(node: Node, ctx: &GuardContext) -> bool {
    if ctx.semantic.resolve(node, ctx.source).as_deref() == Some("logging") {
        return true;
    }
    if node.kind() == "call" {
        return node
            .child_by_field_name("function")
            .and_then(|f| ctx.semantic.resolve(f, ctx.source))
            .is_some_and(|q| q == "logging.getLogger");
    }
    let name = match node.kind() {
        "identifier" => text(node, ctx.source),
        "attribute"
            if node
                .child_by_field_name("object")
                .is_some_and(|o| text(o, ctx.source) == "self") =>
        {
            node.child_by_field_name("attribute")
                .map_or("", |a| text(a, ctx.source))
        }
        _ => return false,
    };
    let lower = name.trim_start_matches('_').to_ascii_lowercase();
    matches!(lower.as_str(), "logger" | "log" | "_log" | "_logger") || ctx.semantic.loggers.contains(name)
}

/// Whether the definition `node` is (or sits in) has a decorator resolving to
/// one of `qualnames` (`@staticmethod`, `@functools.wraps(f)`...).
fn decorated_with(node: Node, qualnames: &[&str], ctx: &GuardContext) -> bool {
    let mut current = Some(node);
    while let Some(n) = current.filter(|n| n.kind() != "decorated_definition") {
        current = n.parent();
    }
    let Some(definition) = current else {
        return false;
    };
    let mut cursor = definition.walk();
    let found = definition
        .named_children(&mut cursor)
        .filter(|d| d.kind() == "decorator")
        .filter_map(|d| d.named_child(0))
        .map(|e| match e.kind() {
            "call" => e.child_by_field_name("function").unwrap_or(e),
            _ => e,
        })
        .any(|e| {
            ctx.semantic
                .resolve(e, ctx.source)
                .is_some_and(|q| qualnames.contains(&q.as_str()))
        });
    found
}

/// A string built from the text of values: `str(x)`, `repr(x)`, an f-string with
/// replacement fields, or `+` of such pieces and string literals.
fn is_stringified(node: Node, ctx: &GuardContext) -> bool {
    let mut pending = vec![node];
    let mut has_value = false;
    while let Some(n) = pending.pop() {
        match n.kind() {
            "parenthesized_expression" => pending.extend(n.named_child(0)),
            "binary_operator" => {
                if n.child_by_field_name("operator").map(|o| text(o, ctx.source)) != Some("+") {
                    return false;
                }
                pending.extend(n.child_by_field_name("left"));
                pending.extend(n.child_by_field_name("right"));
            }
            "string" => {
                let mut cursor = n.walk();
                has_value |= n.named_children(&mut cursor).any(|c| c.kind() == "interpolation");
            }
            "call" => {
                let is_text_of = n
                    .child_by_field_name("function")
                    .and_then(|f| ctx.semantic.resolve(f, ctx.source))
                    .is_some_and(|q| q == "builtins.str" || q == "builtins.repr");
                if !is_text_of {
                    return false;
                }
                has_value = true;
            }
            _ => return false,
        }
    }
    has_value
}

/// Whether the value of `expression` ends up in a cache key: assigned (possibly
/// inside an f-string, `str()` or string `+`) to a name or attribute with `key`
/// in it, used as an index into something named `*cache*`/`*memo*`, or passed to
/// a method of something named `*cache*`. Arithmetic on the hash (`% shards`)
/// is not a key: it needs the `int`.
fn is_cache_key(expression: Node, source: &str, semantic: &Semantic) -> bool {
    let lower = |n: Node| text(n, source).to_ascii_lowercase();
    let names_key = |n: Node| {
        let name = match n.kind() {
            "attribute" => n.child_by_field_name("attribute").map_or(String::new(), lower),
            _ => lower(n),
        };
        name.contains("key")
    };
    // Whether the value has been turned into text yet (`str()`, an f-string).
    let mut is_text = false;
    let mut current = expression;
    while let Some(parent) = current.parent() {
        match parent.kind() {
            "interpolation" | "string" | "concatenated_string" => is_text = true,
            "parenthesized_expression" => {}
            "binary_operator" if is_text => {
                if parent.child_by_field_name("operator").map(|o| text(o, source)) != Some("+") {
                    return false;
                }
            }
            "argument_list" => {
                let function = parent.parent().and_then(|c| c.child_by_field_name("function"));
                let receiver = function
                    .filter(|f| f.kind() == "attribute")
                    .and_then(|f| f.child_by_field_name("object"));
                if receiver.is_some_and(|r| lower(r).contains("cache")) {
                    return true;
                }
                // `str(hash(...))` goes on as text; other calls consume the value.
                let is_str = function
                    .and_then(|f| semantic.resolve(f, source))
                    .is_some_and(|q| q == "builtins.str");
                if !is_str {
                    return false;
                }
                is_text = true;
            }
            "call" => {}
            "subscript" => {
                return parent
                    .child_by_field_name("value")
                    .is_some_and(|v| v != current && (lower(v).contains("cache") || lower(v).contains("memo")))
            }
            "assignment" => {
                return parent.child_by_field_name("right") == Some(current)
                    && parent.child_by_field_name("left").is_some_and(names_key)
            }
            _ => return false,
        }
        current = parent;
    }
    false
}

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

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `guard` on the first node spelled `target` (the outermost such node).
    fn verdict(source: &str, target: &str, guard: impl Fn(Node, &GuardContext) -> Verdict) -> Verdict {
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&tree_sitter_python::LANGUAGE.into()).unwrap();
        let tree = parser.parse(source, None).unwrap();
        let semantic = Semantic::build(&tree, source);
        let at = source.find(target).unwrap();
        let mut node = tree
            .root_node()
            .descendant_for_byte_range(at, at + target.len())
            .unwrap();
        while let Some(parent) = node.parent().filter(|p| p.byte_range() == (at..at + target.len())) {
            node = parent;
        }
        let captures = HashMap::new();
        let options = HashMap::new();
        let ctx = GuardContext {
            source,
            semantic: &semantic,
            captures: &captures,
            options: &options,
        };
        guard(node, &ctx)
    }

    fn agree(source: &str) -> Verdict {
        verdict(source, "sorted(x)[0]", |n, ctx| {
            handlers_agree(n, &["IndexError", "ValueError"], ctx)
        })
    }

    #[test]
    fn handlers_that_catch_both_exceptions_alike_agree() {
        assert_eq!(agree("y = sorted(x)[0]\n"), Verdict::Pass);
        assert_eq!(
            agree("try:\n    y = sorted(x)[0]\nexcept Exception:\n    pass\n"),
            Verdict::Pass
        );
        assert_eq!(agree("try:\n    y = sorted(x)[0]\nexcept:\n    pass\n"), Verdict::Pass);
        assert_eq!(
            agree("try:\n    y = sorted(x)[0]\nexcept (KeyError, OSError) as e:\n    pass\n"),
            Verdict::Pass
        );
        assert_eq!(agree("with open(p) as f:\n    y = sorted(x)[0]\n"), Verdict::Pass);
        // The handler is outside the function: not followed.
        assert_eq!(
            agree("try:\n    def f():\n        return sorted(x)[0]\nexcept IndexError:\n    pass\n"),
            Verdict::Pass
        );
        // Only the try body is guarded by its handlers.
        assert_eq!(
            agree("try:\n    pass\nexcept IndexError:\n    y = sorted(x)[0]\n"),
            Verdict::Pass
        );
    }

    #[test]
    fn handlers_that_tell_the_exceptions_apart_make_it_unsafe() {
        assert_eq!(
            agree("try:\n    y = sorted(x)[0]\nexcept IndexError:\n    pass\n"),
            Verdict::Unsafe
        );
        assert_eq!(
            agree("try:\n    y = sorted(x)[0]\nexcept LookupError:\n    pass\n"),
            Verdict::Unsafe
        );
        assert_eq!(
            agree("try:\n    y = sorted(x)[0]\nexcept ValueError:\n    pass\n"),
            Verdict::Unsafe
        );
        assert_eq!(
            agree("try:\n    y = sorted(x)[0]\nexcept ValueError:\n    a()\nexcept IndexError:\n    b()\n"),
            Verdict::Unsafe
        );
        assert_eq!(
            agree("E = IndexError\ntry:\n    y = sorted(x)[0]\nexcept E:\n    pass\n"),
            Verdict::Unsafe
        );
        assert_eq!(
            agree("from contextlib import suppress\nwith suppress(IndexError):\n    y = sorted(x)[0]\n"),
            Verdict::Unsafe
        );
        assert_eq!(
            agree("import pytest\nwith pytest.raises(IndexError):\n    sorted(x)[0]\n"),
            Verdict::Unsafe
        );
    }

    fn alone(source: &str) -> Verdict {
        verdict(source, "f.readlines()", |n, ctx| iterated_alone(n, ctx.source))
    }

    #[test]
    fn loops_that_leave_the_file_alone_pass() {
        assert_eq!(alone("for line in f.readlines():\n    print(line)\n"), Verdict::Pass);
        assert_eq!(alone("for line in (f.readlines()):\n    print(line)\n"), Verdict::Pass);
        assert_eq!(alone("xs = [l for l in f.readlines() if l]\n"), Verdict::Pass);
    }

    #[test]
    fn loops_that_touch_the_file_or_suspend_are_unsafe() {
        assert_eq!(alone("for line in f.readlines():\n    f.readline()\n"), Verdict::Unsafe);
        assert_eq!(alone("xs = [f.tell() for l in f.readlines()]\n"), Verdict::Unsafe);
        assert_eq!(
            alone("def g():\n    for line in f.readlines():\n        yield line\n"),
            Verdict::Unsafe
        );
        assert_eq!(alone("xs = (l for l in f.readlines())\n"), Verdict::Unsafe);
    }

    #[test]
    fn readlines_outside_a_loop_or_in_async_for_is_skipped() {
        assert_eq!(alone("lines = f.readlines()\n"), Verdict::Skip);
        assert_eq!(alone("print(len(f.readlines()))\n"), Verdict::Skip);
        assert_eq!(
            alone("async def g():\n    async for l in f.readlines():\n        pass\n"),
            Verdict::Skip
        );
    }
}
