//! `perfmod fix`: diffs of the rewrites (dry run), or `--apply` to write them.
//!
//! One path for every way of choosing rewrites: the engine plans each file's
//! fixes once; `--hot`, `--changed-lines-only` and `--interactive` each pick a
//! [`FixFilter`] over that plan, which is rendered, compiled with the user's
//! Python, written and checked with `--verify-cmd` the same way.
use super::{apply_profile, interactive, process_files, render_chosen, ExitStatus};
use crate::cli::FixArgs;
use crate::edit::Safety;
use crate::engine::{self, FixFilter};
use crate::report::{diff, display_path, use_colour};
use crate::run::FileResult;
use crate::settings::Settings;
use crate::vcs::refuse_uncommitted;
use crate::verify;
use crate::write::write_atomically;
use std::collections::{BTreeMap, HashMap};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

pub fn run_fix(args: &FixArgs) -> anyhow::Result<ExitStatus> {
    if args.profile.profile.is_some() && args.profile.hot.is_none() {
        anyhow::bail!(
            "`fix` uses a profile to rewrite only the hot code: add --hot PCT \
             (`perfmod check --profile FILE` ranks the findings)"
        );
    }
    if args.verify.verify_cmd.is_some() && !(args.apply || args.interactive) {
        anyhow::bail!("--verify-cmd runs after the rewrites are written: add --apply (or --interactive)");
    }
    let settings = Settings::resolve(&args.common, true)?;
    let unsafe_fixes = settings.unsafe_fixes()?;
    let from_stdin = settings.stdin_filename.is_some();
    let changed_lines_only = settings.changes.as_ref().is_some_and(|c| c.lines_only);
    // Writes happen with --apply and with --interactive (which asks first).
    let apply = args.apply || args.interactive;
    let (mut results, mut failed) = process_files(&settings)?;
    let timing = apply_profile(&args.profile, &mut results, &mut std::io::stderr().lock())?;
    if from_stdin {
        return write_stdin_result(&results, failed);
    }
    let stdout = std::io::stdout();
    let colour = use_colour(stdout.is_terminal());
    let mut out = stdout.lock();
    let mut err = std::io::stderr().lock();
    // Files with rewrites that were not written: refused, or the write failed.
    let mut not_written = 0;
    // Every way of choosing rewrites is a filter over each file's plan,
    // rendered once; then every path compiles, writes and verifies alike.
    let chosen: Option<HashMap<PathBuf, FixFilter>> = if args.interactive {
        // Not asked about files that could not be written anyway.
        if !args.allow_dirty {
            not_written += report_refused(&mut results, &mut err)?;
        }
        let mut input = std::io::stdin().lock();
        Some(interactive::choose(&results, &mut input, &mut out, &mut err, colour)?)
    } else if changed_lines_only {
        // The findings left are those on changed lines: their first round.
        Some(
            results
                .iter()
                .filter_map(|r| Some((r.path.clone(), r.outcome.as_ref().ok()?, r.rules.as_ref()?)))
                .map(|(path, outcome, rules)| {
                    let ids = engine::choose_fixes(&outcome.findings, rules.mode)
                        .iter()
                        .map(|f| f.id())
                        .collect();
                    (path, FixFilter::Only(ids))
                })
                .collect(),
        )
    } else {
        timing.map(|timing| {
            results
                .iter()
                .map(|r| (r.path.clone(), FixFilter::Within(timing.hot_ranges(&r.path))))
                .collect()
        })
    };
    if let Some(chosen) = chosen {
        failed |= render_chosen(&mut results, &chosen, &mut err)?;
    }
    verify::compile_check(&args.verify, apply, &mut results, &mut err)?;
    if apply && !args.allow_dirty {
        not_written += report_refused(&mut results, &mut err)?;
    }
    failed |= not_written > 0;
    // Under --verify-cmd every way out before the verification restores the files.
    let mut journal = verify::Journal::start(args.verify.verify_cmd.as_deref(), apply);
    let mut stdout_closed = false;
    let (mut files, mut fixes) = (0, 0);
    let mut hidden = 0;
    for result in &results {
        let Ok(outcome) = &result.outcome else {
            continue;
        };
        hidden += outcome
            .findings
            .iter()
            .filter(|f| {
                let unsafe_on = result.rules.as_ref().map_or(unsafe_fixes, |r| r.mode.unsafe_fixes);
                !unsafe_on && f.fix.as_ref().is_some_and(|x| x.safety == Safety::Unsafe)
            })
            .count();
        let (Some(fixed), Some(original)) = (&outcome.fixed, &result.original) else {
            continue;
        };
        let path = display_path(&result.path);
        if apply {
            if let Some(journal) = &mut journal {
                if journal.interrupted() {
                    anyhow::bail!("interrupted while writing the rewrites");
                }
                journal.record(&result.path, original, fixed);
            }
            if let Err(e) = write_atomically(&result.path, original, fixed) {
                failed = true;
                not_written += 1;
                writeln!(err, "error: {path}: {e:#}")?;
                continue;
            }
            let mut per_rule: BTreeMap<&str, usize> = BTreeMap::new();
            for applied in &outcome.applied {
                *per_rule.entry(&applied.rule).or_default() += 1;
            }
            let summary: Vec<String> = per_rule.iter().map(|(rule, n)| format!("{rule} ×{n}")).collect();
            report_fixed(
                &mut out,
                &mut stdout_closed,
                &format!("fixed {path}: {}", summary.join(", ")),
            )?;
        } else {
            // The file was valid UTF-8 when read.
            let old = String::from_utf8_lossy(original);
            diff::write_diff(&mut out, &path, &old, fixed, colour)?;
        }
        files += 1;
        fixes += outcome.applied.len();
    }
    if !stdout_closed {
        out.flush()?;
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let verb = if apply { "Fixed" } else { "Would fix" };
    if fixes == 0 && not_written > 0 {
        writeln!(
            err,
            "No rewrites made: {} could not be written (see above).",
            plural(not_written, "file")
        )?;
    } else if fixes == 0 {
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
    let verified = verify::run_command(&args.verify, journal, &results, &mut err)?;
    let benched = verify::run_benchmark(&args.verify, &results, &mut err)?;
    Ok(if failed {
        ExitStatus::Error
    } else if files > 0 && !apply {
        ExitStatus::Findings
    } else {
        verified.max(benched)
    })
}

/// Drops the files with uncommitted changes from `results`, one error line
/// each; whether there were any.
fn report_refused(results: &mut [FileResult], err: &mut impl Write) -> anyhow::Result<usize> {
    let refused = refuse_uncommitted(results);
    for (path, reason) in &refused {
        writeln!(err, "error: {}: {reason}", display_path(path))?;
    }
    Ok(refused.len())
}

/// Prints a `fixed` line. A closed stdout (`| head -1`) stops the lines, not
/// the run: the writes go on, and `--verify-cmd` still judges them.
fn report_fixed(out: &mut impl Write, closed: &mut bool, line: &str) -> std::io::Result<()> {
    if *closed {
        return Ok(());
    }
    match writeln!(out, "{line}") {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            *closed = true;
            Ok(())
        }
        other => other,
    }
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
