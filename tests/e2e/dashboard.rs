//! The fleet dashboard (`/dashboard`): GitLab's counts by status and type.

use gitlab_sandbox::model::RunnerType;
use gitlab_sandbox::{Config, GitLabVersion, ADMIN_TOKEN, MAINTAINER_TOKEN};

use super::harness::Harness;

/// What GitLab (the sandbox) counts for a status (`None`: any) of a type (`None`: any).
fn gitlab_count(
    h: &Harness,
    scope: Option<&str>,
    runner_type: Option<RunnerType>,
    only: Option<&[u64]>,
) -> usize {
    let world = h.sandbox.state.read();
    let now = time::OffsetDateTime::now_utc();
    world
        .runners
        .values()
        .filter(|r| only.is_none_or(|ids| ids.contains(&r.id)))
        .filter(|r| runner_type.is_none_or(|t| r.runner_type == t))
        .filter(|r| scope.is_none_or(|s| r.matches_scope_for(s, now, GitLabVersion::NEWEST)))
        .count()
}

async fn cell(h: &Harness, key: &str) -> String {
    h.wait_for_text(&format!("td[data-cell='{key}'] a"), "")
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_dashboard_counts_what_gitlab_counts_by_status_and_type() {
    let h = Harness::with_config(Config::default()).await;
    h.sign_in(ADMIN_TOKEN).await;
    h.click_link("Dashboard").await;
    h.wait_for_text("h1", "Fleet dashboard").await;
    let types = [
        ("all", None),
        ("instance_type", Some(RunnerType::Instance)),
        ("group_type", Some(RunnerType::Group)),
        ("project_type", Some(RunnerType::Project)),
    ];
    let parts = [
        ("all", None),
        ("online", Some("online")),
        ("offline", Some("offline")),
        ("stale", Some("stale")),
        ("never", Some("never_contacted")),
        ("paused", Some("paused")),
    ];
    for (part, scope) in parts {
        for (column, t) in types {
            let expected = gitlab_count(&h, scope, t, None);
            assert_eq!(
                cell(&h, &format!("{part}-{column}")).await,
                expected.to_string(),
                "{part} × {column}"
            );
        }
    }
    assert!(
        gitlab_count(&h, Some("stale"), None, None) > 0,
        "the default world has stale runners"
    );
    // The chart says the same numbers in words.
    let stale = gitlab_count(&h, Some("stale"), None, None);
    h.wait_for_text("svg.status-chart", &format!("Stale {stale}"))
        .await;
    // Each count opens the list of those runners.
    h.click_link(&cell(&h, "stale-group_type").await).await;
    h.wait_until_js("location.pathname.endsWith('/runners') && location.search === '?type=group_type&status=stale'")
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_maintainer_sees_the_counts_of_the_runners_they_can_manage() {
    let h = Harness::with_config(Config::default()).await;
    h.sign_in(MAINTAINER_TOKEN).await;
    h.wait_for(fantoccini::Locator::Css("table.runners tbody tr"))
        .await;
    h.open("/dashboard").await;
    h.wait_for_text(".lead", "the runners you can manage").await;
    // `GET /runners` is what a maintainer can list: the dashboard counts those.
    let theirs: Vec<u64> = {
        let w = h.sandbox.state.read();
        let me = w
            .users
            .iter()
            .find(|u| u.token == MAINTAINER_TOKEN)
            .unwrap();
        w.runners
            .values()
            .filter(|r| w.owns_runner(me, r))
            .map(|r| r.id)
            .collect()
    };
    assert!(theirs.len() < h.sandbox.state.read().runners.len());
    for (key, scope, t) in [
        ("all-all", None, None),
        ("online-all", Some("online"), None),
        (
            "stale-project_type",
            Some("stale"),
            Some(RunnerType::Project),
        ),
    ] {
        let expected = gitlab_count(&h, scope, t, Some(&theirs));
        assert_eq!(cell(&h, key).await, expected.to_string(), "{key}");
    }
    assert!(
        h.requests_with("GET /api/v4/runners/all").is_empty(),
        "a maintainer is not asked about every runner"
    );
}
