//! `cargo xtask bench`: measures the release build in headless Chromium against the
//! sandbox (`--runners 10000 --latency-ms 20`), python-gitlab on the same sandbox, and
//! the network limit, then writes bench/RESULTS.md. Figures are measured, never asserted.
//! `--tls` runs it all over HTTPS (HTTP/2 where the client speaks it), as GitLab is
//! reached in production: the sandbox's self-signed certificate is pinned in
//! Chromium and given to python-gitlab as its CA file. Unless `--only-main`,
//! the same measures follow at 100,000 runners (GitLab then sends no totals),
//! over HTTP/1.1 and over HTTP/2 with 12, 16 and 24 pages in flight, each
//! beside python-gitlab at the same page size on the same sandbox.

mod browser_steps;
mod lighthouse;
mod python;
mod report;
mod shipped;

use std::path::PathBuf;
use std::time::Duration;

use browser_steps::{ConsoleFigures, Steps};
use console_testkit::Browser;
use gitlab_sandbox::{Config, ADMIN_TOKEN};
use python::PythonResult;

pub struct Args {
    pub dist: PathBuf,
    pub out: PathBuf,
    pub runners: u64,
    pub latency_ms: u64,
    pub skip_python: bool,
    pub skip_lighthouse: bool,
    pub tls: bool,
    pub only_main: bool,
}

/// One configuration of the extra runs: sandbox size and protocol, the console
/// at each read-ahead depth, python-gitlab at 100 per page.
pub struct Extra {
    pub runners: u64,
    pub tls: bool,
    pub console: Vec<ConsoleFigures>,
    pub python: Option<PythonResult>,
}

fn parse_args() -> Args {
    let mut args = Args {
        dist: PathBuf::from("dist"),
        out: PathBuf::from("bench/RESULTS.md"),
        runners: 10_000,
        latency_ms: 20,
        skip_python: false,
        skip_lighthouse: false,
        tls: false,
        only_main: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            "--dist" => args.dist = value().into(),
            "--out" => args.out = value().into(),
            "--runners" => args.runners = value().parse().expect("--runners N"),
            "--latency-ms" => args.latency_ms = value().parse().expect("--latency-ms L"),
            "--skip-python" => args.skip_python = true,
            "--skip-lighthouse" => args.skip_lighthouse = true,
            "--tls" => args.tls = true,
            "--only-main" => args.only_main = true,
            other => panic!("unknown argument {other}"),
        }
    }
    args
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let args = parse_args();
    let shipped = shipped::measure(&args.dist);
    println!("shipped: {} bytes gzip", shipped.total_gzip());

    let sandbox = start_sandbox(&args, args.runners, args.tls).await;
    let console = measure_console(
        &sandbox,
        args.runners,
        Steps {
            read_ahead: None,
            bulk: true,
        },
    )
    .await;
    // The same page size as the console's, then python-gitlab's own default.
    let (python, python_default) = if args.skip_python {
        (None, None)
    } else {
        (
            measure_python(&sandbox, Some(100)),
            measure_python(&sandbox, None),
        )
    };
    println!("python-gitlab: {python:?} / default page size: {python_default:?}");

    // Lighthouse audits the first thing a visitor loads: the sign-in page, from a host
    // that sends the build's brotli copies, and from one that has only gzip.
    let lighthouse = if args.skip_lighthouse {
        vec![]
    } else {
        let mut scores = lighthouse::run(
            &format!("{}/", sandbox.url),
            "brotli",
            sandbox.tls_spki_sha256.as_deref(),
        );
        let gzip_only = gzip_only_copy(&args.dist);
        let gzip_host = gitlab_sandbox::spawn(
            Config {
                runners: args.runners,
                latency: Duration::from_millis(args.latency_ms),
                dist: Some(gzip_only.canonicalize().expect("copy exists")),
                tls: args.tls,
                ..Config::default()
            },
            "127.0.0.1:0".parse().expect("address"),
        )
        .await
        .expect("sandbox starts");
        scores.extend(lighthouse::run(
            &format!("{}/", gzip_host.url),
            "gzip only",
            gzip_host.tls_spki_sha256.as_deref(),
        ));
        scores
    };
    println!("lighthouse: {lighthouse:?}");

    drop(sandbox);
    let mut extras = vec![];
    if !args.only_main {
        for (runners, tls, depths) in [
            (100_000, false, vec![None]),
            (10_000, true, vec![None, Some(12), Some(24)]),
            (100_000, true, vec![None, Some(12), Some(24)]),
        ] {
            let sandbox = start_sandbox(&args, runners, tls).await;
            let mut figures = vec![];
            for read_ahead in depths {
                let steps = Steps {
                    read_ahead,
                    bulk: false,
                };
                figures.push(measure_console(&sandbox, runners, steps).await);
            }
            let python = if args.skip_python {
                None
            } else {
                measure_python(&sandbox, Some(100))
            };
            println!("python-gitlab ({runners}, tls {tls}): {python:?}");
            extras.push(Extra {
                runners,
                tls,
                console: figures,
                python,
            });
        }
    }

    let twiggy = twiggy_top();
    let markdown = report::render(
        &args,
        &shipped,
        &console,
        python.as_ref(),
        python_default.as_ref(),
        &lighthouse,
        twiggy.as_deref(),
    ) + &report::render_extras(args.latency_ms, &extras);
    std::fs::write(&args.out, markdown).expect("write results");
    println!("wrote {}", args.out.display());
}

