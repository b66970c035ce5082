//! `/oauth/authorize`, `/oauth/token` and `/oauth/revoke`, answered as GitLab's
//! Doorkeeper answers them (the rules are in `crate::oauth`). The consent page
//! stands in for GitLab's sign-in: a "Sign in as" list of the world's users.

use axum::extract::State;
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use html_escape::encode_safe as esc;
use serde_json::{json, Value};
use time::OffsetDateTime;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::context::{AppState, Ctx};
use crate::model::User;
use crate::oauth::{AuthorizeParams, OAuth, OAuthError, PreAuth, TokenParams, SCOPES};

pub fn router() -> Router<AppState> {
    Router::new()
        // A top-level navigation and a form post: no CORS, as in GitLab.
        .route(
            "/oauth/authorize",
            get(consent_page).post(decide).delete(decide),
        )
        .merge(
            Router::new()
                .route("/oauth/token", post(token))
                .route("/oauth/revoke", post(revoke))
                .layer(cors()),
        )
}

/// GitLab's rack-cors rule for `/oauth/token` and `/oauth/revoke`
/// (`config/application.rb`): any origin, no credentials, POST (and the
/// preflight), and only these request headers besides the CORS-safelisted
/// ones. rack-cors' default max age is 7200.
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::any())
        .allow_methods([Method::POST, Method::OPTIONS])
        .allow_headers([
            header::AUTHORIZATION,
            HeaderName::from_static("x-csrf-token"),
            HeaderName::from_static("x-requested-with"),
        ])
        .max_age(std::time::Duration::from_secs(7200))
}

/// A parameter as Rails' `blank?` reads it: missing, empty or spaces are absent.
fn text(ctx: &Ctx, key: &str) -> Option<String> {
    let value = match ctx.params.raw(key)? {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!value.trim().is_empty()).then_some(value)
}

fn authorize_params(ctx: &Ctx) -> AuthorizeParams {
    AuthorizeParams {
        client_id: text(ctx, "client_id"),
        redirect_uri: text(ctx, "redirect_uri"),
        response_type: text(ctx, "response_type"),
        state: text(ctx, "state"),
        scope: text(ctx, "scope"),
        code_challenge: text(ctx, "code_challenge"),
        code_challenge_method: text(ctx, "code_challenge_method"),
    }
}

/// The client's id and secret as Doorkeeper's default `client_credentials
/// :from_basic, :from_params` reads them: HTTP Basic (`id:secret`, not
/// URL-decoded) when it names a client, else the parameters.
fn client_credentials(ctx: &Ctx) -> (Option<String>, Option<String>) {
    let basic = ctx
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| {
            base64::engine::general_purpose::STANDARD
                .decode(b.trim())
                .ok()
        })
        .and_then(|raw| String::from_utf8(raw).ok());
    let present = |s: &str| (!s.trim().is_empty()).then(|| s.to_string());
    if let Some(basic) = basic {
        let (id, secret) = basic.split_once(':').unwrap_or((&basic, ""));
        if let Some(id) = present(id) {
            return (Some(id), present(secret));
        }
    }
    (text(ctx, "client_id"), text(ctx, "client_secret"))
}

/// `GET /oauth/authorize`: the consent page, or Doorkeeper's error page (GitLab
/// renders it with status 200 and never redirects from here).
async fn consent_page(State(state): State<AppState>, ctx: Ctx) -> Response {
    let world = state.read();
    match world.oauth.pre_authorize(&authorize_params(&ctx)) {
        Ok(pre) => page(StatusCode::OK, &consent(&pre, &world.users)),
        Err(e) => page(StatusCode::OK, &error_page(&e.description)),
    }
}

