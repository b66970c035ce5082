//! `cargo xtask bench`: build the console, then run the benchmark driver, which
//! writes bench/RESULTS.md.

use xshell::cmd;

use crate::console_build;
use crate::ctx::{Ctx, Result};
use crate::tools;

pub fn bench(ctx: &Ctx, extra: &[String]) -> Result<()> {
    tools::setup(ctx, true)?;
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
