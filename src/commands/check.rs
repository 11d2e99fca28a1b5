//! `perfmod check`: report findings.
use super::{apply_profile, process_files, ExitStatus};
use crate::cli::{CheckArgs, FindingsFormat};
use crate::report::sarif::RuleInfo;
use crate::report::{github, json, sarif, statistics, text, Located};
use crate::settings::Settings;
use anyhow::bail;
use std::io::Write;
use std::path::Path;

pub fn run_check(args: &CheckArgs) -> anyhow::Result<ExitStatus> {
    if args.statistics && !matches!(args.format, FindingsFormat::Text | FindingsFormat::Json) {
        bail!("--statistics prints text or json, not {:?}", args.format);
    }
    let settings = Settings::resolve(&args.common, false)?;
    if let Some(file) = &args.show_settings {
        let mut out = std::io::stdout().lock();
        show_settings(&settings, file, &mut out)?;
        return Ok(ExitStatus::Success);
    }
    let unsafe_fixes = settings.unsafe_fixes()?;
    let (mut results, failed) = process_files(&settings)?;
    let rule_text = settings.rule_summaries()?;
    let timing = apply_profile(&args.profile, &mut results, &mut std::io::stderr().lock())?;
    let mut findings: Vec<Located> = results
        .iter()
        .filter_map(|r| r.outcome.as_ref().ok().map(|o| (r, o)))
        .flat_map(|(r, o)| o.findings.iter().map(move |finding| Located::new(&r.path, finding)))
        .collect();
    if let Some(timing) = &timing {
        for located in &mut findings {
            located.time = timing.of(located.path, located.finding);
        }
        // Most self time first: where a rewrite saves the most; then inclusive
        // time; findings the profile never saw run last, in file order.
        let key = |l: &Located| {
            l.time
                .as_ref()
                .and_then(|t| t.share)
                .map(|s| (s.self_time, s.inclusive))
        };
        findings.sort_by(|a, b| match (key(a), key(b)) {
            (Some(x), Some(y)) => y.0.total_cmp(&x.0).then(y.1.total_cmp(&x.1)),
            (x, y) => y.is_some().cmp(&x.is_some()),
        });
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        FindingsFormat::Text if args.statistics => {
            statistics::write_text(&mut out, &statistics::count(&findings, unsafe_fixes))?
        }
        FindingsFormat::Json if args.statistics => {
            statistics::write_json(&mut out, &statistics::count(&findings, unsafe_fixes))?
        }
        // "All checks passed!" would contradict the error lines above it.
        FindingsFormat::Text if failed && findings.is_empty() => {}
        FindingsFormat::Text => text::write_findings(&mut out, &findings, unsafe_fixes)?,
        FindingsFormat::Json => json::write_findings(&mut out, &findings)?,
        FindingsFormat::Github => github::write_findings(&mut out, &findings)?,
        FindingsFormat::Sarif => {
            let rules: Vec<RuleInfo> = rule_text.iter().map(|(id, summary)| RuleInfo { id, summary }).collect();
            sarif::write_findings(&mut out, &findings, &rules)?
        }
    }
    out.flush()?;
    Ok(if failed {
        ExitStatus::Error
    } else if findings.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Findings
    })
}

/// `--show-settings FILE`: what applies to FILE, one `key = value` line each
/// (TOML values), so a user sees which configuration won and what it selected.
fn show_settings(settings: &Settings, file: &Path, out: &mut impl Write) -> anyhow::Result<()> {
    let project = settings.projects.of(file)?;
    let rules = settings.projects.rules_for(file)?;
    let list = |items: &mut dyn Iterator<Item = &str>| {
        let quoted: Vec<String> = items.map(|s| format!("{s:?}")).collect();
        format!("[{}]", quoted.join(", "))
    };
    let path = |p: &Path| format!("{:?}", p.display().to_string());
    let selected: Vec<&str> = rules.rules.codemods.iter().map(|c| c.id.as_str()).collect();
    writeln!(out, "file = {}", path(file))?;
    match &project.config {
        Some(config) => writeln!(out, "config = {}", path(config))?,
        None => writeln!(out, "config = \"\"  # none found: defaults")?,
    }
    writeln!(out, "root = {}", path(&project.root))?;
    writeln!(
        out,
        "target-version = \"py3{}\"  # from {}",
        project.target_version.minor, project.target_source
    )?;
    writeln!(out, "select = {}", list(&mut selected.iter().copied()))?;
    writeln!(
        out,
        "per-file-ignores = {}",
        list(&mut rules.key.without.iter().map(String::as_str))
    )?;
    writeln!(
        out,
        "unfixable = {}",
        list(&mut project.unfixable.iter().map(String::as_str))
    )?;
    writeln!(out, "unsafe = {}", project.unsafe_fixes)?;
    writeln!(
        out,
        "exclude = {}",
        list(&mut project.exclude_patterns.iter().map(String::as_str))
    )?;
    writeln!(out, "line-length = {}", project.line_length)?;
    writeln!(out, "concurrency-limit = {}", project.concurrency_limit)?;
    let dirs: Vec<String> = project.codemod_dirs.iter().map(|d| d.display().to_string()).collect();
    writeln!(out, "codemods = {}", list(&mut dirs.iter().map(String::as_str)))?;
    Ok(())
}
