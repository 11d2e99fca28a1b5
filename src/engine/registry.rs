//! Every guard, template filter and fixer, registered once with its name, what
//! it takes, how it behaves on a prefilter fragment, its documentation and its
//! code. Shared ones come from `src/engine` (`guards`, `filters`); a rule's own
//! from its `codemods/<id>/rule.rs`; [`crate::rules::registry`] assembles them.
//!
//! Codemods name guards, filters and fixers by string; every name is resolved
//! here when a codemod loads, so a misspelled or missing one is an error naming
//! the codemod, never a match silently skipped. The contributor docs list
//! ([`Registry::markdown`]) is generated from the same entries.
use super::context::{FixContext, FixOutput, GuardContext, RenderContext, Rendered, Verdict};
use tree_sitter::Node;

/// How many string arguments a guard takes after its capture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arity {
    Exactly(usize),
    /// One or more (a list of names).
    OneOrMore,
}

/// How far a guard's verdict on a prefilter fragment (some top-level
/// statements or methods, each whole, the simple statement before each, and
/// every import) can be trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnFragment {
    /// The same as on the whole file, provided the statements left out change
    /// none of the names the semantic model was asked about (see
    /// [`super::semantic::Semantic::lookups_since`]): the guard looks only at
    /// the match, its ancestors and its enclosing function, which a fragment
    /// holds whole.
    Exact,
    /// [`OnFragment::Exact`] when the text the fragment leaves out does not
    /// hold this word (`getLogger` for `logger?`, which knows the names bound
    /// from `getLogger(...)` anywhere in the file).
    ExactUnlessLeftOut(&'static str),
    /// Never stricter than on the whole file, so a fragment where it fails
    /// holds no finding; where it passes, only the whole file decides.
    Permissive,
    /// Unknown: not evaluated on a fragment (as if it passed).
    Unknown,
}

/// `(#name? @capture "arg"...)` in a query: the node of `@capture` and the
/// string arguments.
pub type GuardCheck = for<'a, 't> fn(Node<'t>, &[&str], &GuardContext<'a, 't>) -> Verdict;

/// A guard: a semantic check a query names as a custom predicate.
pub struct Guard {
    /// As written in a query, with its `?`.
    pub name: &'static str,
    /// One line for the contributor docs: what passes, what is unsafe.
    pub doc: &'static str,
    pub arity: Arity,
    pub on_fragment: OnFragment,
    /// Whether it can let a match through as unsafe: a form using it is safe
    /// only where it proves so (`perfmod rules` shows `safe/unsafe`).
    pub may_mark_unsafe: bool,
    pub check: GuardCheck,
}

/// `${capture|name}` or `${capture|name:arg}` in a template: the captured nodes
/// (a quantified capture has several) and the argument. `None` when it cannot
/// convert exactly, which skips the rewrite.
pub type FilterApply = for<'a, 't> fn(&[Node<'t>], Option<&str>, &RenderContext<'a, 't>) -> Option<Rendered>;

/// A template filter: a conversion a template applies to a capture.
pub struct Filter {
    pub name: &'static str,
    pub doc: &'static str,
    pub apply: FilterApply,
}

/// `None` means "cannot rewrite this one": the finding stays, without a fix.
pub type FixerFn = for<'a, 't> fn(&FixContext<'a, 't>) -> Option<FixOutput>;

/// A rewrite written in Rust, for what a template cannot say (several
/// statements, a class); a codemod names it with `fixer = "name"`.
pub struct Fixer {
    pub name: &'static str,
    pub doc: &'static str,
    pub fix: FixerFn,
}

/// The guards, filters and fixers of this build.
#[derive(Default)]
pub struct Registry {
    guards: Vec<&'static Guard>,
    filters: Vec<&'static Filter>,
    fixers: Vec<&'static Fixer>,
}

impl Registry {
    pub fn add_guards(&mut self, guards: &'static [Guard]) {
        self.guards.extend(guards);
    }

    pub fn add_filters(&mut self, filters: &'static [Filter]) {
        self.filters.extend(filters);
    }

    pub fn add_fixers(&mut self, fixers: &'static [Fixer]) {
        self.fixers.extend(fixers);
    }

    pub fn guard(&self, name: &str) -> Result<&'static Guard, String> {
        lookup(&self.guards, name, |g| g.name, "guard `#", "`")
    }

    pub fn filter(&self, name: &str) -> Result<&'static Filter, String> {
        lookup(&self.filters, name, |f| f.name, "filter `", "`")
    }

    pub fn fixer(&self, name: &str) -> Result<&'static Fixer, String> {
        lookup(&self.fixers, name, |f| f.name, "fixer `", "`")
    }

    /// Names registered twice (a registry must have none; a test checks).
    pub fn duplicates(&self) -> Vec<&'static str> {
        let mut names: Vec<(&str, &'static str)> = (self.guards.iter().map(|g| ("guard", g.name)))
            .chain(self.filters.iter().map(|f| ("filter", f.name)))
            .chain(self.fixers.iter().map(|f| ("fixer", f.name)))
            .collect();
        names.sort();
        names.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0].1).collect()
    }

    /// The contributor reference: every guard, filter and fixer with its
    /// meaning, sorted by name (`perfmod rules --registry`; the section of
    /// docs/writing-codemods.md between its markers is this text, a test checks).
    pub fn markdown(&self) -> String {
        let mut out = String::from(
            "#### Guards\n\n| guard | arguments | on a fragment | may mark unsafe | meaning |\n|---|---|---|---|---|\n",
        );
        let mut guards = self.guards.clone();
        guards.sort_by_key(|g| g.name);
        for guard in guards {
            let arguments = match guard.arity {
                Arity::Exactly(0) => "@capture".to_string(),
                Arity::Exactly(n) => format!("@capture + {n} string{}", if n == 1 { "" } else { "s" }),
                Arity::OneOrMore => "@capture + 1 or more strings".to_string(),
            };
            let fragment = match guard.on_fragment {
                OnFragment::Exact => "exact".to_string(),
                OnFragment::ExactUnlessLeftOut(word) => format!("exact unless `{word}` is left out"),
                OnFragment::Permissive => "permissive".to_string(),
                OnFragment::Unknown => "whole file decides".to_string(),
            };
            let marks_unsafe = if guard.may_mark_unsafe { "yes" } else { "no" };
            out.push_str(&format!(
                "| `#{}` | {arguments} | {fragment} | {marks_unsafe} | {} |\n",
                guard.name, guard.doc
            ));
        }
        out.push_str("\n#### Template filters\n\n| filter | meaning |\n|---|---|\n");
        let mut filters = self.filters.clone();
        filters.sort_by_key(|f| f.name);
        for filter in filters {
            out.push_str(&format!("| `{}` | {} |\n", filter.name, cell(filter.doc)));
        }
        out.push_str("\n#### Fixers\n\n| fixer | rewrite |\n|---|---|\n");
        let mut fixers = self.fixers.clone();
        fixers.sort_by_key(|f| f.name);
        for fixer in fixers {
            out.push_str(&format!("| `{}` | {} |\n", fixer.name, cell(fixer.doc)));
        }
        out
    }
}

