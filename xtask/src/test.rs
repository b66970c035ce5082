//! `cargo xtask test`: every check CI runs, in order, stopping at the first
//! failure, with a timing summary.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use xshell::cmd;

use crate::console_build;
use crate::ctx::{format_elapsed, Ctx, Result};
use crate::tools::{self, Browser, DEFAULT_CHROME, WASM32};

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Skip `cargo fmt --check` and both clippy runs.
    pub skip_lint: bool,
    /// Skip the wasm tests in headless Chromium.
    pub skip_wasm: bool,
    /// Arguments for the native test binaries (`cargo test -- <filter>`).
    pub filter: Vec<String>,
}

/// The sub-path build the deployment tests serve (tests/e2e/deploy.rs).
const SUBPATH_PUBLIC_URL: &str = "/tools/runners/";
const SUBPATH_DIST: &str = "target/dist-subpath";

/// Chromium flags for tests: we run as root in a container without a GPU,
/// and the network is closed, so keep Chromium from phoning home.
pub const CHROME_ARGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

pub fn test(ctx: &Ctx, options: &Options) -> Result<()> {
    let sh = &ctx.sh;
    let mut steps = Steps::default();
    steps.run("setup", || tools::setup(ctx, true))?;
    let browser = Browser::from_env();
    let chrome = browser.chrome.to_string_lossy().into_owned();
    let chromedriver = browser.chromedriver.to_string_lossy().into_owned();

    if !options.skip_lint {
        steps.run("fmt", || {
            ctx.run(cmd!(sh, "cargo fmt --all -- --check"), &[])
        })?;
        steps.run("clippy", || {
            ctx.run(
                cmd!(sh, "cargo clippy --workspace --all-targets -- -D warnings"),
                &[],
            )
        })?;
        steps.run("clippy wasm32", || {
            ctx.run(
                cmd!(
                    sh,
                    "cargo clippy -p runner-console --lib --bins --target {WASM32} -- -D warnings"
                ),
                &[],
            )
        })?;
    }

    let dist = steps.run("build", || console_build::build(ctx, "/"))?;
    if !ctx.dry_run {
        steps.run("size budget", || crate::shipped::check_budget(&dist))?;
    }
    // The same console built for a sub-path, for the deployment tests.
    let dist_subpath = steps.run("build sub-path", || {
        console_build::dist(ctx, SUBPATH_PUBLIC_URL, SUBPATH_DIST)
    })?;
    let axe_core_js = tools::axe_core_js(ctx);

    let filter = &options.filter;
    steps.run("native tests", || {
        ctx.run(
            cmd!(sh, "cargo test --workspace -- {filter...}"),
            &[
                ("CONSOLE_DIST", dist.to_string_lossy().into_owned()),
                (
                    "CONSOLE_DIST_SUBPATH",
                    dist_subpath.to_string_lossy().into_owned(),
                ),
                ("AXE_CORE_JS", axe_core_js.to_string_lossy().into_owned()),
                ("CHROMEDRIVER", chromedriver.clone()),
                ("CHROME", chrome.clone()),
                ("RUST_TEST_THREADS", "2".into()),
            ],
        )
    })?;

    if !options.skip_wasm {
        steps.run("wasm tests", || {
            let webdriver_json = webdriver_json_path(ctx, &browser.chrome)?;
            // `--lib --bins`: the wasm tests live in src/; tests/ holds the
            // native end-to-end suite, and cross-compiled doctests (run by
            // default since cargo 1.89) make no sense in a browser.
            ctx.run(
                cmd!(
                    sh,
                    "cargo test -p runner-console --target {WASM32} --lib --bins"
                ),
                &[
                    (
                        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                        "wasm-bindgen-test-runner".into(),
                    ),
                    ("CHROMEDRIVER", chromedriver.clone()),
                    (
                        "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
                        webdriver_json.to_string_lossy().into_owned(),
                    ),
                ],
            )
        })?;
    }

    steps.summary();
    if ctx.dry_run {
        println!("dry run: nothing was built or tested");
    } else {
        println!("all checks passed");
    }
    Ok(())
}

/// The repository's `webdriver.json` (Chromium at the Debian path), or, when
/// `$CHROME` points elsewhere, a generated one under target/.
fn webdriver_json_path(ctx: &Ctx, chrome: &Path) -> Result<PathBuf> {
    if chrome == Path::new(DEFAULT_CHROME) {
        return Ok(ctx.root.join("webdriver.json"));
    }
    let dir = ctx.root.join("target/xtask");
    let path = dir.join("webdriver.json");
    if !ctx.dry_run {
        std::fs::create_dir_all(&dir)?;
        std::fs::write(&path, webdriver_json(&chrome.to_string_lossy()))?;
    }
    Ok(path)
}

/// Capabilities for wasm-bindgen-test-runner (it adds `headless`,
/// `no-sandbox` and `disable-dev-shm-usage` itself; ours are a superset).
pub fn webdriver_json(chrome: &str) -> String {
    let args: Vec<String> = CHROME_ARGS
        .iter()
        .map(|a| format!("      {}", json_string(a)))
        .collect();
    format!(
        "{{\n  \"goog:chromeOptions\": {{\n    \"binary\": {},\n    \"args\": [\n{}\n    ]\n  }}\n}}\n",
        json_string(chrome),
        args.join(",\n")
    )
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Runs named steps, timing each; on failure prints the summary and stops.
#[derive(Default)]
struct Steps {
    done: Vec<(&'static str, bool, Duration)>,
    started: Option<Instant>,
}

impl Steps {
    fn run<T>(&mut self, name: &'static str, f: impl FnOnce() -> Result<T>) -> Result<T> {
        self.started.get_or_insert_with(Instant::now);
        println!("\n==> {name}");
        let start = Instant::now();
        let result = f();
        self.done.push((name, result.is_ok(), start.elapsed()));
        result.map_err(|e| {
            self.summary();
            format!("step `{name}` failed: {e}").into()
        })
    }

    fn summary(&self) {
        println!("\nsummary:");
        for (name, ok, elapsed) in &self.done {
            let status = if *ok { "ok" } else { "FAILED" };
            println!("  {status:<7}{name:<15}{:>8}", format_elapsed(*elapsed));
        }
        if let Some(started) = self.started {
            println!("  {:<22}{:>8}", "total", format_elapsed(started.elapsed()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed webdriver.json is what we would generate for the
    /// default Chromium path.
    #[test]
    fn committed_webdriver_json_is_current() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let committed = std::fs::read_to_string(root.join("webdriver.json")).unwrap();
        assert_eq!(committed, webdriver_json(DEFAULT_CHROME));
    }

    #[test]
    fn escapes_json() {
        assert_eq!(json_string(r#"a"b\c"#), r#""a\"b\\c""#);
    }
}
