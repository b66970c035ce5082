//! How the console feels: theme choice, keyboard shortcuts, toasts, the status
//! summary, and relative times that keep up with the clock.

use std::time::{Duration, Instant};

use fantoccini::key::Key;
use fantoccini::Locator;
use gitlab_sandbox::model::Runner;
use gitlab_sandbox::ADMIN_TOKEN;

use super::harness::{Harness, WAIT};

async fn data_theme(h: &Harness) -> String {
    h.js("return document.documentElement.getAttribute('data-theme')")
        .await
        .as_str()
        .unwrap_or_default()
        .to_string()
}

async fn body_background(h: &Harness) -> String {
    h.js("return getComputedStyle(document.body).backgroundColor")
        .await
        .as_str()
        .unwrap_or_default()
        .to_string()
}

const LIGHT_BG: &str = "rgb(255, 255, 255)";
const DARK_BG: &str = "rgb(13, 17, 23)";

#[tokio::test(flavor = "multi_thread")]
async fn theme_choice_overrides_the_system_and_persists_across_reload() {
    let h = Harness::start().await;
    h.emulate_color_scheme("dark").await;
    h.open("/").await;
    h.field("Theme").await;
    // System: follows the (emulated) dark preference.
    assert_eq!(h.value_of("Theme").await, "system");
    assert_eq!(data_theme(&h).await, "system");
    assert_eq!(body_background(&h).await, DARK_BG);

    h.select("Theme", "light").await;
    assert_eq!(data_theme(&h).await, "light");
    assert_eq!(body_background(&h).await, LIGHT_BG);

    h.emulate_color_scheme("light").await;
    h.select("Theme", "dark").await;
    assert_eq!(data_theme(&h).await, "dark");
    assert_eq!(body_background(&h).await, DARK_BG);

    // Remembered in this browser: a reload (and signing in) keeps it.
    h.browser.refresh().await.unwrap();
    h.field("Theme").await;
    assert_eq!(h.value_of("Theme").await, "dark");
    assert_eq!(data_theme(&h).await, "dark");
    assert_eq!(body_background(&h).await, DARK_BG);
    assert_eq!(
        h.js("return localStorage.getItem('runner-console.theme')")
            .await,
        "dark"
    );

    h.select("Theme", "system").await;
    assert_eq!(body_background(&h).await, LIGHT_BG);
}

#[tokio::test(flavor = "multi_thread")]
async fn slash_focuses_the_filter_but_not_while_typing() {
    let h = Harness::start().await;
    h.sign_in(ADMIN_TOKEN).await;
    h.press(&['/']).await;
    assert!(
        h.focused().await.starts_with("input#filter-tags|"),
        "{}",
        h.focused().await
    );
    // In a field, `/` is just a character.
    h.press(&['a', '/', 'b']).await;
    assert_eq!(h.value_of("Tags (all of)").await, "a/b");

    // With every page loaded, `/` goes to the quick filter.
    h.click_button("Load every page").await;
    h.wait_for(Locator::Id("quick-filter")).await;
    h.js("document.activeElement.blur()").await;
    h.press(&['/']).await;
    assert!(
        h.focused().await.starts_with("input#quick-filter|"),
        "{}",
        h.focused().await
    );
    h.press(&['#', '1', '2']).await;
    assert_eq!(h.value_of("Quick filter").await, "#12");
}

