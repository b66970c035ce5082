//! `GET`, `PUT`, `DELETE /runners/:id` and `GET /runners/:id/jobs`.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};

const AT_LEAST_ONE: &str = r#"{"error":"description, active, paused, tag_list, run_untagged, locked, access_level, maximum_timeout are missing, at least one parameter must be provided"}"#;
const MULTI_PROJECT: &str =
    r#"{"message":"403 Forbidden - Runner associated with more than one project"}"#;

// ---- GET /runners/:id ----------------------------------------------------------

#[tokio::test]
async fn show_gives_the_details_entity() {
    // GitLab 16.11: the runner's own `ip_address` (17.0 answers "").
    let s = Sandbox::fixed_at(16, 11).await;
    let r = s.get("/runners/3", MAINTAINER_TOKEN).await;
    let d = r.ok(200);
    assert_eq!(d["id"], 3);
    assert_eq!(d["runner_type"], "project_type");
    assert_eq!(d["is_shared"], false);
    assert_eq!(d["status"], "online");
    assert_eq!(d["online"], true);
    assert_eq!(d["tag_list"], json!(["ruby", "postgres"]));
    assert_eq!(d["locked"], true);
    assert_eq!(d["run_untagged"], true);
    assert_eq!(d["access_level"], "ref_protected");
    assert_eq!(d["ip_address"], "10.0.0.3");
    assert!(d["contacted_at"].as_str().unwrap().ends_with('Z'));
    assert!(d["version"].is_string() && d["platform"].is_string() && d["architecture"].is_string());
    let project = &d["projects"][0];
    assert_eq!(d["projects"].as_array().unwrap().len(), 1);
    assert_eq!(project["id"], 1);
    assert_eq!(project["name"], "API");
    assert_eq!(project["name_with_namespace"], "Platform / API");
    assert_eq!(project["path"], "api");
    assert_eq!(project["path_with_namespace"], "platform/api");
    assert_eq!(d["groups"], json!([]));
    assert!(d.get("token").is_none(), "no token in details");
    for key in [
        "maximum_timeout",
        "maintenance_note",
        "revision",
        "description",
        "name",
        "paused",
        "active",
    ] {
        assert!(d.get(key).is_some(), "{key} missing");
    }
}

#[tokio::test]
async fn show_group_runner_lists_its_group_and_note() {
    // GitLab 16.11: the runner's own `ip_address` (17.0 answers "").
    let s = Sandbox::fixed_at(16, 11).await;
    let d = s.get("/runners/8", ADMIN_TOKEN).await;
    let d = d.ok(200);
    assert_eq!(d["runner_type"], "group_type");
    assert_eq!(d["status"], "stale");
    assert_eq!(
        (d["paused"].clone(), d["active"].clone()),
        (json!(true), json!(false))
    );
    assert_eq!(
        d["maintenance_note"],
        "Replaced by platform-k8s; delete after migration"
    );
    let base = &s.running.url;
    assert_eq!(
        d["groups"],
        json!([{"id": 1, "web_url": format!("{base}/groups/platform"), "name": "Platform"}])
    );
    assert_eq!(d["projects"], json!([]));

    // A multi-project runner lists each project.
    let six = s.get("/runners/6", ADMIN_TOKEN).await;
    let paths: Vec<&str> = six.ok(200)["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path_with_namespace"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["platform/web", "platform/infra"]);

    // Never contacted: nulls, and a refusal of untagged jobs on runner 12.
    let ten = s.get("/runners/10", ADMIN_TOKEN).await;
    let ten = ten.ok(200);
    assert_eq!(ten["status"], "never_contacted");
    for key in [
        "contacted_at",
        "online",
        "version",
        "platform",
        "ip_address",
    ] {
        assert_eq!(ten[key], Value::Null, "{key}");
    }
    let twelve = s.get("/runners/12", ADMIN_TOKEN).await;
    assert_eq!(twelve.ok(200)["run_untagged"], false);
    assert_eq!(twelve.body["tag_list"], json!(["deploy"]));
}

