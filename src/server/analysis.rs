//! The language server's only door into the engine and the settings: every
//! call to `engine`, `settings`, `run` and `cache` the server makes is here,
//! so a change of the engine's API is re-wired in this one file.
//!
//! Results are what `perfmod check` reports and what `perfmod fix
//! --stdin-filename` writes for the same text and configuration.
use crate::cli::CommonArgs;
use crate::codemod::Codemod;
use crate::edit::Safety;
use crate::engine::{self, Finding, FixFilter, Mode, RuleSet};
use crate::run::{self, FileRules};
use crate::settings::{self, Settings};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::SystemTime;

/// Settings the client sends (`initializationOptions`, `workspace/didChangeConfiguration`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(default)]
pub struct ClientOptions {
    /// Offer (and apply in "fix all") rewrites marked unsafe.
    #[serde(rename = "unsafe")]
    pub unsafe_fixes: bool,
    /// Only these rules (ids), as `--select`.
    pub select: Option<Vec<String>>,
}

/// Files whose contents decide a document's settings.
const CONFIG_FILES: [&str; 3] = ["pyproject.toml", "perfmod.toml", ".perfmod.toml"];

/// Projects kept at once; past this the table starts afresh.
const MAX_PROJECTS: usize = 32;

/// What checking a document needs, resolved once per configuration.
pub struct Project {
    /// As `check` and `fix` run (with the result cache of those rules).
    rules: Arc<FileRules>,
    /// The same rules always matched over the whole file, so every finding
    /// carries its edits (the prefilter's fragment answers carry none).
    whole_file_rules: RuleSet,
    pub unsafe_fixes: bool,
}

impl Project {
    /// Whether "fix" applies this finding's rewrite with these settings.
    pub fn applies(&self, finding: &Finding) -> bool {
        engine::applicable(finding, self.mode(true))
    }

    fn mode(&self, fix: bool) -> Mode {
        Mode {
            fix,
            unsafe_fixes: self.unsafe_fixes,
        }
    }

    pub fn codemod(&self, rule: &str) -> Option<&Codemod> {
        self.rules.rules.codemods.iter().find(|c| c.id == rule)
    }
}

/// The configuration files above a document, with their modification times,
/// and the client's options.
type ProjectKey = (Vec<(PathBuf, Option<SystemTime>)>, ClientOptions);

/// Resolves and keeps [`Project`]s, keyed by the configuration files above a
/// document (with their modification times) and the client options: an edited
/// pyproject.toml is a new key, so the next check reads it.
#[derive(Default)]
pub struct Analyzer {
    options: RwLock<ClientOptions>,
    projects: Mutex<HashMap<ProjectKey, Arc<Project>>>,
    all_codemods: OnceLock<Vec<Codemod>>,
}

thread_local! {
    static PARSER: RefCell<tree_sitter::Parser> = RefCell::new(engine::python_parser());
}

/// Findings of one version of a document.
pub struct Analysis {
    pub project: Arc<Project>,
    pub findings: Vec<Finding>,
    /// The findings again with their edits, computed when a code action first needs them.
    detailed: OnceLock<Vec<Finding>>,
}

impl Analyzer {
    pub fn set_options(&self, options: ClientOptions) {
        *self.options.write().expect("no panic holding the lock") = options;
    }

    pub fn options(&self) -> ClientOptions {
        self.options.read().expect("no panic holding the lock").clone()
    }

    /// The settings of the file at `path` (which need not exist) with the client's options.
    pub fn project(&self, path: &Path) -> anyhow::Result<Arc<Project>> {
        let options = self.options();
        let key = (config_files_above(path), options.clone());
        if let Some(project) = self.projects.lock().expect("no panic holding the lock").get(&key) {
            return Ok(project.clone());
        }
        let args = CommonArgs {
            stdin_filename: Some(path.to_path_buf()),
            select: options.select.clone(),
            unsafe_fixes: options.unsafe_fixes,
            ..CommonArgs::default()
        };
        let settings = Settings::resolve(&args, false)?;
        let rules = settings.projects.rules_for(path)?;
        let unsafe_fixes = rules.mode.unsafe_fixes;
        // A second rule set of its own (codemods are not shared between rule sets).
        let whole = Settings::resolve(&args, false)?.projects.rules_for(path)?;
        let mut whole_file_rules = Arc::try_unwrap(whole)
            .map_err(|_| anyhow::anyhow!("the whole-file rule set is still shared"))?
            .rules;
        // Any positive share below every real fragment's: the literal scan still
        // narrows the query, but no fragment answers.
        whole_file_rules.max_fragment_share = f64::MIN_POSITIVE;
        let project = Arc::new(Project {
            rules,
            whole_file_rules,
            unsafe_fixes,
        });
        let mut projects = self.projects.lock().expect("no panic holding the lock");
        if projects.len() >= MAX_PROJECTS {
            projects.clear();
        }
        projects.insert(key, project.clone());
        Ok(project)
    }

