//! `handlers-agree?`: whether anything around a match could tell two builtin
//! exceptions apart.
use crate::engine::analysis::{self, ExceptionObserver};
use crate::engine::context::{GuardContext, Verdict};
use tree_sitter::Node;

/// Builtin exceptions and their base class, for the exceptions guards reason
/// about (each one's chain up to `BaseException` is complete).
const EXCEPTION_BASES: &[(&str, &str)] = &[
    ("Exception", "BaseException"),
    ("LookupError", "Exception"),
    ("IndexError", "LookupError"),
    ("KeyError", "LookupError"),
    ("ValueError", "Exception"),
    ("TypeError", "Exception"),
    ("StopIteration", "Exception"),
];

/// `exception` and its builtin base classes, or `None` if it is not in the table.
pub(super) fn exception_lineage(exception: &str) -> Option<Vec<&str>> {
    let mut lineage = vec![exception];
    let mut current = exception;
    while current != "BaseException" {
        current = EXCEPTION_BASES.iter().find(|(e, _)| *e == current)?.1;
        lineage.push(current);
    }
    Some(lineage)
}

/// For a rewrite that raises one builtin exception where the original raised
/// another (`IndexError` -> `ValueError` on empty input): nothing between the
/// match and its function's boundary may tell them apart. Unsafe when a `try`
/// would send them to different `except` clauses (or catch one only), when a
/// `contextlib.suppress` swallows one only, when any other context manager is
/// around (its `__exit__` sees the type), or when a handler's type cannot be
/// resolved to a builtin. Exceptions escaping the function are not followed.
pub fn handlers_agree(node: Node, raised: &[&str], ctx: &GuardContext) -> Verdict {
    let Some(lineages) = raised.iter().map(|e| exception_lineage(e)).collect::<Option<Vec<_>>>() else {
        return Verdict::unsafe_because("the exceptions raised are not known builtins");
    };
    // Which of `types` catch each raised exception; `None` if one is unknown.
    let catchers = |types: &[Node]| -> Option<Vec<bool>> {
        let mut flat = Vec::new();
        for node in types {
            let node = match node.kind() {
                "as_pattern" => node.named_child(0)?,
                _ => *node,
            };
            match node.kind() {
                "tuple" | "parenthesized_expression" => {
                    flat.extend(node.named_children(&mut node.walk()).filter(|c| c.kind() != "comment"))
                }
                _ => flat.push(node),
            }
        }
        let names: Vec<String> = flat
            .iter()
            .map(|t| {
                ctx.semantic
                    .resolve(*t, ctx.source)?
                    .strip_prefix("builtins.")
                    .map(String::from)
            })
            .collect::<Option<_>>()?;
        Some(
            lineages
                .iter()
                .map(|lineage| names.iter().any(|n| lineage.contains(&n.as_str())))
                .collect(),
        )
    };
    let all_same = |v: &[Option<usize>]| v.windows(2).all(|w| w[0] == w[1]);
    for observer in analysis::exception_observers(node) {
        let agree = match observer {
            ExceptionObserver::Try(clauses) => {
                let mut first_catcher = vec![None; raised.len()];
                let mut known = true;
                for (index, types) in clauses.iter().enumerate() {
                    let Some(catches) = (if types.is_empty() {
                        Some(vec![true; raised.len()])
                    } else {
                        catchers(types)
                    }) else {
                        known = false;
                        break;
                    };
                    for (slot, caught) in first_catcher.iter_mut().zip(catches) {
                        if caught && slot.is_none() {
                            *slot = Some(index);
                        }
                    }
                }
                known && all_same(&first_catcher)
            }
            ExceptionObserver::With(manager) => {
                let callee = (manager.kind() == "call")
                    .then(|| manager.child_by_field_name("function"))
                    .flatten()
                    .and_then(|f| ctx.semantic.resolve(f, ctx.source));
                match callee.as_deref() {
                    Some("builtins.open") => true,
                    Some("contextlib.suppress") => manager
                        .child_by_field_name("arguments")
                        .map(|args| args.named_children(&mut args.walk()).collect::<Vec<_>>())
                        .and_then(|types| catchers(&types))
                        .is_some_and(|caught| caught.iter().all(|c| *c == caught[0])),
                    _ => false,
                }
            }
        };
        if !agree {
            return Verdict::unsafe_because(format!(
                "a handler around it could tell `{}` apart (empty input)",
                raised.join("` from `")
            ));
        }
    }
    Verdict::Pass
}
