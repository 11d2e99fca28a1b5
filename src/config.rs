//! Configuration files as written: `[tool.perfmod]` in pyproject.toml, or a
//! standalone `.perfmod.toml` / `perfmod.toml` (the same keys at top level),
//! found nearest to each file as ruff finds its configuration. Reading only:
//! what the keys mean for a run is `settings`' business.
//!
//! Every error is one line naming the file (and the line of a TOML error), so
//! a typo in a key never passes silently and never floods the terminal.
use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Standalone configuration files, in the order they win within one directory
/// (before a pyproject.toml holding `[tool.perfmod]`).
pub const STANDALONE_NAMES: [&str; 2] = [".perfmod.toml", "perfmod.toml"];

/// The line length when neither perfmod, ruff nor black configure one (black's and ruff's default).
pub const DEFAULT_LINE_LENGTH: u32 = 88;

/// The keys of `[tool.perfmod]` (or a standalone file); most mirror the command line.
#[derive(Deserialize, Default, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FileConfig {
    /// Rule ids or categories to run, replacing the default (every rule).
    pub select: Option<Vec<String>>,
    /// Added to `select` (or to the default).
    pub extend_select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    /// Glob (relative to the configuration's directory, or a file name) -> rules left out there.
    pub per_file_ignores: Option<BTreeMap<String, Vec<String>>>,
    /// Globs (relative to the configuration's directory) of paths never walked into.
    pub exclude: Option<Vec<String>>,
    pub extend_exclude: Option<Vec<String>>,
    /// Only these rules' rewrites are applied (default: all); the others are reported only.
    pub fixable: Option<Vec<String>>,
    /// These rules' rewrites are never applied; their findings are still reported.
    pub unfixable: Option<Vec<String>>,
    pub target_version: Option<String>,
    #[serde(rename = "unsafe")]
    pub unsafe_fixes: Option<bool>,
    pub concurrency_limit: Option<u32>,
    /// The longest line a rewrite may write (default: ruff's or black's, else 88).
    pub line_length: Option<u32>,
    /// Folders of extra codemods, relative to the configuration file.
    pub codemods: Option<Vec<PathBuf>>,
}

/// One configuration file, read.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it was read from (`None`: no file, the defaults).
    pub path: Option<PathBuf>,
    pub settings: FileConfig,
    /// `[project] requires-python`, when the file is a pyproject.toml.
    pub requires_python: Option<String>,
    /// `[tool.ruff] line-length` or `[tool.black] line-length` of a pyproject.toml.
    pub tool_line_length: Option<u32>,
}

impl Config {
    /// The directory relative paths in the file are taken from.
    pub fn root(&self) -> Option<&Path> {
        self.path.as_deref().and_then(Path::parent)
    }
}

#[derive(Deserialize)]
struct PyProject {
    project: Option<ProjectTable>,
    tool: Option<ToolTable>,
}

#[derive(Deserialize)]
struct ProjectTable {
    #[serde(rename = "requires-python")]
    requires_python: Option<String>,
}

#[derive(Deserialize)]
struct ToolTable {
    perfmod: Option<toml::Value>,
    ruff: Option<LineLengthTable>,
    black: Option<LineLengthTable>,
}

#[derive(Deserialize)]
struct LineLengthTable {
    #[serde(rename = "line-length")]
    line_length: Option<u32>,
}

/// What a directory holds: its standalone perfmod file, and its pyproject.toml.
pub struct DirFiles {
    pub standalone: Option<PathBuf>,
    pub pyproject: Option<PathBuf>,
}

pub fn files_in(dir: &Path) -> DirFiles {
    DirFiles {
        standalone: STANDALONE_NAMES.iter().map(|name| dir.join(name)).find(|p| p.is_file()),
        pyproject: Some(dir.join("pyproject.toml")).filter(|p| p.is_file()),
    }
}

