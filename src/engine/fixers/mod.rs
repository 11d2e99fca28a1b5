//! Rewrites implemented in Rust, for what a template cannot say: rewrites that
//! span several statements (a class, a loop and the list before it). A codemod
//! names one with `fixer = "name"` in a `[[pattern]]`; the query and guards
//! still decide what matches. Analyses shared between fixers live in
//! [`super::analysis`], never in a fixer.
mod append_loop;
mod bounded;
pub mod dataclass_slots;
mod list_to_deque;
pub mod lru_ordered_dict;
mod perf_counter;
mod sequential_await_loop;
mod string_join;
mod unbounded_gather;

use super::source::SourceFile;
use super::template::RenderContext;
use crate::edit::{Edit, ImportRequest, Safety};
use tree_sitter::Node;

/// What a fixer sees: the match (captures, semantic model, options) and the file.
pub struct FixContext<'a, 't> {
    pub render: &'a RenderContext<'a, 't>,
    /// The `@match` node.
    pub target: Node<'t>,
    pub file: &'a SourceFile<'a>,
}

/// A fixer's rewrite: edits (with `\n` line ends; the engine converts them to
/// the file's), the imports they need, and a safety stricter than the pattern's.
#[derive(Debug, Default)]
pub struct FixOutput {
    pub edits: Vec<Edit>,
    pub imports: Vec<ImportRequest>,
    pub safety: Option<Safety>,
}

/// `None` means "cannot rewrite this one": the finding stays, without a fix.
pub type Fixer = for<'a, 't> fn(&FixContext<'a, 't>) -> Option<FixOutput>;

/// Every fixer, by the name codemods use in `fixer = "..."`.
const FIXERS: &[(&str, Fixer)] = &[
    ("list-to-deque", list_to_deque::list_to_deque),
    (
        "append-loop-to-comprehension",
        append_loop::append_loop_to_comprehension,
    ),
    ("bound-coroutines", unbounded_gather::fix),
    ("gather-await-loop", sequential_await_loop::fix),
    ("string-join", string_join::fix),
    ("perf-counter", perf_counter::fix),
    ("lru-to-ordered-dict", lru_ordered_dict::fix),
    ("dataclass-slots", dataclass_slots::fix),
];

/// The fixer registered under `name`, with the registered name.
pub fn lookup(name: &str) -> Option<(&'static str, Fixer)> {
    FIXERS.iter().find(|(n, _)| *n == name).copied()
}
