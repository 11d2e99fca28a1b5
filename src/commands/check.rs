//! `perfmod check`: report findings.
use super::{apply_profile, process_files, ExitStatus};
use crate::cli::{CheckArgs, FindingsFormat};
use crate::engine::Mode;
use crate::report::sarif::RuleInfo;
use crate::report::{github, json, sarif, statistics, text, Located};
use crate::settings::Settings;
use anyhow::bail;
use std::io::Write;

pub fn run_check(args: &CheckArgs) -> anyhow::Result<ExitStatus> {
    if args.statistics && !matches!(args.format, FindingsFormat::Text | FindingsFormat::Json) {
        bail!("--statistics prints text or json, not {:?}", args.format);
    }
    let settings = Settings::resolve(&args.common)?;
    let unsafe_fixes = settings.unsafe_fixes;
    let rule_text: Vec<(String, String)> = settings
        .codemods
        .iter()
        .map(|c| (c.id.clone(), c.summary.clone()))
        .collect();
    let (mut results, failed) = process_files(
        settings,
        Mode {
            fix: false,
            unsafe_fixes,
        },
    )?;
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
