//! OAuth 2 for a browser app, as GitLab (Doorkeeper) answers it: the consent
//! page, the authorization code with PKCE, refresh, revocation, expiry, scopes
//! on the API, and CORS on the token endpoints.

mod common;

use std::time::Duration;

use common::*;
use gitlab_sandbox::{Config, OAuthApp};
use reqwest::redirect::Policy;
use serde_json::Value;

const APP: &str = "runner-console-demo";
const CALLBACK: &str = "http://127.0.0.1:8080/oauth/callback";
/// RFC 7636, appendix B.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const INVALID_GRANT: &str = r#"{"error":"invalid_grant","error_description":"The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."}"#;
const INVALID_CLIENT: &str = r#"{"error":"invalid_client","error_description":"Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method."}"#;
const EXPIRED: &str = r#"{"error":"invalid_token","error_description":"Token is expired. You can either do re-authorization or token refresh."}"#;
const REVOKED: &str = r#"{"error":"invalid_token","error_description":"Token was revoked. You have to re-authorize from the user."}"#;
const INSUFFICIENT_SCOPE: &str = r#"{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api"}"#;

/// A sandbox with the demo's application and another one, and a client that
/// does not follow redirects (so the `Location` can be read).
struct OAuthBox {
    s: Sandbox,
    client: reqwest::Client,
}

impl OAuthBox {
    async fn start() -> Self {
        Self::with(Config::default()).await
    }

    async fn with(config: Config) -> Self {
        let s = Sandbox::with(Config {
            runners: 12,
            oauth_apps: vec![
                OAuthApp::new(APP, CALLBACK),
                OAuthApp::new("other-app", "https://other.example/cb"),
            ],
            ..config
        })
        .await;
        let client = reqwest::Client::builder()
            .no_proxy()
            .redirect(Policy::none())
            .build()
            .unwrap();
        Self { s, client }
    }

    fn at(&self, path: &str) -> String {
        format!("{}{path}", self.s.running.url)
    }

    async fn authorize_page(&self, query: &[(&str, &str)]) -> Reply {
        send(self.client.get(self.at("/oauth/authorize")).query(query)).await
    }

    /// Posts the consent form as the page would, with the button's value.
    async fn decide(&self, query: &[(&str, &str)], user: &str, decision: &str) -> Reply {
        let mut form: Vec<(&str, &str)> = query.to_vec();
        form.extend([("user", user), ("decision", decision)]);
        send(self.client.post(self.at("/oauth/authorize")).form(&form)).await
    }

    /// Approves as `user` and returns the code from the redirect.
    async fn code(&self, user: &str, scope: &str) -> String {
        let reply = self.decide(&request(scope, "st"), user, "authorize").await;
        assert_eq!(reply.status, 302, "{}", reply.text);
        param(reply.header("location").unwrap(), "code").expect("a code")
    }

    async fn token(&self, form: &[(&str, &str)]) -> Reply {
        send(self.client.post(self.at("/oauth/token")).form(form)).await
    }

    async fn exchange(&self, code: &str, verifier: &str, redirect_uri: &str) -> Reply {
        self.token(&[
            ("grant_type", "authorization_code"),
            ("client_id", APP),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", verifier),
        ])
        .await
    }

    /// The whole flow as `user`: the token answer.
    async fn sign_in(&self, user: &str, scope: &str) -> Value {
        let code = self.code(user, scope).await;
        self.exchange(&code, VERIFIER, CALLBACK)
            .await
            .ok(200)
            .clone()
    }

    async fn refresh(&self, refresh_token: &str) -> Reply {
        self.token(&[
            ("grant_type", "refresh_token"),
            ("client_id", APP),
            ("refresh_token", refresh_token),
            ("redirect_uri", CALLBACK),
            ("code_verifier", VERIFIER),
        ])
        .await
    }

    async fn api(&self, method: reqwest::Method, path: &str, token: &str) -> Reply {
        send(
            self.client
                .request(method, self.s.url(path))
                .bearer_auth(token),
        )
        .await
    }

    async fn user(&self, token: &str) -> Reply {
        self.api(reqwest::Method::GET, "/user", token).await
    }
}

