//! What every handler gets: the shared state, and the request read the way Grape
//! reads it (parameters merged, caller identified by token).

use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use axum::extract::{FromRequest, Multipart, OriginalUri, Request};
use axum::http::{header, HeaderMap, Method};
use serde_json::Value;

use crate::error::{ApiError, ApiResult};
use crate::model::{TokenScope, User, World};
use crate::params::Params;

#[derive(Clone)]
pub struct AppState {
    pub world: Arc<RwLock<World>>,
    /// Answer `PUT /runners/:id` like GitLab before 14.8, which does not know `paused`.
    pub legacy_pause: bool,
    /// Requests to fail on purpose; see `faults.rs`.
    pub faults: crate::faults::Faults,
    /// The API requests answered, oldest first, so tests can prove what a
    /// client did not ask (a route its GitLab version lacks).
    pub requests: RequestLog,
}

/// `GET /api/v4/runners/3/managers?…`, one line per request, with when it began
/// and ended (in ticks of one counter), so tests can prove what a client did
/// not ask, or how many of its requests were answered at once. Only the newest
/// `RequestLog::KEEP` are kept, so a long bench run stays small.
#[derive(Clone, Default)]
pub struct RequestLog {
    spans: Arc<std::sync::Mutex<std::collections::VecDeque<Span>>>,
    ticks: Arc<std::sync::atomic::AtomicU64>,
}

struct Span {
    line: String,
    start: u64,
    end: Option<u64>,
}

/// One request being answered; dropping it ends its span.
pub struct InFlight {
    log: RequestLog,
    start: u64,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let end = self.log.tick();
        let mut spans = self.log.lock();
        // Spans are in start order; one pushed out of the log is not found.
        if let Ok(i) = spans.binary_search_by_key(&self.start, |s| s.start) {
            spans[i].end = Some(end);
        }
    }
}

impl RequestLog {
    pub const KEEP: usize = 20_000;

    fn tick(&self) -> u64 {
        self.ticks.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, std::collections::VecDeque<Span>> {
        self.spans.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records a request; it is being answered until the guard goes.
    pub fn record(&self, method: &Method, path_and_query: &str) -> InFlight {
        let mut spans = self.lock();
        // The tick is taken under the lock, so spans stay in start order.
        let start = self.tick();
        if spans.len() == Self::KEEP {
            spans.pop_front();
        }
        spans.push_back(Span {
            line: format!("{method} {path_and_query}"),
            start,
            end: None,
        });
        InFlight {
            log: self.clone(),
            start,
        }
    }

    pub fn lines(&self) -> Vec<String> {
        self.lock().iter().map(|s| s.line.clone()).collect()
    }

    /// The most requests whose line contains `needle` that were being answered
    /// at the same time.
    pub fn most_at_once(&self, needle: &str) -> usize {
        let mut events: Vec<(u64, i32)> = vec![];
        for s in self.lock().iter().filter(|s| s.line.contains(needle)) {
            events.push((s.start, 1));
            events.push((s.end.unwrap_or(u64::MAX), -1));
        }
        events.sort_unstable();
        let (mut now, mut most) = (0i32, 0i32);
        for (_, change) in events {
            now += change;
            most = most.max(now);
        }
        most as usize
    }
}

impl AppState {
    pub fn read(&self) -> RwLockReadGuard<'_, World> {
        self.world.read().unwrap_or_else(|e| e.into_inner())
    }

    pub fn write(&self) -> RwLockWriteGuard<'_, World> {
        self.world.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// On every request that came over TLS (`Config::tls`), so links say `https://`:
/// HTTP/1.1 requests carry no scheme of their own.
#[derive(Clone, Copy, Debug)]
pub(crate) struct OverTls;

pub struct Ctx {
    pub method: Method,
    pub headers: HeaderMap,
    pub path: String,
    pub query: Option<String>,
    pub params: Params,
    /// `http://host` (`https://` over TLS), for `web_url`s and `Link` headers.
    pub base_url: String,
}

const MAX_BODY: usize = 4 << 20;

impl<S: Send + Sync> FromRequest<S> for Ctx {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let method = req.method().clone();
        let headers = req.headers().clone();
        // Nesting under /api/v4 strips the prefix from `uri()`; links need the full path.
        let uri = req
            .extensions()
            .get::<OriginalUri>()
            .map(|o| o.0.clone())
            .unwrap_or_else(|| req.uri().clone());
        let path = uri.path().to_string();
        let query = uri.query().map(str::to_string);
        // HTTP/1.1 names the host in `Host`; HTTP/2 in `:authority`, which hyper
        // puts in the URI.
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(str::to_string)
            .or_else(|| uri.authority().map(|a| a.to_string()))
            .unwrap_or_else(|| "localhost".into());
        let scheme = match req.extensions().get::<OverTls>() {
            Some(_) => "https",
            None => "http",
        };
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();

        let mut params = Params::default();
        if let Some(q) = &query {
            params.add_urlencoded(q.as_bytes());
        }
        let unreadable = || ApiError::invalid("message body does not match declared format");
        if content_type.starts_with("multipart/form-data") {
            let mut form = Multipart::from_request(req, state)
                .await
                .map_err(|_| unreadable())?;
            while let Some(field) = form.next_field().await.map_err(|_| unreadable())? {
                let name = field.name().unwrap_or_default().to_string();
                let text = field.text().await.map_err(|_| unreadable())?;
                params.insert_pair(&name, Value::String(text));
            }
        } else {
            let body = axum::body::to_bytes(req.into_body(), MAX_BODY)
                .await
                .map_err(|_| unreadable())?;
            if content_type.starts_with("application/json") {
                params.add_json(&body)?;
            } else {
                params.add_urlencoded(&body);
            }
        }
        Ok(Ctx {
            method,
            headers,
            path,
            query,
            params,
            base_url: format!("{scheme}://{host}"),
        })
    }
}

impl Ctx {
    /// `PRIVATE-TOKEN`, `Authorization: Bearer`, or the deprecated `private_token` query.
    fn user_token(&self) -> Option<String> {
        let header = |name: &str| {
            self.headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        header("private-token")
            .or_else(|| {
                header("authorization")
                    .and_then(|a| a.strip_prefix("Bearer ").map(|t| t.trim().to_string()))
            })
            .or_else(|| {
                let q = self.query.as_deref()?;
                form_urlencoded::parse(q.as_bytes())
                    .find(|(k, _)| k == "private_token" || k == "access_token")
                    .map(|(_, v)| v.into_owned())
            })
    }

    /// The signed-in user, or GitLab's 401; a `read_api` token may only read, and
    /// the runner scopes work only where `allow_access_with_scope` lets them.
    pub fn authenticate<'w>(&self, world: &'w World) -> ApiResult<&'w User> {
        self.authenticate_for(world, Allow::Api)
    }

