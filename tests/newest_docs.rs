//! Every example response in GitLab's newest `doc/api/runners.md` and
//! `doc/api/users.md` (runner section) decodes with the console's own decoder
//! and model types, and the values the console shows come out right.
//!
//! The fixtures in `tests/fixtures/newest/` are verbatim copies (see the README
//! there). The 15.x-era examples are tested in `src/api/model.rs`.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use runner_console::api::model::decode;
use runner_console::api::{
    RegisteredRunner, Runner, RunnerDetails, RunnerJob, RunnerKind, RunnerManager, TokenResponse,
};
use runner_console::refusals::verified_runner_id;

/// Every fixture in `tests/fixtures/newest/`, without `.json`. `fixture!` only
/// accepts names listed here, and `every_fixture_is_tested` checks this list
/// against the directory and against the `fixture!` calls in this file.
const FIXTURES: &[&str] = &[
    "runners_owned",
    "runners_all",
    "runner_details",
    "runner_updated",
    "runner_jobs",
    "runner_managers",
    "project_runners",
    "enabled_runner",
    "group_runners",
    "registered_runner",
    "verified_runner",
    "reset_token_by_id",
    "reset_token_by_token",
    "router_discovery",
    "user_runner_created",
];

const fn listed(name: &str) -> bool {
    let name = name.as_bytes();
    let mut i = 0;
    while i < FIXTURES.len() {
        let f = FIXTURES[i].as_bytes();
        if f.len() == name.len() {
            let mut j = 0;
            while j < f.len() && f[j] == name[j] {
                j += 1;
            }
            if j == f.len() {
                return true;
            }
        }
        i += 1;
    }
    false
}

/// The text of `tests/fixtures/newest/<name>.json`; `<name>` must be in `FIXTURES`.
macro_rules! fixture {
    ($name:literal) => {{
        const _: () = assert!(listed($name), "add the fixture to FIXTURES");
        include_str!(concat!("fixtures/newest/", $name, ".json"))
    }};
}

#[test]
fn every_fixture_is_tested() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/newest");
    let on_disk: BTreeSet<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter_map(|f| f.strip_suffix(".json").map(str::to_string))
        .collect();
    let listed: BTreeSet<String> = FIXTURES.iter().map(|f| f.to_string()).collect();
    assert_eq!(listed.len(), FIXTURES.len(), "FIXTURES has a duplicate");
    assert_eq!(
        on_disk, listed,
        "tests/fixtures/newest/*.json and FIXTURES differ"
    );

    // A listed fixture must also be read by a test here.
    let source = include_str!("newest_docs.rs");
    for name in FIXTURES {
        let call = format!("fixture!(\"{name}\")");
        assert!(source.contains(&call), "no test reads {name}.json");
    }
}

#[test]
fn owned_runners_example() {
    let list: Vec<Runner> = decode(fixture!("runners_owned")).unwrap();
    assert_eq!(list.len(), 2);
    let r = &list[0];
    assert_eq!(r.id, 6);
    assert_eq!(r.description.as_deref(), Some("test-1-20150125"));
    assert_eq!(r.display_name(), "#6 (test-1-20150125)");
    // Deprecated in 16.1, an empty string since 17.0.
    assert_eq!(r.ip_address.as_deref(), Some(""));
    assert_eq!(r.active, Some(true));
    assert_eq!(r.paused, Some(false));
    assert!(!r.is_paused());
    assert!(!r.is_shared);
    assert_eq!(r.runner_type, RunnerKind::ProjectType);
    assert_eq!(r.name, None);
    assert_eq!(r.online, Some(true));
    assert_eq!(r.status, "online");
    assert_eq!(r.job_execution_status.as_deref(), Some("idle"));
    // Not in this example.
    assert_eq!(r.tag_list, None);
    assert_eq!(r.created_at, None);

    let r = &list[1];
    assert_eq!(r.id, 8);
    assert_eq!(r.description.as_deref(), Some("test-2-20150125"));
    assert_eq!(r.runner_type, RunnerKind::GroupType);
    assert_eq!(r.online, Some(false));
    assert_eq!(r.status, "offline");
    assert_eq!(r.job_execution_status.as_deref(), Some("idle"));
    assert!(!r.is_paused());
}

