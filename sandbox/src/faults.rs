//! Fault injection for tests: rules that make chosen requests fail (a status with
//! any body and headers, a delay, a dropped connection) or pass with headers
//! removed. One middleware layer outside everything else, so the normal routes
//! know nothing of it. Rules come from `Config::faults` (`--faults FILE`), from
//! `POST /__sandbox/faults`, or from `Running::state.faults` in-process.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

/// What a matching request gets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer with `status`, `body`, `content_type` and `headers` (the route never runs).
    #[default]
    Respond,
    /// Run the route as usual, then remove `strip_headers` (and CORS headers when `cors` is false).
    Pass,
    /// Close the connection without answering.
    Drop,
}

/// One rule. Only `path` is required:
/// `{"path": "/api/v4/user", "status": 200, "body": "<html>", "content_type": "text/html"}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultRule {
    /// `GET`, `PUT`, ...; none matches every method except the CORS preflight
    /// (`OPTIONS` only when named), so a fault does not break the preflight.
    pub method: Option<String>,
    /// The request path (`/api/v4/runners/3`). With `*` it is a glob (`*` is any
    /// text, `/` included); without, it matches that path and everything below it.
    pub path: String,
    pub kind: FaultKind,
    /// For `respond`; default 500.
    pub status: Option<u16>,
    /// Sent as is, so malformed JSON or an HTML page are possible.
    pub body: Option<String>,
    /// For `respond`; default `application/json` when a body is given.
    pub content_type: Option<String>,
    /// Added to the answer (`Retry-After`, ...).
    pub headers: BTreeMap<String, String>,
    /// Removed from the answer of a `pass` rule (`X-Total`, ...).
    pub strip_headers: Vec<String>,
    /// Whether the answer keeps GitLab's CORS headers (default true); false
    /// makes a browser on another origin refuse it.
    pub cors: Option<bool>,
    /// Waits this long before acting.
    pub delay_ms: u64,
    /// How many matching requests the rule catches before it is spent; none = all.
    pub times: Option<u32>,
}

impl FaultRule {
    pub fn matches(&self, method: &Method, path: &str) -> bool {
        let method_ok = match &self.method {
            Some(m) => m.eq_ignore_ascii_case(method.as_str()),
            None => method != Method::OPTIONS,
        };
        method_ok && path_matches(&self.path, path)
    }
}

/// `*` globs anything; a plain pattern matches itself and the paths below it.
pub fn path_matches(pattern: &str, path: &str) -> bool {
    if pattern.contains('*') {
        return glob(pattern.as_bytes(), path.as_bytes());
    }
    let pattern = pattern.trim_end_matches('/');
    match path.strip_prefix(pattern) {
        Some(rest) => rest.is_empty() || rest.starts_with('/') || pattern.is_empty(),
        None => false,
    }
}

fn glob(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|i| glob(rest, &text[i..])),
        Some((c, rest)) => text.first() == Some(c) && glob(rest, &text[1..]),
    }
}

/// The live rules, shared by the middleware, the control endpoint and tests.
#[derive(Clone, Debug, Default)]
pub struct Faults(Arc<Mutex<Vec<FaultRule>>>);

impl Faults {
    pub fn new(rules: Vec<FaultRule>) -> Faults {
        Faults(Arc::new(Mutex::new(rules)))
    }

