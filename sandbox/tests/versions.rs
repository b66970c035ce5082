//! `--gitlab-version`: every behaviour that arrives with a GitLab version, just
//! before and at its boundary (`GitLabVersion`'s switches, `docs/gitlab-versions.md`),
//! and `POST /user/runners`.

mod common;

use common::*;
use gitlab_sandbox::{Config, GitLabVersion};
use reqwest::Method;
use serde_json::{json, Value};
use time::{Duration, OffsetDateTime};

const NO_ROUTE: &str = r#"{"error":"404 Not Found"}"#;
const INSUFFICIENT_SCOPE: &str = r#"{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api"}"#;
const INSUFFICIENT_PERMISSIONS: &str = r#"{"message":"403 Forbidden - Insufficient permissions"}"#;
const GONE: &str = r#"{"message":"410 Gone - runner registration disallowed"}"#;
const INVALID_TOKEN: &str = r#"{"message":"403 Forbidden - invalid token supplied"}"#;

fn config(major: u32, minor: u32) -> Config {
    Config {
        runners: 12,
        gitlab_version: GitLabVersion::new(major, minor),
        ..Default::default()
    }
}

async fn create(s: &Sandbox, token: &str, form: &[(&str, &str)]) -> Reply {
    s.post_form("/user/runners", Some(token), form).await
}

/// Asserts GitLab's 201 `{"id","token":"glrt-…","token_expires_at":null}`; (id, token).
#[track_caller]
fn created(r: &Reply) -> (u64, String) {
    let body = r.ok(201).as_object().expect("object");
    let mut keys: Vec<&str> = body.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["id", "token", "token_expires_at"]);
    assert_eq!(body["token_expires_at"], Value::Null);
    let token = body["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("glrt-") && token.len() > 20, "{token}");
    (body["id"].as_u64().unwrap(), token)
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    k.sort_unstable();
    k
}

// ---- /version and the banner ---------------------------------------------------

#[tokio::test]
async fn version_answers_the_configured_version() {
    for (major, minor) in [(15, 0), (16, 11), (17, 0), (18, 11)] {
        let s = Sandbox::with(config(major, minor)).await;
        let v = s.get("/version", ADMIN_TOKEN).await;
        assert_eq!(v.ok(200)["version"], format!("{major}.{minor}.0"));
    }
    // The default is the newest.
    let s = Sandbox::fixed().await;
    assert_eq!(
        s.get("/version", ADMIN_TOKEN).await.body["version"],
        "18.11.0"
    );
}

#[tokio::test]
async fn the_banner_says_the_version_and_the_registration_setting() {
    let banner = |c: Config| {
        let state = gitlab_sandbox::state(&c);
        let world = state.read();
        gitlab_sandbox::banner(&world, "http://sandbox")
    };
    let newest = banner(config(18, 11));
    assert!(newest.contains("Answers like GitLab 18.11"), "{newest}");
    assert!(
        newest.contains("Registration tokens: not allowed"),
        "{newest}"
    );
    assert!(newest.contains(CREATE_RUNNER_TOKEN) && newest.contains(MANAGE_RUNNER_TOKEN));
    let old = banner(config(16, 11));
    assert!(old.contains("Answers like GitLab 16.11"), "{old}");
    assert!(old.contains("Registration tokens: allowed"), "{old}");
    let turned_on = banner(Config {
        allow_registration_token: Some(true),
        ..config(18, 11)
    });
    assert!(
        turned_on.contains("Registration tokens: allowed"),
        "{turned_on}"
    );
}

// ---- POST /user/runners (15.11) -------------------------------------------------

#[tokio::test]
async fn user_runners_is_a_missing_route_before_15_11() {
    let s = Sandbox::fixed_at(15, 10).await;
    create(&s, ADMIN_TOKEN, &[("runner_type", "instance_type")])
        .await
        .expect(404, NO_ROUTE);
    let s = Sandbox::fixed_at(15, 11).await;
    created(&create(&s, ADMIN_TOKEN, &[("runner_type", "instance_type")]).await);
}

