//! Runs the engine over the discovered files in parallel (one parser per
//! thread) and hands back per-file results sorted by path, whatever the thread
//! count, so output is deterministic.
use crate::cache::Cache;
use crate::directives;
use crate::effect;
use crate::engine::module_index::{self, ProjectIndex};
use crate::engine::{self, FileOutcome, Mode, RuleSet};
use crate::project::{Projects, RulesKey};
use rayon::prelude::*;
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Files larger than this are reported, not parsed.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// The rules a file is processed with, from its configuration (see `project`).
pub struct FileRules {
    pub rules: RuleSet,
    pub mode: Mode,
    /// The result cache of this rule set; `None` with `--no-cache`.
    pub cache: Option<Cache>,
    /// Which group of files these are the rules of.
    pub key: RulesKey,
    /// Every rule id the configuration knows, for checking suppression comments.
    pub known_rules: Arc<BTreeSet<String>>,
}

pub struct FileResult {
    pub path: PathBuf,
    /// The rules it was processed with (`None`: it could not be read, or its
    /// configuration could not be resolved).
    pub rules: Option<Arc<FileRules>>,
    /// The bytes as read (kept only when the file has findings or was rewritten,
    /// for diffs, `fix --interactive` and the changed-on-disk check).
    pub original: Option<Vec<u8>>,
    pub outcome: Result<FileOutcome, String>,
}

thread_local! {
    static PARSER: RefCell<tree_sitter::Parser> = RefCell::new(engine::python_parser());
}

/// Runs above this many files show a progress bar (on a terminal, outside CI).
const PROGRESS_MIN_FILES: usize = 200;

/// Processes `files`, each with the rules of its configuration.
pub fn run(files: &[PathBuf], projects: &Projects, jobs: Option<usize>) -> Vec<FileResult> {
    let progress = progress_bar(files.len());
    let index = Arc::new(ProjectIndex::default());
    let work = || {
        files
            .par_iter()
            .map(|path| {
                let result = match projects.rules_for(path) {
                    Ok(rules) => process_path(path, &rules, projects, &index),
                    Err(e) => FileResult {
                        path: path.clone(),
                        rules: None,
                        original: None,
                        outcome: Err(format!("{e:#}")),
                    },
                };
                progress.inc(1);
                result
            })
            .collect::<Vec<_>>()
    };
    let mut results = match jobs {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(threads_for(n, files.len()))
            .build()
            .map_or_else(|_| work(), |pool| pool.install(work)),
        None => work(),
    };
    progress.finish_and_clear();
    results.sort_by(|a, b| a.path.cmp(&b.path));
    results
}

/// `--jobs N`, capped at the work available: more threads than files would
/// only cost their start-up (`--jobs 10000` on one file took a minute).
fn threads_for(jobs: usize, files: usize) -> usize {
    jobs.min(files).max(1)
}

/// A bar on stderr for long runs, hidden when stderr is not a terminal (pipes,
/// redirects) or `CI` is set, so logs never fill with redraws.
fn progress_bar(files: usize) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    let in_ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
    if files <= PROGRESS_MIN_FILES || in_ci || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(files as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed}") {
        bar.set_style(style);
    }
    bar
}

fn process_path(path: &Path, rules: &Arc<FileRules>, projects: &Projects, index: &Arc<ProjectIndex>) -> FileResult {
    match read_source(path) {
        Ok(bytes) => process_in_project(path, bytes, rules, projects, index),
        Err(reason) => FileResult {
            path: path.to_path_buf(),
            rules: None,
            original: None,
            outcome: Err(reason),
        },
    }
}

/// Processes source that was not read from `path` itself (stdin, a git blob),
/// reporting it as `path`, with `rules` less those its `# perfmod: ignore-file`
/// comments name (`projects` builds that rule set). The rule set's cache
/// answers for bytes it has seen before.
pub fn process_source(path: &Path, bytes: Vec<u8>, rules: &Arc<FileRules>, projects: &Projects) -> FileResult {
    process_in_project(path, bytes, rules, projects, &Arc::default())
}

/// [`process_source`] with the modules of the project `path` imports from
/// summarised in `index` (shared by the files of one run).
fn process_in_project(
    path: &Path,
    bytes: Vec<u8>,
    rules: &Arc<FileRules>,
    projects: &Projects,
    index: &Arc<ProjectIndex>,
) -> FileResult {
    let result = |rules: Option<&Arc<FileRules>>, original, outcome| FileResult {
        path: path.to_path_buf(),
        rules: rules.cloned(),
        original,
        outcome,
    };
    let text = match decode(&bytes) {
        Ok(text) => text,
        Err(reason) => return result(None, None, Err(reason)),
    };
    let directives = directives::read(text, &rules.known_rules);
    let warnings: Vec<String> = directives
        .unknown
        .iter()
        .map(|(line, id)| format!("line {line}: unknown rule `{id}` in a `# perfmod: ignore` comment"))
        .collect();
    if directives.ignore_file {
        let outcome = FileOutcome {
            warnings,
            ..FileOutcome::default()
        };
        return result(Some(rules), None, Ok(outcome));
    }
    let file_rules;
    // Names of this rule set's rules or effect categories; an unknown id was
    // reported above and names nothing.
    let ignored: Vec<String> = directives
        .ignored_rules
        .into_iter()
        .filter(|name| effect::is_selector(name, &rules.rules.codemods))
        .collect();
    let rules = if !ignored.is_empty() {
        let mut key = rules.key.clone();
        key.without.extend(ignored);
        file_rules = match projects.rules(&key) {
            Ok(rules) => rules,
            Err(e) => return result(None, None, Err(format!("{e:#}"))),
        };
        &file_rules
    } else {
        rules
    };
    let mut outcome = process_text(path, &bytes, text, rules, index);
    if let Ok(outcome) = &mut outcome {
        outcome.warnings.splice(0..0, warnings);
    }
    let keep = outcome
        .as_ref()
        .is_ok_and(|o| o.fixed.is_some() || !o.findings.is_empty());
    result(Some(rules), keep.then_some(bytes), outcome)
}

