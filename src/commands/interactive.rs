//! `fix --interactive`: asks about each rewrite, like `git add -p`.
//!
//! The engine applies fixes in rounds until nothing changes, and a later round
//! may depend on an earlier one, so a choice can only be offered on one round:
//! each file's first round (applicable fixes, none overlapping, as the engine
//! would pick them). The answers are a [`FixFilter`] over the file's plan; `fix`
//! renders it and sends it through the same compile check, write and
//! `--verify-cmd` as `--apply`. A rewrite that only appears once the accepted
//! ones are in place is offered by the next run.
use crate::engine::{self, FixFilter, FixId};
use crate::report::{diff, display_path};
use crate::run::FileResult;
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Write};
use std::path::PathBuf;

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

/// Asks about the first-round rewrites of every file, in order, and returns
/// per file the filter of the accepted ones (files with none accepted get an
/// empty one). Each question shows the rewrite alone as a diff.
pub fn choose(
    results: &[FileResult],
    input: &mut impl BufRead,
    out: &mut impl Write,
    err: &mut impl Write,
    colour: bool,
) -> anyhow::Result<HashMap<PathBuf, FixFilter>> {
    let mut parser = engine::python_parser();
    let mut whole_rules: HashSet<String> = HashSet::new();
    let mut quit = false;
    let mut chosen = HashMap::new();
    for result in results {
        let (Ok(outcome), Some(original), Some(rules)) = (&result.outcome, &result.original, &result.rules) else {
            continue;
        };
        let (mode, rules) = (rules.mode, &rules.rules);
        let mut accepted: HashSet<FixId> = HashSet::new();
        // The file was valid UTF-8 when read.
        let text = String::from_utf8_lossy(original);
        let path = display_path(&result.path);
        for finding in engine::choose_fixes(&outcome.findings, mode) {
            if quit {
                break;
            }
            let id = finding.id();
            if whole_rules.contains(&finding.rule) {
                accepted.insert(id);
                continue;
            }
            let only = FixFilter::Only(HashSet::from([id.clone()]));
            let preview = match engine::process_filtered(&text, rules, mode, &only, &mut parser) {
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
            diff::write_diff(out, &path, &text, &fixed, colour)?;
            match ask(input, out, colour)? {
                Answer::Apply => {
                    accepted.insert(id);
                }
                Answer::Skip => {}
                Answer::ApplyRule => {
                    whole_rules.insert(finding.rule.clone());
                    accepted.insert(id);
                }
                Answer::Quit => quit = true,
            }
        }
        chosen.insert(result.path.clone(), FixFilter::Only(accepted));
    }
    Ok(chosen)
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
