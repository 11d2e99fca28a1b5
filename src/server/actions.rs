//! What the editor asks about a document: code actions (fix one finding, fix
//! the file, silence a finding), hovers, and the `perfmod.*` commands. Each
//! answer is computed from one snapshot of the document, and every edit is
//! the rendered text of the fix turned into one minimal text edit.
use super::analysis::{self, Analysis};
use super::diagnostics::SOURCE;
use super::documents::{minimal_edit, offset, LineIndex, Snapshot};
use crate::edit::Safety;
use crate::engine::Finding;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Diagnostic, Hover, HoverContents, MarkupContent,
    MarkupKind, NumberOrString, OptionalVersionedTextDocumentIdentifier, Range, TextDocumentEdit, WorkspaceEdit,
};
use std::collections::HashMap;

/// `source.fixAll.perfmod`: clients run it on save ("fix all" of perfmod only).
pub fn fix_all_kind() -> CodeActionKind {
    CodeActionKind::new("source.fixAll.perfmod")
}

/// Commands of `workspace/executeCommand`.
pub const FIX_ALL_COMMAND: &str = "perfmod.applyFixAll";
pub const SHOW_DOCS_COMMAND: &str = "perfmod.showRuleDocs";

/// How edits are sent: with the document's version when the client takes
/// `documentChanges` (it then refuses an edit made for an older text).
#[derive(Clone, Copy, Debug, Default)]
pub struct EditStyle {
    pub versioned: bool,
}

impl EditStyle {
    /// The workspace edit turning the snapshot's text into `new`.
    pub fn edit(self, snapshot: &Snapshot, new: &str) -> WorkspaceEdit {
        let edit = minimal_edit(&snapshot.text, new);
        if self.versioned {
            WorkspaceEdit {
                document_changes: Some(lsp_types::DocumentChanges::Edits(vec![TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier {
                        uri: snapshot.uri.clone(),
                        version: Some(snapshot.version),
                    },
                    edits: vec![lsp_types::OneOf::Left(edit)],
                }])),
                ..WorkspaceEdit::default()
            }
        } else {
            WorkspaceEdit {
                changes: Some(HashMap::from([(snapshot.uri.clone(), vec![edit])])),
                ..WorkspaceEdit::default()
            }
        }
    }
}

/// The byte range of a finding in the document (its ranges skip a BOM).
fn document_range(text: &str, finding: &Finding) -> std::ops::Range<usize> {
    let bom = text.len() - text.strip_prefix('\u{feff}').unwrap_or(text).len();
    bom + finding.range.start..bom + finding.range.end
}

/// The code actions for the findings touching `params.range`, then "fix all".
pub fn code_actions(
    snapshot: &Snapshot,
    analysis: &Analysis,
    params: &CodeActionParams,
    style: EditStyle,
) -> Vec<CodeActionOrCommand> {
    let text = &*snapshot.text;
    let index = LineIndex::new(text);
    let (from, to) = (offset(text, params.range.start), offset(text, params.range.end));
    let wanted = |kind: &CodeActionKind| {
        params.context.only.as_ref().is_none_or(|only| {
            only.iter()
                .any(|o| kind.as_str() == o.as_str() || kind.as_str().starts_with(&format!("{}.", o.as_str())))
        })
    };
    let mut actions = Vec::new();
    for finding in &analysis.findings {
        let range = document_range(text, finding);
        // Touching: a cursor at either end of the finding counts.
        if range.start > to || range.end < from {
            continue;
        }
        let diagnostic = matching_diagnostic(&params.context.diagnostics, finding, index.range(range.clone()));
        if wanted(&CodeActionKind::QUICKFIX) {
            if analysis.project.applies(finding) {
                if let Some(fixed) = analysis.fix_one(text, finding) {
                    let unsafe_note = match analysis::fix_safety(finding) {
                        Some(Safety::Unsafe) => " (unsafe)",
                        _ => "",
                    };
                    actions.push(CodeAction {
                        title: format!("perfmod: fix {}{unsafe_note}", finding.rule),
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: diagnostic.clone().map(|d| vec![d]),
                        edit: Some(style.edit(snapshot, &fixed)),
                        is_preferred: Some(unsafe_note.is_empty()),
                        ..CodeAction::default()
                    });
                }
            }
            if let Some(ignored) = analysis::with_ignore_comment(text, finding) {
                actions.push(CodeAction {
                    title: format!("perfmod: ignore {} on this line", finding.rule),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: diagnostic.map(|d| vec![d]),
                    edit: Some(style.edit(snapshot, &ignored)),
                    ..CodeAction::default()
                });
            }
        }
    }
    if wanted(&fix_all_kind()) {
        if let Some(fixed) = analysis.fix_all(text) {
            let title = match analysis.project.unsafe_fixes {
                true => "perfmod: fix all in file (unsafe included)",
                false => "perfmod: fix all safe in file",
            };
            actions.push(CodeAction {
                title: title.into(),
                kind: Some(fix_all_kind()),
                edit: Some(style.edit(snapshot, &fixed)),
                ..CodeAction::default()
            });
        }
    }
    actions.into_iter().map(CodeActionOrCommand::CodeAction).collect()
}

/// The client's diagnostic for this finding, if it sent it back.
fn matching_diagnostic(diagnostics: &[Diagnostic], finding: &Finding, range: Range) -> Option<Diagnostic> {
    diagnostics
        .iter()
        .find(|d| {
            d.source.as_deref() == Some(SOURCE)
                && d.code == Some(NumberOrString::String(finding.rule.clone()))
                && d.range == range
        })
        .cloned()
}

/// The docs of every rule with a finding under the cursor.
pub fn hover(
    snapshot: &Snapshot,
    analysis: &Analysis,
    at: lsp_types::Position,
    docs: impl Fn(&str) -> Option<String>,
) -> Option<Hover> {
    let text = &*snapshot.text;
    let cursor = offset(text, at);
    let index = LineIndex::new(text);
    let under: Vec<&Finding> = analysis
        .findings
        .iter()
        .filter(|f| document_range(text, f).contains(&cursor))
        .collect();
    let first = under.first()?;
    let mut rules: Vec<&str> = under.iter().map(|f| f.rule.as_str()).collect();
    rules.dedup();
    let value = rules
        .iter()
        .filter_map(|rule| docs(rule))
        .collect::<Vec<_>>()
        .join("\n---\n");
    (!value.is_empty()).then(|| Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(index.range(document_range(text, first))),
    })
}
