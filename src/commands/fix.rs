//! `perfmod fix`: diffs of the rewrites (dry run), or `--apply` to write them.
use super::{apply_profile, interactive, process_files_with_rules, restrict_fixes_to_hot, ExitStatus};
use crate::cli::FixArgs;
use crate::edit::Safety;
use crate::engine::Mode;
use crate::report::{diff, display_path, use_colour};
use crate::run::FileResult;
use crate::settings::Settings;
use crate::vcs::refuse_uncommitted;
use crate::verify;
use crate::write::write_atomically;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};

pub fn run_fix(args: &FixArgs) -> anyhow::Result<ExitStatus> {
    if args.profile.profile.is_some() && args.profile.hot.is_none() {
        anyhow::bail!(
            "`fix` uses a profile to rewrite only the hot code: add --hot PCT \
             (`perfmod check --profile FILE` ranks the findings)"
        );
    }
    if args.interactive || args.common.changed_lines_only {
        return interactive::run_selected(args);
    }
    let settings = Settings::resolve(&args.common)?;
    let unsafe_fixes = settings.unsafe_fixes;
    let from_stdin = settings.stdin_filename.is_some();
    let mode = Mode {
        fix: true,
        unsafe_fixes,
    };
    let (mut results, mut failed, rules) = process_files_with_rules(settings, mode)?;
    if let Some(timing) = apply_profile(&args.profile, &mut results, &mut std::io::stderr().lock())? {
        failed |= restrict_fixes_to_hot(&mut results, &timing, &rules, mode, &mut std::io::stderr().lock())?;
    }
    if from_stdin {
        return write_stdin_result(&results, failed);
    }
    let stdout = std::io::stdout();
    let colour = use_colour(stdout.is_terminal());
    let mut out = stdout.lock();
    let mut err = std::io::stderr().lock();
    verify::compile_check(&args.verify, args.apply, &mut results, &rules, mode, &mut err)?;
    if args.apply && !args.allow_dirty {
        for (path, reason) in refuse_uncommitted(&mut results) {
            failed = true;
            writeln!(err, "error: {}: {reason}", display_path(&path))?;
        }
    }
    let (mut files, mut fixes) = (0, 0);
    let mut hidden = 0;
    for result in &results {
        let Ok(outcome) = &result.outcome else {
            continue;
        };
        hidden += outcome
            .findings
            .iter()
            .filter(|f| !unsafe_fixes && f.fix.as_ref().is_some_and(|x| x.safety == Safety::Unsafe))
            .count();
        let (Some(fixed), Some(original)) = (&outcome.fixed, &result.original) else {
            continue;
        };
        let path = display_path(&result.path);
        if args.apply {
            if let Err(e) = write_atomically(&result.path, original, fixed) {
                failed = true;
                writeln!(err, "error: {path}: {e:#}")?;
                continue;
            }
            let mut per_rule: BTreeMap<&str, usize> = BTreeMap::new();
            for applied in &outcome.applied {
                *per_rule.entry(&applied.rule).or_default() += 1;
            }
            let summary: Vec<String> = per_rule.iter().map(|(rule, n)| format!("{rule} ×{n}")).collect();
            writeln!(out, "fixed {path}: {}", summary.join(", "))?;
        } else {
            // The file was valid UTF-8 when read.
            let old = String::from_utf8_lossy(original);
            diff::write_diff(&mut out, &path, &old, fixed, colour)?;
        }
        files += 1;
        fixes += outcome.applied.len();
    }
    out.flush()?;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let verb = if args.apply { "Fixed" } else { "Would fix" };
    if fixes == 0 {
        writeln!(err, "No rewrites to make.")?;
    } else {
        writeln!(err, "{verb} {} in {}.", plural(fixes, "finding"), plural(files, "file"))?;
    }
    if hidden > 0 {
        writeln!(
            err,
            "{} more can be applied with --unsafe (see `perfmod explain RULE`).",
            plural(hidden, "unsafe rewrite")
        )?;
    }
    let verified = verify::run_command(&args.verify, &results, &rules, mode, &mut err)?;
    let benched = verify::run_benchmark(&args.verify, &results, &mut err)?;
    Ok(if failed {
        ExitStatus::Error
    } else if files > 0 && !args.apply {
        ExitStatus::Findings
    } else {
        verified.max(benched)
    })
}

/// `--stdin-filename`: the fixed source on stdout, or the source unchanged when
/// there is nothing to fix or it could not be processed (so an editor replacing
/// its buffer with our output never loses text).
fn write_stdin_result(results: &[FileResult], failed: bool) -> anyhow::Result<ExitStatus> {
    let mut out = std::io::stdout().lock();
    for result in results {
        let fixed = result.outcome.as_ref().ok().and_then(|o| o.fixed.as_deref());
        match (fixed, &result.original) {
            (Some(fixed), _) => out.write_all(fixed.as_bytes())?,
            (None, Some(original)) => out.write_all(original)?,
            (None, None) => {}
        }
    }
    out.flush()?;
    Ok(if failed { ExitStatus::Error } else { ExitStatus::Success })
}
