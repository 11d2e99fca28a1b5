//! Collapsed stacks, one line per stack: `frame;frame;frame count`, root first
//! (`py-spy record --format raw`, Brendan Gregg's `stackcollapse-*`, austin).
//! A frame is read as `name (file:line)` or `name (file)` (py-spy), or
//! `file:name:line` or `file:name`; any other frame (`process 12:"python3"`,
//! `thread (0x7f...)`, native code) stays in its stack as code outside the
//! checked files, and the notes say how many there were.
use super::{Data, Frame, FrameTable, Profile, Sample};
use anyhow::{bail, Result};

pub fn parse(text: &str) -> Result<Profile> {
    let mut table = FrameTable::default();
    let mut samples = Vec::new();
    let mut bad_lines: Vec<usize> = Vec::new();
    let mut unread_frames = 0usize;
    let mut unread_example: Option<String> = None;
    for (number, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parsed = line
            .rsplit_once(' ')
            .and_then(|(stack, count)| Some((stack, count.parse::<f64>().ok()?)));
        let Some((stack, weight)) = parsed.filter(|(_, w)| w.is_finite() && *w >= 0.0) else {
            bad_lines.push(number + 1);
            continue;
        };
        // py-spy writes idle samples with an empty stack.
        let stack = stack
            .split(';')
            .filter(|text| !text.trim().is_empty())
            .map(|text| {
                let frame = read_frame(text).unwrap_or_else(|| {
                    unread_frames += 1;
                    unread_example.get_or_insert_with(|| text.to_string());
                    Frame {
                        file: String::new(),
                        line: None,
                        name: text.to_string(),
                    }
                });
                table.intern(frame)
            })
            .collect();
        samples.push(Sample { stack, weight });
    }
    if samples.is_empty() {
        bail!("not a profile perfmod reads: no line of the form `frame;frame;frame count`");
    }
    let mut notes = Vec::new();
    if let Some(first) = bad_lines.first() {
        notes.push(format!(
            "{} line{} not `frame;frame count` and skipped (the first is line {first})",
            bad_lines.len(),
            if bad_lines.len() == 1 { " is" } else { "s are" }
        ));
    }
    if let Some(example) = unread_example {
        notes.push(format!(
            "{unread_frames} frame{} name no Python file (e.g. `{example}`); counted as code outside the checked files",
            if unread_frames == 1 { "" } else { "s" }
        ));
    }
    Ok(Profile {
        format: "collapsed stacks",
        frames: table.frames,
        data: Data::Stacks(samples),
        notes,
    })
}

/// One frame, in the forms py-spy and the flamegraph tools write.
fn read_frame(text: &str) -> Option<Frame> {
    let text = text.trim();
    // `name (file:line)` / `name (file)`
    if let Some(inner) = text.strip_suffix(')') {
        if let Some((name, location)) = inner.rsplit_once(" (") {
            let (file, line) = split_line(location);
            return python_file(file).then(|| frame(file, name, line));
        }
    }
    // `file:name:line` / `file:name` (a Windows drive's colon stays in the file)
    let (rest, line) = split_line(text);
    let (file, name) = rest.rsplit_once(':')?;
    python_file(file).then(|| frame(file, name, line))
}

/// `text:123` as (`text`, Some(123)); anything else as (`text`, None).
fn split_line(text: &str) -> (&str, Option<usize>) {
    match text.rsplit_once(':') {
        Some((head, tail)) if !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit()) => {
            (head, tail.parse().ok().filter(|&l| l > 0))
        }
        _ => (text, None),
    }
}

/// Whether a frame's file is Python source (py-spy also names `<frozen ...>` modules).
fn python_file(file: &str) -> bool {
    file.ends_with(".py") || file.ends_with(".pyw") || (file.starts_with('<') && file.ends_with('>'))
}

fn frame(file: &str, name: &str, line: Option<usize>) -> Frame {
    Frame {
        file: file.to_string(),
        line,
        name: name.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_frame_forms_tools_write() {
        let f = read_frame("crawl (app.py:31)").unwrap();
        assert_eq!(
            (f.file.as_str(), f.line, f.name.as_str()),
            ("app.py", Some(31), "crawl")
        );
        let f = read_frame("Cache.get (/srv/app/cache.py)").unwrap();
        assert_eq!(
            (f.file.as_str(), f.line, f.name.as_str()),
            ("/srv/app/cache.py", None, "Cache.get")
        );
        let f = read_frame("src/app.py:main:12").unwrap();
        assert_eq!(
            (f.file.as_str(), f.line, f.name.as_str()),
            ("src/app.py", Some(12), "main")
        );
        let f = read_frame(r"C:\proj\app.py:main").unwrap();
        assert_eq!((f.file.as_str(), f.line), (r"C:\proj\app.py", None));
        assert!(read_frame("process 1234:\"python3 app.py\"").is_none());
        assert!(read_frame("thread (0x7F3A)").is_none());
        assert!(read_frame("libc.so.6`__memmove_avx").is_none());
    }

    #[test]
    fn says_what_it_skipped() {
        let profile = parse("a (x.py:1);b (x.py:5) 3\nnot a stack\nprocess 1;a (x.py:1) 2\n").unwrap();
        let Data::Stacks(samples) = &profile.data else { panic!() };
        assert_eq!(samples.len(), 2);
        assert_eq!(samples[0].stack.len(), 2);
        assert_eq!(profile.total(), 5.0);
        assert_eq!(profile.notes.len(), 2, "{:?}", profile.notes);
        assert!(profile.notes[0].contains("line 2"));
        assert!(profile.notes[1].contains("`process 1`"));
        assert!(parse("hello\n").is_err());
    }
}
