//! Authentication (401, the three ways to pass a token, read_api), `GET /user`,
//! `GET /version`, unknown routes, and CORS on preflights and answers.

mod common;

use common::*;
use reqwest::Method;
use serde_json::json;

const INSUFFICIENT_SCOPE: &str = r#"{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api"}"#;

/// Endpoints that take a user token, one of each route.
const USER_ENDPOINTS: [(&str, &str); 20] = [
    ("GET", "/runners"),
    ("GET", "/runners/all"),
    ("GET", "/runners/1"),
    ("PUT", "/runners/1"),
    ("DELETE", "/runners/1"),
    ("GET", "/runners/1/jobs"),
    ("POST", "/runners/1/reset_authentication_token"),
    ("POST", "/runners/reset_registration_token"),
    ("GET", "/projects"),
    ("GET", "/projects/1"),
    ("GET", "/projects/1/runners"),
    ("POST", "/projects/1/runners"),
    ("DELETE", "/projects/2/runners/6"),
    ("POST", "/projects/1/runners/reset_registration_token"),
    ("GET", "/groups"),
    ("GET", "/groups/1"),
    ("GET", "/groups/1/runners"),
    ("POST", "/groups/1/runners/reset_registration_token"),
    ("GET", "/user"),
    ("GET", "/version"),
];

fn method(name: &str) -> Method {
    Method::from_bytes(name.as_bytes()).unwrap()
}

#[tokio::test]
async fn no_token_or_an_unknown_one_is_401() {
    let s = Sandbox::fixed().await;
    for (m, path) in USER_ENDPOINTS {
        send(s.req(method(m), path, None))
            .await
            .expect(401, UNAUTHORIZED);
        send(s.req(method(m), path, Some("glpat-not-a-token")))
            .await
            .expect(401, UNAUTHORIZED);
        send(s.req(method(m), path, Some("")))
            .await
            .expect(401, UNAUTHORIZED);
    }
    // Authentication comes before parameter validation.
    send(s.req(Method::GET, "/runners/all?type=bogus", None))
        .await
        .expect(401, UNAUTHORIZED);
    send(s.req(Method::PUT, "/runners/abc", None))
        .await
        .expect(401, UNAUTHORIZED);
    // Nothing was changed by the refused writes.
    assert_eq!(s.get("/runners/all", ADMIN_TOKEN).await.ids().len(), 12);
}

#[tokio::test]
async fn token_in_header_bearer_or_query() {
    let s = Sandbox::fixed().await;
    let header = s.get("/user", MAINTAINER_TOKEN).await;
    assert_eq!(header.ok(200)["username"], "maria");

    let bearer = send(
        s.client
            .get(s.url("/user"))
            .header("Authorization", format!("Bearer {MAINTAINER_TOKEN}")),
    )
    .await;
    assert_eq!(bearer.ok(200)["username"], "maria");

    let query = send(
        s.client
            .get(s.url(&format!("/user?private_token={REPORTER_TOKEN}"))),
    )
    .await;
    assert_eq!(query.ok(200)["username"], "remy");
    let query = send(s.client.get(s.url(&format!(
        "/runners/all?private_token={ADMIN_TOKEN}&type=group_type"
    ))))
    .await;
    assert_eq!(query.ids(), vec![2, 5, 8, 11]);

    send(
        s.client
            .get(s.url("/user"))
            .header("Authorization", "Bearer glpat-wrong"),
    )
    .await
    .expect(401, UNAUTHORIZED);
    send(
        s.client
            .get(s.url("/user"))
            .header("Authorization", format!("Basic {MAINTAINER_TOKEN}")),
    )
    .await
    .expect(401, UNAUTHORIZED);
    send(s.client.get(s.url("/user?private_token=nope")))
        .await
        .expect(401, UNAUTHORIZED);
    // Bearer works for writes too.
    let put = send(
        s.client
            .put(s.url("/runners/3"))
            .header("Authorization", format!("Bearer {MAINTAINER_TOKEN}"))
            .form(&[("description", "bearer")]),
    )
    .await;
    assert_eq!(put.ok(200)["description"], "bearer");
}

