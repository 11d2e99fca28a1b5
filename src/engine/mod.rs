//! The per-file pipeline: prefilter -> parse -> match -> guard -> render fixes ->
//! apply to a fixpoint, re-parsing after every round. One concern per module:
//! [`rule_set`] (codemods compiled into one query, the literal scan),
//! [`fragment`] (prefilter fragments matched alone), [`matching`] (query pass,
//! guards, findings with fixes), [`comments`], [`fixpoint`] (fix rounds), what
//! they produce in [`outcome`]; the guards, filters and fixers rules use are in
//! [`registry`]; what names imported from other modules of the project hold is
//! in [`project`].
pub mod analysis;
pub mod bounded;
mod comments;
pub mod context;
pub mod filters;
mod fixpoint;
mod fragment;
pub mod guards;
pub mod imports;
pub mod limits;
mod matching;
pub mod module_index;
pub mod origin;
mod outcome;
pub mod prefilter;
pub mod reformat;
pub mod registry;
mod rule_set;
pub mod semantic;
pub mod source;
pub mod template;

pub use fixpoint::{choose_fixes, process, process_filtered};
pub use origin::{FixFilter, FixId};
pub use outcome::{applicable, AppliedFix, FileOutcome, Finding, Mode};
pub use rule_set::{check_queries, RuleSet};
use tree_sitter::Parser;

/// A parser for Python; one per thread.
pub fn python_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .expect("tree-sitter-python matches the tree-sitter version");
    parser
}

/// The `line-length` option (see [`reformat`]).
pub fn line_length(options: &std::collections::HashMap<String, String>) -> usize {
    options
        .get("line-length")
        .and_then(|n| n.parse().ok())
        .unwrap_or(reformat::DEFAULT_LINE_LENGTH)
}
