//! `perfmod server`: a Language Server Protocol server over stdio, so findings
//! and rewrites show up in the editor as diagnostics and quick fixes.
//!
//! The main thread only reads messages, keeps the open documents and hands
//! work out: checks go to the diagnostics worker (debounced, stale versions
//! skipped), code actions, hovers and commands each run on a thread of their
//! own with a snapshot of their document, so a slow file never holds up the
//! editor. The server never writes a file: edits go to the client.
mod actions;
mod analysis;
mod diagnostics;
mod documents;
mod transport;

use analysis::{Analysis, Analyzer, ClientOptions};
use diagnostics::Results;
use documents::{Documents, Snapshot};
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeActionOptions, CodeActionProviderCapability, ExecuteCommandOptions, ExecuteCommandParams,
    HoverProviderCapability, InitializeParams, InitializeResult, MessageType, ServerCapabilities, ServerInfo,
    ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions,
};
use std::collections::HashSet;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use transport::Outbox;

/// Runs the server until the client says `exit`: exit code 0 after a
/// `shutdown` request, 1 without one (as the spec asks), 1 too when the
/// input ends first.
pub fn run() -> ExitCode {
    let (outbox, inbox) = transport::stdio();
    let mut server = Server::new(outbox.clone());
    let mut code = ExitCode::FAILURE;
    for message in inbox {
        match message {
            Message::Request(request) => server.on_request(request),
            Message::Notification(notification) if notification.method == note::Exit::METHOD => {
                if server.shut_down {
                    code = ExitCode::SUCCESS;
                }
                break;
            }
            Message::Notification(notification) => server.on_notification(notification),
            // Answers to our requests (workspace/applyEdit...): nothing waits on them.
            Message::Response(_) => {}
        }
    }
    outbox.flush();
    code
}

struct Server {
    outbox: Outbox,
    documents: Documents,
    analyzer: Arc<Analyzer>,
    results: Arc<Results>,
    checks: std::sync::mpsc::Sender<Snapshot>,
    initialized: bool,
    shut_down: bool,
    style: actions::EditStyle,
    /// The client resolves code actions: their edits are made on `codeAction/resolve`.
    lazy_edits: bool,
    /// Requests the client cancelled while they ran: answered `RequestCanceled`.
    cancelled: Arc<Mutex<HashSet<RequestId>>>,
    next_request: i32,
}

impl Server {
    fn new(outbox: Outbox) -> Self {
        let analyzer = Arc::new(Analyzer::default());
        let results = Arc::new(Results::default());
        let checks = diagnostics::spawn_worker(analyzer.clone(), results.clone(), outbox.clone());
        Server {
            outbox,
            documents: Documents::default(),
            analyzer,
            results,
            checks,
            initialized: false,
            shut_down: false,
            style: actions::EditStyle::default(),
            lazy_edits: false,
            cancelled: Arc::default(),
            next_request: 0,
        }
    }

    fn on_request(&mut self, request: Request) {
        let id = request.id.clone();
        if !self.initialized && request.method != req::Initialize::METHOD {
            return self.outbox.error(
                id,
                ErrorCode::ServerNotInitialized,
                "the client has not sent `initialize`",
            );
        }
        if self.shut_down {
            return self.outbox.error(
                id,
                ErrorCode::InvalidRequest,
                "the server is shut down; only `exit` is accepted",
            );
        }
        let result = match request.method.as_str() {
            req::Initialize::METHOD => params(request).map(|(id, p)| self.initialize(id, p)),
            req::Shutdown::METHOD => {
                self.shut_down = true;
                self.outbox.respond(id.clone(), ());
                Ok(())
            }
            req::CodeActionRequest::METHOD => params(request).map(|(id, p)| self.code_action(id, p)),
            req::CodeActionResolveRequest::METHOD => params(request).map(|(id, p)| self.resolve_code_action(id, p)),
            req::HoverRequest::METHOD => params(request).map(|(id, p)| self.hover(id, p)),
            req::ExecuteCommand::METHOD => params(request).map(|(id, p)| self.execute_command(id, p)),
            method => Err((ErrorCode::MethodNotFound, format!("perfmod does not handle `{method}`"))),
        };
        if let Err((code, message)) = result {
            self.outbox.error(id, code, message);
        }
    }

