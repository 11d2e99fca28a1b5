//! Shared guards: the semantic checks a tree-sitter query cannot express,
//! written as custom predicates inside the query, e.g.
//!
//! ```scheme
//! ((call function: (_) @callee) @match
//!  (#qualname? @callee "time.sleep")
//!  (#in-async-function? @match))
//! ```
//!
//! Each guard either passes, skips the match, or lets it through but marks the
//! rewrite unsafe (it cannot prove behaviour is kept). The guards here are
//! shared by several codemods or general enough to be; a guard only one codemod
//! can use lives in its `codemods/<id>/rule.rs`. Both register in
//! [`super::registry`].
use super::analysis::{self, receivers};
use super::context::Verdict;
use super::registry::{Arity, Guard, OnFragment};
use super::semantic::{self, text};
use tree_sitter::Node;

mod exceptions;
mod values;
pub use exceptions::handlers_agree;
pub use values::{accumulator_literal_kind, decorated_with, dict_receiver_verdict, is_hashable_literal};

/// The shared guards.
pub static SHARED: &[Guard] = &[
    Guard {
        name: "qualname?",
        doc: "the capture resolves, through the file's imports, to one of the qualified names given (`time.sleep`, `builtins.sorted`)",
        arity: Arity::OneOrMore,
        on_fragment: OnFragment::Exact,
        may_mark_unsafe: false,
        check: |node, names, ctx| {
            Verdict::pass_if(
                ctx.semantic
                    .resolve(node, ctx.source)
                    .is_some_and(|q| names.contains(&q.as_str())),
            )
        },
    },
    Guard {
        name: "in-async-function?",
        doc: "the capture is inside an `async def` (not in a nested plain `def` or lambda)",
        arity: Arity::Exactly(0),
        on_fragment: OnFragment::Exact,
        may_mark_unsafe: false,
        check: |node, _, _| Verdict::pass_if(semantic::in_async_function(node)),
    },
    Guard {
        name: "not-in-async-function?",
        doc: "the capture is not inside an `async def`",
        arity: Arity::Exactly(0),
        on_fragment: OnFragment::Exact,
        may_mark_unsafe: false,
        check: |node, _, _| Verdict::pass_if(!semantic::in_async_function(node)),
    },
    Guard {
        name: "hashable-literals?",
        doc: "the capture (a list) has elements, all literals whose hash is defined: numbers, plain strings, constants, tuples of those",
        arity: Arity::Exactly(0),
        on_fragment: OnFragment::Exact,
        may_mark_unsafe: false,
        check: |node, _, ctx| {
            Verdict::pass_if(
                node.named_child_count() > 0 && all_named_children(node, |c| is_hashable_literal(c, ctx.source)),
            )
        },
    },
    Guard {
        name: "hashable?",
        doc: "passes for a hashable literal; anything else is unsafe (an unhashable value would raise)",
        arity: Arity::Exactly(0),
        on_fragment: OnFragment::Exact,
        may_mark_unsafe: true,
        check: |node, _, ctx| match is_hashable_literal(node, ctx.source) {
            true => Verdict::Pass,
            false => Verdict::unsafe_because(
                "the needle is not a hashable literal: a set lookup hashes it, and an unhashable value raises `TypeError`",
            ),
        },
    },
    Guard {
        name: "dict-receiver?",
        doc: "passes a receiver shown to be a real `dict` (literals, comprehensions, `dict(...)`/`defaultdict`/`OrderedDict`/`Counter` calls, names bound only to those, `dict[...]`/`Dict[...]` annotations, `**kwargs`); skips bare `self` in a class defining `keys`/`__iter__`/`__contains__`; anything else is unsafe",
        arity: Arity::Exactly(0),
        // Reads bindings beyond the match's function (module names, a class's
        // other methods): it records the names it reads as spelled, so a
        // fragment leaving out text that holds one defers to the whole file.
        on_fragment: OnFragment::Exact,
        may_mark_unsafe: true,
        check: |node, _, ctx| dict_receiver_verdict(node, ctx),
    },
    Guard {
        name: "file-receiver?",
        doc: "passes a receiver shown to be a standard file object (`open` and kin, `sys.stdin`, `with open(...) as f`, `TextIO`/`BinaryIO`/`IO` annotations); anything else is unsafe",
        arity: Arity::Exactly(0),
        // Records the names it reads, as `dict-receiver?`.
        on_fragment: OnFragment::Exact,
        may_mark_unsafe: true,
        check: |node, _, ctx| proof_verdict(receivers::file_proof(node, ctx.source, ctx.semantic)),
    },
    Guard {
        name: "totally-ordered?",
        doc: "the capture (the arguments of `sorted(...)`) sorts totally ordered items (`key=len`, literals of numbers or strings, `range`), so `sorted(...)[0]` and `min(...)` agree; else unsafe (NaN)",
        arity: Arity::Exactly(0),
        // Reads the call's arguments only.
        on_fragment: OnFragment::Exact,
        may_mark_unsafe: true,
        check: |node, _, ctx| proof_verdict(receivers::totally_ordered_proof(node, ctx.source, ctx.semantic)),
    },
    Guard {
        name: "no-keyword?",
        doc: "the capture (an argument list) has none of the keyword arguments named",
        arity: Arity::OneOrMore,
        on_fragment: OnFragment::Exact,
        may_mark_unsafe: false,
        check: |node, names, ctx| {
            Verdict::pass_if(all_named_children(node, |arg| {
                arg.kind() != "keyword_argument"
                    || !arg
                        .child_by_field_name("name")
                        .is_some_and(|n| names.contains(&text(n, ctx.source)))
            }))
        },
    },
    Guard {
        name: "positional-count?",
        doc: "the capture (an argument list) has exactly this many positional arguments and no `*args`",
        arity: Arity::Exactly(1),
        on_fragment: OnFragment::Exact,
        may_mark_unsafe: false,
        check: |node, args, _| {
            let wanted: usize = args[0].parse().unwrap_or(usize::MAX);
            let mut cursor = node.walk();
            let args: Vec<Node> = node
                .named_children(&mut cursor)
                .filter(|a| a.kind() != "comment")
                .collect();
            let positional = args
                .iter()
                .filter(|a| !matches!(a.kind(), "keyword_argument" | "dictionary_splat"))
                .count();
            Verdict::pass_if(positional == wanted && !args.iter().any(|a| a.kind() == "list_splat"))
        },
    },
    Guard {
        name: "no-splat?",
        doc: "the capture (an argument list) has no `*args` or `**kwargs`",
        arity: Arity::Exactly(0),
        on_fragment: OnFragment::Exact,
        may_mark_unsafe: false,
        check: |node, _, _| {
            Verdict::pass_if(all_named_children(node, |arg| {
                !matches!(arg.kind(), "list_splat" | "dictionary_splat")
            }))
        },
    },
    Guard {
        name: "loop-iterable?",
        doc: "the capture is what a `for` loop or comprehension iterates over",
        arity: Arity::Exactly(0),
        on_fragment: OnFragment::Exact,
        may_mark_unsafe: false,
        check: |node, _, _| Verdict::pass_if(analysis::loop_over(node).is_some()),
    },
    Guard {
        name: "handlers-agree?",
        doc: "every `except`/`suppress`/`pytest.raises` around the capture in its function treats the builtin exceptions named alike; else unsafe (never skips)",
        arity: Arity::OneOrMore,
        // Reads the handlers around the match in its function; never rejects,
        // only marks unsafe.
        on_fragment: OnFragment::Exact,
        may_mark_unsafe: true,
        check: |node, raised, ctx| handlers_agree(node, raised, ctx),
    },
    Guard {
        name: "no-await?",
        doc: "the capture holds no `await` or `async for` (which would make a comprehension an async one)",
        arity: Arity::Exactly(0),
        on_fragment: OnFragment::Exact,
        may_mark_unsafe: false,
        check: |node, _, _| Verdict::pass_if(!analysis::contains_kind(node, &["await", "async"])),
    },
    Guard {
        name: "not-decorated-with?",
        doc: "the definition the capture is (or sits in) has no decorator resolving to one of the qualified names given",
        arity: Arity::OneOrMore,
        on_fragment: OnFragment::Unknown,
        may_mark_unsafe: false,
        check: |node, names, ctx| Verdict::pass_if(!decorated_with(node, names, ctx)),
    },
    Guard {
        name: "in-annotation?",
        doc: "the capture is (inside) a type annotation",
        arity: Arity::Exactly(0),
        on_fragment: OnFragment::Exact,
        may_mark_unsafe: false,
        check: |node, _, _| Verdict::pass_if(analysis::in_annotation(node)),
    },
    Guard {
        name: "fresh-accumulator?",
        doc: "the capture (the target of `name += ...` in a `for` loop) accumulates into a `name = <string literal>` just before the loop, of the kind given (`text`: `\"\"`, `\"head\"`; `bytes`: `b\"\"`), used in the loop only there or only by `name += ...` statements",
        arity: Arity::Exactly(1),
        on_fragment: OnFragment::Exact,
        may_mark_unsafe: false,
        check: |node, kind, ctx| {
            Verdict::pass_if(
                analysis::fresh_accumulator(node, ctx.source)
                    .is_some_and(|acc| accumulator_literal_kind(acc.value, ctx.source) == Some(kind[0])),
            )
        },
    },
    Guard {
        name: "sqlalchemy-session?",
        doc: "the capture is a SQLAlchemy session (annotated or built as one)",
        arity: Arity::Exactly(0),
        on_fragment: OnFragment::Unknown,
        may_mark_unsafe: false,
        check: |node, _, ctx| Verdict::pass_if(analysis::is_sqlalchemy_session(node, ctx.source, ctx.semantic)),
    },
    Guard {
        name: "varies-in-loop?",
        doc: "the capture's value changes with the iterations of a `for` loop around it",
        arity: Arity::Exactly(0),
        on_fragment: OnFragment::Exact,
        may_mark_unsafe: false,
        check: |node, _, ctx| Verdict::pass_if(analysis::loop_varying(node, ctx.source).is_some()),
    },
];

