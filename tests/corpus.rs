//! Every built-in codemod, unsafe rewrites included, over the installed Python
//! standard library (read in place, never written: the rewritten texts go to a
//! temporary directory). Every rewritten file must still compile with
//! `python3`, a second pass must change nothing, files without findings must
//! stay byte-identical, and every changed line must lie inside a reported
//! finding or its fix (or be an import the engine adds or prunes).
//! `cargo test --test corpus -- --nocapture` prints the figures.
//!
//! `PERFMOD_CORPUS=DIR` runs the same over another tree (scripts/corpus-pypi.sh).
mod common;

use common::{all_rules, process, python_files, stdlib_dir};
use perfmod::engine::FileOutcome;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

enum Verdict {
    /// Not UTF-8, or does not parse (e.g. Python 2 test data): left alone.
    Skipped(String),
    Unchanged {
        findings: usize,
    },
    Rewritten {
        original: String,
        fixed: String,
        outcome: FileOutcome,
    },
}

#[test]
fn stdlib_corpus() {
    let root = std::env::var_os("PERFMOD_CORPUS").map_or_else(stdlib_dir, PathBuf::from);
    let files = python_files(&root);
    assert!(
        files.len() > 10,
        "found only {} files under {}",
        files.len(),
        root.display()
    );
    let rules = all_rules();
    let started = Instant::now();
    let verdicts: Vec<(PathBuf, Verdict)> = files
        .par_iter()
        .map(|path| (path.clone(), examine(path, &rules)))
        .collect();
    let engine_time = started.elapsed();

    let mut problems = Vec::new();
    let mut per_rule: BTreeMap<String, usize> = BTreeMap::new();
    let (mut skipped, mut findings_total, mut rewritten) = (0, 0, Vec::new());
    for (path, verdict) in &verdicts {
        match verdict {
            Verdict::Skipped(reason) => {
                skipped += 1;
                eprintln!("  skipped {}: {reason}", path.display());
            }
            Verdict::Unchanged { findings } => findings_total += findings,
            Verdict::Rewritten {
                original,
                fixed,
                outcome,
            } => {
                findings_total += outcome.findings.len();
                for applied in &outcome.applied {
                    *per_rule.entry(applied.rule.clone()).or_default() += 1;
                }
                problems.extend(changes_outside_edits(path, original, fixed, outcome));
                rewritten.push((path, original, fixed));
            }
        }
    }
    let non_idempotent: Vec<&PathBuf> = rewritten
        .par_iter()
        .filter(|(_, _, fixed)| !matches!(process(fixed, &rules), Ok(FileOutcome { fixed: None, .. })))
        .map(|(path, _, _)| *path)
        .collect();
    for path in &non_idempotent {
        problems.push(format!("{}: a second pass changes it again", path.display()));
    }
    let compile_failures = compile_failures(&rewritten);
    problems.extend(compile_failures.iter().cloned());
    let (imported, import_failures) = if std::env::var_os("PERFMOD_CORPUS").is_none() {
        import_failures(&root, &rewritten)
    } else {
        (0, Vec::new())
    };
    problems.extend(import_failures.iter().cloned());

    let rewrites: usize = per_rule.values().sum();
    eprintln!("corpus: {}", root.display());
    eprintln!(
        "  files {}, skipped {skipped} (not UTF-8 or not parsing), findings {findings_total}, \
         rewritten files {}, rewrites {rewrites}, engine {engine_time:.1?}",
        files.len(),
        rewritten.len()
    );
    for (rule, n) in &per_rule {
        eprintln!("    {rule}: {n}");
    }
    eprintln!(
        "  compile failures {}, non-idempotent files {}, rewritten modules imported {imported} ({} failures), total {:.1?}",
        compile_failures.len(),
        non_idempotent.len(),
        import_failures.len(),
        started.elapsed()
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn examine(path: &Path, rules: &perfmod::engine::RuleSet) -> Verdict {
    let Ok(bytes) = std::fs::read(path) else {
        return Verdict::Skipped("unreadable".into());
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return Verdict::Skipped("not UTF-8".into());
    };
    match process(&text, rules) {
        Err(reason) => Verdict::Skipped(reason),
        Ok(outcome) => match outcome.fixed.clone() {
            None => Verdict::Unchanged {
                findings: outcome.findings.len(),
            },
            Some(fixed) => Verdict::Rewritten {
                original: text,
                fixed,
                outcome,
            },
        },
    }
}

/// Lines the diff changes that no finding, fix edit or import accounts for.
fn changes_outside_edits(path: &Path, original: &str, fixed: &str, outcome: &FileOutcome) -> Vec<String> {
    let line_of = |offset: usize| original[..offset.min(original.len())].matches('\n').count();
    let mut allowed = BTreeSet::new();
    for finding in &outcome.findings {
        allowed.extend(finding.start.line - 1..finding.end.line);
        for edit in finding.fix.iter().flat_map(|f| &f.edits) {
            allowed.extend(line_of(edit.range.start)..=line_of(edit.range.end));
        }
    }
    // Fixes of later rounds (e.g. a loop the first round turned into an
    // append loop, then into a comprehension), mapped back to the file as read.
    for applied in &outcome.applied {
        allowed.extend(line_of(applied.range.start)..=line_of(applied.range.end));
    }
    let imports = import_lines(original);
    let is_import = |line: usize, text: &str| {
        let text = text.trim();
        imports.contains(&line) || text.starts_with("import ") || text.starts_with("from ") || text.is_empty()
    };
    let mut problems = Vec::new();
    let diff = similar::TextDiff::from_lines(original, fixed);
    let old_lines: Vec<&str> = original.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = fixed.split_inclusive('\n').collect();
    for op in diff.ops() {
        let (tag, old, new) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            continue;
        }
        let near_edit = |line: usize| allowed.contains(&line) || (line > 0 && allowed.contains(&(line - 1)));
        let old_ok = old.clone().all(|l| allowed.contains(&l) || is_import(l, old_lines[l]));
        let new_ok = !old.is_empty()
            || new
                .clone()
                .all(|l| is_import(usize::MAX, new_lines[l]) || new_lines[l].trim().starts_with('#'))
            || near_edit(old.start);
        if !(old_ok && new_ok) {
            problems.push(format!(
                "{}: lines {}..{} changed outside any reported edit",
                path.display(),
                old.start + 1,
                old.end + 1
            ));
        }
    }
    problems
}

/// The (0-based) lines import statements span: the engine adds and prunes
/// imports beside the edits it reports.
fn import_lines(text: &str) -> BTreeSet<usize> {
    let mut lines = BTreeSet::new();
    let mut parser = perfmod::engine::python_parser();
    let Some(tree) = parser.parse(text, None) else {
        return lines;
    };
    let mut cursor = tree.walk();
    'walk: loop {
        let node = cursor.node();
        let is_import = matches!(
            node.kind(),
            "import_statement" | "import_from_statement" | "future_import_statement"
        );
        if is_import {
            lines.extend(node.start_position().row..=node.end_position().row);
        }
        if !is_import && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    lines
}

/// Compiles every rewritten text with one `python3` process; a rewritten file
/// that fails while its original compiles is a failure.
fn compile_failures(rewritten: &[(&PathBuf, &String, &String)]) -> Vec<String> {
    if rewritten.is_empty() {
        return Vec::new();
    }
    let dir = tempfile::tempdir().unwrap();
    let mut manifest = String::new();
    for (i, (path, original, fixed)) in rewritten.iter().enumerate() {
        let before = dir.path().join(format!("{i}.before.py"));
        let after = dir.path().join(format!("{i}.after.py"));
        std::fs::write(&before, original).unwrap();
        std::fs::write(&after, fixed).unwrap();
        manifest.push_str(&format!(
            "{}\t{}\t{}\n",
            before.display(),
            after.display(),
            path.display()
        ));
    }
    let list = dir.path().join("manifest.tsv");
    std::fs::write(&list, manifest).unwrap();
    let script = r#"
import sys
for row in open(sys.argv[1], encoding="utf-8"):
    before, after, name = row.rstrip("\n").split("\t")
    try:
        compile(open(before, "rb").read(), name, "exec")
    except SyntaxError:
        continue  # the original does not compile on this Python either
    try:
        compile(open(after, "rb").read(), name, "exec")
    except SyntaxError as e:
        print(f"{name}: rewritten file does not compile: {e}")
"#;
    let output = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&list)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// Rewritten stdlib modules must still import. Each rewritten module's
/// top-level package is copied to an overlay directory with the rewritten files
/// in place, and imported from there (PYTHONPATH comes before the stdlib).
/// Modules that do not import in the untouched stdlib either (missing tkinter,
/// platform-only modules), tests, `__main__` files and modules with side
/// effects on import are left out. Returns (modules imported, failures).
fn import_failures(root: &Path, rewritten: &[(&PathBuf, &String, &String)]) -> (usize, Vec<String>) {
    const SIDE_EFFECTS: &[&str] = &["antigravity", "this", "idlelib", "test", "turtledemo", "lib2to3"];
    let overlay = tempfile::tempdir().unwrap();
    let mut modules = Vec::new();
    for (path, _, _) in rewritten {
        let Ok(relative) = path.strip_prefix(root) else {
            continue;
        };
        let parts: Vec<String> = relative
            .with_extension("")
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        if parts
            .iter()
            .any(|p| p.contains('-') || p == "__main__" || p == "site-packages")
            || SIDE_EFFECTS.contains(&parts[0].as_str())
        {
            continue;
        }
        let top = root.join(&parts[0]);
        if top.is_dir() && !overlay.path().join(&parts[0]).exists() {
            copy_tree(&top, &overlay.path().join(&parts[0]));
        }
        modules.push((
            relative.to_path_buf(),
            parts.join(".").trim_end_matches(".__init__").to_string(),
        ));
    }
    for (path, _, fixed) in rewritten {
        if let Ok(relative) = path.strip_prefix(root) {
            if modules.iter().any(|(r, _)| r == relative) {
                std::fs::write(overlay.path().join(relative), fixed).unwrap();
            }
        }
    }
    let script = r#"
import importlib, sys
overlay = sys.argv[1]
for name in sys.argv[2:]:
    try:
        module = importlib.import_module(name)
    except Exception as e:
        print(f"{name}\tfails\t{type(e).__name__}: {e}")
        continue
    origin = getattr(module, "__file__", "") or ""
    print(f"{name}\t{'overlay' if origin.startswith(overlay) else 'stdlib'}\t{origin}")
"#;
    let run = |pythonpath: Option<&Path>| -> Vec<(String, String, String)> {
        let mut command = Command::new("python3");
        command
            .arg("-c")
            .arg(script)
            .arg(overlay.path())
            .args(modules.iter().map(|(_, m)| m));
        if let Some(dir) = pythonpath {
            command.env("PYTHONPATH", dir);
        }
        let output = command.output().unwrap();
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|l| {
                let mut f = l.splitn(3, '\t');
                Some((
                    f.next()?.to_string(),
                    f.next()?.to_string(),
                    f.next().unwrap_or("").to_string(),
                ))
            })
            .collect()
    };
    let baseline = run(None);
    let with_rewrites = run(Some(overlay.path()));
    let mut failures = Vec::new();
    let mut imported = 0;
    for (name, status, detail) in &with_rewrites {
        let worked_before = baseline.iter().any(|(n, s, _)| n == name && s != "fails");
        if !worked_before {
            continue;
        }
        match status.as_str() {
            "overlay" => imported += 1,
            // Loaded before PYTHONPATH applies (frozen at start-up): not tested.
            "stdlib" => {}
            _ => failures.push(format!("{name}: rewritten module does not import: {detail}")),
        }
    }
    (imported, failures)
}

