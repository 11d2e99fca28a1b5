//! perfmod finds performance anti-patterns in Python code and rewrites them.
//!
//! Data flows one way: arguments -> settings -> files -> parse -> matches ->
//! fixes -> apply to a fixpoint -> verify -> diff or write -> report.
pub mod bench;
pub mod cache;
pub mod cli;
pub mod codemod;
pub mod commands;
pub mod config;
pub mod directives;
pub mod discover;
pub mod edit;
pub mod effect;
pub mod engine;
pub mod git;
pub mod profile;
pub mod project;
pub mod python_version;
pub mod report;
pub mod rules;
pub mod run;
pub mod server;
pub mod settings;
pub mod vcs;
pub mod verify;
pub mod write;
