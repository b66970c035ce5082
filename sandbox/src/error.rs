//! GitLab's error answers, with their exact bodies.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: Value,
    /// Sent as `WWW-Authenticate` (GitLab's OAuth bearer-token refusals).
    pub www_authenticate: Option<String>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    fn new(status: StatusCode, body: Value) -> Self {
        Self {
            status,
            body,
            www_authenticate: None,
        }
    }

    /// An OAuth access token refused on the API, as `API::APIGuard`'s
    /// `oauth2_bearer_token_error_handler` answers (through rack-oauth2, whose
    /// default realm GitLab does not replace).
    pub fn oauth_refused(why: crate::oauth::Refused) -> Self {
        let description = match why {
            crate::oauth::Refused::Expired => {
                "Token is expired. You can either do re-authorization or token refresh."
            }
            crate::oauth::Refused::Revoked => {
                "Token was revoked. You have to re-authorize from the user."
            }
        };
        Self {
            www_authenticate: Some(format!(
                "Bearer realm=\"Protected by OAuth 2.0\", error=\"invalid_token\", error_description=\"{description}\""
            )),
            ..Self::new(
                StatusCode::UNAUTHORIZED,
                json!({"error": "invalid_token", "error_description": description}),
            )
        }
    }

    /// Grape parameter validation: `{"error": "..."}`.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, json!({ "error": message.into() }))
    }

    /// `render_validation_error!`: model errors as a field map.
    pub fn validation(fields: Vec<(&str, String)>) -> Self {
        let mut map = serde_json::Map::new();
        for (field, message) in fields {
            map.entry(field)
                .or_insert_with(|| Value::Array(vec![]))
                .as_array_mut()
                .expect("array")
                .push(Value::String(message));
        }
        Self::new(StatusCode::BAD_REQUEST, json!({ "message": map }))
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            json!({"message": "401 Unauthorized"}),
        )
    }

    pub fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, json!({"message": "403 Forbidden"}))
    }

    pub fn forbidden_because(reason: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            json!({ "message": format!("403 Forbidden - {reason}") }),
        )
    }

    pub fn insufficient_scope() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            json!({
                "error": "insufficient_scope",
                "error_description": "The request requires higher privileges than provided by the access token.",
                "scope": "api",
            }),
        )
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            json!({ "message": format!("404 {what} Not Found") }),
        )
    }

    /// Grape's answer for a path no route matches.
    pub fn no_route() -> Self {
        Self::new(StatusCode::NOT_FOUND, json!({"error": "404 Not Found"}))
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            json!({"error": "405 Not Allowed"}),
        )
    }

    /// `bad_request!(reason)`.
    pub fn bad_request(reason: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            json!({ "message": format!("400 Bad request - {reason}") }),
        )
    }

    /// `render_api_error_with_reason!(410, '410 Gone', reason)`.
    pub fn gone(reason: &str) -> Self {
        Self::new(
            StatusCode::GONE,
            json!({ "message": format!("410 Gone - {reason}") }),
        )
    }

    /// `error!('Keyset pagination is not yet available for this type of request', 405)`.
    pub fn keyset_unavailable() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            json!({"message": "Keyset pagination is not yet available for this type of request"}),
        )
    }

    pub fn conflict(message: &str) -> Self {
        Self::new(StatusCode::CONFLICT, json!({ "message": message }))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = (self.status, axum::Json(self.body)).into_response();
        if let Some(value) = self
            .www_authenticate
            .and_then(|v| axum::http::HeaderValue::from_str(&v).ok())
        {
            res.headers_mut()
                .insert(axum::http::header::WWW_AUTHENTICATE, value);
        }
        res
    }
}