/// The authorization request a console makes.
fn request<'a>(scope: &'a str, state: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("client_id", APP),
        ("redirect_uri", CALLBACK),
        ("response_type", "code"),
        ("state", state),
        ("scope", scope),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ]
}

fn with<'a>(
    base: Vec<(&'a str, &'a str)>,
    key: &'a str,
    value: Option<&'a str>,
) -> Vec<(&'a str, &'a str)> {
    let mut out: Vec<_> = base.into_iter().filter(|(k, _)| *k != key).collect();
    if let Some(v) = value {
        out.push((key, v));
    }
    out
}

/// A query parameter of a URL.
fn param(url: &str, key: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

#[track_caller]
fn assert_error_page(reply: &Reply, description: &str) {
    // GitLab renders Doorkeeper's error page (status 200) and does not redirect.
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.header("location"), None);
    assert!(
        reply.text.contains("An error has occurred"),
        "{}",
        reply.text
    );
    assert!(
        reply
            .text
            .contains(&html_escape::encode_safe(description).to_string()),
        "{description:?} not in {}",
        reply.text
    );
}

#[tokio::test]
async fn the_whole_flow_signs_in_as_the_chosen_user() {
    let o = OAuthBox::start().await;
    let state = "a b&c=d/é";
    let page = o.authorize_page(&request("api", state)).await;
    assert_eq!(page.status, 200);
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    let html = &page.text;
    assert!(html.contains("<h1>Authorize runner-console-demo to use your account?</h1>"));
    assert!(html.contains("<label for=\"oauth-sign-in-as\">Sign in as</label>"));
    assert!(html.contains("<select id=\"oauth-sign-in-as\" name=\"user\">"));
    assert!(html.contains("<option value=\"maria\">Maria Maintainer (@maria)</option>"));
    assert!(html.contains("<option value=\"root\">Administrator (@root)</option>"));
    assert!(html.contains("<strong>api</strong>"));
    assert!(html.contains("<form method=\"post\" action=\"/oauth/authorize\">"));
    assert!(html.contains(">Authorize</button>"));
    assert!(html.contains(">Deny</button>"));
    // The state goes back escaped in a hidden field.
    assert!(html.contains("<input type=\"hidden\" name=\"state\" value=\"a b&amp;c=d&#x2F;é\">"));
    assert_eq!(page.header("x-frame-options"), Some("SAMEORIGIN"));

    let approved = o.decide(&request("api", state), "maria", "authorize").await;
    assert_eq!(approved.status, 302, "{}", approved.text);
    let location = approved.header("location").unwrap();
    assert!(
        location.starts_with(&format!("{CALLBACK}?code=")),
        "{location}"
    );
    assert_eq!(param(location, "state").as_deref(), Some(state));
    let code = param(location, "code").unwrap();
    assert_eq!(code.len(), 64);

    let before = time::OffsetDateTime::now_utc().unix_timestamp();
    let answer = o.exchange(&code, VERIFIER, CALLBACK).await;
    let token = answer.ok(200);
    assert_eq!(answer.header("cache-control"), Some("no-store, no-cache"));
    assert_eq!(answer.header("pragma"), Some("no-cache"));
    assert_eq!(token["token_type"], "Bearer");
    assert_eq!(token["expires_in"], 7200);
    assert_eq!(token["scope"], "api");
    let created = token["created_at"].as_i64().unwrap();
    assert!((before..=before + 5).contains(&created), "{token}");
    let access = token["access_token"].as_str().unwrap();
    assert_ne!(access, token["refresh_token"].as_str().unwrap());

    let me = o.user(access).await;
    assert_eq!(me.ok(200)["username"], "maria");
    // An api token writes too: maria maintains group runner 2.
    let put = send(
        o.client
            .put(o.s.url("/runners/2"))
            .bearer_auth(access)
            .form(&[("description", "renamed over OAuth")]),
    )
    .await;
    assert_eq!(put.ok(200)["description"], "renamed over OAuth");

    // A code is single use.
    o.exchange(&code, VERIFIER, CALLBACK)
        .await
        .expect(400, INVALID_GRANT);
}

