//! Guards: the semantic checks a tree-sitter query cannot express, written as
//! custom predicates inside the query, e.g.
//!
//! ```scheme
//! ((call function: (_) @callee) @match
//!  (#qualname? @callee "time.sleep")
//!  (#in-async-function? @match))
//! ```
//!
//! Each guard either passes, skips the match, or lets it through but marks the
//! rewrite unsafe (it cannot prove behaviour is kept). Guards live here, shared,
//! so no codemod re-implements an analysis another one already has.
use super::analysis::{self, concurrency, receivers, ExceptionObserver};
use super::fixers::{dataclass_slots, lru_ordered_dict};
use super::semantic::{self, text, LazySemantic, Semantic};
use std::collections::HashMap;
use tree_sitter::{Node, QueryPredicate, QueryPredicateArg};

mod exceptions;
mod loops;
mod pools;
mod values;
use exceptions::*;
use loops::*;
use pools::*;
use values::*;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    /// Matches, but the rewrite may change behaviour: only with `--unsafe`.
    /// The reason names what perfmod could not prove; the user reads it in
    /// the finding's message.
    Unsafe(String),
    Skip,
}

impl Verdict {
    pub fn unsafe_because(reason: impl Into<String>) -> Verdict {
        Verdict::Unsafe(reason.into())
    }

    /// Both guards' verdicts: a skip wins, then the first reason to be unsafe.
    pub fn and(self, other: Verdict) -> Verdict {
        match (self, other) {
            (Verdict::Skip, _) | (_, Verdict::Skip) => Verdict::Skip,
            (Verdict::Unsafe(reason), _) | (Verdict::Pass, Verdict::Unsafe(reason)) => Verdict::Unsafe(reason),
            (Verdict::Pass, Verdict::Pass) => Verdict::Pass,
        }
    }
}

/// Guard name, and how many string arguments it takes after its capture
/// (`None`: one or more).
const GUARDS: &[(&str, Option<usize>)] = &[
    ("qualname?", None),
    ("in-async-function?", Some(0)),
    ("not-in-async-function?", Some(0)),
    ("hashable-literals?", Some(0)),
    ("hashable?", Some(0)),
    ("logger?", Some(0)),
    ("dict-receiver?", Some(0)),
    ("totally-ordered?", Some(0)),
    ("file-receiver?", Some(0)),
    ("no-keyword?", None),
    ("positional-count?", Some(1)),
    ("unbounded-coroutines?", Some(0)),
    ("independent-await-loop?", Some(0)),
    ("cpu-bound-pool?", Some(0)),
    ("lru-list-class?", Some(0)),
    ("dataclass-slots?", Some(0)),
    ("no-splat?", Some(0)),
    ("loop-iterable?", Some(0)),
    ("iterated-alone?", Some(0)),
    ("handlers-agree?", None),
    ("no-await?", Some(0)),
    ("not-decorated-with?", None),
    ("stringified?", Some(0)),
    ("cache-key?", Some(0)),
    ("queue-list?", Some(0)),
    ("comprehension-loop?", Some(0)),
    ("in-annotation?", Some(0)),
    ("typing-builtin-alias?", Some(0)),
    ("union-convertible?", Some(0)),
    ("fresh-accumulator?", Some(1)),
    ("duration-start?", Some(0)),
    ("sqlalchemy-session?", Some(0)),
    ("gathers-shared-session?", Some(0)),
    ("varies-in-loop?", Some(0)),
    ("sync-wrapping-decorator?", Some(0)),
];

/// Guards that can let a match through as unsafe: a form using one is safe
/// only where the guard proves it (`perfmod rules` shows `safe/unsafe`).
const MAY_MARK_UNSAFE: &[&str] = &[
    "hashable?",
    "handlers-agree?",
    "iterated-alone?",
    "lru-list-class?",
    "dict-receiver?",
    "logger?",
    "totally-ordered?",
    "file-receiver?",
];

/// The guards of `query` (by name, `#name?` predicates) that may mark a match unsafe.
pub fn guards_that_may_mark_unsafe(query: &str) -> Vec<String> {
    MAY_MARK_UNSAFE
        .iter()
        .filter(|guard| query.contains(&format!("(#{guard} ")))
        .map(|guard| guard.to_string())
        .collect()
}

