//! The compile check of `fix --apply` (and of the dry run with `--verify`):
//! every rewritten file goes through the user's `compile()` before anything is
//! written; a file that fails is re-run without the fixes that break it.
use super::bisect::find_culprits;
use super::python::{CompileError, Python, StartError};
use super::{distinct_ids, rewrite_with};
use crate::cli::VerifyArgs;
use crate::engine::{self, FixId};
use crate::report::display_path;
use crate::run::FileResult;
use anyhow::{bail, Result};
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

/// Compiles the rewritten files of `results` with the user's Python and, in a
/// file that fails, leaves out the fixes that make it fail (warning for each).
/// Runs for `--apply` and `--verify`; without a Python on PATH it says so and
/// leaves the tree-sitter check as the only one.
pub fn compile_check(args: &VerifyArgs, apply: bool, results: &mut [FileResult], err: &mut dyn Write) -> Result<()> {
    if !(apply || args.verify) {
        return Ok(());
    }
    let rewritten: Vec<usize> = (0..results.len())
        .filter(|&i| rewritten_text(&results[i]).is_some())
        .collect();
    if rewritten.is_empty() {
        return Ok(());
    }
    let Some(mut python) = start(args, err)? else {
        return Ok(());
    };
    let paths: Vec<String> = rewritten.iter().map(|&i| display_path(&results[i].path)).collect();
    let batch: Vec<(&str, &str)> = rewritten
        .iter()
        .zip(&paths)
        .map(|(&i, path)| (path.as_str(), rewritten_text(&results[i]).unwrap().1))
        .collect();
    let verdicts = python.compile(&batch)?;
    let failing: Vec<(usize, CompileError)> = rewritten
        .iter()
        .zip(verdicts)
        .filter_map(|(&i, verdict)| Some((i, verdict?)))
        .collect();
    let name = format!("{} (Python {})", python.program.display(), python.version);
    writeln!(
        err,
        "Compiled {} rewritten file{} with {name}: {}.",
        rewritten.len(),
        if rewritten.len() == 1 { "" } else { "s" },
        match failing.len() {
            0 => "all compile".to_string(),
            n => format!("{n} do{} not", if n == 1 { "es" } else { "" }),
        }
    )?;
    if failing.is_empty() {
        return Ok(());
    }
    // A file the interpreter refuses as it was read (Python 2, syntax newer
    // than this interpreter) says nothing about the rewrites.
    let failing_paths: Vec<String> = failing.iter().map(|(i, _)| display_path(&results[*i].path)).collect();
    let originals: Vec<(&str, &str)> = failing
        .iter()
        .zip(&failing_paths)
        .map(|((i, _), path)| (path.as_str(), rewritten_text(&results[*i]).unwrap().0))
        .collect();
    let original_verdicts = python.compile(&originals)?;
    let mut parser = engine::python_parser();
    for (((i, failure), original_verdict), path) in failing.into_iter().zip(original_verdicts).zip(&failing_paths) {
        if let Some(error) = original_verdict {
            writeln!(
                err,
                "warning: {path}: {name} does not compile this file as it was either ({error}); \
                 its rewrites were checked with tree-sitter only"
            )?;
            continue;
        }
        let result = &mut results[i];
        let original = rewritten_text(result).unwrap().0.to_string();
        let rules = result.rules.clone().expect("a rewritten file has its rules");
        let (rules, mode) = (&rules.rules, rules.mode);
        let outcome = result.outcome.as_mut().expect("a rewritten file has an outcome");
        let lines: HashMap<FixId, usize> = outcome.applied.iter().map(|a| (a.id(), a.line)).collect();
        let mut test = |keep: &[FixId]| -> Result<Result<(), CompileError>> {
            let (text, _) = rewrite_with(&original, keep.iter().cloned().collect(), rules, mode, &mut parser)?;
            Ok(python.compile(&[(path, &text)])?.remove(0).map_or(Ok(()), Err))
        };
        let found = find_culprits(distinct_ids(&outcome.applied), failure, None, &mut test)?;
        for (id, error) in &found.culprits {
            writeln!(
                err,
                "warning: {path}:{}: {} rewrite left out: {name} does not compile it: {error}",
                lines[id], id.rule
            )?;
        }
        let (text, applied) = rewrite_with(&original, found.kept.into_iter().collect(), rules, mode, &mut parser)?;
        outcome.fixed = (text != original).then_some(text);
        outcome.applied = applied;
    }
    Ok(())
}

/// (text as read, rewritten text) of a file the run rewrote.
fn rewritten_text(result: &FileResult) -> Option<(&str, &str)> {
    let fixed = result.outcome.as_ref().ok()?.fixed.as_deref()?;
    // `run` keeps the bytes of every rewritten file, and only decoded ones are rewritten.
    let original = std::str::from_utf8(result.original.as_deref()?).ok()?;
    Some((original, fixed))
}

/// The interpreter of `--python`, else `python3` on PATH; `None` (with a note)
/// when there is no usable default one.
fn start(args: &VerifyArgs, err: &mut dyn Write) -> Result<Option<Python>> {
    let program = args.python.clone().unwrap_or_else(|| PathBuf::from("python3"));
    let reason = match Python::start(&program) {
        Ok(python) => return Ok(Some(python)),
        Err(StartError::NotFound) => format!("`{}` not found", program.display()),
        Err(StartError::Unusable(why)) => format!("`{}` cannot be used: {why}", program.display()),
    };
    if args.python.is_some() {
        bail!("--python: {reason}");
    }
    writeln!(
        err,
        "note: {reason}; rewrites were checked with tree-sitter only (name a Python with --python PATH)"
    )?;
    Ok(None)
}
