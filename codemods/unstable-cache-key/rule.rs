//! `unstable-cache-key`: the `stringified?` and `cache-key?` guards, a
//! `hash()` of text built from values that ends up in a cache key.
use crate::engine::context::{GuardContext, Verdict};
use crate::engine::registry::{Arity, Guard, OnFragment, Registry};
use crate::engine::semantic::{text, Semantic};
use tree_sitter::Node;

pub fn register(registry: &mut Registry) {
    registry.add_guards(GUARDS);
}

static GUARDS: &[Guard] = &[
    Guard {
        name: "stringified?",
        doc: "the capture is text built from values: `str(x)`, `repr(x)`, an f-string with fields, or `+` of such pieces and string literals",
        arity: Arity::Exactly(0),
        on_fragment: OnFragment::Exact,
        may_mark_unsafe: false,
        check: |node, _, ctx| Verdict::pass_if(is_stringified(node, ctx)),
    },
    Guard {
        name: "cache-key?",
        doc: "the capture's value ends up in a cache key: assigned to a name with `key` in it, an index into `*cache*`/`*memo*`, or passed to a method of `*cache*`",
        arity: Arity::Exactly(0),
        on_fragment: OnFragment::Exact,
        may_mark_unsafe: false,
        check: |node, _, ctx| Verdict::pass_if(is_cache_key(node, ctx.source, ctx.semantic)),
    },
];

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