#[tokio::test]
async fn read_api_token_reads_but_cannot_write() {
    let s = Sandbox::fixed().await;
    assert_eq!(s.get("/runners/all", READONLY_TOKEN).await.ids().len(), 12);
    assert_eq!(s.get("/runners/3", READONLY_TOKEN).await.ok(200)["id"], 3);
    assert_eq!(
        s.get("/runners/1/jobs", READONLY_TOKEN).await.ids().len(),
        15
    );
    assert_eq!(
        s.get("/user", READONLY_TOKEN).await.ok(200)["username"],
        "audit-bot"
    );

    s.put_form("/runners/3", READONLY_TOKEN, &[("description", "nope")])
        .await
        .expect(403, INSUFFICIENT_SCOPE);
    // Even an invalid write is refused for its scope first.
    s.put_form("/runners/3", READONLY_TOKEN, &[])
        .await
        .expect(403, INSUFFICIENT_SCOPE);
    s.delete("/runners/3", READONLY_TOKEN)
        .await
        .expect(403, INSUFFICIENT_SCOPE);
    s.post_form(
        "/runners/3/reset_authentication_token",
        Some(READONLY_TOKEN),
        &[],
    )
    .await
    .expect(403, INSUFFICIENT_SCOPE);
    s.post_form(
        "/runners/reset_registration_token",
        Some(READONLY_TOKEN),
        &[],
    )
    .await
    .expect(403, INSUFFICIENT_SCOPE);
    s.post_form(
        "/projects/1/runners",
        Some(READONLY_TOKEN),
        &[("runner_id", "6")],
    )
    .await
    .expect(403, INSUFFICIENT_SCOPE);
    s.delete("/projects/2/runners/6", READONLY_TOKEN)
        .await
        .expect(403, INSUFFICIENT_SCOPE);
    s.post_form(
        "/groups/1/runners/reset_registration_token",
        Some(READONLY_TOKEN),
        &[],
    )
    .await
    .expect(403, INSUFFICIENT_SCOPE);
    // Nothing changed.
    let d = s.get("/runners/3", ADMIN_TOKEN).await;
    assert_ne!(d.ok(200)["description"], "nope");
    assert_eq!(
        s.get("/runners/6", ADMIN_TOKEN).await.ok(200)["projects"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn user_shows_is_admin_only_to_admins() {
    let s = Sandbox::fixed().await;
    let base = &s.running.url;
    let admin = s.get("/user", ADMIN_TOKEN).await;
    let admin = admin.ok(200);
    assert_eq!(admin["id"], 1);
    assert_eq!(admin["username"], "root");
    assert_eq!(admin["name"], "Administrator");
    assert_eq!(admin["is_admin"], true);
    assert_eq!(admin["state"], "active");
    assert_eq!(admin["web_url"], format!("{base}/root"));

    let maria = s.get("/user", MAINTAINER_TOKEN).await;
    let maria = maria.ok(200);
    assert_eq!(maria["id"], 2);
    assert_eq!(maria["name"], "Maria Maintainer");
    assert!(
        maria.get("is_admin").is_none(),
        "is_admin only for admins: {maria}"
    );
    let remy = s.get("/user", REPORTER_TOKEN).await;
    assert!(remy.ok(200).get("is_admin").is_none());
    assert_eq!(
        s.get("/user", READONLY_TOKEN).await.ok(200)["is_admin"],
        true
    );
}

#[tokio::test]
async fn version_answers_the_gitlab_version() {
    let s = Sandbox::fixed().await;
    let v = s.get("/version", REPORTER_TOKEN).await;
    let v = v.ok(200);
    // The default is the newest version; `--gitlab-version` picks another.
    assert_eq!(v["version"], "18.11.0");
    assert_eq!(
        v["version"],
        format!("{}.0", gitlab_sandbox::GitLabVersion::NEWEST)
    );
    assert!(v["revision"].is_string());
}

#[tokio::test]
async fn unknown_routes_are_grapes_404() {
    let s = Sandbox::fixed().await;
    let not_found = r#"{"error":"404 Not Found"}"#;
    s.get("/nothing/here", ADMIN_TOKEN)
        .await
        .expect(404, not_found);
    s.get("/runners/1/bogus", ADMIN_TOKEN)
        .await
        .expect(404, not_found);
    s.get("/projects/1/runners/3/extra", ADMIN_TOKEN)
        .await
        .expect(404, not_found);
    send(s.req(Method::GET, "/nothing", None))
        .await
        .expect(404, not_found);
    send(s.req(Method::POST, "/nothing", None))
        .await
        .expect(404, not_found);
}

fn list_header(r: &Reply, name: &str) -> Vec<String> {
    r.header(name)
        .unwrap_or_else(|| panic!("{name} missing: {:?}", r.headers))
        .split(',')
        .map(|v| v.trim().to_ascii_lowercase())
        .collect()
}

#[tokio::test]
async fn cors_preflight_allows_any_origin_header_and_method() {
    let s = Sandbox::fixed().await;
    for (path, request_method) in [
        ("/runners/5", "PUT"),
        ("/runners/5", "DELETE"),
        ("/runners/all", "GET"),
    ] {
        let r = send(
            s.client
                .request(Method::OPTIONS, s.url(path))
                .header("Origin", "https://console.example.org")
                .header("Access-Control-Request-Method", request_method)
                .header(
                    "Access-Control-Request-Headers",
                    "private-token, content-type",
                ),
        )
        .await;
        assert!(
            r.status == 200 || r.status == 204,
            "preflight answered {}",
            r.status
        );
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
        assert!(r.header("access-control-allow-credentials").is_none());
        let headers = list_header(&r, "access-control-allow-headers");
        assert!(
            headers.contains(&"private-token".to_string()),
            "{headers:?}"
        );
        assert!(headers.contains(&"content-type".to_string()), "{headers:?}");
        let methods = list_header(&r, "access-control-allow-methods");
        for m in ["get", "post", "put", "delete"] {
            assert!(methods.contains(&m.to_string()), "{m} not in {methods:?}");
        }
        assert!(r.header("access-control-max-age").is_some());
    }
    // Authorization passes preflight as well, from any other origin.
    let r = send(
        s.client
            .request(Method::OPTIONS, s.url("/user"))
            .header("Origin", "http://localhost:8081")
            .header("Access-Control-Request-Method", "GET")
            .header("Access-Control-Request-Headers", "authorization"),
    )
    .await;
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert!(list_header(&r, "access-control-allow-headers").contains(&"authorization".to_string()));
}

#[tokio::test]
async fn cors_headers_on_answers_and_errors() {
    let s = Sandbox::fixed().await;
    let origin = "https://console.example.org";
    let expect_cors = |r: &Reply, what: &str| {
        assert_eq!(r.header("access-control-allow-origin"), Some("*"), "{what}");
        let exposed = list_header(r, "access-control-expose-headers");
        for h in [
            "link",
            "x-total",
            "x-total-pages",
            "x-per-page",
            "x-page",
            "x-next-page",
            "x-prev-page",
            "x-request-id",
            "etag",
        ] {
            assert!(
                exposed.contains(&h.to_string()),
                "{what}: {h} not in {exposed:?}"
            );
        }
    };
    let ok = send(
        s.req(Method::GET, "/runners/all", Some(ADMIN_TOKEN))
            .header("Origin", origin),
    )
    .await;
    assert_eq!(ok.ids().len(), 12);
    expect_cors(&ok, "200");
    let unauthorized = send(
        s.req(Method::GET, "/runners/all", None)
            .header("Origin", origin),
    )
    .await;
    unauthorized.expect(401, UNAUTHORIZED);
    expect_cors(&unauthorized, "401");
    let forbidden = send(
        s.req(Method::GET, "/runners/all", Some(MAINTAINER_TOKEN))
            .header("Origin", origin),
    )
    .await;
    forbidden.expect(403, FORBIDDEN);
    expect_cors(&forbidden, "403");
    let missing = send(
        s.req(Method::GET, "/runners/999", Some(ADMIN_TOKEN))
            .header("Origin", origin),
    )
    .await;
    missing.expect(404, RUNNER_NOT_FOUND);
    expect_cors(&missing, "404");
    let no_route = send(
        s.req(Method::GET, "/no/such/route", None)
            .header("Origin", origin),
    )
    .await;
    no_route.expect(404, r#"{"error":"404 Not Found"}"#);
    expect_cors(&no_route, "no route");
    let invalid = send(
        s.req(Method::PUT, "/runners/3", Some(ADMIN_TOKEN))
            .header("Origin", origin)
            .json(&json!({})),
    )
    .await;
    assert_eq!(invalid.status, 400);
    expect_cors(&invalid, "400");
    let deleted = send(
        s.req(Method::DELETE, "/runners/3", Some(ADMIN_TOKEN))
            .header("Origin", origin),
    )
    .await;
    assert_eq!(deleted.status, 204);
    expect_cors(&deleted, "204");
}

#[tokio::test]
async fn every_answer_has_its_own_request_id() {
    let s = Sandbox::start().await;
    let a = s.get("/version", gitlab_sandbox::ADMIN_TOKEN).await;
    let b = s.get("/version", gitlab_sandbox::ADMIN_TOKEN).await;
    let (a, b) = (
        a.header("x-request-id").unwrap(),
        b.header("x-request-id").unwrap(),
    );
    assert_eq!(a.len(), 26);
    assert_ne!(a, b);
}
