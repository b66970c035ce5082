use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Parser;

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
    /// Answer `PUT /runners/:id` like GitLab before 14.8: `paused` is ignored, only `active` works.
    #[arg(long)]
    legacy_pause: bool,
    /// A JSON list of fault rules (tests): chosen requests answer an error, a
    /// delay, a non-GitLab body, or a dropped connection. See README.
    #[arg(long, value_name = "FILE")]
    faults: Option<PathBuf>,
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
        legacy_pause: args.legacy_pause,
        faults,
    };
    let state = gitlab_sandbox::state(&config);
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    let addr = listener.local_addr()?;
    let url = format!("http://{addr}");
    {
        let world = state.read();
        print!("{}", gitlab_sandbox::banner(&world, &url));
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
    println!(
        "Ready in {} ms. Ctrl-C stops.",
        started.elapsed().as_millis()
    );
    let app = gitlab_sandbox::app(state, &config);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
