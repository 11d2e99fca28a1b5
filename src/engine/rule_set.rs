//! The rule set: the active codemods compiled into one tree-sitter query
//! (each pattern's guards resolved in the [`registry`](super::registry)), and
//! the literal scan that tells which codemods could match a file at all.
use super::context::{GuardContext, Verdict};
use super::prefilter;
use super::registry::{Arity, Guard};
use crate::codemod::{Codemod, Pattern};
use aho_corasick::AhoCorasick;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;
use tree_sitter::{Query, QueryPredicate, QueryPredicateArg};

/// The active codemods, compiled into one query so every file is matched in a
/// single pass whatever the number of rules.
pub struct RuleSet {
    pub codemods: Vec<Codemod>,
    /// Every pattern's query, one after the other.
    query_source: String,
    /// Compiled on first use: a run the result cache answers whole never pays
    /// for it (see [`RuleSet::deferred`]). `Err` names the codemod at fault.
    compiled: OnceLock<Result<CompiledQuery, String>>,
    /// Pattern index of the combined query -> (codemod, pattern within it).
    patterns: Vec<(usize, usize)>,
    /// Every literal of every codemod; a file none of whose literals occur is never parsed.
    literals: AhoCorasick,
    /// Literal index -> (codemod, literal group).
    literal_owner: Vec<(usize, usize)>,
    pub options: HashMap<String, String>,
    /// Parse a fragment of a file first when it is at most this share of the
    /// file (see [`prefilter`]). 0 turns the prefilter off (no fragment, and the
    /// query runs over the whole file); tests compare 0 with 1 (always a
    /// fragment) to check that the prefilter never changes a result.
    pub max_fragment_share: f64,
}

impl RuleSet {
    /// A rule set whose combined query is compiled and checked now; errors name
    /// the codemod.
    pub fn new(codemods: Vec<Codemod>, options: HashMap<String, String>) -> anyhow::Result<Self> {
        let rules = Self::deferred(codemods, options)?;
        let compiled = compile_query(&rules.query_source, &rules.codemods, &rules.patterns)?;
        let _ = rules.compiled.set(Ok(compiled));
        Ok(rules)
    }

    /// A rule set that compiles its query when a file first needs it. Only for
    /// codemods whose queries are known to compile: the built-in ones (the test
    /// suite compiles them all) and user codemods checked by [`check_queries`].
    pub fn deferred(codemods: Vec<Codemod>, options: HashMap<String, String>) -> anyhow::Result<Self> {
        let mut query_source = String::new();
        let mut patterns = Vec::new();
        let mut literals = Vec::new();
        let mut literal_owner = Vec::new();
        for (c, codemod) in codemods.iter().enumerate() {
            for (p, pattern) in codemod.patterns.iter().enumerate() {
                query_source.push_str(&pattern.query);
                query_source.push('\n');
                patterns.push((c, p));
            }
            for (group, strings) in codemod.literals.iter().enumerate() {
                for literal in strings {
                    literals.push(literal.clone());
                    literal_owner.push((c, group));
                }
            }
        }
        Ok(RuleSet {
            codemods,
            query_source,
            compiled: OnceLock::new(),
            patterns,
            literals: AhoCorasick::new(&literals)?,
            literal_owner,
            options,
            max_fragment_share: prefilter::DEFAULT_MAX_SHARE,
        })
    }

