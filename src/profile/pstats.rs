//! cProfile and profile dumps: `marshal.dump` of the `pstats` dict
//! `{(file, line, name): (primitive calls, calls, tottime, cumtime, callers)}`.
//! cProfile's `callers` maps each caller to `(calls, primitive calls, tottime,
//! cumtime)`; the pure-Python `profile` module's maps it to a call count only,
//! and then a function's `cumtime` is shared among its callers by call count.
use super::marshal::{self, Value};
use super::{Data, Frame, FrameTable, FunctionStats, Profile};
use anyhow::{bail, Result};

pub fn parse(bytes: &[u8]) -> Result<Profile> {
    let Value::Dict(entries) = marshal::loads(bytes)? else {
        bail!("a marshal file, but not a profile dump (no dict of functions at the top)");
    };
    let mut table = FrameTable::default();
    let mut functions = Vec::with_capacity(entries.len());
    for (key, value) in &entries {
        // The `profile` module's entry for its own `exec` of the script.
        let is_profiler = matches!(key, Value::Tuple(parts) if parts.iter().any(|p| matches!(p, Value::Code(_))));
        if is_profiler {
            continue;
        }
        let Some(frame) = frame_of(key) else {
            bail!("not a profile dump: a key is {key:?}, not (file, line, function)");
        };
        let fields = match value {
            Value::Tuple(fields) if fields.len() == 5 => fields,
            _ => bail!(
                "not a profile dump: the entry of {} is not (cc, nc, tt, ct, callers)",
                frame.name
            ),
        };
        let (Some(self_time), Some(inclusive), Value::Dict(callers)) =
            (fields[2].as_f64(), fields[3].as_f64(), &fields[4])
        else {
            bail!("not a profile dump: the times of {} are not numbers", frame.name);
        };
        let frame = table.intern(frame);
        let mut edges = Vec::with_capacity(callers.len());
        let mut counts = Vec::new();
        for (caller, edge) in callers {
            let Some(caller) = frame_of(caller) else { continue };
            let caller = table.intern(caller);
            match edge {
                Value::Tuple(t) if t.len() == 4 => edges.push((caller, t[3].as_f64().unwrap_or(0.0))),
                count => counts.push((caller, count.as_f64().unwrap_or(0.0))),
            }
        }
        let calls: f64 = counts.iter().map(|(_, n)| n).sum();
        if calls > 0.0 {
            edges.extend(counts.into_iter().map(|(caller, n)| (caller, inclusive * n / calls)));
        }
        functions.push(FunctionStats {
            frame,
            self_time,
            inclusive,
            callers: edges,
        });
    }
    Ok(Profile {
        format: "cProfile",
        frames: table.frames,
        data: Data::Functions(functions),
        notes: Vec::new(),
    })
}

/// `(file, line, name)`; line 0 (builtins: `('~', 0, "<built-in method ...>")`) is no line.
fn frame_of(key: &Value) -> Option<Frame> {
    let Value::Tuple(parts) = key else { return None };
    let [file, line, name] = parts.as_slice() else {
        return None;
    };
    let line = line.as_f64()? as usize;
    Some(Frame {
        file: file.as_str()?.to_string(),
        line: (line > 0).then_some(line),
        name: name.as_str()?.to_string(),
    })
}
