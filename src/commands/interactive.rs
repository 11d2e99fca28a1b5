//! `fix` with a say over which rewrites land: `--interactive` asks about each
//! one, like `git add -p`; `--changed-lines-only` keeps those on changed lines.
//!
//! The engine applies fixes in rounds until nothing changes, and a later round
//! may depend on an earlier one, so a choice can only be offered on one round:
//! each file's first round (applicable fixes, none overlapping, as the engine
//! would pick them). The accepted subset is applied in one round with its
//! imports (`engine::apply_chosen`) and written atomically; a rewrite that only
//! appears once those are in place is offered by the next run.
use super::{apply_profile, process_files, ExitStatus};
use crate::cli::FixArgs;
use crate::engine::{self, Finding, Mode};
use crate::report::{diff, display_path, use_colour};
use crate::settings::Settings;
use crate::vcs::refuse_uncommitted;
use crate::write::write_atomically;
use std::collections::HashSet;
use std::io::{BufRead, IsTerminal, Write};

/// What the user answered about one rewrite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Apply,
    Skip,
    /// Apply this one and every later one of the same rule.
    ApplyRule,
    /// Skip this one and everything after it.
    Quit,
}

const HELP: &str = "y - apply this rewrite\n\
                    n - skip this rewrite\n\
                    a - apply this and every remaining rewrite of this rule\n\
                    q - quit; rewrites accepted so far are written\n\
                    ? - print this help\n";

/// Reads answers (one per line, as `git add -p` does by default) until one is valid.
fn ask(input: &mut impl BufRead, out: &mut impl Write, colour: bool) -> std::io::Result<Answer> {
    loop {
        let prompt = "Apply this rewrite [y,n,a,q,?]? ";
        if colour {
            write!(out, "\x1b[1;34m{prompt}\x1b[0m")?;
        } else {
            write!(out, "{prompt}")?;
        }
        out.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            writeln!(out)?;
            return Ok(Answer::Quit);
        }
        match line.trim() {
            "y" | "Y" => return Ok(Answer::Apply),
            "n" | "N" => return Ok(Answer::Skip),
            "a" | "A" => return Ok(Answer::ApplyRule),
            "q" | "Q" => return Ok(Answer::Quit),
            _ => write!(out, "{HELP}")?,
        }
    }
}

pub fn run_selected(args: &FixArgs) -> anyhow::Result<ExitStatus> {
    let settings = Settings::resolve(&args.common)?;
    // `fix: true` so that every finding carries its edits (the result cache
    // answers finding-only runs with findings whose edits are not computed).
    let mode = Mode {
        fix: true,
        unsafe_fixes: settings.unsafe_fixes,
    };
    let options = settings.options.clone();
    let (mut results, mut failed) = process_files(settings, mode)?;
    // `--hot` leaves only the findings in hot code to choose from.
    apply_profile(&args.profile, &mut results, &mut std::io::stderr().lock())?;
    let stdout = std::io::stdout();
    let colour = use_colour(stdout.is_terminal());
    let mut out = stdout.lock();
    let mut err = std::io::stderr().lock();
    if (args.interactive || args.apply) && !args.allow_dirty {
        for (path, reason) in refuse_uncommitted(&mut results) {
            failed = true;
            writeln!(err, "error: {}: {reason}", display_path(&path))?;
        }
    }
    let mut input = std::io::stdin().lock();
    let mut parser = engine::python_parser();
    let mut whole_rules: HashSet<String> = HashSet::new();
    let mut quit = false;
    let (mut files, mut fixes) = (0, 0);
    for result in &results {
        let (Ok(outcome), Some(original)) = (&result.outcome, &result.original) else {
            continue;
        };
        let candidates = engine::choose_fixes(&outcome.findings, mode);
        if candidates.is_empty() || quit {
            continue;
        }
        // The file was valid UTF-8 when read.
        let text = String::from_utf8_lossy(original);
        let path = display_path(&result.path);
        let mut accepted: Vec<&Finding> = Vec::new();
        for finding in candidates {
            if quit {
                break;
            }
            if !args.interactive || whole_rules.contains(&finding.rule) {
                accepted.push(finding);
                continue;
            }
            let preview = match engine::apply_chosen(&text, &[finding], &options, &mut parser) {
                Ok(preview) => preview,
                Err(reason) => {
                    writeln!(err, "error: {path}: {reason}")?;
                    continue;
                }
            };
            let Some(fixed) = preview.fixed else {
                continue;
            };
            let (bold, reset) = if colour { ("\x1b[1m", "\x1b[0m") } else { ("", "") };
            writeln!(
                out,
                "{bold}{path}:{}:{}: {}{reset} {}",
                finding.start.line, finding.start.column, finding.rule, finding.message
            )?;
            diff::write_diff(&mut out, &path, &text, &fixed, colour)?;
            match ask(&mut input, &mut out, colour)? {
                Answer::Apply => accepted.push(finding),
                Answer::Skip => {}
                Answer::ApplyRule => {
                    whole_rules.insert(finding.rule.clone());
                    accepted.push(finding);
                }
                Answer::Quit => quit = true,
            }
        }
        let fixed = match engine::apply_chosen(&text, &accepted, &options, &mut parser) {
            Ok(outcome) => {
                for warning in &outcome.warnings {
                    writeln!(err, "warning: {path}: {warning}")?;
                }
                fixes += outcome.applied.len();
                outcome.fixed
            }
            Err(reason) => {
                failed = true;
                writeln!(err, "error: {path}: {reason}")?;
                None
            }
        };
        let Some(fixed) = fixed else {
            continue;
        };
        files += 1;
        if args.interactive || args.apply {
            if let Err(e) = write_atomically(&result.path, original, &fixed) {
                failed = true;
                writeln!(err, "error: {path}: {e:#}")?;
            }
        } else {
            diff::write_diff(&mut out, &path, &text, &fixed, colour)?;
        }
    }
    out.flush()?;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if fixes == 0 {
        writeln!(err, "No rewrites made.")?;
    } else {
        let verb = if args.interactive || args.apply {
            "Fixed"
        } else {
            "Would fix"
        };
        writeln!(err, "{verb} {} in {}.", plural(fixes, "finding"), plural(files, "file"))?;
    }
    Ok(if failed {
        ExitStatus::Error
    } else if files > 0 && !args.apply && !args.interactive {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_answers_and_reprompts_on_anything_else() {
        let mut out = Vec::new();
        let mut input = "x\n?\na\n".as_bytes();
        assert_eq!(ask(&mut input, &mut out, false).unwrap(), Answer::ApplyRule);
        let printed = String::from_utf8(out).unwrap();
        assert_eq!(printed.matches("[y,n,a,q,?]").count(), 3);
        assert!(printed.contains("a - apply this and every remaining"));
        assert_eq!(ask(&mut "".as_bytes(), &mut Vec::new(), false).unwrap(), Answer::Quit);
    }
}