/// How far a guard's verdict on a prefilter fragment (some top-level
/// statements or methods, each whole, the simple statement before each, and
/// every import) can be trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnFragment {
    /// The same as on the whole file, provided the statements left out change
    /// none of the names the semantic model was asked about (see
    /// [`Semantic::lookups_since`]): the guard looks only at the match, its
    /// ancestors and its enclosing function, which a fragment holds whole.
    Exact,
    /// [`OnFragment::Exact`] when the text the fragment leaves out does not
    /// hold this word (`getLogger` for `logger?`, which knows the names bound
    /// from `getLogger(...)` anywhere in the file).
    ExactUnlessLeftOut(&'static str),
    /// Never stricter than on the whole file, so a fragment where it fails
    /// holds no finding; where it passes, only the whole file decides.
    Permissive,
    /// Unknown: not evaluated on a fragment (as if it passed).
    Unknown,
}

/// Guards [`OnFragment::Exact`]; the others are [`OnFragment::Unknown`] but
/// for [`PERMISSIVE_ON_FRAGMENT`].
const EXACT_ON_FRAGMENT: &[&str] = &[
    "qualname?",
    "in-async-function?",
    "not-in-async-function?",
    "hashable-literals?",
    "hashable?",
    // Reads the call's arguments only.
    "totally-ordered?",
    // Read bindings beyond the match's function (module names, a class's
    // other methods): each records the names it reads as spelled, so a
    // fragment leaving out text that holds one defers to the whole file.
    "dict-receiver?",
    "file-receiver?",
    "no-keyword?",
    "positional-count?",
    "no-splat?",
    "loop-iterable?",
    "iterated-alone?",
    "no-await?",
    "stringified?",
    "cache-key?",
    "comprehension-loop?",
    "fresh-accumulator?",
    "queue-list?",
    "duration-start?",
    "varies-in-loop?",
    "in-annotation?",
    "typing-builtin-alias?",
    "union-convertible?",
    // Reads the handlers around the match in its function; never rejects, only
    // marks unsafe.
    "handlers-agree?",
];

/// `lru-list-class?` needs the list's init, appends, removes and evictions,
/// which hold the codemod's literals, so a fragment keeps their methods; the
/// methods it leaves out can only add uses that make the rewrite unsafe.
const PERMISSIVE_ON_FRAGMENT: &[&str] = &["lru-list-class?"];

pub fn on_fragment(predicate: &QueryPredicate) -> OnFragment {
    let name = &*predicate.operator;
    if EXACT_ON_FRAGMENT.contains(&name) {
        OnFragment::Exact
    } else if name == "logger?" {
        // Skips by name and by `getLogger` bindings, which a fragment keeps
        // (every top-level statement naming `Logger`); its proof records the
        // names it reads, as `dict-receiver?`.
        OnFragment::ExactUnlessLeftOut("Logger")
    } else if PERMISSIVE_ON_FRAGMENT.contains(&name) {
        OnFragment::Permissive
    } else {
        OnFragment::Unknown
    }
}

/// Load-time check: a known guard whose first argument is a capture of this query.
pub fn validate(predicate: &QueryPredicate, captures: &[&str]) -> Result<(), String> {
    let name = &*predicate.operator;
    let Some((_, arity)) = GUARDS.iter().find(|(g, _)| *g == name) else {
        let known: Vec<&str> = GUARDS.iter().map(|(g, _)| *g).collect();
        return Err(format!("unknown guard `#{name}` (known: {})", known.join(", ")));
    };
    match predicate.args.first() {
        Some(QueryPredicateArg::Capture(index)) if (*index as usize) < captures.len() => {}
        _ => return Err(format!("`#{name}` takes a capture as its first argument")),
    }
    let strings = predicate.args.len() - 1;
    let ok = match arity {
        Some(n) => strings == *n,
        None => strings >= 1,
    };
    if !ok
        || predicate.args[1..]
            .iter()
            .any(|a| matches!(a, QueryPredicateArg::Capture(_)))
    {
        return Err(format!("`#{name}` has the wrong arguments"));
    }
    Ok(())
}

/// What a guard sees of one match.
pub struct GuardContext<'a, 't> {
    pub source: &'a str,
    pub semantic: &'a LazySemantic<'a>,
    pub captures: &'a HashMap<&'a str, Vec<Node<'t>>>,
    /// The codemod options (`concurrency-limit`, ...).
    pub options: &'a HashMap<String, String>,
}

