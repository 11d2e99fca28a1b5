//! The per-file pipeline: prefilter -> parse -> match -> guard -> render fixes ->
//! apply to a fixpoint, re-parsing after every round.
pub mod analysis;
pub mod filters;
pub mod fixers;
pub mod guards;
pub mod imports;
pub mod origin;
pub mod prefilter;
pub mod semantic;
pub mod source;
pub mod template;

use crate::codemod::{Codemod, FixSpec};
use crate::edit::{apply_edits, Edit, Fix, ImportRequest, Safety};
use aho_corasick::AhoCorasick;
use guards::{GuardContext, OnFragment, Verdict};
use origin::OriginMap;
pub use origin::{FixFilter, FixId};
use prefilter::Binding;
use semantic::{enclosing_statement, LazySemantic, Lookup, Semantic};
use source::{LineIndex, Position, SourceFile};
use std::collections::{HashMap, HashSet};
use std::ops::{ControlFlow, Range};
use std::sync::OnceLock;
use template::RenderContext;
use tree_sitter::{Node, Parser, Query, QueryCursor, StreamingIterator, Tree};

/// How many fix rounds a file gets before perfmod gives up converging.
const MAX_ROUNDS: usize = 10;

/// The active codemods, compiled into one query so every file is matched in a
/// single pass whatever the number of rules.
pub struct RuleSet {
    pub codemods: Vec<Codemod>,
    /// Every pattern's query, one after the other.
    query_source: String,
    /// Compiled on first use: a run the result cache answers whole never pays
    /// for it (see [`RuleSet::deferred`]).
    query: OnceLock<Query>,
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
        let query = compile_query(&rules.query_source, &rules.codemods, &rules.patterns)?;
        let _ = rules.query.set(query);
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
            query: OnceLock::new(),
            patterns,
            literals: AhoCorasick::new(&literals)?,
            literal_owner,
            options,
            max_fragment_share: prefilter::DEFAULT_MAX_SHARE,
        })
    }

    fn query(&self) -> &Query {
        self.query.get_or_init(|| {
            compile_query(&self.query_source, &self.codemods, &self.patterns)
                .expect("deferred rule sets hold only codemods whose queries compile")
        })
    }

    /// Whether files are prefiltered at all (see [`RuleSet::max_fragment_share`]).
    fn prefilter_on(&self) -> bool {
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
    fn candidates(&self, text: &str) -> Option<Candidates> {
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

/// Compiles every pattern into one query and checks each pattern's guards. On
/// failure the patterns are compiled one by one to name the culprit.
fn compile_query(source: &str, codemods: &[Codemod], patterns: &[(usize, usize)]) -> anyhow::Result<Query> {
    let language = tree_sitter_python::LANGUAGE.into();
    let blame = |c: usize, p: usize| format!("codemod `{}`, pattern {}", codemods[c].id, p + 1);
    if let Ok(query) = Query::new(&language, source) {
        if query.pattern_count() == patterns.len() {
            let captures = query.capture_names();
            for (index, &(c, p)) in patterns.iter().enumerate() {
                for predicate in query.general_predicates(index) {
                    guards::validate(predicate, captures).map_err(|e| anyhow::anyhow!("{}: {e}", blame(c, p)))?;
                }
            }
            return Ok(query);
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
struct Candidates {
    /// Per codemod: its literals occur together in some statement.
    active: Vec<bool>,
    /// Where those literals (and aliases of imported ones) are.
    offsets: Vec<usize>,
    statements: Vec<prefilter::Statement>,
    layout: prefilter::Layout,
}

/// One reported anti-pattern.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: String,
    pub message: String,
    pub range: Range<usize>,
    pub start: Position,
    pub end: Position,
    pub fix: Option<Fix>,
}

/// A fix that was applied, for the report.
#[derive(Debug, Clone)]
pub struct AppliedFix {
    pub rule: String,
    /// The line of its finding in the file as read.
    pub line: usize,
    /// Its finding's range in the file as read (see [`FixId`]).
    pub range: Range<usize>,
}

impl AppliedFix {
    /// Its name for [`FixFilter`], to leave it out of (or single it out in) a re-run.
    pub fn id(&self) -> FixId {
        FixId {
            rule: self.rule.clone(),
            range: self.range.clone(),
        }
    }
}

/// What processing one file produced.
#[derive(Debug, Default)]
pub struct FileOutcome {
    /// Findings in the file as it was read.
    pub findings: Vec<Finding>,
    /// The rewritten file (BOM and line endings kept), if anything changed.
    pub fixed: Option<String>,
    pub applied: Vec<AppliedFix>,
    /// Rewrites that were dropped and why (e.g. they would not re-parse).
    pub warnings: Vec<String>,
}

/// What a run asks of each file.
#[derive(Debug, Clone, Copy, Default)]
pub struct Mode {
    /// Compute rewrites (`fix`), not only findings (`check`).
    pub fix: bool,
    /// Also apply rewrites marked unsafe.
    pub unsafe_fixes: bool,
}

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
    let file = SourceFile::new(text);
    let pieces = prefilter::pieces(file.body, &statements, &hits);
    let fragment = rules
        .prefilter_on()
        .then(|| prefilter::fragment(file.body, &pieces, rules.max_fragment_share))
        .flatten();
    if let Some(fragment) = fragment {
        match answer_from_fragment(&fragment, &layout, &file, rules, &active, mode, parser) {
            FragmentAnswer::Findings(findings) => {
                outcome.findings = findings;
                return Ok(outcome);
            }
            FragmentAnswer::WholeFileDecides => {}
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
    outcome.findings = find(&tree, &file, rules, &active, Pass::Full, &ranges).findings;
    if !mode.fix || !outcome.findings.iter().any(|f| applicable(f, mode)) {
        return Ok(outcome);
    }
    let mut current = file.body.to_string();
    let mut current_tree = tree;
    let mut findings = outcome.findings.clone();
    let mut origins = OriginMap::default();
    for round in 0.. {
        if round == MAX_ROUNDS {
            outcome.warnings.push(format!(
                "fixes did not converge after {MAX_ROUNDS} rounds; kept the last valid text"
            ));
            break;
        }
        let chosen = choose_allowed_fixes(&findings, mode, |f| filter.allows(&origins.fix_id(f)));
        if chosen.is_empty() {
            break;
        }
        match apply_round(
            &current,
            &current_tree,
            &chosen,
            &file,
            parser,
            &mut origins,
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
    parser
        .parse(text, None)
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

/// Whether `mode` applies this finding's rewrite.
pub fn applicable(finding: &Finding, mode: Mode) -> bool {
    finding
        .fix
        .as_ref()
        .is_some_and(|fix| mode.unsafe_fixes || fix.safety == Safety::Safe)
}

/// Which guards a matching pass can trust.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// The whole file: every guard decides.
    Full,
    /// A prefilter fragment: only guards exact or permissive on a fragment.
    Fragment,
}

/// One surviving match of one pattern.
struct Match<'m, 't> {
    codemod: &'m Codemod,
    pattern: &'m crate::codemod::Pattern,
    captures: &'m HashMap<&'m str, Vec<Node<'t>>>,
    target: Node<'t>,
    semantic: &'m LazySemantic<'m>,
    verdict: Verdict,
    /// Whether every guard decided as it would on the whole file (always, but
    /// on a fragment; see [`guards::OnFragment`]).
    decided: bool,
    /// The semantic model's [`Semantic::lookups`] before the guards ran.
    lookups_from: usize,
    /// Words the text a fragment leaves out must not hold for the match to be
    /// decided (see [`OnFragment::ExactUnlessLeftOut`]).
    words_to_keep: Vec<&'static str>,
}

/// Runs every active pattern in one query pass and calls `visit` for each match
/// its guards let through, until `visit` breaks. Returns the semantic model, if
/// a match needed one.
fn for_each_match<'t>(
    tree: &'t Tree,
    source: &str,
    rules: &RuleSet,
    active: &[bool],
    pass: Pass,
    ranges: &[Range<usize>],
    mut visit: impl FnMut(Match<'_, 't>) -> ControlFlow<()>,
) -> Option<Semantic> {
    let semantic = LazySemantic::new(tree, source, pass == Pass::Fragment);
    let query = rules.query();
    let names = query.capture_names();
    let mut cursor = QueryCursor::new();
    for range in ranges {
        cursor.set_byte_range(range.clone());
        let mut matches = cursor.matches(query, tree.root_node(), source.as_bytes());
        while let Some(m) = matches.next() {
            let (c, p) = rules.patterns[m.pattern_index];
            if !active[c] {
                continue;
            }
            let mut captures: HashMap<&str, Vec<Node>> = HashMap::new();
            for capture in m.captures {
                captures
                    .entry(names[capture.index as usize])
                    .or_default()
                    .push(capture.node);
            }
            let Some(&target) = captures.get("match").and_then(|n| n.first()) else {
                continue;
            };
            let guard_ctx = GuardContext {
                source,
                semantic: &semantic,
                captures: &captures,
                options: &rules.options,
            };
            let lookups_from = semantic.lookups();
            let mut words_to_keep = Vec::new();
            let mut verdict = Verdict::Pass;
            let mut decided = true;
            for predicate in query.general_predicates(m.pattern_index) {
                if pass == Pass::Fragment {
                    match guards::on_fragment(predicate) {
                        OnFragment::Exact => {}
                        OnFragment::ExactUnlessLeftOut(word) => words_to_keep.push(word),
                        OnFragment::Permissive => decided = false,
                        OnFragment::Unknown => {
                            decided = false;
                            continue;
                        }
                    }
                }
                verdict = verdict.and(guards::check(predicate, names, &guard_ctx));
                if verdict == Verdict::Skip {
                    break;
                }
            }
            if verdict == Verdict::Skip {
                continue;
            }
            let codemod = &rules.codemods[c];
            let found = Match {
                codemod,
                pattern: &codemod.patterns[p],
                captures: &captures,
                target,
                semantic: &semantic,
                verdict,
                decided,
                lookups_from,
                words_to_keep,
            };
            if visit(found).is_break() {
                return semantic.into_built();
            }
        }
    }
    semantic.into_built()
}

/// What the prefilter fragment of a file says about it.
enum FragmentAnswer {
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
fn answer_from_fragment(
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
        .filter(|t| !t.root_node().has_error())
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

/// What [`find`] found, and how sure it is.
struct Found {
    findings: Vec<Finding>,
    /// Every match was decided as on the whole file (see [`Match::decided`]).
    decided: bool,
    /// What the guards and fixes of the findings asked the semantic model
    /// (when recording, see [`Semantic::lookups_since`]).
    lookups_of_findings: Vec<Lookup>,
    /// Words the text a fragment leaves out must not hold for its matches to
    /// be decided.
    words_to_keep: Vec<&'static str>,
    semantic: Option<Semantic>,
}

/// The findings of a file (or a fragment), with their rendered fixes.
fn find(
    tree: &Tree,
    file: &SourceFile,
    rules: &RuleSet,
    active: &[bool],
    pass: Pass,
    ranges: &[Range<usize>],
) -> Found {
    let source = file.body;
    let mut findings = Vec::new();
    let mut decided = true;
    let mut lookups_of_findings = Vec::new();
    let mut words_to_keep = Vec::new();
    let semantic = for_each_match(tree, source, rules, active, pass, ranges, |m| {
        let Match {
            codemod,
            pattern,
            captures,
            target,
            semantic,
            verdict,
            decided: match_decided,
            lookups_from,
            words_to_keep: match_words,
        } = m;
        decided &= match_decided;
        words_to_keep.extend(match_words);
        if file.is_suppressed(&codemod.id, target.start_byte(), target.end_byte()) {
            return ControlFlow::Continue(());
        }
        let render_ctx = RenderContext {
            source,
            captures,
            semantic,
            options: &rules.options,
            site_indent: file.indentation_of_line(target.start_byte()),
            indent_unit: file.indent_unit,
        };
        let fix = pattern.fix.as_ref().and_then(|spec| {
            let (edits, imports, fixer_safety) = match spec {
                FixSpec::Template(template) => {
                    let rendered = template.render(&render_ctx)?;
                    (
                        vec![Edit::replace(target.byte_range(), rendered.text)],
                        rendered.imports,
                        None,
                    )
                }
                FixSpec::Rust(_, fixer) => {
                    let output = fixer(&fixers::FixContext {
                        render: &render_ctx,
                        target,
                        file,
                    })?;
                    (output.edits, output.imports, output.safety)
                }
            };
            // The pattern's own reason first (its form is unsafe whatever the
            // guards prove), then the first guard's.
            let unsafe_reason = match (fixer_safety.unwrap_or(pattern.safety).max(pattern.safety), &verdict) {
                (Safety::Unsafe, _) => Some(pattern.unsafe_reason.clone().unwrap_or_default()),
                (Safety::Safe, Verdict::Unsafe(reason)) => Some(reason.clone()),
                (Safety::Safe, _) => None,
            };
            let safety = match unsafe_reason {
                Some(_) => Safety::Unsafe,
                None => Safety::Safe,
            };
            let mut edits: Vec<Edit> = edits
                .into_iter()
                .map(|e| Edit {
                    text: file.with_eol(&e.text),
                    ..e
                })
                .collect();
            edits.extend(keep_comments(tree, &edits, source, file.eol));
            Some(Fix {
                edits,
                imports,
                safety,
                unsafe_reason,
            })
        });
        let mut message = pattern.message.render(&render_ctx).map(|r| r.text).unwrap_or_default();
        if let Some(reason) = fix.as_ref().and_then(|f| f.unsafe_reason.as_deref()) {
            message = format!("{message} (unsafe: {reason})");
        }
        findings.push(Finding {
            rule: codemod.id.clone(),
            message,
            range: target.byte_range(),
            start: file.node_position(target.start_byte(), target.start_position()),
            end: file.node_position(target.end_byte(), target.end_position()),
            fix,
        });
        lookups_of_findings.extend(semantic.lookups_since(lookups_from));
        ControlFlow::Continue(())
    });
    findings.sort_by_key(|f| (f.range.start, f.range.end));
    findings.dedup_by(|a, b| a.rule == b.rule && a.range == b.range);
    Found {
        findings,
        decided,
        lookups_of_findings,
        words_to_keep,
        semantic,
    }
}

/// Comments inside a replaced range that the replacement drops are moved onto
/// their own lines above the statement, so no rewrite ever loses a comment.
fn keep_comments(tree: &Tree, edits: &[Edit], source: &str, eol: &str) -> Vec<Edit> {
    let mut moved = Vec::new();
    for edit in edits.iter().filter(|e| !e.range.is_empty()) {
        let Some(cover) = tree
            .root_node()
            .descendant_for_byte_range(edit.range.start, edit.range.end)
        else {
            continue;
        };
        let mut comments = Vec::new();
        let mut cursor = cover.walk();
        let mut stack = vec![cover];
        while let Some(node) = stack.pop() {
            if node.end_byte() <= edit.range.start || node.start_byte() >= edit.range.end {
                continue;
            }
            if node.kind() == "comment" {
                let comment = semantic::text(node, source);
                if !edit.text.contains(comment) && !moved.iter().any(|(_, c)| *c == comment) {
                    comments.push((node.start_byte(), comment));
                }
                continue;
            }
            stack.extend(node.children(&mut cursor));
        }
        comments.sort();
        if comments.is_empty() {
            continue;
        }
        // The statement where the edit starts: for an edit spanning several
        // statements `cover` is their block, whose own statement is the
        // enclosing `def` or loop, too far up.
        let first = tree
            .root_node()
            .descendant_for_byte_range(edit.range.start, edit.range.start + 1)
            .unwrap_or(cover);
        let statement = enclosing_statement(first);
        moved.extend(comments.into_iter().map(|(_, c)| (statement, c)));
    }
    let mut edits = Vec::new();
    for (statement, comment) in &moved {
        let line_start = statement.start_byte() - statement.start_position().column;
        let indent = &source[line_start..statement.start_byte()];
        edits.push(Edit::insert(statement.start_byte(), format!("{comment}{eol}{indent}")));
    }
    edits
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

/// Applies one round of fixes with their imports; a round whose result does not
/// parse is retried without the fixes that break it, which are reported. The
/// edits of an accepted round are recorded in `origins`.
fn apply_round(
    current: &str,
    tree: &Tree,
    chosen: &[&Finding],
    file: &SourceFile,
    parser: &mut Parser,
    origins: &mut OriginMap,
    outcome: &mut FileOutcome,
) -> Option<(String, Tree)> {
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
    // Imports the fixes need, then imports the fixes left unused.
    let requests: Vec<ImportRequest> = accepted
        .iter()
        .flat_map(|f| f.fix.as_ref().unwrap().imports.clone())
        .collect();
    if !requests.is_empty() {
        let semantic = Semantic::build(&new_tree, &text);
        let edits = imports::add_imports(&new_tree, &text, &semantic, &requests, file.eol);
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
    let after = Semantic::build(&new_tree, &text);
    let removals = imports::remove_unused(&new_tree, &text, &before, &after);
    if !removals.is_empty() {
        let pruned = apply_edits(&text, &removals);
        if let Some(t) = parser.parse(&pruned, None).filter(|t| !t.root_node().has_error()) {
            (text, new_tree) = (pruned, t);
            steps.push(removals);
        }
    }
    for finding in &accepted {
        outcome.applied.push(AppliedFix {
            rule: finding.rule.clone(),
            line: original_line(finding),
            range: origins.to_original(finding.range.clone()),
        });
    }
    for step in &steps {
        origins.record(step);
    }
    Some((text, new_tree))
}

/// Applies the fixes of `chosen` (findings of `text` as `process` reported them,
/// not overlapping: a subset of `choose_fixes`) in one round, with the imports
/// they need. This is how `fix --interactive` and `--changed-lines-only` write
/// only the rewrites they kept; a rewrite that only appears after these is left
/// for the next run. The outcome has no findings, only `fixed` and `applied`.
pub fn apply_chosen(text: &str, chosen: &[&Finding], parser: &mut Parser) -> Result<FileOutcome, String> {
    let file = SourceFile::new(text);
    let mut outcome = FileOutcome::default();
    if chosen.is_empty() {
        return Ok(outcome);
    }
    let tree = parse(parser, file.body)?;
    let mut origins = OriginMap::default();
    if let Some((fixed, _)) = apply_round(file.body, &tree, chosen, &file, parser, &mut origins, &mut outcome) {
        if fixed != file.body {
            outcome.fixed = Some(file.with_body(&fixed));
        }
    }
    Ok(outcome)
}

/// A parser for Python; one per thread.
pub fn python_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .expect("tree-sitter-python matches the tree-sitter version");
    parser
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let source = file_ending_with("def last(d, k):\n    return sorted(d)[0] if k in [1, 2] else None\n");
        let FragmentAnswer::Findings(findings) = answer(&source, Mode::default()) else {
            panic!("the fragment decides");
        };
        let found: Vec<(&str, usize, usize)> = findings
            .iter()
            .map(|f| (f.rule.as_str(), f.start.line, f.start.column))
            .collect();
        assert_eq!(
            found,
            vec![("sorted-for-extreme", 64, 12), ("membership-in-list-literal", 64, 33)]
        );
        assert_eq!(&source[findings[1].range.clone()], "[1, 2]");
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