#[tokio::test]
async fn show_instance_runners_to_everyone_and_others_to_owners() {
    let s = Sandbox::fixed().await;
    for id in [1, 4, 7, 10] {
        let r = s.get(&format!("/runners/{id}"), REPORTER_TOKEN).await;
        assert_eq!(r.ok(200)["id"], id);
        assert_eq!(r.body["is_shared"], true);
    }
    for id in [2, 3, 5, 6, 9, 12] {
        s.get(&format!("/runners/{id}"), REPORTER_TOKEN)
            .await
            .expect(403, NO_ACCESS);
    }
    // The maintainer reads platform's runners but not data's.
    assert_eq!(s.get("/runners/2", MAINTAINER_TOKEN).await.ok(200)["id"], 2);
    s.get("/runners/5", MAINTAINER_TOKEN)
        .await
        .expect(403, NO_ACCESS);
    s.get("/runners/9", MAINTAINER_TOKEN)
        .await
        .expect(403, NO_ACCESS);
    assert_eq!(s.get("/runners/9", ADMIN_TOKEN).await.ok(200)["id"], 9);
}

#[tokio::test]
async fn show_unknown_and_malformed_ids() {
    let s = Sandbox::fixed().await;
    s.get("/runners/999", ADMIN_TOKEN)
        .await
        .expect(404, RUNNER_NOT_FOUND);
    s.get("/runners/13", MAINTAINER_TOKEN)
        .await
        .expect(404, RUNNER_NOT_FOUND);
    s.get("/runners/abc", ADMIN_TOKEN)
        .await
        .expect(400, r#"{"error":"id is invalid"}"#);
    s.get("/runners/1.5", ADMIN_TOKEN)
        .await
        .expect(400, r#"{"error":"id is invalid"}"#);
}

// ---- PUT /runners/:id ----------------------------------------------------------

#[tokio::test]
async fn update_needs_at_least_one_parameter() {
    let s = Sandbox::fixed().await;
    s.put_form("/runners/3", ADMIN_TOKEN, &[])
        .await
        .expect(400, AT_LEAST_ONE);
    // Undeclared parameters do not count.
    s.put_form("/runners/3", ADMIN_TOKEN, &[("colour", "blue")])
        .await
        .expect(400, AT_LEAST_ONE);
    // Validation comes before the runner is looked up.
    s.put_form("/runners/999", ADMIN_TOKEN, &[])
        .await
        .expect(400, AT_LEAST_ONE);
    let r = send(
        s.req(Method::PUT, "/runners/3", Some(ADMIN_TOKEN))
            .json(&json!({})),
    )
    .await;
    r.expect(400, AT_LEAST_ONE);
}

#[tokio::test]
async fn update_refuses_active_with_paused() {
    let s = Sandbox::fixed().await;
    s.put_form(
        "/runners/3",
        ADMIN_TOKEN,
        &[("active", "true"), ("paused", "false")],
    )
    .await
    .expect(400, r#"{"error":"active, paused are mutually exclusive"}"#);
    let r = send(
        s.req(Method::PUT, "/runners/3", Some(ADMIN_TOKEN))
            .json(&json!({"active": false, "paused": true})),
    )
    .await;
    r.expect(400, r#"{"error":"active, paused are mutually exclusive"}"#);
    // Nothing changed.
    assert_eq!(
        s.get("/runners/3", ADMIN_TOKEN).await.ok(200)["paused"],
        false
    );
}

#[tokio::test]
async fn update_paused_and_active_are_one_flag_inverted() {
    let s = Sandbox::fixed().await;
    let r = s
        .put_form("/runners/2", MAINTAINER_TOKEN, &[("paused", "true")])
        .await;
    let d = r.ok(200);
    assert_eq!(
        (d["paused"].clone(), d["active"].clone()),
        (json!(true), json!(false))
    );
    assert_eq!(
        s.get("/runners/all?paused=true", ADMIN_TOKEN).await.ids(),
        vec![2, 4, 8]
    );
    let r = s
        .put_form("/runners/2", MAINTAINER_TOKEN, &[("active", "true")])
        .await;
    let d = r.ok(200);
    assert_eq!(
        (d["paused"].clone(), d["active"].clone()),
        (json!(false), json!(true))
    );
    let r = s
        .put_form("/runners/4", ADMIN_TOKEN, &[("active", "false")])
        .await;
    assert_eq!(r.ok(200)["paused"], true);
    let r = s
        .put_form("/runners/4", ADMIN_TOKEN, &[("paused", "false")])
        .await;
    assert_eq!(r.ok(200)["active"], true);
    assert_eq!(
        s.get("/runners/all?paused=true", ADMIN_TOKEN).await.ids(),
        vec![8]
    );
}

#[tokio::test]
async fn update_validation_errors_are_field_maps() {
    let s = Sandbox::fixed().await;
    s.put_form("/runners/3", ADMIN_TOKEN, &[("maximum_timeout", "599")])
        .await
        .expect(
            400,
            r#"{"message":{"maximum_timeout":["needs to be at least 10 minutes"]}}"#,
        );
    // Runner 7 has no tags.
    s.put_form("/runners/7", ADMIN_TOKEN, &[("run_untagged", "false")])
        .await
        .expect(
            400,
            r#"{"message":{"tags_list":["can not be empty when runner is not allowed to pick untagged jobs"]}}"#,
        );
    // Runner 12 refuses untagged jobs, so its tags may not be emptied.
    s.put_form("/runners/12", ADMIN_TOKEN, &[("tag_list", "")])
        .await
        .expect(
            400,
            r#"{"message":{"tags_list":["can not be empty when runner is not allowed to pick untagged jobs"]}}"#,
        );
    s.put_form(
        "/runners/7",
        ADMIN_TOKEN,
        &[("run_untagged", "false"), ("maximum_timeout", "60")],
    )
    .await
    .expect(
        400,
        r#"{"message":{"maximum_timeout":["needs to be at least 10 minutes"],"tags_list":["can not be empty when runner is not allowed to pick untagged jobs"]}}"#,
    );
    let long = "x".repeat(1025);
    s.put_form(
        "/runners/3",
        ADMIN_TOKEN,
        &[("maintenance_note", long.as_str())],
    )
    .await
    .expect(
        400,
        r#"{"message":{"maintenance_note":["is too long (maximum is 1024 characters)"]}}"#,
    );
    // A refused update changes nothing.
    let d = s.get("/runners/12", ADMIN_TOKEN).await;
    assert_eq!(d.ok(200)["tag_list"], json!(["deploy"]));
    assert_eq!(
        s.get("/runners/7", ADMIN_TOKEN).await.ok(200)["run_untagged"],
        true
    );
    // Ten minutes exactly is enough.
    let r = s
        .put_form("/runners/3", ADMIN_TOKEN, &[("maximum_timeout", "600")])
        .await;
    assert_eq!(r.ok(200)["maximum_timeout"], 600);
}

#[tokio::test]
async fn update_rejects_malformed_values() {
    let s = Sandbox::fixed().await;
    s.put_form("/runners/3", ADMIN_TOKEN, &[("access_level", "everyone")])
        .await
        .expect(
            400,
            r#"{"error":"access_level does not have a valid value"}"#,
        );
    s.put_form("/runners/3", ADMIN_TOKEN, &[("maximum_timeout", "ten")])
        .await
        .expect(400, r#"{"error":"maximum_timeout is invalid"}"#);
    s.put_form("/runners/3", ADMIN_TOKEN, &[("locked", "maybe")])
        .await
        .expect(400, r#"{"error":"locked is invalid"}"#);
    s.put_form("/runners/abc", ADMIN_TOKEN, &[("description", "x")])
        .await
        .expect(400, r#"{"error":"id is invalid"}"#);
}

#[tokio::test]
async fn update_tag_list_replaces_the_whole_list() {
    let s = Sandbox::fixed().await;
    let r = s
        .put_form("/runners/1", ADMIN_TOKEN, &[("tag_list", "ruby,mysql")])
        .await;
    assert_eq!(r.ok(200)["tag_list"], json!(["ruby", "mysql"]));
    let r = s
        .put_form(
            "/runners/1",
            ADMIN_TOKEN,
            &[("tag_list[]", "a"), ("tag_list[]", "b")],
        )
        .await;
    assert_eq!(r.ok(200)["tag_list"], json!(["a", "b"]));
    assert_eq!(
        s.get("/runners/1", ADMIN_TOKEN).await.ok(200)["tag_list"],
        json!(["a", "b"])
    );
    // The old tags no longer match.
    let docker = s
        .get(
            "/runners/all?tag_list=linux&type=instance_type",
            ADMIN_TOKEN,
        )
        .await;
    assert_eq!(docker.ids(), Vec::<u64>::new());
    // Emptying is allowed where untagged jobs are.
    let r = s
        .put_form("/runners/1", ADMIN_TOKEN, &[("tag_list", "")])
        .await;
    assert_eq!(r.ok(200)["tag_list"], json!([]));
}

#[tokio::test]
async fn update_accepts_form_json_and_multipart_bodies() {
    let s = Sandbox::fixed().await;
    // Form-urlencoded.
    let r = s
        .put_form(
            "/runners/3",
            MAINTAINER_TOKEN,
            &[
                ("description", "from a form"),
                ("access_level", "not_protected"),
            ],
        )
        .await;
    let d = r.ok(200);
    assert_eq!(d["description"], "from a form");
    assert_eq!(d["access_level"], "not_protected");

    // JSON, with real booleans, numbers and arrays.
    let r = send(
        s.req(Method::PUT, "/runners/3", Some(MAINTAINER_TOKEN))
            .json(&json!({
                "description": "from json",
                "locked": false,
                "maximum_timeout": 3600,
                "tag_list": ["x", "y"],
                "paused": true,
            })),
    )
    .await;
    let d = r.ok(200);
    assert_eq!(d["description"], "from json");
    assert_eq!(d["locked"], false);
    assert_eq!(d["maximum_timeout"], 3600);
    assert_eq!(d["tag_list"], json!(["x", "y"]));
    assert_eq!(d["paused"], true);

    // Multipart, as `curl --form` sends.
    let form = reqwest::multipart::Form::new()
        .text("description", "from multipart")
        .text("tag_list", "m1,m2")
        .text("run_untagged", "false")
        .text("access_level", "ref_protected");
    let r = send(
        s.req(Method::PUT, "/runners/3", Some(MAINTAINER_TOKEN))
            .multipart(form),
    )
    .await;
    let d = r.ok(200);
    assert_eq!(d["description"], "from multipart");
    assert_eq!(d["tag_list"], json!(["m1", "m2"]));
    assert_eq!(d["run_untagged"], false);
    assert_eq!(d["access_level"], "ref_protected");

    // All of it stuck.
    let d = s.get("/runners/3", MAINTAINER_TOKEN).await;
    let d = d.ok(200);
    assert_eq!(d["description"], "from multipart");
    assert_eq!(d["locked"], false);
    assert_eq!(d["maximum_timeout"], 3600);
    assert_eq!(d["paused"], true);
    assert_eq!(d["tag_list"], json!(["m1", "m2"]));
}

#[tokio::test]
async fn update_takes_maintenance_note_alone() {
    let s = Sandbox::fixed().await;
    let r = s
        .put_form(
            "/runners/3",
            ADMIN_TOKEN,
            &[("maintenance_note", "Retire in June")],
        )
        .await;
    assert_eq!(r.ok(200)["maintenance_note"], "Retire in June");
}

#[tokio::test]
async fn update_permissions() {
    let s = Sandbox::fixed().await;
    let form = [("description", "changed")];
    // Instance runners are writable by administrators only.
    s.put_form("/runners/1", MAINTAINER_TOKEN, &form)
        .await
        .expect(403, NO_ACCESS);
    s.put_form("/runners/1", REPORTER_TOKEN, &form)
        .await
        .expect(403, NO_ACCESS);
    // Owned group and project runners by their maintainer; others not.
    assert_eq!(
        s.put_form("/runners/2", MAINTAINER_TOKEN, &form)
            .await
            .ok(200)["description"],
        "changed"
    );
    assert_eq!(
        s.put_form("/runners/6", MAINTAINER_TOKEN, &form)
            .await
            .ok(200)["description"],
        "changed"
    );
    s.put_form("/runners/5", MAINTAINER_TOKEN, &form)
        .await
        .expect(403, NO_ACCESS);
    s.put_form("/runners/9", REPORTER_TOKEN, &form)
        .await
        .expect(403, NO_ACCESS);
    s.put_form("/runners/999", MAINTAINER_TOKEN, &form)
        .await
        .expect(404, RUNNER_NOT_FOUND);
    let r = s.put_form("/runners/1", ADMIN_TOKEN, &form).await;
    assert_eq!(r.ok(200)["description"], "changed");
    assert_eq!(r.body["is_shared"], true);
    // Untouched runners keep their description.
    assert_ne!(
        s.get("/runners/5", ADMIN_TOKEN).await.ok(200)["description"],
        "changed"
    );
}

// ---- DELETE /runners/:id -------------------------------------------------------

#[tokio::test]
async fn delete_by_admin_answers_204_and_the_runner_is_gone() {
    let s = Sandbox::fixed().await;
    let r = s.delete("/runners/6", ADMIN_TOKEN).await;
    assert_eq!(r.status, 204);
    assert_eq!(r.text, "");
    s.get("/runners/6", ADMIN_TOKEN)
        .await
        .expect(404, RUNNER_NOT_FOUND);
    assert_eq!(
        s.get("/runners/all?type=project_type", ADMIN_TOKEN)
            .await
            .ids(),
        vec![3, 9, 12]
    );
    s.delete("/runners/6", ADMIN_TOKEN)
        .await
        .expect(404, RUNNER_NOT_FOUND);
    let r = s.delete("/runners/1", ADMIN_TOKEN).await;
    assert_eq!(r.status, 204);
}

#[tokio::test]
async fn delete_refusals_for_non_admins() {
    let s = Sandbox::fixed().await;
    // Runner 6 serves two projects: refused even to its maintainer.
    s.delete("/runners/6", MAINTAINER_TOKEN)
        .await
        .expect(403, MULTI_PROJECT);
    s.delete("/runners/9", REPORTER_TOKEN)
        .await
        .expect(403, MULTI_PROJECT);
    s.delete("/runners/1", MAINTAINER_TOKEN)
        .await
        .expect(403, NO_ACCESS);
    s.delete("/runners/5", MAINTAINER_TOKEN)
        .await
        .expect(403, NO_ACCESS);
    s.delete("/runners/3", REPORTER_TOKEN)
        .await
        .expect(403, NO_ACCESS);
    s.delete("/runners/999", MAINTAINER_TOKEN)
        .await
        .expect(404, RUNNER_NOT_FOUND);
    s.delete("/runners/abc", MAINTAINER_TOKEN)
        .await
        .expect(400, r#"{"error":"id is invalid"}"#);
    // Everything is still there.
    assert_eq!(s.get("/runners/all", ADMIN_TOKEN).await.ids().len(), 12);
    // Its own single-project and group runners the maintainer may delete.
    assert_eq!(s.delete("/runners/3", MAINTAINER_TOKEN).await.status, 204);
    assert_eq!(s.delete("/runners/2", MAINTAINER_TOKEN).await.status, 204);
    assert_eq!(
        s.get("/runners", MAINTAINER_TOKEN).await.ids(),
        vec![6, 8, 12]
    );
}

// ---- GET /runners/:id/jobs -----------------------------------------------------

// Runner 1 (instance, 15 jobs): job ids 1..=15; job k+1 has status
// JOB_STATUSES[(1 + k) % 11] except the newest (15), which runs; it ran in project
// ((1 + k) % 10) + 1, so data/warehouse (4) got jobs 3 and 13.

#[tokio::test]
async fn jobs_default_to_newest_first() {
    let s = Sandbox::fixed().await;
    let r = s.get("/runners/1/jobs", ADMIN_TOKEN).await;
    assert_eq!(r.ids(), (1..=15).rev().collect::<Vec<u64>>());
    assert_eq!(r.header("x-total"), Some("15"));
    let newest = &r.body[0];
    assert_eq!(newest["status"], "running");
    assert_eq!(newest["project"]["id"], 6);
    assert_eq!(newest["project"]["path_with_namespace"], "mobile/ios");
    assert_eq!(newest["pipeline"]["project_id"], 6);
    assert_eq!(newest["pipeline"]["id"], 1005);
    assert_eq!(newest["pipeline"]["status"], "running");
    assert_eq!(
        newest["web_url"],
        format!("{}/mobile/ios/-/jobs/15", s.running.url)
    );
    for key in [
        "stage",
        "name",
        "ref",
        "tag",
        "coverage",
        "allow_failure",
        "created_at",
        "started_at",
        "finished_at",
        "duration",
        "queued_duration",
        "user",
        "commit",
    ] {
        assert!(newest.get(key).is_some(), "{key} missing");
    }
    assert_eq!(newest["finished_at"], Value::Null);
    assert!(newest["started_at"].is_string());

    let desc = s
        .get("/runners/1/jobs?order_by=id&sort=desc", ADMIN_TOKEN)
        .await;
    assert_eq!(desc.ids(), r.ids());
    let asc = s
        .get("/runners/1/jobs?order_by=id&sort=asc", ADMIN_TOKEN)
        .await;
    assert_eq!(asc.ids(), (1..=15).collect::<Vec<u64>>());
    let asc = s
        .get("/runners/1/jobs?sort=asc&per_page=5&page=2", ADMIN_TOKEN)
        .await;
    assert_eq!(asc.ids(), vec![6, 7, 8, 9, 10]);
    assert_eq!(asc.header("x-total-pages"), Some("3"));
}

#[tokio::test]
async fn jobs_filter_by_status() {
    let s = Sandbox::fixed().await;
    let running = s.get("/runners/1/jobs?status=running", ADMIN_TOKEN).await;
    assert_eq!(running.ids(), vec![15, 4]);
    assert!(running
        .body
        .as_array()
        .unwrap()
        .iter()
        .all(|j| j["status"] == "running"));
    assert_eq!(
        s.get("/runners/1/jobs?status=running&sort=asc", ADMIN_TOKEN)
            .await
            .ids(),
        vec![4, 15]
    );
    let success = s.get("/runners/1/jobs?status=success", ADMIN_TOKEN).await;
    assert_eq!(success.ids(), vec![5]);
    assert!(success.body[0]["finished_at"].is_string());
    assert_eq!(
        s.get("/runners/1/jobs?status=failed", ADMIN_TOKEN)
            .await
            .ids(),
        vec![6]
    );
    assert_eq!(
        s.get("/runners/1/jobs?status=canceled", ADMIN_TOKEN)
            .await
            .ids(),
        vec![7]
    );
    assert_eq!(
        s.get("/runners/1/jobs?status=created", ADMIN_TOKEN)
            .await
            .ids(),
        vec![11]
    );
}

#[tokio::test]
async fn jobs_reject_invalid_parameters() {
    let s = Sandbox::fixed().await;
    s.get("/runners/1/jobs?order_by=name", ADMIN_TOKEN)
        .await
        .expect(400, r#"{"error":"order_by does not have a valid value"}"#);
    s.get("/runners/1/jobs?sort=sideways", ADMIN_TOKEN)
        .await
        .expect(400, r#"{"error":"sort does not have a valid value"}"#);
    s.get("/runners/1/jobs?status=done", ADMIN_TOKEN)
        .await
        .expect(400, r#"{"error":"status does not have a valid value"}"#);
    s.get("/runners/999/jobs", ADMIN_TOKEN)
        .await
        .expect(404, RUNNER_NOT_FOUND);
    s.get("/runners/abc/jobs", ADMIN_TOKEN)
        .await
        .expect(400, r#"{"error":"id is invalid"}"#);
}

#[tokio::test]
async fn jobs_of_a_reporter_are_limited_to_their_projects() {
    let s = Sandbox::fixed().await;
    let r = s.get("/runners/1/jobs", REPORTER_TOKEN).await;
    assert_eq!(r.ids(), vec![13, 3]);
    assert_eq!(r.header("x-total"), Some("2"));
    for job in r.body.as_array().unwrap() {
        assert_eq!(job["project"]["path_with_namespace"], "data/warehouse");
        assert_eq!(job["pipeline"]["project_id"], 4);
    }
    assert_eq!(
        s.get("/runners/1/jobs?sort=asc", REPORTER_TOKEN)
            .await
            .ids(),
        vec![3, 13]
    );
    // Project and group runners the reporter does not own: refused.
    s.get("/runners/3/jobs", REPORTER_TOKEN)
        .await
        .expect(403, NO_ACCESS);
    s.get("/runners/9/jobs", REPORTER_TOKEN)
        .await
        .expect(403, NO_ACCESS);
    s.get("/runners/5/jobs", REPORTER_TOKEN)
        .await
        .expect(403, NO_ACCESS);
}

#[tokio::test]
async fn jobs_of_owned_and_never_contacted_runners() {
    let s = Sandbox::fixed().await;
    // Runner 3 serves platform/api only; its maintainer sees all 15 jobs.
    let r = s
        .get("/runners/3/jobs?per_page=100", MAINTAINER_TOKEN)
        .await;
    assert_eq!(r.ids(), (31..=45).rev().collect::<Vec<u64>>());
    assert!(r
        .body
        .as_array()
        .unwrap()
        .iter()
        .all(|j| j["project"]["id"] == 1));
    // Runner 10 never ran anything.
    let r = s.get("/runners/10/jobs", ADMIN_TOKEN).await;
    assert_eq!(r.ok(200), &json!([]));
    assert_eq!(r.header("x-total"), Some("0"));
}

#[tokio::test]
async fn managers_are_the_machines_behind_a_runner() {
    let s = Sandbox::fixed().await;
    // Runner 4 was contacted: two machines (every fourth runner has a quiet second one).
    let list = s.get("/runners/4/managers", ADMIN_TOKEN).await;
    let list = list.ok(200);
    let machines = list.as_array().unwrap();
    assert_eq!(machines.len(), 2);
    assert!(machines[0]["system_id"].as_str().unwrap().starts_with("s_"));
    assert_eq!(
        machines[0]["version"],
        s.get("/runners/4", ADMIN_TOKEN).await.ok(200)["version"]
    );
    // Never contacted: none.
    assert_eq!(
        s.get("/runners/10/managers", ADMIN_TOKEN).await.ok(200),
        &json!([])
    );
    // Same permission as reading the runner.
    let refused = s.get("/runners/3/managers", REPORTER_TOKEN).await;
    assert_eq!(refused.status, 403);
    assert_eq!(
        refused.body,
        json!({"message": "403 Forbidden - No access granted"})
    );
    assert_eq!(
        s.get("/runners/999/managers", ADMIN_TOKEN).await.status,
        404
    );
}
