//! The runner endpoints that take a token in the body (`POST /runners`,
//! `DELETE /runners`, `POST /runners/verify`, `POST /runners/reset_authentication_token`),
//! and the authentication and registration token resets a user asks for.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};

const TOKEN_MISSING: &str = r#"{"error":"token is missing"}"#;
const TAGS_NEEDED: &str = r#"{"message":{"tags_list":["can not be empty when runner is not allowed to pick untagged jobs"]}}"#;

async fn register(s: &Sandbox, form: &[(&str, &str)]) -> Reply {
    s.post_form("/runners", None, form).await
}

async fn verify(s: &Sandbox, token: &str) -> Reply {
    s.post_form("/runners/verify", None, &[("token", token)])
        .await
}

/// Asserts a 201 `{"id","token","token_expires_at"}` and returns (id, token).
#[track_caller]
fn registered(r: &Reply) -> (u64, String) {
    let body = r.ok(201).as_object().expect("object");
    let mut keys: Vec<&str> = body.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["id", "token", "token_expires_at"]);
    assert_eq!(body["token_expires_at"], Value::Null);
    let token = body["token"].as_str().unwrap().to_string();
    assert!(
        token.starts_with("glrt-") && token.len() > 20,
        "token {token}"
    );
    (body["id"].as_u64().unwrap(), token)
}

/// Asserts a 201 `{"token","token_expires_at":null}` and returns the token.
#[track_caller]
fn reset_answer(r: &Reply, prefix: &str) -> String {
    let body = r.ok(201);
    let token = body["token"].as_str().expect("token").to_string();
    assert_eq!(body, &json!({"token": token, "token_expires_at": null}));
    assert!(token.starts_with(prefix), "token {token}");
    token
}

// ---- POST /runners -------------------------------------------------------------

#[tokio::test]
async fn register_with_the_instance_token_makes_an_instance_runner() {
    // GitLab 16.11: registration tokens on by default, `info` fills the runner's own version fields.
    let s = Sandbox::fixed_at(16, 11).await;
    let token = s.instance_registration_token();
    let r = register(
        &s,
        &[
            ("token", token.as_str()),
            ("description", "new-instance-runner"),
            ("info[name]", "gitlab-runner"),
            ("info[version]", "16.5.0"),
            ("info[revision]", "853330f9"),
            ("info[platform]", "linux"),
            ("info[architecture]", "arm64"),
            ("tag_list", "alpha,beta"),
            ("locked", "true"),
            ("access_level", "ref_protected"),
            ("maximum_timeout", "900"),
            ("maintenance_note", "racked in B2"),
        ],
    )
    .await;
    let (id, auth) = registered(&r);
    assert_eq!(id, 13);
    assert_ne!(auth, token);

    let d = s.get("/runners/13", ADMIN_TOKEN).await;
    let d = d.ok(200);
    assert_eq!(d["runner_type"], "instance_type");
    assert_eq!(d["is_shared"], true);
    assert_eq!(d["status"], "never_contacted");
    assert_eq!(d["online"], Value::Null);
    assert_eq!(d["contacted_at"], Value::Null);
    assert_eq!(d["description"], "new-instance-runner");
    assert_eq!(d["name"], "gitlab-runner");
    assert_eq!(d["version"], "16.5.0");
    assert_eq!(d["revision"], "853330f9");
    assert_eq!(d["platform"], "linux");
    assert_eq!(d["architecture"], "arm64");
    assert_eq!(d["tag_list"], json!(["alpha", "beta"]));
    assert_eq!(d["locked"], true);
    assert_eq!(d["access_level"], "ref_protected");
    assert_eq!(d["maximum_timeout"], 900);
    assert_eq!(d["maintenance_note"], "racked in B2");
    assert_eq!(d["paused"], false);
    assert_eq!(d["projects"], json!([]));
    assert_eq!(d["groups"], json!([]));
    assert!(d.get("token").is_none());
    // Any signed-in user can read an instance runner.
    assert_eq!(s.get("/runners/13", REPORTER_TOKEN).await.ok(200)["id"], 13);
    assert_eq!(
        s.get(
            "/runners/all?type=instance_type&status=never_contacted",
            ADMIN_TOKEN
        )
        .await
        .ids()
        .last(),
        Some(&13)
    );
    // The new authentication token works.
    verify(&s, &auth).await.expect(
        200,
        &json!({"id": 13, "token": auth, "token_expires_at": null}).to_string(),
    );
}