    /// The combined query and its guards; `Err` (naming the codemod) when a
    /// deferred rule set's query does not compile after all, which the run
    /// reports for each file instead of stopping.
    pub(super) fn compiled(&self) -> Result<&CompiledQuery, String> {
        self.compiled
            .get_or_init(|| {
                compile_query(&self.query_source, &self.codemods, &self.patterns).map_err(|e| format!("{e:#}"))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The codemod and pattern of a pattern index of the combined query.
    pub(super) fn pattern_of(&self, index: usize) -> (&Codemod, &Pattern) {
        let (c, p) = self.patterns[index];
        (&self.codemods[c], &self.codemods[c].patterns[p])
    }

    /// The codemod index of a pattern index of the combined query.
    pub(super) fn codemod_of(&self, index: usize) -> usize {
        self.patterns[index].0
    }

    /// Whether files are prefiltered at all (see [`RuleSet::max_fragment_share`]).
    pub(super) fn prefilter_on(&self) -> bool {
        self.max_fragment_share > 0.0
    }

    /// What the results of this rule set depend on besides a file's bytes and
    /// perfmod's build: the codemods' definitions and the options.
    pub fn fingerprint(&self) -> String {
        let mut options: Vec<_> = self.options.iter().collect();
        options.sort();
        format!("{:?}{options:?}", self.codemods)
    }

    /// Which codemods could match `text`, and where their literals are. A
    /// codemod is a candidate where its literals occur in code (not in a
    /// comment or a plain string), one of each group, together in its
    /// [`prefilter::LiteralScope`]; `None` when no codemod is. With the prefilter
    /// off every codemod is a candidate everywhere.
    pub(super) fn candidates(&self, text: &str) -> Option<Candidates> {
        if !self.prefilter_on() {
            return Some(Candidates {
                active: vec![true; self.codemods.len()],
                offsets: Vec::new(),
                statements: Vec::new(),
                layout: prefilter::Layout::default(),
            });
        }
        let mut found: Vec<(usize, (usize, usize))> = self
            .literals
            .find_overlapping_iter(text)
            .map(|m| (m.start(), self.literal_owner[m.pattern().as_usize()]))
            .collect();
        // A cheap first answer for most files: no codemod has all its groups anywhere.
        let present: HashSet<(usize, usize)> = found.iter().map(|(_, owner)| *owner).collect();
        let complete_in_file =
            |codemod: usize| (0..self.codemods[codemod].literals.len()).all(|g| present.contains(&(codemod, g)));
        if !(0..self.codemods.len()).any(complete_in_file) {
            return None;
        }
        let layout = prefilter::Layout::scan(text);
        let statements = layout.top_level_statements(text);
        // A use of an imported literal under its alias counts as the literal.
        found.sort_unstable();
        let offsets: Vec<usize> = found.iter().map(|(offset, _)| *offset).collect();
        let aliased: Vec<(usize, (usize, usize))> = prefilter::alias_uses(text, &layout, &offsets)
            .into_iter()
            .map(|(offset, hit)| (offset, found[hit].1))
            .collect();
        found.extend(aliased);
        found.retain(|(offset, _)| layout.is_code(*offset));
        found.sort_unstable();
        // (offset, literal group) of each codemod's hits, in order.
        let mut hits_of: Vec<Vec<(usize, usize)>> = vec![Vec::new(); self.codemods.len()];
        for &(offset, (codemod, group)) in &found {
            hits_of[codemod].push((offset, group));
        }
        let mut active = vec![false; self.codemods.len()];
        let mut offsets = Vec::new();
        for (c, hits) in hits_of.iter().enumerate().filter(|(c, _)| complete_in_file(*c)) {
            let codemod = &self.codemods[c];
            let scope = codemod.literal_scope;
            let kept = prefilter::hits_in_scope(scope, codemod.literals.len(), hits, text, &layout, &statements);
            active[c] = !kept.is_empty();
            offsets.extend(kept);
        }
        offsets.sort_unstable();
        active.contains(&true).then_some(Candidates {
            active,
            offsets,
            statements,
            layout,
        })
    }
}

/// Checks that these codemods' queries compile together, each [[pattern]] one
/// pattern using only known guards, before a [`RuleSet::deferred`] relies on it.
pub fn check_queries(codemods: &[Codemod]) -> anyhow::Result<()> {
    let source: String = codemods
        .iter()
        .flat_map(|c| &c.patterns)
        .map(|p| format!("{}\n", p.query))
        .collect();
    let patterns: Vec<(usize, usize)> = codemods
        .iter()
        .enumerate()
        .flat_map(|(c, codemod)| (0..codemod.patterns.len()).map(move |p| (c, p)))
        .collect();
    compile_query(&source, codemods, &patterns).map(|_| ())
}

/// The combined query of a rule set, with each pattern's guards resolved.
pub(super) struct CompiledQuery {
    pub query: Query,
    /// Per pattern index, its guards in the order the query lists them.
    pub guards: Vec<Vec<BoundGuard>>,
}

/// One `(#guard? @capture "arg"...)` of a pattern, resolved in the registry.
pub(super) struct BoundGuard {
    pub guard: &'static Guard,
    /// The capture index of its first argument.
    pub capture: u32,
    pub args: Vec<String>,
}

impl BoundGuard {
    /// Evaluates the guard on the first node of its capture; a capture that
    /// did not match (an optional one) has nothing to check.
    pub fn check(&self, capture_names: &[&str], ctx: &GuardContext) -> Verdict {
        let Some(node) = ctx
            .captures
            .get(capture_names[self.capture as usize])
            .and_then(|n| n.first().copied())
        else {
            return Verdict::Pass;
        };
        let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        (self.guard.check)(node, &args, ctx)
    }
}

/// Resolves a predicate of a query: a registered guard whose first argument is
/// a capture and whose string arguments match its arity.
fn bind_guard(predicate: &QueryPredicate) -> Result<BoundGuard, String> {
    let name = &*predicate.operator;
    let guard = crate::rules::registry().guard(name)?;
    let Some(QueryPredicateArg::Capture(capture)) = predicate.args.first() else {
        return Err(format!("`#{name}` takes a capture as its first argument"));
    };
    let args: Vec<String> = predicate.args[1..]
        .iter()
        .filter_map(|a| match a {
            QueryPredicateArg::String(s) => Some(s.to_string()),
            QueryPredicateArg::Capture(_) => None,
        })
        .collect();
    let arity_ok = match guard.arity {
        Arity::Exactly(n) => args.len() == n,
        Arity::OneOrMore => !args.is_empty(),
    };
    if !arity_ok || args.len() != predicate.args.len() - 1 {
        return Err(format!("`#{name}` has the wrong arguments"));
    }
    Ok(BoundGuard {
        guard,
        capture: *capture,
        args,
    })
}

/// Compiles every pattern into one query and resolves each pattern's guards.
/// On failure the patterns are compiled one by one to name the culprit.
fn compile_query(source: &str, codemods: &[Codemod], patterns: &[(usize, usize)]) -> anyhow::Result<CompiledQuery> {
    let language = tree_sitter_python::LANGUAGE.into();
    let blame = |c: usize, p: usize| format!("codemod `{}`, pattern {}", codemods[c].id, p + 1);
    if let Ok(query) = Query::new(&language, source) {
        if query.pattern_count() == patterns.len() {
            let mut guards = Vec::with_capacity(patterns.len());
            for (index, &(c, p)) in patterns.iter().enumerate() {
                let bound: Result<Vec<BoundGuard>, String> =
                    query.general_predicates(index).iter().map(bind_guard).collect();
                guards.push(bound.map_err(|e| anyhow::anyhow!("{}: {e}", blame(c, p)))?);
            }
            return Ok(CompiledQuery { query, guards });
        }
    }
    for &(c, p) in patterns {
        match Query::new(&language, &codemods[c].patterns[p].query) {
            Err(e) => anyhow::bail!("{}: query: {e}", blame(c, p)),
            Ok(single) if single.pattern_count() != 1 => {
                anyhow::bail!("{}: a [[pattern]] query must hold exactly one pattern", blame(c, p))
            }
            Ok(_) => {}
        }
    }
    anyhow::bail!("the codemods' queries do not compile together")
}

/// What the literal scan found in a file.
pub(super) struct Candidates {
    /// Per codemod: its literals occur together in some statement.
    pub active: Vec<bool>,
    /// Where those literals (and aliases of imported ones) are.
    pub offsets: Vec<usize>,
    pub statements: Vec<prefilter::Statement>,
    pub layout: prefilter::Layout,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{process, python_parser, Mode};

    #[test]
    fn a_deferred_query_that_fails_is_an_error_naming_the_codemod_not_a_panic() {
        let mut codemods = crate::codemod::builtin().unwrap();
        codemods.retain(|c| c.id == "readlines-loop");
        codemods[0].patterns[0].query = "(call (#iterated-alone? @nothing)) @match".into();
        let rules = RuleSet::deferred(codemods, HashMap::new()).unwrap();
        let text = "for line in f.readlines():\n    pass\n";
        let error = process(text, &rules, Mode::default(), &mut python_parser()).unwrap_err();
        assert!(error.contains("codemod `readlines-loop`, pattern 1"), "{error}");
    }
}
