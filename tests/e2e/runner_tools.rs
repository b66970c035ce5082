//! A runner's jobs, and a project's runners (enable / disable).

use std::time::{Duration, Instant};

use fantoccini::Locator;
use gitlab_sandbox::model::RunnerType;
use gitlab_sandbox::{ADMIN_TOKEN, MAINTAINER_TOKEN, REPORTER_TOKEN};

use super::harness::{Harness, WAIT};

/// Job ids of the jobs table, in order.
async fn job_ids(h: &Harness) -> Vec<u64> {
    let rows = h
        .browser
        .find_all(Locator::Css("table.jobs tbody tr"))
        .await
        .expect("rows");
    let mut ids = vec![];
    for row in rows {
        if let Ok(Some(id)) = row.attr("data-job-id").await {
            ids.push(id.parse().expect("a job id"));
        }
    }
    ids
}

async fn wait_for_job_ids(h: &Harness, expected: &[u64]) {
    let started = Instant::now();
    loop {
        let ids = job_ids(h).await;
        if ids == expected {
            return;
        }
        if started.elapsed() > WAIT {
            panic!("jobs table shows {ids:?}, expected {expected:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until `check` holds for the runner table's ids.
async fn wait_for_table(h: &Harness, what: &str, check: impl Fn(&[u64]) -> bool) -> Vec<u64> {
    let started = Instant::now();
    loop {
        let ids = h.table_ids().await;
        if !ids.is_empty() && check(&ids) {
            return ids;
        }
        if started.elapsed() > WAIT {
            panic!("runner table {ids:?}: expected {what}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn select(h: &Harness, label: &str, value: &str) {
    h.field(label)
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("choose {value} in {label}: {e}"));
}

/// Text of the cells of one column (1-based) of the jobs table.
async fn job_column(h: &Harness, column: usize) -> Vec<String> {
    let cells = h
        .browser
        .find_all(Locator::Css(&format!(
            "table.jobs tbody tr td:nth-child({column})"
        )))
        .await
        .expect("cells");
    let mut out = vec![];
    for c in cells {
        out.push(c.text().await.expect("text"));
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_filters_and_sorts_a_runners_jobs_in_the_url() {
    let h = Harness::start().await;
    h.sign_in(ADMIN_TOKEN).await;
    let (first, count) = {
        let w = h.sandbox.state.read();
        let r = &w.runners[&1];
        (
            u64::from(w.jobs_per_runner) * (r.id - 1) + 1,
            r.job_count as u64,
        )
    };
    assert!(count > 1 && count <= 20, "runner 1 has one page of jobs");
    let newest_first: Vec<u64> = (first..first + count).rev().collect();

    h.open("/runners/1/jobs").await;
    h.wait_for_text("h1", "Jobs of runner #1").await;
    wait_for_job_ids(&h, &newest_first).await;
    // The id links to the job in GitLab, by an accessible name.
    let newest = newest_first[0];
    let link = h
        .wait_for(Locator::Css(&format!(
            "a[aria-label='Job #{newest} in GitLab']"
        )))
        .await;
    let href = link.attr("href").await.unwrap().unwrap_or_default();
    assert!(href.ends_with(&format!("/-/jobs/{newest}")), "{href}");
    let statuses = job_column(&h, 2).await;
    assert_eq!(
        statuses[0], "Running",
        "the newest job of an online runner runs"
    );

    select(&h, "Order", "asc").await;
    let oldest_first: Vec<u64> = newest_first.iter().rev().copied().collect();
    wait_for_job_ids(&h, &oldest_first).await;
    assert!(h.current_url().await.contains("sort=asc"));

    // Which jobs succeeded, as the full list shows them.
    let statuses = job_column(&h, 2).await;
    let succeeded: Vec<u64> = oldest_first
        .iter()
        .zip(&statuses)
        .filter(|(_, s)| *s == "Success")
        .map(|(id, _)| *id)
        .collect();
    assert!(
        !succeeded.is_empty(),
        "runner 1 has successful jobs: {statuses:?}"
    );

    select(&h, "Status", "success").await;
    wait_for_job_ids(&h, &succeeded).await;
    assert!(job_column(&h, 2).await.iter().all(|s| s == "Success"));
    let url = h.current_url().await;
    assert!(
        url.contains("status=success") && url.contains("sort=asc"),
        "{url}"
    );

    h.browser.back().await.unwrap();
    wait_for_job_ids(&h, &oldest_first).await;
    assert!(!h.current_url().await.contains("status="));
    h.browser.back().await.unwrap();
    wait_for_job_ids(&h, &newest_first).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn reporter_sees_only_jobs_of_their_project() {
    let h = Harness::start().await;
    h.sign_in(REPORTER_TOKEN).await;
    let (first, count) = {
        let w = h.sandbox.state.read();
        let r = &w.runners[&1];
        (
            u64::from(w.jobs_per_runner) * (r.id - 1) + 1,
            r.job_count as u64,
        )
    };
    h.open("/runners/1/jobs").await;
    h.wait_for_text(".note", "at least a reporter").await;
    h.wait_for(Locator::Css("table.jobs tbody tr")).await;
    let ids = job_ids(&h).await;
    assert!(!ids.is_empty());
    assert!(
        (ids.len() as u64) < count,
        "only some of runner 1's {count} jobs: {ids:?}"
    );
    assert!(ids.iter().all(|id| (first..first + count).contains(id)));
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
    let projects = job_column(&h, 7).await;
    assert!(
        projects.iter().all(|p| p == "data/warehouse"),
        "{projects:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn maintainer_lists_and_disables_project_runners() {
    let h = Harness::start().await;
    h.sign_in(MAINTAINER_TOKEN).await;
    h.open("/project-runners").await;
    h.wait_for_text("h1", "Project runners").await;
    h.wait_for(Locator::Css("#project-choice option[value='1']"))
        .await;

    // Project 1: its own runners 3 and 12 and the instance runners, in id order.
    select(&h, "Your projects", "1").await;
    let expected: Vec<u64> = {
        let w = h.sandbox.state.read();
        w.runners
            .values()
            .filter(|r| r.runner_type == RunnerType::Instance || r.projects.contains(&1))
            .map(|r| r.id)
            .take(20)
            .collect()
    };
    assert!(expected.contains(&3) && expected.contains(&12) && expected.contains(&1));
    h.wait_for_ids(&expected).await;
    h.wait_for_text("h2", "Runners of platform/api").await;
    assert!(h.current_url().await.contains("project=1"));
    let row = h.wait_for_text("tr[data-runner-id='1']", "Instance").await;
    assert!(
        row.contains("cannot") || row.contains("only an administrator"),
        "{row}"
    );

    // Runner 6 serves projects 2 and 3: disabling it in 2 works.
    h.fill("Project ID or path", "platform/web").await;
    h.click_button("Show runners").await;
    wait_for_table(&h, "runner 6 listed", |ids| ids.contains(&6)).await;
    h.wait_for(Locator::Css("tr[data-runner-id='6'] button"))
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_text("dialog[open] h2", "Disable runner #6 in platform/web?")
        .await;
    h.click_button("Disable runner #6").await;
    h.wait_for_text(".success", "Runner #6 is disabled in platform/web")
        .await;
    assert_eq!(h.sandbox.state.read().runners[&6].projects, vec![3]);
    wait_for_table(&h, "runner 6 gone", |ids| !ids.contains(&6)).await;

    // Runner 3's only project is 1: GitLab refuses, the page says why and what to do.
    h.fill("Project ID or path", "1").await;
    h.click_button("Show runners").await;
    wait_for_table(&h, "runner 3 listed", |ids| ids.contains(&3)).await;
    h.wait_for(Locator::Css("tr[data-runner-id='3'] button"))
        .await
        .click()
        .await
        .unwrap();
    h.click_button("Disable runner #3").await;
    let alert = h.wait_for_text("[role=alert]", "only project").await;
    assert!(alert.contains("delete it instead"), "{alert}");
    assert!(alert.contains("Only one project associated"), "{alert}");
    let link = h
        .wait_for(Locator::XPath(
            "//a[normalize-space(.)='Open runner #3 to delete it']",
        ))
        .await;
    assert!(link
        .attr("href")
        .await
        .unwrap()
        .unwrap_or_default()
        .ends_with("/runners/3"));
    assert_eq!(h.sandbox.state.read().runners[&3].projects, vec![1]);
}

#[tokio::test(flavor = "multi_thread")]
async fn maintainer_enables_a_runner_by_id_and_group_runners_are_refused() {
    let h = Harness::start().await;
    h.sign_in(MAINTAINER_TOKEN).await;
    h.open("/project-runners?project=1").await;
    wait_for_table(&h, "runner 3 listed", |ids| {
        ids.contains(&3) && !ids.contains(&6)
    })
    .await;
    // Runner 6 (projects 2 and 3, which Maria maintains) is offered to choose.
    h.wait_for(Locator::Css("#enable-choice option[value='6']"))
        .await;
    assert!(h
        .browser
        .find(Locator::Css("#enable-choice option[value='3']"))
        .await
        .is_err());

    h.fill("Runner ID", "6").await;
    h.click_button("Enable by ID").await;
    h.wait_for_text(".success", "Runner #6 is enabled in platform/api")
        .await;
    assert_eq!(h.sandbox.state.read().runners[&6].projects, vec![2, 3, 1]);
    wait_for_table(&h, "runner 6 listed", |ids| ids.contains(&6)).await;
    assert_eq!(h.value_of("Runner ID").await, "");

    h.fill("Runner ID", "2").await;
    h.click_button("Enable by ID").await;
    let alert = h.wait_for_text("[role=alert]", "is a group runner").await;
    assert!(alert.contains("Runner #2"), "{alert}");
    let w = h.sandbox.state.read();
    assert!(w.runners[&2].projects.is_empty());
    assert_eq!(w.runners[&2].group_id, Some(1));
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_enables_a_runner_chosen_from_the_list() {
    let h = Harness::start().await;
    h.sign_in(ADMIN_TOKEN).await;
    h.open("/project-runners?project=1").await;
    wait_for_table(&h, "project 1's runners", |ids| ids.contains(&3)).await;
    // Runner 9 serves data/warehouse and data/etl; enable it in platform/api too.
    h.wait_for(Locator::Css("#enable-choice option[value='9']"))
        .await;
    h.select("Runner to enable", "9").await;
    h.click_button("Enable selected runner").await;
    h.wait_for_text(".success", "Runner #9 is enabled in platform/api")
        .await;
    assert_eq!(h.sandbox.state.read().runners[&9].projects, vec![4, 5, 1]);
    wait_for_table(&h, "runner 9 listed", |ids| ids.contains(&9)).await;
}
