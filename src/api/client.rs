//! The one place that does I/O: sends an [`ApiRequest`] with gloo-net and
//! hands back a [`RawResponse`] or an [`ApiError`]. Everything else (URLs,
//! bodies, pagination, decoding, error bodies) is pure and tested natively.

use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, RwLock};

use gloo_net::http::Request;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use web_sys::{AbortSignal, RequestMode};

use super::ahead::{self, ReadAhead};
use super::error::ApiError;
use super::hooks;
use super::page::{Page, PageInfo};
use super::request::{normalize_base, ApiRequest, Auth, Method};
use super::retry::{self, Attempts, Decision};

pub use super::page::RawResponse;

/// A GitLab instance and the user's token. Clones share the token, so signing
/// in again after a 401 renews it for every page holding a clone.
#[derive(Clone)]
pub struct Client {
    base: String,
    token: Arc<RwLock<String>>,
    /// A 401 asks the person to sign in again (the signed-in session's client),
    /// rather than failing at once (the sign-in check).
    reauth: bool,
    /// 429 answers seen, so a load of many pages can slow down.
    rate_limited: Arc<AtomicU32>,
    /// Tells a 401's prompt which instance refused (clones share it).
    id: u32,
    /// An OAuth access token goes as `Authorization: Bearer`; a pasted token as `PRIVATE-TOKEN`.
    bearer: bool,
    /// The most pages `load_all` asks at once (several instances listed together).
    at_most: Option<usize>,
}

/// Ids for [`Client::id`].
static NEXT_ID: AtomicU32 = AtomicU32::new(1);

impl PartialEq for Client {
    fn eq(&self, other: &Self) -> bool {
        self.base == other.base && self.token() == other.token()
    }
}

impl Eq for Client {}

// Never print the token.
impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base)
            .field("token", &"<redacted>")
            .finish()
    }
}

impl Client {
    /// `base` is GitLab's root URL (`https://gitlab.example.com`); an empty
    /// base means same origin.
    pub fn new(base: impl Into<String>, token: impl Into<String>) -> Client {
        let base: String = base.into();
        Client {
            base: normalize_base(&base).to_string(),
            token: Arc::new(RwLock::new(token.into().trim().to_string())),
            reauth: false,
            rate_limited: Arc::new(AtomicU32::new(0)),
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            bearer: false,
            at_most: None,
        }
    }

    /// The same client (sharing its token), loading at most `pages` pages at once.
    pub fn at_most(mut self, pages: usize) -> Client {
        self.at_most = Some(pages.max(1));
        self
    }

    /// A client sending an OAuth access token (`Authorization: Bearer`).
    pub fn oauth(base: impl Into<String>, access_token: impl Into<String>) -> Client {
        Client {
            bearer: true,
            ..Client::new(base, access_token)
        }
    }

    /// Which client (and its clones) this is: the instance a 401 came from.
    pub fn id(&self) -> u32 {
        self.id
    }

