//! What GitLab added to the runner API since 15.x, on the versions that have it
//! and on those that do not: the machines behind a runner, paged projects, jobs by
//! machine and by cursor. Where a version lacks a feature, the page says what it
//! needs and the sandbox's request log proves nothing was asked.

use fantoccini::Locator;
use gitlab_sandbox::{Config, GitLabVersion, ADMIN_TOKEN};

use super::harness::Harness;

fn at_version(major: u32, minor: u32) -> Config {
    Config {
        gitlab_version: GitLabVersion::new(major, minor),
        ..Config::default()
    }
}

async fn rows(h: &Harness, css: &str) -> Vec<String> {
    let mut out = vec![];
    for row in h.browser.find_all(Locator::Css(css)).await.unwrap() {
        out.push(row.text().await.unwrap());
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn the_machines_of_a_runner_show_every_field_gitlab_gives() {
    let h = Harness::with_config(Config::default()).await;
    h.sign_in(ADMIN_TOKEN).await;
    h.open("/runners/4").await;
    h.wait_for_text("table.machines caption", "2 machine(s)")
        .await;
    let managers = {
        let w = h.sandbox.state.read();
        w.runner_managers(&w.runners[&4])
    };
    assert_eq!(managers.len(), 2);
    let shown = rows(&h, "table.machines tbody tr").await;
    assert_eq!(shown.len(), 2);
    for m in &managers {
        let row = shown
            .iter()
            .find(|r| r.contains(&m.system_id))
            .unwrap_or_else(|| panic!("no row for {}: {shown:?}", m.system_id));
        for value in [
            &m.version,
            &m.revision,
            &m.platform,
            &m.architecture,
            &m.ip_address,
        ] {
            let value = value
                .as_deref()
                .expect("generated machines have every field");
            assert!(row.contains(value), "{value} missing from {row}");
        }
        // 18.11 says whether each machine runs a job; the sandbox's machines are idle
        // unless their runner's newest job runs.
        assert!(
            row.contains("Idle") || row.contains("Running a job"),
            "{row}"
        );
    }
    let headers = rows(&h, "table.machines thead th").await.join("|");
    assert!(
        headers.contains("Job|Version|Revision|Platform|Architecture|IP address|Last contact"),
        "{headers}"
    );

    h.open("/runners/10").await;
    h.wait_for_text(".machines-section", "No machine has connected")
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn before_17_1_the_machines_are_said_to_need_a_newer_gitlab_and_not_asked_for() {
    let h = Harness::with_config(at_version(16, 11)).await;
    h.sign_in(ADMIN_TOKEN).await;
    h.open("/runners/4").await;
    h.wait_for_text(".machines-section", "needs GitLab 17.1 or newer")
        .await;
    // The rest of the page is there, and nothing failed.
    h.wait_for_text("h1", "Runner #4").await;
    assert!(h
        .browser
        .find(Locator::Css(".machines-section [role=alert]"))
        .await
        .is_err());
    assert_eq!(h.requests_with("/managers"), Vec::<String>::new());
    // Before 18.4 the projects come with the details, in one answer.
    assert_eq!(h.requests_with("/runners/4/projects"), Vec::<String>::new());
    assert!(h
        .requests_with("GET /api/v4/runners/4")
        .iter()
        .all(|l| !l.contains("include_projects")));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_gitlab_that_hides_its_version_and_lacks_the_route_is_read_the_same_way() {
    let h = Harness::with_config(Config::default()).await;
    // A proxy that hides `/version` leaves the console not knowing the version;
    // the missing route's own 404 then says the same as a known old version.
    h.sandbox.state.faults.push(gitlab_sandbox::FaultRule {
        method: Some("GET".into()),
        path: "/api/v4/version".into(),
        status: Some(404),
        body: Some(r#"{"error":"404 Not Found"}"#.into()),
        ..Default::default()
    });
    h.sandbox.state.faults.push(gitlab_sandbox::FaultRule {
        method: Some("GET".into()),
        path: "/api/v4/runners/4/managers".into(),
        status: Some(404),
        body: Some(r#"{"error":"404 Not Found"}"#.into()),
        ..Default::default()
    });
    h.sign_in(ADMIN_TOKEN).await;
    h.open("/runners/4").await;
    h.wait_for_text(".machines-section", "needs GitLab 17.1 or newer")
        .await;
    assert!(h
        .browser
        .find(Locator::Css(".machines-section [role=alert]"))
        .await
        .is_err());
    assert_eq!(h.requests_with("/runners/4/managers").len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_runner_with_5000_projects_opens_at_once_and_pages_them() {
    let h = Harness::with_config(Config {
        runner_with_projects: Some((3, 5000)),
        ..Config::default()
    })
    .await;
    h.sign_in(ADMIN_TOKEN).await;
    h.open("/runners/3").await;
    h.wait_for_text(".pager .position", "Page 1 of 251 · 5001 projects")
        .await;
    let (newest, second_page_first) = {
        let w = h.sandbox.state.read();
        let mut ids = w.runners[&3].projects.clone();
        ids.sort_unstable_by(|a, b| b.cmp(a));
        let path = |id: u64| {
            let p = w.projects.iter().find(|p| p.id == id).unwrap();
            w.project_full_path(p)
        };
        (path(ids[0]), path(ids[20]))
    };
    let listed = rows(&h, "ul.runner-projects li").await;
    assert_eq!(listed.len(), 20);
    assert!(listed[0].contains(&newest), "{listed:?}");
    // The details were asked for without their projects.
    assert!(!h
        .requests_with("GET /api/v4/runners/3?include_projects=false")
        .is_empty());
    assert!(h
        .requests_with("GET /api/v4/runners/3")
        .iter()
        .all(|l| l.contains("include_projects=false") || l.contains("/runners/3/")));

    h.click_link("Next →").await;
    h.wait_for_text(".pager .position", "Page 2 of 251").await;
    assert!(h.current_url().await.contains("projects_page=2"));
    let listed = rows(&h, "ul.runner-projects li").await;
    assert!(listed[0].contains(&second_page_first), "{listed:?}");
    // The runner itself is not loaded again for another page of projects.
    assert_eq!(
        h.requests_with("GET /api/v4/runners/3?include_projects=false")
            .len(),
        1
    );
    h.browser.back().await.unwrap();
    h.wait_for_text(".pager .position", "Page 1 of 251").await;
}

/// Waits until the jobs table shows exactly the jobs `expected`, in order.
async fn wait_for_jobs(h: &Harness, expected: &[u64]) {
    let started = std::time::Instant::now();
    loop {
        let ids = h
            .js("return [...document.querySelectorAll('table.jobs tbody tr[data-job-id]')].map(r => Number(r.dataset.jobId));")
            .await;
        let ids: Vec<u64> = serde_json::from_value(ids).unwrap_or_default();
        if ids == expected {
            return;
        }
        if started.elapsed() > super::harness::WAIT {
            panic!("jobs table shows {ids:?}, expected {expected:?}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The ids of runner `runner`'s jobs, newest first, that machine `machine` (an
/// index into its machines) ran, as the admin sees them.
fn job_ids_of_machine(h: &Harness, runner: u64, machine: usize) -> Vec<u64> {
    let w = h.sandbox.state.read();
    let mut ids: Vec<u64> = gitlab_sandbox::jobs::jobs_of(&w, &w.runners[&runner])
        .into_iter()
        .filter(|j| j.manager == Some(machine))
        .map(|j| j.id)
        .collect();
    ids.reverse();
    ids
}

fn system_id_of(h: &Harness, runner: u64, machine: usize) -> String {
    let w = h.sandbox.state.read();
    w.runner_managers(&w.runners[&runner])[machine]
        .system_id
        .clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn jobs_are_filtered_by_machine_and_paged_by_cursor_on_todays_gitlab() {
    let h = Harness::with_config(Config {
        jobs_per_runner: 60,
        ..Config::default()
    })
    .await;
    h.sign_in(ADMIN_TOKEN).await;
    let all: Vec<u64> = {
        let w = h.sandbox.state.read();
        let mut ids: Vec<u64> = gitlab_sandbox::jobs::jobs_of(&w, &w.runners[&4])
            .iter()
            .map(|j| j.id)
            .collect();
        ids.reverse();
        ids
    };
    h.open("/runners/4/jobs").await;
    wait_for_jobs(&h, &all[..20]).await;
    assert!(!h.requests_with("pagination=keyset").is_empty());
    // GitLab links only the next keyset page.
    h.click_link("Next →").await;
    wait_for_jobs(&h, &all[20..40]).await;
    h.wait_for_text(".pager .position", "Page 2").await;
    assert!(h.current_url().await.contains("cursor="));
    h.click_link("Next →").await;
    wait_for_jobs(&h, &all[40..60]).await;
    h.browser.back().await.unwrap();
    wait_for_jobs(&h, &all[20..40]).await;
    h.click_link("← First page").await;
    wait_for_jobs(&h, &all[..20]).await;

    // One machine's jobs: chosen from the runner's machines.
    let sid = system_id_of(&h, 4, 1);
    let expected = job_ids_of_machine(&h, 4, 1);
    assert!(expected.len() > 20 && expected.len() < 40, "{expected:?}");
    h.select("Machine", &sid).await;
    wait_for_jobs(&h, &expected[..20]).await;
    assert!(h.current_url().await.contains(&format!("system_id={sid}")));
    h.wait_for_text("table.jobs caption", &format!("on machine {sid}"))
        .await;
    // The machine's jobs go on by cursor too, and end there.
    h.click_link("Next →").await;
    wait_for_jobs(&h, &expected[20..]).await;
    h.wait_for(Locator::XPath(
        "//nav[@class='pager']/span[@aria-disabled='true' and normalize-space(.)='Next →']",
    ))
    .await;
    // A shared link keeps the machine.
    h.open(&format!("/runners/4/jobs?system_id={sid}")).await;
    wait_for_jobs(&h, &expected[..20]).await;
    assert_eq!(h.value_of("Machine").await, sid);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_machines_page_links_to_their_jobs() {
    let h = Harness::with_config(Config::default()).await;
    h.sign_in(ADMIN_TOKEN).await;
    h.open("/runners/4").await;
    let sid = system_id_of(&h, 4, 0);
    h.wait_for(Locator::XPath(&format!(
        "//a[@aria-label='Jobs of machine {sid}']"
    )))
    .await
    .click()
    .await
    .unwrap();
    wait_for_jobs(&h, &job_ids_of_machine(&h, 4, 0)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn on_16_11_a_machine_is_typed_and_its_jobs_come_in_offset_pages() {
    let h = Harness::with_config(at_version(16, 11)).await;
    h.sign_in(ADMIN_TOKEN).await;
    let sid = system_id_of(&h, 4, 1);
    let expected = job_ids_of_machine(&h, 4, 1);
    h.open("/runners/4/jobs").await;
    h.fill("Machine (system ID)", &sid).await;
    h.press(&['\u{e007}']).await; // Enter commits the field (change event)
    wait_for_jobs(&h, &expected).await;
    // GitLab does not count one machine's jobs.
    h.wait_for_text(".pager .position", "does not count them")
        .await;
    assert_eq!(h.requests_with("/managers"), Vec::<String>::new());
    assert_eq!(h.requests_with("pagination=keyset"), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread")]
async fn before_16_8_filtering_by_machine_is_said_to_need_a_newer_gitlab() {
    let h = Harness::with_config(at_version(16, 4)).await;
    h.sign_in(ADMIN_TOKEN).await;
    h.open("/runners/4/jobs").await;
    h.wait_for_text(
        ".filters",
        "Filtering by machine needs GitLab 16.8 or newer",
    )
    .await;
    // A link naming a machine still lists the runner's jobs: nothing GitLab 16.4
    // would ignore is sent.
    h.open("/runners/4/jobs?system_id=s_0").await;
    h.wait_for(Locator::Css("table.jobs tbody tr")).await;
    assert_eq!(h.requests_with("system_id"), Vec::<String>::new());
}