#[tokio::test(flavor = "multi_thread")]
async fn question_mark_lists_the_shortcuts_and_g_r_goes_to_the_runners() {
    let h = Harness::start().await;
    h.sign_in(ADMIN_TOKEN).await;
    h.open("/tokens").await;
    h.wait_for_text("h1", "Token").await;
    h.press(&['?']).await;
    let dialog = h.wait_for_text("dialog[open]", "Keyboard shortcuts").await;
    assert!(dialog.contains("g then r"), "{dialog}");
    assert!(dialog.contains("Focus the filter"), "{dialog}");
    h.press(&[Key::Escape.into()]).await;
    h.wait_until_js("!document.querySelector('dialog[open]')")
        .await;

    h.press(&['g', 'r']).await;
    h.wait_for(Locator::Css("table.runners")).await;
    assert_eq!(h.current_url().await, h.url("/runners"));
    // `r` alone is no shortcut.
    h.open("/tokens").await;
    h.wait_for_text("h1", "Token").await;
    h.press(&['r']).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(h.current_url().await, h.url("/tokens"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_toast_confirms_a_pause_then_goes_away_or_is_dismissed() {
    let h = Harness::start().await;
    h.sign_in(ADMIN_TOKEN).await;
    let name = |id: u64| {
        let world = h.sandbox.state.read();
        format!(
            "#{id} ({})",
            world.runners[&id].description.clone().unwrap()
        )
    };
    let one = name(1);
    h.click_named(&format!("Pause runner {one}")).await;
    let toast = h.wait_for_text(".toasts .toast", "paused").await;
    assert!(toast.contains(&format!("Runner {one} paused")), "{toast}");
    assert!(!h.sandbox.state.read().runners[&1].active);
    let shown = Instant::now();
    // It goes by itself after five seconds.
    h.wait_until_js("document.querySelectorAll('.toasts .toast').length === 0")
        .await;
    assert!(shown.elapsed() > Duration::from_secs(3), "gone too soon");

    // Or when closed.
    h.click_named(&format!("Resume runner {one}")).await;
    h.wait_for_text(".toasts .toast", "resumed").await;
    assert!(h.sandbox.state.read().runners[&1].active);
    h.click_named("Dismiss notification").await;
    h.wait_until_js("document.querySelectorAll('.toasts .toast').length === 0")
        .await;
    assert!(shown.elapsed() < Duration::from_secs(12));
}

/// What the sandbox holds for each status filter (GitLab's scopes overlap).
fn expected_counts(h: &Harness) -> Vec<(&'static str, usize)> {
    let world = h.sandbox.state.read();
    let now = time::OffsetDateTime::now_utc();
    let count = |keep: &dyn Fn(&Runner) -> bool| world.runners.values().filter(|r| keep(r)).count();
    vec![
        (
            "online",
            count(&|r| {
                r.matches_scope_for("online", now, super::harness::gitlab_16_11().gitlab_version)
            }),
        ),
        (
            "offline",
            count(&|r| {
                r.matches_scope_for(
                    "offline",
                    now,
                    super::harness::gitlab_16_11().gitlab_version,
                )
            }),
        ),
        (
            "stale",
            count(&|r| {
                r.matches_scope_for("stale", now, super::harness::gitlab_16_11().gitlab_version)
            }),
        ),
        (
            "never",
            count(&|r| {
                r.matches_scope_for(
                    "never_contacted",
                    now,
                    super::harness::gitlab_16_11().gitlab_version,
                )
            }),
        ),
        ("paused", count(&|r| !r.active)),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn status_summary_counts_what_gitlab_counts_and_links_to_each_status() {
    let h = Harness::start().await;
    h.sign_in(ADMIN_TOKEN).await;
    h.wait_for_text(".summary-total", "120 runners in this list")
        .await;
    for (part, expected) in expected_counts(&h) {
        let text = h
            .wait_for_text(&format!(".summary-{part} .summary-count"), "")
            .await;
        assert_eq!(text, expected.to_string(), "{part}");
        assert!(expected > 0, "the default world has {part} runners");
    }

    // A segment is a link to the list filtered to that status.
    h.wait_for(Locator::Css(".summary-stale a"))
        .await
        .click()
        .await
        .unwrap();
    let stale: Vec<u64> = {
        let now = time::OffsetDateTime::now_utc();
        let world = h.sandbox.state.read();
        world
            .runners
            .values()
            .filter(|r| {
                r.matches_scope_for("stale", now, super::harness::gitlab_16_11().gitlab_version)
            })
            .map(|r| r.id)
            .take(20)
            .collect()
    };
    h.wait_for_ids(&stale).await;
    assert!(h.current_url().await.ends_with("/runners?status=stale"));
    assert_eq!(h.value_of("Status").await, "stale");
    h.wait_for(Locator::Css(".summary-stale a[aria-current='true']"))
        .await;

    // Counts follow the other filters: group runners only.
    h.select("Type", "group_type").await;
    let now = time::OffsetDateTime::now_utc();
    let online_groups = h
        .sandbox
        .state
        .read()
        .runners
        .values()
        .filter(|r| r.runner_type == gitlab_sandbox::model::RunnerType::Group)
        .filter(|r| {
            r.matches_scope_for("online", now, super::harness::gitlab_16_11().gitlab_version)
        })
        .count();
    let started = Instant::now();
    loop {
        let text = h.wait_for_text(".summary-online .summary-count", "").await;
        if text == online_groups.to_string() {
            break;
        }
        assert!(
            started.elapsed() < WAIT,
            "online group runners: {text}, expected {online_groups}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn relative_times_move_on_with_the_clock() {
    let h = Harness::start().await;
    h.sign_in(ADMIN_TOKEN).await;
    // The test hook: tick every second instead of every 30 (read at start).
    h.js("localStorage.setItem('runner-console.clock-tick-ms', '1000')")
        .await;
    // Runner 1 last talked to GitLab 30 seconds ago: "just now" for 15 more
    // seconds, then "1 minute ago", with no reload and no new request.
    h.sandbox
        .state
        .write()
        .runners
        .get_mut(&1)
        .unwrap()
        .contacted_at = Some(time::OffsetDateTime::now_utc() - time::Duration::seconds(30));
    h.open("/runners/1").await;
    let last_contact = "//dt[normalize-space(.)='Last contact']/following-sibling::dd[1]";
    let first = h
        .wait_for(Locator::XPath(last_contact))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(first, "just now");
    let started = Instant::now();
    loop {
        let text = h
            .wait_for(Locator::XPath(last_contact))
            .await
            .text()
            .await
            .unwrap();
        if text == "1 minute ago" {
            break;
        }
        assert!(started.elapsed() < WAIT * 2, "still {text:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn status_summary_says_more_than_ten_thousand_when_gitlab_stops_counting() {
    let h = Harness::with_config(gitlab_sandbox::Config {
        runners: 10_050,
        ..super::harness::gitlab_16_11()
    })
    .await;
    h.sign_in(ADMIN_TOKEN).await;
    // GitLab leaves X-Total out above 10,000 records.
    h.wait_for_text(".summary-total", "more than 10,000 runners in this list")
        .await;
    let paused = {
        let world = h.sandbox.state.read();
        world.runners.values().filter(|r| !r.active).count()
    };
    assert!(paused < 10_000);
    let text = h.wait_for_text(".summary-paused .summary-count", "").await;
    assert_eq!(text.replace(',', ""), paused.to_string());
}
