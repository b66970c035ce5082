//! A stand-in GitLab serving the Runners API (and, optionally, the built console),
//! for demos, benchmarks and tests. Behaviour follows GitLab's own code; see
//! `shared/spec/gitlab-behavior.md`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::extract::Request;
use axum::http::{header, HeaderName, Method};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};

mod context;
mod entities;
mod error;
pub mod faults;
pub mod generate;
pub mod jobs;
pub mod model;
pub mod oauth;
mod paginate;
mod params;
mod routes;
pub mod version;

pub use context::AppState;
pub use faults::{FaultKind, FaultRule, Faults};
pub use generate::{
    add_projects_to_runner, ADMIN_TOKEN, CREATE_RUNNER_TOKEN, MAINTAINER_TOKEN,
    MANAGE_RUNNER_TOKEN, READONLY_TOKEN, REPORTER_TOKEN,
};
pub use model::World;
pub use oauth::OAuthApp;
pub use version::GitLabVersion;

#[derive(Clone, Debug)]
pub struct Config {
    pub runners: u64,
    pub jobs_per_runner: u32,
    pub seed: u64,
    pub latency: Duration,
    /// The built console to serve at `base_path`, with index.html for deep links.
    pub dist: Option<PathBuf>,
    /// Where the console is served: `/` (default) or a sub-path such as
    /// `/tools/runners/`, as a static host would serve a `--public-url` build.
    /// The API stays at `/api/v4` either way.
    pub base_path: String,
    /// The GitLab version to answer like (default the newest, 18.11): `/version`
    /// says it, and each behaviour arrives at the version GitLab introduced it
    /// (`GitLabVersion`'s switches; `docs/gitlab-versions.md`).
    pub gitlab_version: GitLabVersion,
    /// The instance setting `allow_runner_registration_token`. None: GitLab's
    /// default for the version (on before 17.0, off from 17.0). Versions before 16.0
    /// have no such setting and always take registration tokens.
    pub allow_registration_token: Option<bool>,
    /// Behave like GitLab before 14.8 on `PUT /runners/:id`: `paused` is not a
    /// declared parameter there, so Grape drops it (only `active` pauses). Versions
    /// before 14.8 turn it on by themselves.
    pub legacy_pause: bool,
    /// `(runner id, n)`: give that project runner `n` more projects (new projects
    /// in its group), for tests of runners with very many projects; see
    /// `add_projects_to_runner`.
    pub runner_with_projects: Option<(u64, u32)>,
    /// Requests to fail on purpose (tests); more can be added at run time
    /// through `POST /__sandbox/faults` or `AppState::faults`.
    pub faults: Vec<FaultRule>,
    /// Serve HTTPS (HTTP/2 and HTTP/1.1 by ALPN) with a self-signed certificate
    /// made at start, as a real GitLab is reached; see `SelfSigned`.
    pub tls: bool,
    /// Non-confidential OAuth applications (`--oauth-app CLIENT_ID=REDIRECT_URI`):
    /// `/oauth/authorize`, `/oauth/token` and `/oauth/revoke` serve them.
    pub oauth_apps: Vec<OAuthApp>,
    /// How long OAuth access tokens live (GitLab: 2 hours).
    pub oauth_token_lifetime: Duration,
    /// Served as `config.json` beside the console's index.html (under
    /// `base_path`), instead of any such file in `dist`: `gitlab_url` and
    /// `oauth_client_id` for the demo, without writing into a shared build.
    pub console_config: Option<serde_json::Value>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            runners: 120,
            jobs_per_runner: 15,
            seed: 42,
            latency: Duration::ZERO,
            dist: None,
            base_path: "/".into(),
            gitlab_version: GitLabVersion::NEWEST,
            allow_registration_token: None,
            legacy_pause: false,
            runner_with_projects: None,
            faults: Vec::new(),
            tls: false,
            oauth_apps: Vec::new(),
            oauth_token_lifetime: oauth::DEFAULT_TOKEN_LIFETIME,
            console_config: None,
        }
    }
}

