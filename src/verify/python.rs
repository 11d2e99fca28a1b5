//! The user's Python as a compile server: started once per run, it reads
//! batches of files (one JSON line each) and answers, per file, whether
//! `compile()` accepts it. Tree-sitter accepts some code CPython refuses
//! (`return` outside a function, `await` outside `async def`, a module-level
//! `nonlocal`); only the interpreter the project runs on can say.
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

/// Compiles from bytes, as the interpreter does for a module, so a BOM or
/// coding cookie is read as Python reads it. Warnings (invalid escapes...)
/// are not errors. Runs with `-I -S`: no site hooks, no PYTHON* variables.
const SERVER: &str = r#"
import json, sys, warnings
warnings.simplefilter("ignore")
def check(item):
    try:
        compile(item["text"].encode("utf-8"), item["path"], "exec", dont_inherit=True)
    except SyntaxError as e:
        return {"line": e.lineno, "message": e.msg}
    except Exception as e:
        return {"line": None, "message": "%s: %s" % (type(e).__name__, e)}
    return None
sys.stdout.write(json.dumps({"version": sys.version.split()[0]}) + "\n")
sys.stdout.flush()
for line in iter(sys.stdin.readline, ""):
    sys.stdout.write(json.dumps([check(item) for item in json.loads(line)]) + "\n")
    sys.stdout.flush()
"#;

/// Why `compile()` refused a text.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct CompileError {
    /// The line of the compiled text, when Python names one.
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for CompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{} (line {line} of the rewritten text)", self.message),
            None => f.write_str(&self.message),
        }
    }
}

#[derive(Serialize)]
struct Request<'a> {
    path: &'a str,
    text: &'a str,
}

#[derive(Deserialize)]
struct Hello {
    version: String,
}

/// Why the interpreter could not be used.
#[derive(Debug)]
pub enum StartError {
    /// No such program.
    NotFound,
    /// It ran but is not a Python 3 that answers the compile protocol.
    Unusable(String),
}

pub struct Python {
    pub program: PathBuf,
    /// `3.11.7`, as the interpreter reports it.
    pub version: String,
    child: Child,
    /// `None` once closed, so the server sees end of input and exits.
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl Python {
    pub fn start(program: &Path) -> Result<Python, StartError> {
        let mut child = Command::new(program)
            .args(["-I", "-S", "-c", SERVER])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => StartError::NotFound,
                _ => StartError::Unusable(e.to_string()),
            })?;
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
        let mut python = Python {
            program: program.to_path_buf(),
            version: String::new(),
            child,
            stdin,
            stdout,
        };
        let mut line = String::new();
        let hello = python
            .stdout
            .read_line(&mut line)
            .ok()
            .and_then(|_| serde_json::from_str::<Hello>(&line).ok());
        match hello {
            Some(hello) => python.version = hello.version,
            None => {
                return Err(StartError::Unusable(
                    "it did not start as a Python 3 interpreter".into(),
                ))
            }
        }
        Ok(python)
    }

    /// `compile()` of each (path, text): `None` when it compiles. One round
    /// trip for the whole batch.
    pub fn compile(&mut self, files: &[(&str, &str)]) -> Result<Vec<Option<CompileError>>> {
        let requests: Vec<Request> = files.iter().map(|&(path, text)| Request { path, text }).collect();
        let mut line = serde_json::to_string(&requests)?;
        line.push('\n');
        let stdin = self.stdin.as_mut().context("the Python compile server is closed")?;
        let name = self.program.display();
        stdin
            .write_all(line.as_bytes())
            .and_then(|()| stdin.flush())
            .with_context(|| format!("{name} stopped while compiling the rewritten files"))?;
        let mut answer = String::new();
        self.stdout.read_line(&mut answer)?;
        if answer.is_empty() {
            bail!("{name} stopped while compiling the rewritten files");
        }
        let verdicts: Vec<Option<CompileError>> =
            serde_json::from_str(&answer).with_context(|| format!("reading the answer of {name}"))?;
        if verdicts.len() != files.len() {
            bail!("{name} answered for {} files out of {}", verdicts.len(), files.len());
        }
        Ok(verdicts)
    }
}

impl Drop for Python {
    fn drop(&mut self) {
        self.stdin = None;
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CPython rejects these; tree-sitter parses them without an error node.
    #[test]
    fn compile_rejects_what_parses() {
        let Ok(mut python) = Python::start(Path::new("python3")) else {
            eprintln!("no python3: skipped");
            return;
        };
        let cases = [
            ("x = 1\n", true),
            ("def f():\n    pass\nreturn 1\n", false),
            ("async def f():\n    pass\nawait f()\n", false),
            ("x = 1\nnonlocal x\n", false),
            ("\u{feff}# -*- coding: utf-8 -*-\nx = 'é'\n", true),
        ];
        let files: Vec<(&str, &str)> = cases.iter().map(|(text, _)| ("t.py", *text)).collect();
        let verdicts = python.compile(&files).unwrap();
        let mut parser = crate::engine::python_parser();
        for ((text, compiles), verdict) in cases.iter().zip(&verdicts) {
            let tree = parser.parse(text, None).unwrap();
            assert!(!tree.root_node().has_error(), "tree-sitter rejects {text:?}");
            assert_eq!(verdict.is_none(), *compiles, "{text:?}: {verdict:?}");
        }
        assert_eq!(verdicts[1].as_ref().unwrap().line, Some(3));
        assert!(verdicts[2].as_ref().unwrap().message.contains("outside"));
    }
}