/// A receiver proof as a verdict: shown passes, not shown is unsafe with its reason.
fn proof_verdict(proof: receivers::Proof) -> Verdict {
    match proof {
        receivers::Proof::Shown => Verdict::Pass,
        receivers::Proof::NotShown(reason) => Verdict::Unsafe(reason),
    }
}

/// Whether `predicate` holds for every named child of `node`, comments aside.
pub fn all_named_children(node: Node, predicate: impl Fn(Node) -> bool) -> bool {
    let mut cursor = node.walk();
    let all = node
        .named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .all(predicate);
    all
}

#[cfg(test)]
/// Runs `guard` on the first node spelled `target` (the outermost such node).
pub fn verdict_at(
    source: &str,
    target: &str,
    guard: impl Fn(Node, &super::context::GuardContext) -> Verdict,
) -> Verdict {
    let mut parser = tree_sitter::Parser::new();
    parser.set_language(&tree_sitter_python::LANGUAGE.into()).unwrap();
    let tree = parser.parse(source, None).unwrap();
    let semantic = crate::engine::semantic::LazySemantic::new(&tree, source, false);
    let at = source.find(target).unwrap();
    let mut node = tree
        .root_node()
        .descendant_for_byte_range(at, at + target.len())
        .unwrap();
    while let Some(parent) = node.parent().filter(|p| p.byte_range() == (at..at + target.len())) {
        node = parent;
    }
    let captures = std::collections::HashMap::new();
    let options = std::collections::HashMap::new();
    let ctx = super::context::GuardContext {
        source,
        semantic: &semantic,
        captures: &captures,
        options: &options,
    };
    guard(node, &ctx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::context::Verdict;

    fn agree(source: &str) -> Verdict {
        verdict_at(source, "sorted(x)[0]", |n, ctx| {
            handlers_agree(n, &["IndexError", "ValueError"], ctx)
        })
    }

    #[test]
    fn handlers_that_catch_both_exceptions_alike_agree() {
        assert_eq!(agree("y = sorted(x)[0]\n"), Verdict::Pass);
        assert_eq!(
            agree("try:\n    y = sorted(x)[0]\nexcept Exception:\n    pass\n"),
            Verdict::Pass
        );
        assert_eq!(agree("try:\n    y = sorted(x)[0]\nexcept:\n    pass\n"), Verdict::Pass);
        assert_eq!(
            agree("try:\n    y = sorted(x)[0]\nexcept (KeyError, OSError) as e:\n    pass\n"),
            Verdict::Pass
        );
        assert_eq!(agree("with open(p) as f:\n    y = sorted(x)[0]\n"), Verdict::Pass);
        // The handler is outside the function: not followed.
        assert_eq!(
            agree("try:\n    def f():\n        return sorted(x)[0]\nexcept IndexError:\n    pass\n"),
            Verdict::Pass
        );
        // Only the try body is guarded by its handlers.
        assert_eq!(
            agree("try:\n    pass\nexcept IndexError:\n    y = sorted(x)[0]\n"),
            Verdict::Pass
        );
    }

    #[test]
    fn handlers_that_tell_the_exceptions_apart_make_it_unsafe() {
        assert!(matches!(
            agree("try:\n    y = sorted(x)[0]\nexcept IndexError:\n    pass\n"),
            Verdict::Unsafe(_)
        ));
        assert!(matches!(
            agree("try:\n    y = sorted(x)[0]\nexcept LookupError:\n    pass\n"),
            Verdict::Unsafe(_)
        ));
        assert!(matches!(
            agree("try:\n    y = sorted(x)[0]\nexcept ValueError:\n    pass\n"),
            Verdict::Unsafe(_)
        ));
        assert!(matches!(
            agree("try:\n    y = sorted(x)[0]\nexcept ValueError:\n    a()\nexcept IndexError:\n    b()\n"),
            Verdict::Unsafe(_)
        ));
        assert!(matches!(
            agree("E = IndexError\ntry:\n    y = sorted(x)[0]\nexcept E:\n    pass\n"),
            Verdict::Unsafe(_)
        ));
        assert!(matches!(
            agree("from contextlib import suppress\nwith suppress(IndexError):\n    y = sorted(x)[0]\n"),
            Verdict::Unsafe(_)
        ));
        assert!(matches!(
            agree("import pytest\nwith pytest.raises(IndexError):\n    sorted(x)[0]\n"),
            Verdict::Unsafe(_)
        ));
    }
}
