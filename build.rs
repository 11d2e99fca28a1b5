//! Embeds every file under `codemods/` into the binary, so the built-in
//! codemods travel with it and `perfmod` needs no data directory at run time.
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
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("builtin_codemods.rs");
    fs::write(dest, out).unwrap();
    println!(
        "cargo:rustc-env=PERFMOD_BUILD_HASH={:016x}",
        build_hash(manifest, &files)
    );
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