/// The consent form's answer: `POST` (Doorkeeper's `create`) approves unless
/// the Deny button was pressed; `DELETE`, or a `_method=delete` form as Rails
/// sends it, denies.
async fn decide(State(state): State<AppState>, ctx: Ctx) -> Response {
    let params = authorize_params(&ctx);
    let deny = ctx.method == Method::DELETE
        || text(&ctx, "_method").is_some_and(|m| m.eq_ignore_ascii_case("delete"))
        || text(&ctx, "decision").as_deref() == Some("deny");
    let mut world = state.write();
    let pre = match world.oauth.pre_authorize(&params) {
        Ok(pre) => pre,
        Err(e) => return refused(&e, &params),
    };
    if deny {
        let url = OAuth::error_redirect(
            &pre.redirect_uri,
            &OAuthError::access_denied(),
            pre.state.as_deref(),
        );
        return found(&url);
    }
    let chosen = text(&ctx, "user");
    let Some(user_id) = world
        .users
        .iter()
        .find(|u| Some(&u.username) == chosen.as_ref())
        .map(|u| u.id)
    else {
        // GitLab has a signed-in user here; the sandbox needs one chosen.
        return page(
            StatusCode::BAD_REQUEST,
            &error_page("Choose a user to sign in as."),
        );
    };
    let url = world
        .oauth
        .approve(&pre, user_id, OffsetDateTime::now_utc());
    found(&url)
}

/// Doorkeeper's `redirect_or_render` of a refused form: back to the client
/// with the error when it may be, else the error as JSON.
fn refused(e: &OAuthError, params: &AuthorizeParams) -> Response {
    match params.redirect_uri.as_deref() {
        Some(uri) if e.redirectable() => {
            found(&OAuth::error_redirect(uri, e, params.state.as_deref()))
        }
        _ => {
            let mut body = json!({"error": e.error, "error_description": e.description});
            if let Some(state) = &params.state {
                body["state"] = json!(state);
            }
            json_answer(e.status(), body, &[])
        }
    }
}

/// Rails' `redirect_to`: 302 with `Location`.
fn found(url: &str) -> Response {
    match HeaderValue::from_str(url) {
        Ok(location) => (StatusCode::FOUND, [(header::LOCATION, location)]).into_response(),
        Err(_) => page(
            StatusCode::BAD_REQUEST,
            &error_page("The redirect URI cannot be sent as a header."),
        ),
    }
}

fn json_answer(status: u16, body: Value, extra: &[(HeaderName, String)]) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut res = (status, Json(body)).into_response();
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    for (name, value) in extra {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name.clone(), value);
        }
    }
    res
}

/// `POST /oauth/token`: the authorization code and refresh grants.
async fn token(State(state): State<AppState>, ctx: Ctx) -> Response {
    let (client_id, client_secret) = client_credentials(&ctx);
    let params = TokenParams {
        grant_type: text(&ctx, "grant_type"),
        client_id,
        client_secret,
        code: text(&ctx, "code"),
        redirect_uri: text(&ctx, "redirect_uri"),
        code_verifier: text(&ctx, "code_verifier"),
        refresh_token: text(&ctx, "refresh_token"),
        scope: text(&ctx, "scope"),
    };
    let issued = state
        .write()
        .oauth
        .token(&params, OffsetDateTime::now_utc());
    match issued {
        Ok(t) => json_answer(
            200,
            t.response_body(),
            &[
                (header::CACHE_CONTROL, "no-store, no-cache".into()),
                (header::PRAGMA, "no-cache".into()),
            ],
        ),
        Err(e) => json_answer(
            e.status(),
            json!({"error": e.error, "error_description": e.description}),
            &[
                (header::CACHE_CONTROL, "no-store, no-cache".into()),
                (header::WWW_AUTHENTICATE, e.www_authenticate()),
            ],
        ),
    }
}

/// `POST /oauth/revoke` (RFC 7009): 200 `{}`, revoked or unknown alike.
async fn revoke(State(state): State<AppState>, ctx: Ctx) -> Response {
    state.write().oauth.revoke(
        text(&ctx, "token").as_deref(),
        text(&ctx, "token_type_hint").as_deref(),
    );
    json_answer(200, json!({}), &[])
}

