//! `GET /runners` (owned) and `GET /runners/all` (admin), with every filter.
//!
//! The world here has only the twelve hand-made runners: id%3 gives the type
//! (1 instance, 2 group, 0 project), (id-1)/3 the status (online, offline, stale,
//! never_contacted); 4 and 8 are paused; 2 and 8 belong to group platform, 5 to
//! data, 11 to mobile; 3 and 12 to project platform/api, 6 to platform/web and
//! platform/infra, 9 to data/warehouse and data/etl. The tags of 8 and 9, and
//! whether the stale runners 7-9 were ever contacted, are drawn from the seed, so
//! expectations read those from the world.

mod common;

use common::*;
use serde_json::{json, Value};

const ALL: [u64; 12] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

/// Expected ids: the fixed ones plus those of `maybe` for which `keep` holds, in id order.
fn with(fixed: &[u64], maybe: &[u64], keep: impl Fn(u64) -> bool) -> Vec<u64> {
    let mut out: Vec<u64> = fixed.to_vec();
    out.extend(maybe.iter().copied().filter(|id| keep(*id)));
    out.sort_unstable();
    out
}

fn has_tags(tags: &[String], want: &[&str]) -> bool {
    want.iter().all(|w| tags.iter().any(|t| t == w))
}

#[tokio::test]
async fn owned_lists_the_maintainers_group_and_project_runners() {
    let s = Sandbox::fixed().await;
    let r = s.get("/runners", MAINTAINER_TOKEN).await;
    // Group platform's runners (2, 8) and those of its projects (3, 6, 12), by id.
    assert_eq!(r.ids(), vec![2, 3, 6, 8, 12]);
    assert_eq!(r.header("x-total"), Some("5"));
    let first = &r.body[0];
    assert_eq!(first["runner_type"], "group_type");
    assert_eq!(first["is_shared"], false);
    assert_eq!(first["status"], "online");
    assert_eq!(first["online"], true);
}

#[tokio::test]
async fn owned_in_the_default_world_only_has_platform_runners() {
    let s = Sandbox::start().await;
    let r = s.get("/runners?per_page=100", MAINTAINER_TOKEN).await;
    let ids = r.ids();
    for id in [2, 3, 6, 8, 12] {
        assert!(ids.contains(&id), "runner {id} missing from {ids:?}");
    }
    let world = s.running.state.read();
    for id in &ids {
        let runner = &world.runners[id];
        let platform_project = runner.projects.iter().any(|p| [1, 2, 3].contains(p));
        assert!(
            runner.group_id == Some(1) || platform_project,
            "runner {id} is not platform's"
        );
    }
    // And every platform runner of the world is there.
    let expected = world
        .runners
        .values()
        .filter(|r| r.group_id == Some(1) || r.projects.iter().any(|p| [1, 2, 3].contains(p)))
        .count();
    assert_eq!(ids.len(), expected);
}

#[tokio::test]
async fn owned_is_empty_for_a_reporter() {
    let s = Sandbox::fixed().await;
    let r = s.get("/runners", REPORTER_TOKEN).await;
    assert_eq!(r.ok(200), &json!([]));
    assert_eq!(r.header("x-total"), Some("0"));
    assert_eq!(r.header("x-total-pages"), Some("1"));
}

