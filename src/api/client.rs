//! The one place that does I/O: sends an [`ApiRequest`] with gloo-net and
//! hands back a [`RawResponse`] or an [`ApiError`]. Everything else (URLs,
//! bodies, pagination, decoding, error bodies) is pure and tested natively.

use std::fmt;

use gloo_net::http::Request;
use serde::de::DeserializeOwned;
use web_sys::AbortSignal;

use super::error::ApiError;
use super::page::{Page, PageInfo};
use super::request::{normalize_base, ApiRequest, Auth, Method};

pub use super::page::RawResponse;

/// A GitLab instance and the user's token.
#[derive(Clone, PartialEq, Eq)]
pub struct Client {
    base: String,
    token: String,
}

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
            token: token.into().trim().to_string(),
        }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// Full URL of a request (never contains a token).
    pub fn url(&self, req: &ApiRequest) -> String {
        req.url(&self.base)
    }

    /// Sends `req`. Non-2xx answers become [`ApiError::Http`]; a fetch that
    /// fails becomes [`ApiError::Network`], or [`ApiError::Aborted`] when
    /// `abort` fired. Abort with `AbortController::abort()` (no reason).
    pub async fn send(
        &self,
        req: &ApiRequest,
        abort: Option<&AbortSignal>,
    ) -> Result<RawResponse, ApiError> {
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
            .abort_signal(abort);
        if req.auth == Auth::User && !self.token.is_empty() {
            builder = builder.header("PRIVATE-TOKEN", &self.token);
        }
        let request = match req.form_body() {
            Some(body) => builder
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(body),
            None => builder.build(),
        }
        .map_err(|e| fetch_error(e, abort))?;

        let response = request.send().await.map_err(|e| fetch_error(e, abort))?;
        let status = response.status();
        let headers = response.headers();
        let page_info = PageInfo::from_headers(|name| headers.get(name));
        let text = response.text().await.map_err(|e| fetch_error(e, abort))?;
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

    /// Sends a request whose answer has no useful body (204 on deletes).
    pub async fn empty(
        &self,
        req: &ApiRequest,
        abort: Option<&AbortSignal>,
    ) -> Result<(), ApiError> {
        self.send(req, abort).await.map(|_| ())
    }

    /// Every page of a list, fast: when GitLab counts the pages, all after the first
    /// are fetched `concurrency` at a time; above 10,000 records (no count) the next
    /// page is followed one by one. `progress(loaded, total)` after each page.
    pub async fn load_all<T: DeserializeOwned>(
        &self,
        req: &ApiRequest,
        abort: Option<&AbortSignal>,
        concurrency: usize,
        mut progress: impl FnMut(usize, Option<u64>),
    ) -> Result<Vec<T>, ApiError> {
        use futures::stream::{self, StreamExt, TryStreamExt};

        let first: Page<T> = self.page(&req.with_page(1), abort).await?;
        let total = first.total;
        let mut loaded = first.items.len();
        progress(loaded, total);
        match first.remaining_pages() {
            Some(pages) => {
                let mut by_page = vec![(1, first.items)];
                let mut fetched = stream::iter(pages)
                    .map(|p| async move {
                        self.page::<T>(&req.with_page(p), abort)
                            .await
                            .map(|pg| (p, pg.items))
                    })
                    .buffer_unordered(concurrency.max(1));
                while let Some((p, items)) = fetched.try_next().await? {
                    loaded += items.len();
                    progress(loaded, total);
                    by_page.push((p, items));
                }
                by_page.sort_by_key(|(p, _)| *p);
                Ok(by_page.into_iter().flat_map(|(_, items)| items).collect())
            }
            None => {
                let mut items = first.items;
                let mut next = first.next_page.filter(|n| *n > 1 && !items.is_empty());
                while let Some(page_no) = next {
                    let page: Page<T> = self.page(&req.with_page(page_no), abort).await?;
                    next = page
                        .next_page
                        .filter(|n| *n > page_no && !page.items.is_empty());
                    items.extend(page.items);
                    progress(items.len(), total);
                }
                Ok(items)
            }
        }
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
