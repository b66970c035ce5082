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
        .any(|l| l == "GET /api/v4/runners/4"));
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
    assert!(!h.requests_with("/runners/4/managers").is_empty());
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

/// The cells of runner `id`'s row in the runner table, by column header.
async fn row_cells(h: &Harness, id: u64) -> std::collections::HashMap<String, String> {
    let v = h
        .browser
        .execute(
            "const t = document.querySelector('table.runners'); \
             const row = t && t.querySelector(`tbody tr[data-runner-id=\"${arguments[0]}\"]`); \
             if (!row) return {}; \
             const heads = [...t.querySelectorAll('thead th')].map(h => h.textContent.trim()); \
             const cells = [...row.children].map(c => c.textContent.trim()); \
             return Object.fromEntries(heads.map((h, i) => [h, cells[i]]));",
            vec![serde_json::json!(id)],
        )
        .await
        .unwrap();
    serde_json::from_value(v).unwrap_or_default()
}

/// Waits until runner `id`'s `column` cell holds `text`.
async fn wait_for_cell(h: &Harness, id: u64, column: &str, text: &str) -> String {
    let started = std::time::Instant::now();
    loop {
        let cells = row_cells(h, id).await;
        if let Some(cell) = cells.get(column).filter(|c| c.contains(text)) {
            return cell.clone();
        }
        if started.elapsed() > super::harness::WAIT {
            panic!("runner #{id}'s {column} never showed {text:?}: {cells:?}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The version of the machine that made runner `id`'s last contact.
fn last_contact_version(h: &Harness, id: u64) -> Option<String> {
    let w = h.sandbox.state.read();
    w.runner_managers(&w.runners[&id])
        .into_iter()
        .filter(|m| m.contacted_at.is_some())
        .max_by_key(|m| m.contacted_at)
        .and_then(|m| m.version)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_list_shows_each_runners_version_machines_and_whether_it_runs_a_job() {
    let h = Harness::with_config(Config::default()).await;
    h.sign_in(ADMIN_TOKEN).await;
    h.open("/runners").await;
    let version = last_contact_version(&h, 4).expect("runner 4 has machines");
    wait_for_cell(&h, 4, "Version", &version).await;
    wait_for_cell(&h, 4, "Machines", "2").await;
    let cells = row_cells(&h, 4).await;
    let job = &cells["Job"];
    assert!(job == "Idle" || job == "Running a job", "{cells:?}");
    assert!(!cells["Last contact"].is_empty(), "{cells:?}");
    // A runner that never made contact has no machines and no version.
    let never = {
        let w = h.sandbox.state.read();
        let shown = w
            .runners
            .values()
            .take(20)
            .find(|r| r.contacted_at.is_none())
            .map(|r| r.id);
        shown
    };
    if let Some(id) = never {
        wait_for_cell(&h, id, "Machines", "0").await;
        assert_eq!(row_cells(&h, id).await["Last contact"], "Never");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_version_filter_goes_to_gitlab_and_lives_in_the_url() {
    let h = Harness::with_config(Config::default()).await;
    h.sign_in(ADMIN_TOKEN).await;
    h.open("/runners").await;
    let prefix = {
        let v = last_contact_version(&h, 4).unwrap();
        let mut parts = v.split('.');
        format!("{}.{}.", parts.next().unwrap(), parts.next().unwrap())
    };
    // GitLab refuses a prefix that does not start with a digit: said before sending.
    h.fill("Version starts with", "v18").await;
    h.click_button("Apply").await;
    h.wait_for_text("[role=alert]", "A version starts with a digit")
        .await;
    assert_eq!(h.value_of("Version starts with").await, "v18");
    assert_eq!(h.requests_with("version_prefix"), Vec::<String>::new());

    h.fill("Version starts with", &prefix).await;
    h.click_button("Apply").await;
    h.wait_until_js(&format!(
        "location.search.includes('version={}')",
        prefix.replace('.', "%2E").replace("%2E", ".")
    ))
    .await;
    wait_for_cell(&h, 4, "Version", &prefix).await;
    assert!(!h
        .requests_with(&format!("version_prefix={prefix}"))
        .is_empty());
    // Every runner listed has a machine on that version.
    let ids = h.table_ids().await;
    assert!(!ids.is_empty());
    for id in &ids {
        let versions: Vec<String> = {
            let w = h.sandbox.state.read();
            w.runner_managers(&w.runners[id])
                .into_iter()
                .filter_map(|m| m.version)
                .collect()
        };
        assert!(
            versions.iter().any(|v| v.starts_with(&prefix)),
            "#{id}: {versions:?}"
        );
    }
    // A shared link keeps the filter.
    let url = h.current_url().await;
    h.browser.goto(&url).await.unwrap();
    assert_eq!(h.value_of("Version starts with").await, prefix);
}

#[tokio::test(flavor = "multi_thread")]
async fn sorting_by_last_contact_orders_the_page_and_asks_gitlab_nothing_new() {
    let h = Harness::with_config(Config::default()).await;
    h.sign_in(ADMIN_TOKEN).await;
    h.open("/runners").await;
    h.wait_for(Locator::Css("table.runners tbody tr")).await;
    let shown = h.table_ids().await;
    let lists_before = h.requests_with("GET /api/v4/runners/all").len();
    h.select("Order", "contacted_desc").await;
    h.wait_until_js("location.search.includes('sort=contacted_desc')")
        .await;
    let mut expected = shown.clone();
    {
        let w = h.sandbox.state.read();
        let last = |id: &u64| {
            w.runner_managers(&w.runners[id])
                .into_iter()
                .filter_map(|m| m.contacted_at)
                .max()
        };
        // Newest first, never-contacted last (as the longest ago).
        expected.sort_by_key(|id| std::cmp::Reverse(last(id)));
    }
    h.wait_for_ids(&expected).await;
    assert_eq!(
        h.requests_with("GET /api/v4/runners/all").len(),
        lists_before,
        "a new order is not a new question to GitLab"
    );
    h.wait_for_text(".list-order", "does not sort by last contact")
        .await;
    h.browser.back().await.unwrap();
    h.wait_for_ids(&shown).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn before_16_6_and_17_1_the_list_reads_versions_from_details_and_says_what_it_lacks() {
    let h = Harness::with_config(at_version(16, 4)).await;
    h.sign_in(ADMIN_TOKEN).await;
    h.open("/runners?version=16.").await;
    let version = h.sandbox.state.read().runners[&4].version.clone().unwrap();
    wait_for_cell(&h, 4, "Version", &version).await;
    let cells = row_cells(&h, 4).await;
    assert!(!cells.contains_key("Machines"), "{cells:?}");
    assert!(!cells.contains_key("Job"), "{cells:?}");
    h.wait_for_text(
        ".version-field",
        "Filtering by version needs GitLab 16.6 or newer",
    )
    .await;
    assert!(h
        .field("Version starts with")
        .await
        .prop("disabled")
        .await
        .unwrap()
        .is_some_and(|d| d == "true"));
    assert_eq!(h.requests_with("version_prefix"), Vec::<String>::new());
    assert_eq!(h.requests_with("/managers"), Vec::<String>::new());
}

/// `18.9` -> how many runners have a machine on 18.9.x (GitLab's `version_prefix`
/// counts a runner in each of its machines' groups).
fn runners_by_minor(h: &Harness) -> std::collections::BTreeMap<String, usize> {
    let w = h.sandbox.state.read();
    let mut out = std::collections::BTreeMap::new();
    for r in w.runners.values() {
        let mut groups: Vec<String> = w
            .runner_managers(r)
            .into_iter()
            .filter_map(|m| m.version)
            .map(|v| v.split('.').take(2).collect::<Vec<_>>().join("."))
            .collect();
        groups.sort();
        groups.dedup();
        for g in groups {
            *out.entry(g).or_default() += 1;
        }
    }
    out
}

/// The outdated table: version label -> (runners cell, against-the-server cell).
async fn outdated_rows(h: &Harness) -> std::collections::BTreeMap<String, (String, String)> {
    let v = h
        .js("return [...document.querySelectorAll('table.outdated tbody tr')].map(r => [r.dataset.version, r.children[1].textContent.trim(), r.children[2].textContent.trim()]);")
        .await;
    let rows: Vec<(String, String, String)> = serde_json::from_value(v).unwrap();
    rows.into_iter().map(|(v, n, b)| (v, (n, b))).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn outdated_runners_are_counted_by_gitlab_per_version_and_listed_from_there() {
    let h = Harness::with_config(Config::default()).await;
    h.sign_in(ADMIN_TOKEN).await;
    h.click_link("Outdated runners").await;
    h.wait_for_text("h1", "Outdated runners").await;
    let expected = runners_by_minor(&h);
    assert!(expected.len() >= 3, "{expected:?}");
    h.wait_for_text("[role=status]", "Counted 54 version groups")
        .await;
    let rows = outdated_rows(&h).await;
    let shown: std::collections::BTreeMap<String, usize> = rows
        .iter()
        .map(|(v, (n, _))| (v.clone(), n.parse().unwrap()))
        .collect();
    assert_eq!(shown, expected);
    assert_eq!(rows["18.11"].1, "Same as GitLab 18.11");
    assert_eq!(rows["18.8"].1, "⚠ 3 minor releases behind GitLab 18.11");
    // One small counting request a version group, all through GitLab's filter.
    let asked = h.requests_with("version_prefix=");
    assert_eq!(asked.len(), 54, "{asked:?}");
    assert!(asked.iter().all(|l| l.contains("per_page=1")));
    // Each group opens the list filtered to it.
    h.wait_for(Locator::XPath(
        "//a[contains(normalize-space(.), 'the runners on 18.9)')]",
    ))
    .await
    .click()
    .await
    .unwrap();
    h.wait_until_js(
        "location.pathname.endsWith('/runners') && location.search.includes('version=18.9.')",
    )
    .await;
    assert_eq!(h.value_of("Version starts with").await, "18.9.");
}

#[tokio::test(flavor = "multi_thread")]
async fn counting_versions_shows_progress_and_can_be_cancelled() {
    let h = Harness::with_config(Config {
        latency: std::time::Duration::from_millis(400),
        ..Config::default()
    })
    .await;
    h.sign_in(ADMIN_TOKEN).await;
    h.open("/runners/outdated").await;
    let bar = h.wait_for(Locator::Css("progress#run-progress")).await;
    assert_eq!(
        bar.attr("aria-valuemax").await.unwrap().as_deref(),
        Some("54")
    );
    h.click_button("Cancel").await;
    h.wait_for_text(".progress-block", "Counting cancelled after")
        .await;
    let asked = h.requests_with("version_prefix=").len();
    assert!(asked < 54, "{asked}");
    h.click_button("Count again").await;
    h.wait_for(Locator::Css("progress#run-progress")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn before_16_6_outdated_runners_are_read_one_by_one_on_request() {
    let h = Harness::with_config(at_version(16, 4)).await;
    h.sign_in(ADMIN_TOKEN).await;
    // The list the sign-in lands on has asked its own questions by now.
    h.wait_for(Locator::Css("table.runners tbody tr")).await;
    let lists_before = h.requests_with("GET /api/v4/runners/all").len();
    h.open("/runners/outdated").await;
    h.wait_for_text(".outdated-page", "needs GitLab 16.6 or newer")
        .await;
    // Nothing heavy starts by itself.
    assert_eq!(
        h.requests_with("GET /api/v4/runners/all").len(),
        lists_before
    );
    let details_before = h.requests_with("?include_projects=false").len();
    h.click_button("Read the version of every runner").await;
    let expected: std::collections::BTreeMap<String, usize> = {
        let w = h.sandbox.state.read();
        let mut out = std::collections::BTreeMap::new();
        for r in w.runners.values() {
            // The console's groups: a minor from 15.0, a whole major before.
            let g = match r
                .version
                .as_deref()
                .map(|v| v.split('.').collect::<Vec<_>>())
            {
                Some(p) if p[0].parse::<u32>().unwrap() < 15 => format!("{}.x", p[0]),
                Some(p) => format!("{}.{}", p[0], p[1]),
                None => "unknown".into(),
            };
            *out.entry(g).or_default() += 1;
        }
        out
    };
    let started = std::time::Instant::now();
    let shown = loop {
        let rows = outdated_rows(&h).await;
        let shown: std::collections::BTreeMap<String, usize> = rows
            .iter()
            .map(|(v, (n, _))| (v.clone(), n.parse().unwrap()))
            .collect();
        if shown == expected || started.elapsed() > super::harness::WAIT {
            break shown;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(shown, expected);
    assert_eq!(h.requests_with("version_prefix"), Vec::<String>::new());
    let runners = h.sandbox.state.read().runners.len();
    assert_eq!(
        h.requests_with("?include_projects=false").len() - details_before,
        runners
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_maintenance_note_is_edited_within_gitlabs_1024_characters() {
    let h = Harness::with_config(Config::default()).await;
    h.sign_in(ADMIN_TOKEN).await;
    h.open("/runners/3/edit").await;
    h.wait_for(Locator::Css("form.runner-form")).await;
    h.wait_until_js("document.querySelector('#runner-description').value !== ''")
        .await;
    let puts_before = h.requests_with("PUT /api/v4/runners/3").len();
    // 1,025 characters (é is one character to Ruby, two bytes): refused here.
    let long = "é".repeat(1025);
    h.fill("Maintenance note", &long).await;
    h.click_button("Save changes").await;
    h.wait_for_text(
        "form.runner-form",
        "is too long (maximum is 1024 characters)",
    )
    .await;
    assert_eq!(h.requests_with("PUT /api/v4/runners/3").len(), puts_before);
    assert_eq!(h.value_of("Maintenance note").await, long);
    // 1,024 is GitLab's limit, and saved.
    let note = "é".repeat(1024);
    h.fill("Maintenance note", &note).await;
    h.click_button("Save changes").await;
    h.wait_until_js("location.pathname.endsWith('/runners/3')")
        .await;
    assert_eq!(
        h.sandbox.state.read().runners[&3]
            .maintenance_note
            .as_deref(),
        Some(note.as_str())
    );
    h.wait_for_text(".runner-fields .note", &note).await;
}
