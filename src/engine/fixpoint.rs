//! The fix pipeline of one file: prefilter, parse, match, then fix rounds to a
//! fixpoint, re-parsing after every round. Each round applies the allowed,
//! non-overlapping fixes with the imports they need; a round that would not
//! parse is retried without the fixes that break it.
use super::fragment::{answer_from_fragments, FragmentAnswer};
use super::imports;
use super::limits;
use super::matching::{find, Pass};
use super::origin::{FixFilter, FixId, OriginMap};
use super::outcome::{applicable, AppliedFix, FileOutcome, Finding, Mode};
use super::prefilter;
use super::rule_set::{Candidates, RuleSet};
use super::semantic::Semantic;
use super::source::{LineIndex, SourceFile};
use crate::edit::{apply_edits, Edit, Fix, ImportRequest};
use std::collections::HashMap;
use std::ops::Range;
use tree_sitter::{Node, Parser, Tree};

/// How many fix rounds a file gets before perfmod gives up converging.
const MAX_ROUNDS: usize = 10;

/// Runs the rule set over one file's text. `Err` is a one-line reason the file
/// could not be processed (it does not parse).
pub fn process(text: &str, rules: &RuleSet, mode: Mode, parser: &mut Parser) -> Result<FileOutcome, String> {
    process_filtered(text, rules, mode, &FixFilter::All, parser)
}

/// [`process`], applying only the fixes `filter` allows: verification re-runs a
/// file without the rewrites that broke it.
pub fn process_filtered(
    text: &str,
    rules: &RuleSet,
    mode: Mode,
    filter: &FixFilter,
    parser: &mut Parser,
) -> Result<FileOutcome, String> {
    let budget = limits::Budget::start();
    budget.finish(process_within_budget(text, rules, mode, filter, parser))
}

fn process_within_budget(
    text: &str,
    rules: &RuleSet,
    mode: Mode,
    filter: &FixFilter,
    parser: &mut Parser,
) -> Result<FileOutcome, String> {
    let mut outcome = FileOutcome::default();
    // Most files hold no candidate: look before measuring the file's indentation.
    let Some(Candidates {
        active,
        offsets: hits,
        statements,
        layout,
    }) = rules.candidates(text.strip_prefix('\u{feff}').unwrap_or(text))
    else {
        return Ok(outcome);
    };
    // A deferred rule set compiles its query here; a codemod whose query does
    // not compile is reported, naming it, for every file that needed it.
    // Compiling (or waiting for another thread to) is the run's cost, not the
    // file's: it does not count to the file's time budget.
    limits::not_counted(|| rules.compiled().map(|_| ()))?;
    let file = SourceFile::new(text);
    let pieces = prefilter::pieces(file.body, &statements, &hits);
    if rules.prefilter_on() {
        match answer_from_fragments(&pieces, &statements, &layout, &file, rules, &active, mode, parser) {
            FragmentAnswer::Findings(findings) => {
                outcome.findings = findings;
                return Ok(outcome);
            }
            FragmentAnswer::WholeFileDecides | FragmentAnswer::LeftOut(_) => {}
        }
    }
    let tree = parse(parser, file.body)?;
    if let Some(error) = first_syntax_error(&tree) {
        let at = file.position(error.start_byte());
        return Err(format!("syntax error at {}:{}, file left alone", at.line, at.column));
    }
    let ranges = match rules.prefilter_on() {
        true => prefilter::ranges_to_match(&pieces),
        false => vec![tree.root_node().byte_range()],
    };
    limits::check_depth(&tree, &ranges)?;
    outcome.findings = find(&tree, &file, rules, &active, Pass::Full, &ranges).findings;
    if !mode.fix || !outcome.findings.iter().any(|f| applicable(f, mode)) {
        return Ok(outcome);
    }
    // The rounds of fixes match the whole file.
    limits::check_depth(&tree, &[tree.root_node().byte_range()])?;
    let mut current = file.body.to_string();
    let mut current_tree = tree;
    let mut findings = outcome.findings.clone();
    let mut origins = OriginMap::default();
    for round in 0.. {
        if limits::out_of_time() {
            break;
        }
        if round == MAX_ROUNDS {
            outcome.warnings.push(format!(
                "fixes did not converge after {MAX_ROUNDS} rounds; kept the last valid text"
            ));
            break;
        }
        let chosen = choose_allowed_fixes(&findings, mode, |f| {
            filter.allows(&FixId {
                rule: f.rule.clone(),
                range: origins.to_original(f.range.clone()),
            })
        });
        if chosen.is_empty() {
            break;
        }
        match apply_round(
            &current,
            &current_tree,
            &chosen,
            Round {
                number: round,
                file: &file,
                options: &rules.options,
                origins: &mut origins,
            },
            parser,
            &mut outcome,
        ) {
            Some((next, next_tree)) => {
                current = next;
                current_tree = next_tree;
            }
            None => break,
        }
        let scratch = SourceFile { body: &current, ..file };
        findings = find(
            &current_tree,
            &scratch,
            rules,
            &rules
                .candidates(&current)
                .map_or_else(|| vec![false; rules.codemods.len()], |c| c.active),
            Pass::Full,
            &[current_tree.root_node().byte_range()],
        )
        .findings;
    }
    if current != file.body {
        outcome.fixed = Some(file.with_body(&current));
    }
    Ok(outcome)
}

