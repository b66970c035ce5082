//! Reading package versions from Cargo.lock (a tiny line parser: the format
//! is fixed and written by cargo, so no TOML crate is needed).

use std::path::Path;

use crate::ctx::Result;

/// The version of `wasm-bindgen` in the workspace's Cargo.lock; the
/// wasm-bindgen CLI must be exactly this version.
pub fn wasm_bindgen_version(root: &Path) -> Result<String> {
    let path = root.join("Cargo.lock");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let versions = package_versions(&text, "wasm-bindgen");
    match versions.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(format!("{} has no `wasm-bindgen` package", path.display()).into()),
        many => Err(format!(
            "{} has several `wasm-bindgen` versions ({}); keep exactly one",
            path.display(),
            many.join(", ")
        )
        .into()),
    }
}

/// All versions of package `name` in the text of a Cargo.lock.
pub fn package_versions(lock: &str, name: &str) -> Vec<String> {
    let mut versions = Vec::new();
    let mut current_name: Option<&str> = None;
    for line in lock.lines().map(str::trim) {
        if line == "[[package]]" {
            current_name = None;
        } else if let Some(value) = quoted_value(line, "name") {
            current_name = Some(value);
        } else if let Some(value) = quoted_value(line, "version") {
            if current_name == Some(name) {
                versions.push(value.to_string());
            }
        }
    }
    versions
}

/// `key = "value"` -> `value`.
fn quoted_value<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(key)?.trim_start().strip_prefix('=')?;
    rest.trim().strip_prefix('"')?.strip_suffix('"')
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
version = 4

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "wasm-bindgen-macro",
]

[[package]]
name = "wasm-bindgen-macro"
version = "0.2.130"

[[package]]
name = "xtask"
version = "0.1.0"
"#;

    #[test]
    fn finds_exact_package_only() {
        assert_eq!(package_versions(LOCK, "wasm-bindgen"), vec!["0.2.130"]);
        assert_eq!(package_versions(LOCK, "xtask"), vec!["0.1.0"]);
        assert!(package_versions(LOCK, "wasm").is_empty());
    }

    #[test]
    fn reads_this_workspace_lockfile() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let version = wasm_bindgen_version(root).unwrap();
        assert!(version.starts_with("0.2."), "{version}");
    }
}