fn copy_tree(from: &Path, to: &Path) {
    let mut stack = vec![(from.to_path_buf(), to.to_path_buf())];
    while let Some((src, dst)) = stack.pop() {
        std::fs::create_dir_all(&dst).unwrap();
        for entry in std::fs::read_dir(&src).unwrap().flatten() {
            let target = dst.join(entry.file_name());
            match entry.file_type() {
                Ok(t) if t.is_dir() && entry.file_name() != "__pycache__" => stack.push((entry.path(), target)),
                Ok(t) if t.is_file() => {
                    std::fs::copy(entry.path(), target).unwrap();
                }
                _ => {}
            }
        }
    }
}

/// The prefilter (literal scopes, fragments, answers from a fragment) never
/// changes a finding: every file of the standard library, checked with the
/// prefilter on and off, gives the same findings (rule, range, positions,
/// fixability and safety).
#[test]
fn stdlib_findings_do_not_depend_on_the_prefilter() {
    let files = python_files(&stdlib_dir());
    let mut rules = all_rules();
    let on: Vec<_> = files.par_iter().map(|path| described_findings(path, &rules)).collect();
    rules.max_fragment_share = 0.0;
    let off: Vec<_> = files.par_iter().map(|path| described_findings(path, &rules)).collect();
    let differences: Vec<String> = files
        .iter()
        .zip(on.iter().zip(&off))
        .filter(|(_, (on, off))| on != off)
        .map(|(path, (on, off))| format!("{}:\n  with the prefilter {on:?}\n  without {off:?}", path.display()))
        .collect();
    let total: usize = on.iter().map(Vec::len).sum();
    eprintln!(
        "prefilter: {} files, {total} findings, {} differ",
        files.len(),
        differences.len()
    );
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

fn described_findings(path: &Path, rules: &perfmod::engine::RuleSet) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let check = perfmod::engine::Mode {
        fix: false,
        unsafe_fixes: true,
    };
    let Ok(outcome) = common::process_with(&text, rules, check) else {
        return Vec::new();
    };
    let describe = |f: perfmod::engine::Finding| {
        let fix = f.fix.map(|fix| fix.safety);
        let (start, end) = (f.start, f.end);
        format!(
            "{} {:?} {}:{}-{}:{} {fix:?}",
            f.rule, f.range, start.line, start.column, end.line, end.column
        )
    };
    outcome.findings.into_iter().map(describe).collect()
}

