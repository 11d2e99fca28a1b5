//! Runs every built-in codemod over its own examples (`codemods/<id>/examples`):
//! positive cases must be rewritten exactly to their `.after.py` (with
//! `--unsafe`), negative cases (no `.after.py`) must produce no finding at all,
//! every rewrite must be idempotent. The snapshot records each finding's safety
//! and both diffs, safe-only and `--unsafe`. Examples marked `# test: runnable`
//! must print the same with `python3` before and after the safe-only
//! `perfmod fix --apply` (the binary, on every example at once) and, unless
//! marked `# test: unsafe-changes-behaviour` (adversarial cases, where the
//! unsafe rewrite must change what it prints), after the `--unsafe` rewrite.
use perfmod::codemod::{self, Codemod, Example};
use perfmod::engine::{self, Mode, RuleSet};
use std::collections::HashMap;
use std::process::Command;

const FIX_ALL: Mode = Mode {
    fix: true,
    unsafe_fixes: true,
};
const FIX_SAFE: Mode = Mode {
    fix: true,
    unsafe_fixes: false,
};
/// Marks an example runnable with `python3`.
const RUNNABLE: &str = "# test: runnable";
/// Marks a runnable example whose unsafe rewrite must change its output: the
/// example shows why the rewrite is unsafe there.
const UNSAFE_CHANGES_BEHAVIOUR: &str = "# test: unsafe-changes-behaviour";

fn marked(example: &Example, marker: &str) -> bool {
    example.before.lines().any(|l| l.trim() == marker)
}

fn rules_for(codemod: Codemod) -> RuleSet {
    RuleSet::new(
        vec![codemod],
        HashMap::from([("concurrency-limit".to_string(), "10".to_string())]),
    )
    .unwrap()
}

/// Every finding (rule, range, positions, fixability and safety), with the
/// prefilter off (0) or a fragment always tried (1): the prefilter may skip
/// work, never change a finding, also where the fragment alone answers.
fn findings_with_fragments(rules: &mut RuleSet, source: &str, share: f64) -> Vec<String> {
    rules.max_fragment_share = share;
    let check = Mode {
        fix: false,
        unsafe_fixes: true,
    };
    let outcome = engine::process(source, rules, check, &mut engine::python_parser());
    rules.max_fragment_share = engine::prefilter::DEFAULT_MAX_SHARE;
    let describe = |f: engine::Finding| {
        let (start, end) = (f.start, f.end);
        let fix = f.fix.map(|fix| fix.safety);
        format!(
            "{} {:?} {}:{}-{}:{} {fix:?}",
            f.rule, f.range, start.line, start.column, end.line, end.column
        )
    };
    outcome
        .map(|o| o.findings.into_iter().map(describe).collect())
        .unwrap_or_default()
}