/// Reads a standalone file or a pyproject.toml (by its name); a pyproject.toml
/// without `[tool.perfmod]` gives default settings and its `requires-python`.
pub fn read(path: &Path) -> Result<Config> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let is_pyproject = path.file_name().is_some_and(|n| n == "pyproject.toml");
    let mut config = Config {
        path: Some(path.to_path_buf()),
        ..Config::default()
    };
    if is_pyproject {
        let parsed: PyProject = toml::from_str(&text).map_err(|e| one_line(path, &text, &e))?;
        config.requires_python = parsed.project.and_then(|p| p.requires_python);
        if let Some(tool) = parsed.tool {
            config.tool_line_length = tool
                .ruff
                .and_then(|t| t.line_length)
                .or(tool.black.and_then(|t| t.line_length));
            if let Some(table) = tool.perfmod {
                config.settings = table.try_into().map_err(|e: toml::de::Error| {
                    anyhow::anyhow!("{}: [tool.perfmod]: {}", path.display(), e.message())
                })?;
            }
        }
    } else {
        config.settings = toml::from_str(&text).map_err(|e| one_line(path, &text, &e))?;
    }
    Ok(config)
}

/// Whether a pyproject.toml configures perfmod (holds `[tool.perfmod]`).
pub fn has_perfmod_table(pyproject: &Path) -> Result<bool> {
    let text = std::fs::read_to_string(pyproject).with_context(|| format!("reading {}", pyproject.display()))?;
    let value: toml::Table = toml::from_str(&text).map_err(|e| one_line(pyproject, &text, &e))?;
    Ok(value.get("tool").and_then(|t| t.get("perfmod")).is_some())
}

/// `path:line:column: message`, the message on one line.
fn one_line(path: &Path, text: &str, error: &toml::de::Error) -> anyhow::Error {
    anyhow::anyhow!("{}:{}", path.display(), toml_error(text, error))
}

/// A TOML error on one line, `line:column: message` (the toml crate's own
/// rendering takes four or five lines with a source excerpt).
pub fn toml_error(text: &str, error: &toml::de::Error) -> String {
    let place = error.span().map_or(String::new(), |span| {
        let before = &text[..span.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        format!("{line}:{column}: ")
    });
    let message: Vec<&str> = error
        .message()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    format!("{place}{}", message.join(" "))
}

/// `--config PATH`: a file that must exist and be a perfmod configuration.
pub fn read_explicit(path: &Path) -> Result<Config> {
    if !path.is_file() {
        bail!("--config {}: no such file", path.display());
    }
    read(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_one_line_errors_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let standalone = dir.path().join("perfmod.toml");
        std::fs::write(&standalone, "select = [\"a\"]\nselct = [\"b\"]\n").unwrap();
        let error = read(&standalone).unwrap_err().to_string();
        assert!(
            error.starts_with(&format!("{}:2:1: unknown field `selct`", standalone.display())),
            "{error}"
        );
        assert_eq!(error.lines().count(), 1, "{error}");

        let pyproject = dir.path().join("pyproject.toml");
        std::fs::write(&pyproject, "[tool.perfmod]\nline-lenght = 80\n").unwrap();
        let error = read(&pyproject).unwrap_err().to_string();
        assert!(
            error.contains("pyproject.toml: [tool.perfmod]: unknown field `line-lenght`"),
            "{error}"
        );
        assert_eq!(error.lines().count(), 1, "{error}");
    }

    #[test]
    fn line_length_falls_back_to_ruff_then_black() {
        let dir = tempfile::tempdir().unwrap();
        let pyproject = dir.path().join("pyproject.toml");
        std::fs::write(
            &pyproject,
            "[tool.black]\nline-length = 100\n[tool.ruff]\nline-length = 120\n",
        )
        .unwrap();
        assert_eq!(read(&pyproject).unwrap().tool_line_length, Some(120));
        std::fs::write(&pyproject, "[tool.black]\nline-length = 100\n").unwrap();
        assert_eq!(read(&pyproject).unwrap().tool_line_length, Some(100));
    }
}