/// The world a config describes. Panics when `runner_with_projects` names a
/// runner that is not a project runner (a mistake in a test's config).
pub fn state(config: &Config) -> AppState {
    try_state(config).unwrap_or_else(|e| panic!("{e}"))
}

/// `state`, with a mistaken `runner_with_projects` as an error.
pub fn try_state(config: &Config) -> Result<AppState, String> {
    let version = config.gitlab_version;
    let settings = generate::Settings {
        runners: config.runners,
        jobs_per_runner: config.jobs_per_runner,
        seed: config.seed,
        gitlab_version: version,
    };
    let mut world = generate::world(&settings, time::OffsetDateTime::now_utc());
    if let Some(allow) = config.allow_registration_token {
        world.allow_registration_token = allow;
    }
    world.oauth = oauth::OAuth::new(config.oauth_apps.clone(), config.oauth_token_lifetime);
    if let Some((runner, count)) = config.runner_with_projects {
        add_projects_to_runner(&mut world, runner, count)
            .map_err(|e| format!("runner_with_projects: {e}"))?;
    }
    Ok(AppState {
        world: Arc::new(RwLock::new(world)),
        legacy_pause: config.legacy_pause || !version.has_paused_param(),
        faults: Faults::new(config.faults.clone()),
        requests: Default::default(),
    })
}

/// The headers GitLab exposes to cross-origin scripts.
pub const EXPOSED_HEADERS: [&str; 19] = [
    "link",
    "x-total",
    "x-total-pages",
    "x-per-page",
    "x-page",
    "x-next-page",
    "x-prev-page",
    "x-gitlab-blob-id",
    "x-gitlab-commit-id",
    "x-gitlab-content-sha256",
    "x-gitlab-encoding",
    "x-gitlab-file-name",
    "x-gitlab-file-path",
    "x-gitlab-last-commit-id",
    "x-gitlab-ref",
    "x-gitlab-size",
    "x-request-id",
    "etag",
    "x-gitlab-meta",
];

