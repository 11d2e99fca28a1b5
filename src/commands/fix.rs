//! `perfmod fix`: diffs of the rewrites (dry run), or `--apply` to write them.
use super::{process_files, ExitStatus};
use crate::cli::FixArgs;
use crate::edit::Safety;
use crate::engine::Mode;
use crate::report::{diff, display_path, use_colour};
use crate::settings::Settings;
use crate::write::write_atomically;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};

pub fn run_fix(args: &FixArgs) -> anyhow::Result<ExitStatus> {
    let settings = Settings::resolve(&args.common)?;
    let unsafe_fixes = settings.unsafe_fixes;
    let (results, mut failed) = process_files(
        settings,
        Mode {
            fix: true,
            unsafe_fixes,
        },
    )?;
    let stdout = std::io::stdout();
    let colour = use_colour(stdout.is_terminal());
    let mut out = stdout.lock();
    let mut err = std::io::stderr().lock();
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
    Ok(if failed {
        ExitStatus::Error
    } else if files > 0 && !args.apply {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}
