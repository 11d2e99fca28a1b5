//! speedscope JSON (<https://www.speedscope.app/file-format-schema.json>), as
//! `py-spy record --format speedscope` writes it: shared frames with name, file
//! and line, and one profile per thread, either `sampled` (stacks, root first,
//! with weights) or `evented` (open and close events at times). All profiles
//! are added together; their units must agree (time units are converted to seconds).
use super::{Data, Frame, FrameTable, Profile, Sample};
use anyhow::{bail, Context, Result};
use serde::Deserialize;

#[derive(Deserialize)]
struct File {
    shared: Shared,
    profiles: Vec<RawProfile>,
}

#[derive(Deserialize)]
struct Shared {
    frames: Vec<RawFrame>,
}

#[derive(Deserialize)]
struct RawFrame {
    name: String,
    file: Option<String>,
    line: Option<f64>,
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum RawProfile {
    Sampled {
        #[serde(default)]
        unit: Option<String>,
        samples: Vec<Vec<usize>>,
        #[serde(default)]
        weights: Option<Vec<f64>>,
    },
    Evented {
        #[serde(default)]
        unit: Option<String>,
        events: Vec<Event>,
    },
}

#[derive(Deserialize)]
struct Event {
    #[serde(rename = "type")]
    kind: String,
    frame: usize,
    at: f64,
}

/// Seconds per unit, for time units.
fn seconds_per(unit: &str) -> Option<f64> {
    Some(match unit {
        "seconds" => 1.0,
        "milliseconds" => 1e-3,
        "microseconds" => 1e-6,
        "nanoseconds" => 1e-9,
        _ => return None,
    })
}

pub fn parse(text: &str) -> Result<Profile> {
    let file: File = serde_json::from_str(text).context("not speedscope JSON")?;
    let mut table = FrameTable::default();
    // Frames are interned so that equal (file, line, name) frames are one.
    let frames: Vec<usize> = file
        .shared
        .frames
        .into_iter()
        .map(|f| {
            table.intern(Frame {
                file: f.file.unwrap_or_default(),
                line: f.line.filter(|&l| l >= 1.0).map(|l| l as usize),
                name: f.name,
            })
        })
        .collect();
    let frame = |i: usize| {
        frames
            .get(i)
            .copied()
            .with_context(|| format!("speedscope frame {i} is not in shared.frames"))
    };
    let units: Vec<String> = file
        .profiles
        .iter()
        .map(|p| match p {
            RawProfile::Sampled { unit, .. } | RawProfile::Evented { unit, .. } => {
                unit.clone().unwrap_or("none".into())
            }
        })
        .collect();
    let all_time = units.iter().all(|u| seconds_per(u).is_some());
    if !all_time && units.windows(2).any(|w| w[0] != w[1]) {
        bail!(
            "speedscope profiles in different units ({}) cannot be added up",
            units.join(", ")
        );
    }
    let mut samples = Vec::new();
    for (profile, unit) in file.profiles.iter().zip(&units) {
        let scale = if all_time { seconds_per(unit).unwrap() } else { 1.0 };
        match profile {
            RawProfile::Sampled {
                samples: stacks,
                weights,
                ..
            } => {
                for (i, stack) in stacks.iter().enumerate() {
                    let weight = weights.as_ref().map_or(Some(1.0), |w| w.get(i).copied());
                    let Some(weight) = weight else {
                        bail!("a speedscope profile has fewer weights than samples");
                    };
                    let stack = stack.iter().map(|&i| frame(i)).collect::<Result<Vec<_>>>()?;
                    samples.push(Sample {
                        stack,
                        weight: weight * scale,
                    });
                }
            }
            RawProfile::Evented { events, .. } => {
                let mut stack: Vec<usize> = Vec::new();
                let mut last = events.first().map_or(0.0, |e| e.at);
                for event in events {
                    if event.at > last && !stack.is_empty() {
                        samples.push(Sample {
                            stack: stack.clone(),
                            weight: (event.at - last) * scale,
                        });
                    }
                    last = last.max(event.at);
                    let id = frame(event.frame)?;
                    match event.kind.as_str() {
                        "O" => stack.push(id),
                        "C" => match stack.iter().rposition(|&f| f == id) {
                            Some(at) => stack.truncate(at),
                            None => bail!("a speedscope close event at {} has no open event", event.at),
                        },
                        other => bail!("speedscope event type `{other}` is neither O nor C"),
                    }
                }
            }
        }
    }
    Ok(Profile {
        format: "speedscope",
        frames: table.frames,
        data: Data::Stacks(samples),
        notes: Vec::new(),
    })
}
