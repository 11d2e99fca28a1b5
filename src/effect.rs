//! What a rewrite buys, measured (`perfmod bench`), and which codemods a run
//! selects from it. A performance tool's default output should be rewrites
//! that make code faster or fix a real bug; rewrites that only save memory
//! (often at some speed) or only modernise spelling run when asked for.
//!
//! Selection lives in this one place ([`select`]) so every way of naming rules
//! (the command line, `[tool.perfmod]`, later extensions) shares its meaning.
use crate::codemod::Codemod;
use anyhow::{bail, Result};
use serde::{Deserialize, Serialize};

/// The effect of a codemod (or of one of its forms), as measured.
#[derive(Deserialize, Serialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Effect {
    /// Measured faster at the sizes its docs name.
    Speed,
    /// Less memory, not faster (often a little slower).
    Memory,
    /// Fixes a bug (a cache key that never hits, a clock that jumps).
    Correctness,
    /// No runtime effect: newer spelling of the same thing.
    Modernize,
}

impl Effect {
    pub const ALL: [Effect; 4] = [Effect::Speed, Effect::Memory, Effect::Correctness, Effect::Modernize];

    /// What a run selects when no `select` is given.
    pub const DEFAULT: [Effect; 2] = [Effect::Speed, Effect::Correctness];

    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Speed => "speed",
            Effect::Memory => "memory",
            Effect::Correctness => "correctness",
            Effect::Modernize => "modernize",
        }
    }

    pub fn parse(name: &str) -> Option<Effect> {
        Effect::ALL.into_iter().find(|e| e.as_str() == name)
    }

    pub fn is_default(self) -> bool {
        Effect::DEFAULT.contains(&self)
    }

    /// `speed`, `memory+speed`: a codemod's effects, as `perfmod rules` shows them.
    pub fn join(effects: &[Effect]) -> String {
        effects.iter().map(|e| e.as_str()).collect::<Vec<_>>().join("+")
    }
}

/// One name in `--select` / `--ignore`: a rule id, an effect category, or `ALL`.
enum Selector<'a> {
    Rule(&'a str),
    Effect(Effect),
    All,
}

fn parse_selector<'a>(name: &'a str, codemods: &[Codemod]) -> Result<Selector<'a>> {
    if name == "ALL" {
        return Ok(Selector::All);
    }
    if let Some(effect) = Effect::parse(name) {
        return Ok(Selector::Effect(effect));
    }
    if codemods.iter().any(|c| c.id == name) {
        return Ok(Selector::Rule(name));
    }
    bail!(
        "unknown rule `{name}`: neither a rule id (see `perfmod rules`) nor a category \
         (speed, memory, correctness, modernize, ALL)"
    )
}

/// Whether a set of selectors names this codemod's pattern of effect `effect`.
fn names(selectors: &[Selector], id: &str, effect: Effect) -> bool {
    selectors.iter().any(|s| match s {
        Selector::Rule(rule) => *rule == id,
        Selector::Effect(e) => *e == effect,
        Selector::All => true,
    })
}

/// The codemods a run uses, each keeping only its selected forms (patterns).
///
/// `select` names rules, effect categories or `ALL`; without it the default
/// categories ([`Effect::DEFAULT`]) are selected. A rule named by id is taken
/// whole, every form. `ignore` removes rules (by id) or forms (by category)
/// from that. A codemod left with no pattern is dropped.
pub fn select(all: Vec<Codemod>, select: Option<&[String]>, ignore: &[String]) -> Result<Vec<Codemod>> {
    let default: Vec<Selector> = Effect::DEFAULT.into_iter().map(Selector::Effect).collect();
    let selected = match select {
        Some(names) => names
            .iter()
            .map(|n| parse_selector(n, &all))
            .collect::<Result<Vec<_>>>()?,
        None => default,
    };
    let ignored = ignore
        .iter()
        .map(|n| parse_selector(n, &all))
        .collect::<Result<Vec<_>>>()?;
    let mut kept = Vec::new();
    for mut codemod in all {
        let id = codemod.id.clone();
        codemod
            .patterns
            .retain(|p| names(&selected, &id, p.effect) && !names(&ignored, &id, p.effect));
        if !codemod.patterns.is_empty() {
            kept.push(codemod);
        }
    }
    Ok(kept)
}

/// Whether a list of selector names (as in `select`) names a codemod's form:
/// `(rule id, the form's effect) -> bool`, every name checked now. For the
/// other keys that take selectors: `per-file-ignores`, `fixable`, `unfixable`.
pub fn matcher<'a>(list: &'a [String], codemods: &[Codemod]) -> Result<impl Fn(&str, Effect) -> bool + 'a> {
    let selectors = list
        .iter()
        .map(|n| parse_selector(n, codemods))
        .collect::<Result<Vec<_>>>()?;
    Ok(move |id: &str, effect: Effect| names(&selectors, id, effect))
}

/// Whether `name` is a selector at all (a rule id of `codemods`, an effect, `ALL`).
pub fn is_selector(name: &str, codemods: &[Codemod]) -> bool {
    parse_selector(name, codemods).is_ok()
}