#[tokio::test]
async fn register_with_a_group_token_makes_a_group_runner() {
    // GitLab 16.11: registration tokens on by default, `info` fills the runner's own version fields.
    let s = Sandbox::fixed_at(16, 11).await;
    let token = s.group_registration_token(1);
    let (id, _) = registered(&register(&s, &[("token", &token), ("description", "g")]).await);
    assert_eq!(id, 13);
    let d = s.get("/runners/13", ADMIN_TOKEN).await;
    let d = d.ok(200);
    assert_eq!(d["runner_type"], "group_type");
    assert_eq!(d["is_shared"], false);
    assert_eq!(d["groups"][0]["id"], 1);
    assert_eq!(d["groups"][0]["name"], "Platform");
    assert_eq!(d["projects"], json!([]));
    // Platform's maintainer owns it now.
    assert_eq!(
        s.get("/runners", MAINTAINER_TOKEN).await.ids(),
        vec![2, 3, 6, 8, 12, 13]
    );
    assert_eq!(
        s.get("/groups/1/runners?type=group_type", MAINTAINER_TOKEN)
            .await
            .ids(),
        vec![2, 8, 13]
    );
}

#[tokio::test]
async fn register_with_a_project_token_makes_a_project_runner_there() {
    // GitLab 16.11: registration tokens on by default, `info` fills the runner's own version fields.
    let s = Sandbox::fixed_at(16, 11).await;
    let token = s.project_registration_token(4);
    let (id, _) = registered(&register(&s, &[("token", &token)]).await);
    assert_eq!(id, 13);
    let d = s.get("/runners/13", ADMIN_TOKEN).await;
    let d = d.ok(200);
    assert_eq!(d["runner_type"], "project_type");
    assert_eq!(d["description"], Value::Null);
    assert_eq!(d["projects"].as_array().unwrap().len(), 1);
    assert_eq!(d["projects"][0]["id"], 4);
    assert_eq!(d["projects"][0]["path_with_namespace"], "data/warehouse");
    assert_eq!(d["groups"], json!([]));
    assert_eq!(
        s.get("/projects/4/runners?type=project_type", ADMIN_TOKEN)
            .await
            .ids(),
        vec![9, 13]
    );
    // Not platform's: the maintainer neither owns nor reads it.
    assert_eq!(
        s.get("/runners", MAINTAINER_TOKEN).await.ids(),
        vec![2, 3, 6, 8, 12]
    );
    s.get("/runners/13", MAINTAINER_TOKEN)
        .await
        .expect(403, NO_ACCESS);
}

#[tokio::test]
async fn register_accepts_json_and_multipart() {
    // GitLab 16.11: registration tokens on by default, `info` fills the runner's own version fields.
    let s = Sandbox::fixed_at(16, 11).await;
    let token = s.instance_registration_token();
    let r = send(s.req(Method::POST, "/runners", None).json(&json!({
        "token": token,
        "description": "json-runner",
        "info": {"version": "17.0.1", "platform": "darwin", "architecture": "arm64"},
        "paused": true,
        "tag_list": ["macos", "xcode"],
        "run_untagged": false,
    })))
    .await;
    let (id, _) = registered(&r);
    let d = s.get(&format!("/runners/{id}"), ADMIN_TOKEN).await;
    let d = d.ok(200);
    assert_eq!(d["description"], "json-runner");
    assert_eq!(d["version"], "17.0.1");
    assert_eq!(d["platform"], "darwin");
    assert_eq!(
        (d["paused"].clone(), d["active"].clone()),
        (json!(true), json!(false))
    );
    assert_eq!(d["tag_list"], json!(["macos", "xcode"]));
    assert_eq!(d["run_untagged"], false);

    let form = reqwest::multipart::Form::new()
        .text("token", token.clone())
        .text("description", "multipart-runner")
        .text("info[version]", "15.11.0")
        .text("active", "false")
        .text("maintainer_note", "old field name");
    let (id2, _) = registered(&send(s.req(Method::POST, "/runners", None).multipart(form)).await);
    assert_eq!(id2, id + 1);
    let d = s.get(&format!("/runners/{id2}"), ADMIN_TOKEN).await;
    let d = d.ok(200);
    assert_eq!(d["description"], "multipart-runner");
    assert_eq!(d["version"], "15.11.0");
    assert_eq!(d["paused"], true);
    assert_eq!(d["maintenance_note"], "old field name");
}