/// Checks one example, returning a description of each way it fails.
fn check_example(rules: &RuleSet, id: &str, example: &Example) -> Vec<String> {
    let mut problems = Vec::new();
    let mut parser = engine::python_parser();
    let name = format!("{id}/{}", example.name);
    let (outcome, safe_outcome) = match (
        engine::process(&example.before, rules, FIX_ALL, &mut parser),
        engine::process(&example.before, rules, FIX_SAFE, &mut parser),
    ) {
        (Ok(outcome), Ok(safe)) => (outcome, safe),
        (Err(e), _) | (_, Err(e)) => return vec![format!("{name}: {e}")],
    };
    let fixed = outcome.fixed.clone().unwrap_or_else(|| example.before.clone());
    let fixed_safe = safe_outcome.fixed.clone().unwrap_or_else(|| example.before.clone());
    match &example.after {
        None => {
            for finding in &outcome.findings {
                problems.push(format!(
                    "{name}: negative case flagged at line {}: {}",
                    finding.start.line, finding.message
                ));
            }
            if outcome.fixed.is_some() {
                problems.push(format!("{name}: negative case was rewritten:\n{fixed}"));
            }
        }
        Some(expected) => {
            if outcome.findings.is_empty() {
                problems.push(format!("{name}: positive case not flagged"));
            }
            if &fixed != expected {
                problems.push(format!(
                    "{name}: rewrite differs from .after.py\n--- got ---\n{fixed}--- expected ---\n{expected}"
                ));
            }
            for (mode, text) in [(FIX_ALL, &fixed), (FIX_SAFE, &fixed_safe)] {
                let again = engine::process(text, rules, mode, &mut parser).map(|o| o.fixed);
                if !matches!(again, Ok(None)) {
                    problems.push(format!("{name}: not idempotent, a second run gives {again:?}"));
                }
            }
            if !outcome.warnings.is_empty() {
                problems.push(format!("{name}: warnings {:?}", outcome.warnings));
            }
            let findings: String = outcome
                .findings
                .iter()
                .map(|f| {
                    let safety = f.fix.as_ref().map_or("flag", |fix| fix.safety.as_str());
                    format!(
                        "{}:{}: {} [{safety}] {}\n",
                        f.start.line, f.start.column, f.rule, f.message
                    )
                })
                .collect();
            let diff = |after: &str| match after == example.before {
                true => "(unchanged)\n".to_string(),
                false => similar::TextDiff::from_lines(example.before.as_str(), after)
                    .unified_diff()
                    .context_radius(3)
                    .to_string(),
            };
            let snapshot = format!(
                "{findings}\n--- perfmod fix (safe only)\n{}\n--- perfmod fix --unsafe\n{}",
                diff(&fixed_safe),
                diff(&fixed)
            );
            insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false, omit_expression => true}, {
                insta::assert_snapshot!(format!("{id}__{}", example.name), snapshot);
            });
            if marked(example, RUNNABLE) {
                let changes = marked(example, UNSAFE_CHANGES_BEHAVIOUR);
                match (compare_runs(&name, &example.before, &fixed), changes) {
                    (Some(problem), false) => problems.push(problem),
                    (None, true) if fixed != fixed_safe => problems.push(format!(
                        "{name}: marked `{UNSAFE_CHANGES_BEHAVIOUR}` but its unsafe rewrite prints the same"
                    )),
                    (None, true) => problems.push(format!(
                        "{name}: marked `{UNSAFE_CHANGES_BEHAVIOUR}` but has no unsafe rewrite"
                    )),
                    (Some(problem), true) if problem.contains("fails to run") => problems.push(problem),
                    _ => {}
                }
            }
        }
    }
    problems
}