#[tokio::test]
async fn admin_creates_an_instance_runner_that_waits_for_its_machine() {
    let s = Sandbox::fixed().await;
    let (id, token) = created(&create(&s, ADMIN_TOKEN, &[("runner_type", "instance_type")]).await);
    assert_eq!(id, 13, "the next runner id");
    let d = s.get(&format!("/runners/{id}"), ADMIN_TOKEN).await;
    let d = d.ok(200);
    assert_eq!(d["runner_type"], "instance_type");
    assert_eq!(d["is_shared"], true);
    assert_eq!(d["status"], "never_contacted");
    assert_eq!(d["contacted_at"], Value::Null);
    assert_eq!(d["active"], true);
    assert_eq!(d["run_untagged"], true);
    assert_eq!(d["locked"], false);
    assert_eq!(d["version"], Value::Null);
    assert_eq!(
        s.get(&format!("/runners/{id}/managers"), ADMIN_TOKEN)
            .await
            .ok(200),
        &json!([])
    );
    {
        let world = s.running.state.read();
        let r = &world.runners[&id];
        assert_eq!(r.creator_id, Some(1));
        assert_eq!(r.token, token);
    }

    // The `glrt-` token works on the runner's own endpoints. `system_id` is
    // optional in GitLab's code; given, the machine is recorded, not yet contacted.
    let v = s
        .post_form("/runners/verify", None, &[("token", &token)])
        .await;
    assert_eq!(v.ok(200)["id"], id);
    let v = s
        .post_form(
            "/runners/verify",
            None,
            &[("token", &token), ("system_id", "s_0123456789ab")],
        )
        .await;
    assert_eq!(v.ok(200)["token"], token);
    let machines = s.get(&format!("/runners/{id}/managers"), ADMIN_TOKEN).await;
    let machines = machines.ok(200).as_array().unwrap().clone();
    assert_eq!(machines.len(), 1);
    assert_eq!(machines[0]["system_id"], "s_0123456789ab");
    assert_eq!(machines[0]["contacted_at"], Value::Null);
    assert_eq!(machines[0]["status"], "never_contacted");
    // Verifying again with the same machine adds nothing.
    s.post_form(
        "/runners/verify",
        None,
        &[("token", &token), ("system_id", "s_0123456789ab")],
    )
    .await
    .ok(200);
    assert_eq!(
        s.get(&format!("/runners/{id}/managers"), ADMIN_TOKEN)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let reset = s
        .post_form(
            "/runners/reset_authentication_token",
            None,
            &[("token", &token)],
        )
        .await;
    let fresh = reset.ok(201)["token"].as_str().unwrap().to_string();
    assert!(fresh.starts_with("glrt-") && fresh != token);
    send(
        s.req(Method::DELETE, "/runners", None)
            .form(&[("token", fresh.as_str())]),
    )
    .await
    .ok(204);
    assert!(!s.running.state.read().runners.contains_key(&id));
}

#[tokio::test]
async fn a_created_runner_that_asks_for_jobs_is_online_with_its_machine() {
    let s = Sandbox::fixed().await;
    let (id, token) = created(&create(&s, ADMIN_TOKEN, &[("runner_type", "instance_type")]).await);
    let info = [
        ("token", token.as_str()),
        ("system_id", "s_0123456789ab"),
        ("info[name]", "gitlab-runner"),
        ("info[version]", "18.11.0"),
        ("info[revision]", "a1b2c3d4"),
        ("info[platform]", "linux"),
        ("info[architecture]", "arm64"),
    ];
    let r = s.post_form("/jobs/request", None, &info).await;
    assert_eq!(r.status, 204, "{}", r.text);
    assert!(r.header("x-gitlab-last-update").is_some());
    let d = s.get(&format!("/runners/{id}"), ADMIN_TOKEN).await;
    let d = d.ok(200);
    assert_eq!(d["status"], "online");
    assert_eq!(d["version"], "18.11.0");
    assert_eq!(d["architecture"], "arm64");
    assert_ne!(d["contacted_at"], Value::Null);
    let machines = s.get(&format!("/runners/{id}/managers"), ADMIN_TOKEN).await;
    let machines = machines.ok(200).as_array().unwrap().clone();
    assert_eq!(machines.len(), 1);
    let m = &machines[0];
    assert_eq!(m["system_id"], "s_0123456789ab");
    assert_eq!(m["version"], "18.11.0");
    assert_eq!(m["revision"], "a1b2c3d4");
    assert_eq!(m["platform"], "linux");
    assert_eq!(m["status"], "online");
    // Asking again refreshes the same machine; a second machine is another row.
    s.post_form("/jobs/request", None, &info).await;
    let second = [
        ("token", token.as_str()),
        ("system_id", "s_ba9876543210"),
        ("info[version]", "18.10.1"),
    ];
    assert_eq!(
        s.post_form("/jobs/request", None, &second).await.status,
        204
    );
    let machines = s.get(&format!("/runners/{id}/managers"), ADMIN_TOKEN).await;
    assert_eq!(machines.body.as_array().unwrap().len(), 2);
    // A token GitLab does not know is refused, as on every runner endpoint.
    let wrong = s
        .post_form("/jobs/request", None, &[("token", "glrt-nope")])
        .await;
    assert_eq!(wrong.status, 403);
    let missing = s.post_form("/jobs/request", None, &[]).await;
    assert_eq!(missing.status, 400);
}

#[tokio::test]
async fn user_runners_takes_every_setting() {
    let s = Sandbox::fixed().await;
    let note = "Racked in room 4";
    let (id, _) = created(
        &create(
            &s,
            ADMIN_TOKEN,
            &[
                ("runner_type", "instance_type"),
                ("description", "fresh"),
                ("maintenance_note", note),
                ("paused", "true"),
                ("locked", "true"),
                ("access_level", "ref_protected"),
                ("run_untagged", "false"),
                ("tag_list", "linux, docker,linux"),
                ("maximum_timeout", "3600"),
            ],
        )
        .await,
    );
    let d = s.get(&format!("/runners/{id}"), ADMIN_TOKEN).await;
    let d = d.ok(200);
    assert_eq!(d["description"], "fresh");
    assert_eq!(d["maintenance_note"], note);
    assert_eq!(
        (d["paused"].clone(), d["active"].clone()),
        (json!(true), json!(false))
    );
    assert_eq!(d["locked"], true);
    assert_eq!(d["access_level"], "ref_protected");
    assert_eq!(d["run_untagged"], false);
    assert_eq!(d["tag_list"], json!(["linux", "docker"]));
    assert_eq!(d["maximum_timeout"], 3600);

    // tag_list as an array too.
    let (id, _) = created(
        &send(
            s.req(Method::POST, "/user/runners", Some(ADMIN_TOKEN))
                .json(&json!({
                    "runner_type": "instance_type", "tag_list": ["gpu", "arm64"]
                })),
        )
        .await,
    );
    assert_eq!(
        s.get(&format!("/runners/{id}"), ADMIN_TOKEN).await.body["tag_list"],
        json!(["gpu", "arm64"])
    );
}

#[tokio::test]
async fn group_runners_are_for_the_groups_owners() {
    let s = Sandbox::fixed().await;
    // The maintainer of platform is no owner.
    create(
        &s,
        MAINTAINER_TOKEN,
        &[("runner_type", "group_type"), ("group_id", "1")],
    )
    .await
    .expect(403, INSUFFICIENT_PERMISSIONS);
    // Made owner of data (group 2), she may.
    s.running
        .state
        .write()
        .group_members
        .push((2, 2, gitlab_sandbox::model::OWNER));
    let (id, _) = created(
        &create(
            &s,
            MAINTAINER_TOKEN,
            &[("runner_type", "group_type"), ("group_id", "2")],
        )
        .await,
    );
    let d = s.get(&format!("/runners/{id}"), ADMIN_TOKEN).await;
    assert_eq!(d.ok(200)["runner_type"], "group_type");
    assert_eq!(d.body["groups"][0]["id"], 2);
    let group = s
        .get("/groups/2/runners?type=group_type", ADMIN_TOKEN)
        .await;
    assert!(group.ids().contains(&id));
    // Admins may anywhere.
    created(
        &create(
            &s,
            ADMIN_TOKEN,
            &[("runner_type", "group_type"), ("group_id", "3")],
        )
        .await,
    );
}

#[tokio::test]
async fn project_runners_are_for_maintainers_of_the_project() {
    let s = Sandbox::fixed().await;
    let (id, _) = created(
        &create(
            &s,
            MAINTAINER_TOKEN,
            &[("runner_type", "project_type"), ("project_id", "2")],
        )
        .await,
    );
    let d = s.get(&format!("/runners/{id}"), MAINTAINER_TOKEN).await;
    assert_eq!(d.ok(200)["runner_type"], "project_type");
    assert_eq!(d.body["projects"][0]["path_with_namespace"], "platform/web");
    assert!(s
        .get("/runners", MAINTAINER_TOKEN)
        .await
        .ids()
        .contains(&id));
    // A reporter of data/warehouse may not; nor a maintainer outside her projects.
    create(
        &s,
        REPORTER_TOKEN,
        &[("runner_type", "project_type"), ("project_id", "4")],
    )
    .await
    .expect(403, INSUFFICIENT_PERMISSIONS);
    create(
        &s,
        MAINTAINER_TOKEN,
        &[("runner_type", "project_type"), ("project_id", "4")],
    )
    .await
    .expect(403, INSUFFICIENT_PERMISSIONS);
}

#[tokio::test]
async fn the_maintainer_may_not_create_an_instance_runner() {
    let s = Sandbox::fixed().await;
    let before = s.running.state.read().runners.len();
    create(&s, MAINTAINER_TOKEN, &[("runner_type", "instance_type")])
        .await
        .expect(403, INSUFFICIENT_PERMISSIONS);
    assert_eq!(s.running.state.read().runners.len(), before);
}

#[tokio::test]
async fn unknown_group_or_project_is_a_bad_request() {
    let s = Sandbox::fixed().await;
    // Checked before permissions, as `validate_params` runs first.
    create(
        &s,
        REPORTER_TOKEN,
        &[("runner_type", "project_type"), ("project_id", "999")],
    )
    .await
    .expect(
        400,
        r#"{"message":"400 Bad request - Missing/invalid project"}"#,
    );
    create(
        &s,
        ADMIN_TOKEN,
        &[("runner_type", "group_type"), ("group_id", "999")],
    )
    .await
    .expect(
        400,
        r#"{"message":"400 Bad request - Missing/invalid group"}"#,
    );
}

#[tokio::test]
async fn user_runners_parameter_validation() {
    let s = Sandbox::fixed().await;
    let err = |e: &str| format!(r#"{{"error":"{e}"}}"#);
    create(&s, ADMIN_TOKEN, &[]).await.expect(
        400,
        &err("runner_type is missing, runner_type does not have a valid value"),
    );
    create(&s, ADMIN_TOKEN, &[("runner_type", "shared")])
        .await
        .expect(400, &err("runner_type does not have a valid value"));
    create(&s, ADMIN_TOKEN, &[("runner_type", "group_type")])
        .await
        .expect(400, &err("group_id is missing"));
    create(&s, ADMIN_TOKEN, &[("runner_type", "project_type")])
        .await
        .expect(400, &err("project_id is missing"));
    create(
        &s,
        ADMIN_TOKEN,
        &[("runner_type", "group_type"), ("group_id", "one")],
    )
    .await
    .expect(400, &err("group_id is invalid"));
    create(
        &s,
        ADMIN_TOKEN,
        &[
            ("runner_type", "instance_type"),
            ("access_level", "all"),
            ("paused", "maybe"),
        ],
    )
    .await
    .expect(
        400,
        &err("paused is invalid, access_level does not have a valid value"),
    );
    // Model validations: `bad_request!(errors.full_messages.to_sentence)`.
    create(
        &s,
        ADMIN_TOKEN,
        &[("runner_type", "instance_type"), ("run_untagged", "false")],
    )
    .await
    .expect(
        400,
        r#"{"message":"400 Bad request - Tags list can not be empty when runner is not allowed to pick untagged jobs"}"#,
    );
    let long = "n".repeat(1025);
    create(
        &s,
        ADMIN_TOKEN,
        &[
            ("runner_type", "instance_type"),
            ("maximum_timeout", "60"),
            ("maintenance_note", &long),
        ],
    )
    .await
    .expect(
        400,
        r#"{"message":"400 Bad request - Maximum timeout needs to be at least 10 minutes and Maintenance note is too long (maximum is 1024 characters)"}"#,
    );
    assert_eq!(s.running.state.read().runners.len(), 12, "nothing stored");
    // No token: 401.
    s.post_form("/user/runners", None, &[("runner_type", "instance_type")])
        .await
        .expect(401, UNAUTHORIZED);
}

#[tokio::test]
async fn read_api_tokens_may_not_create_runners() {
    let s = Sandbox::fixed().await;
    create(&s, READONLY_TOKEN, &[("runner_type", "instance_type")])
        .await
        .expect(403, INSUFFICIENT_SCOPE);
}

// ---- Token scopes: create_runner (16.1), manage_runner (17.1) ----------------------

#[tokio::test]
async fn create_runner_scope_creates_runners_and_nothing_else() {
    let s = Sandbox::fixed().await;
    let (id, _) = created(
        &create(
            &s,
            CREATE_RUNNER_TOKEN,
            &[("runner_type", "project_type"), ("project_id", "1")],
        )
        .await,
    );
    // The token's user is the maintainer: her permissions still apply.
    assert_eq!(s.running.state.read().runners[&id].creator_id, Some(2));
    create(&s, CREATE_RUNNER_TOKEN, &[("runner_type", "instance_type")])
        .await
        .expect(403, INSUFFICIENT_PERMISSIONS);
    for path in [
        "/user",
        "/runners",
        "/runners/3",
        "/runners/3/jobs",
        "/version",
    ] {
        s.get(path, CREATE_RUNNER_TOKEN)
            .await
            .expect(403, INSUFFICIENT_SCOPE);
    }
    s.put_form("/runners/3", CREATE_RUNNER_TOKEN, &[("paused", "true")])
        .await
        .expect(403, INSUFFICIENT_SCOPE);
}

#[tokio::test]
async fn create_runner_scope_arrives_in_16_1() {
    let s = Sandbox::fixed_at(16, 0).await;
    create(
        &s,
        CREATE_RUNNER_TOKEN,
        &[("runner_type", "project_type"), ("project_id", "1")],
    )
    .await
    .expect(401, UNAUTHORIZED);
    s.get("/user", CREATE_RUNNER_TOKEN)
        .await
        .expect(401, UNAUTHORIZED);
    let s = Sandbox::fixed_at(16, 1).await;
    created(
        &create(
            &s,
            CREATE_RUNNER_TOKEN,
            &[("runner_type", "project_type"), ("project_id", "1")],
        )
        .await,
    );
}

#[tokio::test]
async fn manage_runner_scope_works_on_one_runner_and_below() {
    let s = Sandbox::fixed().await;
    let t = MANAGE_RUNNER_TOKEN;
    assert_eq!(s.get("/runners/1", t).await.ok(200)["id"], 1);
    assert_eq!(
        s.get("/runners/1/jobs", t)
            .await
            .ok(200)
            .as_array()
            .unwrap()
            .len(),
        15
    );
    assert!(!s
        .get("/runners/1/managers", t)
        .await
        .ok(200)
        .as_array()
        .unwrap()
        .is_empty());
    s.get("/runners/3/projects", t).await.ok(200);
    let put = s.put_form("/runners/1", t, &[("paused", "true")]).await;
    assert_eq!(put.ok(200)["paused"], true);
    s.post_form("/runners/1/reset_authentication_token", Some(t), &[])
        .await
        .ok(201);
    s.delete("/runners/2", t).await.ok(204);
    // Not the lists, nor other endpoints.
    for path in [
        "/runners",
        "/runners/all",
        "/user",
        "/groups/1/runners",
        "/projects/1/runners",
    ] {
        s.get(path, t).await.expect(403, INSUFFICIENT_SCOPE);
    }
    create(&s, t, &[("runner_type", "instance_type")])
        .await
        .expect(403, INSUFFICIENT_SCOPE);
}

#[tokio::test]
async fn manage_runner_scope_arrives_in_17_1() {
    let s = Sandbox::fixed_at(17, 0).await;
    s.get("/runners/1", MANAGE_RUNNER_TOKEN)
        .await
        .expect(401, UNAUTHORIZED);
    let s = Sandbox::fixed_at(17, 1).await;
    assert_eq!(
        s.get("/runners/1", MANAGE_RUNNER_TOKEN).await.ok(200)["id"],
        1
    );
}

// ---- Registration tokens: the 410 (16.0) and the default (17.0) ---------------------

#[tokio::test]
async fn registration_tokens_off_answer_410() {
    let s = Sandbox::fixed().await;
    let instance = s.instance_registration_token();
    let group = s.group_registration_token(1);
    let project = s.project_registration_token(1);
    for token in [instance.as_str(), group.as_str(), project.as_str()] {
        s.post_form("/runners", None, &[("token", token)])
            .await
            .expect(410, GONE);
    }
    // With the setting off GitLab does not tell whether a token is valid: any
    // non-empty one gets the 410; an empty one is invalid.
    s.post_form("/runners", None, &[("token", "GR1348941not-a-token")])
        .await
        .expect(410, GONE);
    s.post_form("/runners", None, &[("token", "")])
        .await
        .expect(403, INVALID_TOKEN);
    assert_eq!(s.running.state.read().runners.len(), 12);
}

#[tokio::test]
async fn allow_registration_token_turns_them_back_on() {
    let s = Sandbox::with(Config {
        allow_registration_token: Some(true),
        ..config(18, 11)
    })
    .await;
    let token = s.instance_registration_token();
    let r = s.post_form("/runners", None, &[("token", &token)]).await;
    assert_eq!(r.ok(201)["id"], 13);
    s.post_form("/runners", None, &[("token", "GR1348941not-a-token")])
        .await
        .expect(403, INVALID_TOKEN);
}

#[tokio::test]
async fn registration_tokens_are_off_by_default_from_17_0() {
    let s = Sandbox::fixed_at(16, 11).await;
    let token = s.instance_registration_token();
    s.post_form("/runners", None, &[("token", &token)])
        .await
        .ok(201);
    let s = Sandbox::fixed_at(17, 0).await;
    let token = s.instance_registration_token();
    s.post_form("/runners", None, &[("token", &token)])
        .await
        .expect(410, GONE);
}

#[tokio::test]
async fn the_setting_exists_from_16_0() {
    // 15.11 has no such setting: registration tokens always work.
    let s = Sandbox::with(Config {
        allow_registration_token: Some(false),
        ..config(15, 11)
    })
    .await;
    let token = s.instance_registration_token();
    s.post_form("/runners", None, &[("token", &token)])
        .await
        .ok(201);
    let s = Sandbox::with(Config {
        allow_registration_token: Some(false),
        ..config(16, 0)
    })
    .await;
    let token = s.instance_registration_token();
    s.post_form("/runners", None, &[("token", &token)])
        .await
        .expect(410, GONE);
}

#[tokio::test]
async fn an_unknown_registration_token_gets_a_reason_from_16_0() {
    let s = Sandbox::fixed_at(15, 11).await;
    s.post_form("/runners", None, &[("token", "GR1348941not-a-token")])
        .await
        .expect(403, FORBIDDEN);
    let s = Sandbox::fixed_at(16, 0).await;
    s.post_form("/runners", None, &[("token", "GR1348941not-a-token")])
        .await
        .expect(403, INVALID_TOKEN);
}

// ---- 17.0: ip_address "" and the version fields from the managers --------------------

#[tokio::test]
async fn ip_address_is_empty_from_17_0() {
    let s = Sandbox::fixed_at(16, 11).await;
    assert_eq!(
        s.get("/runners/3", ADMIN_TOKEN).await.body["ip_address"],
        "10.0.0.3"
    );
    let list = s.get("/runners/all", ADMIN_TOKEN).await;
    assert_eq!(list.body[0]["ip_address"], "10.0.0.1");
    assert_eq!(list.body[9]["ip_address"], Value::Null);

    let s = Sandbox::fixed_at(17, 0).await;
    assert_eq!(
        s.get("/runners/3", ADMIN_TOKEN).await.body["ip_address"],
        ""
    );
    let list = s.get("/runners/all", ADMIN_TOKEN).await;
    assert!(list
        .body
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["ip_address"] == ""));
    assert_eq!(
        s.get("/projects/1/runners", ADMIN_TOKEN).await.body[0]["ip_address"],
        ""
    );
    // The managers keep theirs (17.1 has the route).
    let s = Sandbox::fixed_at(17, 1).await;
    let machines = s.get("/runners/3/managers", ADMIN_TOKEN).await;
    assert_eq!(machines.ok(200)[0]["ip_address"], "10.0.0.3");
}

/// Registers an instance runner announcing version 16.5.0 on linux; its id.
async fn register_with_info(s: &Sandbox) -> u64 {
    let token = s.instance_registration_token();
    let form = [
        ("token", token.as_str()),
        ("info[version]", "16.5.0"),
        ("info[platform]", "linux"),
    ];
    let r = s.post_form("/runners", None, &form).await;
    r.ok(201)["id"].as_u64().unwrap()
}

#[tokio::test]
async fn runner_version_fields_come_from_the_managers_from_17_0() {
    // 16.11: `info` fills the runner's own columns.
    let s = Sandbox::fixed_at(16, 11).await;
    let id = register_with_info(&s).await;
    let d = s.get(&format!("/runners/{id}"), ADMIN_TOKEN).await;
    assert_eq!(
        (d.body["version"].clone(), d.body["platform"].clone()),
        (json!("16.5.0"), json!("linux"))
    );
    // 17.0: the fields are its latest manager's, and it has none yet.
    let s = Sandbox::with(Config {
        allow_registration_token: Some(true),
        ..config(17, 0)
    })
    .await;
    let id = register_with_info(&s).await;
    let d = s.get(&format!("/runners/{id}"), ADMIN_TOKEN).await;
    for key in ["version", "revision", "platform", "architecture"] {
        assert_eq!(d.body[key], Value::Null, "{key}");
    }
    // A generated runner: the most recently contacted manager's.
    let s = Sandbox::fixed_at(18, 11).await;
    let machines = s.get("/runners/1/managers", ADMIN_TOKEN).await;
    let latest = machines
        .body
        .as_array()
        .unwrap()
        .iter()
        .max_by_key(|m| m["contacted_at"].as_str().unwrap().to_string())
        .unwrap()
        .clone();
    let d = s.get("/runners/1", ADMIN_TOKEN).await;
    for key in ["version", "revision", "platform", "architecture"] {
        assert_eq!(d.body[key], latest[key], "{key}");
    }
}

// ---- 17.1: stale after 7 days instead of 3 months ------------------------------------

/// Runner 4 (instance, offline) last seen `days` ago.
fn last_seen(s: &Sandbox, days: i64) {
    let now = OffsetDateTime::now_utc();
    let mut world = s.running.state.write();
    let r = world.runners.get_mut(&4).unwrap();
    r.created_at = now - Duration::days(200);
    r.contacted_at = Some(now - Duration::days(days));
}

#[tokio::test]
async fn stale_means_3_months_before_17_1() {
    let s = Sandbox::fixed_at(17, 0).await;
    last_seen(&s, 30);
    assert_eq!(
        s.get("/runners/4", ADMIN_TOKEN).await.body["status"],
        "offline"
    );
    let stale = s.get("/runners/all?status=stale", ADMIN_TOKEN).await.ids();
    assert!(!stale.contains(&4), "{stale:?}");
    last_seen(&s, 91);
    assert_eq!(
        s.get("/runners/4", ADMIN_TOKEN).await.body["status"],
        "stale"
    );
}

#[tokio::test]
async fn stale_means_7_days_from_17_1() {
    let s = Sandbox::fixed_at(17, 1).await;
    last_seen(&s, 6);
    assert_eq!(
        s.get("/runners/4", ADMIN_TOKEN).await.body["status"],
        "offline"
    );
    last_seen(&s, 8);
    assert_eq!(
        s.get("/runners/4", ADMIN_TOKEN).await.body["status"],
        "stale"
    );
    assert!(s
        .get("/runners/all?status=stale", ADMIN_TOKEN)
        .await
        .ids()
        .contains(&4));
    assert!(s
        .get("/runners/all?scope=stale", ADMIN_TOKEN)
        .await
        .ids()
        .contains(&4));
    // The model answers like the newest version too (the browser tests count with it).
    let now = OffsetDateTime::now_utc();
    assert!(s.running.state.read().runners[&4].matches_scope("stale", now));
}

#[tokio::test]
async fn the_fixed_runners_keep_their_status_at_either_threshold() {
    for (major, minor) in [(16, 11), (18, 11)] {
        let s = Sandbox::fixed_at(major, minor).await;
        let status: Vec<String> = s
            .get("/runners/all", ADMIN_TOKEN)
            .await
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["status"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            status,
            [
                "online",
                "online",
                "online",
                "offline",
                "offline",
                "offline",
                "stale",
                "stale",
                "stale",
                "never_contacted",
                "never_contacted",
                "never_contacted"
            ],
            "{major}.{minor}"
        );
    }
}

// ---- 17.1: GET /runners/:id/managers ------------------------------------------------

#[tokio::test]
async fn managers_route_arrives_in_17_1() {
    let s = Sandbox::fixed_at(17, 0).await;
    s.get("/runners/4/managers", ADMIN_TOKEN)
        .await
        .expect(404, NO_ROUTE);
    // Exactly what an unknown route answers.
    s.get("/runners/4/no_such_thing", ADMIN_TOKEN)
        .await
        .expect(404, NO_ROUTE);
    let s = Sandbox::fixed_at(17, 1).await;
    let machines = s.get("/runners/4/managers", ADMIN_TOKEN).await;
    assert_eq!(machines.ok(200).as_array().unwrap().len(), 2);
    assert_eq!(
        keys(&machines.body[0]),
        [
            "architecture",
            "contacted_at",
            "created_at",
            "id",
            "ip_address",
            "platform",
            "revision",
            "status",
            "system_id",
            "version"
        ]
    );
}

#[tokio::test]
async fn contacted_runners_have_several_machines_of_mixed_versions() {
    let s = Sandbox::start().await;
    let recent = ["18.8.", "18.9.", "18.10.", "18.11."];
    let mut mixed = 0;
    let mut behind = 0;
    let ids: Vec<u64> = s.running.state.read().runners.keys().copied().collect();
    for id in ids {
        let machines = s.get(&format!("/runners/{id}/managers"), ADMIN_TOKEN).await;
        let machines = machines.ok(200).as_array().unwrap().clone();
        if !s.contacted(id) {
            assert!(machines.is_empty(), "runner {id}");
            continue;
        }
        assert!(
            (2..=4).contains(&machines.len()),
            "runner {id}: {}",
            machines.len()
        );
        let versions: Vec<&str> = machines
            .iter()
            .map(|m| m["version"].as_str().unwrap())
            .collect();
        assert!(
            versions
                .iter()
                .all(|v| recent.iter().any(|r| v.starts_with(r))),
            "runner {id}: {versions:?}"
        );
        if versions.iter().any(|v| !v.starts_with("18.11.")) {
            behind += 1;
        }
        let minors: std::collections::BTreeSet<&str> = versions
            .iter()
            .map(|v| v.rsplit_once('.').unwrap().0)
            .collect();
        if minors.len() > 1 {
            mixed += 1;
        }
        let systems: std::collections::BTreeSet<&str> = machines
            .iter()
            .map(|m| m["system_id"].as_str().unwrap())
            .collect();
        assert_eq!(systems.len(), machines.len(), "distinct system ids");
    }
    assert!(mixed > 10 && behind > 10, "mixed {mixed}, behind {behind}");
    // The fixed runner 1's machines differ in version.
    let one = s.get("/runners/1/managers", ADMIN_TOKEN).await;
    let first = one.body[0]["version"].clone();
    assert!(one.body.as_array().unwrap()[1..]
        .iter()
        .all(|m| m["version"] != first));
}

#[tokio::test]
async fn machines_are_the_same_for_the_same_seed_and_follow_the_version() {
    let shape = |s: &Sandbox| {
        let world = s.running.state.read();
        world
            .runners
            .values()
            .flat_map(|r| world.runner_managers(r))
            .map(|m| (m.id, m.system_id, m.version, m.revision))
            .collect::<Vec<_>>()
    };
    let a = Sandbox::start().await;
    let b = Sandbox::start().await;
    assert_eq!(shape(&a), shape(&b));
    let other = Sandbox::with(Config {
        seed: 7,
        ..Default::default()
    })
    .await;
    assert_ne!(shape(&a), shape(&other));
    // At 16.2 the machines run 15.11 to 16.2.
    let old = Sandbox::fixed_at(16, 2).await;
    let versions: Vec<String> = shape(&old).into_iter().filter_map(|m| m.2).collect();
    assert!(!versions.is_empty());
    for v in versions {
        assert!(
            ["15.11.", "16.0.", "16.1.", "16.2."]
                .iter()
                .any(|p| v.starts_with(p)),
            "{v}"
        );
    }
}

// ---- 16.8: system_id on GET /runners/:id/jobs ----------------------------------------

#[tokio::test]
async fn jobs_ignore_system_id_before_16_8() {
    let s = Sandbox::fixed_at(16, 7).await;
    let r = s
        .get("/runners/1/jobs?system_id=s_nothing_like_it", ADMIN_TOKEN)
        .await;
    assert_eq!(r.ids().len(), 15);
    assert_eq!(r.header("x-total"), Some("15"));
}

#[tokio::test]
async fn jobs_by_machine_from_16_8_have_no_total() {
    let s = Sandbox::fixed_at(16, 8).await;
    let systems: Vec<String> = {
        let world = s.running.state.read();
        world
            .runner_managers(&world.runners[&1])
            .into_iter()
            .map(|m| m.system_id)
            .collect()
    };
    assert_eq!(systems.len(), 3);
    let mut all = vec![];
    for (k, system) in systems.iter().enumerate() {
        let r = s
            .get(
                &format!("/runners/1/jobs?system_id={system}&per_page=100"),
                ADMIN_TOKEN,
            )
            .await;
        let ids = r.ids();
        if k == 0 {
            // The machine that made the last contact runs the newest job.
            assert_eq!(ids.first(), Some(&15));
        }
        assert_eq!(r.header("x-total"), None);
        assert_eq!(r.header("x-total-pages"), None);
        assert_eq!(r.header("x-page"), Some("1"));
        assert_eq!(r.header("x-per-page"), Some("100"));
        assert!(!r.header("link").unwrap().contains("rel=\"last\""));
        all.extend(ids);
    }
    all.sort_unstable();
    assert_eq!(
        all,
        (1..=15).collect::<Vec<u64>>(),
        "every job ran on one machine"
    );
    // Paged without a count: the next page is still announced.
    let r = s
        .get(
            &format!("/runners/1/jobs?system_id={}&per_page=1", systems[0]),
            ADMIN_TOKEN,
        )
        .await;
    assert_eq!(r.ids(), vec![15]);
    assert_eq!(r.header("x-total"), None);
    let more = s
        .get(
            &format!("/runners/1/jobs?system_id={}&per_page=100", systems[0]),
            ADMIN_TOKEN,
        )
        .await
        .ids()
        .len();
    assert_eq!(
        r.header("x-next-page"),
        Some(if more > 1 { "2" } else { "" })
    );
    // A machine the runner does not have: nothing.
    let none = s
        .get("/runners/1/jobs?system_id=s_000000000000", ADMIN_TOKEN)
        .await;
    assert_eq!(none.ok(200), &json!([]));
    assert_eq!(none.header("x-total"), None);
    // Without system_id the count is back.
    assert_eq!(
        s.get("/runners/1/jobs", ADMIN_TOKEN)
            .await
            .header("x-total"),
        Some("15")
    );
}

// ---- 18.4: keyset pagination of jobs, include_projects, GET /runners/:id/projects -------

/// The single `rel="next"` link of a keyset answer.
fn next_link(r: &Reply) -> Option<String> {
    let raw = r.header("link")?;
    let url = raw.strip_suffix(r#">; rel="next""#)?.strip_prefix('<')?;
    Some(url.to_string())
}

#[tokio::test]
async fn jobs_keyset_pagination_is_offset_before_18_4() {
    let s = Sandbox::fixed_at(18, 3).await;
    let r = s
        .get(
            "/runners/1/jobs?pagination=keyset&per_page=5&cursor=whatever",
            ADMIN_TOKEN,
        )
        .await;
    assert_eq!(r.ids(), vec![15, 14, 13, 12, 11]);
    assert_eq!(r.header("x-total"), Some("15"));
    assert_eq!(r.header("x-page"), Some("1"));
}

#[tokio::test]
async fn jobs_keyset_pagination_follows_the_cursor_from_18_4() {
    let s = Sandbox::fixed_at(18, 4).await;
    let first = s
        .get("/runners/1/jobs?pagination=keyset&per_page=5", ADMIN_TOKEN)
        .await;
    assert_eq!(first.ids(), vec![15, 14, 13, 12, 11]);
    for header in [
        "x-total",
        "x-total-pages",
        "x-page",
        "x-per-page",
        "x-next-page",
    ] {
        assert_eq!(first.header(header), None, "{header}");
    }
    let next = next_link(&first).expect("rel=next");
    // Base64.urlsafe_encode64('{"id":"11","_kd":"n"}'), GitLab's params sorted.
    assert_eq!(
        next,
        format!(
            "{}/api/v4/runners/1/jobs?cursor=eyJpZCI6IjExIiwiX2tkIjoibiJ9&id=1&page=1&pagination=keyset&per_page=5&sort=desc",
            s.running.url
        )
    );
    let follow = |url: String| {
        let s = &s;
        async move { send(s.client.get(url).header("PRIVATE-TOKEN", ADMIN_TOKEN)).await }
    };
    let second = follow(next).await;
    assert_eq!(second.ids(), vec![10, 9, 8, 7, 6]);
    let third = follow(next_link(&second).expect("rel=next")).await;
    assert_eq!(third.ids(), vec![5, 4, 3, 2, 1]);
    assert_eq!(third.header("link"), None, "the last page links nowhere");

    // Filters carry over; a cursor from the link works as a plain parameter too.
    let running = s
        .get(
            "/runners/1/jobs?pagination=keyset&per_page=1&status=running",
            ADMIN_TOKEN,
        )
        .await;
    assert_eq!(running.ids(), vec![15]);
    let link = next_link(&running).unwrap();
    assert!(link.contains("status=running"), "{link}");
    assert_eq!(follow(link).await.ids(), vec![4]);

    // Only `id: :desc` is supported.
    s.get("/runners/1/jobs?pagination=keyset&sort=asc", ADMIN_TOKEN)
        .await
        .expect(
            405,
            r#"{"message":"Keyset pagination is not yet available for this type of request"}"#,
        );
    s.get("/runners/1/jobs?pagination=keyset&cursor=%%%", ADMIN_TOKEN)
        .await
        .expect(400, r#"{"error":"cursor is invalid"}"#);
    // Without `pagination=keyset`, offset pagination as before.
    assert_eq!(
        s.get("/runners/1/jobs?per_page=5", ADMIN_TOKEN)
            .await
            .header("x-total"),
        Some("15")
    );
}

#[tokio::test]
async fn include_projects_is_ignored_before_18_4() {
    let s = Sandbox::fixed_at(18, 3).await;
    let d = s
        .get("/runners/6?include_projects=false", ADMIN_TOKEN)
        .await;
    assert_eq!(d.ok(200)["projects"].as_array().unwrap().len(), 2);
    let d = s
        .get("/runners/6?include_projects=maybe", ADMIN_TOKEN)
        .await;
    d.ok(200);
}

#[tokio::test]
async fn include_projects_false_leaves_them_out_from_18_4() {
    let s = Sandbox::fixed_at(18, 4).await;
    let d = s
        .get("/runners/6?include_projects=false", ADMIN_TOKEN)
        .await;
    let d = d.ok(200);
    assert!(d.get("projects").is_none(), "{d}");
    assert!(d.get("groups").is_some() && d.get("tag_list").is_some());
    let d = s.get("/runners/6?include_projects=true", ADMIN_TOKEN).await;
    assert_eq!(d.ok(200)["projects"].as_array().unwrap().len(), 2);
    assert_eq!(
        s.get("/runners/6", ADMIN_TOKEN).await.body["projects"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    s.get("/runners/6?include_projects=maybe", ADMIN_TOKEN)
        .await
        .expect(400, r#"{"error":"include_projects is invalid"}"#);
}

#[tokio::test]
async fn runner_projects_route_arrives_in_18_4() {
    let s = Sandbox::fixed_at(18, 3).await;
    s.get("/runners/6/projects", ADMIN_TOKEN)
        .await
        .expect(404, NO_ROUTE);
    let s = Sandbox::fixed_at(18, 4).await;
    let r = s.get("/runners/6/projects", ADMIN_TOKEN).await;
    // ProjectsFinder's order: newest first.
    assert_eq!(r.ids(), vec![3, 2]);
    assert_eq!(r.header("x-total"), Some("2"));
    // The same entity as in the runner's details.
    let d = s.get("/runners/6", ADMIN_TOKEN).await;
    assert_eq!(keys(&r.body[0]), keys(&d.body["projects"][0]));
    assert_eq!(r.body[1], d.body["projects"][0]);
    // Who may read the runner may list them; others not.
    s.get("/runners/6/projects", REPORTER_TOKEN)
        .await
        .expect(403, NO_ACCESS);
    s.get("/runners/999/projects", ADMIN_TOKEN)
        .await
        .expect(404, RUNNER_NOT_FOUND);
    // Instance runners have none.
    assert_eq!(
        s.get("/runners/1/projects", REPORTER_TOKEN).await.ok(200),
        &json!([])
    );
}

#[tokio::test]
async fn a_runner_with_5000_projects_pages_them() {
    let s = Sandbox::with(Config {
        runner_with_projects: Some((3, 5000)),
        ..config(18, 11)
    })
    .await;
    let r = s.get("/runners/3/projects?per_page=100", ADMIN_TOKEN).await;
    assert_eq!(r.ids().len(), 100);
    assert_eq!(r.header("x-total"), Some("5001"));
    assert_eq!(r.header("x-total-pages"), Some("51"));
    assert_eq!(r.header("x-next-page"), Some("2"));
    assert_eq!(r.body[0]["id"], 5010, "the newest project first");
    let last = s
        .get("/runners/3/projects?per_page=100&page=51", ADMIN_TOKEN)
        .await;
    assert_eq!(last.ids(), vec![1]);
    assert_eq!(last.body[0]["path_with_namespace"], "platform/api");
    assert_eq!(last.header("x-next-page"), Some(""));
    // The new projects are platform's, so its maintainer sees them all.
    let maintainer = s
        .get("/runners/3/projects?per_page=5", MAINTAINER_TOKEN)
        .await;
    assert_eq!(maintainer.header("x-total"), Some("5001"));
    assert!(maintainer.body[0]["path_with_namespace"]
        .as_str()
        .unwrap()
        .starts_with("platform/service-"));
    // The details are smaller without them.
    let slim = s
        .get("/runners/3?include_projects=false", ADMIN_TOKEN)
        .await;
    let full = s.get("/runners/3", ADMIN_TOKEN).await;
    assert_eq!(full.body["projects"].as_array().unwrap().len(), 5001);
    assert!(slim.text.len() * 100 < full.text.len());
}

#[tokio::test]
async fn only_project_runners_take_extra_projects() {
    let err = gitlab_sandbox::try_state(&Config {
        runner_with_projects: Some((1, 10)),
        ..config(18, 11)
    })
    .err()
    .expect("runner 1 is an instance runner");
    assert!(err.contains("not a project runner"), "{err}");
    assert!(gitlab_sandbox::try_state(&Config {
        runner_with_projects: Some((99, 10)),
        ..config(18, 11)
    })
    .is_err());
    let state = gitlab_sandbox::state(&config(18, 11));
    let mut world = state.write();
    let ids = gitlab_sandbox::add_projects_to_runner(&mut world, 6, 3).unwrap();
    assert_eq!(ids, vec![11, 12, 13]);
    assert_eq!(world.runners[&6].projects, vec![2, 3, 11, 12, 13]);
}

// ---- 16.6: version_prefix on the four lists ------------------------------------------

const LISTS: [(&str, &str); 4] = [
    ("/runners", MAINTAINER_TOKEN),
    ("/runners/all", ADMIN_TOKEN),
    ("/groups/1/runners", ADMIN_TOKEN),
    ("/projects/1/runners", ADMIN_TOKEN),
];

#[tokio::test]
async fn version_prefix_is_ignored_before_16_6() {
    let s = Sandbox::fixed_at(16, 5).await;
    for (path, token) in LISTS {
        let all = s.get(path, token).await.ids();
        let r = s.get(&format!("{path}?version_prefix=abc"), token).await;
        assert_eq!(r.ids(), all, "{path}");
    }
}

#[tokio::test]
async fn version_prefix_is_validated_and_filters_from_16_6() {
    let s = Sandbox::fixed_at(16, 6).await;
    for (path, token) in LISTS {
        for bad in ["abc", "v16", ""] {
            s.get(&format!("{path}?version_prefix={bad}"), token)
                .await
                .expect(400, r#"{"error":"version_prefix is invalid"}"#);
        }
        // A prefix nobody runs.
        let none = s.get(&format!("{path}?version_prefix=9.9."), token).await;
        assert_eq!(none.ids(), Vec::<u64>::new(), "{path}");
    }
    // A runner matches when any of its machines runs a matching version.
    let r = s
        .get("/runners/all?version_prefix=16.6.", ADMIN_TOKEN)
        .await;
    let found = r.ids();
    assert!(!found.is_empty());
    let world = s.running.state.read();
    for r in world.runners.values() {
        let any = world
            .runner_managers(r)
            .iter()
            .any(|m| m.version.as_deref().is_some_and(|v| v.starts_with("16.6.")));
        assert_eq!(found.contains(&r.id), any, "runner {}", r.id);
    }
}

// ---- 18.8: job_execution_status ------------------------------------------------------

#[tokio::test]
async fn job_execution_status_is_absent_before_18_8() {
    let s = Sandbox::fixed_at(18, 7).await;
    assert!(s
        .get("/runners/1", ADMIN_TOKEN)
        .await
        .body
        .get("job_execution_status")
        .is_none());
    assert!(s.get("/runners/all", ADMIN_TOKEN).await.body[0]
        .get("job_execution_status")
        .is_none());
    assert!(s.get("/runners/1/managers", ADMIN_TOKEN).await.body[0]
        .get("job_execution_status")
        .is_none());
}

#[tokio::test]
async fn job_execution_status_from_18_8() {
    let s = Sandbox::fixed_at(18, 8).await;
    // Runner 1 is online and runs its newest job; runner 4 is offline; 10 never ran.
    let list = s.get("/runners/all", ADMIN_TOKEN).await;
    let list = list.ok(200).as_array().unwrap();
    assert_eq!(list[0]["job_execution_status"], "active");
    assert_eq!(list[3]["job_execution_status"], "idle");
    assert_eq!(list[9]["job_execution_status"], "idle");
    assert_eq!(
        s.get("/runners/1", ADMIN_TOKEN).await.body["job_execution_status"],
        "active"
    );
    let machines = s.get("/runners/1/managers", ADMIN_TOKEN).await;
    let states: Vec<&str> = machines
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["job_execution_status"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["active", "idle", "idle"]);
}

// ---- 14.8: paused on PUT /runners/:id -----------------------------------------------

#[tokio::test]
async fn paused_is_ignored_before_14_8_and_with_legacy_pause() {
    for c in [
        config(14, 7),
        Config {
            legacy_pause: true,
            ..config(18, 11)
        },
    ] {
        let s = Sandbox::with(c).await;
        s.put_form("/runners/1", ADMIN_TOKEN, &[("paused", "true")])
            .await
            .expect(
                400,
                r#"{"error":"description, active, tag_list, run_untagged, locked, access_level, maximum_timeout are missing, at least one parameter must be provided"}"#,
            );
        assert!(s.running.state.read().runners[&1].active);
    }
    let s = Sandbox::fixed_at(15, 0).await;
    let r = s
        .put_form("/runners/1", ADMIN_TOKEN, &[("paused", "true")])
        .await;
    assert_eq!(r.ok(200)["paused"], true);
}
