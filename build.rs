//! Embeds every data file under `codemods/` into the binary, so the built-in
//! codemods travel with it and `perfmod` needs no data directory at run time,
//! and lists every `codemods/<id>/rule.rs` (a rule's own guards, filters and
//! fixers) as a module of [`rules`](src/rules.rs), so adding a rule touches
//! only its folder.
use std::{env, fs, path::Path};

fn main() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = manifest.join("codemods");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut out = String::from("/// (path relative to `codemods/`, contents) of every built-in codemod file.\n");
    out.push_str("pub static BUILTIN_FILES: &[(&str, &str)] = &[\n");
    for file in &files {
        let rel = file.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        out.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            file.display().to_string()
        ));
    }
    out.push_str("];\n");
    let out_dir = Path::new(&env::var("OUT_DIR").unwrap()).to_path_buf();
    fs::write(out_dir.join("builtin_codemods.rs"), out).unwrap();
    let rules = rule_sources(&root);
    fs::write(out_dir.join("rules.rs"), rules_module(&root, &rules)).unwrap();
    files.extend(rules);
    println!(
        "cargo:rustc-env=PERFMOD_BUILD_HASH={:016x}",
        build_hash(manifest, &files)
    );
}

/// `codemods/<id>/rule.rs` of every codemod that has one, sorted.
fn rule_sources(root: &Path) -> Vec<std::path::PathBuf> {
    let mut rules: Vec<_> = fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path().join("rule.rs"))
        .filter(|path| path.is_file())
        .collect();
    rules.sort();
    for rule in &rules {
        println!("cargo:rerun-if-changed={}", rule.display());
    }
    rules
}

/// One module per rule (named after its codemod, `-` as `_`) and the function
/// that registers them all.
fn rules_module(root: &Path, rules: &[std::path::PathBuf]) -> String {
    let module = |rule: &Path| {
        let id = rule
            .parent()
            .unwrap()
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .to_string();
        id.replace('-', "_")
    };
    let mut out = String::new();
    for rule in rules {
        out.push_str(&format!(
            "#[path = {:?}]\npub mod {};\n",
            rule.display().to_string(),
            module(rule)
        ));
    }
    out.push_str("/// Registers the guards, filters and fixers of every rule.\n");
    out.push_str("fn register_all(registry: &mut Registry) {\n");
    for rule in rules {
        out.push_str(&format!("    {}::register(registry);\n", module(rule)));
    }
    out.push_str("}\n");
    out
}

/// A hash of the sources and codemods this binary is built from: the result
/// cache must never serve results computed by a different build.
fn build_hash(manifest: &Path, codemod_files: &[std::path::PathBuf]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut sources = Vec::new();
    collect_rust(&manifest.join("src"), &mut sources);
    sources.sort();
    #[allow(deprecated)] // fixed-key SipHash: stable across runs, as a cache key must be
    let mut hasher = std::hash::SipHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    for file in sources.iter().chain(codemod_files) {
        file.hash(&mut hasher);
        fs::read(file).unwrap_or_default().hash(&mut hasher);
    }
    hasher.finish()
}

fn collect_rust(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect_rust(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            println!("cargo:rerun-if-changed={}", path.display());
            files.push(path);
        }
    }
}

fn collect(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            collect(&path, files);
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("toml" | "md" | "py")) {
            files.push(path);
        }
    }
}
