//! `/projects/:id/runners*`, `/groups/:id/runners`, and the project and group
//! look-ups (`GET /projects`, `/projects/:id`, `/groups`, `/groups/:id`).
//!
//! Projects: 1 platform/api, 2 platform/web, 3 platform/infra, 4 data/warehouse,
//! 5 data/etl, 6 mobile/ios, 7 mobile/android, 8 security/scanner,
//! 9 security/audit, 10 docs/handbook. The maintainer maintains group platform
//! (so its projects); the reporter reports on data/warehouse only.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};

const INSTANCE: [u64; 4] = [1, 4, 7, 10];
const ONLY_ONE: &str = r#"{"message":"403 Forbidden - Only one project associated with the runner. Please remove the runner instead"}"#;

fn names(list: &Value) -> Vec<&str> {
    list.as_array()
        .expect("list")
        .iter()
        .map(|x| x["name"].as_str().expect("name"))
        .collect()
}

fn sorted(mut ids: Vec<u64>) -> Vec<u64> {
    ids.sort_unstable();
    ids
}

// ---- GET /projects/:id/runners -------------------------------------------------

#[tokio::test]
async fn project_runners_include_instance_runners() {
    let s = Sandbox::fixed().await;
    let want = vec![1, 3, 4, 7, 10, 12];
    assert_eq!(
        s.get("/projects/1/runners", MAINTAINER_TOKEN).await.ids(),
        want
    );
    // A URL-encoded full path, case-insensitively.
    assert_eq!(
        s.get("/projects/platform%2Fapi/runners", MAINTAINER_TOKEN)
            .await
            .ids(),
        want
    );
    assert_eq!(
        s.get("/projects/Platform%2FAPI/runners", MAINTAINER_TOKEN)
            .await
            .ids(),
        want
    );
    assert_eq!(
        s.get("/projects/2/runners", MAINTAINER_TOKEN).await.ids(),
        vec![1, 4, 6, 7, 10]
    );
    assert_eq!(
        s.get("/projects/data%2Fwarehouse/runners", ADMIN_TOKEN)
            .await
            .ids(),
        vec![1, 4, 7, 9, 10]
    );
    // A project with no runners of its own still lists the instance's.
    assert_eq!(
        s.get("/projects/10/runners", ADMIN_TOKEN).await.ids(),
        INSTANCE.to_vec()
    );
    let r = s.get("/projects/1/runners", MAINTAINER_TOKEN).await;
    assert_eq!(r.body[1]["runner_type"], "project_type");
    assert_eq!(r.body[1]["id"], 3);
    assert!(
        r.body[1].get("tag_list").is_none(),
        "lists use the basic entity"
    );
}