#[test]
fn all_runners_example() {
    let list: Vec<Runner> = decode(fixture!("runners_all")).unwrap();
    assert_eq!(
        list.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![1, 3, 6, 8]
    );
    assert_eq!(
        list.iter().map(|r| r.status.as_str()).collect::<Vec<_>>(),
        vec!["online", "offline", "paused", "offline"]
    );
    assert!(list
        .iter()
        .all(|r| r.job_execution_status.as_deref() == Some("idle")));
    assert!(list.iter().all(|r| r.ip_address.as_deref() == Some("")));

    let r = &list[0];
    assert_eq!(r.description.as_deref(), Some("shared-runner-1"));
    assert!(r.is_shared);
    assert_eq!(r.runner_type, RunnerKind::InstanceType);
    assert_eq!(r.online, Some(true));
    assert_eq!(list[1].description.as_deref(), Some("shared-runner-2"));
    assert_eq!(list[1].runner_type, RunnerKind::InstanceType);
    assert_eq!(list[1].online, Some(false));

    // The newest docs still show the legacy "paused" status next to
    // `paused: false`: the flag wins.
    let r = &list[2];
    assert_eq!(r.description.as_deref(), Some("test-1-20150125"));
    assert_eq!(r.runner_type, RunnerKind::ProjectType);
    assert_eq!(r.paused, Some(false));
    assert!(!r.is_paused());

    assert!(!list[3].is_shared);
    assert_eq!(list[3].runner_type, RunnerKind::GroupType);
}

#[test]
fn runner_details_example() {
    let d: RunnerDetails = decode(fixture!("runner_details")).unwrap();
    assert_eq!(d.id, 6);
    assert_eq!(d.description.as_deref(), Some("test-1-20150125"));
    assert_eq!(d.ip_address.as_deref(), Some(""));
    assert_eq!((d.active, d.paused), (Some(true), Some(false)));
    assert!(!d.is_paused());
    assert!(!d.is_shared);
    assert_eq!(d.runner_type, RunnerKind::ProjectType);
    assert_eq!(d.contacted_at.as_deref(), Some("2016-01-25T16:39:48.066Z"));
    assert_eq!(d.name, None);
    assert_eq!(d.online, Some(true));
    assert_eq!(d.status, "online");
    assert_eq!(d.job_execution_status.as_deref(), Some("idle"));
    // Deprecated in 17.0 (they moved to the runner managers): all null here.
    assert_eq!(d.version, None);
    assert_eq!(d.revision, None);
    assert_eq!(d.platform, None);
    assert_eq!(d.architecture, None);
    assert_eq!(d.maintenance_note, None);
    assert_eq!(d.note(), None);
    assert_eq!(d.tag_list, vec!["ruby", "mysql"]);
    assert_eq!(d.access_level.as_deref(), Some("ref_protected"));
    assert_eq!(d.maximum_timeout, Some(3600));
    assert_eq!(d.projects.len(), 1);
    let p = &d.projects[0];
    assert_eq!(p.id, 1);
    assert_eq!(p.name, "GitLab Community Edition");
    assert_eq!(
        p.name_with_namespace,
        "GitLab.org / GitLab Community Edition"
    );
    assert_eq!(p.path, "gitlab-foss");
    assert_eq!(p.path_with_namespace, "gitlab-org/gitlab-foss");
    // Not in this example.
    assert!(d.groups.is_empty());
    assert_eq!((d.run_untagged, d.locked), (None, None));
    assert_eq!(d.created_at, None);

    let r = d.to_runner();
    assert_eq!(r.id, 6);
    assert_eq!(r.job_execution_status.as_deref(), Some("idle"));
    assert_eq!(r.tag_list, Some(vec!["ruby".into(), "mysql".into()]));
}

