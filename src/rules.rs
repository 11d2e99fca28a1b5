//! The Rust of each built-in codemod that needs its own: `codemods/<id>/rule.rs`,
//! beside the codemod's data, docs and examples. Each registers its guards,
//! filters and fixers in [`crate::engine::registry`] with a `register`
//! function; `build.rs` lists every `rule.rs` as a module here, so adding a rule
//! touches only its folder. Analyses several rules use stay in `src/engine`.
use crate::engine::registry::Registry;
use crate::engine::{filters, guards};
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/rules.rs"));

/// The registry of this build: the shared guards and filters, and every
/// rule's own.
pub fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut registry = Registry::default();
        registry.add_guards(guards::SHARED);
        registry.add_filters(filters::SHARED);
        register_all(&mut registry);
        registry
    })
}
