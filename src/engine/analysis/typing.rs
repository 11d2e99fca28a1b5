//! Where annotations are: a rewrite inside one changes no runtime value.
use tree_sitter::Node;

/// Whether `node` sits inside an annotation (`x: ...`, `-> ...`), reached only
/// through generic brackets and unions, so rewriting it changes no runtime value
/// other than the annotation and needs no parentheses.
pub fn in_annotation(node: Node) -> bool {
    annotation_of(node).is_some()
}

/// Whether `node` sits in an annotation Python never evaluates: that of a
/// variable in a function body (`x: List[int] = []` inside a `def`; PEP 526:
/// such annotations are neither evaluated nor stored, even for `self.x`).
/// Parameters, returns and module- or class-level variables land in
/// `__annotations__`, where `get_type_hints` evaluates them (strings under
/// `from __future__ import annotations` too).
pub fn in_unevaluated_annotation(node: Node) -> bool {
    let Some(assignment) = annotation_of(node)
        .and_then(|annotation| annotation.parent())
        .filter(|p| p.kind() == "assignment")
    else {
        return false;
    };
    let mut current = assignment.parent();
    while let Some(ancestor) = current {
        match ancestor.kind() {
            "function_definition" => return true,
            "class_definition" => return false,
            _ => current = ancestor.parent(),
        }
    }
    false
}

/// The whole annotation (the outermost `type` node) that `node` sits in,
/// reached only through generic brackets and unions.
fn annotation_of(node: Node) -> Option<Node> {
    let mut current = node.parent();
    while let Some(parent) = current {
        match parent.kind() {
            "type"
                if parent
                    .parent()
                    .is_some_and(|p| !matches!(p.kind(), "type_parameter" | "union_type")) =>
            {
                return Some(parent)
            }
            "type"
            | "union_type"
            | "generic_type"
            | "type_parameter"
            | "subscript"
            | "list"
            | "tuple"
            | "parenthesized_expression" => {}
            "binary_operator" if parent.child_by_field_name("operator").is_some_and(|o| o.kind() == "|") => {}
            _ => return None,
        }
        current = parent.parent();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the `List` of `List[int]` in `source` (its only one) sits in an
    /// annotation Python never evaluates.
    fn unevaluated(source: &str) -> bool {
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&tree_sitter_python::LANGUAGE.into()).unwrap();
        let tree = parser.parse(source, None).unwrap();
        let at = source.find("List[int]").unwrap();
        let alias = tree.root_node().descendant_for_byte_range(at, at + 4).unwrap();
        assert!(in_annotation(alias), "{source}");
        in_unevaluated_annotation(alias)
    }

    #[test]
    fn variables_in_a_function_body_are_never_evaluated() {
        assert!(unevaluated("def f():\n    x: List[int] = []\n"));
        assert!(unevaluated("def f():\n    x: dict[str, List[int]]\n"));
        assert!(unevaluated(
            "class C:\n    def m(self):\n        self.x: List[int] = []\n"
        ));
        assert!(unevaluated("def f():\n    if x:\n        y: List[int] | None = None\n"));
    }

    #[test]
    fn annotations_kept_in_annotations_dicts_are_evaluated() {
        assert!(!unevaluated("x: List[int] = []\n"));
        assert!(!unevaluated("class C:\n    x: List[int]\n"));
        assert!(!unevaluated("def f():\n    class C:\n        x: List[int]\n"));
        assert!(!unevaluated("def f(x: List[int]):\n    pass\n"));
        assert!(!unevaluated("def f() -> List[int]:\n    pass\n"));
        assert!(!unevaluated("def f():\n    def g(x: List[int]):\n        pass\n"));
    }
}