#[tokio::test]
async fn a_wrong_verifier_redirect_uri_or_client_is_refused_without_spending_the_code() {
    let o = OAuthBox::start().await;
    let code = o.code("remy", "api").await;

    let wrong_verifier = o
        .exchange(
            &code,
            "not-the-verifier-not-the-verifier-000000000",
            CALLBACK,
        )
        .await;
    wrong_verifier.expect(400, INVALID_GRANT);
    assert_eq!(
        wrong_verifier.header("www-authenticate"),
        Some("Bearer realm=\"Doorkeeper\", error=\"invalid_grant\", error_description=\"The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.\"")
    );
    o.exchange(&code, VERIFIER, "http://127.0.0.1:8080/elsewhere")
        .await
        .expect(400, INVALID_GRANT);
    o.token(&[
        ("grant_type", "authorization_code"),
        ("client_id", APP),
        ("code", &code),
        ("redirect_uri", CALLBACK),
    ])
    .await
    .expect(
        400,
        r#"{"error":"invalid_request","error_description":"Missing required parameter: code_verifier."}"#,
    );
    let unknown_client = o
        .token(&[
            ("grant_type", "authorization_code"),
            ("client_id", "nobody"),
            ("code", &code),
            ("redirect_uri", CALLBACK),
            ("code_verifier", VERIFIER),
        ])
        .await;
    unknown_client.expect(401, INVALID_CLIENT);
    // Issued to another client.
    o.token(&[
        ("grant_type", "authorization_code"),
        ("client_id", "other-app"),
        ("code", &code),
        ("redirect_uri", CALLBACK),
        ("code_verifier", VERIFIER),
    ])
    .await
    .expect(400, INVALID_GRANT);
    o.exchange("no-such-code", VERIFIER, CALLBACK)
        .await
        .expect(400, INVALID_GRANT);

    // None of that spent the code.
    let token = o.exchange(&code, VERIFIER, CALLBACK).await;
    let access = token.ok(200)["access_token"].as_str().unwrap().to_string();
    assert_eq!(o.user(&access).await.ok(200)["username"], "remy");
}

#[tokio::test]
async fn token_requests_missing_parts_answer_doorkeepers_errors() {
    let o = OAuthBox::start().await;
    o.token(&[("client_id", APP)]).await.expect(
        400,
        r#"{"error":"invalid_request","error_description":"Missing required parameter: grant_type."}"#,
    );
    o.token(&[("grant_type", "password"), ("client_id", APP)])
        .await
        .expect(
            400,
            r#"{"error":"unsupported_grant_type","error_description":"The authorization grant type is not supported by the authorization server."}"#,
        );
    o.token(&[("grant_type", "authorization_code"), ("client_id", APP)])
        .await
        .expect(
            400,
            r#"{"error":"invalid_request","error_description":"Missing required parameter: code."}"#,
        );
    o.token(&[("grant_type", "refresh_token"), ("client_id", APP)])
        .await
        .expect(
            400,
            r#"{"error":"invalid_request","error_description":"Missing required parameter: refresh_token."}"#,
        );
    // A JSON body is read as well as a form.
    let code = o.code("maria", "api").await;
    let json = send(
        o.client
            .post(o.at("/oauth/token"))
            .json(&serde_json::json!({
                "grant_type": "authorization_code",
                "client_id": APP,
                "code": code,
                "redirect_uri": CALLBACK,
                "code_verifier": VERIFIER,
            })),
    )
    .await;
    assert_eq!(json.ok(200)["token_type"], "Bearer");
    // So is the client in HTTP Basic, with no secret for a public client.
    let code = o.code("maria", "api").await;
    let basic = send(
        o.client
            .post(o.at("/oauth/token"))
            .basic_auth(APP, None::<&str>)
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("redirect_uri", CALLBACK),
                ("code_verifier", VERIFIER),
            ]),
    )
    .await;
    assert_eq!(basic.ok(200)["token_type"], "Bearer");
    // A secret makes a public client's credentials wrong.
    let code = o.code("maria", "api").await;
    o.token(&[
        ("grant_type", "authorization_code"),
        ("client_id", APP),
        ("client_secret", "guess"),
        ("code", &code),
        ("redirect_uri", CALLBACK),
        ("code_verifier", VERIFIER),
    ])
    .await
    .expect(401, INVALID_CLIENT);
}