    /// The same client, asking to sign in again on a 401 (see [`hooks::on_unauthorized`]).
    pub fn with_reauth(mut self) -> Client {
        self.reauth = true;
        self
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// The token, for keeping it where the person chose; never for showing.
    pub(crate) fn token(&self) -> String {
        self.token.read().map(|t| t.clone()).unwrap_or_default()
    }

    /// Replaces the token for this client and all its clones.
    pub fn set_token(&self, token: &str) {
        if let Ok(mut t) = self.token.write() {
            *t = token.trim().to_string();
        }
    }

    /// Forgets the token in memory (sign-out).
    pub fn forget_token(&self) {
        self.set_token("");
    }

    /// Full URL of a request (never contains a token).
    pub fn url(&self, req: &ApiRequest) -> String {
        req.url(&self.base)
    }

    /// Sends `req`, following [`retry`]'s policy: reads are retried after
    /// network failures and 5xx with backoff, and wait out 429s; writes are
    /// sent once. A 401 on the signed-in client asks to sign in again and then
    /// sends the request again (GitLab did not act on it). Non-2xx answers
    /// become [`ApiError::Http`]; no answer within the time limit
    /// [`ApiError::Timeout`]; `abort` firing [`ApiError::Aborted`].
    pub async fn send(
        &self,
        req: &ApiRequest,
        abort: Option<&AbortSignal>,
    ) -> Result<RawResponse, ApiError> {
        let mut attempts = Attempts::default();
        let mut signed_in_again = false;
        loop {
            let error = match self.send_once(req, abort).await {
                Ok(response) => return Ok(response),
                Err(error) => error,
            };
            if error.is_unauthorized() && self.reauth && !signed_in_again && req.auth == Auth::User
            {
                if let Some(prompt) = hooks::reauthenticate(self.id) {
                    match prompt.await {
                        Some(token) => {
                            self.set_token(&token);
                            signed_in_again = true;
                            continue;
                        }
                        None => return Err(error),
                    }
                }
            }
            match retry::decide(
                req.method,
                &error,
                attempts,
                hooks::rate_limit_default_secs(),
            ) {
                Decision::Report => return Err(error),
                Decision::Retry { after_ms, reason } => {
                    if reason == retry::RetryReason::RateLimited {
                        self.rate_limited.fetch_add(1, Ordering::Relaxed);
                    }
                    attempts = attempts.after(reason);
                    let id = hooks::wait_started(reason, after_ms);
                    sleep(after_ms, abort).await;
                    hooks::wait_ended(id);
                    if abort.is_some_and(AbortSignal::aborted) {
                        return Err(ApiError::Aborted);
                    }
                }
            }
        }
    }

    /// One try, bounded by the timeout.
    async fn send_once(
        &self,
        req: &ApiRequest,
        abort: Option<&AbortSignal>,
    ) -> Result<RawResponse, ApiError> {
        let timeout_ms = hooks::timeout_ms();
        let timer = AbortSignal::timeout_with_u32(timeout_ms);
        let signals = js_sys::Array::of1(&timer);
        if let Some(a) = abort {
            signals.push(a);
        }
        let combined = AbortSignal::any(&signals);
        let failed = |e: gloo_net::Error| {
            if timer.aborted() && !abort.is_some_and(AbortSignal::aborted) {
                ApiError::Timeout {
                    seconds: timeout_ms.div_ceil(1000),
                }
            } else {
                fetch_error(e, abort)
            }
        };

        let endpoint = req.endpoint(&self.base);
        let builder = match req.method {
            Method::Get => Request::get(&endpoint),
            Method::Post => Request::post(&endpoint),
            Method::Put => Request::put(&endpoint),
            Method::Delete => Request::delete(&endpoint),
        };
        // Query through gloo (URLSearchParams) rather than in the URL:
        // gloo appends its own query with '&', leaving a stray one otherwise.
        let mut builder = builder
            .query(req.query.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .abort_signal(Some(&combined));
        let token = self.token();
        if req.auth == Auth::User && !token.is_empty() {
            builder = if self.bearer {
                builder.header("Authorization", &format!("Bearer {token}"))
            } else {
                builder.header("PRIVATE-TOKEN", &token)
            };
        }
        let request = match req.form_body() {
            Some(body) => builder
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(body),
            None => builder.build(),
        }
        .map_err(failed)?;

        let response = match request.send().await {
            Ok(r) => r,
            Err(e) => {
                let error = failed(e);
                if error.is_network() && self.answers_without_cors().await {
                    return Err(ApiError::Cors);
                }
                return Err(error);
            }
        };
        let status = response.status();
        let headers = response.headers();
        let page_info = PageInfo::from_headers(|name| headers.get(name));
        let text = response.text().await.map_err(failed)?;
        if !(200..300).contains(&status) {
            let retry_after = headers.get("Retry-After");
            return Err(ApiError::from_response(
                status,
                &text,
                retry_after.as_deref(),
            ));
        }
        Ok(RawResponse {
            status,
            page_info,
            text,
        })
    }

    /// After a failed fetch, was it CORS? Only when GitLab is on another
    /// origin, a plain CORS request to it fails too (so it was not just this
    /// request being dropped), and a `no-cors` request succeeds (with an
    /// unreadable answer: the server is there, the browser withholds it).
    async fn answers_without_cors(&self) -> bool {
        let own_origin = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default();
        let same_origin =
            self.base == own_origin || self.base.starts_with(&format!("{own_origin}/"));
        if self.base.is_empty() || same_origin {
            return false; // same origin: CORS cannot be the reason
        }
        let probe = format!("{}/api/v4/version", self.base);
        let try_mode = |mode: RequestMode| {
            let timer = AbortSignal::timeout_with_u32(5_000);
            let probe = probe.clone();
            async move {
                Request::get(&probe)
                    .mode(mode)
                    .abort_signal(Some(&timer))
                    .send()
                    .await
                    .is_ok()
            }
        };
        !try_mode(RequestMode::Cors).await && try_mode(RequestMode::NoCors).await
    }

    /// `POST <gitlab>/oauth/<what>` (outside `/api/v4`: `token`, `revoke`) with
    /// `form`, sent once and without the user's token; GitLab's answer decoded.
    pub async fn oauth_post<T: DeserializeOwned>(
        &self,
        what: &str,
        form: &[(&'static str, String)],
    ) -> Result<T, ApiError> {
        let timer = AbortSignal::timeout_with_u32(hooks::timeout_ms());
        let body = serde_urlencoded::to_string(form).unwrap_or_default();
        let failed = |e: gloo_net::Error| fetch_error(e, None);
        let response = Request::post(&crate::oauth::endpoint(&self.base, what))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .abort_signal(Some(&timer))
            .body(body)
            .map_err(failed)?
            .send()
            .await
            .map_err(failed)?;
        let status = response.status();
        let text = response.text().await.map_err(failed)?;
        if !(200..300).contains(&status) {
            return Err(ApiError::from_response(status, &text, None));
        }
        serde_json::from_str(&text).map_err(|e| ApiError::Decode(e.to_string()))
    }

    /// Sends `req` and decodes the JSON body.
    pub async fn json<T: DeserializeOwned>(
        &self,
        req: &ApiRequest,
        abort: Option<&AbortSignal>,
    ) -> Result<T, ApiError> {
        self.send(req, abort).await?.json()
    }

    /// Sends a list request and decodes one page of it.
    pub async fn page<T: DeserializeOwned>(
        &self,
        req: &ApiRequest,
        abort: Option<&AbortSignal>,
    ) -> Result<Page<T>, ApiError> {
        self.send(req, abort).await?.to_page(req.page_query())
    }

    /// How many records a list holds (`req` asks for one small page, as
    /// `request::count_runners` does): its `X-Total`. `None` above
    /// 10,000 (GitLab stops counting); an empty page without headers (a proxy
    /// that strips them) is 0.
    pub async fn count(
        &self,
        req: &ApiRequest,
        abort: Option<&AbortSignal>,
    ) -> Result<Option<u64>, ApiError> {
        let page = self.page::<serde::de::IgnoredAny>(req, abort).await?;
        Ok(page.total.or(page.items.is_empty().then_some(0)))
    }

    /// Sends a request whose answer has no useful body (204 on deletes).
    pub async fn empty(
        &self,
        req: &ApiRequest,
        abort: Option<&AbortSignal>,
    ) -> Result<(), ApiError> {
        self.send(req, abort).await.map(|_| ())
    }

    /// The protocol the browser last reached the API with (`h2`, `http/1.1`),
    /// from Resource Timing; `None` when it does not say (another origin that
    /// sends no `Timing-Allow-Origin`, as GitLab does not).
    pub fn protocol(&self) -> Option<String> {
        let entries = web_sys::window()?
            .performance()?
            .get_entries_by_type("resource");
        (0..entries.length()).rev().find_map(|i| {
            let entry: web_sys::PerformanceResourceTiming = entries.get(i).dyn_into().ok()?;
            entry
                .name()
                .starts_with(&self.base)
                .then(|| entry.next_hop_protocol())
                .filter(|p| !p.is_empty())
        })
    }

    /// Every page of a list, fast: the pages after the first are asked for
    /// ahead (`ReadAhead`), up to the last GitLab counted or, above 10,000
    /// records (no count), up to the first that is empty or says it is the
    /// last. As many are in flight as the protocol allows (`depth_for`); a page
    /// GitLab rate-limits even after waiting is asked again with fewer in
    /// flight. `progress(loaded, total)` after each page.
    pub async fn load_all<T: DeserializeOwned>(
        &self,
        req: &ApiRequest,
        abort: Option<&AbortSignal>,
        mut progress: impl FnMut(usize, Option<u64>),
    ) -> Result<Vec<T>, ApiError> {
        use futures::stream::{FuturesUnordered, StreamExt};
        /// Rate-limited pages asked again before the load gives up.
        const REFUSALS: u32 = 20;

        let first: Page<T> = self.page(&req.with_page(1), abort).await?;
        let total = first.total;
        let mut loaded = first.items.len();
        progress(loaded, total);
        let depth = hooks::read_ahead_depth()
            .unwrap_or_else(|| ahead::depth_for(self.protocol().as_deref()))
            .min(self.at_most.unwrap_or(usize::MAX));
        let mut plan = match first.remaining_pages() {
            Some(pages) => ReadAhead::planned(pages.last().copied().unwrap_or(1), depth),
            None => ReadAhead::after_first(first.has_next() && !first.items.is_empty(), depth),
        };
        let fetch = |p: u32| async move { (p, self.page::<T>(&req.with_page(p), abort).await) };
        let mut by_page = vec![(1, first.items)];
        let mut in_flight = FuturesUnordered::new();
        let (mut seen_limits, mut refusals) = (self.rate_limited.load(Ordering::Relaxed), 0);
        while !plan.done() {
            in_flight.extend(plan.to_ask().into_iter().map(fetch));
            let Some((p, answer)) = in_flight.next().await else {
                break;
            };
            // Any 429 on the way (waited out by `send`) means fewer at once.
            let limits = self.rate_limited.load(Ordering::Relaxed);
            if limits > seen_limits {
                seen_limits = limits;
                plan.slow_down();
            }
            match answer {
                Ok(page) => {
                    if plan.answered(p, page.items.len(), page.has_next()) {
                        loaded += page.items.len();
                        progress(loaded, total);
                        by_page.push((p, page.items));
                    }
                }
                Err(e) if e.is_rate_limited() && refusals < REFUSALS => {
                    refusals += 1;
                    plan.refused(p);
                }
                Err(e) => return Err(e),
            }
        }
        by_page.sort_by_key(|(p, _)| *p);
        Ok(by_page.into_iter().flat_map(|(_, items)| items).collect())
    }
}

fn fetch_error(error: gloo_net::Error, abort: Option<&AbortSignal>) -> ApiError {
    if abort.is_some_and(AbortSignal::aborted) {
        return ApiError::Aborted;
    }
    match error {
        gloo_net::Error::JsError(e) if e.name == "AbortError" => ApiError::Aborted,
        gloo_net::Error::JsError(e) => ApiError::Network(format!("{}: {}", e.name, e.message)),
        other => ApiError::Network(other.to_string()),
    }
}

/// Waits `ms`, or less when `abort` fires.
async fn sleep(ms: u64, abort: Option<&AbortSignal>) {
    let abort = abort.cloned();
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let ms = i32::try_from(ms).unwrap_or(i32::MAX);
        let _ = web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        if let Some(a) = &abort {
            let target: &web_sys::EventTarget = a.unchecked_ref();
            let _ = target.add_event_listener_with_callback("abort", &resolve);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// An abort signal for a request that a reactive computation makes (a
/// `LocalResource`'s fetcher): the request is aborted when the computation runs again
/// (its answer is no longer wanted) or its page goes away.
pub fn abort_on_cleanup() -> Option<AbortSignal> {
    let controller = web_sys::AbortController::new().ok()?;
    let signal = controller.signal();
    leptos::prelude::on_cleanup(move || controller.abort());
    Some(signal)
}
