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
use super::analysis;
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
    ("no-await?", Some(0)),
    ("not-decorated-with?", None),
    ("stringified?", Some(0)),
    ("cache-key?", Some(0)),
    ("queue-list?", Some(0)),
    ("comprehension-loop?", Some(0)),
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
        // `await` or `async for` would turn a comprehension into an async one.
        "no-await?" => pass(!analysis::contains_kind(node, &["await", "async"])),
        "not-decorated-with?" => pass(!decorated_with(node, &strings, ctx)),
        "stringified?" => pass(is_stringified(node, ctx)),
        "cache-key?" => pass(is_cache_key(node, ctx.source, ctx.semantic)),
        "queue-list?" => pass(analysis::queue_list(node, ctx.source, ctx.semantic).is_some()),
        "comprehension-loop?" => pass(is_comprehension_loop(node, ctx)),
        _ => Verdict::Skip,
    }
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

/// The `logging` module itself, or a name bound from `logging.getLogger(...)`
/// or conventionally named `logger`/`log` (also as `self.logger`).
fn is_logger(node: Node, ctx: &GuardContext) -> bool {
    if ctx.semantic.resolve(node, ctx.source).as_deref() == Some("logging") {
        return true;
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
    if analysis::fresh_empty_list_before(node, source, list).is_none() {
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
