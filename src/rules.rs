//! The Rust of each built-in codemod that needs its own: `codemods/<id>/rule.rs`,
//! beside the codemod's data, docs and examples. Each registers its guards,
//! filters and fixers in [`crate::engine::registry`] with a `register`
//! function; `build.rs` lists every `rule.rs` as a module here, so adding a rule
//! touches only its folder. Analyses several rules use stay in `src/engine`.
include!(concat!(env!("OUT_DIR"), "/rules.rs"));
