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

/// A version's group as the dashboard labels it (`18.11`, `14.x`).
fn group_of(version: Option<&str>) -> String {
    version
        .and_then(runner_console::outdated::VersionGroup::of)
        .map_or("unknown".into(), |g| g.label())
}

async fn row_numbers(h: &Harness, row_css: &str) -> Vec<String> {
    let row = h.wait_for(fantoccini::Locator::Css(row_css)).await;
    let mut out = vec![];
    for cell in row
        .find_all(fantoccini::Locator::Css("td.num"))
        .await
        .unwrap()
    {
        out.push(cell.text().await.unwrap());
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn runners_and_machines_by_version_and_the_tags_in_use_are_what_gitlab_holds() {
    let h = Harness::with_config(Config::default()).await;
    h.sign_in(ADMIN_TOKEN).await;
    h.open("/dashboard").await;
    h.click_button("Read the version and tags of every runner")
        .await;
    h.wait_for(fantoccini::Locator::Css("table.dashboard-tags"))
        .await;
    h.wait_until_js("!document.querySelector('#versions-progress')")
        .await;
    let (runners, machines, tags) = {
        let w = h.sandbox.state.read();
        let mut runners = std::collections::BTreeMap::<String, usize>::new();
        let mut machines = std::collections::BTreeMap::<String, usize>::new();
        let mut tags = std::collections::BTreeMap::<String, usize>::new();
        for r in w.runners.values() {
            let latest = w.latest_manager(r).and_then(|m| m.version);
            *runners.entry(group_of(latest.as_deref())).or_default() += 1;
            for m in w.runner_managers(r) {
                *machines.entry(group_of(m.version.as_deref())).or_default() += 1;
            }
            for t in &r.tag_list {
                *tags.entry(t.clone()).or_default() += 1;
            }
        }
        (runners, machines, tags)
    };
    assert!(runners.len() > 2, "several versions: {runners:?}");
    for (group, n) in &runners {
        let m = machines.get(group).copied().unwrap_or_default();
        let css = format!("table.dashboard-versions tr[data-version='{group}']");
        assert_eq!(
            row_numbers(&h, &css).await,
            [n.to_string(), m.to_string()],
            "version {group}"
        );
    }
    // Behind the server: the words, and the ⚠ beside them.
    let oldest = runners
        .keys()
        .filter(|g| *g != "unknown")
        .min_by_key(|g| runner_console::runner_facts::version_parts(g));
    if let Some(g) = oldest {
        h.wait_for_text(
            &format!("table.dashboard-versions tr[data-version='{g}']"),
            "⚠",
        )
        .await;
    }
    assert!(!tags.is_empty());
    for (tag, n) in &tags {
        let text = h
            .wait_for_text(&format!("table.dashboard-tags tr[data-tag='{tag}'] a"), "")
            .await;
        assert_eq!(text, n.to_string(), "tag {tag}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sampling_the_jobs_of_online_runners_finds_the_busiest_and_the_queue_time() {
    let h = Harness::with_config(Config::default()).await;
    h.sign_in(ADMIN_TOKEN).await;
    h.open("/dashboard").await;
    h.fill("Jobs per runner", "5").await;
    h.click_button("Sample jobs").await;
    h.wait_for(fantoccini::Locator::Css("table.dashboard-load"))
        .await;
    h.wait_until_js("!document.querySelector('#jobs-progress')")
        .await;

    // The newest 5 jobs of each online runner, as GitLab answers them.
    let (mut queued, mut loads) = (vec![], vec![]);
    {
        let w = h.sandbox.state.read();
        let now = time::OffsetDateTime::now_utc();
        for r in w.runners.values().filter(|r| r.is_online(now)) {
            let mut jobs = gitlab_sandbox::jobs::jobs_of(&w, r);
            jobs.sort_by_key(|j| std::cmp::Reverse(j.id));
            jobs.truncate(5);
            queued.extend(jobs.iter().filter_map(|j| j.queued_duration));
            let secs: f64 = jobs.iter().filter_map(|j| j.duration).sum();
            loads.push((r.id, jobs.len(), secs));
        }
    }
    assert!(loads.len() > 3, "online runners to sample");
    let median = runner_console::dashboard::percentile(&mut queued.clone(), 0.5).unwrap();
    let p95 = runner_console::dashboard::percentile(&mut queued, 0.95).unwrap();
    let stat = |name: &'static str| {
        let h = &h;
        async move {
            h.wait_for_text(&format!("dd[data-stat='{name}']"), "")
                .await
        }
    };
    assert_eq!(
        stat("queued-median").await,
        runner_console::time_text::duration(median)
    );
    assert_eq!(
        stat("queued-p95").await,
        runner_console::time_text::duration(p95)
    );
    loads.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.total_cmp(&a.2)).then(a.0.cmp(&b.0)));
    let first = h
        .wait_for(fantoccini::Locator::Css("table.dashboard-load tbody tr"))
        .await;
    assert_eq!(
        first.attr("data-runner-id").await.unwrap(),
        Some(loads[0].0.to_string()),
        "the busiest runner first: {loads:?}"
    );
    h.wait_for_text("svg.bar-chart", &format!("{} jobs", loads[0].1))
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn above_ten_thousand_the_dashboard_counts_the_loaded_runners_and_says_so() {
    let h = Harness::with_config(Config {
        runners: 10_050,
        ..Config::default()
    })
    .await;
    h.sign_in(ADMIN_TOKEN).await;
    h.open("/dashboard").await;
    assert_eq!(cell(&h, "all-all").await, "more than 10,000");
    h.click_button("Count every runner here").await;
    h.wait_for_text("td[data-cell='all-all'] a", "(counted here)")
        .await;
    let total = h.sandbox.state.read().runners.len();
    assert_eq!(
        cell(&h, "all-all").await,
        format!(
            "{} (counted here)",
            runner_console::status_summary::group_thousands(total as u64)
        )
    );
    // Where GitLab still counts, its count stays.
    let stale = gitlab_count(&h, Some("stale"), None, None);
    assert!(stale < 10_000);
    assert_eq!(
        cell(&h, "stale-all").await,
        runner_console::status_summary::group_thousands(stale as u64)
    );
    h.wait_for_text(
        "section[aria-labelledby='beyond-title']",
        "Counted from 10,050 loaded runners.",
    )
    .await;
}
