//! Shared template filters: conversions a template applies to a capture when
//! plain text substitution is not enough, general enough for any codemod. A
//! filter only one codemod can use lives in its `codemods/<id>/rule.rs`. A
//! filter that cannot convert its input exactly returns `None`, and the
//! rewrite is skipped.
use super::context::Rendered;
use super::registry::Filter;
use super::semantic::text;
use tree_sitter::Node;

/// The shared filters.
pub static SHARED: &[Filter] = &[
    Filter {
        name: "as-set",
        doc: "a non-empty list display as a set display: `[1, 2]` -> `{1, 2}`",
        apply: |nodes, _, ctx| Some(Rendered::text(as_set(*nodes.first()?, ctx.source)?)),
    },
    Filter {
        name: "without-keyword",
        doc: "an argument list without the keyword argument named by the filter's argument (`|without-keyword:reverse`); comments between the arguments move above the statement",
        apply: |nodes, arg, ctx| Some(Rendered::text(without_keyword(*nodes.first()?, ctx.source, arg?)?)),
    },
    Filter {
        name: "generator-argument",
        doc: "an argument list whose first argument is a list comprehension, with the comprehension made a generator: `([x for x in xs])` -> `(x for x in xs)`",
        apply: |nodes, _, ctx| Some(Rendered::text(generator_argument(*nodes.first()?, ctx.source)?)),
    },
    Filter {
        name: "trailing-arguments",
        doc: "the arguments of a call passed on after a callable: `(a, b=1)` -> `, a, b=1`, `()` -> nothing",
        apply: |nodes, _, ctx| Some(Rendered::text(trailing_arguments(*nodes.first()?, ctx.source)?)),
    },
    Filter {
        name: "parenthesized",
        doc: "the expression in parentheses unless it is a primary (name, call, attribute, subscript, literal, display) that binds tighter than anything around it",
        apply: |nodes, _, ctx| Some(Rendered::text(parenthesized(*nodes.first()?, ctx.source))),
    },
];

/// `[1, 2]` -> `{1, 2}`, keeping everything between the brackets.
fn as_set(list: Node, source: &str) -> Option<String> {
    let body = text(list, source);
    let inner = body.strip_prefix('[')?.strip_suffix(']')?;
    (list.named_child_count() > 0).then(|| format!("{{{inner}}}"))
}

/// `(x, key=k, reverse=True)` without `name=...`: `(x, key=k)`. Comments
/// between the arguments are left out (a `# ...` before the closing parenthesis
/// would swallow it); the engine moves them above the statement.
fn without_keyword(arguments: Node, source: &str, name: &str) -> Option<String> {
    let mut cursor = arguments.walk();
    let kept: Vec<&str> = arguments
        .named_children(&mut cursor)
        .filter(|arg| {
            arg.kind() != "comment"
                && !(arg.kind() == "keyword_argument"
                    && arg.child_by_field_name("name").is_some_and(|n| text(n, source) == name))
        })
        .map(|arg| text(arg, source))
        .collect();
    Some(format!("({})", kept.join(", ")))
}

/// An argument list whose first argument is a list comprehension, with the
/// comprehension made a generator: `([x for x in xs])` -> `(x for x in xs)`, and
/// `([x for x in xs], 0)` -> `((x for x in xs), 0)` (a generator that is not the
/// only argument needs its own parentheses, a trailing comma included).
fn generator_argument(arguments: Node, source: &str) -> Option<String> {
    let mut cursor = arguments.walk();
    let comprehension = arguments
        .named_children(&mut cursor)
        .find(|c| c.kind() != "comment")
        .filter(|c| c.kind() == "list_comprehension")?;
    let body = text(comprehension, source);
    let inner = body.strip_prefix('[')?.strip_suffix(']')?;
    let (start, end) = (comprehension.start_byte(), comprehension.end_byte());
    let before = &source[arguments.start_byte()..start];
    let after = &source[end..arguments.end_byte()];
    let sole = before.trim() == "(" && after.trim() == ")";
    let generator = if sole { inner.to_string() } else { format!("({inner})") };
    Some(format!("{before}{generator}{after}"))
}

/// `(a, b=1)` -> `, a, b=1` and `()` -> ``: the arguments of a call passed on
/// after the callable, as `asyncio.to_thread(f, a, b=1)` takes them.
fn trailing_arguments(arguments: Node, source: &str) -> Option<String> {
    let body = text(arguments, source);
    let inner = body.strip_prefix('(')?.strip_suffix(')')?;
    if arguments.named_child_count() == 0 {
        return inner.trim().is_empty().then(String::new);
    }
    // Arguments on lines of their own stay there.
    if inner.starts_with(['\r', '\n']) {
        return Some(format!(",{inner}"));
    }
    Some(format!(", {}", inner.trim_start()))
}

/// The expression in parentheses unless it is already a primary (a name, call,
/// attribute, subscript, literal or bracketed display) that binds tighter than
/// anything placed around it.
fn parenthesized(expression: Node, source: &str) -> String {
    let body = text(expression, source);
    match expression.kind() {
        "identifier"
        | "call"
        | "attribute"
        | "subscript"
        | "string"
        | "parenthesized_expression"
        | "list"
        | "dictionary"
        | "set"
        | "tuple" => body.to_string(),
        _ => format!("({body})"),
    }
}