/// GitLab's rack-cors rule for `/api/*`: any origin, no credentials, any header and method.
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::any())
        .allow_headers(AllowHeaders::mirror_request())
        .allow_methods([
            Method::GET,
            Method::HEAD,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .expose_headers(EXPOSED_HEADERS.map(HeaderName::from_static))
        .max_age(Duration::from_secs(7200))
}

pub fn app(state: AppState, config: &Config) -> Router {
    let latency = config.latency;
    let version = state.read().gitlab_version;
    let api = routes::api(version)
        .layer(middleware::from_fn(move |req: Request, next: Next| {
            async move {
                if !latency.is_zero() {
                    tokio::time::sleep(latency).await;
                }
                let mut res: Response = next.run(req).await;
                let headers = res.headers_mut();
                headers.entry(header::CACHE_CONTROL).or_insert_with(|| {
                    header::HeaderValue::from_static("max-age=0, private, must-revalidate")
                });
                // GitLab tags every answer with a request id (exposed to CORS callers).
                if let Ok(id) = header::HeaderValue::from_str(&request_id()) {
                    headers.insert("x-request-id", id);
                }
                res
            }
        }))
        .layer(cors())
        .with_state(state.clone());
    let router = Router::new()
        .nest("/api/v4", api)
        .merge(routes::oauth::router().with_state(state.clone()))
        .merge(faults::control().with_state(state.faults.clone()));
    let router = match &config.console_config {
        None => router,
        Some(json) => {
            let path = match normalize_base_path(&config.base_path).as_str() {
                "/" => "/config.json".to_string(),
                base => format!("{base}/config.json"),
            };
            let json = json.clone();
            router.route(
                &path,
                axum::routing::get(move || async move {
                    // Read at every start of the console, so never cached.
                    ([(header::CACHE_CONTROL, "no-cache")], axum::Json(json)).into_response()
                }),
            )
        }
    };
    let router = match &config.dist {
        None => router,
        Some(dist) => {
            // `NAME.br` / `NAME.gz` beside a file go to browsers that accept brotli /
            // gzip (brotli first), as nginx's `brotli_static`/`gzip_static`, Caddy and
            // GitLab Pages do (`cargo xtask build` writes them).
            let index = ServeFile::new(dist.join("index.html"))
                .precompressed_br()
                .precompressed_gzip();
            let console = ServeDir::new(dist)
                .precompressed_br()
                .precompressed_gzip()
                .fallback(index);
            match normalize_base_path(&config.base_path).as_str() {
                "/" => router.fallback_service(console),
                base => {
                    // `/tools/runners` (no slash) would resolve the page's relative
                    // references one level up: send it to `/tools/runners/`.
                    let with_slash = format!("{base}/");
                    router
                        .route(
                            base,
                            axum::routing::get(move || async move {
                                axum::response::Redirect::permanent(&with_slash)
                            }),
                        )
                        .nest_service(&format!("{base}/"), console)
                }
            }
        }
    };
    // Outermost, so a fault can answer before anything runs or strip what CORS added.
    let router = router.layer(middleware::from_fn_with_state(state.faults, faults::inject));
    // Outside the faults too, so a request a fault answered is still on record.
    let log = state.requests.clone();
    router.layer(middleware::from_fn(move |req: Request, next: Next| {
        let uri = req.uri();
        let api = req.method() != axum::http::Method::OPTIONS && uri.path().starts_with("/api/v4/");
        // Counted while answered, so tests can see how many a client asks at once.
        let guard = api.then(|| {
            log.record(
                req.method(),
                uri.path_and_query().map_or(uri.path(), |p| p.as_str()),
            )
        });
        async move {
            let res = next.run(req).await;
            drop(guard);
            res
        }
    }))
}

/// `tools/runners`, `/tools/runners/` -> `/tools/runners`; the root stays `/`.
pub fn normalize_base_path(path: &str) -> String {
    let trimmed = path.trim().trim_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        format!("/{trimmed}")
    }
}

/// A unique id per answer, shaped like GitLab's (26 characters).
fn request_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("01SANDBOX{:017X}", generate::mix(n))
}

/// A sandbox running on a background task, for tests and benchmarks.
pub struct Running {
    pub addr: SocketAddr,
    pub state: AppState,
    /// `http://127.0.0.1:PORT`, or `https://…` with `Config::tls`.
    pub url: String,
    /// With `Config::tls`: the certificate's pin, for Chromium's
    /// `--ignore-certificate-errors-spki-list` (`SelfSigned::spki_sha256`).
    pub tls_spki_sha256: Option<String>,
    /// With `Config::tls`: the certificate in PEM, for clients that take a CA file.
    pub tls_cert_pem: Option<String>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Starts a sandbox on `listen` (port 0 picks a free one) in the current runtime.
pub async fn spawn(config: Config, listen: SocketAddr) -> std::io::Result<Running> {
    let state = state(&config);
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    let router = app(state.clone(), &config);
    let tls = config.tls.then(SelfSigned::generate).transpose()?;
    // Made here, not in the task, so a certificate the server refuses fails `spawn`.
    let rustls = match &tls {
        Some(tls) => Some(tls.rustls_config().await?),
        None => None,
    };
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = serve_with(listener, router, rustls, async {
            let _ = rx.await;
        })
        .await;
    });
    Ok(Running {
        addr,
        state,
        url: format!("{}://{addr}", if tls.is_some() { "https" } else { "http" }),
        tls_spki_sha256: tls.as_ref().map(|t| t.spki_sha256.clone()),
        tls_cert_pem: tls.map(|t| t.cert_pem),
        shutdown: Some(tx),
    })
}

