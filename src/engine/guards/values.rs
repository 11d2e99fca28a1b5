//! Guards over single values and calls: literals, loggers, cache keys,
//! decorators, shared sessions.
use super::*;

/// `""` (any quotes and `b`/`r` prefixes, no f-string) for `"str"`; `[]` for `"list"`.
pub(super) fn is_empty_literal(value: Node, source: &str, kind: &str) -> bool {
    match kind {
        // "str": `""` or `b""`; "text" and "bytes" tell them apart (`+=` on a
        // str is extended in place by CPython, on bytes it copies).
        "str" | "text" | "bytes" => {
            let prefix = value.child(0).map(|start| text(start, source).to_ascii_lowercase());
            let is_bytes = prefix.as_ref().is_some_and(|p| p.contains('b'));
            value.kind() == "string"
                && value.named_child_count() == 2
                && prefix.is_some_and(|p| !p.contains(['f', 't']))
                && match kind {
                    "text" => !is_bytes,
                    "bytes" => is_bytes,
                    _ => true,
                }
        }
        "list" => value.kind() == "list" && value.named_child_count() == 0,
        _ => false,
    }
}

/// Every coroutine `gather` runs receives the same SQLAlchemy session as an
/// argument.
pub(super) fn gathers_shared_session(gather: Node, ctx: &GuardContext) -> bool {
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
pub(super) fn is_comprehension_element(call: Node) -> bool {
    call.parent()
        .is_some_and(|p| matches!(p.kind(), "list_comprehension" | "generator_expression"))
}

/// Literals whose hash is defined: numbers, plain strings, constants, and tuples of those.
pub(super) fn is_hashable_literal(node: Node, source: &str) -> bool {
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

/// Passes a receiver shown to be a standard-library logger; marks one that
/// only looks like a logger unsafe (see [`receivers::logger_proof`]).
pub(super) fn logger_verdict(node: Node, ctx: &GuardContext) -> Verdict {
    match receivers::logger_proof(node, ctx.source, ctx.semantic) {
        receivers::LoggerProof::Logger => Verdict::Pass,
        receivers::LoggerProof::NotShown(reason) => Verdict::Unsafe(reason),
        receivers::LoggerProof::NotALogger => Verdict::Skip,
    }
}

/// Passes a receiver shown to be a real `dict`; marks any other unsafe;
/// skips `self` in a class with its own `keys`/`__iter__`/`__contains__`,
/// where dropping `.keys()` calls the class's own protocol (from
/// `__contains__`, endless recursion): no advice fits there.
pub(super) fn dict_receiver_verdict(node: Node, ctx: &GuardContext) -> Verdict {
    if receivers::is_self_in_mapping_class(node, ctx.source, ctx.semantic) {
        return Verdict::Skip;
    }
    match receivers::dict_proof(node, ctx.source, ctx.semantic) {
        receivers::Proof::Shown => Verdict::Pass,
        receivers::Proof::NotShown(reason) => Verdict::Unsafe(reason),
    }
}

/// Whether the definition `node` is (or sits in) has a decorator resolving to
/// one of `qualnames` (`@staticmethod`, `@functools.wraps(f)`...).
pub(super) fn decorated_with(node: Node, qualnames: &[&str], ctx: &GuardContext) -> bool {
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
pub(super) fn is_stringified(node: Node, ctx: &GuardContext) -> bool {
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
pub(super) fn is_cache_key(expression: Node, source: &str, semantic: &Semantic) -> bool {
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