fn parse(parser: &mut Parser, text: &str) -> Result<Tree, String> {
    let bytes = text.as_bytes();
    let mut cancel = |_: &tree_sitter::ParseState| limits::out_of_time_sampled();
    let options = tree_sitter::ParseOptions::new().progress_callback(&mut cancel);
    parser
        .parse_with_options(&mut |at, _| &bytes[at.min(bytes.len())..], None, Some(options))
        .ok_or_else(|| "the parser gave up on this file".to_string())
}

/// The first ERROR or MISSING node, found without recursion.
fn first_syntax_error(tree: &Tree) -> Option<Node<'_>> {
    let root = tree.root_node();
    if !root.has_error() {
        return None;
    }
    let mut node = root;
    'descend: loop {
        if node.is_error() || node.is_missing() {
            return Some(node);
        }
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            if child.has_error() {
                node = child;
                continue 'descend;
            }
        }
        return Some(node);
    }
}

/// The applicable fixes of a round, first by position, none overlapping.
pub fn choose_fixes(findings: &[Finding], mode: Mode) -> Vec<&Finding> {
    choose_allowed_fixes(findings, mode, |_| true)
}

/// [`choose_fixes`] among those `allowed` lets through.
fn choose_allowed_fixes(findings: &[Finding], mode: Mode, allowed: impl Fn(&Finding) -> bool) -> Vec<&Finding> {
    let mut chosen: Vec<&Finding> = Vec::new();
    let mut taken_until = 0;
    let mut candidates: Vec<&Finding> = findings.iter().filter(|f| applicable(f, mode) && allowed(f)).collect();
    candidates.sort_by_key(|f| (f.fix.as_ref().map(|x| x.span().start), f.range.start));
    for finding in candidates {
        let span = finding.fix.as_ref().map(Fix::span).unwrap_or_default();
        if chosen.is_empty() || span.start >= taken_until {
            taken_until = span.end.max(span.start + 1);
            chosen.push(finding);
        }
    }
    chosen
}

/// Where a round stands: its number, the file as read, and the edits of the
/// rounds before it.
struct Round<'r, 'f> {
    number: usize,
    file: &'r SourceFile<'f>,
    /// The run options (`line-length`, `known-first-party` for the imports).
    options: &'r HashMap<String, String>,
    origins: &'r mut OriginMap,
}

