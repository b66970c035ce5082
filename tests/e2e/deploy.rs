//! The console deployed as static files: under a sub-path (the build
//! `cargo xtask test` makes with `--public-url /tools/runners/`, served like a
//! static host with an index.html fallback), and with a deployer's config.json.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use console_testkit::console_dist;
use fantoccini::Locator;
use gitlab_sandbox::{Config, ADMIN_TOKEN};

use super::harness::{Harness, WAIT};

const BASE: &str = "/tools/runners";

/// The sub-path build: `CONSOLE_DIST_SUBPATH`, made by `cargo xtask dist`.
fn subpath_dist() -> PathBuf {
    let dist = std::env::var_os("CONSOLE_DIST_SUBPATH")
        .map(PathBuf::from)
        .expect("CONSOLE_DIST_SUBPATH is not set: `cargo xtask test` builds it with `cargo xtask dist --public-url /tools/runners/`");
    assert!(
        dist.join("index.html").is_file(),
        "{} has no index.html",
        dist.display()
    );
    dist
}

async fn wait_for_url(h: &Harness, expected: &str) {
    let started = Instant::now();
    loop {
        let url = h.current_url().await;
        if url == expected {
            return;
        }
        assert!(
            started.elapsed() < WAIT,
            "url is {url}, expected {expected}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[test]
fn the_subpath_build_is_a_static_folder_for_that_path() {
    let dist = subpath_dist();
    let index = std::fs::read_to_string(dist.join("index.html")).unwrap();
    // Hosts without a rewrite rule answer unknown paths with 404.html: the app.
    assert_eq!(
        std::fs::read_to_string(dist.join("404.html")).unwrap(),
        index
    );
    // Quoted or not: release builds minify the HTML.
    assert!(
        index.contains(r#"<base href="/tools/runners/""#)
            || index.contains("<base href=/tools/runners/>"),
        "{index}"
    );
    assert!(
        index.contains("/tools/runners/runner-console-"),
        "assets under the path: {index}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn under_a_sub_path_links_navigation_and_reloading_a_deep_link_work() {
    let h = Harness::with_config(Config {
        dist: Some(subpath_dist()),
        base_path: format!("{BASE}/"),
        ..super::harness::gitlab_16_11()
    })
    .await;
    h.open(&format!("{BASE}/")).await;
    // The GitLab URL is the origin, not the page's sub-path.
    assert_eq!(h.value_of("GitLab URL").await, h.sandbox.url);
    h.fill("Access token", ADMIN_TOKEN).await;
    h.click_button("Sign in").await;
    h.wait_for(Locator::Css("table.runners")).await;
    // The root route redirected inside the base.
    wait_for_url(&h, &h.url(&format!("{BASE}/runners"))).await;

    // Links carry the base: the nav and a runner's row.
    let nav = h
        .wait_for(Locator::XPath("//nav//a[normalize-space(.)='Token tools']"))
        .await;
    assert_eq!(
        nav.attr("href").await.unwrap().as_deref(),
        Some("/tools/runners/tokens")
    );
    // A link click navigates inside the page: what the page holds survives it.
    h.js("window.__same_page = true; return null").await;
    h.wait_for(Locator::Css("a[aria-label='Runner #3']"))
        .await
        .click()
        .await
        .unwrap();
    let title = h.wait_for_text("h1", "Runner").await;
    assert_eq!(
        h.js("return window.__same_page === true").await,
        serde_json::json!(true),
        "the link reloaded the page"
    );
    // The menu marks the section the page belongs to, in words for screen readers.
    let current = h
        .js("return [...document.querySelectorAll('nav a[aria-current=page]')].map(a => a.textContent)")
        .await;
    assert_eq!(current, serde_json::json!(["Runners"]));
    let description = h.sandbox.state.read().runners[&3]
        .description
        .clone()
        .unwrap();
    assert!(title.contains(&description), "{title}");
    wait_for_url(&h, &h.url(&format!("{BASE}/runners/3"))).await;

    // Back returns to the list, inside the page too.
    h.browser.back().await.unwrap();
    h.wait_for(Locator::Css("table.runners")).await;
    wait_for_url(&h, &h.url(&format!("{BASE}/runners"))).await;
    h.browser.forward().await.unwrap();
    h.wait_for_text("h1", &description).await;

    // A reload asks the server for the deep link: it answers with the app, which
    // shows the same runner (the tab kept the session).
    h.browser.refresh().await.unwrap();
    let again = h.wait_for_text("h1", &description).await;
    assert_eq!(again, title);
    assert_eq!(h.current_url().await, h.url(&format!("{BASE}/runners/3")));

    // Navigation from code (the shortcut `g r`) stays under the base too.
    h.press(&['g', 'r']).await;
    wait_for_url(&h, &h.url(&format!("{BASE}/runners"))).await;
    h.wait_for(Locator::Css("table.runners")).await;

    // A deep link typed fresh, never visited in this tab's history.
    h.open(&format!("{BASE}/runners/6/jobs")).await;
    h.wait_for_text("h1", "Jobs").await;
    assert_eq!(
        h.current_url().await,
        h.url(&format!("{BASE}/runners/6/jobs"))
    );
}

/// A copy of the release build the test may add files to.
fn copy_of_dist(name: &str) -> PathBuf {
    let from = console_dist();
    let to = std::env::temp_dir().join(format!("console-dist-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&to);
    copy_dir(&from, &to);
    to
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Loads the sign-in page and waits until the console has had config.json's
/// answer (it shows in the page's resource timings), then reads the URL field.
async fn default_gitlab_url_after_config(h: &Harness) -> String {
    h.open("/").await;
    h.field("GitLab URL").await;
    h.wait_until_js(
        "performance.getEntriesByType('resource').some(e => e.name.endsWith('/config.json') && e.responseEnd > 0)",
    )
    .await;
    // A few turns for the answer to reach the form (when it is taken).
    tokio::time::sleep(Duration::from_millis(300)).await;
    h.value_of("GitLab URL").await
}

#[tokio::test(flavor = "multi_thread")]
async fn config_json_sets_the_default_gitlab_url_and_bad_ones_are_ignored() {
    let dist = copy_of_dist("config");
    let h = Harness::with_config(Config {
        dist: Some(dist.clone()),
        ..super::harness::gitlab_16_11()
    })
    .await;
    let config = dist.join("config.json");
    // Each version gets a later modification time: HTTP dates have whole
    // seconds, and a browser revalidating within the same second would be
    // told "304 Not Modified" and keep the previous text.
    let generation = std::cell::Cell::new(0u64);
    let write_config = |text: &str| {
        std::fs::write(&config, text).unwrap();
        generation.set(generation.get() + 1);
        let at = std::time::SystemTime::now() + Duration::from_secs(2 * generation.get());
        std::fs::File::options()
            .write(true)
            .open(&config)
            .unwrap()
            .set_modified(at)
            .unwrap();
    };

    // Not there: the static host answers with index.html; the origin stays.
    assert_eq!(default_gitlab_url_after_config(&h).await, h.sandbox.url);
    // Not a config, and not an http(s) URL: the origin stays.
    write_config("this is not JSON");
    assert_eq!(default_gitlab_url_after_config(&h).await, h.sandbox.url);
    write_config(r#"{"gitlab_url": "ftp://gitlab.example.com"}"#);
    assert_eq!(default_gitlab_url_after_config(&h).await, h.sandbox.url);

    // Another origin for the same sandbox: the console signs in across origins,
    // as it would to a GitLab on its own host (CORS on /api/*).
    let other_origin = format!("http://localhost:{}", h.sandbox.addr.port());
    write_config(&format!(r#"{{"gitlab_url": "{other_origin}/"}}"#));
    default_gitlab_url_after_config(&h).await;
    let started = Instant::now();
    while h.value_of("GitLab URL").await != other_origin {
        if started.elapsed() > WAIT {
            let seen = h
                .js("return fetch('config.json', {cache: 'no-store'}).then(r => r.text())")
                .await;
            let entries = h
                .js("return performance.getEntriesByType('resource').map(e => e.name + ' ' + e.responseStatus).join(', ')")
                .await;
            panic!(
                "config.json's URL never reached the form: it shows {:?}; config.json is {seen}; fetched: {entries}",
                h.value_of("GitLab URL").await
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    h.fill("Access token", ADMIN_TOKEN).await;
    h.click_button("Sign in").await;
    h.wait_for(Locator::Css("table.runners")).await;
    h.wait_for_text(".who", &other_origin).await;
    h.wait_for_text(".pager", "120 runners").await;
    let _ = std::fs::remove_dir_all(dist);
}
