//! `cargo xtask demo`: build the console and serve it from the sandbox.

use xshell::cmd;

use crate::console_build;
use crate::ctx::{Ctx, Result};
use crate::tools;

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// The OAuth application the demo registers for the console (ARCHITECTURE.md).
pub const OAUTH_CLIENT_ID: &str = "runner-console-demo";

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

/// Our defaults (`--listen`, `--dist`, the console's OAuth application and
/// its config.json) unless the user passed their own, followed by the user's
/// arguments.
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
    // The console signs in with GitLab on its own origin: the sandbox serves
    // both, so the callback route is the console's and config.json names the
    // sandbox. Served by the sandbox rather than written into dist/, which
    // the tests and benchmarks share.
    let origin = origin(user);
    if !given("--oauth-app") {
        args.extend([
            "--oauth-app".to_string(),
            format!("{OAUTH_CLIENT_ID}={origin}/oauth/callback"),
        ]);
    }
    if !given("--console-config") {
        let config = serde_json::json!({
            "gitlab_url": origin,
            "oauth_client_id": OAUTH_CLIENT_ID,
        });
        args.extend(["--console-config".to_string(), config.to_string()]);
    }
    args.extend(user.iter().cloned());
    args
}

/// Where a browser reaches the sandbox the demo starts: its `--listen`
/// address (an unspecified one, `0.0.0.0` or `[::]`, is reached at 127.0.0.1),
/// over https with `--tls`.
fn origin(user: &[String]) -> String {
    let listen = user
        .iter()
        .enumerate()
        .find_map(|(i, a)| match a.strip_prefix("--listen") {
            Some("") => user.get(i + 1).map(String::as_str),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        })
        .unwrap_or(DEFAULT_LISTEN);
    let host = match listen.parse::<std::net::SocketAddr>() {
        Ok(addr) if addr.ip().is_unspecified() => format!("127.0.0.1:{}", addr.port()),
        _ => listen.to_string(),
    };
    let scheme = if user.iter().any(|a| a == "--tls") {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    /// The demo's own flags: the OAuth application and config.json for `origin`.
    fn oauth(origin: &str) -> Vec<String> {
        vec![
            "--oauth-app".into(),
            format!("runner-console-demo={origin}/oauth/callback"),
            "--console-config".into(),
            format!(r#"{{"gitlab_url":"{origin}","oauth_client_id":"runner-console-demo"}}"#),
        ]
    }

    #[test]
    fn user_flags_win() {
        assert_eq!(
            sandbox_command_args("/d", &strings("--runners 10000")),
            [
                strings("--listen 127.0.0.1:8080 --dist /d"),
                oauth("http://127.0.0.1:8080"),
                strings("--runners 10000"),
            ]
            .concat()
        );
        assert_eq!(
            sandbox_command_args("/d", &strings("--listen=0.0.0.0:9000")),
            [
                strings("--dist /d"),
                oauth("http://127.0.0.1:9000"),
                strings("--listen=0.0.0.0:9000"),
            ]
            .concat()
        );
        assert_eq!(
            sandbox_command_args("/d", &strings("--tls --listen 127.0.0.1:8443")),
            [
                strings("--dist /d"),
                oauth("https://127.0.0.1:8443"),
                strings("--tls --listen 127.0.0.1:8443"),
            ]
            .concat()
        );
        let own = strings("--oauth-app mine=http://x.example/cb --console-config {}");
        assert_eq!(
            sandbox_command_args("/d", &own),
            [strings("--listen 127.0.0.1:8080 --dist /d"), own.clone()].concat()
        );
    }
}