    /// An OAuth access token, where Doorkeeper's `access_token_methods` (as
    /// GitLab sets them) look: `Authorization: Bearer`, or the `access_token`
    /// or `bearer_token` query parameter. Not `PRIVATE-TOKEN`.
    fn oauth_token(&self) -> Option<String> {
        self.headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|a| a.strip_prefix("Bearer "))
            .map(|t| t.trim().to_string())
            .or_else(|| {
                let q = self.query.as_deref()?;
                form_urlencoded::parse(q.as_bytes())
                    .find(|(k, _)| k == "access_token" || k == "bearer_token")
                    .map(|(_, v)| v.into_owned())
            })
            .filter(|t| !t.is_empty())
    }

    /// The user and scope of an OAuth access token, looked up before personal
    /// tokens as GitLab's `AuthFinders#access_token` does; an expired or
    /// revoked one is refused with GitLab's OAuth answer. `None` when the
    /// request carries no OAuth token.
    fn oauth_owner<'w>(&self, world: &'w World) -> ApiResult<Option<(&'w User, TokenScope)>> {
        let Some(token) = self.oauth_token() else {
            return Ok(None);
        };
        match world.oauth.bearer(&token, time::OffsetDateTime::now_utc()) {
            None => Ok(None),
            Some(Err(why)) => Err(ApiError::oauth_refused(why)),
            Some(Ok((user_id, scope))) => Ok(world
                .users
                .iter()
                .find(|u| u.id == user_id)
                .map(|u| (u, scope))),
        }
    }

    /// `authenticate`, on an endpoint that also takes the scope `allow`.
    pub fn authenticate_for<'w>(&self, world: &'w World, allow: Allow) -> ApiResult<&'w User> {
        let (user, scope) = match self.oauth_owner(world)? {
            Some(found) => found,
            None => self
                .user_token()
                .and_then(|t| world.token_owner(&t))
                .ok_or_else(ApiError::unauthorized)?,
        };
        let v = world.gitlab_version;
        let reads = self.method == Method::GET || self.method == Method::HEAD;
        let ok = match scope {
            TokenScope::Api => true,
            TokenScope::ReadApi => reads,
            // A scope the version does not have: no such token can exist there.
            TokenScope::CreateRunner if !v.has_create_runner_scope() => {
                return Err(ApiError::unauthorized())
            }
            TokenScope::ManageRunner if !v.has_manage_runner_scope() => {
                return Err(ApiError::unauthorized())
            }
            // `allow_access_with_scope :create_runner, if: request.post?`
            TokenScope::CreateRunner => allow == Allow::CreateRunner && self.method == Method::POST,
            // `allow_access_with_scope :manage_runner` on `/runners/:id...`
            TokenScope::ManageRunner => allow == Allow::ManageRunner,
        };
        if ok {
            Ok(user)
        } else {
            Err(ApiError::insufficient_scope())
        }
    }
}

/// Which token scope an endpoint takes besides `api` (and `read_api` for reads).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Allow {
    Api,
    /// `POST /user/runners`.
    CreateRunner,
    /// `/runners/:id` and its sub-routes.
    ManageRunner,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_counts_what_was_answered_at_once() {
        let log = RequestLog::default();
        let a = log.record(&Method::GET, "/api/v4/runners/all?page=2");
        let b = log.record(&Method::GET, "/api/v4/runners/all?page=3");
        let other = log.record(&Method::GET, "/api/v4/version");
        drop(a);
        let c = log.record(&Method::GET, "/api/v4/runners/all?page=4");
        drop((b, c, other));
        let d = log.record(&Method::GET, "/api/v4/runners/all?page=5");
        drop(d);
        assert_eq!(log.most_at_once("/runners/all"), 2);
        assert_eq!(log.most_at_once("/api/v4/"), 3);
        assert_eq!(log.most_at_once("/projects"), 0);
        assert_eq!(log.lines().len(), 5);
        assert_eq!(log.lines()[1], "GET /api/v4/runners/all?page=3");
    }
}