#[tokio::test]
async fn register_refusals() {
    // GitLab 15.11: registration tokens work and an unknown one gets the bare `403 Forbidden` (16.0 adds a reason).
    let s = Sandbox::fixed_at(15, 11).await;
    let token = s.instance_registration_token();
    register(&s, &[("token", "GR1348941not-a-token")])
        .await
        .expect(403, FORBIDDEN);
    register(&s, &[("token", "")]).await.expect(403, FORBIDDEN);
    // A runner's authentication token is no registration token.
    let auth = s.runner_token(1);
    register(&s, &[("token", &auth)])
        .await
        .expect(403, FORBIDDEN);
    register(&s, &[]).await.expect(400, TOKEN_MISSING);
    register(&s, &[("description", "no token")])
        .await
        .expect(400, TOKEN_MISSING);
    // A user token is not what this endpoint reads.
    s.post_form("/runners", Some(ADMIN_TOKEN), &[])
        .await
        .expect(400, TOKEN_MISSING);
    register(
        &s,
        &[("token", &token), ("active", "true"), ("paused", "true")],
    )
    .await
    .expect(400, r#"{"error":"active, paused are mutually exclusive"}"#);
    register(
        &s,
        &[
            ("token", &token),
            ("maintainer_note", "a"),
            ("maintenance_note", "b"),
        ],
    )
    .await
    .expect(
        400,
        r#"{"error":"maintainer_note, maintenance_note are mutually exclusive"}"#,
    );
    register(&s, &[("token", &token), ("run_untagged", "false")])
        .await
        .expect(400, TAGS_NEEDED);
    register(&s, &[("token", &token), ("maximum_timeout", "60")])
        .await
        .expect(
            400,
            r#"{"message":{"maximum_timeout":["needs to be at least 10 minutes"]}}"#,
        );
    register(&s, &[("token", &token), ("access_level", "all")])
        .await
        .expect(
            400,
            r#"{"error":"access_level does not have a valid value"}"#,
        );
    // None of these made a runner; the next one still gets id 13.
    assert_eq!(s.get("/runners/all", ADMIN_TOKEN).await.ids().len(), 12);
    let (id, _) = registered(&register(&s, &[("token", &token)]).await);
    assert_eq!(id, 13);
}

// ---- DELETE /runners, POST /runners/verify -------------------------------------

#[tokio::test]
async fn delete_by_authentication_token() {
    let s = Sandbox::fixed().await;
    let auth = s.runner_token(1);
    s.post_form("/runners/verify", None, &[("token", &auth)])
        .await
        .ok(200);
    let r = send(
        s.req(Method::DELETE, "/runners", None)
            .form(&[("token", &auth)]),
    )
    .await;
    assert_eq!(r.status, 204);
    assert_eq!(r.text, "");
    s.get("/runners/1", ADMIN_TOKEN)
        .await
        .expect(404, RUNNER_NOT_FOUND);
    // The token is gone with it.
    send(
        s.req(Method::DELETE, "/runners", None)
            .form(&[("token", &auth)]),
    )
    .await
    .expect(403, FORBIDDEN);
    verify(&s, &auth).await.expect(403, FORBIDDEN);
    send(
        s.req(Method::DELETE, "/runners", None)
            .form(&[("token", "glrt-wrong")]),
    )
    .await
    .expect(403, FORBIDDEN);
    send(s.req(Method::DELETE, "/runners", None))
        .await
        .expect(400, TOKEN_MISSING);
    assert_eq!(s.get("/runners/all", ADMIN_TOKEN).await.ids().len(), 11);
}

#[tokio::test]
async fn verify_answers_200_for_a_live_token_and_403_otherwise() {
    let s = Sandbox::fixed().await;
    let auth = s.runner_token(5);
    verify(&s, &auth).await.expect(
        200,
        &json!({"id": 5, "token": auth, "token_expires_at": null}).to_string(),
    );
    // JSON bodies work too.
    let r = send(
        s.req(Method::POST, "/runners/verify", None)
            .json(&json!({"token": auth})),
    )
    .await;
    assert_eq!(r.ok(200)["id"], 5);
    verify(&s, "glrt-nope").await.expect(403, FORBIDDEN);
    verify(&s, "").await.expect(403, FORBIDDEN);
    s.post_form("/runners/verify", None, &[])
        .await
        .expect(400, TOKEN_MISSING);
    // A user token is not a runner token.
    verify(&s, ADMIN_TOKEN).await.expect(403, FORBIDDEN);
}

// ---- authentication token resets -----------------------------------------------

#[tokio::test]
async fn reset_authentication_token_with_the_current_token() {
    let s = Sandbox::fixed().await;
    let old = s.runner_token(2);
    let r = s
        .post_form(
            "/runners/reset_authentication_token",
            None,
            &[("token", &old)],
        )
        .await;
    let new = reset_answer(&r, "glrt-");
    assert_ne!(new, old);
    verify(&s, &old).await.expect(403, FORBIDDEN);
    assert_eq!(verify(&s, &new).await.ok(200)["id"], 2);
    // The old token can no longer reset either.
    s.post_form(
        "/runners/reset_authentication_token",
        None,
        &[("token", &old)],
    )
    .await
    .expect(403, FORBIDDEN);
    s.post_form("/runners/reset_authentication_token", None, &[])
        .await
        .expect(400, TOKEN_MISSING);
    // The runner itself is untouched.
    assert_eq!(s.get("/runners/2", ADMIN_TOKEN).await.ok(200)["id"], 2);
}

#[tokio::test]
async fn reset_authentication_token_by_runner_id() {
    let s = Sandbox::fixed().await;
    let old = s.runner_token(1);
    let r = s
        .post_form(
            "/runners/1/reset_authentication_token",
            Some(ADMIN_TOKEN),
            &[],
        )
        .await;
    let new = reset_answer(&r, "glrt-");
    assert_ne!(new, old);
    verify(&s, &old).await.expect(403, FORBIDDEN);
    assert_eq!(verify(&s, &new).await.ok(200)["id"], 1);

    // Owners of a project runner may; nobody but admins for instance runners.
    let old3 = s.runner_token(3);
    let r = s
        .post_form(
            "/runners/3/reset_authentication_token",
            Some(MAINTAINER_TOKEN),
            &[],
        )
        .await;
    let new3 = reset_answer(&r, "glrt-");
    verify(&s, &old3).await.expect(403, FORBIDDEN);
    verify(&s, &new3).await.ok(200);
    s.post_form(
        "/runners/1/reset_authentication_token",
        Some(MAINTAINER_TOKEN),
        &[],
    )
    .await
    .expect(403, NO_ACCESS);
    s.post_form(
        "/runners/3/reset_authentication_token",
        Some(REPORTER_TOKEN),
        &[],
    )
    .await
    .expect(403, NO_ACCESS);
    s.post_form(
        "/runners/999/reset_authentication_token",
        Some(ADMIN_TOKEN),
        &[],
    )
    .await
    .expect(404, RUNNER_NOT_FOUND);
    s.post_form(
        "/runners/abc/reset_authentication_token",
        Some(ADMIN_TOKEN),
        &[],
    )
    .await
    .expect(400, r#"{"error":"id is invalid"}"#);
    s.post_form("/runners/1/reset_authentication_token", None, &[])
        .await
        .expect(401, UNAUTHORIZED);
    // The refused calls did not change the instance runner's token.
    verify(&s, &new).await.ok(200);
}

// ---- registration token resets -------------------------------------------------

#[tokio::test]
async fn reset_instance_registration_token_is_for_admins() {
    // GitLab 15.11: registration tokens work and an unknown one gets the bare `403 Forbidden` (16.0 adds a reason).
    let s = Sandbox::fixed_at(15, 11).await;
    let old = s.instance_registration_token();
    s.post_form(
        "/runners/reset_registration_token",
        Some(MAINTAINER_TOKEN),
        &[],
    )
    .await
    .expect(403, FORBIDDEN);
    s.post_form(
        "/runners/reset_registration_token",
        Some(REPORTER_TOKEN),
        &[],
    )
    .await
    .expect(403, FORBIDDEN);
    assert_eq!(s.instance_registration_token(), old);
    let r = s
        .post_form("/runners/reset_registration_token", Some(ADMIN_TOKEN), &[])
        .await;
    let new = reset_answer(&r, "GR1348941");
    assert_ne!(new, old);
    register(&s, &[("token", &old)])
        .await
        .expect(403, FORBIDDEN);
    let (id, _) = registered(&register(&s, &[("token", &new)]).await);
    let d = s.get(&format!("/runners/{id}"), ADMIN_TOKEN).await;
    assert_eq!(d.ok(200)["runner_type"], "instance_type");
}

#[tokio::test]
async fn reset_group_registration_token_is_for_owners() {
    // GitLab 15.11: registration tokens work and an unknown one gets the bare `403 Forbidden` (16.0 adds a reason).
    let s = Sandbox::fixed_at(15, 11).await;
    let old = s.group_registration_token(1);
    // Maintainer of platform, not owner.
    s.post_form(
        "/groups/1/runners/reset_registration_token",
        Some(MAINTAINER_TOKEN),
        &[],
    )
    .await
    .expect(403, FORBIDDEN);
    // The reporter cannot even see platform; data only through a project.
    s.post_form(
        "/groups/1/runners/reset_registration_token",
        Some(REPORTER_TOKEN),
        &[],
    )
    .await
    .expect(404, GROUP_NOT_FOUND);
    s.post_form(
        "/groups/2/runners/reset_registration_token",
        Some(REPORTER_TOKEN),
        &[],
    )
    .await
    .expect(403, FORBIDDEN);
    s.post_form(
        "/groups/99/runners/reset_registration_token",
        Some(ADMIN_TOKEN),
        &[],
    )
    .await
    .expect(404, GROUP_NOT_FOUND);
    assert_eq!(s.group_registration_token(1), old);

    let r = s
        .post_form(
            "/groups/1/runners/reset_registration_token",
            Some(ADMIN_TOKEN),
            &[],
        )
        .await;
    let new = reset_answer(&r, "GR1348941");
    assert_ne!(new, old);
    register(&s, &[("token", &old)])
        .await
        .expect(403, FORBIDDEN);
    let (id, _) = registered(&register(&s, &[("token", &new)]).await);
    let d = s.get(&format!("/runners/{id}"), ADMIN_TOKEN).await;
    assert_eq!(d.ok(200)["runner_type"], "group_type");
    assert_eq!(d.body["groups"][0]["id"], 1);

    // By path too.
    let r = s
        .post_form(
            "/groups/data/runners/reset_registration_token",
            Some(ADMIN_TOKEN),
            &[],
        )
        .await;
    let data = reset_answer(&r, "GR1348941");
    assert_eq!(s.group_registration_token(2), data);
}

#[tokio::test]
async fn reset_project_registration_token_is_for_maintainers() {
    // GitLab 15.11: registration tokens work and an unknown one gets the bare `403 Forbidden` (16.0 adds a reason).
    let s = Sandbox::fixed_at(15, 11).await;
    let old = s.project_registration_token(1);
    let r = s
        .post_form(
            "/projects/1/runners/reset_registration_token",
            Some(MAINTAINER_TOKEN),
            &[],
        )
        .await;
    let new = reset_answer(&r, "GR1348941");
    assert_ne!(new, old);
    register(&s, &[("token", &old)])
        .await
        .expect(403, FORBIDDEN);
    let (id, _) = registered(&register(&s, &[("token", &new)]).await);
    let d = s.get(&format!("/runners/{id}"), MAINTAINER_TOKEN).await;
    assert_eq!(d.ok(200)["runner_type"], "project_type");
    assert_eq!(d.body["projects"][0]["id"], 1);

    s.post_form(
        "/projects/4/runners/reset_registration_token",
        Some(REPORTER_TOKEN),
        &[],
    )
    .await
    .expect(403, FORBIDDEN);
    s.post_form(
        "/projects/1/runners/reset_registration_token",
        Some(REPORTER_TOKEN),
        &[],
    )
    .await
    .expect(404, PROJECT_NOT_FOUND);
    let old_web = s.project_registration_token(2);
    let r = s
        .post_form(
            "/projects/platform%2Fweb/runners/reset_registration_token",
            Some(MAINTAINER_TOKEN),
            &[],
        )
        .await;
    let web = reset_answer(&r, "GR1348941");
    assert_ne!(web, old_web);
    assert_eq!(s.project_registration_token(2), web);
}
