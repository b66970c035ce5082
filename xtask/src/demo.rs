//! `cargo xtask demo`: build the console and serve it from the sandbox.

use xshell::cmd;

use crate::console_build;
use crate::ctx::{Ctx, Result};
use crate::tools;

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

pub fn demo(ctx: &Ctx, sandbox_args: &[String]) -> Result<()> {
    tools::setup(ctx, false)?;
    let dist = console_build::build(ctx, "/")?;
    let args = sandbox_command_args(&dist.to_string_lossy(), sandbox_args);
    // Runs in the foreground; the sandbox prints its URL and the demo
    // tokens. Ctrl-C stops both it and us.
    ctx.run(
        cmd!(ctx.sh, "cargo run --release -p gitlab-sandbox -- {args...}"),
        &[],
    )
}

/// Our defaults (`--listen`, `--dist`) unless the user passed their own,
/// followed by the user's arguments.
fn sandbox_command_args(dist: &str, user: &[String]) -> Vec<String> {
    let given = |flag: &str| {
        user.iter()
            .any(|a| a == flag || a.starts_with(&format!("{flag}=")))
    };
    let mut args = Vec::new();
    if !given("--listen") {
        args.extend(["--listen".to_string(), DEFAULT_LISTEN.to_string()]);
    }
    if !given("--dist") {
        args.extend(["--dist".to_string(), dist.to_string()]);
    }
    args.extend(user.iter().cloned());
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn user_flags_win() {
        assert_eq!(
            sandbox_command_args("/d", &strings("--runners 10000")),
            strings("--listen 127.0.0.1:8080 --dist /d --runners 10000")
        );
        assert_eq!(
            sandbox_command_args("/d", &strings("--listen=0.0.0.0:9000")),
            strings("--dist /d --listen=0.0.0.0:9000")
        );
    }
}