#[test]
fn updated_runner_example() {
    let d: RunnerDetails = decode(fixture!("runner_updated")).unwrap();
    assert_eq!(d.id, 6);
    assert_eq!(d.description.as_deref(), Some("test-1-20150125-test"));
    assert_eq!(d.runner_type, RunnerKind::GroupType);
    assert_eq!(d.tag_list, vec!["ruby", "mysql", "tag1", "tag2"]);
    assert_eq!(d.maximum_timeout, None);
    assert_eq!(d.access_level.as_deref(), Some("ref_protected"));
    assert_eq!(d.status, "online");
    assert_eq!(d.job_execution_status.as_deref(), Some("idle"));
    assert_eq!((d.version.as_deref(), d.revision.as_deref()), (None, None));
    assert_eq!(d.note(), None);
    assert_eq!(d.projects[0].path_with_namespace, "gitlab-org/gitlab-foss");
    // No `paused` in this example: derived from `active`.
    assert_eq!(d.paused, None);
    assert_eq!(d.active, Some(true));
    assert!(!d.is_paused());
}

#[test]
fn runner_jobs_example() {
    let jobs: Vec<RunnerJob> = decode(fixture!("runner_jobs")).unwrap();
    assert_eq!(jobs.len(), 1);
    let j = &jobs[0];
    assert_eq!(j.id, 2);
    assert_eq!(j.status, "running");
    assert_eq!(j.stage.as_deref(), Some("test"));
    assert_eq!(j.name.as_deref(), Some("test"));
    assert_eq!(j.git_ref.as_deref(), Some("main"));
    assert!(!j.tag);
    assert_eq!(j.coverage, None);
    assert!(!j.allow_failure);
    assert_eq!(j.created_at.as_deref(), Some("2017-11-16T08:50:29.000Z"));
    assert_eq!(j.started_at.as_deref(), Some("2017-11-16T08:51:29.000Z"));
    assert_eq!(j.finished_at.as_deref(), Some("2017-11-16T08:53:29.000Z"));
    assert_eq!(j.duration, Some(120.0));
    assert_eq!(j.queued_duration, Some(2.0));
    // The 15.x example had a job `ip_address`; the newest has none.
    assert_eq!(j.ip_address, None);
    assert_eq!(
        (j.web_url.as_deref(), j.failure_reason.as_deref()),
        (None, None)
    );

    let u = j.user.as_ref().unwrap();
    assert_eq!(
        (u.id, u.name.as_str(), u.username.as_str()),
        (1, "John Doe2", "user2")
    );
    assert_eq!(u.state.as_deref(), Some("active"));
    assert_eq!(u.web_url.as_deref(), Some("http://localhost/user2"));
    assert_eq!(u.created_at.as_deref(), Some("2017-11-16T18:38:46.000Z"));
    assert!(u
        .avatar_url
        .as_deref()
        .unwrap()
        .starts_with("http://www.gravatar.com/avatar/"));

    let c = j.commit.as_ref().unwrap();
    assert_eq!(c.id, "97de212e80737a608d939f648d959671fb0a0142");
    assert_eq!(c.short_id, "97de212e");
    assert_eq!(c.title, "Update configuration\r");
    assert_eq!(c.message.as_deref(), Some("See merge request !123"));
    assert_eq!(
        c.parent_ids,
        vec![
            "1b12f15a11fc6e62177bef08f47bc7b5ce50b141",
            "498214de67004b1da3d820901307bed2a68a8ef6"
        ]
    );
    assert_eq!(c.author_email.as_deref(), Some("user2@example.org"));
    assert_eq!(
        c.committed_date.as_deref(),
        Some("2017-11-16T08:50:27.000Z")
    );

    let p = j.pipeline.as_ref().unwrap();
    assert_eq!(p.id, 2);
    assert_eq!(p.project_id, None);
    assert_eq!(p.sha, c.id);
    assert_eq!(p.git_ref.as_deref(), Some("main"));
    assert_eq!(p.status, "running");

    let pr = j.project.as_ref().unwrap();
    assert_eq!(pr.id, 1);
    assert_eq!(pr.description, None);
    assert_eq!(pr.name, "project1");
    assert_eq!(pr.name_with_namespace, "John Doe2 / project1");
    assert_eq!(pr.path, "project1");
    assert_eq!(pr.path_with_namespace, "namespace1/project1");
    assert_eq!(pr.created_at.as_deref(), Some("2017-11-16T18:38:46.620Z"));
}

