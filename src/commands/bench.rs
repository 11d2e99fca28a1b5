//! `perfmod bench [RULE...]`: what each rewrite buys on the user's Python.
use super::ExitStatus;
use crate::bench::{self, docs, driver, Measurement};
use crate::cli::{BenchArgs, Format};
use crate::effect::{self, Effect};
use crate::settings::load_codemods;
use anyhow::bail;
use std::collections::HashMap;
use std::io::{IsTerminal, Write};

pub fn run_bench(args: &BenchArgs) -> anyhow::Result<ExitStatus> {
    if !(args.budget.is_finite() && args.budget >= 0.0) {
        bail!("--budget must be a number of seconds, not {}", args.budget);
    }
    let named = if args.rules.is_empty() {
        vec!["ALL".to_string()]
    } else {
        args.rules.clone()
    };
    // Selection keeps only the named forms of a rule; a benchmark is built with
    // the whole rule (its code may hold several forms), then narrowed.
    let extra = args.codemods.codemods.as_deref();
    let selected: Vec<String> = effect::select(load_codemods(extra)?, Some(&named), &[])?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let options = HashMap::from([("concurrency-limit".to_string(), "10".to_string())]);
    let mut cases = Vec::new();
    for codemod in load_codemods(extra)?.into_iter().filter(|c| selected.contains(&c.id)) {
        if codemod.bench.is_none() && codemod.is_fix() && named.contains(&codemod.id) {
            bail!("{} has no benchmark (codemods/{}/bench.toml)", codemod.id, codemod.id);
        }
        cases.extend(bench::cases_of(codemod, &options)?);
    }
    cases.retain(|c| {
        named
            .iter()
            .any(|n| n == "ALL" || *n == c.rule || Effect::parse(n) == Some(c.effect))
    });
    if cases.is_empty() {
        bail!("no benchmark among the selected rules");
    }
    let mut err = std::io::stderr().lock();
    let show_progress = std::io::stderr().is_terminal();
    let measurements = driver::run(&args.python, &cases, args.budget, |m| {
        if show_progress {
            let _ = writeln!(err, "bench: {} {} n={}: {}", m.rule, m.form, m.size, docs::speedup(m));
        }
    })?;
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &measurements)?;
            writeln!(out)?;
        }
        Format::Text => write_text(&mut out, &measurements)?,
    }
    if let Some(dir) = &args.write_docs {
        for (rule, rows) in docs::by_rule(&measurements) {
            docs::write(dir, rule, &rows)?;
        }
        writeln!(
            std::io::stderr(),
            "bench: tables written into {}/*/docs.md",
            dir.display()
        )?;
    }
    Ok(ExitStatus::Success)
}

fn write_text(out: &mut impl Write, measurements: &[Measurement]) -> anyhow::Result<()> {
    let python = measurements.first().map_or("", |m| m.python.as_str());
    writeln!(
        out,
        "Python {python}; median per call, speedup = before / after (95% interval)"
    )?;
    for (rule, rows) in docs::by_rule(measurements) {
        writeln!(out, "\n{rule}")?;
        let form_width = rows.iter().map(|m| m.form.len()).max().unwrap_or(4).max(4);
        writeln!(
            out,
            "  {:form_width$}  {:11}  {:>7}  {:>9}  {:>9}  {:22}  peak memory",
            "form", "effect", "n", "before", "after", "speedup"
        )?;
        for m in rows {
            writeln!(
                out,
                "  {:form_width$}  {:11}  {:>7}  {:>9}  {:>9}  {:22}  {} -> {}",
                m.form,
                m.effect.as_str(),
                m.size,
                docs::seconds(m.before_s),
                docs::seconds(m.after_s),
                docs::speedup(m),
                docs::bytes(m.before_peak_bytes),
                docs::bytes(m.after_peak_bytes),
            )?;
        }
    }
    Ok(())
}
