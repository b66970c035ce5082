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

/// `GET /api/v4/runners/3/managers?…`, one line per request; only the newest
/// `RequestLog::KEEP` are kept so a long bench run stays small.
#[derive(Clone, Default)]
pub struct RequestLog(Arc<std::sync::Mutex<std::collections::VecDeque<String>>>);

impl RequestLog {
    pub const KEEP: usize = 20_000;

    pub fn record(&self, method: &Method, path_and_query: &str) {
        let mut log = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if log.len() == Self::KEEP {
            log.pop_front();
        }
        log.push_back(format!("{method} {path_and_query}"));
    }

    pub fn lines(&self) -> Vec<String> {
        let log = self.0.lock().unwrap_or_else(|e| e.into_inner());
        log.iter().cloned().collect()
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

pub struct Ctx {
    pub method: Method,
    pub headers: HeaderMap,
    pub path: String,
    pub query: Option<String>,
    pub params: Params,
    /// `http://host`, for `web_url`s and `Link` headers.
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
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost")
            .to_string();
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
            base_url: format!("http://{host}"),
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

    /// `authenticate`, on an endpoint that also takes the scope `allow`.
    pub fn authenticate_for<'w>(&self, world: &'w World, allow: Allow) -> ApiResult<&'w User> {
        let (user, scope) = self
            .user_token()
            .and_then(|t| world.token_owner(&t))
            .ok_or_else(ApiError::unauthorized)?;
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