#[test]
fn runner_managers_example() {
    let m: Vec<RunnerManager> = decode(fixture!("runner_managers")).unwrap();
    assert_eq!(m.len(), 2);
    assert_eq!(m[0].id, 1);
    assert_eq!(m[0].system_id.as_deref(), Some("s_89e5e9956577"));
    assert_eq!(m[0].version.as_deref(), Some("16.11.1"));
    assert_eq!(m[0].revision.as_deref(), Some("535ced5f"));
    assert_eq!(m[0].created_at.as_deref(), Some("2024-06-09T11:12:02.507Z"));
    assert_eq!(m[1].id, 2);
    assert_eq!(m[1].system_id.as_deref(), Some("runner-2"));
    assert_eq!(m[1].version.as_deref(), Some("16.11.0"));
    assert_eq!(m[1].revision.as_deref(), Some("91a27b2a"));
    assert_eq!(m[1].created_at.as_deref(), Some("2024-06-09T09:12:02.507Z"));
    for m in &m {
        assert_eq!(m.platform.as_deref(), Some("linux"));
        assert_eq!(m.architecture.as_deref(), Some("amd64"));
        assert_eq!(m.contacted_at.as_deref(), Some("2024-06-09T06:30:09.355Z"));
        // Managers keep a real address; runner entities send "".
        assert_eq!(m.ip_address.as_deref(), Some("127.0.0.1"));
        assert_eq!(m.status, "offline");
        assert_eq!(m.job_execution_status.as_deref(), Some("idle"));
    }
}

#[test]
fn project_runners_example() {
    let list: Vec<Runner> = decode(fixture!("project_runners")).unwrap();
    assert_eq!(list.len(), 2);
    let r = &list[0];
    assert_eq!(r.id, 8);
    assert_eq!(r.description.as_deref(), Some("test-2-20150125"));
    assert_eq!(r.runner_type, RunnerKind::ProjectType);
    assert!(!r.is_shared);
    assert_eq!((r.online, r.status.as_str()), (Some(false), "offline"));
    let r = &list[1];
    assert_eq!(r.id, 5);
    assert_eq!(r.description.as_deref(), Some("development_runner"));
    assert_eq!(r.runner_type, RunnerKind::InstanceType);
    assert!(r.is_shared);
    assert_eq!((r.online, r.status.as_str()), (Some(true), "online"));
    for r in &list {
        assert_eq!((r.active, r.paused), (Some(true), Some(false)));
        assert!(!r.is_paused());
        assert_eq!(r.ip_address.as_deref(), Some(""));
        assert_eq!(r.job_execution_status.as_deref(), Some("idle"));
    }
}

#[test]
fn enabled_runner_example() {
    let r: Runner = decode(fixture!("enabled_runner")).unwrap();
    assert_eq!(r.id, 9);
    assert_eq!(r.description.as_deref(), Some("test-2016-02-01"));
    assert_eq!(r.ip_address.as_deref(), Some(""));
    assert!(!r.is_shared);
    assert_eq!(r.runner_type, RunnerKind::ProjectType);
    assert_eq!(r.name, None);
    assert_eq!(r.online, Some(true));
    assert_eq!(r.status, "online");
    assert_eq!(r.job_execution_status.as_deref(), Some("idle"));
    // No `paused` in this example: derived from `active`.
    assert_eq!(r.paused, None);
    assert_eq!(r.active, Some(true));
    assert!(!r.is_paused());
}

