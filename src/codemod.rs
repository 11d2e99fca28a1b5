//! Codemod definitions: the on-disk form (`codemods/<id>/codemod.toml`, `docs.md`,
//! `examples/`) and its validated, compiled form.
//!
//! Every check happens here, at load time, naming the file: a query that does not
//! compile, a template that uses a capture the query never makes, a guard or
//! filter the engine does not know. A codemod that loads can be run.
use crate::edit::Safety;
use crate::effect::Effect;
use crate::engine::registry::Fixer;
use crate::engine::{prefilter::LiteralScope, template::Template};
use crate::python_version::PythonVersion;
use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

include!(concat!(env!("OUT_DIR"), "/builtin_codemods.rs"));

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct CodemodFile {
    id: String,
    summary: String,
    message: String,
    category: String,
    min_python: String,
    /// Text every match must contain (see [`Literals`]).
    literals: Literals,
    /// Where the literals must occur together; a top-level statement by default.
    #[serde(default)]
    literal_scope: LiteralScope,
    /// Absent for flags (findings without a rewrite).
    safety: Option<Safety>,
    /// Why the rewrites are unsafe, when `safety = "unsafe"`.
    unsafe_reason: Option<String>,
    /// What the rewrite buys, as `perfmod bench` measures it; speed when absent.
    effect: Option<Effect>,
    #[serde(rename = "pattern")]
    patterns: Vec<PatternFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PatternFile {
    query: String,
    /// The replacement for the `@match` capture; absent for flags.
    template: Option<String>,
    /// A rewrite implemented in Rust (a registered fixer, in the codemod's
    /// `rule.rs`), for rewrites that span several statements; instead of `template`.
    fixer: Option<String>,
    /// Overrides the codemod's safety for this pattern.
    safety: Option<Safety>,
    /// Overrides the codemod's `unsafe-reason` for this pattern.
    unsafe_reason: Option<String>,
    /// Overrides the codemod's effect for this pattern (a form measured apart).
    effect: Option<Effect>,
    /// Overrides the codemod's message for this pattern.
    message: Option<String>,
}

/// `literals = ["a", "b"]`: the statement holding a match contains "a" or "b".
/// `literals = [["info", "error"], ["f\"", "%"]]`: it contains a string of each
/// group (here a level name and a formatting mark).
#[derive(Deserialize)]
#[serde(untagged)]
enum Literals {
    Any(Vec<String>),
    All(Vec<Vec<String>>),
}

impl Literals {
    fn groups(self) -> Vec<Vec<String>> {
        match self {
            Literals::Any(any) => vec![any],
            Literals::All(groups) => groups,
        }
    }
}

/// One tree-sitter pattern of a codemod, with what to do with its matches.
#[derive(Debug)]
pub struct Pattern {
    pub query: String,
    pub fix: Option<FixSpec>,
    /// The pattern's declared safety; its guards can still mark a match unsafe.
    pub safety: Safety,
    /// Why the form is unsafe (required when `safety` is unsafe and there is a fix).
    pub unsafe_reason: Option<String>,
    /// Guards of the query that can mark a match unsafe: the form is then
    /// safe only where they prove it.
    pub proof_guards: Vec<String>,
    /// What this form's rewrite buys; decides whether a run selects it by default.
    pub effect: Effect,
    pub message: Template,
}

/// How a pattern's matches are rewritten.
pub enum FixSpec {
    Template(Template),
    /// A registered fixer.
    Rust(&'static Fixer),
}

/// Shows a fixer by name, not address: the result cache keys on this text, which
/// must be the same in every run.
impl std::fmt::Debug for FixSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FixSpec::Template(template) => f.debug_tuple("Template").field(template).finish(),
            FixSpec::Rust(fixer) => f.debug_tuple("Rust").field(&fixer.name).finish(),
        }
    }
}

/// A before/after pair from `examples/`. `after == None` means the rewrite must
/// leave `before` untouched (a negative case).
#[derive(Debug, Clone)]
pub struct Example {
    pub name: String,
    pub before: String,
    pub after: Option<String>,
}

#[derive(Debug)]
pub struct Codemod {
    pub id: String,
    pub summary: String,
    pub category: String,
    pub min_python: PythonVersion,
    /// Groups of strings: the code around a match (its `literal_scope`) holds a
    /// string of each group, so a statement lacking one is never parsed or queried.
    pub literals: Vec<Vec<String>>,
    pub literal_scope: LiteralScope,
    pub patterns: Vec<Pattern>,
    pub docs: String,
    pub examples: Vec<Example>,
    /// `bench.toml`: the micro-benchmark `perfmod bench` runs (see `crate::bench`).
    pub bench: Option<String>,
}