/// Runs both versions with python3; `Some` describes how they differ in
/// stdout or exit status (or that `before` itself fails).
fn compare_runs(name: &str, before: &str, after: &str) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let run = |file: &str, text: &str| {
        let path = dir.path().join(file);
        std::fs::write(&path, text).unwrap();
        let out = Command::new("python3")
            .arg(&path)
            .current_dir(dir.path())
            .output()
            .expect("python3 runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (status_before, out_before, err_before) = run("before.py", before);
    let (status_after, out_after, err_after) = run("after.py", after);
    if status_before != Some(0) {
        return Some(format!("{name}: the example itself fails to run: {err_before}"));
    }
    (status_before != status_after || out_before != out_after).then(|| {
        format!("{name}: behaviour changed\nbefore ({status_before:?}):\n{out_before}\nafter ({status_after:?}):\n{out_after}{err_after}")
    })
}

/// The differential test of `safe`: every runnable example of every codemod,
/// copied into one directory, goes through the binary's safe-only
/// `fix --apply` (every codemod, `--select ALL`); each must print the same
/// before and after. A guard that wrongly lets an unsafe rewrite through as
/// safe fails here on the adversarial examples.
#[test]
fn safe_fix_apply_keeps_every_runnable_example_behaving_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let mut originals = Vec::new();
    for codemod in codemod::builtin().unwrap() {
        for example in codemod.examples.iter().filter(|e| marked(e, RUNNABLE)) {
            let file = format!("{}__{}.py", codemod.id, example.name).replace('-', "_");
            std::fs::write(dir.path().join(&file), &example.before).unwrap();
            originals.push((file, example.before.clone()));
        }
    }
    assert!(originals.len() >= 10, "only {} runnable examples", originals.len());
    let status = Command::new(env!("CARGO_BIN_EXE_perfmod"))
        .args([
            "fix",
            "--apply",
            "--no-cache",
            "--select",
            "ALL",
            "--target-version",
            "py311",
            ".",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        status.status.code().is_some_and(|c| c <= 1),
        "fix --apply failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let mut problems = Vec::new();
    let mut rewritten = 0;
    for (file, before) in &originals {
        let after = std::fs::read_to_string(dir.path().join(file)).unwrap();
        rewritten += usize::from(&after != before);
        problems.extend(compare_runs(file, before, &after));
    }
    assert!(rewritten >= 10, "only {rewritten} runnable examples had a safe rewrite");
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// The same with every codemod active at once: which statements a fragment
/// keeps depends on every active codemod's literals.
#[test]
fn the_prefilter_changes_no_finding_with_every_codemod_active() {
    let mut rules = RuleSet::new(
        codemod::builtin().unwrap(),
        HashMap::from([("concurrency-limit".to_string(), "10".to_string())]),
    )
    .unwrap();
    let mut sources: Vec<(String, String)> = Vec::new();
    for codemod in &rules.codemods {
        for example in &codemod.examples {
            sources.push((format!("{}/{}", codemod.id, example.name), example.before.clone()));
        }
    }
    for dir in ["examples/seed_app", "examples/runnable", "examples/profile"] {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            sources.push((
                entry.path().display().to_string(),
                std::fs::read_to_string(entry.path()).unwrap(),
            ));
        }
    }
    let mut differences = Vec::new();
    for (name, source) in &sources {
        let whole = findings_with_fragments(&mut rules, source, 0.0);
        let fragmented = findings_with_fragments(&mut rules, source, 1.0);
        if whole != fragmented {
            differences.push(format!("{name}: {whole:#?} vs {fragmented:#?}"));
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

#[test]
fn every_codemod_passes_its_examples() {
    let mut problems = Vec::new();
    for codemod in codemod::builtin().expect("built-in codemods load") {
        let id = codemod.id.clone();
        let examples = codemod.examples.clone();
        assert!(
            examples.iter().any(|e| e.after.is_some()),
            "{id}: needs a positive example"
        );
        let negatives = examples.iter().filter(|e| e.after.is_none()).count();
        if negatives < 3 {
            problems.push(format!("{id}: needs at least three negative examples, has {negatives}"));
        }
        let mut rules = rules_for(codemod);
        for example in &examples {
            problems.extend(check_example(&rules, &id, example));
            let whole = findings_with_fragments(&mut rules, &example.before, 0.0);
            let fragmented = findings_with_fragments(&mut rules, &example.before, 1.0);
            if whole != fragmented {
                problems.push(format!(
                    "{id}/{}: the prefilter fragment changes findings: {whole:?} vs {fragmented:?}",
                    example.name
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n\n{}",
        problems.len(),
        problems.join("\n\n")
    );
}

#[test]
fn every_codemod_has_complete_docs() {
    for codemod in codemod::builtin().unwrap() {
        for section in ["## What it does", "## Why is this bad?"] {
            assert!(
                codemod.docs.contains(section),
                "{}: docs.md lacks `{section}`",
                codemod.id
            );
        }
        if codemod.is_fix() {
            assert!(
                codemod.docs.contains("## Fix safety"),
                "{}: docs.md lacks `## Fix safety`",
                codemod.id
            );
        }
    }
}

/// Runs compile the built-in codemods' combined query lazily, trusting that it
/// compiles: this is where that is checked.
#[test]
fn all_builtin_codemods_compile_together() {
    let all = codemod::builtin().unwrap();
    engine::check_queries(&all).unwrap();
}