#[tokio::test]
async fn authorize_refuses_bad_requests_on_a_page_without_redirecting() {
    let o = OAuthBox::start().await;
    let base = request("api", "st");
    let unknown = with(base.clone(), "client_id", Some("nobody"));
    assert_error_page(
        &o.authorize_page(&unknown).await,
        "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
    );
    let elsewhere = with(
        base.clone(),
        "redirect_uri",
        Some("https://evil.example/cb"),
    );
    assert_error_page(
        &o.authorize_page(&elsewhere).await,
        "The requested redirect uri is malformed or doesn't match client redirect URI.",
    );
    assert_error_page(
        &o.authorize_page(&with(base.clone(), "client_id", None))
            .await,
        "Missing required parameter: client_id.",
    );
    assert_error_page(
        &o.authorize_page(&with(base.clone(), "response_type", Some("token")))
            .await,
        "The authorization server does not support this response type.",
    );
    assert_error_page(
        &o.authorize_page(&with(base.clone(), "code_challenge", None))
            .await,
        "Code challenge is required.",
    );
    assert_error_page(
        &o.authorize_page(&with(base.clone(), "code_challenge_method", Some("plain")))
            .await,
        "The code_challenge_method must be S256.",
    );
    assert_error_page(
        &o.authorize_page(&with(base.clone(), "scope", Some("sudo")))
            .await,
        "The requested scope is invalid, unknown, or malformed.",
    );
    // Another application's redirect URI is not this one's.
    let crossed = with(
        base.clone(),
        "redirect_uri",
        Some("https://other.example/cb"),
    );
    assert_error_page(
        &o.authorize_page(&crossed).await,
        "The requested redirect uri is malformed or doesn't match client redirect URI.",
    );
    // Without a scope the default, api, is asked.
    let page = o.authorize_page(&with(base.clone(), "scope", None)).await;
    assert!(
        page.text.contains("name=\"scope\" value=\"api\""),
        "{}",
        page.text
    );

    // Posting a refused request: an unknown client is answered in JSON, never
    // sent to the redirect URI; other errors go back to the client.
    let posted = o.decide(&unknown, "maria", "authorize").await;
    posted.expect(
        401,
        r#"{"error":"invalid_client","error_description":"Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.","state":"st"}"#,
    );
    assert_eq!(posted.header("location"), None);
    let posted = o
        .decide(
            &with(base.clone(), "code_challenge", None),
            "maria",
            "authorize",
        )
        .await;
    assert_eq!(posted.status, 302);
    let location = posted.header("location").unwrap();
    assert_eq!(param(location, "error").as_deref(), Some("invalid_request"));
    assert_eq!(param(location, "state").as_deref(), Some("st"));
    // No such user to sign in as.
    assert_eq!(o.decide(&base, "ghost", "authorize").await.status, 400);
    // Nothing was issued by any of it.
    assert!(o.s.running.state.read().oauth.issued().is_empty());
}

#[tokio::test]
async fn deny_sends_access_denied_and_the_state_back() {
    let o = OAuthBox::start().await;
    let denied = o.decide(&request("api", "xyz 1"), "maria", "deny").await;
    assert_eq!(denied.status, 302, "{}", denied.text);
    let location = denied.header("location").unwrap();
    assert!(
        location.starts_with(&format!("{CALLBACK}?error=access_denied&")),
        "{location}"
    );
    assert_eq!(param(location, "code"), None);
    assert_eq!(
        param(location, "error_description").as_deref(),
        Some("The resource owner or authorization server denied the request.")
    );
    assert_eq!(param(location, "state").as_deref(), Some("xyz 1"));
    // Doorkeeper's own route for Deny is DELETE /oauth/authorize.
    let deleted = send(
        o.client
            .delete(o.at("/oauth/authorize"))
            .form(&request("api", "q")),
    )
    .await;
    assert_eq!(deleted.status, 302);
    assert_eq!(
        param(deleted.header("location").unwrap(), "error").as_deref(),
        Some("access_denied")
    );
}

