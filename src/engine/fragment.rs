//! The prefilter's fragment of a file (see [`super::prefilter`]) matched
//! alone: when nothing survives, or in check mode when every guard decided
//! exactly and the statements left out change no name they asked about, the
//! fragment's findings are the file's and the whole file is never parsed.
//! When a left-out statement might change such a name, the fragment is
//! widened by the statements holding it and matched again, before falling
//! back to the whole file.
use super::limits;
use super::matching::{find, for_each_match, Pass};
use super::outcome::{Finding, Mode};
use super::prefilter::{self, Binding, Piece, Statement};
use super::rule_set::RuleSet;
use super::semantic::Lookup;
use super::source::{LineIndex, Position, SourceFile};
use crate::edit::Fix;
use std::collections::HashSet;
use std::ops::ControlFlow;
use tree_sitter::Parser;

/// What the prefilter fragment of a file says about it.
pub(super) enum FragmentAnswer {
    /// The file's findings (in check mode; in fix mode only when there are none).
    Findings(Vec<Finding>),
    /// Something may be a finding: parse and match the whole file.
    WholeFileDecides,
    /// The findings hold unless the text left out binds or holds one of
    /// these words: a fragment with the statements holding them decides.
    LeftOut(Vec<String>),
}

/// How many times a fragment is widened before the whole file decides.
const MAX_WIDENINGS: usize = 2;

/// Matches the fragment of `pieces` ([`answer_from_fragment`]), widened by the
/// statements holding the words a left-out statement might bind or spell
/// ([`prefilter::widen`]) while that settles it; never [`FragmentAnswer::LeftOut`].
#[allow(clippy::too_many_arguments)]
pub(super) fn answer_from_fragments(
    pieces: &[Piece],
    statements: &[Statement],
    layout: &prefilter::Layout,
    file: &SourceFile,
    rules: &RuleSet,
    active: &[bool],
    mode: Mode,
    parser: &mut Parser,
) -> FragmentAnswer {
    let mut wider;
    let mut pieces = pieces;
    for _ in 0..=MAX_WIDENINGS {
        let Some(fragment) = prefilter::fragment(file.body, pieces, rules.max_fragment_share) else {
            break;
        };
        match answer_from_fragment(&fragment, layout, file, rules, active, mode, parser) {
            FragmentAnswer::LeftOut(words) => match prefilter::widen(file.body, statements, pieces, &words) {
                Some(more) => {
                    wider = more;
                    pieces = &wider;
                }
                None => break,
            },
            answer => return answer,
        }
    }
    FragmentAnswer::WholeFileDecides
}

