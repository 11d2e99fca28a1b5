//! Analyses over a function or class body that more than one codemod needs:
//! where a name is used, whether a variable is freshly initialised, whether a
//! body is pure computation. Each answers conservatively: when in doubt, the
//! answer is the one that makes a guard skip.
use super::semantic::text;
use tree_sitter::Node;

/// Every identifier node named `name` inside `scope`, in source order
/// (iterative walk: deep nesting cannot overflow the stack).
pub fn identifiers_named<'t>(scope: Node<'t>, source: &str, name: &str) -> Vec<Node<'t>> {
    let mut found = Vec::new();
    let mut cursor = scope.walk();
    let mut stack = vec![scope];
    while let Some(node) = stack.pop() {
        if node.kind() == "identifier" && text(node, source) == name {
            found.push(node);
            continue;
        }
        let start = stack.len();
        stack.extend(node.children(&mut cursor));
        stack[start..].reverse();
    }
    found
}

/// Every `self.<attribute>` (or `<receiver>.<attribute>`) node inside `scope`.
pub fn attribute_uses<'t>(scope: Node<'t>, source: &str, receiver: &str, attribute: &str) -> Vec<Node<'t>> {
    let mut found = Vec::new();
    let mut cursor = scope.walk();
    let mut stack = vec![scope];
    while let Some(node) = stack.pop() {
        if node.kind() == "attribute"
            && node
                .child_by_field_name("object")
                .is_some_and(|o| o.kind() == "identifier" && text(o, source) == receiver)
            && node
                .child_by_field_name("attribute")
                .is_some_and(|a| text(a, source) == attribute)
        {
            found.push(node);
        }
        let start = stack.len();
        stack.extend(node.children(&mut cursor));
        stack[start..].reverse();
    }
    found
}
