//! One module per subcommand, each with one `run_*` function.
pub mod check;
pub mod fix;
pub mod hook;
pub mod interactive;
pub mod rules;

use crate::cache::Cache;
use crate::discover::{discover, in_shard, Discovered};
use crate::engine::{Mode, RuleSet};
use crate::report::display_path;
use crate::run::{self, FileResult};
use crate::settings::Settings;
use std::io::{Read, Write};

/// How a run ended; mapped to the process exit code in one place (`main`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitStatus {
    /// Nothing found (check) or nothing to change (dry run).
    Success,
    /// Findings (check) or pending rewrites (dry run).
    Findings,
    /// A file could not be processed, or the command line was wrong.
    Error,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Findings => 1,
            ExitStatus::Error => 2,
        }
    }
}

/// Discovers and processes the files of a run (or the source on stdin with
/// `--stdin-filename`), narrowed to `--changed-since` and `--shard`, printing one
/// line per file that could not be processed. Returns the results and whether
/// any file failed. With `--changed-lines-only` only findings on changed lines
/// are kept; the caller must then not use the fixpoint's `fixed` text.
fn process_files(settings: Settings, mode: Mode) -> anyhow::Result<(Vec<FileResult>, bool)> {
    process_files_with_rules(settings, mode).map(|(results, failed, _)| (results, failed))
}

/// [`process_files`], also handing back the rule set, for a later stage that
/// re-runs files (verification).
fn process_files_with_rules(settings: Settings, mode: Mode) -> anyhow::Result<(Vec<FileResult>, bool, RuleSet)> {
    let mut discovered = Discovered::default();
    if settings.stdin_filename.is_none() {
        discovered = discover(&settings.paths, &settings.exclude);
    }
    if let Some(changes) = &settings.changes {
        discovered.files.retain(|path| changes.contains(path));
    }
    if let Some(shard) = settings.shard {
        discovered.files.retain(|path| in_shard(path, shard));
    }
    let rules = RuleSet::new(settings.codemods, settings.options)?;
    let cache = settings
        .cache_dir
        .as_deref()
        .map(|dir| Cache::open(dir, rules.fingerprint()));
    let mut results = match &settings.stdin_filename {
        Some(path) => {
            let mut source = Vec::new();
            std::io::stdin().read_to_end(&mut source)?;
            let mut result = run::process_source(path, source.clone(), &rules, mode, None);
            // `fix` echoes the source when there is nothing to change.
            result.original.get_or_insert(source);
            vec![result]
        }
        None => run::run(&discovered.files, &rules, mode, settings.jobs, cache.as_ref()),
    };
    if let Some(changes) = settings.changes.as_ref().filter(|c| c.lines_only) {
        for result in &mut results {
            if let (Ok(outcome), Some(lines)) = (&mut result.outcome, changes.lines(&result.path)) {
                outcome.findings.retain(|f| lines.touches(f.start.line, f.end.line));
            }
        }
    }
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    let mut failed = !discovered.errors.is_empty();
    for (path, reason) in &discovered.errors {
        writeln!(err, "error: {}: {reason}", display_path(path))?;
    }
    for result in &results {
        match &result.outcome {
            Err(reason) => {
                failed = true;
                writeln!(err, "error: {}: {reason}", display_path(&result.path))?;
            }
            Ok(outcome) => {
                for warning in &outcome.warnings {
                    writeln!(err, "warning: {}: {warning}", display_path(&result.path))?;
                }
            }
        }
    }
    if let Some(cache) = cache {
        if let Err(e) = cache.save() {
            writeln!(err, "warning: could not write the result cache: {e}")?;
        }
    }
    Ok((results, failed, rules))
}