#[tokio::test]
async fn refresh_rotates_both_tokens_and_revokes_the_old_pair_at_once() {
    let o = OAuthBox::start().await;
    let first = o.sign_in("maria", "api").await;
    let (old_access, old_refresh) = (
        first["access_token"].as_str().unwrap(),
        first["refresh_token"].as_str().unwrap(),
    );
    let reply = o.refresh(old_refresh).await;
    let second = reply.ok(200).clone();
    let new_access = second["access_token"].as_str().unwrap();
    let new_refresh = second["refresh_token"].as_str().unwrap();
    assert_ne!(new_access, old_access);
    assert_ne!(new_refresh, old_refresh);
    assert_eq!(second["scope"], "api");
    assert_eq!(second["expires_in"], 7200);

    // GitLab has no previous_refresh_token column: the old pair is revoked now,
    // not when the new token is first used.
    let old = o.user(old_access).await;
    old.expect(401, REVOKED);
    assert_eq!(
        old.header("www-authenticate"),
        Some("Bearer realm=\"Protected by OAuth 2.0\", error=\"invalid_token\", error_description=\"Token was revoked. You have to re-authorize from the user.\"")
    );
    assert_eq!(o.user(new_access).await.ok(200)["username"], "maria");
    o.refresh(old_refresh).await.expect(400, INVALID_GRANT);

    // The refresh token belongs to its client.
    o.token(&[
        ("grant_type", "refresh_token"),
        ("refresh_token", new_refresh),
    ])
    .await
    .expect(400, INVALID_GRANT);
    o.token(&[
        ("grant_type", "refresh_token"),
        ("client_id", "other-app"),
        ("refresh_token", new_refresh),
    ])
    .await
    .expect(400, INVALID_GRANT);
    o.token(&[
        ("grant_type", "refresh_token"),
        ("client_id", "nobody"),
        ("refresh_token", new_refresh),
    ])
    .await
    .expect(401, INVALID_CLIENT);
    // Those refusals left it working.
    let third = o.refresh(new_refresh).await;
    assert_eq!(third.status, 200, "{}", third.text);
}

#[tokio::test]
async fn an_expired_access_token_gets_gitlabs_401_and_refresh_still_works() {
    let o = OAuthBox::with(Config {
        oauth_token_lifetime: Duration::from_secs(1),
        ..Config::default()
    })
    .await;
    let token = o.sign_in("root", "api").await;
    assert_eq!(token["expires_in"], 1);
    let access = token["access_token"].as_str().unwrap();
    assert_eq!(o.user(access).await.status, 200);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let expired = o.user(access).await;
    expired.expect(401, EXPIRED);
    assert_eq!(
        expired.header("www-authenticate"),
        Some("Bearer realm=\"Protected by OAuth 2.0\", error=\"invalid_token\", error_description=\"Token is expired. You can either do re-authorization or token refresh.\"")
    );
    // Every API route refuses it the same way.
    o.api(reqwest::Method::GET, "/runners/all", access)
        .await
        .expect(401, EXPIRED);
    // Refresh tokens outlive their access token; the new one keeps the lifetime.
    let renewed = o
        .refresh(token["refresh_token"].as_str().unwrap())
        .await
        .ok(200)
        .clone();
    assert_eq!(renewed["expires_in"], 1);
    let fresh = renewed["access_token"].as_str().unwrap();
    assert_eq!(o.user(fresh).await.ok(200)["username"], "root");
}