/// Evaluates one guard predicate on the node its capture names.
pub fn check(predicate: &QueryPredicate, capture_names: &[&str], ctx: &GuardContext) -> Verdict {
    let QueryPredicateArg::Capture(index) = predicate.args[0] else {
        return Verdict::Skip;
    };
    let Some(node) = ctx
        .captures
        .get(capture_names[index as usize])
        .and_then(|n| n.first().copied())
    else {
        // An optional capture that did not match: nothing to check.
        return Verdict::Pass;
    };
    let strings: Vec<&str> = predicate.args[1..]
        .iter()
        .filter_map(|a| match a {
            QueryPredicateArg::String(s) => Some(&**s),
            QueryPredicateArg::Capture(_) => None,
        })
        .collect();
    let pass = |ok: bool| if ok { Verdict::Pass } else { Verdict::Skip };
    match &*predicate.operator {
        "qualname?" => pass(
            ctx.semantic
                .resolve(node, ctx.source)
                .is_some_and(|q| strings.contains(&q.as_str())),
        ),
        "in-async-function?" => pass(semantic::in_async_function(node)),
        "not-in-async-function?" => pass(!semantic::in_async_function(node)),
        "hashable-literals?" => {
            pass(node.named_child_count() > 0 && all_named_children(node, |c| is_hashable_literal(c, ctx.source)))
        }
        "hashable?" => {
            if is_hashable_literal(node, ctx.source) {
                Verdict::Pass
            } else {
                Verdict::unsafe_because(
                    "the needle is not a hashable literal: a set lookup hashes it, and an unhashable value raises `TypeError`",
                )
            }
        }
        "logger?" => logger_verdict(node, ctx),
        "dict-receiver?" => dict_receiver_verdict(node, ctx),
        "file-receiver?" => match receivers::file_proof(node, ctx.source, ctx.semantic) {
            receivers::Proof::Shown => Verdict::Pass,
            receivers::Proof::NotShown(reason) => Verdict::Unsafe(reason),
        },
        "totally-ordered?" => match receivers::totally_ordered_proof(node, ctx.source, ctx.semantic) {
            receivers::Proof::Shown => Verdict::Pass,
            receivers::Proof::NotShown(reason) => Verdict::Unsafe(reason),
        },
        "no-keyword?" => pass(all_named_children(node, |arg| {
            arg.kind() != "keyword_argument"
                || !arg
                    .child_by_field_name("name")
                    .is_some_and(|n| strings.contains(&text(n, ctx.source)))
        })),
        "positional-count?" => {
            let wanted: usize = strings[0].parse().unwrap_or(usize::MAX);
            let mut cursor = node.walk();
            let args: Vec<Node> = node
                .named_children(&mut cursor)
                .filter(|a| a.kind() != "comment")
                .collect();
            let positional = args
                .iter()
                .filter(|a| !matches!(a.kind(), "keyword_argument" | "dictionary_splat"))
                .count();
            pass(positional == wanted && !args.iter().any(|a| a.kind() == "list_splat"))
        }
        "unbounded-coroutines?" => pass(
            concurrency::unbounded_site(
                node,
                ctx.semantic,
                ctx.source,
                concurrency::concurrency_limit(ctx.options),
            )
            .is_some(),
        ),
        "independent-await-loop?" => {
            pass(concurrency::independent_await_loop(node, ctx.semantic, ctx.source).is_some())
        }
        "cpu-bound-pool?" => pass(is_cpu_bound_pool(node, ctx)),
        "lru-list-class?" => {
            let root = analysis::root_of(node);
            match lru_ordered_dict::plan(node, root, ctx.source, ctx.semantic) {
                Some(plan) if plan.safe => Verdict::Pass,
                Some(_) => Verdict::unsafe_because(
                    "the dict's order can show (it is iterated, copied or escapes, or a removed key may be absent)",
                ),
                None => Verdict::Skip,
            }
        }
        "dataclass-slots?" => {
            pass(dataclass_slots::plan(node, analysis::root_of(node), ctx.source, ctx.semantic).is_some())
        }
        "no-splat?" => pass(all_named_children(node, |arg| {
            !matches!(arg.kind(), "list_splat" | "dictionary_splat")
        })),
        "loop-iterable?" => pass(analysis::loop_over(node).is_some()),
        "iterated-alone?" => iterated_alone(node, ctx.source),
        "handlers-agree?" => handlers_agree(node, &strings, ctx),
        // `await` or `async for` would turn a comprehension into an async one.
        "no-await?" => pass(!analysis::contains_kind(node, &["await", "async"])),
        "not-decorated-with?" => pass(!decorated_with(node, &strings, ctx)),
        "stringified?" => pass(is_stringified(node, ctx)),
        "cache-key?" => pass(is_cache_key(node, ctx.source, ctx.semantic)),
        "queue-list?" => pass(analysis::queue_list(node, ctx.source, ctx.semantic).is_some()),
        "comprehension-loop?" => pass(is_comprehension_loop(node, ctx)),
        "in-annotation?" => pass(analysis::in_annotation(node)),
        "typing-builtin-alias?" => pass(analysis::builtin_for_typing_alias(node, ctx.source, ctx.semantic).is_some()),
        "union-convertible?" => pass(analysis::union_operands_ok(&analysis::generic_members(node))),
        "fresh-accumulator?" => pass(
            analysis::fresh_accumulator(node, ctx.source)
                .is_some_and(|acc| is_empty_literal(acc.value, ctx.source, strings[0])),
        ),
        "duration-start?" => pass(analysis::duration_clocks(node, ctx.source, ctx.semantic).is_some()),
        "sqlalchemy-session?" => pass(analysis::is_sqlalchemy_session(node, ctx.source, ctx.semantic)),
        "gathers-shared-session?" => pass(gathers_shared_session(node, ctx)),
        "varies-in-loop?" => pass(analysis::loop_varying(node, ctx.source).is_some()),
        "sync-wrapping-decorator?" => pass(analysis::is_sync_wrapping_decorator(node, ctx.source)),
        _ => Verdict::Skip,
    }
}

