//! `perfmod bench`: each codemod's micro-benchmark, run on the user's Python.
//!
//! A codemod's `bench.toml` holds only the code *before* the rewrite; the code
//! after is what perfmod itself writes for it, computed here at bench time, so
//! the figures are those of the rewrite users get, never of a hand copy. The
//! timing happens in one Python process (`driver`), interleaving before and
//! after; `docs` writes the measured tables into each rule's docs.
pub mod docs;
pub mod driver;

use crate::codemod::Codemod;
use crate::effect::Effect;
use crate::engine::{self, Mode, RuleSet};
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// `codemods/<id>/bench.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BenchFile {
    #[serde(rename = "case")]
    cases: Vec<CaseFile>,
}

/// One form of a rewrite, measured at several sizes.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    /// Which form of the rewrite this measures (`sum`, `get/put`...).
    form: String,
    /// The form's effect when it differs from the codemod's first pattern.
    effect: Option<Effect>,
    /// Values of `n`, the input size.
    sizes: Vec<u64>,
    /// Module code holding the anti-pattern: perfmod rewrites it.
    code: String,
    /// Run once per variant after `code`, with `n` bound (builds the input).
    #[serde(default)]
    setup: String,
    /// The expression timed, e.g. `total(values)`.
    call: String,
}

/// One measurement to make: a form at a size, before and after the rewrite.
#[derive(Serialize, Debug, Clone)]
pub struct Case {
    pub rule: String,
    pub form: String,
    #[serde(skip)]
    pub effect: Effect,
    pub size: u64,
    pub before: String,
    pub after: String,
    pub setup: String,
    pub call: String,
}

/// The cases of one codemod, the after code written by perfmod's own rewrite
/// (unsafe forms included: the benchmark measures every form).
pub fn cases_of(codemod: Codemod, options: &HashMap<String, String>) -> Result<Vec<Case>> {
    let Some(text) = &codemod.bench else {
        return Ok(Vec::new());
    };
    let id = codemod.id.clone();
    let context = || format!("in codemods/{id}/bench.toml");
    let file: BenchFile = toml::from_str(text).with_context(context)?;
    let default_effect = codemod.patterns.first().map_or(Effect::Speed, |p| p.effect);
    let effects = codemod.effects();
    let rules = RuleSet::new(vec![codemod], options.clone())?;
    let mut cases = Vec::new();
    for case in file.cases {
        let effect = case.effect.unwrap_or(default_effect);
        if !effects.contains(&effect) {
            bail!(
                "{}: case `{}` says effect `{}`, which no pattern of the codemod has",
                context(),
                case.form,
                effect.as_str()
            );
        }
        let after = rewrite(&rules, &case.code)
            .with_context(|| format!("case `{}`", case.form))
            .with_context(context)?;
        for &size in &case.sizes {
            cases.push(Case {
                rule: id.clone(),
                form: case.form.clone(),
                effect,
                size,
                before: case.code.clone(),
                after: after.clone(),
                setup: case.setup.clone(),
                call: case.call.clone(),
            });
        }
    }
    Ok(cases)
}

/// `code` as perfmod rewrites it with `rules`, unsafe forms included; an
/// error when nothing changes (the benchmark would measure nothing).
pub fn rewrite(rules: &RuleSet, code: &str) -> Result<String> {
    let mode = Mode {
        fix: true,
        unsafe_fixes: true,
    };
    let outcome = engine::process(code, rules, mode, &mut engine::python_parser()).map_err(anyhow::Error::msg)?;
    match outcome.fixed {
        Some(fixed) => Ok(fixed),
        None => bail!("perfmod does not rewrite its code, so there is nothing to measure"),
    }
}

/// What the driver measured for one case.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct Measurement {
    pub rule: String,
    pub form: String,
    pub effect: Effect,
    pub size: u64,
    /// Median seconds per call.
    pub before_s: f64,
    pub after_s: f64,
    /// Median before / median after: above 1 means the rewrite is faster.
    pub speedup: f64,
    /// 95% bootstrap interval of the speedup.
    pub speedup_low: f64,
    pub speedup_high: f64,
    /// Interleaved before/after pairs measured.
    pub rounds: u64,
    /// Peak bytes allocated during one call (tracemalloc).
    pub before_peak_bytes: u64,
    pub after_peak_bytes: u64,
    /// The interpreter's version, e.g. `3.11.7`.
    pub python: String,
}
