//! The per-file pipeline: prefilter -> parse -> match -> guard -> render fixes ->
//! apply to a fixpoint, re-parsing after every round. One concern per module:
//! [`rule_set`] (codemods compiled into one query, the literal scan),
//! [`fragment`] (prefilter fragments matched alone), [`matching`] (query pass,
//! guards, findings with fixes), [`comments`], [`fixpoint`] (fix rounds); the
//! guards, filters and fixers rules use are in [`registry`]; what names imported
//! from other modules of the project hold is in [`project`].
pub mod analysis;
pub mod bounded;
mod comments;
pub mod context;
pub mod filters;
mod fixpoint;
mod fragment;
pub mod guards;
pub mod imports;
mod matching;
pub mod origin;
pub mod prefilter;
pub mod project;
pub mod registry;
mod rule_set;
pub mod semantic;
pub mod source;
pub mod template;

use crate::edit::{Fix, Safety};
pub use fixpoint::{apply_chosen, choose_fixes, process, process_filtered};
pub use origin::{FixFilter, FixId};
pub use rule_set::{check_queries, RuleSet};
use source::Position;
use std::ops::Range;
use tree_sitter::Parser;

/// One reported anti-pattern.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: String,
    pub message: String,
    pub range: Range<usize>,
    pub start: Position,
    pub end: Position,
    pub fix: Option<Fix>,
}

/// A fix that was applied, for the report.
#[derive(Debug, Clone)]
pub struct AppliedFix {
    pub rule: String,
    /// The line of its finding in the file as read.
    pub line: usize,
    /// Its finding's range in the file as read (see [`FixId`]).
    pub range: Range<usize>,
}

impl AppliedFix {
    /// Its name for [`FixFilter`], to leave it out of (or single it out in) a re-run.
    pub fn id(&self) -> FixId {
        FixId {
            rule: self.rule.clone(),
            range: self.range.clone(),
        }
    }
}

/// What processing one file produced.
#[derive(Debug, Default)]
pub struct FileOutcome {
    /// Findings in the file as it was read.
    pub findings: Vec<Finding>,
    /// The rewritten file (BOM and line endings kept), if anything changed.
    pub fixed: Option<String>,
    pub applied: Vec<AppliedFix>,
    /// Rewrites that were dropped and why (e.g. they would not re-parse).
    pub warnings: Vec<String>,
}

/// What a run asks of each file.
#[derive(Debug, Clone, Copy, Default)]
pub struct Mode {
    /// Compute rewrites (`fix`), not only findings (`check`).
    pub fix: bool,
    /// Also apply rewrites marked unsafe.
    pub unsafe_fixes: bool,
}

/// Whether `mode` applies this finding's rewrite.
pub fn applicable(finding: &Finding, mode: Mode) -> bool {
    finding
        .fix
        .as_ref()
        .is_some_and(|fix| mode.unsafe_fixes || fix.safety == Safety::Safe)
}

/// A parser for Python; one per thread.
pub fn python_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .expect("tree-sitter-python matches the tree-sitter version");
    parser
}
