//! Loading every page, the quick filter, and bulk actions.

use std::time::Duration;

use fantoccini::Locator;
use gitlab_sandbox::{Config, ADMIN_TOKEN, MAINTAINER_TOKEN};

use super::harness::Harness;

async fn check(h: &Harness, id: u64) {
    h.wait_for(Locator::Css(&format!(
        "input[aria-label='Select runner #{id}']"
    )))
    .await
    .click()
    .await
    .expect("tick");
}

#[tokio::test(flavor = "multi_thread")]
async fn load_every_page_with_progress_cancel_and_a_virtual_table() {
    let h = Harness::with_config(Config {
        runners: 3000,
        latency: Duration::from_millis(300),
        ..super::harness::gitlab_16_11()
    })
    .await;
    h.sign_in(ADMIN_TOKEN).await;
    h.click_button("Load every page").await;
    h.wait_for_text("[role=status]", "Loading runners:").await;
    assert!(h.current_url().await.contains("view=all"));
    h.click_button("Cancel loading").await;
    let text = h
        .wait_for_text("[role=status]", "Loading cancelled after")
        .await;
    let loaded: usize = text
        .split("after ")
        .nth(1)
        .and_then(|t| t.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("a count");
    assert!(loaded < 3000, "{text}");

    h.click_button("Load again").await;
    h.wait_for_text(".counts", "3000 shown of 3000 loaded")
        .await;
    // Only the rows in view are in the DOM.
    let rows = h
        .browser
        .find_all(Locator::Css(".fleet-table tbody tr[data-runner-id]"))
        .await
        .unwrap();
    assert!(
        !rows.is_empty() && rows.len() < 60,
        "{} rows in the DOM",
        rows.len()
    );
    // Scrolling far down draws the rows there.
    h.browser
        .execute(
            "document.querySelector('.virtual').scrollTop = 40 * 2000;",
            vec![],
        )
        .await
        .unwrap();
    h.wait_for(Locator::Css("tr[data-runner-id='2001']")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn quick_filter_keeps_up_and_lives_in_the_url() {
    let h = Harness::start().await;
    h.sign_in(ADMIN_TOKEN).await;
    h.click_button("Load every page").await;
    h.wait_for_text(".counts", "120 shown of 120 loaded").await;

    h.fill("Quick filter", "platform").await;
    let expected: Vec<u64> = h
        .sandbox
        .state
        .read()
        .runners
        .values()
        .filter(|r| r.description.as_deref().unwrap_or("").contains("platform"))
        .map(|r| r.id)
        .collect();
    assert!(!expected.is_empty());
    h.wait_for_text(
        ".counts",
        &format!("{} shown of 120 loaded", expected.len()),
    )
    .await;
    let shown = h.table_ids_in(".fleet-table").await;
    assert_eq!(shown, expected[..shown.len()]);

    // Several words must all match: "#12" alone.
    h.fill("Quick filter", "#12 never").await;
    h.wait_for_text(".counts", "1 shown of 120 loaded").await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(h.current_url().await.contains("q=%2312+never"));
    h.browser.refresh().await.unwrap();
    h.wait_for_text(".counts", "1 shown of 120 loaded").await;
    assert_eq!(h.value_of("Quick filter").await, "#12 never");
}

#[tokio::test(flavor = "multi_thread")]
async fn bulk_pause_resume_and_tags_change_every_selected_runner() {
    bulk_pause_resume_and_tags_change_every_selected_runner_on(super::harness::gitlab_16_11())
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bulk_pause_resume_and_tags_change_every_selected_runner_on_todays_gitlab() {
    bulk_pause_resume_and_tags_change_every_selected_runner_on(gitlab_sandbox::Config::default())
        .await;
}

async fn bulk_pause_resume_and_tags_change_every_selected_runner_on(
    config: gitlab_sandbox::Config,
) {
    let h = Harness::with_config(config).await;
    h.sign_in(ADMIN_TOKEN).await;
    h.click_button("Load every page").await;
    h.wait_for_text(".counts", "120 loaded").await;
    h.fill("Quick filter", "platform").await;
    h.wait_for_text(".counts", "shown of 120").await;
    let picked: Vec<u64> = h.table_ids_in(".fleet-table").await;
    h.wait_for(Locator::Css("input[aria-label='Select all shown runners']"))
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_text(".counts", &format!("{} selected", picked.len()))
        .await;

    h.click_button("Pause selected").await;
    h.wait_for_text(".bulk-run", "Pausing finished").await;
    let n = picked.len();
    h.wait_for_text(
        ".toasts .toast",
        &format!("Pausing: {n} of {n} runners done"),
    )
    .await;
    {
        let world = h.sandbox.state.read();
        assert!(picked.iter().all(|id| !world.runners[id].active));
    }
    h.click_button("Resume selected").await;
    h.wait_for_text(".bulk-run", "Resuming finished").await;
    {
        let world = h.sandbox.state.read();
        assert!(picked.iter().all(|id| world.runners[id].active));
    }

    h.fill("Tags", "bulk-a, bulk-b").await;
    h.click_button("Add tags").await;
    h.wait_for_text(".bulk-run", "finished").await;
    {
        let world = h.sandbox.state.read();
        for id in &picked {
            let tags = &world.runners[id].tag_list;
            assert!(
                tags.contains(&"bulk-a".to_string()) && tags.contains(&"bulk-b".to_string()),
                "#{id}: {tags:?}"
            );
        }
    }
    h.fill("Tags", "bulk-a").await;
    h.click_button("Remove tags").await;
    h.wait_for_text(".bulk-run", "Removing tags bulk-a finished")
        .await;
    let world = h.sandbox.state.read();
    for id in &picked {
        let tags = &world.runners[id].tag_list;
        assert!(
            !tags.contains(&"bulk-a".to_string()) && tags.contains(&"bulk-b".to_string()),
            "#{id}: {tags:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn bulk_delete_confirms_reports_partial_failure_and_retries() {
    let h = Harness::start().await;
    h.sign_in(MAINTAINER_TOKEN).await;
    h.click_button("Load every page").await;
    h.wait_for_text(".counts", "loaded").await;
    // Runner 6 serves two projects: a maintainer may not delete it.
    for id in [3, 6, 12] {
        check(&h, id).await;
    }
    h.wait_for_text(".counts", "3 selected").await;
    h.click_button("Delete selected").await;
    h.wait_for_text("dialog[open] h2", "Delete 3 runners?")
        .await;
    h.click_button("Delete 3 runners").await;
    h.wait_for_text(".bulk-run", "Deleting finished: 3 of 3")
        .await;
    h.wait_for_text(".bulk-run", "2 changed, 0 already as asked, 1 failed")
        .await;
    h.wait_for_text(".toasts .toast", "Deleting: 2 of 3 runners done, 1 failed")
        .await;
    let failure = h.wait_for_text(".bulk-failures", "#6").await;
    assert!(failure.contains("more than one project"), "{failure}");
    {
        let world = h.sandbox.state.read();
        assert!(!world.runners.contains_key(&3) && !world.runners.contains_key(&12));
        assert!(world.runners.contains_key(&6));
    }
    // Once the runner has one project left, the retry goes through.
    h.sandbox
        .state
        .write()
        .runners
        .get_mut(&6)
        .unwrap()
        .projects
        .truncate(1);
    h.click_button("Retry failed").await;
    h.wait_for_text(".bulk-run", "Deleting finished: 1 of 1")
        .await;
    assert!(!h.sandbox.state.read().runners.contains_key(&6));
}

/// Work the list started (a bulk run, loading every page, the quick filter's URL
/// update) goes on or stops after the user leaves, and the app keeps working.
#[tokio::test(flavor = "multi_thread")]
async fn leaving_the_list_while_work_runs_keeps_the_app_working() {
    let h = Harness::with_config(Config {
        runners: 600,
        latency: Duration::from_millis(50),
        ..super::harness::gitlab_16_11()
    })
    .await;
    h.sign_in(ADMIN_TOKEN).await;
    // A panic in the wasm (a value read after its page ended) surfaces as an
    // uncaught error or a rejected promise; none may happen.
    h.js("window.__errors = [];
         addEventListener('error', e => __errors.push(String(e.message)));
         addEventListener('unhandledrejection', e => __errors.push(String(e.reason)));")
        .await;
    h.click_button("Load every page").await;
    h.wait_for_text(".counts", "600 shown of 600 loaded").await;
    h.wait_for(Locator::Css("input[aria-label='Select all shown runners']"))
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_text(".counts", "600 selected").await;
    h.click_button("Pause selected").await;
    h.wait_for_text(".bulk-run", "Pausing").await;
    // The quick filter's URL update is due in 400 ms; the user leaves before it.
    h.fill("Quick filter", "docker").await;
    h.click_link("Token tools").await;
    h.wait_for_text("h1", "Token tools").await;
    // The run goes on without its page, to the last runner, and says how it ended.
    h.wait_for_text(".toasts .toast", "Pausing: 600 of 600 runners done")
        .await;
    assert!(h.sandbox.state.read().runners.values().all(|r| !r.active));
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(
        !h.current_url().await.contains("q=docker"),
        "the left page's timer changed the address"
    );

    // Loading every page, left at once (most likely halfway).
    h.click_link("Runners").await;
    h.click_button("Load every page").await;
    h.click_link("Token tools").await;
    h.wait_for_text("h1", "Token tools").await;
    tokio::time::sleep(Duration::from_millis(500)).await;

    // Still alive: in-app navigation and the list work.
    h.click_link("Runners").await;
    h.wait_for(Locator::Css("table.runners tbody tr")).await;
    h.click_button("Load every page").await;
    h.wait_for_text(".counts", "600 shown of 600 loaded").await;
    assert_eq!(h.js("return window.__errors;").await, serde_json::json!([]));
}

#[tokio::test(flavor = "multi_thread")]
async fn without_gitlabs_totals_every_page_loads_six_at_a_time_and_stops_at_the_end() {
    let h = load_every_page_without_totals(false).await;
    assert_eq!(
        h.sandbox.state.requests.most_at_once("per_page=100"),
        6,
        "six pages in flight at once over HTTP/1.1"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn over_http2_more_pages_are_in_flight_at_once() {
    let h = load_every_page_without_totals(true).await;
    let protocols = h
        .js("return performance.getEntriesByType('resource').filter(e => e.name.includes('/api/v4/runners/all')).map(e => e.nextHopProtocol)")
        .await;
    assert!(
        protocols
            .as_array()
            .is_some_and(|p| !p.is_empty() && p.iter().all(|x| x == "h2")),
        "{protocols}"
    );
    // The browser keeps 16 on their way; how many the sandbox is answering at
    // one instant also depends on how busy the machine is, but over HTTP/1.1
    // it never passes 6.
    let most = h.sandbox.state.requests.most_at_once("per_page=100");
    assert!(
        most > 6 && most <= runner_console::api::ahead::MULTIPLEXED_DEPTH,
        "more than six in flight over HTTP/2, at most {}: {most}",
        runner_console::api::ahead::MULTIPLEXED_DEPTH
    );
}

/// Loads every page of 10,450 runners (no totals from GitLab), plain or over
/// TLS with HTTP/2, and checks each page was asked once and the end found.
async fn load_every_page_without_totals(tls: bool) -> Harness {
    // Above 10,000 runners GitLab sends no X-Total or X-Total-Pages: the pages
    // cannot be planned, so the console asks for the next ones ahead.
    let h = Harness::with_config(Config {
        runners: 10_450,
        latency: Duration::from_millis(30),
        tls,
        ..Config::default()
    })
    .await;
    h.sign_in(ADMIN_TOKEN).await;
    h.click_button("Load every page").await;
    h.wait_for_text(".counts", "10450 shown of 10450 loaded")
        .await;
    let depth = if tls {
        runner_console::api::ahead::MULTIPLEXED_DEPTH
    } else {
        6
    };
    let loads = "/api/v4/runners/all?page=";
    let mut pages: Vec<u32> = h
        .requests_with(loads)
        .iter()
        .filter(|l| l.contains("per_page=100"))
        .filter_map(|l| l.split("page=").nth(1)?.split('&').next()?.parse().ok())
        .collect();
    pages.sort_unstable();
    // Pages 1 to 105 hold the runners; at most one set in flight is asked past the end.
    assert!(
        pages.starts_with(&(1..=105).collect::<Vec<_>>()),
        "{pages:?}"
    );
    assert!(pages.len() <= 105 + depth, "{} pages asked", pages.len());
    let mut once = pages.clone();
    once.dedup();
    assert_eq!(once, pages, "no page asked twice");
    h
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rate_limited_load_slows_down_and_finishes() {
    let h = Harness::with_config(Config {
        runners: 3_000,
        latency: Duration::from_millis(150),
        ..Config::default()
    })
    .await;
    h.sign_in(ADMIN_TOKEN).await;
    h.click_button("Load every page").await;
    // Once the first page is in, GitLab starts refusing for a while.
    h.wait_for_text(".progress-block label", "Loading runners: 100 of 3000")
        .await;
    h.sandbox.state.faults.push(gitlab_sandbox::FaultRule {
        method: Some("GET".into()),
        path: "/api/v4/runners/all".into(),
        status: Some(429),
        body: Some(r#"{"message":"429 Too Many Requests"}"#.into()),
        headers: [("Retry-After".to_string(), "1".to_string())].into(),
        times: Some(20),
        ..Default::default()
    });
    // Each refusal waits its second out: slower, so more than the usual wait.
    let started = std::time::Instant::now();
    while h
        .js("return document.querySelector('.counts')?.textContent || ''")
        .await
        .as_str()
        .is_none_or(|t| !t.contains("3000 shown of 3000 loaded"))
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{}",
            h.body_text().await
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        h.sandbox.state.faults.rules().is_empty(),
        "all 20 rate-limit answers were met: {:?}",
        h.sandbox.state.faults.rules()
    );
    assert!(!h.body_text().await.contains("Too Many Requests"));
}