/// A self-signed certificate for this machine's loopback names (`127.0.0.1`,
/// `::1`, `localhost`), made at start for `--tls` / `Config::tls`.
#[derive(Clone)]
pub struct SelfSigned {
    /// The certificate in PEM: a CA file for python-gitlab, requests, curl.
    pub cert_pem: String,
    /// Base64 (standard, padded) SHA-256 of the certificate's
    /// SubjectPublicKeyInfo: what Chromium's `--ignore-certificate-errors-spki-list`
    /// takes, so a browser can trust this certificate and no other.
    pub spki_sha256: String,
    cert_der: Vec<u8>,
    key_der: Vec<u8>,
}

impl SelfSigned {
    /// A new key pair (ECDSA P-256, rcgen's default) and certificate, each call.
    pub fn generate() -> std::io::Result<SelfSigned> {
        use base64::Engine;
        use rcgen::PublicKeyData;
        use sha2::Digest;
        // Strings that parse as IP addresses become IP SANs, the rest DNS names;
        // browsers match `https://127.0.0.1` only against an IP SAN.
        let names = ["127.0.0.1", "::1", "localhost"].map(String::from);
        let rcgen::CertifiedKey { cert, signing_key } =
            rcgen::generate_simple_self_signed(names).map_err(std::io::Error::other)?;
        let spki = sha2::Sha256::digest(signing_key.subject_public_key_info());
        Ok(SelfSigned {
            cert_pem: cert.pem(),
            spki_sha256: base64::engine::general_purpose::STANDARD.encode(spki),
            cert_der: cert.der().to_vec(),
            key_der: signing_key.serialize_der(),
        })
    }

    /// axum-server's rustls settings; `from_der` offers ALPN `h2` then `http/1.1`.
    async fn rustls_config(&self) -> std::io::Result<axum_server::tls_rustls::RustlsConfig> {
        // rustls picks the process's provider; when none is installed yet, install
        // ring (the one this crate builds) rather than rely on it being the only one.
        if rustls::crypto::CryptoProvider::get_default().is_none() {
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
        axum_server::tls_rustls::RustlsConfig::from_der(
            vec![self.cert_der.clone()],
            self.key_der.clone(),
        )
        .await
    }
}

/// Serves `router` on `listener` until `shutdown` resolves, then finishes the
/// answers under way: plain HTTP/1.1, or with `tls` HTTPS (HTTP/2 and HTTP/1.1).
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    tls: Option<&SelfSigned>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let rustls = match tls {
        Some(tls) => Some(tls.rustls_config().await?),
        None => None,
    };
    serve_with(listener, router, rustls, shutdown).await
}

async fn serve_with(
    listener: tokio::net::TcpListener,
    router: Router,
    rustls: Option<axum_server::tls_rustls::RustlsConfig>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let Some(rustls) = rustls else {
        return axum::serve(listener, router)
            .with_graceful_shutdown(shutdown)
            .await;
    };
    let handle = axum_server::Handle::new();
    let stop = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        // No deadline, as axum::serve's graceful shutdown has none.
        stop.graceful_shutdown(None);
    });
    let router = router.layer(axum::Extension(context::OverTls));
    axum_server::from_tcp_rustls(listener.into_std()?, rustls)
        .handle(handle)
        .serve(router.into_make_service())
        .await
}

