//! Checking documents off the main thread: a worker takes the newest version
//! of each changed document once the edits pause, checks it, and publishes the
//! findings as diagnostics unless the document moved on meanwhile.
use super::analysis::{self, Analysis, Analyzer};
use super::documents::{LineIndex, Snapshot};
use super::transport::Outbox;
use crate::edit::Safety;
use crate::engine::Finding;
use lsp_types::notification::{PublishDiagnostics, ShowMessage};
use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticSeverity, MessageType, NumberOrString, PublishDiagnosticsParams,
    ShowMessageParams, Url,
};
use std::collections::HashMap;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Where a rule's documentation lives: `<base><rule>/docs.md`.
pub const DOCS_BASE_URL: &str = "https://github.com/OWNER/perfmod/blob/main/codemods/";

/// How long the edits of a document must pause before it is checked: typing
/// is not checked keystroke by keystroke, and a pause is answered at once.
pub const DEBOUNCE: Duration = Duration::from_millis(15);

/// The name diagnostics carry as their `source`.
pub const SOURCE: &str = "perfmod";

/// The latest analysis of each open document, with the version it is of; code
/// actions and hovers read it instead of checking again.
#[derive(Default)]
pub struct Results {
    latest: Mutex<HashMap<Url, (i32, Arc<Analysis>)>>,
    /// The newest version of each open document (`None` once closed).
    versions: Mutex<HashMap<Url, i32>>,
}

impl Results {
    pub fn get(&self, uri: &Url, version: i32) -> Option<Arc<Analysis>> {
        let latest = self.latest.lock().expect("no panic holding the lock");
        latest.get(uri).filter(|(v, _)| *v == version).map(|(_, a)| a.clone())
    }

    fn is_current(&self, uri: &Url, version: i32) -> bool {
        self.versions.lock().expect("no panic holding the lock").get(uri) == Some(&version)
    }

    pub fn set_version(&self, uri: &Url, version: Option<i32>) {
        // One lock at a time: the worker takes `latest`, then `versions`.
        let mut versions = self.versions.lock().expect("no panic holding the lock");
        match version {
            Some(v) => {
                versions.insert(uri.clone(), v);
            }
            None => {
                versions.remove(uri);
                drop(versions);
                self.latest.lock().expect("no panic holding the lock").remove(uri);
            }
        }
    }
}

/// Starts the worker; send it each new snapshot of a document.
pub fn spawn_worker(analyzer: Arc<Analyzer>, results: Arc<Results>, outbox: Outbox) -> Sender<Snapshot> {
    let (sender, receiver) = mpsc::channel();
    std::thread::Builder::new()
        .name("perfmod-check".into())
        .spawn(move || work(&receiver, &analyzer, &results, &outbox))
        .expect("a thread can be started");
    sender
}

fn work(receiver: &Receiver<Snapshot>, analyzer: &Analyzer, results: &Results, outbox: &Outbox) {
    let mut pending: HashMap<Url, Snapshot> = HashMap::new();
    let mut quiet_since = Instant::now();
    let mut reported_error: Option<String> = None;
    loop {
        let next = if pending.is_empty() {
            receiver.recv().map_err(|_| RecvTimeoutError::Disconnected)
        } else {
            receiver.recv_timeout(DEBOUNCE.saturating_sub(quiet_since.elapsed()))
        };
        match next {
            Ok(snapshot) => {
                quiet_since = Instant::now();
                pending.insert(snapshot.uri.clone(), snapshot);
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return,
            Err(RecvTimeoutError::Timeout) => {}
        }
        for (_, snapshot) in pending.drain() {
            if !results.is_current(&snapshot.uri, snapshot.version) {
                continue;
            }
            let diagnostics = match analyzer.check(&snapshot.path, &snapshot.text) {
                Ok(analysis) => {
                    let diagnostics = to_diagnostics(&snapshot.text, &analysis);
                    let mut latest = results.latest.lock().expect("no panic holding the lock");
                    if results.is_current(&snapshot.uri, snapshot.version) {
                        latest.insert(snapshot.uri.clone(), (snapshot.version, Arc::new(analysis)));
                    }
                    reported_error = None;
                    diagnostics
                }
                Err(error) => {
                    // A broken pyproject.toml: said once, not on every keystroke.
                    let message = format!("perfmod: {error:#}");
                    if reported_error.as_ref() != Some(&message) {
                        outbox.notify::<ShowMessage>(ShowMessageParams {
                            typ: MessageType::ERROR,
                            message: message.clone(),
                        });
                        reported_error = Some(message);
                    }
                    Vec::new()
                }
            };
            // Published only if no newer version arrived while checking.
            if results.is_current(&snapshot.uri, snapshot.version) {
                publish(outbox, snapshot.uri, Some(snapshot.version), diagnostics);
            }
        }
    }
}

pub fn publish(outbox: &Outbox, uri: Url, version: Option<i32>, diagnostics: Vec<Diagnostic>) {
    outbox.notify::<PublishDiagnostics>(PublishDiagnosticsParams {
        uri,
        diagnostics,
        version,
    });
}

fn to_diagnostics(text: &str, analysis: &Analysis) -> Vec<Diagnostic> {
    let index = LineIndex::new(text);
    analysis
        .findings
        .iter()
        .map(|finding| {
            let category = analysis.project.codemod(&finding.rule).map(|c| c.category.as_str());
            Diagnostic {
                range: index.range(analysis::document_range(text, finding)),
                severity: Some(severity(category)),
                code: Some(NumberOrString::String(finding.rule.clone())),
                code_description: docs_url(&finding.rule).map(|href| CodeDescription { href }),
                source: Some(SOURCE.into()),
                message: message(finding, analysis.project.unsafe_fixes),
                related_information: None,
                tags: None,
                data: Some(serde_json::json!({ "fix": analysis::fix_safety(finding) })),
            }
        })
        .collect()
}

/// The message of `check`, and what `fix` would do with it.
fn message(finding: &Finding, unsafe_allowed: bool) -> String {
    match analysis::fix_safety(finding) {
        Some(Safety::Safe) => format!("{} [fix available]", finding.message),
        Some(Safety::Unsafe) if unsafe_allowed => format!("{} [unsafe fix available]", finding.message),
        Some(Safety::Unsafe) => format!("{} [unsafe fix: set `unsafe` to offer it]", finding.message),
        None => finding.message.clone(),
    }
}

/// Concurrency and database findings can stall a whole service; the rest cost
/// time or memory; typing modernisations are hints.
fn severity(category: Option<&str>) -> DiagnosticSeverity {
    match category {
        Some("concurrency" | "database") => DiagnosticSeverity::WARNING,
        Some("typing") => DiagnosticSeverity::HINT,
        _ => DiagnosticSeverity::INFORMATION,
    }
}

pub fn docs_url(rule: &str) -> Option<Url> {
    Url::parse(&format!("{DOCS_BASE_URL}{rule}/docs.md")).ok()
}