/// Runs the rules over a file's decoded text, answered by the cache when it can.
fn process_text(
    path: &Path,
    bytes: &[u8],
    text: &str,
    rules: &FileRules,
    index: &Arc<ProjectIndex>,
) -> Result<FileOutcome, String> {
    let (mode, cache) = (rules.mode, rules.cache.as_ref());
    if let Some(cached) = cache.and_then(|c| c.lookup(path, bytes)) {
        // A cached file with nothing to apply needs no work; otherwise the
        // rewrites are computed afresh (the cache keeps no edits).
        if !mode.fix || !cached.findings.iter().any(|f| engine::applicable(f, mode)) {
            return Ok(cached);
        }
    }
    let (outcome, dependencies) = module_index::in_file(index, path, || {
        PARSER.with(|parser| engine::process(text, &rules.rules, mode, &mut parser.borrow_mut()))
    });
    if let (Some(cache), Ok(outcome)) = (cache, &outcome) {
        cache.record(path, bytes, outcome, dependencies);
    }
    outcome
}

/// Reads a regular file. It is opened without blocking and checked on the open
/// descriptor, so a FIFO or device put in a file's place is refused, never waited on.
fn read_source(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::File::options()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| e.to_string())?;
    let metadata = file.metadata().map_err(|e| e.to_string())?;
    if metadata.is_dir() {
        return Err("is a directory, not a Python file".into());
    }
    if !metadata.is_file() {
        return Err("is not a regular file (a FIFO, device or socket); skipped".into());
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(format!(
            "file is {} MiB, over the {} MiB limit; skipped",
            metadata.len() >> 20,
            MAX_FILE_BYTES >> 20
        ));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    Ok(bytes)
}

/// perfmod reads UTF-8 (with or without BOM), as Python does by default. A file
/// declaring another encoding is left alone rather than risk mojibake.
pub fn decode(bytes: &[u8]) -> Result<&str, String> {
    if bytes.contains(&0) {
        return Err("contains NUL bytes (binary file?); skipped".into());
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "not valid UTF-8 (byte {}); perfmod reads UTF-8 only, file left alone",
            e.valid_up_to()
        )
    })?;
    if has_lone_carriage_return(bytes) {
        // Python reads a lone `\r` as a line break; tree-sitter does not, so
        // the tree would disagree with what Python runs.
        return Err(
            "has CR-only (old Mac) line endings, which the parser does not read as Python does; file left alone".into(),
        );
    }
    if let Some(encoding) = declared_encoding(text) {
        let normalized = encoding.to_ascii_lowercase().replace('_', "-");
        if !matches!(normalized.as_str(), "utf-8" | "utf8" | "ascii" | "us-ascii") && !text.is_ascii() {
            return Err(format!(
                "declares encoding `{encoding}`; perfmod rewrites UTF-8 only, file left alone"
            ));
        }
    }
    Ok(text)
}

fn has_lone_carriage_return(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .enumerate()
        .any(|(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
}

/// The PEP 263 coding cookie: on line 1, or on line 2 below a comment or blank line.
fn declared_encoding(text: &str) -> Option<&str> {
    for line in text.lines().take(2) {
        let trimmed = line.trim_start();
        if !trimmed.starts_with('#') {
            if trimmed.is_empty() {
                continue;
            }
            return None;
        }
        if let Some(at) = line.find("coding") {
            let Some(rest) = line[at + 6..].strip_prefix([':', '=']) else {
                continue;
            };
            let rest = rest.trim_start();
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.')))
                .unwrap_or(rest.len());
            if end > 0 {
                return Some(&rest[..end]);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_never_outnumber_files() {
        assert_eq!(threads_for(10_000, 1), 1);
        assert_eq!(threads_for(4, 100), 4);
        assert_eq!(threads_for(0, 0), 1);
    }

    #[test]
    fn reads_coding_cookies() {
        assert_eq!(declared_encoding("# -*- coding: latin-1 -*-\nx = 1\n"), Some("latin-1"));
        assert_eq!(
            declared_encoding("#!/usr/bin/python\n# vim: set fileencoding=utf-8 :\n"),
            Some("utf-8")
        );
        assert_eq!(declared_encoding("x = 1\n# coding: latin-1\n"), None);
    }

    #[test]
    fn refuses_what_it_cannot_rewrite_faithfully() {
        assert!(decode(b"x = 1\x00").is_err());
        assert!(decode(b"x = '\xe9'\n").is_err());
        assert!(decode("# coding: latin-1\nx = 'é'\n".as_bytes()).is_err());
        assert!(decode(b"# coding: latin-1\nx = 1\n").is_ok());
        assert!(decode(b"x = 1\ry = 2\r").is_err());
        assert!(decode(b"x = 1\r\ny = 2\n").is_ok());
    }
}