#[tokio::test]
async fn project_runners_filters_and_scope() {
    let s = Sandbox::fixed().await;
    for (query, want) in [
        ("scope=shared", vec![1, 4, 7, 10]),
        ("scope=specific", vec![3, 12]),
        ("scope=online", vec![1, 3]),
        ("scope=instance_type", vec![1, 4, 7, 10]),
        ("type=project_type", vec![3, 12]),
        ("type=group_type", vec![]),
        ("status=online", vec![1, 3]),
        ("status=stale", vec![7]),
        ("paused=true", vec![4]),
        ("tag_list=deploy", vec![12]),
        ("tag_list=docker,linux", vec![1]),
        ("type=project_type&status=never_contacted", vec![12]),
    ] {
        let r = s
            .get(&format!("/projects/1/runners?{query}"), MAINTAINER_TOKEN)
            .await;
        assert_eq!(r.ids(), want, "{query}");
    }
    s.get("/projects/1/runners?scope=bogus", MAINTAINER_TOKEN)
        .await
        .expect(400, r#"{"error":"scope does not have a valid value"}"#);
    s.get("/projects/1/runners?type=shared", MAINTAINER_TOKEN)
        .await
        .expect(400, r#"{"error":"type does not have a valid value"}"#);
}

#[tokio::test]
async fn project_runners_need_a_maintainer_of_a_visible_project() {
    let s = Sandbox::fixed().await;
    // Reporter of data/warehouse: visible, but not theirs to administer.
    s.get("/projects/4/runners", REPORTER_TOKEN)
        .await
        .expect(403, FORBIDDEN);
    s.get("/projects/data%2Fwarehouse/runners", REPORTER_TOKEN)
        .await
        .expect(403, FORBIDDEN);
    // Invisible projects are not found.
    s.get("/projects/1/runners", REPORTER_TOKEN)
        .await
        .expect(404, PROJECT_NOT_FOUND);
    s.get("/projects/4/runners", MAINTAINER_TOKEN)
        .await
        .expect(404, PROJECT_NOT_FOUND);
    s.get("/projects/999/runners", ADMIN_TOKEN)
        .await
        .expect(404, PROJECT_NOT_FOUND);
    s.get("/projects/nope%2Fnope/runners", ADMIN_TOKEN)
        .await
        .expect(404, PROJECT_NOT_FOUND);
    send(s.req(Method::GET, "/projects/1/runners", None))
        .await
        .expect(401, UNAUTHORIZED);
    // Permission comes before parameter validation (Grape's `before` block).
    s.get("/projects/4/runners?type=bogus", REPORTER_TOKEN)
        .await
        .expect(403, FORBIDDEN);
    s.get("/projects/1/runners?type=bogus", REPORTER_TOKEN)
        .await
        .expect(404, PROJECT_NOT_FOUND);
}

// ---- POST /projects/:id/runners ------------------------------------------------

#[tokio::test]
async fn enable_a_runner_in_another_project() {
    // GitLab 16.11's runner entity: no `job_execution_status` yet.
    let s = Sandbox::fixed_at(16, 11).await;
    let r = s
        .post_form(
            "/projects/1/runners",
            Some(MAINTAINER_TOKEN),
            &[("runner_id", "6")],
        )
        .await;
    let body = r.ok(201);
    assert_eq!(body["id"], 6);
    assert_eq!(body["runner_type"], "project_type");
    let mut keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "active",
            "created_at",
            "description",
            "id",
            "ip_address",
            "is_shared",
            "name",
            "online",
            "paused",
            "runner_type",
            "status"
        ]
    );
    assert_eq!(
        s.get("/projects/1/runners", MAINTAINER_TOKEN).await.ids(),
        vec![1, 3, 4, 6, 7, 10, 12]
    );
    let d = s.get("/runners/6", ADMIN_TOKEN).await;
    let ids: Vec<u64> = d.ok(200)["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_u64().unwrap())
        .collect();
    assert_eq!(sorted(ids), vec![1, 2, 3]);

    // Twice: conflict.
    s.post_form(
        "/projects/1/runners",
        Some(MAINTAINER_TOKEN),
        &[("runner_id", "6")],
    )
    .await
    .expect(
        409,
        r#"{"message":"Runner was already enabled for this project"}"#,
    );
    s.post_form(
        "/projects/2/runners",
        Some(MAINTAINER_TOKEN),
        &[("runner_id", "6")],
    )
    .await
    .expect(
        409,
        r#"{"message":"Runner was already enabled for this project"}"#,
    );

    // By path and with a JSON body; runner 12 is locked, which binds non-admins only.
    let r = send(
        s.req(
            Method::POST,
            "/projects/platform%2Fweb/runners",
            Some(ADMIN_TOKEN),
        )
        .json(&json!({"runner_id": 12})),
    )
    .await;
    assert_eq!(r.ok(201)["id"], 12);
}

#[tokio::test]
async fn enable_refusals() {
    let s = Sandbox::fixed().await;
    let enable = |project: &'static str, token: &'static str, runner: &'static str| {
        let s = &s;
        async move {
            s.post_form(
                &format!("/projects/{project}/runners"),
                Some(token),
                &[("runner_id", runner)],
            )
            .await
        }
    };
    // Group runners cannot be enabled in projects, not even by admins.
    let group = r#"{"message":"403 Forbidden - Runner is a group runner"}"#;
    enable("1", MAINTAINER_TOKEN, "2").await.expect(403, group);
    enable("1", ADMIN_TOKEN, "5").await.expect(403, group);
    // Runner 3 is locked to platform/api.
    enable("2", MAINTAINER_TOKEN, "3")
        .await
        .expect(403, r#"{"message":"403 Forbidden - Runner is locked"}"#);
    // Runners the maintainer does not own.
    enable("1", MAINTAINER_TOKEN, "9")
        .await
        .expect(403, NO_ACCESS);
    enable("1", MAINTAINER_TOKEN, "1")
        .await
        .expect(403, NO_ACCESS);
    enable("1", MAINTAINER_TOKEN, "999")
        .await
        .expect(404, RUNNER_NOT_FOUND);
    // Only maintainers of the project may enable.
    enable("4", REPORTER_TOKEN, "9")
        .await
        .expect(403, FORBIDDEN);
    enable("4", MAINTAINER_TOKEN, "6")
        .await
        .expect(404, PROJECT_NOT_FOUND);
    enable("1", MAINTAINER_TOKEN, "abc")
        .await
        .expect(400, r#"{"error":"runner_id is invalid"}"#);
    s.post_form("/projects/1/runners", Some(MAINTAINER_TOKEN), &[])
        .await
        .expect(400, r#"{"error":"runner_id is missing"}"#);
    // Permission first: no parameter error for a project one may not administer.
    s.post_form("/projects/4/runners", Some(REPORTER_TOKEN), &[])
        .await
        .expect(403, FORBIDDEN);
    enable("4", MAINTAINER_TOKEN, "abc")
        .await
        .expect(404, PROJECT_NOT_FOUND);
    // Nothing changed.
    assert_eq!(
        s.get("/projects/2/runners", MAINTAINER_TOKEN).await.ids(),
        vec![1, 4, 6, 7, 10]
    );
    // Admins pass the lock.
    assert_eq!(enable("2", ADMIN_TOKEN, "3").await.ok(201)["id"], 3);
    assert_eq!(
        s.get("/projects/2/runners?type=project_type", ADMIN_TOKEN)
            .await
            .ids(),
        vec![3, 6]
    );
}

// ---- DELETE /projects/:id/runners/:runner_id -----------------------------------

#[tokio::test]
async fn disable_a_runner_in_one_of_its_projects() {
    let s = Sandbox::fixed().await;
    // Runner 6 serves platform/web and platform/infra.
    let r = s.delete("/projects/2/runners/6", MAINTAINER_TOKEN).await;
    assert_eq!(r.status, 204);
    assert_eq!(r.text, "");
    assert_eq!(
        s.get("/projects/2/runners", MAINTAINER_TOKEN).await.ids(),
        INSTANCE.to_vec()
    );
    let d = s.get("/runners/6", ADMIN_TOKEN).await;
    assert_eq!(d.ok(200)["projects"].as_array().unwrap().len(), 1);
    assert_eq!(d.body["projects"][0]["id"], 3);
    // Now its last project: refused.
    s.delete("/projects/3/runners/6", MAINTAINER_TOKEN)
        .await
        .expect(403, ONLY_ONE);
    s.delete("/projects/platform%2Finfra/runners/6", ADMIN_TOKEN)
        .await
        .expect(403, ONLY_ONE);
    // No longer enabled in platform/web.
    s.delete("/projects/2/runners/6", MAINTAINER_TOKEN)
        .await
        .expect(404, RUNNER_NOT_FOUND);
}

#[tokio::test]
async fn disable_refusals() {
    let s = Sandbox::fixed().await;
    s.delete("/projects/1/runners/3", MAINTAINER_TOKEN)
        .await
        .expect(403, ONLY_ONE);
    s.delete("/projects/1/runners/12", ADMIN_TOKEN)
        .await
        .expect(403, ONLY_ONE);
    // Not enabled there (runner 6), instance runners, unknown runners.
    s.delete("/projects/1/runners/6", MAINTAINER_TOKEN)
        .await
        .expect(404, RUNNER_NOT_FOUND);
    s.delete("/projects/1/runners/1", MAINTAINER_TOKEN)
        .await
        .expect(404, RUNNER_NOT_FOUND);
    s.delete("/projects/1/runners/999", MAINTAINER_TOKEN)
        .await
        .expect(404, RUNNER_NOT_FOUND);
    s.delete("/projects/1/runners/abc", MAINTAINER_TOKEN)
        .await
        .expect(400, r#"{"error":"runner_id is invalid"}"#);
    // Project permissions.
    s.delete("/projects/4/runners/9", REPORTER_TOKEN)
        .await
        .expect(403, FORBIDDEN);
    s.delete("/projects/4/runners/9", MAINTAINER_TOKEN)
        .await
        .expect(404, PROJECT_NOT_FOUND);
    // ...checked before the runner id is validated.
    s.delete("/projects/4/runners/abc", REPORTER_TOKEN)
        .await
        .expect(403, FORBIDDEN);
    // Runner 9 serves two data projects: an admin may take one away.
    assert_eq!(
        s.delete("/projects/4/runners/9", ADMIN_TOKEN).await.status,
        204
    );
    assert_eq!(
        s.get("/projects/5/runners?type=project_type", ADMIN_TOKEN)
            .await
            .ids(),
        vec![9]
    );
    assert_eq!(
        s.get("/projects/4/runners?type=project_type", ADMIN_TOKEN)
            .await
            .ids(),
        Vec::<u64>::new()
    );
}

#[tokio::test]
async fn enable_then_disable_round_trip() {
    let s = Sandbox::fixed().await;
    // Runner 12 is locked; its maintainer unlocks it first.
    s.post_form(
        "/projects/2/runners",
        Some(MAINTAINER_TOKEN),
        &[("runner_id", "12")],
    )
    .await
    .expect(403, r#"{"message":"403 Forbidden - Runner is locked"}"#);
    let r = s
        .put_form("/runners/12", MAINTAINER_TOKEN, &[("locked", "false")])
        .await;
    assert_eq!(r.ok(200)["locked"], false);
    let r = s
        .post_form(
            "/projects/2/runners",
            Some(MAINTAINER_TOKEN),
            &[("runner_id", "12")],
        )
        .await;
    r.ok(201);
    // Now runner 12 has two projects: deleting it is refused to non-admins...
    s.delete("/runners/12", MAINTAINER_TOKEN).await.expect(
        403,
        r#"{"message":"403 Forbidden - Runner associated with more than one project"}"#,
    );
    // ...and disabling it in one of them allowed.
    assert_eq!(
        s.delete("/projects/1/runners/12", MAINTAINER_TOKEN)
            .await
            .status,
        204
    );
    assert_eq!(
        s.get("/projects/1/runners?type=project_type", MAINTAINER_TOKEN)
            .await
            .ids(),
        vec![3]
    );
    assert_eq!(s.delete("/runners/12", MAINTAINER_TOKEN).await.status, 204);
}

// ---- GET /groups/:id/runners ---------------------------------------------------

#[tokio::test]
async fn group_runners_include_instance_runners_and_ignore_scope() {
    let s = Sandbox::fixed().await;
    let want = vec![1, 2, 4, 7, 8, 10];
    assert_eq!(
        s.get("/groups/1/runners", MAINTAINER_TOKEN).await.ids(),
        want
    );
    assert_eq!(
        s.get("/groups/platform/runners", MAINTAINER_TOKEN)
            .await
            .ids(),
        want
    );
    // No `scope` here: Grape ignores an undeclared parameter, even a bogus value.
    assert_eq!(
        s.get("/groups/1/runners?scope=project_type", MAINTAINER_TOKEN)
            .await
            .ids(),
        want
    );
    assert_eq!(
        s.get("/groups/1/runners?scope=bogus", MAINTAINER_TOKEN)
            .await
            .ids(),
        want
    );
    assert_eq!(
        s.get("/groups/3/runners", ADMIN_TOKEN).await.ids(),
        vec![1, 4, 7, 10, 11]
    );
    assert_eq!(
        s.get("/groups/5/runners", ADMIN_TOKEN).await.ids(),
        INSTANCE.to_vec()
    );
}

#[tokio::test]
async fn group_runners_filters() {
    let s = Sandbox::fixed().await;
    // Runner 8's tags are drawn from the seed.
    let eight = s.runner_tags(8);
    let tagged = if ["docker", "linux"]
        .iter()
        .all(|w| eight.iter().any(|t| t == w))
    {
        vec![2, 8]
    } else {
        vec![2]
    };
    for (query, want) in [
        ("type=group_type", vec![2, 8]),
        ("type=instance_type", vec![1, 4, 7, 10]),
        ("type=project_type", vec![]),
        ("status=online", vec![1, 2]),
        ("status=stale", vec![7, 8]),
        ("status=paused", vec![4, 8]),
        ("paused=false", vec![1, 2, 7, 10]),
        ("tag_list=docker,linux&type=group_type", tagged),
    ] {
        let r = s
            .get(&format!("/groups/1/runners?{query}"), MAINTAINER_TOKEN)
            .await;
        assert_eq!(r.ids(), want, "{query}");
    }
    s.get("/groups/1/runners?type=shared", MAINTAINER_TOKEN)
        .await
        .expect(400, r#"{"error":"type does not have a valid value"}"#);
    s.get("/groups/1/runners?status=bogus", MAINTAINER_TOKEN)
        .await
        .expect(400, r#"{"error":"status does not have a valid value"}"#);
}

#[tokio::test]
async fn group_runners_need_a_maintainer_of_a_visible_group() {
    let s = Sandbox::fixed().await;
    // The reporter sees group data through its project, but may not list its runners.
    s.get("/groups/2/runners", REPORTER_TOKEN)
        .await
        .expect(403, FORBIDDEN);
    s.get("/groups/1/runners", REPORTER_TOKEN)
        .await
        .expect(404, GROUP_NOT_FOUND);
    s.get("/groups/2/runners", MAINTAINER_TOKEN)
        .await
        .expect(404, GROUP_NOT_FOUND);
    s.get("/groups/99/runners", ADMIN_TOKEN)
        .await
        .expect(404, GROUP_NOT_FOUND);
    assert_eq!(
        s.get("/groups/data/runners", ADMIN_TOKEN).await.ids(),
        vec![1, 4, 5, 7, 10]
    );
    // Permission comes before parameter validation (Grape's `before` block).
    s.get("/groups/2/runners?status=bogus", REPORTER_TOKEN)
        .await
        .expect(403, FORBIDDEN);
}

// ---- GET /groups, /groups/:id ----------------------------------------------------

#[tokio::test]
async fn groups_list_with_min_access_level_search_and_pages() {
    let s = Sandbox::fixed().await;
    let admin = s.get("/groups", ADMIN_TOKEN).await;
    assert_eq!(
        names(admin.ok(200)),
        ["Data", "Docs", "Mobile", "Platform", "Security"]
    );
    // Root owns platform and data.
    let owned = s.get("/groups?min_access_level=40", ADMIN_TOKEN).await;
    assert_eq!(names(owned.ok(200)), ["Data", "Platform"]);
    let owned = s.get("/groups?min_access_level=50", ADMIN_TOKEN).await;
    assert_eq!(names(owned.ok(200)), ["Data", "Platform"]);

    let maria = s.get("/groups?min_access_level=40", MAINTAINER_TOKEN).await;
    assert_eq!(names(maria.ok(200)), ["Platform"]);
    let maria = s.get("/groups?min_access_level=50", MAINTAINER_TOKEN).await;
    assert_eq!(maria.ok(200), &json!([]));
    // The reporter sees data through its project, but is no member of the group.
    let remy = s.get("/groups", REPORTER_TOKEN).await;
    assert_eq!(names(remy.ok(200)), ["Data"]);
    let remy = s.get("/groups?min_access_level=40", REPORTER_TOKEN).await;
    assert_eq!(remy.ok(200), &json!([]));

    assert_eq!(
        names(s.get("/groups?search=plat", ADMIN_TOKEN).await.ok(200)),
        ["Platform"]
    );
    assert_eq!(
        names(s.get("/groups?search=DOC", ADMIN_TOKEN).await.ok(200)),
        ["Docs"]
    );
    assert_eq!(
        s.get("/groups?search=zzz", ADMIN_TOKEN).await.ok(200),
        &json!([])
    );

    let page = s.get("/groups?per_page=2&page=2", ADMIN_TOKEN).await;
    assert_eq!(names(page.ok(200)), ["Mobile", "Platform"]);
    assert_eq!(page.header("x-total"), Some("5"));
    assert_eq!(page.header("x-total-pages"), Some("3"));
    assert_eq!(page.header("x-next-page"), Some("3"));
    let last = s.get("/groups?per_page=2&page=3", ADMIN_TOKEN).await;
    assert_eq!(names(last.ok(200)), ["Security"]);

    s.get("/groups?min_access_level=45", ADMIN_TOKEN)
        .await
        .expect(
            400,
            r#"{"error":"min_access_level does not have a valid value"}"#,
        );
}

#[tokio::test]
async fn group_show() {
    let s = Sandbox::fixed().await;
    let base = &s.running.url;
    let g = s.get("/groups/1", MAINTAINER_TOKEN).await;
    let g = g.ok(200);
    assert_eq!(g["id"], 1);
    assert_eq!(g["name"], "Platform");
    assert_eq!(g["path"], "platform");
    assert_eq!(g["full_path"], "platform");
    assert_eq!(g["web_url"], format!("{base}/groups/platform"));
    assert_eq!(
        s.get("/groups/platform", MAINTAINER_TOKEN).await.ok(200)["id"],
        1
    );
    assert_eq!(
        s.get("/groups/2", REPORTER_TOKEN).await.ok(200)["name"],
        "Data"
    );
    s.get("/groups/2", MAINTAINER_TOKEN)
        .await
        .expect(404, GROUP_NOT_FOUND);
    s.get("/groups/1", REPORTER_TOKEN)
        .await
        .expect(404, GROUP_NOT_FOUND);
    s.get("/groups/99", ADMIN_TOKEN)
        .await
        .expect(404, GROUP_NOT_FOUND);
    assert_eq!(
        s.get("/groups/5", ADMIN_TOKEN).await.ok(200)["name"],
        "Docs"
    );
}

// ---- GET /projects, /projects/:id ------------------------------------------------

#[tokio::test]
async fn projects_list_with_min_access_level_search_and_pages() {
    let s = Sandbox::fixed().await;
    let maria = s.get("/projects", MAINTAINER_TOKEN).await;
    assert_eq!(maria.ids(), vec![3, 2, 1]);
    assert_eq!(
        s.get("/projects?min_access_level=40", MAINTAINER_TOKEN)
            .await
            .ids(),
        vec![3, 2, 1]
    );
    assert_eq!(s.get("/projects", REPORTER_TOKEN).await.ids(), vec![4]);
    assert_eq!(
        s.get("/projects?min_access_level=40", REPORTER_TOKEN)
            .await
            .ids(),
        Vec::<u64>::new()
    );
    assert_eq!(
        s.get("/projects?min_access_level=20", REPORTER_TOKEN)
            .await
            .ids(),
        vec![4]
    );
    // Administrators see every project; with a level, those they have it in.
    assert_eq!(
        s.get("/projects?per_page=100", ADMIN_TOKEN).await.ids(),
        (1..=10).rev().collect::<Vec<u64>>()
    );
    assert_eq!(
        s.get("/projects?min_access_level=40", ADMIN_TOKEN)
            .await
            .ids(),
        vec![5, 4, 3, 2, 1]
    );
    assert_eq!(
        s.get("/projects?search=ware", ADMIN_TOKEN).await.ids(),
        vec![4]
    );
    assert_eq!(
        s.get("/projects?search=platform%2F", ADMIN_TOKEN)
            .await
            .ids(),
        vec![3, 2, 1]
    );
    assert_eq!(
        s.get("/projects?search=api&min_access_level=40", MAINTAINER_TOKEN)
            .await
            .ids(),
        vec![1]
    );

    let page = s.get("/projects?per_page=3&page=2", ADMIN_TOKEN).await;
    assert_eq!(page.ids(), vec![7, 6, 5]);
    assert_eq!(page.header("x-total"), Some("10"));
    assert_eq!(page.header("x-total-pages"), Some("4"));
    assert_eq!(page.header("x-prev-page"), Some("1"));
    assert_eq!(page.header("x-next-page"), Some("3"));

    let p = &maria.body[2];
    assert_eq!(p["path_with_namespace"], "platform/api");
    assert_eq!(p["name_with_namespace"], "Platform / API");
    assert_eq!(p["namespace"]["full_path"], "platform");
    assert_eq!(p["web_url"], format!("{}/platform/api", s.running.url));
    s.get("/projects?min_access_level=1", ADMIN_TOKEN)
        .await
        .expect(
            400,
            r#"{"error":"min_access_level does not have a valid value"}"#,
        );
}

#[tokio::test]
async fn project_show() {
    let s = Sandbox::fixed().await;
    let p = s.get("/projects/1", MAINTAINER_TOKEN).await;
    let p = p.ok(200);
    assert_eq!(p["id"], 1);
    assert_eq!(p["name"], "API");
    assert_eq!(p["path"], "api");
    assert_eq!(p["path_with_namespace"], "platform/api");
    assert_eq!(
        s.get("/projects/platform%2Fweb", MAINTAINER_TOKEN)
            .await
            .ok(200)["id"],
        2
    );
    assert_eq!(
        s.get("/projects/4", REPORTER_TOKEN).await.ok(200)["name"],
        "Warehouse"
    );
    s.get("/projects/1", REPORTER_TOKEN)
        .await
        .expect(404, PROJECT_NOT_FOUND);
    s.get("/projects/4", MAINTAINER_TOKEN)
        .await
        .expect(404, PROJECT_NOT_FOUND);
    s.get("/projects/data%2Fwarehouse", MAINTAINER_TOKEN)
        .await
        .expect(404, PROJECT_NOT_FOUND);
    s.get("/projects/999", ADMIN_TOKEN)
        .await
        .expect(404, PROJECT_NOT_FOUND);
    assert_eq!(
        s.get("/projects/10", ADMIN_TOKEN).await.ok(200)["path_with_namespace"],
        "docs/handbook"
    );
}
