//! What the editor asks about a document: code actions (fix one finding, fix
//! the file, silence a finding) and hovers. Each
//! answer is computed from one snapshot of the document, and every edit is
//! the rendered text of the fix turned into one minimal text edit.
use super::analysis::{self, document_range, Analysis};
use super::diagnostics::SOURCE;
use super::documents::{minimal_edit, offset, LineIndex, Snapshot};
use crate::edit::Safety;
use crate::engine::Finding;
use lsp_server::ErrorCode;
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

/// What a code action does. It travels in the action's `data`, so a client
/// that resolves actions lazily gets the edit only for the one it applies.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(tag = "action", rename_all = "camelCase")]
enum Plan {
    /// One finding's rewrite, named by its rule and range.
    Fix { rule: String, start: usize, end: usize },
    /// `# perfmod: ignore[rule]` on the finding's line.
    Ignore { rule: String, start: usize, end: usize },
    /// Every applicable rewrite of the file, as `perfmod fix`.
    FixAll,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct ActionData {
    uri: lsp_types::Url,
    version: i32,
    plan: Plan,
}

impl Plan {
    fn for_finding(finding: &Finding, ignore: bool) -> Plan {
        let (rule, start, end) = (finding.rule.clone(), finding.range.start, finding.range.end);
        match ignore {
            true => Plan::Ignore { rule, start, end },
            false => Plan::Fix { rule, start, end },
        }
    }

    /// The document's text after the action; `None` when it cannot be done.
    fn render(&self, text: &str, analysis: &Analysis) -> Option<String> {
        let finding = |rule: &str, start: usize, end: usize| {
            analysis
                .findings
                .iter()
                .find(|f| f.rule == rule && f.range == (start..end))
        };
        match self {
            Plan::Fix { rule, start, end } => analysis.fix_one(text, finding(rule, *start, *end)?),
            Plan::Ignore { rule, start, end } => analysis::with_ignore_comment(text, finding(rule, *start, *end)?),
            Plan::FixAll => analysis.fix_all(text),
        }
    }
}

/// The code actions for the findings touching `params.range`, then "fix all".
/// With `lazy` their edits are left for `codeAction/resolve`.
pub fn code_actions(
    snapshot: &Snapshot,
    analysis: &Analysis,
    params: &CodeActionParams,
    style: EditStyle,
    lazy: bool,
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
    let mut offer = |title: String, kind: CodeActionKind, plan: Plan, diagnostic: Option<Diagnostic>, preferred| {
        let data = ActionData {
            uri: snapshot.uri.clone(),
            version: snapshot.version,
            plan,
        };
        let edit = match lazy {
            true => None,
            false => match data.plan.render(text, analysis) {
                Some(new) => Some(style.edit(snapshot, &new)),
                None => return,
            },
        };
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title,
            kind: Some(kind),
            diagnostics: diagnostic.map(|d| vec![d]),
            edit,
            is_preferred: preferred,
            data: serde_json::to_value(&data).ok(),
            ..CodeAction::default()
        }));
    };
    for finding in &analysis.findings {
        let range = document_range(text, finding);
        // Touching: a cursor at either end of the finding counts.
        if range.start > to || range.end < from || !wanted(&CodeActionKind::QUICKFIX) {
            continue;
        }
        let diagnostic = matching_diagnostic(&params.context.diagnostics, finding, index.range(range.clone()));
        if analysis.project.applies(finding) {
            let safe = analysis::fix_safety(finding) == Some(Safety::Safe);
            offer(
                format!("perfmod: fix {}{}", finding.rule, if safe { "" } else { " (unsafe)" }),
                CodeActionKind::QUICKFIX,
                Plan::for_finding(finding, false),
                diagnostic.clone(),
                Some(safe),
            );
        }
        offer(
            format!("perfmod: ignore {} on this line", finding.rule),
            CodeActionKind::QUICKFIX,
            Plan::for_finding(finding, true),
            diagnostic,
            None,
        );
    }
    if wanted(&fix_all_kind()) && analysis.findings.iter().any(|f| analysis.project.applies(f)) {
        let title = match analysis.project.unsafe_fixes {
            true => "perfmod: fix all in file (unsafe included)",
            false => "perfmod: fix all safe in file",
        };
        offer(title.into(), fix_all_kind(), Plan::FixAll, None, None);
    }
    actions
}

/// The document a code action to resolve is about.
pub fn resolve_target(action: &CodeAction) -> Option<lsp_types::Url> {
    let data: ActionData = serde_json::from_value(action.data.clone()?).ok()?;
    Some(data.uri)
}

/// `codeAction/resolve`: the action with its edit, made for the version of
/// the document it was offered for.
pub fn resolve(
    mut action: CodeAction,
    snapshot: &Snapshot,
    analysis: &Analysis,
    style: EditStyle,
) -> Result<CodeAction, (ErrorCode, String)> {
    if action.edit.is_some() {
        return Ok(action);
    }
    let data: ActionData = action
        .data
        .clone()
        .and_then(|d| serde_json::from_value(d).ok())
        .ok_or((ErrorCode::InvalidParams, "not a perfmod code action".to_string()))?;
    if data.version != snapshot.version {
        return Err((
            ErrorCode::ContentModified,
            "the document changed since the action was offered".into(),
        ));
    }
    let new = data.plan.render(&snapshot.text, analysis).ok_or((
        ErrorCode::RequestFailed,
        format!("`{}` cannot be applied to this text", action.title),
    ))?;
    action.edit = Some(style.edit(snapshot, &new));
    Ok(action)
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