    fn initialize(&mut self, id: RequestId, params: InitializeParams) {
        if self.initialized {
            return self
                .outbox
                .error(id, ErrorCode::InvalidRequest, "`initialize` was already received");
        }
        self.initialized = true;
        if let Some(options) = params.initialization_options {
            self.set_options(options);
        }
        let capabilities = &params.capabilities;
        self.style.versioned = capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.workspace_edit.as_ref())
            .and_then(|e| e.document_changes)
            .unwrap_or(false);
        self.lazy_edits = capabilities
            .text_document
            .as_ref()
            .and_then(|t| t.code_action.as_ref())
            .and_then(|c| c.resolve_support.as_ref())
            .is_some_and(|r| r.properties.iter().any(|p| p == "edit"));
        let watch = capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files)
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        let result = InitializeResult {
            capabilities: ServerCapabilities {
                text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                    ..TextDocumentSyncOptions::default()
                })),
                code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                    code_action_kinds: Some(vec![lsp_types::CodeActionKind::QUICKFIX, actions::fix_all_kind()]),
                    resolve_provider: Some(true),
                    ..CodeActionOptions::default()
                })),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![actions::FIX_ALL_COMMAND.into(), actions::SHOW_DOCS_COMMAND.into()],
                    ..ExecuteCommandOptions::default()
                }),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "perfmod".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        };
        self.outbox.respond(id, result);
        if watch {
            self.watch_config_files();
        }
    }

    /// Asks the client to report changes of configuration files, so open
    /// documents are checked again under the new settings.
    fn watch_config_files(&mut self) {
        let watchers: Vec<_> = ["**/pyproject.toml", "**/perfmod.toml", "**/.perfmod.toml"]
            .iter()
            .map(|glob| lsp_types::FileSystemWatcher {
                glob_pattern: lsp_types::GlobPattern::String((*glob).into()),
                kind: None,
            })
            .collect();
        let registration = lsp_types::Registration {
            id: "perfmod-config-files".into(),
            method: note::DidChangeWatchedFiles::METHOD.into(),
            register_options: serde_json::to_value(lsp_types::DidChangeWatchedFilesRegistrationOptions { watchers })
                .ok(),
        };
        let id = self.outgoing_id();
        self.outbox.request::<req::RegisterCapability>(
            id,
            lsp_types::RegistrationParams {
                registrations: vec![registration],
            },
        );
    }

    fn outgoing_id(&mut self) -> RequestId {
        self.next_request += 1;
        RequestId::from(format!("perfmod-{}", self.next_request))
    }

    /// Takes the client's settings, as `{"unsafe": .., "select": [..]}` or
    /// under a `perfmod` key; a malformed one is reported and ignored.
    fn set_options(&mut self, value: serde_json::Value) {
        let value = match value.get("perfmod") {
            Some(inner) => inner.clone(),
            None => value,
        };
        match serde_json::from_value::<ClientOptions>(value) {
            Ok(options) => self.analyzer.set_options(options),
            Err(e) => self.outbox.notify::<note::ShowMessage>(ShowMessageParams {
                typ: MessageType::ERROR,
                message: format!("perfmod: settings ignored: {e}"),
            }),
        }
    }

    fn on_notification(&mut self, notification: Notification) {
        if !self.initialized {
            return;
        }
        // A malformed notification cannot be answered; it is dropped.
        match notification.method.as_str() {
            note::DidOpenTextDocument::METHOD => {
                if let Some(p) = notification_params::<lsp_types::DidOpenTextDocumentParams>(notification) {
                    let document = p.text_document;
                    let snapshot = self.documents.open(document.uri, document.version, document.text);
                    self.check(snapshot);
                }
            }
            note::DidChangeTextDocument::METHOD => {
                if let Some(p) = notification_params::<lsp_types::DidChangeTextDocumentParams>(notification) {
                    let document = p.text_document;
                    if let Some(snapshot) = self
                        .documents
                        .change(&document.uri, document.version, p.content_changes)
                    {
                        self.check(snapshot);
                    }
                }
            }
            note::DidSaveTextDocument::METHOD => {
                if let Some(p) = notification_params::<lsp_types::DidSaveTextDocumentParams>(notification) {
                    if let Some(snapshot) = self.documents.get(&p.text_document.uri) {
                        self.check(snapshot.clone());
                    }
                }
            }
            note::DidCloseTextDocument::METHOD => {
                if let Some(p) = notification_params::<lsp_types::DidCloseTextDocumentParams>(notification) {
                    let uri = p.text_document.uri;
                    self.documents.close(&uri);
                    self.results.set_version(&uri, None);
                    diagnostics::publish(&self.outbox, uri, None, Vec::new());
                }
            }
            note::DidChangeConfiguration::METHOD => {
                if let Some(p) = notification_params::<lsp_types::DidChangeConfigurationParams>(notification) {
                    self.set_options(p.settings);
                    self.check_all();
                }
            }
            note::DidChangeWatchedFiles::METHOD => self.check_all(),
            note::Cancel::METHOD => {
                if let Some(p) = notification_params::<lsp_types::CancelParams>(notification) {
                    let id = match p.id {
                        lsp_types::NumberOrString::Number(n) => RequestId::from(n),
                        lsp_types::NumberOrString::String(s) => RequestId::from(s),
                    };
                    self.cancelled.lock().expect("no panic holding the lock").insert(id);
                }
            }
            _ => {}
        }
    }

    fn check(&self, snapshot: Snapshot) {
        self.results.set_version(&snapshot.uri, Some(snapshot.version));
        // The worker only stops when the server does.
        let _ = self.checks.send(snapshot);
    }

    fn check_all(&self) {
        for snapshot in self.documents.all() {
            let _ = self.checks.send(snapshot.clone());
        }
    }

    /// Runs `answer` on its own thread with the document's snapshot and its
    /// analysis (the worker's when it is of this version, else made now).
    fn answer<R: serde::Serialize>(
        &self,
        id: RequestId,
        uri: &lsp_types::Url,
        answer: impl FnOnce(&Snapshot, &Analysis) -> Result<R, (ErrorCode, String)> + Send + 'static,
    ) {
        let Some(snapshot) = self.documents.get(uri).cloned() else {
            return self
                .outbox
                .error(id, ErrorCode::InvalidParams, format!("{uri} is not open"));
        };
        let (analyzer, results, outbox, cancelled) = (
            self.analyzer.clone(),
            self.results.clone(),
            self.outbox.clone(),
            self.cancelled.clone(),
        );
        std::thread::spawn(move || {
            let analysis = match results.get(&snapshot.uri, snapshot.version) {
                Some(analysis) => analysis,
                None => match analyzer.check(&snapshot.path, &snapshot.text) {
                    Ok(analysis) => Arc::new(analysis),
                    Err(e) => return outbox.error(id, ErrorCode::RequestFailed, format!("{e:#}")),
                },
            };
            let value = answer(&snapshot, &analysis);
            if cancelled.lock().expect("no panic holding the lock").remove(&id) {
                return outbox.error(id, ErrorCode::RequestCanceled, "cancelled");
            }
            match value {
                Ok(value) => outbox.respond(id, value),
                Err((code, message)) => outbox.error(id, code, message),
            }
        });
    }

    fn code_action(&self, id: RequestId, params: lsp_types::CodeActionParams) {
        let (style, lazy) = (self.style, self.lazy_edits);
        let uri = params.text_document.uri.clone();
        self.answer(id, &uri, move |snapshot, analysis| {
            Ok(actions::code_actions(snapshot, analysis, &params, style, lazy))
        });
    }

    fn resolve_code_action(&self, id: RequestId, action: lsp_types::CodeAction) {
        let Some(uri) = actions::resolve_target(&action) else {
            return self
                .outbox
                .error(id, ErrorCode::InvalidParams, "not a perfmod code action");
        };
        let style = self.style;
        self.answer(id, &uri, move |snapshot, analysis| {
            actions::resolve(action, snapshot, analysis, style)
        });
    }

    fn hover(&self, id: RequestId, params: lsp_types::HoverParams) {
        let at = params.text_document_position_params.position;
        let uri = params.text_document_position_params.text_document.uri;
        let analyzer = self.analyzer.clone();
        self.answer(id, &uri, move |snapshot, analysis| {
            Ok(actions::hover(snapshot, analysis, at, |rule| analyzer.rule_docs(rule)))
        });
    }

    /// `perfmod.applyFixAll [uri]`: the fix-all edit, sent to the client as a
    /// `workspace/applyEdit`. `perfmod.showRuleDocs [rule]`: the rule's docs,
    /// as the result and as a message.
    fn execute_command(&mut self, id: RequestId, params: ExecuteCommandParams) {
        let argument = params.arguments.first().and_then(|a| a.as_str()).map(str::to_string);
        match (params.command.as_str(), argument) {
            (actions::FIX_ALL_COMMAND, Some(uri)) => {
                let Ok(uri) = lsp_types::Url::parse(&uri) else {
                    return self
                        .outbox
                        .error(id, ErrorCode::InvalidParams, format!("`{uri}` is not a URI"));
                };
                let (style, outbox, edit_id) = (self.style, self.outbox.clone(), self.outgoing_id());
                self.answer(id, &uri, move |snapshot, analysis| {
                    if let Some(fixed) = analysis.fix_all(&snapshot.text) {
                        outbox.request::<req::ApplyWorkspaceEdit>(
                            edit_id,
                            lsp_types::ApplyWorkspaceEditParams {
                                label: Some("perfmod: fix all".into()),
                                edit: style.edit(snapshot, &fixed),
                            },
                        );
                    }
                    Ok(serde_json::Value::Null)
                });
            }
            (actions::SHOW_DOCS_COMMAND, Some(rule)) => match self.analyzer.rule_docs(&rule) {
                Some(docs) => {
                    self.outbox.notify::<note::ShowMessage>(ShowMessageParams {
                        typ: MessageType::INFO,
                        message: docs.clone(),
                    });
                    self.outbox.respond(id, docs);
                }
                None => self
                    .outbox
                    .error(id, ErrorCode::InvalidParams, format!("unknown rule `{rule}`")),
            },
            (command, _) => self.outbox.error(
                id,
                ErrorCode::InvalidParams,
                format!(
                    "unknown command `{command}` or missing argument: `{}` takes a document URI, `{}` a rule id",
                    actions::FIX_ALL_COMMAND,
                    actions::SHOW_DOCS_COMMAND
                ),
            ),
        }
    }
}

fn notification_params<P: serde::de::DeserializeOwned>(notification: Notification) -> Option<P> {
    serde_json::from_value(notification.params).ok()
}

/// A request's parameters, or the `InvalidParams` error naming what is wrong.
fn params<P: serde::de::DeserializeOwned>(request: Request) -> Result<(RequestId, P), (ErrorCode, String)> {
    let method = request.method.clone();
    serde_json::from_value(request.params)
        .map(|p| (request.id, p))
        .map_err(|e| (ErrorCode::InvalidParams, format!("invalid `{method}` parameters: {e}")))
}
