//! Building the console with trunk (release, offline) into `dist/`, and a
//! deployable folder for static hosting under any path (`cargo xtask dist`).

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

/// `trunk build --release` into `dist/`; returns the absolute dist directory.
/// Expects `tools::setup` to have run.
pub fn build(ctx: &Ctx, public_url: &str) -> Result<PathBuf> {
    build_into(ctx, public_url, DIST)
}

/// A folder any static host can serve under `public_url`: the release build,
/// plus `404.html` (a copy of index.html) so hosts without a rewrite rule
/// (GitLab Pages and the like) still answer deep links and reloads with the
/// app. `out` is relative to the workspace root, or absolute.
pub fn dist(ctx: &Ctx, public_url: &str, out: &str) -> Result<PathBuf> {
    let public_url = normalize_public_url(public_url)?;
    let dir = build_into(ctx, &public_url, out)?;
    if !ctx.dry_run {
        std::fs::copy(dir.join("index.html"), dir.join("404.html"))?;
        std::fs::copy(dir.join("index.html.gz"), dir.join("404.html.gz"))?;
        std::fs::copy(dir.join("index.html.br"), dir.join("404.html.br"))?;
        println!(
            "deployable folder {} for {public_url}: serve index.html for unknown paths \
             under it (or rely on 404.html); an optional config.json beside index.html \
             sets the default GitLab URL (docs/deploy.md)",
            dir.display()
        );
    }
    Ok(dir)
}

/// `tools/runners` -> `/tools/runners/`: trunk and `<base href>` need both slashes.
/// Full URLs (`https://cdn.example/console/`) pass with a trailing slash added.
pub fn normalize_public_url(url: &str) -> Result<String> {
    let url = url.trim();
    if url
        .chars()
        .any(|c| c.is_whitespace() || matches!(c, '?' | '#' | '"' | '<' | '>'))
    {
        return Err(format!("--public-url {url:?}: a path only, without spaces, ? or #").into());
    }
    if url.contains("://") {
        return Ok(format!("{}/", url.trim_end_matches('/')));
    }
    let path = url.trim_matches('/');
    Ok(if path.is_empty() {
        "/".into()
    } else {
        format!("/{path}/")
    })
}

fn build_into(ctx: &Ctx, public_url: &str, out: &str) -> Result<PathBuf> {
    let dist = ctx.root.join(out);
    // Offline trunk passes `--offline` to cargo, so download the crates
    // first. Not fatal: with a warm cache the build may still succeed.
    if let Err(e) = ctx.run(cmd!(ctx.sh, "cargo fetch"), &[]) {
        println!("warning: cargo fetch failed ({e}); trying the offline build anyway");
    }
    ctx.run(
        cmd!(
            ctx.sh,
            "trunk build --release --public-url {public_url} --dist {out}"
        ),
        &trunk_env(ctx)?,
    )?;
    if ctx.dry_run {
        return Ok(dist);
    }
    crate::minify_js::apply(ctx, &dist)?;
    crate::csp::apply(&dist)?;
    crate::shipped::precompress(&dist)?;
    println!("built {} (public url {public_url})", dist.display());
    crate::shipped::print_sizes(&dist)?;
    Ok(dist)
}

#[cfg(test)]
mod tests {
    use super::normalize_public_url;

    #[test]
    fn public_urls_get_both_slashes() {
        assert_eq!(normalize_public_url("/").unwrap(), "/");
        assert_eq!(normalize_public_url("").unwrap(), "/");
        assert_eq!(
            normalize_public_url("tools/runners").unwrap(),
            "/tools/runners/"
        );
        assert_eq!(
            normalize_public_url("/runners-console/").unwrap(),
            "/runners-console/"
        );
        assert_eq!(
            normalize_public_url("https://cdn.example/console").unwrap(),
            "https://cdn.example/console/"
        );
        assert!(normalize_public_url("/a b/").is_err());
        assert!(normalize_public_url("/x?y").is_err());
    }
}
