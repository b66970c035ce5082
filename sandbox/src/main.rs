use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Parser;
use gitlab_sandbox::{GitLabVersion, OAuthApp};

/// A stand-in GitLab serving the Runners API, and optionally the built console.
#[derive(Parser)]
#[command(name = "gitlab-sandbox", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The built console (trunk's dist/) to serve at `/`.
    #[arg(long)]
    dist: Option<PathBuf>,
    /// Serve the console under this path (e.g. `/tools/runners/`, for a build made
    /// with `cargo xtask dist --public-url /tools/runners/`); the API stays at /api/v4.
    #[arg(long, default_value = "/")]
    base_path: String,
    /// How many runners to generate.
    #[arg(long, default_value_t = 120)]
    runners: u64,
    /// Jobs per runner that has ever been contacted.
    #[arg(long, default_value_t = 15)]
    jobs_per_runner: u32,
    /// Delay every API response by this many milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Seed of the generated data.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Print every runner's authentication token, not just the first 50.
    #[arg(long)]
    print_all_tokens: bool,
    /// The GitLab version to answer like, 15.0 to 18.11 (MAJOR.MINOR, a patch
    /// level is accepted and dropped): `/version` says it, and each behaviour
    /// arrives at the version GitLab introduced it (docs/gitlab-versions.md).
    #[arg(long, value_name = "X.Y", default_value_t = GitLabVersion::NEWEST,
          value_parser = GitLabVersion::parse_supported)]
    gitlab_version: GitLabVersion,
    /// Turn GitLab's `allow_runner_registration_token` on (by default it is on
    /// before 17.0 and off from 17.0; versions before 16.0 always allow them).
    #[arg(long)]
    allow_registration_token: bool,
    /// Answer `PUT /runners/:id` like GitLab before 14.8: `paused` is ignored, only
    /// `active` works (the rest answers like --gitlab-version).
    #[arg(long)]
    legacy_pause: bool,
    /// Give project runner RUNNER COUNT more projects (e.g. `3:5000`), to try a
    /// runner with very many projects.
    #[arg(long, value_name = "RUNNER:COUNT", value_parser = runner_with_projects)]
    runner_with_projects: Option<(u64, u32)>,
    /// A JSON list of fault rules (tests): chosen requests answer an error, a
    /// delay, a non-GitLab body, or a dropped connection. See README.
    #[arg(long, value_name = "FILE")]
    faults: Option<PathBuf>,
    /// Serve HTTPS (HTTP/2 and HTTP/1.1) with a self-signed certificate made at
    /// start for 127.0.0.1, ::1 and localhost; the banner prints its SPKI pin (for
    /// Chromium's --ignore-certificate-errors-spki-list) and a PEM file of it.
    #[arg(long)]
    tls: bool,
    /// Register a non-confidential OAuth application (client id, no secret),
    /// repeatable: /oauth/authorize (a consent page where you pick the user to
    /// sign in as), /oauth/token and /oauth/revoke answer as GitLab's do.
    /// Repeating a client id adds a redirect URI to it.
    #[arg(long = "oauth-app", value_name = "CLIENT_ID=REDIRECT_URI", value_parser = OAuthApp::parse)]
    oauth_apps: Vec<OAuthApp>,
    /// How long OAuth access tokens live (GitLab: 7200).
    #[arg(long, value_name = "SECONDS", default_value_t = 7200,
          value_parser = clap::value_parser!(u64).range(1..))]
    oauth_token_lifetime: u64,
    /// Serve this JSON as config.json beside the console's index.html (under
    /// --base-path), instead of a config.json in --dist; e.g.
    /// '{"gitlab_url":"http://127.0.0.1:8080","oauth_client_id":"runner-console-demo"}'.
    #[arg(long, value_name = "JSON", value_parser = console_config)]
    console_config: Option<serde_json::Value>,
}

