//! `perfmod rules` and `perfmod explain RULE`.
use super::ExitStatus;
use crate::cli::{CodemodSource, Format, RulesArgs};
use crate::codemod::Codemod;
use crate::effect::Effect;
use crate::settings::load_codemods;
use anyhow::bail;
use serde::Serialize;
use std::io::Write;

/// `safe`, `unsafe`, `safe/unsafe` (safe where perfmod proves it, or in some
/// forms only) or `flag`: see [`Codemod::safety_label`].
fn safety_label(codemod: &Codemod) -> &'static str {
    codemod.safety_label()
}

#[derive(Serialize)]
struct RuleRow<'a> {
    id: &'a str,
    category: &'a str,
    safety: &'static str,
    /// What its forms buy (`perfmod bench`), e.g. `["memory", "speed"]`.
    effects: Vec<Effect>,
    /// Whether a run without `select` reports it (some form speed or correctness).
    default: bool,
    min_python: String,
    summary: &'a str,
}

pub fn run_rules(args: &RulesArgs) -> anyhow::Result<ExitStatus> {
    if args.registry {
        write!(std::io::stdout().lock(), "{}", crate::rules::registry().markdown())?;
        return Ok(ExitStatus::Success);
    }
    let codemods = load_codemods(args.codemods.codemods.as_deref())?;
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            let rows: Vec<RuleRow> = codemods
                .iter()
                .map(|c| RuleRow {
                    id: &c.id,
                    category: &c.category,
                    safety: safety_label(c),
                    effects: c.effects(),
                    default: c.effects().iter().any(|e| e.is_default()),
                    min_python: c.min_python.to_string(),
                    summary: &c.summary,
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &rows)?;
            writeln!(out)?;
        }
        Format::Text => {
            let width = codemods.iter().map(|c| c.id.len()).max().unwrap_or(0);
            for c in &codemods {
                writeln!(
                    out,
                    "{:width$}  {:11}  {:17}  py>={:5}  {}",
                    c.id,
                    safety_label(c),
                    Effect::join(&c.effects()),
                    c.min_python.to_string(),
                    c.summary
                )?;
            }
        }
    }
    Ok(ExitStatus::Success)
}

pub fn run_explain(rule: &str, source: &CodemodSource) -> anyhow::Result<ExitStatus> {
    let codemods = load_codemods(source.codemods.as_deref())?;
    let Some(codemod) = codemods.iter().find(|c| c.id == rule) else {
        bail!("unknown rule `{rule}` (see `perfmod rules`)");
    };
    write!(std::io::stdout().lock(), "{}", explanation(codemod))?;
    Ok(ExitStatus::Success)
}

/// A codemod's documentation with its before/after example, in Markdown: what
/// `perfmod explain` prints and the language server's hover shows.
pub fn explanation(codemod: &Codemod) -> String {
    let mut out = format!(
        "# {} ({}, {}, {}, py>={})\n\n{}\n\n{}\n",
        codemod.id,
        codemod.category,
        safety_label(codemod),
        Effect::join(&codemod.effects()),
        codemod.min_python,
        codemod.summary,
        codemod.docs.trim_end()
    );
    let example = codemod
        .examples
        .iter()
        .filter(|e| e.after.is_some())
        .min_by_key(|e| e.name != "basic");
    if let Some(example) = example {
        out.push_str(&format!(
            "\n## Example\n```python\n{}```\nbecomes\n```python\n{}```\n",
            example.before,
            example.after.as_deref().unwrap_or("")
        ));
    }
    out
}

/// `perfmod parse-only PATHS` (hidden): parses every Python file on all cores
/// and prints how many parsed, for the benchmark's floor.
pub fn run_parse_only(paths: &[std::path::PathBuf]) -> anyhow::Result<ExitStatus> {
    use rayon::prelude::*;
    let discovered = crate::discover::discover(paths, &globset::GlobSet::empty(), &|_| false);
    let parsed = discovered
        .files
        .par_iter()
        .map_init(crate::engine::python_parser, |parser, path| {
            let text = std::fs::read_to_string(path).ok()?;
            parser.parse(&text, None).map(|tree| !tree.root_node().has_error())
        })
        .filter(|ok| *ok == Some(true))
        .count();
    writeln!(
        std::io::stdout(),
        "{parsed} of {} files parsed without error",
        discovered.files.len()
    )?;
    Ok(ExitStatus::Success)
}
