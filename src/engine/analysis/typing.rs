//! Where annotations are: a rewrite inside one changes no runtime value.
use tree_sitter::Node;

/// Whether `node` sits inside an annotation (`x: ...`, `-> ...`), reached only
/// through generic brackets and unions, so rewriting it changes no runtime value
/// other than the annotation and needs no parentheses.
pub fn in_annotation(node: Node) -> bool {
    let mut current = node.parent();
    while let Some(parent) = current {
        match parent.kind() {
            "type" if parent.parent().is_some_and(|p| p.kind() != "type_parameter") => return true,
            "type"
            | "generic_type"
            | "type_parameter"
            | "subscript"
            | "list"
            | "tuple"
            | "parenthesized_expression" => {}
            "binary_operator" if parent.child_by_field_name("operator").is_some_and(|o| o.kind() == "|") => {}
            _ => return false,
        }
        current = parent.parent();
    }
    false
}
