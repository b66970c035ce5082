//! `cargo xtask setup`: check each tool at the version we need, install it
//! only when it is missing or at another version.

use std::path::{Path, PathBuf};

use xshell::cmd;

use crate::ctx::{Ctx, Result};
use crate::lockfile;

pub const WASM32: &str = "wasm32-unknown-unknown";
pub const TRUNK_VERSION: &str = "0.21.14";
/// binaryen release; trunk calls it `version_132`.
pub const WASM_OPT_VERSION: &str = "132";
/// axe-core, the accessibility checker the end-to-end suite injects into pages.
pub const AXE_CORE_VERSION: &str = "4.14.1";
/// Where `npm install --prefix` puts it, relative to the workspace root.
pub const AXE_PREFIX: &str = "target/axe";
/// terser, which minifies the wasm-bindgen glue of release builds.
pub const TERSER_VERSION: &str = "5.51.4";
pub const TERSER_PREFIX: &str = "target/terser";
pub const DEFAULT_CHROME: &str = "/usr/bin/chromium";
pub const DEFAULT_CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The browser binaries the tests use.
pub struct Browser {
    pub chrome: PathBuf,
    pub chromedriver: PathBuf,
}

impl Browser {
    /// `$CHROME` / `$CHROMEDRIVER`, else the Debian paths.
    pub fn from_env() -> Browser {
        let path = |var: &str, default: &str| {
            std::env::var_os(var)
                .filter(|v| !v.is_empty())
                .map_or_else(|| PathBuf::from(default), PathBuf::from)
        };
        Browser {
            chrome: path("CHROME", DEFAULT_CHROME),
            chromedriver: path("CHROMEDRIVER", DEFAULT_CHROMEDRIVER),
        }
    }
}

/// Result of checking one tool.
enum Found {
    /// Present at the right version (the text is what we print).
    Ok(String),
    Missing,
    /// Present, but at this other version.
    Other(String),
}

/// Installs what is missing. With `browser`, also what `cargo xtask test`
/// needs: rustfmt, clippy, chromium and chromedriver.
pub fn setup(ctx: &Ctx, browser: bool) -> Result<()> {
    let wasm_bindgen = lockfile::wasm_bindgen_version(&ctx.root)?;

    ensure(ctx, WASM32, "", check_wasm32_target, |ctx| {
        ctx.run(cmd!(ctx.sh, "rustup target add {WASM32}"), &[])
    })?;
    if browser {
        for (tool, component) in [("rustfmt", "fmt"), ("clippy", "clippy")] {
            // `rustfmt 1.9.0-stable (...)` -> `1.9.0-stable (...)`
            let check = |ctx: &Ctx| match ctx.read_first_line("cargo", &[component, "--version"]) {
                Some(line) => {
                    Found::Ok(line.split_once(' ').map_or(line.clone(), |(_, v)| v.into()))
                }
                None => Found::Missing,
            };
            ensure(ctx, tool, "", check, |ctx| {
                ctx.run(cmd!(ctx.sh, "rustup component add {tool}"), &[])
            })?;
        }
    }
    ensure(
        ctx,
        "trunk",
        TRUNK_VERSION,
        |ctx| check_version(ctx, "trunk", TRUNK_VERSION),
        |ctx| {
            let krate = format!("trunk@{TRUNK_VERSION}");
            ctx.run(cmd!(ctx.sh, "cargo install --locked --force {krate}"), &[])
        },
    )?;
    // One crate, two binaries: trunk uses `wasm-bindgen`, the wasm tests
    // use `wasm-bindgen-test-runner`. Not `--locked`: the CLI's own lockfile
    // may pin crates this toolchain cannot build.
    ensure(
        ctx,
        "wasm-bindgen",
        &wasm_bindgen,
        |ctx| match check_version(ctx, "wasm-bindgen", &wasm_bindgen) {
            Found::Ok(_) => check_version(ctx, "wasm-bindgen-test-runner", &wasm_bindgen),
            other => other,
        },
        |ctx| {
            let krate = format!("wasm-bindgen-cli@{wasm_bindgen}");
            ctx.run(cmd!(ctx.sh, "cargo install --force {krate}"), &[])
        },
    )?;
    ensure(ctx, "wasm-opt", WASM_OPT_VERSION, check_wasm_opt, |ctx| {
        if ctx.read_first_line("npm", &["--version"]).is_none() && !ctx.dry_run {
            return Err(format!(
                "npm not found: install Node.js, or put binaryen {WASM_OPT_VERSION}'s \
                 wasm-opt on PATH"
            )
            .into());
        }
        let package = format!("binaryen@{WASM_OPT_VERSION}");
        ctx.run(cmd!(ctx.sh, "npm install -g {package}"), &[])
    })?;
    setup_npm_package(
        ctx,
        "terser",
        TERSER_VERSION,
        TERSER_PREFIX,
        &terser_cli(ctx),
    )?;
    if browser {
        setup_browser(ctx)?;
        setup_npm_package(
            ctx,
            "axe-core",
            AXE_CORE_VERSION,
            AXE_PREFIX,
            &axe_core_js(ctx),
        )?;
    }
    Ok(())
}