fn page(status: StatusCode, html: &str) -> Response {
    let mut res = (status, axum::response::Html(html.to_string())).into_response();
    let headers = res.headers_mut();
    // The page carries the request's state: neither cached nor framed elsewhere.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("frame-ancestors 'self'"),
    );
    res
}

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#fafafa;color:#1f1e24}\
main{max-width:36rem;margin:3rem auto;padding:2rem;background:#fff;border:1px solid #dcdcde;border-radius:8px}\
h1{font-size:1.5rem;margin-top:0}label{display:block;font-weight:600;margin:1.5rem 0 .25rem}\
select{font:inherit;padding:.4rem;min-width:100%}.buttons{margin-top:1.5rem;display:flex;gap:.75rem}\
button{font:inherit;padding:.5rem 1.25rem;border-radius:4px;border:1px solid #89888d;background:#fff;cursor:pointer}\
button[value=authorize]{background:#1f75cb;border-color:#1f75cb;color:#fff}pre{white-space:pre-wrap}";

fn document(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{} · GitLab sandbox</title><style>{STYLE}</style></head>\
<body><main>{body}</main></body></html>\n",
        esc(title)
    )
}

/// Doorkeeper's error page, as GitLab's `doorkeeper/authorizations/error` shows it.
fn error_page(description: &str) -> String {
    document(
        "An error has occurred",
        &format!(
            "<h1>An error has occurred</h1><pre>{}</pre>",
            esc(description)
        ),
    )
}

/// The consent page: what the application asks, who signs in, and the two buttons.
fn consent(pre: &PreAuth, users: &[User]) -> String {
    let name = esc(&pre.app_name);
    let scopes: String = pre
        .scopes()
        .map(|s| {
            let description = SCOPES
                .iter()
                .find(|(known, _)| *known == s)
                .map_or("", |(_, d)| d);
            format!("<li><strong>{}</strong>: {}</li>", esc(s), esc(description))
        })
        .collect();
    let hidden: String = [
        ("client_id", Some(pre.client_id.as_str())),
        ("redirect_uri", Some(pre.redirect_uri.as_str())),
        ("state", pre.state.as_deref()),
        ("response_type", Some(pre.response_type.as_str())),
        ("scope", Some(pre.scope.as_str())),
        ("code_challenge", Some(pre.code_challenge.as_str())),
        (
            "code_challenge_method",
            Some(pre.code_challenge_method.as_str()),
        ),
    ]
    .iter()
    .map(|(field, value)| {
        format!(
            "<input type=\"hidden\" name=\"{field}\" value=\"{}\">",
            esc(value.unwrap_or(""))
        )
    })
    .collect();
    let options: String = users
        .iter()
        .map(|u| {
            format!(
                "<option value=\"{}\">{} (@{})</option>",
                esc(&u.username),
                esc(&u.name),
                esc(&u.username)
            )
        })
        .collect();
    let host = pre
        .redirect_uri
        .parse::<axum::http::Uri>()
        .ok()
        .and_then(|u| u.host().map(str::to_string))
        .map(|h| {
            format!(
                "<p>You will be redirected to <strong>{}</strong> after authorizing.</p>",
                esc(&h)
            )
        })
        .unwrap_or_default();
    document(
        &format!("Authorize {}", pre.app_name),
        &format!(
            "<h1>Authorize {name} to use your account?</h1>\
<p>An application called <strong>{name}</strong> is requesting access to your GitLab account. \
This application will be able to:</p><ul>{scopes}</ul>{host}\
<p>Make sure you trust <strong>{name}</strong> before authorizing.</p>\
<form method=\"post\" action=\"/oauth/authorize\">{hidden}\
<label for=\"oauth-sign-in-as\">Sign in as</label>\
<select id=\"oauth-sign-in-as\" name=\"user\">{options}</select>\
<div class=\"buttons\"><button type=\"submit\" name=\"decision\" value=\"authorize\">Authorize</button>\
<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></div></form>"
        ),
    )
}