fn all_named_children(node: Node, predicate: impl Fn(Node) -> bool) -> bool {
    let mut cursor = node.walk();
    let all = node
        .named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .all(predicate);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `guard` on the first node spelled `target` (the outermost such node).
    fn verdict(source: &str, target: &str, guard: impl Fn(Node, &GuardContext) -> Verdict) -> Verdict {
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&tree_sitter_python::LANGUAGE.into()).unwrap();
        let tree = parser.parse(source, None).unwrap();
        let semantic = LazySemantic::new(&tree, source, false);
        let at = source.find(target).unwrap();
        let mut node = tree
            .root_node()
            .descendant_for_byte_range(at, at + target.len())
            .unwrap();
        while let Some(parent) = node.parent().filter(|p| p.byte_range() == (at..at + target.len())) {
            node = parent;
        }
        let captures = HashMap::new();
        let options = HashMap::new();
        let ctx = GuardContext {
            source,
            semantic: &semantic,
            captures: &captures,
            options: &options,
        };
        guard(node, &ctx)
    }

    fn agree(source: &str) -> Verdict {
        verdict(source, "sorted(x)[0]", |n, ctx| {
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

    fn alone(source: &str) -> Verdict {
        verdict(source, "f.readlines()", |n, ctx| iterated_alone(n, ctx.source))
    }

    #[test]
    fn loops_that_leave_the_file_alone_pass() {
        assert_eq!(alone("for line in f.readlines():\n    print(line)\n"), Verdict::Pass);
        assert_eq!(alone("for line in (f.readlines()):\n    print(line)\n"), Verdict::Pass);
        assert_eq!(alone("xs = [l for l in f.readlines() if l]\n"), Verdict::Pass);
    }

    #[test]
    fn loops_that_touch_the_file_or_suspend_are_unsafe() {
        assert!(matches!(
            alone("for line in f.readlines():\n    f.readline()\n"),
            Verdict::Unsafe(_)
        ));
        assert!(matches!(
            alone("xs = [f.tell() for l in f.readlines()]\n"),
            Verdict::Unsafe(_)
        ));
        assert!(matches!(
            alone("def g():\n    for line in f.readlines():\n        yield line\n"),
            Verdict::Unsafe(_)
        ));
        assert!(matches!(alone("xs = (l for l in f.readlines())\n"), Verdict::Unsafe(_)));
    }

    #[test]
    fn readlines_outside_a_loop_or_in_async_for_is_skipped() {
        assert_eq!(alone("lines = f.readlines()\n"), Verdict::Skip);
        assert_eq!(alone("print(len(f.readlines()))\n"), Verdict::Skip);
        assert_eq!(
            alone("async def g():\n    async for l in f.readlines():\n        pass\n"),
            Verdict::Skip
        );
    }
}
