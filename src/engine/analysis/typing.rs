//! `typing` aliases in annotations and their builtin equivalents.
use super::*;

/// `typing` aliases of builtin classes, deprecated since Python 3.9 (PEP 585).
pub(crate) const TYPING_BUILTINS: &[(&str, &str)] = &[
    ("typing.List", "list"),
    ("typing.Dict", "dict"),
    ("typing.Set", "set"),
    ("typing.FrozenSet", "frozenset"),
    ("typing.Tuple", "tuple"),
    ("typing.Type", "type"),
];

/// The builtin that a `typing` alias (`List`, `t.Dict`...) stands for, when that
/// builtin's name is not rebound anywhere in the file and no forward reference
/// (a string) sits inside the brackets: Python 3.10's `get_type_hints` resolves
/// `List["X"]` but leaves `list["X"]` a string.
pub fn builtin_for_typing_alias(alias: Node, source: &str, semantic: &Semantic) -> Option<&'static str> {
    let generic = alias.parent()?;
    if contains_kind(generic, &["string"]) {
        return None;
    }
    let qualified = semantic.resolve(alias, source)?;
    let (_, builtin) = TYPING_BUILTINS.iter().find(|(q, _)| *q == qualified)?;
    semantic.is_builtin(builtin, alias.start_byte()).then_some(*builtin)
}

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

/// The members of a generic's brackets: `[int, str]` of `Union[int, str]`,
/// written as a `generic_type` (`Union[...]`) or a `subscript` (`t.Union[...]`).
pub fn generic_members(generic: Node) -> Vec<Node> {
    let mut cursor = generic.walk();
    match generic.kind() {
        "generic_type" => {
            let Some(parameters) = generic
                .named_children(&mut cursor)
                .find(|c| c.kind() == "type_parameter")
            else {
                return Vec::new();
            };
            let mut cursor = parameters.walk();
            let members: Vec<Node> = parameters
                .named_children(&mut cursor)
                .filter(|c| c.kind() != "comment")
                .map(|t| {
                    if t.kind() == "type" {
                        t.named_child(0).unwrap_or(t)
                    } else {
                        t
                    }
                })
                .collect();
            members
        }
        "subscript" => generic.children_by_field_name("subscript", &mut cursor).collect(),
        _ => Vec::new(),
    }
}

/// Whether `a | b | ...` of these members evaluates like `Union[a, b, ...]` on
/// Python 3.10+: classes, generic aliases and `None` beside at least one of
/// them (`None | int` is `int.__ror__`, as `int | None` is `int.__or__`); not
/// strings (forward references: `"Node" | None` raises `TypeError`) or anything else.
pub fn union_operands_ok(members: &[Node]) -> bool {
    members.iter().any(|m| m.kind() != "none")
        && members.iter().all(|member| match member.kind() {
            "identifier" | "attribute" | "subscript" | "generic_type" => true,
            "none" => true,
            "binary_operator" => member.child_by_field_name("operator").is_some_and(|o| o.kind() == "|"),
            _ => false,
        })
}