/// terser's command-line script (run with `node`).
pub fn terser_cli(ctx: &Ctx) -> PathBuf {
    ctx.root
        .join(TERSER_PREFIX)
        .join("node_modules/terser/bin/terser")
}

/// `axe.min.js` of the pinned axe-core, installed project-locally with npm.
pub fn axe_core_js(ctx: &Ctx) -> PathBuf {
    ctx.root
        .join(AXE_PREFIX)
        .join("node_modules/axe-core/axe.min.js")
}

/// An npm package at `version`, installed project-locally under `prefix`; `file` is
/// the file of it the build or the tests use.
fn setup_npm_package(
    ctx: &Ctx,
    name: &str,
    version: &str,
    prefix: &str,
    file: &Path,
) -> Result<()> {
    let check = |ctx: &Ctx| {
        let package = ctx
            .root
            .join(prefix)
            .join(format!("node_modules/{name}/package.json"));
        let Ok(text) = std::fs::read_to_string(package) else {
            return Found::Missing;
        };
        match package_version(&text) {
            Some(v) if v == version && file.is_file() => Found::Ok(v),
            Some(v) => Found::Other(v),
            None => Found::Missing,
        }
    };
    ensure(ctx, name, version, check, |ctx| {
        let package = format!("{name}@{version}");
        let prefix = ctx.root.join(prefix);
        ctx.run(
            cmd!(
                ctx.sh,
                "npm install --prefix {prefix} --no-save --no-audit --no-fund {package}"
            ),
            &[],
        )
    })
}

/// `"version": "4.14.1"` of a package.json (the first such key: npm writes
/// it at the top level, before any nested object).
fn package_version(package_json: &str) -> Option<String> {
    let after_key = package_json.split_once("\"version\"")?.1;
    let value = after_key.trim_start().strip_prefix(':')?.trim_start();
    let value = value.strip_prefix('"')?;
    Some(value.split_once('"')?.0.to_string())
}

fn setup_browser(ctx: &Ctx) -> Result<()> {
    let browser = Browser::from_env();
    // One apt transaction installs both, so the driver matches the browser.
    let apt_install = |ctx: &Ctx| -> Result<()> {
        let root = is_root(ctx);
        let apt = |args: &[&str]| {
            let cmd = if root {
                ctx.sh.cmd("apt-get")
            } else {
                // sudo drops the environment; pass the variable through it.
                ctx.sh
                    .cmd("sudo")
                    .args(["DEBIAN_FRONTEND=noninteractive", "apt-get"])
            };
            cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive")
        };
        ctx.run(apt(&["update"]), &[])?;
        ctx.run(apt(&["install", "-y", "chromium", "chromium-driver"]), &[])
    };
    let chrome = browser.chrome.clone();
    ensure(
        ctx,
        "chromium",
        "",
        move |ctx| check_browser_binary(ctx, &chrome),
        apt_install,
    )?;
    let driver = browser.chromedriver.clone();
    ensure(
        ctx,
        "chromedriver",
        "",
        move |ctx| check_browser_binary(ctx, &driver),
        apt_install,
    )?;
    if !ctx.dry_run {
        let major = |p: &Path| {
            ctx.read_first_line(p, &["--version"])
                .and_then(|l| browser_version(&l)?.split('.').next().map(String::from))
        };
        let (b, d) = (major(&browser.chrome), major(&browser.chromedriver));
        if b != d {
            println!(
                "warning: chromium major version {} but chromedriver {}; sessions will fail",
                b.as_deref().unwrap_or("?"),
                d.as_deref().unwrap_or("?")
            );
        }
    }
    Ok(())
}

