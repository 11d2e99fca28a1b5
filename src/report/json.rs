//! `--format json`: an array of objects, one per finding:
//!
//! | field | meaning |
//! |---|---|
//! | `rule` | codemod id |
//! | `path` | file as given or walked |
//! | `line`, `column`, `end_line`, `end_column` | 1-based; columns count characters |
//! | `message` | what is wrong and what to do |
//! | `fixable` | whether a rewrite exists |
//! | `safety` | `"safe"`, `"unsafe"`, or `null` when there is no rewrite |
//! | `unsafe_reason` | for an unsafe rewrite, what perfmod could not prove; else `null` |
//! | `profile` | only with `--profile`: the function around the finding and its share of the time (below) |
//!
//! `profile` is `{"function": NAME, "function_line": LINE, "inclusive_percent": P,
//! "self_percent": P}`: the innermost `def` or `class` (or `<module>`) around the
//! finding, and the percentages of the profile's time spent with it on the stack
//! and in its own code (see `profile::timing`), both `null` when the profile never
//! saw it run.
//!
//! Arrays from several runs (e.g. CI shards) merge by concatenating their elements.
use super::{display_path, Located};
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    path: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    fixable: bool,
    safety: Option<&'static str>,
    unsafe_reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    profile: Option<JsonTime<'a>>,
}

#[derive(Serialize)]
struct JsonTime<'a> {
    function: &'a str,
    function_line: usize,
    inclusive_percent: Option<f64>,
    self_percent: Option<f64>,
}

pub fn write_findings(out: &mut impl Write, findings: &[Located]) -> io::Result<()> {
    let rows: Vec<JsonFinding> = findings
        .iter()
        .map(|l| JsonFinding {
            rule: &l.finding.rule,
            path: display_path(l.path),
            line: l.finding.start.line,
            column: l.finding.start.column,
            end_line: l.finding.end.line,
            end_column: l.finding.end.column,
            message: &l.finding.message,
            fixable: l.finding.fix.is_some(),
            safety: l.finding.fix.as_ref().map(|f| f.safety.as_str()),
            unsafe_reason: l.finding.fix.as_ref().and_then(|f| f.unsafe_reason.as_deref()),
            profile: l.time.as_ref().map(|t| JsonTime {
                function: &t.function,
                function_line: t.line,
                inclusive_percent: t.share.map(|s| percent(s.inclusive)),
                self_percent: t.share.map(|s| percent(s.self_time)),
            }),
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &rows).map_err(io::Error::other)?;
    writeln!(out)
}

/// A share as a percentage with two decimals, so the output is stable to read.
fn percent(share: f64) -> f64 {
    (share * 10_000.0).round() / 100.0
}
