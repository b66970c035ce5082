//! Building the console with trunk (release, offline) into `dist/`.

use std::path::PathBuf;

use xshell::cmd;

use crate::ctx::{Ctx, Result};
use crate::lockfile;
use crate::tools::WASM_OPT_VERSION;

/// Where `build` puts the console, relative to the workspace root (also
/// `dist` in Trunk.toml).
pub const DIST: &str = "dist";

/// The environment that keeps trunk offline and pins its tools to what
/// `setup` installed; the wasm-bindgen version comes from Cargo.lock, so a
/// bump there needs no change here or in Trunk.toml.
pub fn trunk_env(ctx: &Ctx) -> Result<Vec<(&'static str, String)>> {
    Ok(vec![
        ("TRUNK_OFFLINE", "true".into()),
        ("TRUNK_SKIP_VERSION_CHECK", "true".into()),
        (
            "TRUNK_TOOLS_WASM_BINDGEN",
            lockfile::wasm_bindgen_version(&ctx.root)?,
        ),
        (
            "TRUNK_TOOLS_WASM_OPT",
            format!("version_{WASM_OPT_VERSION}"),
        ),
    ])
}

/// `trunk build --release`; returns the absolute dist directory.
/// Expects `tools::setup` to have run.
pub fn build(ctx: &Ctx, public_url: &str) -> Result<PathBuf> {
    let dist = ctx.root.join(DIST);
    // Offline trunk passes `--offline` to cargo, so download the crates
    // first. Not fatal: with a warm cache the build may still succeed.
    if let Err(e) = ctx.run(cmd!(ctx.sh, "cargo fetch"), &[]) {
        println!("warning: cargo fetch failed ({e}); trying the offline build anyway");
    }
    ctx.run(
        cmd!(
            ctx.sh,
            "trunk build --release --public-url {public_url} --dist {DIST}"
        ),
        &trunk_env(ctx)?,
    )?;
    if ctx.dry_run {
        return Ok(dist);
    }
    crate::csp::apply(&dist)?;
    println!("built {} (public url {public_url})", dist.display());
    print_sizes(&dist)?;
    Ok(dist)
}

fn print_sizes(dist: &std::path::Path) -> Result<()> {
    let mut files = Vec::new();
    let entries =
        std::fs::read_dir(dist).map_err(|e| format!("trunk left no {}: {e}", dist.display()))?;
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if matches!(ext, "wasm" | "js" | "css") {
            files.push((ext.to_string(), entry.file_name(), entry.metadata()?.len()));
        }
    }
    files.sort();
    let total: u64 = files.iter().map(|(_, _, size)| size).sum();
    for (_, name, size) in &files {
        println!("  {size:>10} bytes  {}", name.to_string_lossy());
    }
    println!("  {total:>10} bytes  total (wasm + js + css, uncompressed)");
    Ok(())
}
