//! One module per subcommand, each with one `run_*` function.
pub mod check;
pub mod fix;
pub mod rules;

use crate::cache::Cache;
use crate::discover::discover;
use crate::engine::{Mode, RuleSet};
use crate::report::display_path;
use crate::run::{self, FileResult};
use crate::settings::Settings;
use std::io::Write;

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

/// Discovers and processes the files of a run, printing one line per file that
/// could not be processed. Returns the results and whether any file failed.
fn process_files(settings: Settings, mode: Mode) -> anyhow::Result<(Vec<FileResult>, bool)> {
    let discovered = discover(&settings.paths, &settings.exclude);
    let rules = RuleSet::new(settings.codemods, settings.options)?;
    let cache = settings
        .cache_dir
        .as_deref()
        .map(|dir| Cache::open(dir, rules.fingerprint()));
    let results = run::run(&discovered.files, &rules, mode, settings.jobs, cache.as_ref());
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
    Ok((results, failed))
}