fn console_config(text: &str) -> Result<serde_json::Value, String> {
    match serde_json::from_str(text) {
        Ok(value @ serde_json::Value::Object(_)) => Ok(value),
        Ok(_) => Err("expected a JSON object".into()),
        Err(e) => Err(format!("not JSON: {e}")),
    }
}

fn runner_with_projects(text: &str) -> Result<(u64, u32), String> {
    let (runner, count) = text
        .split_once(':')
        .ok_or_else(|| format!("`{text}`: expected RUNNER:COUNT such as 3:5000"))?;
    let runner = runner
        .parse()
        .map_err(|_| format!("`{runner}` is not a runner id"))?;
    let count = count
        .parse()
        .map_err(|_| format!("`{count}` is not a project count"))?;
    Ok((runner, count))
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let started = Instant::now();
    let faults = match &args.faults {
        Some(path) => gitlab_sandbox::faults::load(path)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?,
        None => Vec::new(),
    };
    let config = gitlab_sandbox::Config {
        runners: args.runners,
        jobs_per_runner: args.jobs_per_runner,
        seed: args.seed,
        latency: Duration::from_millis(args.latency_ms),
        dist: args.dist.clone(),
        base_path: args.base_path.clone(),
        gitlab_version: args.gitlab_version,
        allow_registration_token: args.allow_registration_token.then_some(true),
        legacy_pause: args.legacy_pause,
        runner_with_projects: args.runner_with_projects,
        faults,
        tls: args.tls,
        oauth_apps: args.oauth_apps.clone(),
        oauth_token_lifetime: Duration::from_secs(args.oauth_token_lifetime),
        console_config: args.console_config.clone(),
    };

    let state = match gitlab_sandbox::try_state(&config) {
        Ok(state) => state,
        Err(e) => {
            eprintln!(
                "error: {}",
                e.replacen("runner_with_projects", "--runner-with-projects", 1)
            );
            std::process::exit(2);
        }
    };
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    let addr = listener.local_addr()?;
    let tls = config
        .tls
        .then(gitlab_sandbox::SelfSigned::generate)
        .transpose()?;
    let url = format!("{}://{addr}", if tls.is_some() { "https" } else { "http" });
    {
        let world = state.read();
        print!("{}", gitlab_sandbox::banner(&world, &url));
        if config.legacy_pause {
            println!(
                "\n--legacy-pause: PUT /runners/:id ignores `paused`, as GitLab before 14.8 does."
            );
        }
        if args.print_all_tokens {
            print!("{}", gitlab_sandbox::all_tokens(&world));
        }
    }
    match &args.dist {
        Some(dist) => {
            let base = gitlab_sandbox::normalize_base_path(&args.base_path);
            let base = base.trim_end_matches('/');
            println!("\nConsole: {url}{base}/  (serving {})", dist.display())
        }
        None => println!("\nNo --dist given: API only."),
    }
    if config.console_config.is_some() {
        let base = gitlab_sandbox::normalize_base_path(&args.base_path);
        let base = base.trim_end_matches('/');
        println!("config.json: {url}{base}/config.json (from --console-config)");
    }
    if let Some(tls) = &tls {
        // A file, so scripts can pass it as a CA bundle (curl --cacert,
        // python-gitlab ssl_verify=, REQUESTS_CA_BUNDLE).
        let pem = std::env::temp_dir().join(format!("gitlab-sandbox-{}.pem", addr.port()));
        std::fs::write(&pem, &tls.cert_pem)?;
        println!(
            "\nTLS: self-signed certificate for 127.0.0.1, ::1 and localhost (HTTP/2 and HTTP/1.1)\n  PEM: {}\n  SPKI SHA-256: {}\n  Chromium: --ignore-certificate-errors-spki-list={}",
            pem.display(),
            tls.spki_sha256,
            tls.spki_sha256
        );
    }
    println!(
        "Ready in {} ms. Ctrl-C stops.",
        started.elapsed().as_millis()
    );
    let app = gitlab_sandbox::app(state, &config);
    gitlab_sandbox::serve(listener, app, tls.as_ref(), async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}
