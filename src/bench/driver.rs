//! Runs the cases in one process of the user's Python (`driver.py`, embedded):
//! no interpreter start-up in the figures, before and after interleaved so a
//! busy machine slows both alike, and the interval of the ratio from the same
//! paired rounds.
use super::{Case, Measurement};
use anyhow::{bail, Context, Result};
use serde::Deserialize;
use serde_json::json;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

const DRIVER: &str = include_str!("driver.py");

#[derive(Deserialize)]
struct Hello {
    python: String,
}

#[derive(Deserialize)]
struct Answer {
    index: usize,
    error: Option<String>,
    #[serde(default)]
    before_s: f64,
    #[serde(default)]
    after_s: f64,
    #[serde(default)]
    speedup: f64,
    #[serde(default)]
    speedup_low: f64,
    #[serde(default)]
    speedup_high: f64,
    #[serde(default)]
    rounds: u64,
    #[serde(default)]
    before_peak_bytes: u64,
    #[serde(default)]
    after_peak_bytes: u64,
}

/// Measures every case within `budget` seconds; `progress` hears of each
/// case as it completes. A case whose code raises is an error naming it.
pub fn run(
    python: &Path,
    cases: &[Case],
    budget: f64,
    mut progress: impl FnMut(&Measurement),
) -> Result<Vec<Measurement>> {
    let name = python.display();
    let mut child = Command::new(python)
        .args(["-I", "-c", DRIVER])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("starting {name}"))?;
    let request = json!({ "budget": budget, "cases": cases });
    {
        let mut stdin = child.stdin.take().expect("stdin is piped");
        stdin
            .write_all(serde_json::to_string(&request)?.as_bytes())
            .with_context(|| format!("{name} stopped before reading the benchmarks"))?;
    }
    let mut lines = BufReader::new(child.stdout.take().expect("stdout is piped")).lines();
    let hello: Hello = match lines.next() {
        Some(line) => serde_json::from_str(&line?).with_context(|| format!("{name} is not a Python 3"))?,
        None => bail!("{name} did not start as a Python 3 interpreter"),
    };
    let mut measurements = Vec::with_capacity(cases.len());
    for line in lines {
        let answer: Answer = serde_json::from_str(&line?).context("reading the benchmark driver's answer")?;
        let case = &cases[answer.index];
        if let Some(error) = answer.error {
            bail!(
                "the benchmark of {} (form `{}`, n = {}) failed on {name}: {error}",
                case.rule,
                case.form,
                case.size
            );
        }
        let measurement = Measurement {
            rule: case.rule.clone(),
            form: case.form.clone(),
            effect: case.effect,
            size: case.size,
            before_s: answer.before_s,
            after_s: answer.after_s,
            speedup: answer.speedup,
            speedup_low: answer.speedup_low,
            speedup_high: answer.speedup_high,
            rounds: answer.rounds,
            before_peak_bytes: answer.before_peak_bytes,
            after_peak_bytes: answer.after_peak_bytes,
            python: hello.python.clone(),
        };
        progress(&measurement);
        measurements.push(measurement);
    }
    let status = child.wait()?;
    if measurements.len() != cases.len() {
        bail!(
            "{name} stopped after {} of {} benchmarks ({status})",
            measurements.len(),
            cases.len()
        );
    }
    Ok(measurements)
}