#[test]
fn group_runners_example() {
    let list: Vec<Runner> = decode(fixture!("group_runners")).unwrap();
    assert_eq!(list.iter().map(|r| r.id).collect::<Vec<_>>(), vec![3, 6, 8]);
    assert_eq!(
        list.iter()
            .map(|r| r.description.as_deref())
            .collect::<Vec<_>>(),
        vec![Some("Shared"), Some("Test"), Some("Test 2")]
    );
    // Never contacted: `online` is null.
    assert_eq!(
        (list[0].online, list[0].status.as_str()),
        (None, "never_contacted")
    );
    assert_eq!(
        (list[1].online, list[1].status.as_str()),
        (Some(false), "offline")
    );
    assert_eq!(
        (list[2].online, list[2].status.as_str()),
        (None, "never_contacted")
    );
    assert!(list[0].is_shared && list[1].is_shared && !list[2].is_shared);
    assert_eq!(list[0].runner_type, RunnerKind::InstanceType);
    assert_eq!(list[1].runner_type, RunnerKind::InstanceType);
    assert_eq!(list[2].runner_type, RunnerKind::GroupType);
    for r in &list {
        assert_eq!(r.name.as_deref(), Some("gitlab-runner"));
        assert_eq!(r.ip_address.as_deref(), Some(""));
        assert_eq!(r.job_execution_status.as_deref(), Some("idle"));
        assert!(!r.is_paused());
    }
}

#[test]
fn registered_runner_example() {
    let r: RegisteredRunner = decode(fixture!("registered_runner")).unwrap();
    assert_eq!(r.id, 12345);
    // A registration-token runner: the docs' token has no `glrt-` prefix.
    assert_eq!(r.token, "6337ff461c94fd3fa32ba3b1ff4125");
    assert!(!r.token.starts_with("glrt-"));
    assert_eq!(
        r.token_expires_at.as_deref(),
        Some("2021-09-27T21:05:03.203Z")
    );
    assert!(!format!("{r:?}").contains("6337ff"));
}

#[test]
fn verified_runner_example() {
    let text = fixture!("verified_runner");
    // What the tokens page reads from the answer.
    assert_eq!(verified_runner_id(text), Some(12345));
    // Same shape as the `POST /runners` answer.
    let r: RegisteredRunner = decode(text).unwrap();
    assert_eq!(r.id, 12345);
    assert_eq!(r.token, "glrt-6337ff461c94fd3fa32ba3b1ff4125");
    assert!(r.token.starts_with("glrt-"));
    assert_eq!(
        r.token_expires_at.as_deref(),
        Some("2021-09-27T21:05:03.203Z")
    );
    assert!(!format!("{r:?}").contains("6337ff"));
}

#[test]
fn reset_token_by_id_example() {
    let t: TokenResponse = decode(fixture!("reset_token_by_id")).unwrap();
    assert_eq!(t.token, "6337ff461c94fd3fa32ba3b1ff4125");
    assert_eq!(
        t.token_expires_at.as_deref(),
        Some("2021-09-27T21:05:03.203Z")
    );
    assert!(!format!("{t:?}").contains("6337ff"));
}

#[test]
fn reset_token_by_token_example() {
    let t: TokenResponse = decode(fixture!("reset_token_by_token")).unwrap();
    assert_eq!(t.token, "6337ff461c94fd3fa32ba3b1ff4125");
    assert_eq!(
        t.token_expires_at.as_deref(),
        Some("2021-09-27T21:05:03.203Z")
    );
    assert!(!format!("{t:?}").contains("6337ff"));
}

/// The console has no model for this runner-token endpoint (it never calls
/// it): this only checks that the console's decoder reads the example.
#[test]
fn router_discovery_example() {
    let v: serde_json::Value = decode(fixture!("router_discovery")).unwrap();
    let object = v.as_object().unwrap();
    assert_eq!(object.len(), 1);
    assert_eq!(object["server_url"], "wss://kas.example.com");
}

#[test]
fn user_runner_created_example() {
    let r: RegisteredRunner = decode(fixture!("user_runner_created")).unwrap();
    assert_eq!(r.id, 9171);
    // The docs show a placeholder; real tokens start with `glrt-`.
    assert_eq!(r.token, "<access-token>");
    assert_eq!(r.token_expires_at, None);
    assert!(!format!("{r:?}").contains("access-token"));
}
