//! `typing-builtin-generics`: guards and filters for `List[int]` ->
//! `list[int]` and `Optional[X]`/`Union[A, B]` -> `X | None`/`A | B`.
use crate::engine::analysis;
use crate::engine::context::{RenderContext, Rendered, Verdict};
use crate::engine::registry::{Arity, Filter, Guard, OnFragment, Registry};
use crate::engine::semantic::text;
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
        check: |node, _, ctx| {
            Verdict::pass_if(analysis::builtin_for_typing_alias(node, ctx.source, ctx.semantic).is_some())
        },
    },
    Guard {
        name: "union-convertible?",
        doc: "every member of the captured `Union[...]`/`Optional[...]` can be an operand of `|`",
        arity: Arity::Exactly(0),
        on_fragment: OnFragment::Exact,
        check: |node, _, _| Verdict::pass_if(analysis::union_operands_ok(&analysis::generic_members(node))),
    },
];

static FILTERS: &[Filter] = &[
    Filter {
        name: "builtin-generic",
        doc: "a `typing` alias as its builtin: `List` -> `list`",
        apply: |nodes, _, ctx| {
            let builtin = analysis::builtin_for_typing_alias(*nodes.first()?, ctx.source, ctx.semantic)?;
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
    let members = analysis::generic_members(generic);
    if !analysis::union_operands_ok(&members) {
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
