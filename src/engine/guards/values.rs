//! Checks of single values and definitions that guards share: accumulator
//! and hashable literals, decorators.
use super::all_named_children;
use crate::engine::analysis::receivers;
use crate::engine::context::{GuardContext, Verdict};
use crate::engine::semantic::text;
use tree_sitter::Node;

/// The kind of string an accumulator starts from, `"text"` (a str) or
/// `"bytes"`: `""` with any quotes and prefix but `f`/`t`, or a non-empty
/// literal with no prefix, `b` or `f` (no t-string, which is no str),
/// written right after `= ` or `=` as the literals of `string-concat-in-loop`
/// spell it for the prefilter (`= "`, `=b'`...). `None` for anything else.
pub fn accumulator_literal_kind(value: Node, source: &str) -> Option<&'static str> {
    let prefix = |string: Node| {
        string
            .child(0)
            .map_or("", |start| text(start, source).trim_end_matches(['"', '\'']))
    };
    let parts: Vec<Node> = match value.kind() {
        "string" => vec![value],
        "concatenated_string" => value
            .named_children(&mut value.walk())
            .filter(|p| p.kind() == "string")
            .collect(),
        _ => return None,
    };
    let first = prefix(*parts.first()?);
    let lowercase = |p: &str| p.to_ascii_lowercase();
    let spelled = match parts.len() == 1 && value.named_child_count() == 2 {
        // Empty: the literal `""` or `''` is in the prefilter's list itself.
        true => !lowercase(first).contains(['f', 't']),
        false => {
            let before = &source[..value.start_byte()];
            ["", "b", "f"].contains(&first)
                && (before.ends_with("= ") || before.ends_with('='))
                && parts.iter().all(|p| !lowercase(prefix(*p)).contains('t'))
        }
    };
    spelled.then_some(if lowercase(first).contains('b') {
        "bytes"
    } else {
        "text"
    })
}

/// Literals whose hash is defined: numbers, plain strings, constants, and tuples of those.
pub fn is_hashable_literal(node: Node, source: &str) -> bool {
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

/// Passes a receiver shown to be a real `dict`; marks any other unsafe;
/// skips `self` in a class with its own `keys`/`__iter__`/`__contains__`,
/// where dropping `.keys()` calls the class's own protocol (from
/// `__contains__`, endless recursion): no advice fits there.
pub fn dict_receiver_verdict(node: Node, ctx: &GuardContext) -> Verdict {
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
pub fn decorated_with(node: Node, qualnames: &[&str], ctx: &GuardContext) -> bool {
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