/// Text for a markdown table cell: a `|` would end the cell, even in code.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

fn lookup<T>(
    entries: &[&'static T],
    name: &str,
    name_of: impl Fn(&T) -> &'static str,
    what: &str,
    close: &str,
) -> Result<&'static T, String> {
    if let Some(entry) = entries.iter().find(|e| name_of(e) == name) {
        return Ok(entry);
    }
    let mut known: Vec<&str> = entries.iter().map(|e| name_of(e)).collect();
    known.sort_unstable();
    Err(format!("unknown {what}{name}{close} (known: {})", known.join(", ")))
}

#[cfg(test)]
mod tests {
    use crate::rules::registry;

    #[test]
    fn the_contributor_docs_list_exactly_the_registry() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/writing-codemods.md");
        let doc = std::fs::read_to_string(path).unwrap();
        let (begin, end) = ("<!-- registry:begin -->\n", "<!-- registry:end -->");
        let start = doc.find(begin).expect("begin marker") + begin.len();
        let stop = doc.find(end).expect("end marker");
        let generated = registry().markdown();
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(path, format!("{}{generated}{}", &doc[..start], &doc[stop..])).unwrap();
        } else {
            assert!(
                doc[start..stop] == generated,
                "docs/writing-codemods.md lists other guards, filters or fixers than the registry: \
                 run `UPDATE_DOCS=1 cargo test --lib registry`"
            );
        }
    }

    #[test]
    fn every_name_is_registered_once() {
        assert_eq!(registry().duplicates(), Vec::<&str>::new());
    }

    #[test]
    fn an_unknown_name_is_an_error_listing_the_known_ones() {
        let error = registry().guard("qualnam?").err().unwrap();
        assert!(
            error.starts_with("unknown guard `#qualnam?`") && error.contains("qualname?"),
            "{error}"
        );
        assert!(registry().fixer("list-to-deque").is_ok());
        assert!(registry().filter("as-set").is_ok());
    }
}