/// The start-up text: where to go, and every token a demo or test may need.
pub fn banner(world: &World, url: &str) -> String {
    let v = world.gitlab_version;
    let registration = if !v.has_registration_token_setting() {
        format!("allowed (GitLab {v} has no setting to turn them off)")
    } else if world.registration_tokens_allowed() {
        "allowed (allow_runner_registration_token is on)".to_string()
    } else {
        "not allowed (allow_runner_registration_token is off, so POST /runners answers 410 Gone; --allow-registration-token turns it on)".to_string()
    };
    let mut out = format!(
        "GitLab sandbox at {url}\n  API: {url}/api/v4\n  Answers like GitLab {v}\n  Registration tokens: {registration}\n\nUser tokens:\n"
    );
    for u in &world.users {
        if u.token.ends_with("-unused") {
            continue;
        }
        let role = match (u.is_admin, u.scope) {
            (true, model::TokenScope::Api) => "instance administrator".to_string(),
            (true, model::TokenScope::ReadApi) => "administrator, read_api scope only".to_string(),
            _ => memberships(world, u),
        };
        out += &format!("  {:<28} {} ({role})\n", u.token, u.username);
    }
    for t in &world.access_tokens {
        let Some(u) = world.users.iter().find(|u| u.id == t.user_id) else {
            continue;
        };
        let who = if u.is_admin {
            "administrator".to_string()
        } else {
            memberships(world, u)
        };
        let since = match t.scope {
            model::TokenScope::CreateRunner => "; POST /user/runners only; GitLab 16.1+",
            model::TokenScope::ManageRunner => "; /runners/:id and below only; GitLab 17.1+",
            _ => "",
        };
        out += &format!(
            "  {:<28} {} ({who}, {} scope only{since})\n",
            t.token,
            u.username,
            t.scope.as_str()
        );
    }
    if !world.oauth.apps.is_empty() {
        out += &format!(
            "\nOAuth applications (non-confidential: client id, no secret; PKCE with S256; access tokens live {} s):\n",
            world.oauth.token_lifetime.as_secs()
        );
        for app in &world.oauth.apps {
            out += &format!("  {:<28} {}\n", app.client_id, app.redirect_uri);
        }
        out += &format!(
            "  authorize at {url}/oauth/authorize, tokens from {url}/oauth/token, revoke at {url}/oauth/revoke\n"
        );
    }
    out += &format!(
        "\nRegistration tokens:\n  instance                     {}\n",
        world.instance_registration_token
    );
    for g in &world.groups {
        out += &format!("  group {:<22} {}\n", g.path, g.registration_token);
    }
    const PROJECTS_SHOWN: usize = 50;
    for p in world.projects.iter().take(PROJECTS_SHOWN) {
        out += &format!(
            "  project {:<20} {}\n",
            world.project_full_path(p),
            p.registration_token
        );
    }
    if world.projects.len() > PROJECTS_SHOWN {
        out += &format!(
            "  ... and {} more projects\n",
            world.projects.len() - PROJECTS_SHOWN
        );
    }
    const SHOWN: usize = 50;
    out += &format!(
        "\nRunner authentication tokens ({} runners",
        world.runners.len()
    );
    if world.runners.len() > SHOWN {
        out += &format!(", first {SHOWN} shown; --print-all-tokens lists every one");
    }
    out += "):\n";
    for r in world.runners.values().take(SHOWN) {
        out += &format!(
            "  #{:<6} {:<28} {}\n",
            r.id,
            r.description.as_deref().unwrap_or(""),
            r.token
        );
    }
    out
}

/// "maintainer of group platform, reporter of project data/warehouse".
fn memberships(world: &World, u: &model::User) -> String {
    let groups: Vec<String> = world
        .group_members
        .iter()
        .filter(|(uid, _, _)| *uid == u.id)
        .filter_map(|(_, g, l)| {
            world
                .group(*g)
                .map(|g| format!("{} of group {}", level(*l), g.path))
        })
        .collect();
    let projects: Vec<String> = world
        .project_members
        .iter()
        .filter(|(uid, _, _)| *uid == u.id)
        .filter_map(|(_, p, l)| {
            world
                .project(*p)
                .map(|p| format!("{} of project {}", level(*l), world.project_full_path(p)))
        })
        .collect();
    [groups, projects].concat().join(", ")
}

/// Every runner's token, for `--print-all-tokens`.
pub fn all_tokens(world: &World) -> String {
    world
        .runners
        .values()
        .map(|r| format!("#{} {}\n", r.id, r.token))
        .collect()
}

fn level(l: u32) -> &'static str {
    match l {
        50 => "owner",
        40 => "maintainer",
        30 => "developer",
        20 => "reporter",
        _ => "guest",
    }
}