#[tokio::test]
async fn revoke_answers_200_and_the_token_stops_working() {
    let o = OAuthBox::start().await;
    let revoke = |form: Vec<(&'static str, String)>| {
        let rb = o.client.post(o.at("/oauth/revoke")).form(&form);
        async move { send(rb).await }
    };
    // RFC 7009: an unknown token is answered 200 {} too.
    revoke(vec![
        ("token", "no-such-token".into()),
        ("client_id", APP.into()),
    ])
    .await
    .expect(200, "{}");
    revoke(vec![]).await.expect(200, "{}");

    let token = o.sign_in("maria", "api").await;
    let access = token["access_token"].as_str().unwrap();
    revoke(vec![("token", access.into()), ("client_id", APP.into())])
        .await
        .expect(200, "{}");
    o.user(access).await.expect(401, REVOKED);
    // Revoking the access token revoked its refresh token with it.
    o.refresh(token["refresh_token"].as_str().unwrap())
        .await
        .expect(400, INVALID_GRANT);

    // Revoking by the refresh token revokes the access token too. Doorkeeper
    // 5.8 lets anyone revoke a public application's token, client id or not.
    let other = o.sign_in("remy", "api").await;
    let other_access = other["access_token"].as_str().unwrap();
    revoke(vec![(
        "token",
        other["refresh_token"].as_str().unwrap().into(),
    )])
    .await
    .expect(200, "{}");
    o.user(other_access).await.expect(401, REVOKED);

    // With `token_type_hint=refresh_token` only refresh tokens are looked up.
    let third = o.sign_in("root", "api").await;
    let third_access = third["access_token"].as_str().unwrap();
    revoke(vec![
        ("token", third_access.into()),
        ("token_type_hint", "refresh_token".into()),
        ("client_id", APP.into()),
    ])
    .await
    .expect(200, "{}");
    assert_eq!(o.user(third_access).await.ok(200)["username"], "root");
}

#[tokio::test]
async fn a_read_api_token_may_read_but_not_write() {
    let o = OAuthBox::start().await;
    let token = o.sign_in("root", "read_api").await;
    assert_eq!(token["scope"], "read_api");
    let access = token["access_token"].as_str().unwrap();
    assert_eq!(
        o.api(reqwest::Method::GET, "/runners/all", access)
            .await
            .ids()
            .len(),
        12
    );
    let put = send(
        o.client
            .put(o.s.url("/runners/1"))
            .bearer_auth(access)
            .form(&[("description", "x")]),
    )
    .await;
    put.expect(403, INSUFFICIENT_SCOPE);
    o.api(reqwest::Method::DELETE, "/runners/1", access)
        .await
        .expect(403, INSUFFICIENT_SCOPE);
    // Asking for read_api and read_user is still read-only.
    let both = o.sign_in("root", "read_api read_user").await;
    assert_eq!(both["scope"], "read_api read_user");
    o.api(
        reqwest::Method::DELETE,
        "/runners/1",
        both["access_token"].as_str().unwrap(),
    )
    .await
    .expect(403, INSUFFICIENT_SCOPE);
}

#[tokio::test]
async fn oauth_tokens_are_read_where_doorkeeper_reads_them() {
    let o = OAuthBox::start().await;
    let token = o.sign_in("maria", "api").await;
    let access = token["access_token"].as_str().unwrap();
    let query = send(
        o.client
            .get(o.s.url("/user"))
            .query(&[("access_token", access)]),
    )
    .await;
    assert_eq!(query.ok(200)["username"], "maria");
    // PRIVATE-TOKEN takes personal access tokens only.
    send(o.s.req(reqwest::Method::GET, "/user", Some(access)))
        .await
        .expect(401, UNAUTHORIZED);
    // Unknown bearer tokens stay Grape's plain 401.
    o.user("0123456789abcdef").await.expect(401, UNAUTHORIZED);
    // Personal tokens still work as Bearer.
    assert_eq!(o.user(ADMIN_TOKEN).await.ok(200)["username"], "root");
}

