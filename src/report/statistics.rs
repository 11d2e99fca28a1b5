//! `--statistics`: how many findings each rule has, most frequent first (as ruff).
use super::Located;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct RuleCount<'a> {
    pub rule: &'a str,
    pub count: usize,
    /// How many of them have a rewrite.
    pub fixable: usize,
}

pub fn count<'a>(findings: &[Located<'a>]) -> Vec<RuleCount<'a>> {
    let mut per_rule: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for located in findings {
        let entry = per_rule.entry(&located.finding.rule).or_default();
        entry.0 += 1;
        entry.1 += usize::from(located.finding.fix.is_some());
    }
    let mut rows: Vec<RuleCount> = per_rule
        .into_iter()
        .map(|(rule, (count, fixable))| RuleCount { rule, count, fixable })
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.cmp(b.rule)));
    rows
}

/// `COUNT  RULE  [*]` lines; `[*]` when every finding of the rule has a rewrite.
pub fn write_text(out: &mut impl Write, rows: &[RuleCount]) -> io::Result<()> {
    let width = rows.iter().map(|r| r.rule.len()).max().unwrap_or(0);
    let count_width = rows.iter().map(|r| r.count.to_string().len()).max().unwrap_or(0);
    for row in rows {
        let marker = if row.fixable == row.count { "[*]" } else { "" };
        let line = format!("{:>count_width$}  {:width$}  {marker}", row.count, row.rule);
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

pub fn write_json(out: &mut impl Write, rows: &[RuleCount]) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, rows).map_err(io::Error::other)?;
    writeln!(out)
}
