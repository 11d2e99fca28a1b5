//! Matching: one query pass over the ranges that may hold matches, the guards
//! of each match (as the [`Pass`] allows), and each surviving match rendered
//! into a finding with its fix (template or fixer, comments kept, line ends of
//! the file).
use super::comments::keep_comments;
use super::context::{FixContext, GuardContext, RenderContext, Verdict};
use super::limits;
use super::outcome::Finding;
use super::reformat;
use super::registry::OnFragment;
use super::rule_set::RuleSet;
use super::semantic::{LazySemantic, Lookup, Semantic};
use super::source::SourceFile;
use crate::codemod::{Codemod, FixSpec};
use crate::edit::{Edit, Fix, Safety};
use std::collections::HashMap;
use std::ops::{ControlFlow, Range};
use tree_sitter::{Node, QueryCursor, StreamingIterator, Tree};

/// Which guards a matching pass can trust.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Pass {
    /// The whole file: every guard decides.
    Full,
    /// A prefilter fragment: only guards exact or permissive on a fragment.
    Fragment,
}

/// One surviving match of one pattern.
pub(super) struct Match<'m, 't> {
    codemod: &'m Codemod,
    pattern: &'m crate::codemod::Pattern,
    captures: &'m HashMap<&'m str, Vec<Node<'t>>>,
    target: Node<'t>,
    semantic: &'m LazySemantic<'m>,
    verdict: Verdict,
    /// Whether every guard decided as it would on the whole file (always, but
    /// on a fragment; see [`OnFragment`]).
    decided: bool,
    /// The semantic model's [`Semantic::lookups`] before the guards ran.
    lookups_from: usize,
    /// Its [`Semantic::assumptions`] then.
    assumptions_from: usize,
    /// Words the text a fragment leaves out must not hold for the match to be
    /// decided (see [`OnFragment::ExactUnlessLeftOut`]).
    words_to_keep: Vec<&'static str>,
}

/// Runs every active pattern in one query pass and calls `visit` for each match
/// its guards let through, until `visit` breaks. Returns the semantic model, if
/// a match needed one.
pub(super) fn for_each_match<'t>(
    tree: &'t Tree,
    source: &str,
    rules: &RuleSet,
    active: &[bool],
    pass: Pass,
    ranges: &[Range<usize>],
    mut visit: impl FnMut(Match<'_, 't>) -> ControlFlow<()>,
) -> Option<Semantic> {
    let semantic = LazySemantic::new(tree, source, pass == Pass::Fragment);
    let compiled = match rules.compiled() {
        Ok(compiled) => compiled,
        Err(_) => return semantic.into_built(),
    };
    let query = &compiled.query;
    let names = query.capture_names();
    let mut cursor = QueryCursor::new();
    let mut cancel = |_: &tree_sitter::QueryCursorState| limits::out_of_time_sampled();
    for range in ranges {
        cursor.set_byte_range(range.clone());
        let options = tree_sitter::QueryCursorOptions::new().progress_callback(&mut cancel);
        let mut matches = cursor.matches_with_options(query, tree.root_node(), source.as_bytes(), options);
        while let Some(m) = matches.next() {
            if limits::out_of_time() {
                break;
            }
            if !active[rules.codemod_of(m.pattern_index)] {
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
            let assumptions_from = semantic.assumptions();
            let mut words_to_keep = Vec::new();
            let mut verdict = Verdict::Pass;
            let mut decided = true;
            for bound in &compiled.guards[m.pattern_index] {
                if pass == Pass::Fragment {
                    match bound.guard.on_fragment {
                        OnFragment::Exact => {}
                        OnFragment::ExactUnlessLeftOut(word) => words_to_keep.push(word),
                        OnFragment::Permissive => decided = false,
                        OnFragment::Unknown => {
                            decided = false;
                            continue;
                        }
                    }
                }
                verdict = verdict.and(bound.check(names, &guard_ctx));
                if verdict == Verdict::Skip {
                    break;
                }
            }
            if verdict == Verdict::Skip {
                continue;
            }
            let (codemod, pattern) = rules.pattern_of(m.pattern_index);
            let found = Match {
                codemod,
                pattern,
                captures: &captures,
                target,
                semantic: &semantic,
                verdict,
                decided,
                lookups_from,
                assumptions_from,
                words_to_keep,
            };
            if visit(found).is_break() {
                return semantic.into_built();
            }
        }
    }
    semantic.into_built()
}

/// What [`find`] found, and how sure it is.
pub(super) struct Found {
    pub findings: Vec<Finding>,
    /// Every match was decided as on the whole file (see [`Match::decided`]).
    pub decided: bool,
    /// What the guards and fixes of the findings asked the semantic model
    /// (when recording, see [`Semantic::lookups_since`]).
    pub lookups_of_findings: Vec<Lookup>,
    /// Words the text a fragment leaves out must not hold for its matches to
    /// be decided.
    pub words_to_keep: Vec<&'static str>,
    pub semantic: Option<Semantic>,
}

/// The findings of a file (or a fragment), with their rendered fixes.
pub(super) fn find(
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
    let style = reformat::Style {
        line_length: super::line_length(&rules.options),
        // black's and ruff's indent width; a file's smallest indentation can
        // be a continuation line's.
        indent_unit: if file.indent_unit == "\t" { "\t" } else { "    " },
    };
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
            assumptions_from,
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
            site: target.start_byte(),
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
                FixSpec::Rust(fixer) => {
                    let output = (fixer.fix)(&FixContext {
                        render: &render_ctx,
                        target,
                        file,
                    })?;
                    (output.edits, output.imports, output.safety)
                }
            };
            // The pattern's own reason first (its form is unsafe whatever the
            // guards prove), then the first guard's.
            // What the guards and the fix assumed about names perfmod could
            // not read (a star import's) makes a safe rewrite unsafe.
            let assumed = semantic.assumptions_since(assumptions_from).into_iter().next();
            let unsafe_reason = match (fixer_safety.unwrap_or(pattern.safety).max(pattern.safety), &verdict) {
                (Safety::Unsafe, _) => Some(pattern.unsafe_reason.clone().unwrap_or_default()),
                (Safety::Safe, Verdict::Unsafe(reason)) => Some(reason.clone()),
                (Safety::Safe, _) => assumed,
            };
            let safety = match unsafe_reason {
                Some(_) => Safety::Unsafe,
                None => Safety::Safe,
            };
            let mut edits: Vec<Edit> = reformat::tidy(tree, source, edits, style)
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
        // A fragment's match that the whole file decides is never reported:
        // its message (which may read the project) is not needed.
        let message = match pass == Pass::Fragment && !match_decided {
            true => String::new(),
            false => {
                let message = pattern.message.render(&render_ctx).map(|r| r.text).unwrap_or_default();
                match fix.as_ref().and_then(|f| f.unsafe_reason.as_deref()) {
                    Some(reason) => format!("{message} (unsafe: {reason})"),
                    None => message,
                }
            }
        };
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