/// A rule's findings never depend on which other rules run: every file of the
/// standard library, checked with all rules and with each rule alone, gives
/// each rule the same findings.
#[test]
fn stdlib_findings_do_not_depend_on_the_rule_selection() {
    let files: Vec<(PathBuf, String)> = python_files(&stdlib_dir())
        .into_iter()
        .filter_map(|path| Some((path.clone(), std::fs::read_to_string(&path).ok()?)))
        .collect();
    let options = std::collections::HashMap::from([("concurrency-limit".to_string(), "10".to_string())]);
    let check_all = |rules: &perfmod::engine::RuleSet| -> Vec<Vec<String>> {
        files.par_iter().map(|(_, text)| findings_of(text, rules)).collect()
    };
    let together = check_all(&all_rules());
    let mut differences = Vec::new();
    for codemod in perfmod::codemod::builtin().unwrap() {
        let id = codemod.id.clone();
        let alone = check_all(&perfmod::engine::RuleSet::new(vec![codemod], options.clone()).unwrap());
        for ((path, _), (all, alone)) in files.iter().zip(together.iter().zip(&alone)) {
            let all: Vec<&String> = all
                .iter()
                .filter(|f| f.split(' ').next() == Some(id.as_str()))
                .collect();
            let alone: Vec<&String> = alone.iter().collect();
            if all != alone {
                differences.push(format!(
                    "{}: {id}\n  with all rules {all:?}\n  alone {alone:?}",
                    path.display()
                ));
            }
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

fn findings_of(text: &str, rules: &perfmod::engine::RuleSet) -> Vec<String> {
    let check = perfmod::engine::Mode {
        fix: false,
        unsafe_fixes: true,
    };
    let Ok(outcome) = common::process_with(text, rules, check) else {
        return Vec::new();
    };
    outcome
        .findings
        .into_iter()
        .map(|f| {
            let fix = f.fix.map(|fix| fix.safety);
            format!("{} {:?} {}:{} {fix:?}", f.rule, f.range, f.start.line, f.start.column)
        })
        .collect()
}
