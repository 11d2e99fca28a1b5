//! One module per subcommand, each with one `run_*` function.
pub mod bench;
pub mod check;
pub mod fix;
pub mod hook;
pub mod interactive;
pub mod man;
pub mod rules;

use crate::cli::ProfileArgs;
use crate::discover::{discover, in_shard, Discovered, ShardKeys};
use crate::engine::{self, FixFilter};
use crate::profile::timing::{Checked, Timing};
use crate::profile::Profile;
use crate::report::display_path;
use crate::run::{self, FileResult};
use crate::settings::Settings;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::Path;

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
/// `--stdin-filename`), each with the rules of its configuration, narrowed to
/// `--changed-since` and `--shard`, printing one line per file that could not
/// be processed. Returns the results and whether any file failed. With
/// `--changed-lines-only` only findings on changed lines are kept; the caller
/// must then not use the fixpoint's `fixed` text.
fn process_files(settings: &Settings) -> anyhow::Result<(Vec<FileResult>, bool)> {
    let mut discovered = Discovered::default();
    if settings.stdin_filename.is_none() {
        let projects = &settings.projects;
        let excluded = |path: &std::path::Path| projects.excludes(path);
        discovered = discover(&settings.paths, &settings.exclude, &excluded);
    }
    if let Some(changes) = &settings.changes {
        discovered.files.retain(|path| changes.contains(path));
    }
    if let Some(shard) = settings.shard {
        let mut keys = ShardKeys::default();
        discovered.files.retain(|path| in_shard(&keys.of(path), shard));
    }
    let mut results = match &settings.stdin_filename {
        Some(path) => {
            let mut source = Vec::new();
            std::io::stdin().read_to_end(&mut source)?;
            let rules = settings.projects.rules_for(path)?;
            let mut result = run::process_source(path, source.clone(), &rules, &settings.projects);
            // `fix` echoes the source when there is nothing to change.
            result.original.get_or_insert(source);
            vec![result]
        }
        None => run::run(&discovered.files, &settings.projects, settings.jobs),
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
    for (path, reason) in &discovered.skipped {
        writeln!(err, "warning: {}: {reason}", display_path(path))?;
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
    for rules in settings.projects.built() {
        if let Some(Err(e)) = rules.cache.as_ref().map(|c| c.save()) {
            writeln!(err, "warning: could not write the result cache: {e}")?;
        }
    }
    Ok((results, failed))
}

/// `--profile`: the profile mapped onto the files of a run, with `--hot` applied
/// (findings outside the hot functions are dropped from `results`). Prints what
/// could not be read of the profile, and one line on how much of it matched.
fn apply_profile(
    args: &ProfileArgs,
    results: &mut [FileResult],
    err: &mut impl Write,
) -> anyhow::Result<Option<Timing>> {
    let Some(path) = &args.profile else {
        return Ok(None);
    };
    let profile = Profile::load(path)?;
    for note in &profile.notes {
        writeln!(err, "warning: {}: {note}", path.display())?;
    }
    let checked: Vec<Checked> = results
        .iter()
        .filter_map(|r| {
            let outcome = r.outcome.as_ref().ok()?;
            Some(Checked {
                path: &r.path,
                has_findings: !outcome.findings.is_empty(),
            })
        })
        .collect();
    let kept: HashMap<&Path, &[u8]> = results
        .iter()
        .filter_map(|r| Some((r.path.as_path(), r.original.as_deref()?)))
        .collect();
    let read = |file: &Path| -> Option<String> {
        let bytes = match kept.get(file) {
            Some(bytes) => bytes.to_vec(),
            None => std::fs::read(file).ok()?,
        };
        run::decode(&bytes).ok().map(str::to_string)
    };
    let mut timing = Timing::new(&profile, &checked, read);
    let outside = all_findings(results)
        .filter(|(path, f)| timing.of(path, f).is_none_or(|t| t.share.is_none()))
        .count();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    writeln!(
        err,
        "profile: {} of {} in {} ({}) matched the checked code; {} outside any profiled function.",
        timing.summary.matched,
        plural(timing.summary.functions, "function"),
        path.display(),
        profile.format,
        plural(outside, "finding"),
    )?;
    if let Some(percent) = args.hot {
        timing.select_hot(percent);
        let before = all_findings(results).count();
        for result in results.iter_mut() {
            if let Ok(outcome) = &mut result.outcome {
                outcome.findings.retain(|f| timing.is_hot(&result.path, f));
            }
        }
        let dropped = before - all_findings(results).count();
        let hot = match timing.hot_count() {
            1 => "the hottest function takes".to_string(),
            n => format!("the {n} hottest functions take"),
        };
        writeln!(
            err,
            "hot: {hot} {:.1}% of the time (--hot {percent}); {} outside them left out.",
            100.0 * timing.hot_share(),
            plural(dropped, "finding"),
        )?;
    }
    Ok(Some(timing))
}

fn all_findings(results: &[FileResult]) -> impl Iterator<Item = (&Path, &engine::Finding)> {
    results
        .iter()
        .filter_map(|r| Some((r.path.as_path(), r.outcome.as_ref().ok()?)))
        .flat_map(|(path, o)| o.findings.iter().map(move |f| (path, f)))
}

/// Renders each file of `chosen` with only the fixes its filter allows: the
/// fixpoint is re-run for a file whose plan holds a fix the filter leaves out
/// (a plan whose every fix is allowed renders to what it already is).
fn render_chosen(
    results: &mut [FileResult],
    chosen: &HashMap<std::path::PathBuf, FixFilter>,
    err: &mut impl Write,
) -> anyhow::Result<bool> {
    let mut parser = engine::python_parser();
    let mut failed = false;
    for result in results.iter_mut() {
        let (Ok(outcome), Some(original), Some(rules)) = (&mut result.outcome, &result.original, &result.rules) else {
            continue;
        };
        let Some(filter) = chosen.get(&result.path) else {
            continue;
        };
        if outcome.fixed.is_none() || outcome.applied.iter().all(|a| filter.allows(&a.id())) {
            continue;
        }
        if matches!(filter, FixFilter::Only(ids) if ids.is_empty()) {
            outcome.fixed = None;
            outcome.applied.clear();
            continue;
        }
        // The file was valid UTF-8 when read.
        let text = String::from_utf8_lossy(original);
        match engine::process_filtered(&text, &rules.rules, rules.mode, filter, &mut parser) {
            Ok(rendered) => {
                outcome.fixed = rendered.fixed;
                outcome.applied = rendered.applied;
            }
            Err(reason) => {
                failed = true;
                writeln!(err, "error: {}: {reason}", display_path(&result.path))?;
                outcome.fixed = None;
                outcome.applied.clear();
            }
        }
    }
    Ok(failed)
}