/// Matches the fragment. No match survives: the file has no findings. In check
/// mode the fragment's findings are the file's when every guard decided
/// exactly and the statements left out change no name the guards and fixes
/// asked about; the fixes are then only known to exist ([`Fix::known`]), as
/// from the cache.
pub(super) fn answer_from_fragment(
    fragment: &prefilter::Fragment,
    layout: &prefilter::Layout,
    file: &SourceFile,
    rules: &RuleSet,
    active: &[bool],
    mode: Mode,
    parser: &mut Parser,
) -> FragmentAnswer {
    let Some(tree) = parser
        .parse(&fragment.text, None)
        .filter(|t| !t.root_node().has_error() && limits::check_depth(t, &[t.root_node().byte_range()]).is_ok())
    else {
        return FragmentAnswer::WholeFileDecides;
    };
    let fragment_file = SourceFile {
        body: &fragment.text,
        ..*file
    };
    let ranges = fragment.ranges_to_match();
    if mode.fix {
        // Fixes need the whole tree: only whether anything survives matters.
        let mut survives = false;
        for_each_match(&tree, &fragment.text, rules, active, Pass::Fragment, &ranges, |_| {
            survives = true;
            ControlFlow::Break(())
        });
        return match survives {
            true => FragmentAnswer::WholeFileDecides,
            false => FragmentAnswer::Findings(Vec::new()),
        };
    }
    let found = find(&tree, &fragment_file, rules, active, Pass::Fragment, &ranges);
    if found.findings.is_empty() {
        return FragmentAnswer::Findings(Vec::new());
    }
    if !found.decided {
        return FragmentAnswer::WholeFileDecides;
    }
    // Names resolve as in the whole file when the statements left out bind none
    // of those a finding's guards and fix resolved, and import none of those any
    // match resolved (only an import could make a rejected match pass: every
    // guard that resolves names passes only on a particular import or builtin);
    // a name a fix checked is free must occur nowhere in them, nor a word a
    // guard needs kept.
    let resolved = |lookups: &[Lookup]| -> HashSet<String> {
        lookups
            .iter()
            .filter_map(|l| match l {
                Lookup::Resolved(name) => Some(name.clone()),
                Lookup::Spelled(_) => None,
            })
            .collect()
    };
    let all = found.semantic.as_ref().map_or_else(Vec::new, |s| s.lookups_since(0));
    let bound = resolved(&found.lookups_of_findings)
        .into_iter()
        .filter(|name| fragment.may_bind(file.body, layout, name, Binding::Any));
    let imported = resolved(&all)
        .into_iter()
        .filter(|name| fragment.may_bind(file.body, layout, name, Binding::Import));
    let spelled = found.lookups_of_findings.iter().filter_map(|l| match l {
        Lookup::Spelled(name) => Some(name.clone()),
        Lookup::Resolved(_) => None,
    });
    let words = found.words_to_keep.iter().map(|w| w.to_string());
    let mut left_out: Vec<String> = bound
        .chain(imported)
        .chain(spelled.chain(words).filter(|w| fragment.leaves_out_word(file.body, w)))
        .collect();
    if !left_out.is_empty() {
        left_out.sort_unstable();
        left_out.dedup();
        return FragmentAnswer::LeftOut(left_out);
    }
    let (fragment_lines, file_lines) = (LineIndex::new(&fragment.text), LineIndex::new(file.body));
    let findings = found
        .findings
        .into_iter()
        .map(|finding| {
            let range = fragment.file_range(finding.range.clone());
            let moved = |position: Position, from: usize, to: usize| Position {
                line: position.line + file_lines.line_of(to) - fragment_lines.line_of(from),
                ..position
            };
            Finding {
                start: moved(finding.start, finding.range.start, range.start),
                end: moved(finding.end, finding.range.end, range.end),
                fix: finding.fix.map(|fix| Fix::known(fix.safety, fix.unsafe_reason)),
                range,
                ..finding
            }
        })
        .collect();
    FragmentAnswer::Findings(findings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::python_parser;
    use std::collections::HashMap;

    fn answer(source: &str, mode: Mode) -> FragmentAnswer {
        let rules = RuleSet::new(crate::codemod::builtin().unwrap(), HashMap::new()).unwrap();
        let candidates = rules.candidates(source).expect("a candidate");
        let file = SourceFile::new(source);
        let pieces = prefilter::pieces(source, &candidates.statements, &candidates.offsets);
        let mut parser = python_parser();
        answer_from_fragments(
            &pieces,
            &candidates.statements,
            &candidates.layout,
            &file,
            &rules,
            &candidates.active,
            mode,
            &mut parser,
        )
    }

    /// The words the first, unwidened fragment of `source` leaves out.
    fn left_out_at_first(source: &str) -> Vec<String> {
        let rules = RuleSet::new(crate::codemod::builtin().unwrap(), HashMap::new()).unwrap();
        let candidates = rules.candidates(source).expect("a candidate");
        let pieces = prefilter::pieces(source, &candidates.statements, &candidates.offsets);
        let fragment = prefilter::fragment(source, &pieces, prefilter::DEFAULT_MAX_SHARE).expect("a fragment");
        let (file, layout) = (SourceFile::new(source), &candidates.layout);
        match answer_from_fragment(
            &fragment,
            layout,
            &file,
            &rules,
            &candidates.active,
            Mode::default(),
            &mut python_parser(),
        ) {
            FragmentAnswer::LeftOut(words) => words,
            _ => Vec::new(),
        }
    }

    /// The findings of `source` with the prefilter off: the whole file's.
    fn whole_file_findings(source: &str) -> Vec<(String, usize, String)> {
        let mut rules = RuleSet::new(crate::codemod::builtin().unwrap(), HashMap::new()).unwrap();
        rules.max_fragment_share = 0.0;
        let outcome = crate::engine::process(source, &rules, Mode::default(), &mut python_parser()).unwrap();
        summary(&outcome.findings)
    }

    fn summary(findings: &[Finding]) -> Vec<(String, usize, String)> {
        findings
            .iter()
            .map(|f| (f.rule.clone(), f.start.line, f.message.clone()))
            .collect()
    }

    /// Twenty functions the fragment leaves out, then `tail`.
    fn file_ending_with(tail: &str) -> String {
        let mut source = String::from("import os\n\n");
        for i in 0..20 {
            source.push_str(&format!("def f{i}(x):\n    return x + {i}\n\n"));
        }
        source + tail
    }

    #[test]
    fn a_fragment_answers_check_with_positions_in_the_file() {
        let source = file_ending_with("def last(d, k):\n    return sorted(d)[0] if k in d.keys() else None\n");
        let FragmentAnswer::Findings(findings) = answer(&source, Mode::default()) else {
            panic!("the fragment decides");
        };
        let found: Vec<(&str, usize, usize)> = findings
            .iter()
            .map(|f| (f.rule.as_str(), f.start.line, f.start.column))
            .collect();
        assert_eq!(
            found,
            vec![("sorted-for-extreme", 64, 12), ("dict-keys-membership", 64, 33)]
        );
        assert_eq!(&source[findings[1].range.clone()], "d.keys()");
        let file = SourceFile::new(&source);
        for finding in &findings {
            assert_eq!(finding.start, file.position(finding.range.start));
            assert_eq!(finding.end, file.position(finding.range.end));
        }
        assert!(findings
            .iter()
            .all(|f| f.fix.as_ref().is_some_and(|fix| fix.edits.is_empty())));
    }

    #[test]
    fn a_left_out_statement_that_rebinds_a_name_widens_the_fragment_and_the_whole_file_decides_fixes() {
        let tail = "def last(d):\n    return sorted(d)[0]\n";
        let shadowed = file_ending_with(tail).replacen("def f3(x)", "def sorted(x)", 1);
        assert_eq!(left_out_at_first(&shadowed), ["sorted"]);
        // The fragment with `def sorted` added sees the builtin hidden, as the whole file does.
        let FragmentAnswer::Findings(findings) = answer(&shadowed, Mode::default()) else {
            panic!("the widened fragment decides");
        };
        assert!(findings.is_empty());
        assert!(whole_file_findings(&shadowed).is_empty());
        let fix = Mode {
            fix: true,
            unsafe_fixes: false,
        };
        assert!(matches!(
            answer(&file_ending_with(tail), fix),
            FragmentAnswer::WholeFileDecides
        ));
    }

    #[test]
    fn a_widened_fragment_finds_what_the_whole_file_does() {
        // `self.table` is annotated in a method the first fragment leaves out.
        let mut source = String::from("import os\n\n\nclass Registry:\n");
        for i in 0..20 {
            source.push_str(&format!("    def m{i}(self):\n        return {i}\n\n"));
        }
        source.push_str("    def setup(self):\n        self.table: dict[str, int] = {}\n\n");
        source.push_str("    def has(self, k):\n        return k in self.table.keys()\n");
        assert_eq!(left_out_at_first(&source), ["table"]);
        let FragmentAnswer::Findings(findings) = answer(&source, Mode::default()) else {
            panic!("the widened fragment decides");
        };
        assert_eq!(summary(&findings), whole_file_findings(&source));
        assert_eq!(findings.len(), 1);
        assert!(!findings[0].message.contains("unsafe"), "{}", findings[0].message);
        // Without the annotation the proof fails the same way in both.
        let unproven = source.replace("self.table: dict[str, int] = {}", "self.table = make()");
        let FragmentAnswer::Findings(findings) = answer(&unproven, Mode::default()) else {
            panic!("the widened fragment decides");
        };
        assert_eq!(summary(&findings), whole_file_findings(&unproven));
        assert!(findings[0].message.contains("unsafe"), "{}", findings[0].message);
    }
}
