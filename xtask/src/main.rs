//! `cargo xtask <command>`: the project's build and test tooling.
//!
//! Arguments are parsed by hand (there are only a few); every external
//! command runs through `xshell` from the workspace root.

mod bench;
mod console_build;
mod csp;
mod ctx;
mod demo;
mod lockfile;
mod minify_js;
mod shipped;
mod test;
mod tools;

use std::process::ExitCode;

use ctx::{Ctx, Result};

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  setup [--browser]          install what is missing: the wasm32 target, trunk,
                             wasm-bindgen-cli (Cargo.lock's version), wasm-opt;
                             --browser adds what `test` needs: chromium,
                             chromedriver, rustfmt, clippy
  build [--public-url P]     setup, then `trunk build --release` into dist/
                             (public url defaults to /)
  dist [--public-url P] [--out DIR]
                             setup, then a deployable folder (default dist/)
                             for static hosting under P (default /): the
                             release build plus 404.html; see docs/deploy.md
  demo [-- SANDBOX_ARGS...]  setup, build, then run the sandbox GitLab serving
                             the console on http://127.0.0.1:8080, with the
                             OAuth application runner-console-demo and a
                             config.json naming it
                             (e.g. `cargo xtask demo -- --runners 10000`)
  test [--skip-lint] [--skip-wasm] [-- FILTER...]
                             setup --browser, then fmt, clippy (native + wasm32),
                             build, native + end-to-end tests, wasm tests in
                             headless Chromium; FILTER goes to the native tests
  bench [-- BENCH_ARGS...]   setup --browser, build, then measure the console in
                             headless Chromium against the sandbox (10,000 runners,
                             20 ms latency) beside python-gitlab; writes
                             bench/RESULTS.md (`-- --skip-python`, `--runners N`,
                             `--latency-ms L`, `--tls` change the run)
  help                       this text

environment:
  XTASK_DRY_RUN=1            check tools, but only print what would be
                             installed or run
  CHROME, CHROMEDRIVER       browser binaries (default /usr/bin/chromium,
                             /usr/bin/chromedriver)
";

#[derive(Debug, PartialEq, Eq)]
enum Command {
    Setup { browser: bool },
    Build { public_url: String },
    Dist { public_url: String, out: String },
    Demo { sandbox_args: Vec<String> },
    Test(test::Options),
    Bench { args: Vec<String> },
    Help,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match parse(&args) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<()> {
    if command == Command::Help {
        print!("{USAGE}");
        return Ok(());
    }
    let ctx = Ctx::new()?;
    match command {
        Command::Setup { browser } => {
            tools::setup(&ctx, browser)?;
        }
        Command::Build { public_url } => {
            tools::setup(&ctx, false)?;
            console_build::build(&ctx, &public_url)?;
        }
        Command::Dist { public_url, out } => {
            tools::setup(&ctx, false)?;
            console_build::dist(&ctx, &public_url, &out)?;
        }
        Command::Demo { sandbox_args } => demo::demo(&ctx, &sandbox_args)?,
        Command::Test(options) => test::test(&ctx, &options)?,
        Command::Bench { args } => bench::bench(&ctx, &args)?,
        Command::Help => unreachable!(),
    }
    Ok(())
}

fn parse(args: &[String]) -> Result<Command, String> {
    let Some((name, rest)) = args.split_first() else {
        return Ok(Command::Help);
    };
    // Everything after `--` is passed through untouched.
    let (flags, passthrough) = match rest.iter().position(|a| a == "--") {
        Some(i) => (&rest[..i], rest[i + 1..].to_vec()),
        None => (rest, Vec::new()),
    };
    let takes_passthrough = matches!(name.as_str(), "demo" | "test" | "bench");
    if !passthrough.is_empty() && !takes_passthrough {
        return Err(format!("`{name}` takes no arguments after `--`"));
    }
    let mut flags = flags.iter();
    let command = match name.as_str() {
        "setup" => {
            let mut browser = false;
            for flag in flags {
                match flag.as_str() {
                    "--browser" => browser = true,
                    other => return Err(format!("setup: unknown option `{other}`")),
                }
            }
            Command::Setup { browser }
        }
        "build" => {
            let mut public_url = String::from("/");
            while let Some(flag) = flags.next() {
                if let Some(value) = flag.strip_prefix("--public-url=") {
                    public_url = value.to_string();
                } else if flag == "--public-url" {
                    public_url = flags
                        .next()
                        .ok_or("build: --public-url needs a value")?
                        .clone();
                } else {
                    return Err(format!("build: unknown option `{flag}`"));
                }
            }
            Command::Build { public_url }
        }
        "dist" => {
            let mut public_url = String::from("/");
            let mut out = String::from(console_build::DIST);
            while let Some(flag) = flags.next() {
                let (name, inline) = match flag.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (flag.as_str(), None),
                };
                let target = match name {
                    "--public-url" => &mut public_url,
                    "--out" => &mut out,
                    _ => return Err(format!("dist: unknown option `{flag}`")),
                };
                *target = match inline {
                    Some(v) => v,
                    None => flags
                        .next()
                        .ok_or(format!("dist: {name} needs a value"))?
                        .clone(),
                };
            }
            Command::Dist { public_url, out }
        }
        "demo" => {
            if let Some(flag) = flags.next() {
                return Err(format!(
                    "demo: unknown option `{flag}` (sandbox options go after `--`)"
                ));
            }
            Command::Demo {
                sandbox_args: passthrough,
            }
        }
        "test" => {
            let mut options = test::Options {
                filter: passthrough,
                ..test::Options::default()
            };
            for flag in flags {
                match flag.as_str() {
                    "--skip-lint" => options.skip_lint = true,
                    "--skip-wasm" => options.skip_wasm = true,
                    other => return Err(format!("test: unknown option `{other}`")),
                }
            }
            Command::Test(options)
        }
        "bench" => {
            if let Some(flag) = flags.next() {
                return Err(format!(
                    "bench: unknown option `{flag}` (benchmark options go after `--`)"
                ));
            }
            Command::Bench { args: passthrough }
        }
        "help" | "-h" | "--help" => Command::Help,
        other => return Err(format!("unknown command `{other}`")),
    };
    Ok(command)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(line: &str) -> Result<Command, String> {
        let args: Vec<String> = line.split_whitespace().map(String::from).collect();
        parse(&args)
    }

    #[test]
    fn parses_commands() {
        assert_eq!(parse_str(""), Ok(Command::Help));
        assert_eq!(
            parse_str("setup --browser"),
            Ok(Command::Setup { browser: true })
        );
        assert_eq!(
            parse_str("build"),
            Ok(Command::Build {
                public_url: "/".into()
            })
        );
        assert_eq!(
            parse_str("build --public-url /console/"),
            Ok(Command::Build {
                public_url: "/console/".into()
            })
        );
        assert_eq!(
            parse_str("build --public-url=/x/"),
            Ok(Command::Build {
                public_url: "/x/".into()
            })
        );
        assert_eq!(
            parse_str("dist --public-url /tools/runners/ --out=target/d"),
            Ok(Command::Dist {
                public_url: "/tools/runners/".into(),
                out: "target/d".into()
            })
        );
        assert_eq!(
            parse_str("dist"),
            Ok(Command::Dist {
                public_url: "/".into(),
                out: "dist".into()
            })
        );
        assert_eq!(
            parse_str("demo -- --runners 10000"),
            Ok(Command::Demo {
                sandbox_args: vec!["--runners".into(), "10000".into()]
            })
        );
        assert_eq!(
            parse_str("test --skip-lint -- runners::list --nocapture"),
            Ok(Command::Test(test::Options {
                skip_lint: true,
                skip_wasm: false,
                filter: vec!["runners::list".into(), "--nocapture".into()],
            }))
        );
    }

    #[test]
    fn rejects_unknown_input() {
        assert!(parse_str("frobnicate").is_err());
        assert!(parse_str("setup --nope").is_err());
        assert!(parse_str("build --public-url").is_err());
        assert!(parse_str("build -- x").is_err());
        assert!(parse_str("dist --out").is_err());
        assert!(parse_str("dist --nope").is_err());
        assert!(parse_str("demo --runners 5").is_err());
    }
}
