//! docs/catalog.md is generated from `codemods/` (each codemod's metadata and
//! docs.md), so the catalog the README links can never drift from the rules
//! perfmod ships. This test fails when the file is stale; regenerate it with
//! `PERFMOD_UPDATE_CATALOG=1 cargo test --test catalog`.
use perfmod::codemod::{self, Codemod};
use perfmod::effect::Effect;
use std::fmt::Write;
use std::path::Path;

fn safety(codemod: &Codemod) -> &'static str {
    codemod.safety_label()
}

fn render(codemods: &[Codemod]) -> String {
    let mut out = String::from(
        "# perfmod catalog\n\n\
         <!-- Generated from codemods/ by tests/catalog.rs: \
         `PERFMOD_UPDATE_CATALOG=1 cargo test --test catalog`. Do not edit. -->\n\n\
         Every built-in codemod. Effects (measured by `perfmod bench`): **speed** and \
         **correctness** run by default, **memory** and **modernize** with `--select`. **safe** rewrites are applied by `perfmod fix`, **unsafe** ones \
         need `--unsafe` (the rule's Fix safety section says which edge cases), **safe/unsafe** \
         rules are safe where perfmod proves it and say why elsewhere, **flag** rules \
         only report. `perfmod explain RULE` prints a rule's section with its before/after example.\n\n\
         | Rule | Category | Effect | Safety | Python | Summary |\n|---|---|---|---|---|---|\n",
    );
    for c in codemods {
        let summary = c.summary.replace('|', "\\|");
        writeln!(
            out,
            "| [`{id}`](#{id}) | {} | {} | {} | >={} | {summary} |",
            c.category,
            Effect::join(&c.effects()),
            safety(c),
            c.min_python,
            id = c.id
        )
        .unwrap();
    }
    for c in codemods {
        write!(out, "\n## {}\n\n", c.id).unwrap();
        writeln!(
            out,
            "Category: {} · effect: {} · safety: {} · Python >= {}. {}\n",
            c.category,
            Effect::join(&c.effects()),
            safety(c),
            c.min_python,
            c.summary
        )
        .unwrap();
        for line in c.docs.trim().lines() {
            // The rule's own sections sit one level below its heading.
            if line.starts_with('#') {
                out.push('#');
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[test]
fn catalog_is_generated_from_the_codemods() {
    let mut codemods = codemod::builtin().unwrap();
    codemods.sort_by(|a, b| a.id.cmp(&b.id));
    let expected = render(&codemods);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/catalog.md");
    if std::env::var_os("PERFMOD_UPDATE_CATALOG").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/catalog.md is stale: run `PERFMOD_UPDATE_CATALOG=1 cargo test --test catalog`"
    );
}