/// Prints `ok <tool> <version>`, or `installing <tool> ...`, installs, and
/// checks again.
fn ensure(
    ctx: &Ctx,
    tool: &str,
    want: &str,
    check: impl Fn(&Ctx) -> Found,
    install: impl FnOnce(&Ctx) -> Result<()>,
) -> Result<()> {
    let wanted = if want.is_empty() {
        tool.to_string()
    } else {
        format!("{tool} {want}")
    };
    match check(ctx) {
        Found::Ok(version) => {
            println!("ok {tool} {version}");
            return Ok(());
        }
        Found::Missing => println!("installing {wanted} ... (not found)"),
        Found::Other(version) => println!("installing {wanted} ... (found {version})"),
    }
    install(ctx).map_err(|e| format!("installing {wanted} failed: {e}"))?;
    if ctx.dry_run {
        return Ok(());
    }
    match check(ctx) {
        Found::Ok(version) => {
            println!("ok {tool} {version}");
            Ok(())
        }
        Found::Missing => Err(format!("{wanted}: still not found on PATH after installing").into()),
        Found::Other(version) => Err(format!(
            "{wanted}: PATH still finds version {version} after installing \
             (an older copy earlier on PATH?)"
        )
        .into()),
    }
}

fn check_wasm32_target(ctx: &Ctx) -> Found {
    let installed = ctx
        .sh
        .cmd("rustup")
        .args(["target", "list", "--installed"])
        .quiet()
        .ignore_stderr()
        .read()
        .is_ok_and(|out| out.lines().any(|l| l.trim() == WASM32));
    // Without rustup (a distro toolchain), look in the sysroot.
    let installed = installed
        || ctx
            .read_first_line("rustc", &["--print", "sysroot"])
            .is_some_and(|sysroot| {
                Path::new(&sysroot)
                    .join("lib/rustlib")
                    .join(WASM32)
                    .join("lib")
                    .is_dir()
            });
    if installed {
        let rustc = ctx
            .read_first_line("rustc", &["--version"])
            .unwrap_or_else(|| "rustc ?".into());
        Found::Ok(format!("(target of {rustc})"))
    } else {
        Found::Missing
    }
}

/// `<program> --version` prints `<name> <version>` (trunk, wasm-bindgen,
/// wasm-bindgen-test-runner).
fn check_version(ctx: &Ctx, program: &str, want: &str) -> Found {
    match ctx.read_first_line(program, &["--version"]) {
        None => Found::Missing,
        Some(line) => match line.split_whitespace().nth(1) {
            Some(v) if v == want => Found::Ok(v.to_string()),
            _ => Found::Other(line),
        },
    }
}

/// `wasm-opt --version` prints `wasm-opt version 132 (version_132)`.
fn check_wasm_opt(ctx: &Ctx) -> Found {
    match ctx.read_first_line("wasm-opt", &["--version"]) {
        None => Found::Missing,
        Some(line) => match wasm_opt_version(&line) {
            Some(v) if v == WASM_OPT_VERSION => Found::Ok(v.to_string()),
            _ => Found::Other(line),
        },
    }
}

fn wasm_opt_version(line: &str) -> Option<&str> {
    let mut words = line.split_whitespace();
    words.find(|w| *w == "version")?;
    words.next()
}

/// `Chromium 156.0.8078.79 built on ...`, `ChromeDriver 156.0.8078.79 (...)`.
fn check_browser_binary(ctx: &Ctx, path: &Path) -> Found {
    match ctx.read_first_line(path, &["--version"]) {
        Some(line) => Found::Ok(format!(
            "{} ({})",
            browser_version(&line).unwrap_or(&line),
            path.display()
        )),
        None => Found::Missing,
    }
}

fn browser_version(line: &str) -> Option<&str> {
    line.split_whitespace()
        .find(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()) && w.contains('.'))
}

fn is_root(ctx: &Ctx) -> bool {
    ctx.read_first_line("id", &["-u"]).as_deref() == Some("0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_package_versions() {
        assert_eq!(
            package_version(r#"{"name":"axe-core","version":"4.14.1"}"#).as_deref(),
            Some("4.14.1")
        );
        assert_eq!(package_version("not json"), None);
    }

    #[test]
    fn parses_version_lines() {
        assert_eq!(
            wasm_opt_version("wasm-opt version 132 (version_132)"),
            Some("132")
        );
        assert_eq!(
            browser_version("Chromium 156.0.8078.79 built on Debian GNU/Linux 12 (bookworm)"),
            Some("156.0.8078.79")
        );
        assert_eq!(
            browser_version(
                "ChromeDriver 156.0.8078.79 (a21ce95c24ce-refs/branch-heads/8078@{#1704})"
            ),
            Some("156.0.8078.79")
        );
    }
}
