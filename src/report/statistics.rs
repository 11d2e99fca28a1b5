//! `--statistics`: how many findings each rule has, most frequent first (as ruff).
use super::Located;
use crate::edit::Safety;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct RuleCount<'a> {
    pub rule: &'a str,
    pub count: usize,
    /// How many of them have a rewrite.
    pub fixable: usize,
    /// How many rewrites are safe (applied by `fix`) and unsafe (`fix --unsafe`).
    pub safe: usize,
    pub r#unsafe: usize,
    /// How many rewrites this run's `fix` applies (the safe ones, all with `--unsafe`).
    #[serde(skip)]
    pub applied: usize,
}

pub fn count<'a>(findings: &[Located<'a>], unsafe_fixes: bool) -> Vec<RuleCount<'a>> {
    let mut per_rule: BTreeMap<&str, RuleCount> = BTreeMap::new();
    for located in findings {
        let rule = located.finding.rule.as_str();
        let row = per_rule.entry(rule).or_insert_with(|| RuleCount {
            rule,
            count: 0,
            fixable: 0,
            safe: 0,
            r#unsafe: 0,
            applied: 0,
        });
        row.count += 1;
        if let Some(fix) = &located.finding.fix {
            row.fixable += 1;
            match fix.safety {
                Safety::Safe => row.safe += 1,
                Safety::Unsafe => row.r#unsafe += 1,
            }
            row.applied += usize::from(fix.safety == Safety::Safe || unsafe_fixes);
        }
    }
    let mut rows: Vec<RuleCount> = per_rule.into_values().collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.cmp(b.rule)));
    rows
}

/// `COUNT  RULE  [*]  SAFE safe, UNSAFE unsafe` lines; `[*]` when this run's
/// `fix` rewrites every finding of the rule (without `--unsafe`, only safe
/// ones); the counts of rewrites by safety follow when there are any.
pub fn write_text(out: &mut impl Write, rows: &[RuleCount]) -> io::Result<()> {
    let width = rows.iter().map(|r| r.rule.len()).max().unwrap_or(0);
    let count_width = rows.iter().map(|r| r.count.to_string().len()).max().unwrap_or(0);
    for row in rows {
        let marker = if row.applied == row.count { "[*]" } else { "" };
        let safety = match row.fixable {
            0 => String::new(),
            _ => format!("{} safe, {} unsafe", row.safe, row.r#unsafe),
        };
        let line = format!("{:>count_width$}  {:width$}  {marker:3}  {safety}", row.count, row.rule);
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

pub fn write_json(out: &mut impl Write, rows: &[RuleCount]) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, rows).map_err(io::Error::other)?;
    writeln!(out)
}