    /// The findings `perfmod check` reports for `text` as the file `path`. A
    /// text the engine cannot read (a syntax error, NUL bytes...) has none.
    pub fn check(&self, path: &Path, text: &str) -> anyhow::Result<Analysis> {
        let project = self.project(path)?;
        let findings = if !readable(text) {
            Vec::new()
        } else if let Some(findings) = cached(&project, path, text) {
            findings
        } else {
            PARSER
                .with(|parser| {
                    engine::process(
                        text,
                        &project.rules.rules,
                        project.mode(false),
                        &mut parser.borrow_mut(),
                    )
                })
                .map(|outcome| outcome.findings)
                .unwrap_or_default()
        };
        Ok(Analysis {
            project,
            findings,
            detailed: OnceLock::new(),
        })
    }

    /// A rule's documentation in Markdown: what `perfmod explain` prints, with
    /// its "Measured effect" table (`perfmod bench`) where the rule has one.
    pub fn rule_docs(&self, rule: &str) -> Option<String> {
        let codemod = self
            .all_codemods
            .get_or_init(|| settings::load_codemods(None).unwrap_or_default())
            .iter()
            .find(|c| c.id == rule)?;
        Some(crate::commands::rules::explanation(codemod))
    }
}

/// Each configuration file at or above `path`, with its modification time:
/// a few `stat`s, so every check sees an edited configuration.
fn config_files_above(path: &Path) -> Vec<(PathBuf, Option<SystemTime>)> {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    absolute
        .ancestors()
        .skip(1)
        .flat_map(|dir| CONFIG_FILES.iter().map(move |name| dir.join(name)))
        .filter_map(|file| {
            let metadata = std::fs::metadata(&file).ok()?;
            Some((file, metadata.modified().ok()))
        })
        .collect()
}

/// The result cache answers for a file whose buffer is as saved and checked by
/// a run since (`check` records paths as given: absolute, or relative to the
/// directory the server runs in).
fn cached(project: &Project, path: &Path, text: &str) -> Option<Vec<Finding>> {
    let cache = project.rules.cache.as_ref()?;
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf));
    [Some(path.to_path_buf()), relative]
        .into_iter()
        .flatten()
        .find_map(|p| cache.lookup(&p, text.as_bytes()))
        .map(|outcome| outcome.findings)
}

impl Analysis {
    /// The findings with their edits (the same findings as [`Analysis::findings`]).
    pub fn detailed(&self, text: &str) -> &[Finding] {
        self.detailed.get_or_init(|| {
            PARSER
                .with(|parser| {
                    engine::process(
                        text,
                        &self.project.whole_file_rules,
                        self.project.mode(false),
                        &mut parser.borrow_mut(),
                    )
                })
                .map(|outcome| outcome.findings)
                .unwrap_or_default()
        })
    }

    /// The text after this one finding's rewrite with the imports it needs
    /// (what `fix --interactive` writes when only it is accepted).
    pub fn fix_one(&self, text: &str, finding: &Finding) -> Option<String> {
        let detailed = self
            .detailed(text)
            .iter()
            .find(|f| f.rule == finding.rule && f.range == finding.range)?;
        let only = FixFilter::Only(HashSet::from([detailed.id()]));
        PARSER
            .with(|parser| {
                engine::process_filtered(
                    text,
                    &self.project.whole_file_rules,
                    self.project.mode(true),
                    &only,
                    &mut parser.borrow_mut(),
                )
            })
            .ok()?
            .fixed
    }

