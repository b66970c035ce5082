//! `cargo xtask bench`: build the console, then run the benchmark driver, which
//! writes bench/RESULTS.md.

use xshell::cmd;

use crate::console_build;
use crate::ctx::{Ctx, Result};
use crate::tools;

/// twiggy, which lists the largest items of the wasm for bench/RESULTS.md.
const TWIGGY_VERSION: &str = "0.8.0";

pub fn bench(ctx: &Ctx, extra: &[String]) -> Result<()> {
    tools::setup(ctx, true)?;
    let has_twiggy = ctx
        .read_first_line("twiggy", &["--version"])
        .is_some_and(|v| v.contains(TWIGGY_VERSION));
    if !has_twiggy {
        let krate = format!("twiggy@{TWIGGY_VERSION}");
        ctx.run(cmd!(ctx.sh, "cargo install --locked {krate}"), &[])?;
    }
    let dist = console_build::build(ctx, "/")?;
    let browser = tools::Browser::from_env();
    let dist = dist.to_string_lossy().into_owned();
    ctx.run(
        cmd!(
            ctx.sh,
            "cargo run --release -p runner-bench -- --dist {dist} --out bench/RESULTS.md {extra...}"
        ),
        &[
            ("CHROME", browser.chrome.to_string_lossy().into_owned()),
            (
                "CHROMEDRIVER",
                browser.chromedriver.to_string_lossy().into_owned(),
            ),
        ],
    )
}
