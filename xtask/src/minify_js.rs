//! The wasm-bindgen glue, minified with terser after trunk has built it (trunk's own
//! JS minifier stops at the glue's `export … as default`). The glue's integrity hash
//! in index.html follows the new text.

use std::path::Path;

use base64::Engine;
use sha2::{Digest, Sha384};
use xshell::cmd;

use crate::ctx::{Ctx, Result};
use crate::tools;

/// `sha384-…`, as trunk writes it into `integrity`.
fn sri(bytes: &[u8]) -> String {
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes))
    )
}

/// index.html with `old`'s integrity hash replaced by `new`'s; an error if it had none.
fn rehash(index: &str, old: &[u8], new: &[u8]) -> Result<String> {
    let (old, new) = (sri(old), sri(new));
    if !index.contains(&old) {
        return Err("index.html names no integrity hash for the glue".into());
    }
    Ok(index.replace(&old, &new))
}

pub fn apply(ctx: &Ctx, dist: &Path) -> Result<()> {
    let terser = tools::terser_cli(ctx);
    if !terser.is_file() {
        return Err(format!("{} is missing: run `cargo xtask setup`", terser.display()).into());
    }
    let index_path = dist.join("index.html");
    let mut index = std::fs::read_to_string(&index_path)?;
    for entry in std::fs::read_dir(dist)? {
        let path = entry?.path();
        if path.extension().is_none_or(|e| e != "js") {
            continue;
        }
        let old = std::fs::read(&path)?;
        // Property names stay (the wasm imports the glue's functions by name).
        ctx.run(
            cmd!(
                ctx.sh,
                "node {terser} {path} --module --compress --mangle --output {path}"
            ),
            &[],
        )?;
        let new = std::fs::read(&path)?;
        index = rehash(&index, &old, &new)?;
    }
    std::fs::write(&index_path, index)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_integrity_hash_follows_the_new_text() {
        let index = format!(
            "<link rel=modulepreload href=/a.js integrity={}>",
            sri(b"old")
        );
        let out = rehash(&index, b"old", b"new").unwrap();
        assert!(out.contains(&sri(b"new")) && !out.contains(&sri(b"old")));
        assert!(rehash(&index, b"other", b"new").is_err());
    }
}