#[tokio::test]
async fn the_token_endpoints_send_gitlabs_cors_headers() {
    let o = OAuthBox::start().await;
    let code = o.code("maria", "api").await;
    let origin = "http://console.example:3000";
    let answer = send(
        o.client
            .post(o.at("/oauth/token"))
            .header("Origin", origin)
            .form(&[
                ("grant_type", "authorization_code"),
                ("client_id", APP),
                ("code", &code),
                ("redirect_uri", CALLBACK),
                ("code_verifier", VERIFIER),
            ]),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.header("access-control-allow-origin"), Some("*"));
    assert_eq!(answer.header("access-control-allow-credentials"), None);
    // An error is readable cross-origin as well.
    let refused = send(
        o.client
            .post(o.at("/oauth/token"))
            .header("Origin", origin)
            .form(&[
                ("grant_type", "refresh_token"),
                ("client_id", APP),
                ("refresh_token", "x"),
            ]),
    )
    .await;
    assert_eq!(refused.status, 400);
    assert_eq!(refused.header("access-control-allow-origin"), Some("*"));

    for path in ["/oauth/token", "/oauth/revoke"] {
        let preflight = send(
            o.client
                .request(reqwest::Method::OPTIONS, o.at(path))
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization"),
        )
        .await;
        assert_eq!(preflight.status, 200, "{path}");
        assert_eq!(preflight.header("access-control-allow-origin"), Some("*"));
        let methods = preflight
            .header("access-control-allow-methods")
            .unwrap()
            .to_ascii_uppercase();
        assert!(methods.contains("POST"), "{methods}");
        let headers = preflight
            .header("access-control-allow-headers")
            .unwrap()
            .to_ascii_lowercase();
        assert!(headers.contains("authorization"), "{headers}");
        assert!(!headers.contains("content-type"), "{headers}");
        assert_eq!(preflight.header("access-control-max-age"), Some("7200"));
    }
    let revoke = send(
        o.client
            .post(o.at("/oauth/revoke"))
            .header("Origin", origin)
            .form(&[("token", "x"), ("client_id", APP)]),
    )
    .await;
    assert_eq!(revoke.header("access-control-allow-origin"), Some("*"));
    // The authorize page is a top-level navigation: no CORS.
    let page = send(
        o.client
            .get(o.at("/oauth/authorize"))
            .header("Origin", origin)
            .query(&request("api", "st")),
    )
    .await;
    assert_eq!(page.status, 200);
    assert_eq!(page.header("access-control-allow-origin"), None);
}

#[tokio::test]
async fn a_loopback_redirect_uri_matches_on_any_port() {
    // Doorkeeper follows RFC 8252 section 7.3, so the demo's registration also
    // works when the sandbox listens elsewhere on 127.0.0.1.
    let o = OAuthBox::start().await;
    let moved = "http://127.0.0.1:9999/oauth/callback";
    let query = with(request("api", "st"), "redirect_uri", Some(moved));
    let approved = o.decide(&query, "maria", "authorize").await;
    let location = approved.header("location").unwrap();
    assert!(location.starts_with(moved), "{location}");
    let code = param(location, "code").unwrap();
    // The token request is compared with the same rule: another path fails,
    // another loopback port does not.
    o.exchange(&code, VERIFIER, "http://127.0.0.1:9999/oauth/other")
        .await
        .expect(400, INVALID_GRANT);
    assert_eq!(o.exchange(&code, VERIFIER, CALLBACK).await.status, 200);
}

#[test]
fn the_banner_lists_the_applications() {
    let config = Config {
        runners: 12,
        oauth_apps: vec![OAuthApp::new(APP, CALLBACK)],
        oauth_token_lifetime: Duration::from_secs(60),
        ..Config::default()
    };
    let state = gitlab_sandbox::state(&config);
    let banner = gitlab_sandbox::banner(&state.read(), "http://127.0.0.1:8080");
    assert!(banner.contains("OAuth applications"), "{banner}");
    assert!(
        banner.contains(&format!("  {APP:<28} {CALLBACK}\n")),
        "{banner}"
    );
    assert!(banner.contains("access tokens live 60 s"), "{banner}");
    assert!(
        banner.contains("http://127.0.0.1:8080/oauth/authorize"),
        "{banner}"
    );
    // Without applications the banner says nothing of OAuth.
    let plain = gitlab_sandbox::state(&Config {
        runners: 12,
        ..Config::default()
    });
    assert!(!gitlab_sandbox::banner(&plain.read(), "http://x").contains("OAuth"));
}