impl Codemod {
    /// Fix (some pattern has a template) or flag (advice only).
    pub fn is_fix(&self) -> bool {
        self.patterns.iter().any(|p| p.fix.is_some())
    }

    /// Its patterns' distinct effects, in order (`speed`, `speed+memory`...).
    pub fn effects(&self) -> Vec<Effect> {
        let mut effects: Vec<Effect> = self.patterns.iter().map(|p| p.effect).collect();
        effects.sort_unstable();
        effects.dedup();
        effects
    }

    /// The least safe of its patterns' declared safeties.
    pub fn safety(&self) -> Option<Safety> {
        self.patterns.iter().filter(|p| p.fix.is_some()).map(|p| p.safety).max()
    }

    /// What `fix` does with its findings, as `perfmod rules` shows it: `safe`
    /// (every rewrite applies without `--unsafe`), `unsafe` (none does),
    /// `safe/unsafe` (safe where a guard proves it, or in some forms only), or
    /// `flag` (advice, no rewrite).
    pub fn safety_label(&self) -> &'static str {
        let forms: Vec<&Pattern> = self.patterns.iter().filter(|p| p.fix.is_some()).collect();
        let may_be_safe = forms.iter().any(|p| p.safety == Safety::Safe);
        let may_be_unsafe = forms
            .iter()
            .any(|p| p.safety == Safety::Unsafe || !p.proof_guards.is_empty());
        match (may_be_safe, may_be_unsafe) {
            (false, false) => "flag",
            (true, false) => "safe",
            (false, true) => "unsafe",
            (true, true) => "safe/unsafe",
        }
    }
}

/// The built-in codemods, compiled into the binary.
pub fn builtin() -> Result<Vec<Codemod>> {
    load_files(
        BUILTIN_FILES
            .iter()
            .map(|(path, text)| (path.to_string(), text.to_string())),
        "codemods",
    )
}

/// User codemods from a directory laid out like the built-in `codemods/`.
pub fn load_dir(dir: &Path) -> Result<Vec<Codemod>> {
    let mut files = Vec::new();
    for entry in ignore::WalkBuilder::new(dir).standard_filters(false).build() {
        let entry = entry.with_context(|| format!("reading codemods from {}", dir.display()))?;
        if entry.file_type().is_some_and(|t| t.is_file()) {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let text =
                std::fs::read_to_string(entry.path()).with_context(|| format!("reading {}", entry.path().display()))?;
            files.push((rel.to_string_lossy().replace('\\', "/"), text));
        }
    }
    load_files(files.into_iter(), &dir.display().to_string())
}

/// Groups `<id>/...` files by codemod directory and compiles each codemod.
fn load_files(files: impl Iterator<Item = (String, String)>, origin: &str) -> Result<Vec<Codemod>> {
    let mut by_dir: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (path, text) in files {
        if let Some((dir, rest)) = path.split_once('/') {
            by_dir
                .entry(dir.to_string())
                .or_default()
                .insert(rest.to_string(), text);
        }
    }
    by_dir
        .into_iter()
        .filter(|(_, files)| files.contains_key("codemod.toml"))
        .map(|(dir, files)| compile(&dir, &files).with_context(|| format!("in {origin}/{dir}/codemod.toml")))
        .collect()
}

fn compile(dir: &str, files: &BTreeMap<String, String>) -> Result<Codemod> {
    let text = &files["codemod.toml"];
    let file: CodemodFile =
        toml::from_str(text).map_err(|e| anyhow::anyhow!("{}", crate::config::toml_error(text, &e)))?;
    if file.id != dir {
        bail!("id `{}` must equal its directory name `{dir}`", file.id);
    }
    let literals = file.literals.groups();
    if literals.is_empty()
        || literals
            .iter()
            .any(|group| group.is_empty() || group.iter().any(String::is_empty))
    {
        bail!("`literals` must list non-empty strings every match contains (or groups of them)");
    }
    if literals.len() > 64 {
        bail!("`literals` holds at most 64 groups");
    }
    let min_python: PythonVersion = file.min_python.parse().map_err(anyhow::Error::msg)?;
    let mut patterns = Vec::new();
    for (index, pattern) in file.patterns.into_iter().enumerate() {
        patterns.push(
            compile_pattern(
                pattern,
                &file.message,
                file.safety,
                file.unsafe_reason.as_deref(),
                file.effect,
            )
            .with_context(|| format!("in pattern {}", index + 1))?,
        );
    }
    if patterns.is_empty() {
        bail!("a codemod needs at least one [[pattern]]");
    }
    let has_fix = patterns.iter().any(|p| p.fix.is_some());
    if has_fix && file.safety.is_none() {
        bail!("a codemod with a template or fixer must say its `safety` (safe or unsafe)");
    }
    let examples = collect_examples(files);
    Ok(Codemod {
        id: file.id,
        summary: file.summary,
        category: file.category,
        min_python,
        literals,
        literal_scope: file.literal_scope,
        patterns,
        docs: files.get("docs.md").cloned().unwrap_or_default(),
        examples,
        bench: files.get("bench.toml").cloned(),
    })
}