    pub fn push(&self, rule: FaultRule) {
        self.lock().push(rule);
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    /// The rules not yet spent.
    pub fn rules(&self) -> Vec<FaultRule> {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<FaultRule>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The first rule matching the request, counting it; spent rules are removed.
    pub fn take(&self, method: &Method, path: &str) -> Option<FaultRule> {
        let mut rules = self.lock();
        let i = rules.iter().position(|r| r.matches(method, path))?;
        let rule = rules[i].clone();
        match &mut rules[i].times {
            Some(1) | Some(0) => {
                rules.remove(i);
            }
            Some(n) => *n -= 1,
            None => {}
        }
        Some(rule)
    }
}

/// Reads a `--faults` file: a JSON list of rules.
pub fn load(path: &std::path::Path) -> Result<Vec<FaultRule>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The middleware: outermost, so it can also undo what the CORS layer adds.
pub async fn inject(State(faults): State<Faults>, req: Request, next: Next) -> Response {
    // The control endpoint itself never fails, so a test can always clear the rules.
    let path = req.uri().path();
    let rule = if path.starts_with("/__sandbox/") {
        None
    } else {
        faults.take(req.method(), path)
    };
    let Some(rule) = rule else {
        return next.run(req).await;
    };
    if rule.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(rule.delay_ms)).await;
    }
    match rule.kind {
        FaultKind::Drop => dropped(),
        FaultKind::Pass => {
            let mut res = next.run(req).await;
            let headers = res.headers_mut();
            for name in &rule.strip_headers {
                headers.remove(name.as_str());
            }
            if rule.cors == Some(false) {
                strip_cors(headers);
            }
            add_headers(&mut res, &rule.headers);
            res
        }
        FaultKind::Respond => {
            let status = StatusCode::from_u16(rule.status.unwrap_or(500))
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut res = (status, rule.body.clone().unwrap_or_default()).into_response();
            let content_type = rule
                .content_type
                .clone()
                .or_else(|| rule.body.as_ref().map(|_| "application/json".to_string()));
            let headers = res.headers_mut();
            headers.remove(header::CONTENT_TYPE);
            if let Some(ct) = content_type.and_then(|c| HeaderValue::from_str(&c).ok()) {
                headers.insert(header::CONTENT_TYPE, ct);
            }
            // A made-up answer carries GitLab's CORS headers like a real one.
            if rule.cors != Some(false) && req.uri().path().starts_with("/api/") {
                headers.insert(
                    header::ACCESS_CONTROL_ALLOW_ORIGIN,
                    HeaderValue::from_static("*"),
                );
                if let Ok(v) = HeaderValue::from_str(&crate::EXPOSED_HEADERS.join(",")) {
                    headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, v);
                }
            }
            add_headers(&mut res, &rule.headers);
            res
        }
    }
}

fn add_headers(res: &mut Response, extra: &BTreeMap<String, String>) {
    for (name, value) in extra {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            res.headers_mut().insert(n, v);
        }
    }
}

fn strip_cors(headers: &mut axum::http::HeaderMap) {
    let names: Vec<HeaderName> = headers
        .keys()
        .filter(|n| n.as_str().starts_with("access-control-"))
        .cloned()
        .collect();
    for n in names {
        headers.remove(n);
    }
}

/// A body that fails before its first byte: hyper then closes the connection
/// without having written the status line (over HTTP/2, with `--tls`, it resets
/// the stream before its headers go out), so the client sees no answer at all.
fn dropped() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<axum::body::Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "fault: connection dropped",
        ))
    });
    Response::new(Body::from_stream(failing))
}

/// `POST` one rule or a list, `DELETE` all, `GET` the rules not yet spent.
pub fn control() -> Router<Faults> {
    Router::new().route("/__sandbox/faults", get(list).post(add).delete(clear_all))
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(Box<FaultRule>),
    Many(Vec<FaultRule>),
}

async fn add(State(faults): State<Faults>, Json(rules): Json<OneOrMany>) -> impl IntoResponse {
    let rules = match rules {
        OneOrMany::One(r) => vec![*r],
        OneOrMany::Many(rs) => rs,
    };
    let added = rules.len();
    for r in rules {
        faults.push(r);
    }
    (
        StatusCode::CREATED,
        Json(serde_json::json!({ "added": added })),
    )
}

async fn list(State(faults): State<Faults>) -> Json<Vec<FaultRule>> {
    Json(faults.rules())
}

async fn clear_all(State(faults): State<Faults>) -> StatusCode {
    faults.clear();
    StatusCode::NO_CONTENT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_as_prefix_at_segment_boundaries_or_as_glob() {
        assert!(path_matches("/api/v4/runners/3", "/api/v4/runners/3"));
        assert!(path_matches("/api/v4/runners/3", "/api/v4/runners/3/jobs"));
        assert!(!path_matches("/api/v4/runners/3", "/api/v4/runners/30"));
        assert!(path_matches("/api/v4/runners/", "/api/v4/runners/30"));
        assert!(path_matches(
            "/api/v4/runners/*/jobs",
            "/api/v4/runners/7/jobs"
        ));
        assert!(!path_matches("/api/v4/runners/*/jobs", "/api/v4/runners/7"));
        assert!(path_matches("*", "/anything"));
    }

    #[test]
    fn rules_are_spent_after_times_and_skip_preflight() {
        let f = Faults::new(vec![FaultRule {
            path: "/api/v4/user".into(),
            times: Some(2),
            ..Default::default()
        }]);
        assert!(f.take(&Method::OPTIONS, "/api/v4/user").is_none());
        assert!(f.take(&Method::GET, "/api/v4/user").is_some());
        assert!(f.take(&Method::GET, "/api/v4/user").is_some());
        assert!(f.take(&Method::GET, "/api/v4/user").is_none());
        assert!(f.rules().is_empty());
    }
}
