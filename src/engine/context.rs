//! What rule code sees of one match, and what it hands back: the contract
//! between the engine and every guard, template filter and fixer (shared ones in
//! `src/engine`, a rule's own in `codemods/<id>/rule.rs`). Kept apart from the
//! template parser and the registry so that neither imports the other.
use super::semantic::LazySemantic;
use super::source::SourceFile;
use crate::edit::{Edit, ImportRequest, Safety};
use std::collections::HashMap;
use tree_sitter::Node;

/// A guard's answer about one match.
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

    /// `Pass` when `ok`, else `Skip`.
    pub fn pass_if(ok: bool) -> Verdict {
        if ok {
            Verdict::Pass
        } else {
            Verdict::Skip
        }
    }
}

/// What a guard sees of one match.
pub struct GuardContext<'a, 't> {
    pub source: &'a str,
    pub semantic: &'a LazySemantic<'a>,
    pub captures: &'a HashMap<&'a str, Vec<Node<'t>>>,
    /// The codemod options (`concurrency-limit`, ...).
    pub options: &'a HashMap<String, String>,
}

/// What a template (and its filters) sees of a match.
pub struct RenderContext<'a, 't> {
    pub source: &'a str,
    pub captures: &'a HashMap<&'a str, Vec<Node<'t>>>,
    pub semantic: &'a LazySemantic<'a>,
    pub options: &'a HashMap<String, String>,
    /// Byte where the match starts: names the template writes are looked up
    /// in the scope there.
    pub site: usize,
    /// Indentation of the line the match starts on.
    pub site_indent: &'a str,
    /// The file's indentation unit (a tab, or N spaces).
    pub indent_unit: &'a str,
}

/// A rendered template or filter: the text and the imports it relies on.
#[derive(Debug, Default)]
pub struct Rendered {
    pub text: String,
    pub imports: Vec<ImportRequest>,
}

impl Rendered {
    /// Text that needs no import.
    pub fn text(text: String) -> Rendered {
        Rendered {
            text,
            ..Rendered::default()
        }
    }
}

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