#[tokio::test]
async fn owned_scope_takes_statuses_only() {
    let s = Sandbox::fixed().await;
    assert_eq!(
        s.get("/runners?scope=online", MAINTAINER_TOKEN).await.ids(),
        vec![2, 3]
    );
    assert_eq!(
        s.get("/runners?scope=paused", MAINTAINER_TOKEN).await.ids(),
        vec![8]
    );
    assert_eq!(
        s.get("/runners?scope=active", MAINTAINER_TOKEN).await.ids(),
        vec![2, 3, 6, 12]
    );
    assert_eq!(
        s.get("/runners?scope=stale", MAINTAINER_TOKEN).await.ids(),
        vec![8]
    );
    for scope in ["shared", "specific", "project_type", "bogus"] {
        s.get(&format!("/runners?scope={scope}"), MAINTAINER_TOKEN)
            .await
            .expect(400, r#"{"error":"scope does not have a valid value"}"#);
    }
}

#[tokio::test]
async fn owned_takes_type_status_paused_and_tags() {
    let s = Sandbox::fixed().await;
    let ids = |q: &'static str| {
        let s = &s;
        async move {
            s.get(&format!("/runners?{q}"), MAINTAINER_TOKEN)
                .await
                .ids()
        }
    };
    assert_eq!(ids("type=project_type").await, vec![3, 6, 12]);
    assert_eq!(ids("type=group_type").await, vec![2, 8]);
    assert_eq!(ids("type=instance_type").await, Vec::<u64>::new());
    // Stale runner 8 also matches `offline` when it was ever contacted.
    assert_eq!(
        ids("status=offline").await,
        with(&[6], &[8], |id| s.contacted(id))
    );
    assert_eq!(ids("paused=true").await, vec![8]);
    let eight = s.runner_tags(8);
    assert_eq!(
        ids("tag_list=docker,arm64").await,
        with(&[2], &[8], |_| has_tags(&eight, &["docker", "arm64"]))
    );
    assert_eq!(ids("tag_list=ruby").await, vec![3]);
    s.get("/runners?type=shared", MAINTAINER_TOKEN)
        .await
        .expect(400, r#"{"error":"type does not have a valid value"}"#);
}

#[tokio::test]
async fn all_is_for_administrators_only() {
    let s = Sandbox::fixed().await;
    s.get("/runners/all", MAINTAINER_TOKEN)
        .await
        .expect(403, FORBIDDEN);
    s.get("/runners/all", REPORTER_TOKEN)
        .await
        .expect(403, FORBIDDEN);
    assert_eq!(s.get("/runners/all", ADMIN_TOKEN).await.ids(), ALL.to_vec());
    // The read_api administrator may read.
    assert_eq!(
        s.get("/runners/all", READONLY_TOKEN).await.ids(),
        ALL.to_vec()
    );
    // Parameters are validated before the admin check, as Grape does.
    s.get("/runners/all?type=bogus", MAINTAINER_TOKEN)
        .await
        .expect(400, r#"{"error":"type does not have a valid value"}"#);
}

#[tokio::test]
async fn all_lists_in_id_order_with_the_runner_entity() {
    // GitLab 16.11's entity: a real `ip_address`, no `job_execution_status` yet.
    let s = Sandbox::with(gitlab_sandbox::Config {
        gitlab_version: gitlab_sandbox::GitLabVersion::new(16, 11),
        ..Default::default()
    })
    .await;
    let r = s.get("/runners/all", ADMIN_TOKEN).await;
    assert_eq!(r.ids(), (1..=20).collect::<Vec<u64>>());
    let list = r.body.as_array().unwrap();
    let mut keys: Vec<&str> = list[0]
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
    let one = &list[0];
    assert_eq!(one["ip_address"], "10.0.0.1");
    assert_eq!(one["active"], true);
    assert_eq!(one["paused"], false);
    assert_eq!(one["is_shared"], true);
    assert_eq!(one["runner_type"], "instance_type");
    assert_eq!(one["name"], "gitlab-runner");
    assert_eq!(one["online"], true);
    assert_eq!(one["status"], "online");
    assert!(one["description"].as_str().unwrap().starts_with("shared-"));
    assert!(one["description"].as_str().unwrap().ends_with("-1"));

    let four = &list[3];
    assert_eq!(
        (four["active"].clone(), four["paused"].clone()),
        (json!(false), json!(true))
    );
    assert_eq!(four["online"], false);
    assert_eq!(four["status"], "offline");

    let nine = &list[8];
    assert_eq!(nine["status"], "stale");
    assert_eq!(nine["runner_type"], "project_type");
    assert!(nine["description"]
        .as_str()
        .unwrap()
        .starts_with("warehouse-"));

    // Never contacted: `online` and `ip_address` are null.
    let ten = &list[9];
    assert_eq!(ten["status"], "never_contacted");
    assert_eq!(ten["online"], Value::Null);
    assert_eq!(ten["ip_address"], Value::Null);
    assert_eq!(list[10]["is_shared"], false);
    assert_eq!(list[10]["runner_type"], "group_type");
}

#[tokio::test]
async fn all_filters_by_type() {
    let s = Sandbox::fixed().await;
    for (t, want) in [
        ("instance_type", vec![1, 4, 7, 10]),
        ("group_type", vec![2, 5, 8, 11]),
        ("project_type", vec![3, 6, 9, 12]),
    ] {
        let r = s.get(&format!("/runners/all?type={t}"), ADMIN_TOKEN).await;
        assert_eq!(r.ids(), want, "type={t}");
        assert!(r
            .body
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["runner_type"] == t));
    }
    s.get("/runners/all?type=shared", ADMIN_TOKEN)
        .await
        .expect(400, r#"{"error":"type does not have a valid value"}"#);
}

#[tokio::test]
async fn all_filters_by_status_including_deprecated_ones() {
    let s = Sandbox::fixed().await;
    let stale = [7, 8, 9];
    let get = |q: String| {
        let s = &s;
        async move { s.get(&format!("/runners/all?{q}"), ADMIN_TOKEN).await.ids() }
    };
    assert_eq!(get("status=online".into()).await, vec![1, 2, 3]);
    // `offline` and `never_contacted` also match stale runners by their contact time.
    assert_eq!(
        get("status=offline".into()).await,
        with(&[4, 5, 6], &stale, |id| s.contacted(id))
    );
    assert_eq!(
        get("status=never_contacted".into()).await,
        with(&[10, 11, 12], &stale, |id| !s.contacted(id))
    );
    assert_eq!(get("status=stale".into()).await, vec![7, 8, 9]);
    assert_eq!(get("status=paused".into()).await, vec![4, 8]);
    assert_eq!(
        get("status=active".into()).await,
        vec![1, 2, 3, 5, 6, 7, 9, 10, 11, 12]
    );
    for bad in ["bogus", "not_connected", "shared"] {
        s.get(&format!("/runners/all?status={bad}"), ADMIN_TOKEN)
            .await
            .expect(400, r#"{"error":"status does not have a valid value"}"#);
    }
}

#[tokio::test]
async fn all_filters_by_scope_types_legacy_types_and_statuses() {
    let s = Sandbox::fixed().await;
    for (scope, want) in [
        ("shared", vec![1, 4, 7, 10]),
        ("specific", vec![2, 3, 5, 6, 8, 9, 11, 12]),
        ("instance_type", vec![1, 4, 7, 10]),
        ("group_type", vec![2, 5, 8, 11]),
        ("project_type", vec![3, 6, 9, 12]),
        ("online", vec![1, 2, 3]),
        ("stale", vec![7, 8, 9]),
        ("paused", vec![4, 8]),
    ] {
        let r = s
            .get(&format!("/runners/all?scope={scope}"), ADMIN_TOKEN)
            .await;
        assert_eq!(r.ids(), want, "scope={scope}");
    }
    s.get("/runners/all?scope=bogus", ADMIN_TOKEN)
        .await
        .expect(400, r#"{"error":"scope does not have a valid value"}"#);
}

#[tokio::test]
async fn all_filters_by_paused() {
    let s = Sandbox::fixed().await;
    let paused = s.get("/runners/all?paused=true", ADMIN_TOKEN).await;
    assert_eq!(paused.ids(), vec![4, 8]);
    assert!(paused
        .body
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["paused"] == true && r["active"] == false));
    assert_eq!(
        s.get("/runners/all?paused=false", ADMIN_TOKEN).await.ids(),
        vec![1, 2, 3, 5, 6, 7, 9, 10, 11, 12]
    );
    s.get("/runners/all?paused=maybe", ADMIN_TOKEN)
        .await
        .expect(400, r#"{"error":"paused is invalid"}"#);
}

#[tokio::test]
async fn all_tag_list_keeps_runners_having_all_the_tags() {
    let s = Sandbox::fixed().await;
    let drawn = |want: &'static [&'static str]| {
        let s = &s;
        move |id: u64| has_tags(&s.runner_tags(id), want)
    };
    let get = |q: &'static str| {
        let s = &s;
        async move { s.get(&format!("/runners/all?{q}"), ADMIN_TOKEN).await.ids() }
    };
    // 1 has docker+linux, 2 has docker+linux+arm64; 8's and 9's tags are drawn.
    assert_eq!(
        get("tag_list=docker,linux").await,
        with(&[1, 2], &[8, 9], drawn(&["docker", "linux"]))
    );
    assert_eq!(
        get("tag_list[]=docker&tag_list[]=arm64").await,
        with(&[2], &[8, 9], drawn(&["docker", "arm64"]))
    );
    assert_eq!(
        get("tag_list=docker").await,
        with(&[1, 2], &[8, 9], drawn(&["docker"]))
    );
    assert_eq!(
        get("tag_list=windows").await,
        with(&[4], &[8, 9], drawn(&["windows"]))
    );
    // Having one of the tags is not enough.
    assert_eq!(
        get("tag_list=windows,docker").await,
        with(&[], &[8, 9], drawn(&["windows", "docker"]))
    );
    assert_eq!(get("tag_list=no-such-tag").await, Vec::<u64>::new());
}

#[tokio::test]
async fn all_filters_combine() {
    let s = Sandbox::fixed().await;
    let get = |q: &'static str| {
        let s = &s;
        async move { s.get(&format!("/runners/all?{q}"), ADMIN_TOKEN).await.ids() }
    };
    assert_eq!(get("type=project_type&status=online").await, vec![3]);
    assert_eq!(get("type=instance_type&paused=true").await, vec![4]);
    assert_eq!(get("scope=specific&status=online").await, vec![2, 3]);
    assert_eq!(get("scope=shared&tag_list=docker").await, vec![1]);
    assert_eq!(
        get("type=group_type&status=stale&paused=true").await,
        vec![8]
    );
    assert_eq!(
        get("type=group_type&status=online&paused=true").await,
        Vec::<u64>::new()
    );
}