    /// The text `perfmod fix --stdin-filename` prints: every applicable rewrite,
    /// to a fixpoint. `None` when nothing changes.
    pub fn fix_all(&self, text: &str) -> Option<String> {
        if !self.findings.iter().any(|f| self.project.applies(f)) {
            return None;
        }
        PARSER
            .with(|parser| {
                engine::process(
                    text,
                    &self.project.rules.rules,
                    self.project.mode(true),
                    &mut parser.borrow_mut(),
                )
            })
            .ok()?
            .fixed
    }
}

/// The byte range of a finding in the document's text (the engine's ranges
/// leave out a BOM).
pub fn document_range(text: &str, finding: &Finding) -> std::ops::Range<usize> {
    let bom = text.len() - text.strip_prefix('\u{feff}').unwrap_or(text).len();
    bom + finding.range.start..bom + finding.range.end
}

/// The safety of a finding's rewrite, if it has one.
pub fn fix_safety(finding: &Finding) -> Option<Safety> {
    finding.fix.as_ref().map(|fix| fix.safety)
}

/// The text with `# perfmod: ignore[rule]` on the finding's first line (or
/// added to the list of one already there), or on its last line when the first
/// ends inside a string or a continuation. `None` when neither is a place where
/// a comment parses as one.
pub fn with_ignore_comment(text: &str, finding: &Finding) -> Option<String> {
    let std::ops::Range { start, end } = document_range(text, finding);
    [start, end.saturating_sub(1).max(start)]
        .into_iter()
        .find_map(|offset| ignore_on_line(text, offset, &finding.rule))
}

fn ignore_on_line(text: &str, offset: usize, rule: &str) -> Option<String> {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let mut line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    if text[..line_end].ends_with('\r') {
        line_end -= 1;
    }
    let line = &text[line_start..line_end];
    const MARK: &str = "# perfmod: ignore[";
    let (at, insert) = match line.find(MARK) {
        Some(mark) => {
            let list_end = line[mark..].find(']')? + mark;
            (line_start + list_end, format!(", {rule}"))
        }
        None => (line_end, format!("  # perfmod: ignore[{rule}]")),
    };
    let new = format!("{}{insert}{}", &text[..at], &text[at..]);
    // The comment must be a comment to Python: not inside a string, not after a
    // backslash continuation.
    let comment_at = if line.contains(MARK) { at - 1 } else { at + 2 };
    let tree = PARSER.with(|parser| parser.borrow_mut().parse(&new, None))?;
    let node = tree.root_node().descendant_for_byte_range(comment_at, comment_at + 1)?;
    (node.kind() == "comment" && !tree.root_node().has_error()).then_some(new)
}

/// Text `check` refuses (NUL bytes, CR-only line endings, a non-UTF-8 coding
/// cookie, over the size limit) gets no findings rather than misplaced ones.
fn readable(text: &str) -> bool {
    text.len() as u64 <= run::MAX_FILE_BYTES && run::decode(text.as_bytes()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(text: &str, needle: &str, rule: &str) -> Finding {
        let start = text.find(needle).unwrap();
        Finding {
            rule: rule.into(),
            message: String::new(),
            range: start..start + needle.len(),
            start: engine::source::Position { line: 1, column: 1 },
            end: engine::source::Position { line: 1, column: 1 },
            fix: None,
        }
    }

    #[test]
    fn ignore_comment_goes_where_python_reads_a_comment() {
        let text = "x = 1 in [1, 2]\n";
        let new = with_ignore_comment(text, &finding(text, "1 in [1, 2]", "r")).unwrap();
        assert_eq!(new, "x = 1 in [1, 2]  # perfmod: ignore[r]\n");
        let text = "x = 1 in [1, 2]  # perfmod: ignore[a]\n";
        let new = with_ignore_comment(text, &finding(text, "1 in [1, 2]", "r")).unwrap();
        assert_eq!(new, "x = 1 in [1, 2]  # perfmod: ignore[a, r]\n");
        // The first line ends inside a string: the comment goes on the last line.
        let text = "f(\"\"\"a\nb\"\"\", y in [1])\n";
        let new = with_ignore_comment(text, &finding(text, "f(\"\"\"a\nb\"\"\", y in [1])", "r")).unwrap();
        assert_eq!(new, "f(\"\"\"a\nb\"\"\", y in [1])  # perfmod: ignore[r]\n");
        // After a backslash continuation a comment does not parse.
        let text = "x = \\\n  1\n";
        assert_eq!(with_ignore_comment(text, &finding(text, "x = \\", "r")), None);
    }
}
