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
use super::analysis::{self, concurrency};
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
        "unbounded-coroutines?" => pass(concurrency::unbounded_site(node, ctx.semantic, ctx.source).is_some()),
        "independent-await-loop?" => {
            pass(concurrency::independent_await_loop(node, ctx.semantic, ctx.source).is_some())
        }
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
