//! `typing-builtin-generics`: guards and filters for `List[int]` ->
//! `list[int]` and `Optional[X]`/`Union[A, B]` -> `X | None`/`A | B`.
use crate::engine::analysis;
use crate::engine::context::{RenderContext, Rendered, Verdict};
use crate::engine::registry::{Arity, Filter, Guard, OnFragment, Registry};
use crate::engine::semantic::{text, Semantic};
use tree_sitter::Node;

pub fn register(registry: &mut Registry) {
    registry.add_guards(GUARDS);
    registry.add_filters(FILTERS);
}

static GUARDS: &[Guard] = &[
    Guard {
        name: "typing-builtin-alias?",
        doc: "the capture resolves to a `typing` alias of a builtin generic (`typing.List`, `typing.Dict`...)",
        arity: Arity::Exactly(0),
        on_fragment: OnFragment::Exact,
        may_mark_unsafe: false,
        check: |node, _, ctx| Verdict::pass_if(builtin_for_typing_alias(node, ctx.source, ctx.semantic).is_some()),
    },
    Guard {
        name: "unevaluated-annotation?",
        doc: "passes an annotation Python never evaluates (a variable's, in a function body); any other annotation is unsafe: it is kept in `__annotations__`",
        arity: Arity::Exactly(0),
        // Reads the match's ancestors only.
        on_fragment: OnFragment::Exact,
        may_mark_unsafe: true,
        check: |node, _, _| match analysis::in_unevaluated_annotation(node) {
            true => Verdict::Pass,
            false => Verdict::unsafe_because(
                "annotations kept in `__annotations__` compare and print differently (`List[int] != list[int]`)",
            ),
        },
    },
    Guard {
        name: "union-convertible?",
        doc: "every member of the captured `Union[...]`/`Optional[...]` can be an operand of `|`",
        arity: Arity::Exactly(0),
        on_fragment: OnFragment::Exact,
        may_mark_unsafe: false,
        check: |node, _, _| Verdict::pass_if(union_operands_ok(&generic_members(node))),
    },
];

static FILTERS: &[Filter] = &[
    Filter {
        name: "builtin-generic",
        doc: "a `typing` alias as its builtin: `List` -> `list`",
        apply: |nodes, _, ctx| {
            let builtin = builtin_for_typing_alias(*nodes.first()?, ctx.source, ctx.semantic)?;
            Some(Rendered::text(builtin.to_string()))
        },
    },
    Filter {
        name: "as-union",
        doc: "`Union[a, b]` -> `a | b`; `Optional[a]` -> `a | None`",
        apply: |nodes, _, ctx| Some(Rendered::text(as_union(*nodes.first()?, ctx)?)),
    },
];

/// `Union[a, b]` -> `a | b`; `Optional[a]` -> `a | None` (the generic is a
/// `generic_type` or a `subscript`).
fn as_union(generic: Node, ctx: &RenderContext) -> Option<String> {
    let members = generic_members(generic);
    if !union_operands_ok(&members) {
        return None;
    }
    let name = match generic.kind() {
        "subscript" => generic.child_by_field_name("value")?,
        _ => generic.named_child(0)?,
    };
    let mut operands: Vec<&str> = members.iter().map(|m| text(*m, ctx.source)).collect();
    match ctx.semantic.resolve(name, ctx.source)?.as_str() {
        "typing.Optional" if operands.len() == 1 => operands.push("None"),
        "typing.Union" => {}
        _ => return None,
    }
    Some(operands.join(" | "))
}

/// `typing` aliases of builtin classes, deprecated since Python 3.9 (PEP 585).
const TYPING_BUILTINS: &[(&str, &str)] = &[
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
fn builtin_for_typing_alias(alias: Node, source: &str, semantic: &Semantic) -> Option<&'static str> {
    let generic = alias.parent()?;
    if analysis::contains_kind(generic, &["string"]) {
        return None;
    }
    let qualified = semantic.resolve(alias, source)?;
    let (_, builtin) = TYPING_BUILTINS.iter().find(|(q, _)| *q == qualified)?;
    semantic.is_builtin(builtin, alias.start_byte()).then_some(*builtin)
}

/// The members of a generic's brackets: `[int, str]` of `Union[int, str]`,
/// written as a `generic_type` (`Union[...]`) or a `subscript` (`t.Union[...]`).
fn generic_members(generic: Node) -> Vec<Node> {
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
fn union_operands_ok(members: &[Node]) -> bool {
    members.iter().any(|m| m.kind() != "none")
        && members.iter().all(|member| match member.kind() {
            "identifier" | "attribute" | "subscript" | "generic_type" => true,
            "none" => true,
            "binary_operator" => member.child_by_field_name("operator").is_some_and(|o| o.kind() == "|"),
            _ => false,
        })
}
