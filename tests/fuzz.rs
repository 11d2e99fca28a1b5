//! A bounded, deterministic mutation fuzzer over parse -> fix -> re-parse,
//! seeded with standard-library files and the codemods' own examples (so the
//! mutants contain code the rules match). Mutations: delete, duplicate and swap
//! lines, splice in lines from an example, delete or duplicate byte ranges (on
//! character boundaries). For each mutant: no panic; when the mutant parses,
//! the fixed output parses too; a second pass changes nothing. Deep nesting is
//! checked on a thread with a small stack.
mod common;

use common::{all_rules, parses, process, python_files, stdlib_dir};
use perfmod::codemod;
use std::time::{Duration, Instant};

/// Cases run at most, and the wall-clock budget (whichever ends first).
const MAX_CASES: usize = 10_000;
const BUDGET: Duration = Duration::from_secs(30);

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn floor_char(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn mutate(text: &str, donors: &[String], rng: &mut Rng) -> String {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    if lines.is_empty() {
        lines.push(String::new());
    }
    for _ in 0..1 + rng.below(3) {
        let n = lines.len();
        match rng.below(6) {
            0 => {
                lines.remove(rng.below(n));
            }
            1 => {
                let line = lines[rng.below(n)].clone();
                lines.insert(rng.below(n), line);
            }
            2 => lines.swap(rng.below(n), rng.below(n)),
            3 => {
                let donor = &donors[rng.below(donors.len())];
                let donor: Vec<&str> = donor.split_inclusive('\n').collect();
                let start = rng.below(donor.len());
                let take = 1 + rng.below(6);
                let at = rng.below(n + 1);
                for (k, line) in donor.iter().skip(start).take(take).enumerate() {
                    lines.insert(at + k, line.to_string());
                }
            }
            op => {
                let joined = lines.concat();
                if joined.is_empty() {
                    continue;
                }
                let a = floor_char(&joined, rng.below(joined.len()));
                let b = floor_char(&joined, (a + 1 + rng.below(40)).min(joined.len()));
                let piece = joined[a..b].to_string();
                let mutated = if op == 4 {
                    format!("{}{}", &joined[..a], &joined[b..])
                } else {
                    format!("{}{piece}{}", &joined[..b], &joined[b..])
                };
                lines = mutated.split_inclusive('\n').map(str::to_string).collect();
                if lines.is_empty() {
                    lines.push(String::new());
                }
            }
        }
        if lines.is_empty() {
            lines.push(String::new());
        }
    }
    lines.concat()
}

#[test]
fn parse_fix_reparse_under_mutation() {
    let rules = all_rules();
    let donors: Vec<String> = codemod::builtin()
        .unwrap()
        .into_iter()
        .flat_map(|c| c.examples)
        .map(|e| e.before)
        .collect();
    // A deterministic sample of small stdlib files: every 7th, under 30 kB.
    let seeds: Vec<String> = python_files(&stdlib_dir())
        .into_iter()
        .step_by(7)
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter(|t| t.len() < 30_000)
        .collect();
    let mut rng = Rng(0x00dd_b1a5_e5e5);
    let started = Instant::now();
    let (mut cases, mut parsed, mut rewritten) = (0, 0, 0);
    let mut failures = Vec::new();
    while cases < MAX_CASES && started.elapsed() < BUDGET {
        // Half the mutants start from an example, so they hold code the rules rewrite.
        let seed = if rng.below(2) == 0 {
            &donors[rng.below(donors.len())]
        } else {
            &seeds[rng.below(seeds.len())]
        };
        let mutant = mutate(seed, &donors, &mut rng);
        cases += 1;
        let outcome = match std::panic::catch_unwind(|| process(&mutant, &rules)) {
            Ok(outcome) => outcome,
            Err(_) => {
                failures.push(format!("case {cases}: panic on\n{mutant}"));
                continue;
            }
        };
        let Ok(outcome) = outcome else { continue };
        parsed += 1;
        let Some(fixed) = outcome.fixed else { continue };
        rewritten += 1;
        if parses(&mutant) && !parses(&fixed) {
            failures.push(format!("case {cases}: output does not parse:\n{fixed}"));
        }
        match process(&fixed, &rules) {
            Ok(again) if again.fixed.is_none() => {}
            other => failures.push(format!(
                "case {cases}: not idempotent ({:?}):\n{fixed}",
                other.map(|o| o.fixed)
            )),
        }
    }
    eprintln!(
        "fuzz: {cases} cases in {:.1?} ({parsed} parsed, {rewritten} rewritten), {} failures",
        started.elapsed(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Deeply nested brackets must not overflow the stack in check or fix: run on
/// a thread with a 256 KiB stack, far below the 2 MiB of rayon's workers.
/// Under the depth bound (300 levels) the file is processed; over it (5,000)
/// it is refused with its reason, never a crash.
#[test]
fn deep_nesting_on_a_small_stack() {
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let rules = all_rules();
            for (open, close) in [("(", ")"), ("[", "]"), ("{1: ", "}"), ("-(", ")")] {
                for levels in [300, 5000] {
                    let text = format!(
                        "import time\n\nasync def f():\n    time.sleep(1)\n    return {}1{}\n",
                        open.repeat(levels),
                        close.repeat(levels)
                    );
                    let check = perfmod::engine::process(
                        &text,
                        &rules,
                        perfmod::engine::Mode::default(),
                        &mut perfmod::engine::python_parser(),
                    );
                    let fixed = process(&text, &rules);
                    if levels == 5000 {
                        for outcome in [check, fixed] {
                            let Err(reason) = outcome else { panic!("refused") };
                            assert!(reason.contains("nests deeper than 1000 levels"), "{reason}");
                        }
                        continue;
                    }
                    assert_eq!(check.unwrap().findings.len(), 1);
                    let outcome = fixed.expect("deep nesting parses");
                    assert_eq!(outcome.findings.len(), 1);
                    let fixed = outcome.fixed.expect("the sleep is rewritten");
                    assert!(fixed.contains("await asyncio.sleep(1)"));
                }
            }
        })
        .unwrap();
    handle.join().expect("no stack overflow");
}