/// Checks what can be checked without compiling the query (the rule set
/// compiles every pattern at once, see [`crate::engine::RuleSet`]): the `@match`
/// capture, and that templates use only captures the query makes.
/// The guards `query` names (`#name?` predicates) that may mark a match
/// unsafe; an unknown name is left to the rule set, which reports it.
fn guards_that_may_mark_unsafe(query: &str) -> Vec<String> {
    let registry = crate::rules::registry();
    let mut names: Vec<String> = query
        .split("(#")
        .skip(1)
        .filter_map(|rest| rest.split_whitespace().next())
        .filter(|name| registry.guard(name).is_ok_and(|guard| guard.may_mark_unsafe))
        .map(String::from)
        .collect();
    names.sort();
    names.dedup();
    names
}

fn compile_pattern(
    pattern: PatternFile,
    message: &str,
    safety: Option<Safety>,
    unsafe_reason: Option<&str>,
    effect: Option<Effect>,
) -> Result<Pattern> {
    let captures = query_captures(&pattern.query);
    if !captures.contains(&"match") {
        bail!("query must capture the node to report and replace as @match");
    }
    let fix = match (pattern.template.as_deref(), pattern.fixer.as_deref()) {
        (Some(_), Some(_)) => bail!("a pattern has either a `template` or a `fixer`, not both"),
        (Some(template), None) => Some(FixSpec::Template(
            Template::parse(template, &captures).context("template")?,
        )),
        (None, Some(name)) => Some(FixSpec::Rust(
            crate::rules::registry().fixer(name).map_err(anyhow::Error::msg)?,
        )),
        (None, None) => None,
    };
    let message = Template::parse(pattern.message.as_deref().unwrap_or(message), &captures).context("message")?;
    let safety = pattern.safety.or(safety).unwrap_or(Safety::Safe);
    let unsafe_reason = pattern.unsafe_reason.or(unsafe_reason.map(String::from));
    if fix.is_some() && safety == Safety::Unsafe && unsafe_reason.is_none() {
        bail!("an unsafe rewrite must say why in `unsafe-reason`");
    }
    let proof_guards = guards_that_may_mark_unsafe(&pattern.query);
    Ok(Pattern {
        query: pattern.query,
        fix,
        safety,
        unsafe_reason,
        proof_guards,
        effect: pattern.effect.or(effect).unwrap_or(Effect::Speed),
        message,
    })
}

/// The capture names (`@name`) a query's text uses, strings and comments skipped.
pub fn query_captures(query: &str) -> Vec<&str> {
    let mut captures = Vec::new();
    let mut rest = query;
    while let Some(at) = rest.find(['@', '"', ';']) {
        let (kind, after) = (rest.as_bytes()[at], &rest[at + 1..]);
        rest = match kind {
            b'"' => string_end(after).map_or("", |end| &after[end + 1..]),
            b';' => after.find('\n').map_or("", |end| &after[end..]),
            _ => {
                let end = after
                    .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.')))
                    .unwrap_or(after.len());
                captures.push(&after[..end]);
                &after[end..]
            }
        };
    }
    captures.sort_unstable();
    captures.dedup();
    captures
}

/// The offset of the quote closing a query string that starts just before `text`.
fn string_end(text: &str) -> Option<usize> {
    let mut escaped = false;
    text.char_indices().find_map(|(at, c)| {
        let closes = c == '"' && !escaped;
        escaped = c == '\\' && !escaped;
        closes.then_some(at)
    })
}

/// `examples/<case>.before.py` with an optional `<case>.after.py`.
fn collect_examples(files: &BTreeMap<String, String>) -> Vec<Example> {
    files
        .iter()
        .filter_map(|(path, before)| {
            let name = path.strip_prefix("examples/")?.strip_suffix(".before.py")?;
            Some(Example {
                name: name.to_string(),
                before: before.clone(),
                after: files.get(&format!("examples/{name}.after.py")).cloned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captures_are_read_from_query_text() {
        let query =
            "((call function: (_) @callee) @match\n ; @not-a-capture in a comment\n (#eq? @callee \"a@b \\\" @c\"))";
        assert_eq!(query_captures(query), vec!["callee", "match"]);
    }
}
