//! The prefilter's fragment of a file (see [`super::prefilter`]) matched
//! alone: when nothing survives, or in check mode when every guard decided
//! exactly and the statements left out change no name they asked about, the
//! fragment's findings are the file's and the whole file is never parsed.
use super::limits;
use super::matching::{find, for_each_match, Pass};
use super::outcome::{Finding, Mode};
use super::prefilter::{self, Binding};
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
    // Names resolve as in the whole file when the statements left out bind none
    // of those a finding's guards and fix resolved, and import none of those any
    // match resolved (only an import could make a rejected match pass: every
    // guard that resolves names passes only on a particular import or builtin);
    // a name a fix checked is free must occur nowhere in them.
    let names_agree = || {
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
        !fragment.may_bind_any(file.body, layout, &resolved(&found.lookups_of_findings), Binding::Any)
            && !fragment.may_bind_any(file.body, layout, &resolved(&all), Binding::Import)
            && found.lookups_of_findings.iter().all(|l| match l {
                Lookup::Spelled(name) => !fragment.leaves_out_word(file.body, name),
                Lookup::Resolved(_) => true,
            })
    };
    let words_kept = || {
        found
            .words_to_keep
            .iter()
            .all(|w| !fragment.leaves_out_word(file.body, w))
    };
    if !found.decided || !names_agree() || !words_kept() {
        return FragmentAnswer::WholeFileDecides;
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
        let fragment = prefilter::fragment(source, &pieces, prefilter::DEFAULT_MAX_SHARE).expect("a fragment");
        let mut parser = python_parser();
        answer_from_fragment(
            &fragment,
            &candidates.layout,
            &file,
            &rules,
            &candidates.active,
            mode,
            &mut parser,
        )
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
    fn the_whole_file_decides_when_a_left_out_statement_rebinds_a_name_or_in_fix_mode() {
        let tail = "def last(d):\n    return sorted(d)[0]\n";
        let shadowed = file_ending_with(tail).replacen("def f3(x)", "def sorted(x)", 1);
        assert!(matches!(
            answer(&shadowed, Mode::default()),
            FragmentAnswer::WholeFileDecides
        ));
        let fix = Mode {
            fix: true,
            unsafe_fixes: false,
        };
        assert!(matches!(
            answer(&file_ending_with(tail), fix),
            FragmentAnswer::WholeFileDecides
        ));
    }
}