/// Applies one round of fixes with their imports; a round whose result does not
/// parse is retried without the fixes that break it, which are reported. The
/// edits of an accepted round are recorded in its `origins`, its fixes in the
/// outcome's plan.
fn apply_round(
    current: &str,
    tree: &Tree,
    chosen: &[&Finding],
    round: Round,
    parser: &mut Parser,
    outcome: &mut FileOutcome,
) -> Option<(String, Tree)> {
    let Round {
        number,
        file,
        options,
        origins,
    } = round;
    let before = Semantic::build(tree, current);
    let edits_of = |fixes: &[&Finding]| -> Vec<Edit> {
        fixes
            .iter()
            .flat_map(|f| f.fix.as_ref().unwrap().edits.clone())
            .collect()
    };
    let lines = LineIndex::new(file.body);
    let original_line = |finding: &Finding| lines.line_of(origins.to_original(finding.range.clone()).start);
    let attempt = |fixes: &[&Finding], parser: &mut Parser| -> Option<(String, Tree)> {
        let text = apply_edits(current, &edits_of(fixes));
        let tree = parser.parse(&text, None).filter(|t| !t.root_node().has_error())?;
        Some((text, tree))
    };
    let mut accepted: Vec<&Finding> = chosen.to_vec();
    let (mut text, mut new_tree) = match attempt(&accepted, parser) {
        Some(result) => result,
        None => {
            accepted.retain(|finding| {
                let ok = attempt(&[*finding], parser).is_some();
                if !ok {
                    let line = original_line(finding);
                    outcome.warnings.push(format!(
                        "{} rewrite at line {line} would not parse; left unchanged",
                        finding.rule
                    ));
                }
                ok
            });
            attempt(&accepted, parser)?
        }
    };
    if accepted.is_empty() {
        return None;
    }
    let mut steps = vec![edits_of(&accepted)];
    // Imports the fixes left unused go first, so that a statement gaining a
    // name is laid out without the names it loses; then the imports the fixes need.
    let requests: Vec<ImportRequest> = accepted
        .iter()
        .flat_map(|f| f.fix.as_ref().unwrap().imports.clone())
        .collect();
    let known_first_party: Vec<String> = options
        .get("known-first-party")
        .map(|names| names.split(',').filter(|n| !n.is_empty()).map(str::to_string).collect())
        .unwrap_or_default();
    let import_style = imports::ImportStyle {
        line_length: super::line_length(options),
        known_first_party: &known_first_party,
    };
    let after = Semantic::build(&new_tree, &text);
    let removals = imports::remove_unused(&new_tree, &text, &before, &after, file.eol, import_style);
    // An import that replaces a removed one ends as that line did (a file may
    // mix CRLF and LF).
    let import_eol = match removals.first().map(|r| &text[r.range.clone()]) {
        Some(removed) if removed.ends_with("\r\n") => "\r\n",
        Some(removed) if removed.ends_with('\n') => "\n",
        _ => file.eol,
    };
    if !removals.is_empty() {
        let pruned = apply_edits(&text, &removals);
        if let Some(t) = parser.parse(&pruned, None).filter(|t| !t.root_node().has_error()) {
            (text, new_tree) = (pruned, t);
            steps.push(removals);
        }
    }
    if !requests.is_empty() {
        let semantic = Semantic::build(&new_tree, &text);
        let edits = imports::add_imports(&new_tree, &text, &semantic, &requests, import_eol, import_style);
        let with_imports = apply_edits(&text, &edits);
        let reparsed = parser.parse(&with_imports, None).filter(|t| !t.root_node().has_error());
        match reparsed {
            Some(t) => {
                (text, new_tree) = (with_imports, t);
                steps.push(edits);
            }
            None => {
                outcome
                    .warnings
                    .push("adding the imports the fixes need would not parse; fixes left out".into());
                return None;
            }
        }
    }
    let opening_blank = imports::leading_blank_lines(&text);
    if opening_blank > 0 && imports::leading_blank_lines(current) == 0 {
        let trimmed = text[opening_blank..].to_string();
        if let Some(t) = parser.parse(&trimmed, None).filter(|t| !t.root_node().has_error()) {
            (text, new_tree) = (trimmed, t);
            steps.push(vec![Edit::delete(0..opening_blank)]);
        }
    }
    let earlier = outcome.applied.len();
    for finding in &accepted {
        let range = origins.to_original(finding.range.clone());
        let overlaps = |other: &Range<usize>| other.start < range.end.max(range.start + 1) && range.start < other.end;
        let depends_on = outcome.applied[..earlier]
            .iter()
            .filter(|a| overlaps(&a.range))
            .map(AppliedFix::id)
            .collect();
        outcome.applied.push(AppliedFix {
            rule: finding.rule.clone(),
            line: original_line(finding),
            range,
            span: origins.to_original(finding.fix.as_ref().map_or(finding.range.clone(), Fix::span)),
            round: number,
            depends_on,
        });
    }
    for step in &steps {
        origins.record(step);
    }
    Some((text, new_tree))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::python_parser;
    use std::collections::{HashMap, HashSet};

    #[test]
    fn the_plan_names_each_fix_with_its_round_and_what_it_depends_on_and_renders_any_subset() {
        let rules = RuleSet::new(crate::codemod::builtin().unwrap(), HashMap::new()).unwrap();
        let mode = Mode {
            fix: true,
            unsafe_fixes: true,
        };
        let text =
            "from typing import List, Optional\n\n\ndef f(x: Optional[List[int]], n: List[str]) -> None:\n    pass\n";
        let mut parser = python_parser();
        let plan = process(text, &rules, mode, &mut parser).unwrap();
        let shown: Vec<(usize, &str, usize)> = plan
            .applied
            .iter()
            .map(|a| (a.round, &text[a.range.clone()], a.depends_on.len()))
            .collect();
        assert_eq!(
            shown,
            vec![
                (0, "Optional[List[int]]", 0),
                (0, "List", 0),
                (1, "Optional[List[int]]", 1)
            ]
        );
        assert_eq!(plan.applied[2].depends_on, vec![plan.applied[0].id()]);
        assert_eq!(
            plan.fixed.as_deref(),
            // The emptied import goes with the blank lines it left opening the file.
            Some("def f(x: list[int] | None, n: list[str]) -> None:\n    pass\n")
        );
        // Without the `Optional` fix, the one that depended on it is gone and
        // the inner `List` is a first-round fix of its own.
        let without_first = FixFilter::Except(HashSet::from([plan.applied[0].id()]));
        let rendered = process_filtered(text, &rules, mode, &without_first, &mut parser).unwrap();
        let ids: Vec<FixId> = rendered.applied.iter().map(AppliedFix::id).collect();
        let inner = text.find("List[int]").unwrap();
        assert_eq!(ids[0].range, inner..inner + 4);
        assert_eq!(ids[1], plan.applied[1].id());
        assert_eq!(ids.len(), 2);
        assert!(rendered.fixed.unwrap().contains("x: Optional[list[int]], n: list[str]"));
    }
}