/// A sandbox of `runners` with the run's latency, serving the build.
async fn start_sandbox(args: &Args, runners: u64, tls: bool) -> gitlab_sandbox::Running {
    let sandbox = gitlab_sandbox::spawn(
        Config {
            runners,
            latency: Duration::from_millis(args.latency_ms),
            dist: Some(args.dist.canonicalize().expect("dist exists")),
            tls,
            ..Config::default()
        },
        "127.0.0.1:0".parse().expect("address"),
    )
    .await
    .expect("sandbox starts");
    println!(
        "sandbox at {} with {runners} runners, {} ms latency",
        sandbox.url, args.latency_ms
    );
    sandbox
}

/// The console's figures in a fresh Chromium (trusting a TLS sandbox's certificate).
async fn measure_console(
    sandbox: &gitlab_sandbox::Running,
    runners: u64,
    steps: Steps,
) -> ConsoleFigures {
    let chromium = match &sandbox.tls_spki_sha256 {
        Some(pin) => Browser::launch_trusting(&[pin]).await,
        None => Browser::launch().await,
    };
    let figures =
        browser_steps::run(&chromium.client, &sandbox.url, ADMIN_TOKEN, runners, steps).await;
    println!("console ({runners}, {steps:?}): {figures:?}");
    figures
}

/// python-gitlab loading every runner of `sandbox` (its certificate as the CA file).
fn measure_python(
    sandbox: &gitlab_sandbox::Running,
    per_page: Option<u32>,
) -> Option<PythonResult> {
    let ca_file = sandbox.tls_cert_pem.as_ref().map(|pem| {
        let path = std::env::temp_dir().join(format!("runner-bench-{}.pem", sandbox.addr.port()));
        std::fs::write(&path, pem).expect("write the sandbox's certificate");
        path
    });
    python::load_all_runners(&sandbox.url, ADMIN_TOKEN, ca_file.as_deref(), per_page)
}

/// The build without its brotli copies, as a host without brotli has it.
fn gzip_only_copy(dist: &std::path::Path) -> PathBuf {
    let to = PathBuf::from("target/bench-dist-gzip-only");
    let _ = std::fs::remove_dir_all(&to);
    std::fs::create_dir_all(&to).expect("create the copy");
    for entry in std::fs::read_dir(dist).expect("dist exists").flatten() {
        let name = entry.file_name();
        if entry.path().is_file() && !name.to_string_lossy().ends_with(".br") {
            std::fs::copy(entry.path(), to.join(name)).expect("copy a file");
        }
    }
    to
}

/// `twiggy top -n 20` of the release wasm as rustc wrote it (before wasm-opt, which
/// drops the function names), when twiggy is installed (`cargo xtask bench` does).
fn twiggy_top() -> Option<String> {
    let wasm = "target/wasm32-unknown-unknown/release/runner-console.wasm";
    let out = std::process::Command::new("twiggy")
        .args(["top", "-n", "20", wasm])
        .output()
        .map_err(|e| eprintln!("twiggy unavailable: {e}"))
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}
