//! Several GitLab instances in one console (issue 16): two sandboxes on two
//! ports added as two instances, switched, each route naming its instance; a
//! link to an unknown one; signing out of one only. And "Sign in with GitLab":
//! OAuth with PKCE through the sandbox's consent page, Deny, a tampered state,
//! a token expiring during an edit, and sign-out revoking the token.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use gitlab_sandbox::{Config, GitLabVersion, OAuthApp, Running, ADMIN_TOKEN};

use super::harness::{gitlab_16_11, spawn, Harness, WAIT};
use super::token_safety::sign_in_keeping;

const APP: &str = "runner-console-test";

/// A second GitLab on another port (another origin: the console reaches it through CORS).
async fn second_gitlab() -> Running {
    let b = spawn(gitlab_16_11()).await;
    b.state
        .write()
        .runners
        .get_mut(&3)
        .expect("runner 3")
        .description = Some("staging build box".into());
    b
}

async fn add_by_token(h: &Harness, url: &str, label: &str) {
    add_by_token_kept_in(h, url, label, "tab").await;
}

/// `add_by_token`, the credentials kept in `kept` (`memory`, `tab`, `browser`).
async fn add_by_token_kept_in(h: &Harness, url: &str, label: &str, kept: &str) {
    h.open("/instances").await;
    h.fill("GitLab URL", url).await;
    h.fill("Label", label).await;
    h.fill("Access token", ADMIN_TOKEN).await;
    h.wait_for(Locator::Css(&format!("#add-keep-{kept}")))
        .await
        .click()
        .await
        .unwrap();
    h.click_button("Add instance").await;
    h.wait_for_text(
        ".add-instance",
        &format!("Added {label}: signed in as root"),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn two_instances_are_switched_and_a_shared_link_opens_the_same_runner_there() {
    let h = Harness::start().await;
    let b = second_gitlab().await;
    h.sign_in(ADMIN_TOKEN).await;
    add_by_token(&h, &b.url, "staging").await;
    // Both listed, each with who is signed in.
    let table = h.wait_for_text(".instances-table", "staging").await;
    assert!(table.contains("127") && table.contains(&b.url), "{table}");
    assert_eq!(table.matches("root").count(), 2, "{table}");

    // The switcher opens the same page on the other instance.
    h.open("/i/127/runners?status=online").await;
    h.wait_for(Locator::Css("table.runners")).await;
    h.select("GitLab instance", "staging").await;
    h.wait_for_url_ending("/i/staging/runners?status=online")
        .await;
    h.wait_for(Locator::Css("table.runners")).await;
    assert!(b
        .state
        .requests
        .lines()
        .iter()
        .any(|r| r.contains("status=online")));

    // Runner 3 differs between the two: the address says which one is meant.
    h.open("/i/staging/runners/3").await;
    h.wait_for_text("h1", "staging build box").await;
    h.click_link("Edit").await;
    h.wait_for_url_ending("/i/staging/runners/3/edit").await;
    h.open("/i/127/runners/3").await;
    let h1 = h.wait_for_text("h1", "Runner #3").await;
    assert!(!h1.contains("staging"), "{h1}");
    // Back goes to the other instance's page again.
    h.browser.back().await.unwrap();
    h.wait_for_url_ending("/i/staging/runners/3/edit").await;
    assert_eq!(h.value_of("Description").await, "staging build box");
    let url = h.current_url().await;
    assert!(!url.contains(ADMIN_TOKEN), "{url}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_link_to_an_instance_this_browser_does_not_know_asks_to_add_it_then_opens() {
    let h = Harness::start().await;
    let b = second_gitlab().await;
    h.sign_in(ADMIN_TOKEN).await;
    h.open("/i/staging/runners/3").await;
    h.wait_for_text("h1", "Unknown GitLab instance").await;
    h.click_link("Add staging").await;
    h.wait_for_text(".instances", "does not know yet").await;
    assert_eq!(h.value_of("Label").await, "staging");
    h.fill("GitLab URL", &b.url).await;
    h.fill("Access token", ADMIN_TOKEN).await;
    h.click_button("Add instance").await;
    // Added, and the link opens where it pointed.
    h.wait_for_url_ending("/i/staging/runners/3").await;
    h.wait_for_text("h1", "staging build box").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn signing_out_of_one_instance_keeps_the_other_and_labels_can_change() {
    let h = Harness::start().await;
    let b = second_gitlab().await;
    h.sign_in(ADMIN_TOKEN).await;
    add_by_token(&h, &b.url, "staging").await;
    // Both good when asked now.
    h.click_button("Check sessions").await;
    let started = Instant::now();
    while h
        .body_text()
        .await
        .matches("GitLab accepts it (as root)")
        .count()
        < 2
    {
        assert!(started.elapsed() < WAIT, "{}", h.body_text().await);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    h.click_button("Sign out of staging").await;
    h.wait_for_text(".instances-table", "Signed out").await;
    let kept = h
        .js("return JSON.stringify(sessionStorage) + JSON.stringify(localStorage);")
        .await
        .to_string();
    // One token left: the other instance's.
    assert_eq!(kept.matches(ADMIN_TOKEN).count(), 1, "{kept}");
    h.open("/i/127/runners").await;
    h.wait_for(Locator::Css("table.runners")).await;
    h.open("/i/staging/runners").await;
    h.wait_for_text("h1", "Sign in to staging").await;

    // Renamed, the old address no longer names it.
    h.open("/instances").await;
    h.click_button("Rename 127").await;
    h.fill("New label for 127", "prod").await;
    h.click_button("Save label").await;
    h.wait_for_text(".instances-table", "prod").await;
    h.open("/i/prod/runners").await;
    h.wait_for(Locator::Css("table.runners")).await;
    h.open("/i/127/runners").await;
    h.wait_for_text("h1", "Unknown GitLab instance").await;

    // Removed after a confirmation naming it.
    h.open("/instances").await;
    h.click_button("Remove staging").await;
    let dialog = h.wait_for_text("dialog[open]", "forgets staging").await;
    assert!(dialog.contains(&b.url), "{dialog}");
    h.click_button("Remove staging from this console").await;
    let started = Instant::now();
    while h.body_text().await.contains(&b.url) {
        assert!(started.elapsed() < WAIT, "staging still listed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A sandbox serving the console with the OAuth application registered for
/// its own callback, and config.json naming it.
async fn oauth_harness(lifetime: Option<Duration>) -> Harness {
    let mut config = Config {
        console_config: Some(serde_json::json!({ "oauth_client_id": APP })),
        ..gitlab_16_11()
    };
    if let Some(l) = lifetime {
        config.oauth_token_lifetime = l;
    }
    let h = Harness::with_config(config).await;
    let callback = format!("{}/oauth/callback", h.sandbox.url);
    h.sandbox
        .state
        .write()
        .oauth
        .apps
        .push(OAuthApp::new(APP, callback));
    h
}

/// From the sign-in page to GitLab's consent page.
async fn to_consent(h: &Harness) {
    h.open("/").await;
    h.click_button("Sign in with GitLab").await;
    h.wait_for_text("h1, h2", &format!("Authorize {APP} to use your account?"))
        .await;
    let url = h.current_url().await;
    assert!(url.contains("code_challenge_method=S256"), "{url}");
    assert!(url.contains("scope=api"), "{url}");
    // The verifier and state are in this tab for the round trip only.
    let pending = h
        .js("return sessionStorage.getItem('runner-console.oauth-pending') || ''")
        .await;
    assert!(pending.as_str().is_some_and(|p| p.contains("verifier")));
}

async fn authorize_as_root(h: &Harness) {
    h.select("Sign in as", "root").await;
    h.click_button("Authorize").await;
}

/// Signed in through the consent page, at the runner list.
async fn signed_in_with_gitlab(h: &Harness) {
    to_consent(h).await;
    authorize_as_root(h).await;
    h.wait_for(Locator::Css("table.runners")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_with_gitlab_goes_through_the_consent_page_and_leaves_no_secret_behind() {
    let h = oauth_harness(None).await;
    signed_in_with_gitlab(&h).await;
    h.wait_for_text(".who", "Signed in as root").await;
    let url = h.current_url().await;
    assert!(url.ends_with("/runners"), "{url}");
    assert!(!url.contains("code="), "{url}");
    let issued = h.sandbox.state.read().oauth.issued().to_vec();
    assert_eq!(issued.len(), 1);
    let token = issued[0].access_token.clone();
    assert!(!url.contains(&token));
    assert!(!h.body_text().await.contains(&token));
    // The API was called with the bearer token: the runner list came back.
    let kept = h
        .js("return JSON.stringify(sessionStorage)")
        .await
        .to_string();
    assert!(
        !kept.contains("oauth-pending") && !kept.contains("verifier"),
        "{kept}"
    );
    assert!(kept.contains(&token), "kept in this tab, as chosen: {kept}");
}

#[tokio::test(flavor = "multi_thread")]
async fn deny_on_the_consent_page_signs_nobody_in_and_says_so() {
    let h = oauth_harness(None).await;
    to_consent(&h).await;
    h.click_button("Deny").await;
    h.wait_for_text(
        ".oauth-callback",
        "You chose not to let the console use your GitLab account",
    )
    .await;
    assert!(h.sandbox.state.read().oauth.issued().is_empty());
    assert!(h.browser.find(Locator::Css("table.runners")).await.is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_answer_with_another_state_is_refused_in_plain_words() {
    let h = oauth_harness(None).await;
    to_consent(&h).await;
    // Someone else's answer: the code is real, the state is not this tab's.
    h.js("document.querySelector('input[name=state]').value = 'tampered'; return 0;")
        .await;
    authorize_as_root(&h).await;
    h.wait_for_text(".oauth-callback", "does not match").await;
    assert!(
        h.sandbox.state.read().oauth.issued().is_empty(),
        "the code was not exchanged"
    );
    let url = h.current_url().await;
    assert!(!url.contains("code="), "{url}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_expiring_during_an_edit_is_renewed_silently_and_nothing_typed_is_lost() {
    let h = oauth_harness(None).await;
    signed_in_with_gitlab(&h).await;
    h.open("/runners/3/edit").await;
    h.wait_for_text("h1", "Edit runner").await;
    h.fill("Description", "typed before the token expired")
        .await;
    // GitLab now refuses the token (401 invalid_token) before the console's
    // own refresh was due.
    let now = time::OffsetDateTime::now_utc();
    h.sandbox.state.write().oauth.expire_access_tokens(now);
    h.click_button("Save changes").await;
    h.wait_for_text("h1", "typed before the token expired")
        .await;
    assert_eq!(
        h.sandbox.state.read().runners[&3].description.as_deref(),
        Some("typed before the token expired")
    );
    assert!(h.browser.find(Locator::Css("dialog[open]")).await.is_err());
    let issued = h.sandbox.state.read().oauth.issued().to_vec();
    assert_eq!(issued.len(), 2, "one refresh");
    assert!(issued[0].revoked, "the old pair is gone after the refresh");

    // And before expiry, on its own: a 4-second token is renewed in time.
    let h = oauth_harness(Some(Duration::from_secs(4))).await;
    signed_in_with_gitlab(&h).await;
    h.open("/runners/3/edit").await;
    h.fill("Description", "kept across two renewals").await;
    tokio::time::sleep(Duration::from_secs(7)).await;
    assert!(h.sandbox.state.read().oauth.issued().len() >= 3);
    h.click_button("Save changes").await;
    h.wait_for_text("h1", "kept across two renewals").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn signing_out_revokes_the_oauth_token() {
    let h = oauth_harness(None).await;
    signed_in_with_gitlab(&h).await;
    h.click_button("Sign out").await;
    h.field("Access token").await;
    let started = Instant::now();
    while !h.sandbox.state.read().oauth.issued()[0].revoked {
        assert!(started.elapsed() < WAIT, "token not revoked");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let kept = h
        .js("return JSON.stringify(sessionStorage) + JSON.stringify(localStorage);")
        .await
        .to_string();
    let token = h.sandbox.state.read().oauth.issued()[0]
        .access_token
        .clone();
    assert!(!kept.contains(&token), "{kept}");
}

/// Describes runner 5 of the console's sandbox and runner 7 of `b` as "bulk target".
fn mark_bulk_targets(h: &Harness, b: &Running) {
    for (gitlab, id) in [(&h.sandbox, 5), (b, 7)] {
        gitlab
            .state
            .write()
            .runners
            .get_mut(&id)
            .unwrap()
            .description = Some("bulk target".into());
    }
}

/// Selects the two shown runners ("bulk target": runner 5 of the console's
/// sandbox, runner 7 of `b`), pauses them in one bulk action, and checks both
/// GitLabs paused theirs.
async fn pause_both_bulk_targets(h: &Harness, b: &Running) {
    h.wait_for(Locator::Css("input[aria-label='Select all shown runners']"))
        .await
        .click()
        .await
        .unwrap();
    h.click_button("Pause selected").await;
    h.wait_for_text(".bulk-run", "Pausing finished: 2 of 2")
        .await;
    assert!(!h.sandbox.state.read().runners[&5].active);
    assert!(!b.state.read().runners[&7].active);
}

/// Rows of the all-instances table: (instance, runner id).
async fn rows_by_instance(h: &Harness) -> Vec<(String, u64)> {
    let found = h
        .js("return Array.from(document.querySelectorAll('table.fleet-table tbody tr[data-runner-id]'))\
             .map(r => [r.dataset.instance || '', Number(r.dataset.runnerId)]);")
        .await;
    serde_json::from_value(found).expect("rows")
}

#[tokio::test(flavor = "multi_thread")]
async fn all_instances_in_one_list_with_an_instance_column_and_one_bulk_pause_for_both() {
    let h = Harness::start().await;
    let b = second_gitlab().await;
    mark_bulk_targets(&h, &b);
    h.sign_in(ADMIN_TOKEN).await;
    add_by_token(&h, &b.url, "staging").await;
    h.open("/runners").await;
    h.wait_for(Locator::Css("table.runners")).await;
    h.select("GitLab instance", "all").await;
    h.wait_for_url_ending("/i/all/runners").await;
    h.wait_for_text("h1", "Runners of all instances").await;
    h.wait_for_text("table.fleet-table thead", "Instance").await;
    let total = |s: &Running| s.state.read().runners.len();
    let (in_a, in_b) = (total(&h.sandbox), total(&b));
    h.wait_for_text(
        ".fleet .counts",
        &format!("{} shown of {} loaded", in_a + in_b, in_a + in_b),
    )
    .await;

    // The quick filter finds runners by their instance's label too.
    h.fill("Quick filter", "bulk target").await;
    h.wait_for_text(".fleet .counts", "2 shown").await;
    let mut rows = rows_by_instance(&h).await;
    rows.sort();
    assert_eq!(
        rows,
        vec![("127".to_string(), 5), ("staging".to_string(), 7)]
    );
    // The quick filter reaches the address once typing pauses.
    let started = Instant::now();
    while !h.current_url().await.contains("q=bulk+target") {
        assert!(started.elapsed() < WAIT, "{}", h.current_url().await);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // The export names each runner's instance, next to its id.
    let downloads = h.downloads_to().await;
    h.click_button("Export CSV").await;
    let (name, csv) = h.downloaded(&downloads, ".csv").await;
    assert!(name.starts_with("runners-all-instances-"), "{name}");
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().starts_with("id,instance,"), "{csv}");
    let on = |label: &str| {
        csv.lines()
            .filter(|l| l.split(',').nth(1) == Some(label))
            .count()
    };
    assert_eq!((on("127"), on("staging")), (in_a, in_b), "{csv}");

    pause_both_bulk_targets(&h, &b).await;
    // Each request went to its runner's own instance.
    assert_eq!(h.requests_with("PUT /api/v4/runners/5").len(), 1);
    assert!(h.requests_with("PUT /api/v4/runners/7").is_empty());
    let b_puts: Vec<String> = b
        .state
        .requests
        .lines()
        .into_iter()
        .filter(|l| l.starts_with("PUT"))
        .collect();
    assert_eq!(b_puts, vec!["PUT /api/v4/runners/7".to_string()]);
    // A row's link opens the runner on its own instance.
    let href = h
        .js("return document.querySelector('tr[data-instance=staging] a[aria-label^=\"Runner #7\"]').getAttribute('href')")
        .await;
    assert_eq!(href.as_str(), Some("/i/staging/runners/7"));
}

#[tokio::test(flavor = "multi_thread")]
async fn each_instance_loads_at_most_six_pages_at_once_with_a_progress_bar_of_its_own() {
    // Over HTTP/2 the console alone would keep 16 pages of one list on their
    // way (fleet.rs): only its limit across instances holds each to 6.
    let slow = || Config {
        runners: 4_000,
        latency: Duration::from_millis(150),
        tls: true,
        ..gitlab_16_11()
    };
    let (h, b) = Harness::with_second(slow(), slow()).await;
    h.sign_in(ADMIN_TOKEN).await;
    add_by_token(&h, &b.url, "staging").await;
    h.open("/i/all/runners").await;

    // Both load at once, each with its own bar and label.
    let started = Instant::now();
    loop {
        let words = h
            .js("return ['load-progress-0', 'load-progress-1'].map(id => {\
                   const l = document.querySelector(`label[for=${id}]`);\
                   return l && document.getElementById(id) ? l.textContent : '';\
                 });")
            .await;
        let words: Vec<String> = serde_json::from_value(words).expect("labels");
        if words[0].starts_with("127: Loading runners: ")
            && words[1].starts_with("staging: Loading runners: ")
        {
            break;
        }
        assert!(started.elapsed() < WAIT, "{words:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    h.wait_for_text(".fleet .counts", "8000 shown of 8000 loaded")
        .await;

    // The browser names the protocol of its own origin's answers (the other
    // sends no Timing-Allow-Origin): HTTP/2, where it alone would allow 16.
    let protocols = h
        .js(&format!(
            "return performance.getEntriesByType('resource').filter(e => e.name.startsWith('{}/api/v4/runners/all')).map(e => e.nextHopProtocol)",
            h.sandbox.url
        ))
        .await;
    assert!(
        protocols
            .as_array()
            .is_some_and(|p| p.len() >= 40 && p.iter().all(|x| x == "h2")),
        "{protocols}"
    );
    for (label, gitlab) in [("127", &h.sandbox), ("staging", &b)] {
        assert_eq!(
            gitlab.state.requests.most_at_once("per_page=100"),
            6,
            "{label}: six pages in flight at once, no more"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn outdated_runners_of_every_instance_each_against_its_own_gitlab() {
    // One GitLab counts by version itself (16.6+), the other is read runner by runner.
    let h = Harness::with_config(Config::default()).await;
    let b = spawn(Config {
        gitlab_version: GitLabVersion::new(16, 4),
        ..Config::default()
    })
    .await;
    h.sign_in(ADMIN_TOKEN).await;
    add_by_token(&h, &b.url, "staging").await;
    h.open("/i/127/runners/outdated").await;
    h.wait_for_text("[role=status]", "Counted").await;
    h.select("GitLab instance", "all").await;
    h.wait_for_url_ending("/i/all/runners/outdated").await;
    h.wait_for_text("h1", "Outdated runners: all instances")
        .await;
    let server = h.sandbox.state.read().gitlab_version;
    h.wait_for_text(
        "section[data-instance='127'] h2",
        &format!("127 (GitLab {server})"),
    )
    .await;
    h.wait_for_text(
        "section[data-instance='staging'] h2",
        "staging (GitLab 16.4)",
    )
    .await;
    h.wait_for_text(
        "section[data-instance='127'] [role=status]",
        "Counted 54 version groups",
    )
    .await;
    h.click_button("Read the version of every runner").await;
    h.wait_for(Locator::Css(
        "section[data-instance='staging'] table.outdated",
    ))
    .await;
    let sum_of = |label: &str| {
        format!(
            "return [...document.querySelectorAll(\"section[data-instance='{label}'] table.outdated tbody tr\")]\
               .reduce((n, r) => n + Number(r.children[1].textContent.trim()), 0);"
        )
    };
    let in_b = b.state.read().runners.len() as u64;
    let started = Instant::now();
    while h.js(&sum_of("staging")).await.as_u64() != Some(in_b) {
        assert!(
            started.elapsed() < WAIT,
            "{}",
            h.js(&sum_of("staging")).await
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Each GitLab was asked in its own way: version groups here, details there.
    assert_eq!(h.requests_with("version_prefix=").len(), 2 * 54);
    let b_lines = b.state.requests.lines();
    assert!(!b_lines.iter().any(|l| l.contains("version_prefix=")));
    assert!(
        b_lines
            .iter()
            .filter(|l| l.starts_with("GET /api/v4/runners/"))
            .count() as u64
            >= in_b
    );
    // Links go to each runner's own instance.
    let href = |css: &str| format!("return document.querySelector(\"{css}\").getAttribute('href')");
    let listed = h
        .js(&href("section[data-instance='127'] table.outdated a"))
        .await;
    assert!(
        listed
            .as_str()
            .is_some_and(|l| l.starts_with("/i/127/runners?version=")),
        "{listed}"
    );
    let one = h
        .js(&href("section[data-instance='staging'] table.outdated a"))
        .await;
    assert!(
        one.as_str()
            .is_some_and(|l| l.starts_with("/i/staging/runners/")),
        "{one}"
    );
    // Two bars, one an instance, never one id twice (the axe sweep checks the page).
    let ids = h
        .js("return [...document.querySelectorAll('[id]')].map(e => e.id).filter((id, i, all) => all.indexOf(id) != i);")
        .await;
    assert_eq!(ids, serde_json::json!([]));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_instance_that_stops_answering_is_named_in_place_and_the_other_still_lists() {
    let h = Harness::start().await;
    let b = second_gitlab().await;
    let b_url = b.url.clone();
    h.sign_in(ADMIN_TOKEN).await;
    add_by_token(&h, &b.url, "staging").await;
    h.open("/i/all/runners").await;
    let n = h.sandbox.state.read().runners.len();
    h.wait_for_text(".fleet .counts", &format!("of {} loaded", 2 * n))
        .await;
    // Staging goes away while listed; the list is asked again (another filter).
    drop(b);
    h.open("/i/all/runners?status=online").await;
    let failed = h
        .wait_for_text(".instance-failed", "could not be listed")
        .await;
    assert!(
        failed.contains("staging") && failed.contains(&b_url),
        "{failed}"
    );
    h.wait_for_text(".fleet .counts", "loaded").await;
    assert!(!h.requests_with("status=online").is_empty());
    let rows = rows_by_instance(&h).await;
    assert!(rows.iter().all(|(label, _)| label == "127"), "{rows:?}");
}

/// The text of a counts cell once counted.
async fn counted(h: &Harness, css: &str) -> String {
    let started = Instant::now();
    loop {
        let text = h
            .js(&format!(
                "const c = document.querySelector(\"{css}\"); return c ? c.textContent : '';"
            ))
            .await
            .as_str()
            .unwrap_or_default()
            .to_string();
        if !text.is_empty() && !text.contains('…') {
            return text;
        }
        assert!(started.elapsed() < WAIT, "{css} not counted");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_dashboard_shows_each_instance_and_their_sum() {
    let h = Harness::start().await;
    let b = spawn(Config {
        gitlab_version: GitLabVersion::new(17, 5),
        ..Config::default()
    })
    .await;
    b.state.write().runners.retain(|id, _| *id <= 50);
    h.sign_in(ADMIN_TOKEN).await;
    add_by_token(&h, &b.url, "staging").await;
    // Each instance's own dashboard, for what GitLab counts there.
    let mut online = vec![];
    for label in ["127", "staging"] {
        h.open(&format!("/i/{label}/dashboard")).await;
        online.push(counted(&h, "td[data-cell='online-all']").await);
    }
    h.open("/i/127/dashboard").await;
    h.wait_for(Locator::Css("td[data-cell='online-all'] a"))
        .await;
    h.select("GitLab instance", "all").await;
    h.wait_for_url_ending("/i/all/dashboard").await;
    h.wait_for_text("h1", "Fleet dashboard: all instances")
        .await;
    let all_a = counted(&h, "td[data-instance='127'][data-cell='all-all']").await;
    let all_b = counted(&h, "td[data-instance='staging'][data-cell='all-all']").await;
    assert_eq!(all_a, h.sandbox.state.read().runners.len().to_string());
    assert_eq!(all_b, "50");
    for (label, own) in ["127", "staging"].iter().zip(&online) {
        let here = counted(
            &h,
            &format!("td[data-instance='{label}'][data-cell='online-all']"),
        )
        .await;
        assert_eq!(&here, own, "{label}");
    }
    // Which GitLab release each runs.
    for (label, version) in [("127", "16.11"), ("staging", "17.5")] {
        h.wait_for_text(
            &format!("td.gitlab-version[data-instance='{label}']"),
            version,
        )
        .await;
    }
    let sum = counted(&h, "tr.total td[data-cell='all-all']").await;
    let expected = h.sandbox.state.read().runners.len() + 50;
    assert_eq!(sum.replace(',', ""), expected.to_string());
    // A cell opens that instance's list with the filter.
    let href = h
        .js("return document.querySelector(\"td[data-instance='staging'][data-cell='online-all'] a\").getAttribute('href')")
        .await;
    assert_eq!(href.as_str(), Some("/i/staging/runners?status=online"));
}

/// The ids a sandbox (answering like GitLab 16.11) lists as stale, and all its ids.
fn stale_and_all(
    s: &Running,
) -> (
    std::collections::BTreeSet<u64>,
    std::collections::BTreeSet<u64>,
) {
    let world = s.state.read();
    let now = time::OffsetDateTime::now_utc();
    let v = gitlab_sandbox::GitLabVersion::new(16, 11);
    let stale = world
        .runners
        .values()
        .filter(|r| r.matches_scope_for("stale", now, v))
        .map(|r| r.id)
        .collect();
    (stale, world.runners.keys().copied().collect())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cleanup_across_both_instances_deletes_each_ones_runners_at_its_own_gitlab() {
    let h = Harness::start().await;
    let b = second_gitlab().await;
    b.state.write().runners.retain(|id, _| *id <= 60);
    let (stale_a, all_a) = stale_and_all(&h.sandbox);
    let (stale_b, all_b) = stale_and_all(&b);
    assert!(!stale_a.is_empty() && !stale_b.is_empty());
    h.sign_in(ADMIN_TOKEN).await;
    add_by_token(&h, &b.url, "staging").await;
    h.open("/i/all/cleanup?status=stale").await;
    h.wait_for_text("h1", "Clean up runners").await;
    let text = h.wait_for_text(".match-count", "(GitLab listed").await;
    let n: usize = text.split_whitespace().next().unwrap().parse().unwrap();
    assert_eq!(n, stale_a.len() + stale_b.len(), "{text}");
    h.wait_for_text("table.cleanup-table thead", "Instance")
        .await;

    h.click_button(&format!("Delete {n} runners")).await;
    let dialog = h.wait_for_text("dialog[open]", "cannot be undone").await;
    let host = |url: &str| url.trim_start_matches("http://").to_string();
    assert!(
        dialog.contains(&host(&h.sandbox.url)) && dialog.contains(&host(&b.url)),
        "the dialog names both GitLabs: {dialog}"
    );
    h.fill(&format!("Type {n} to confirm"), &n.to_string())
        .await;
    let confirm = format!("//dialog[@open]//button[normalize-space(.)='Delete {n} runners']");
    h.wait_until_js(&format!(
        "!document.evaluate(\"{confirm}\", document, null, 9, null).singleNodeValue.disabled"
    ))
    .await;
    h.wait_for(Locator::XPath(&confirm))
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_text(
        ".cleanup-results",
        &format!("Deleting finished. {n} deleted"),
    )
    .await;
    let left = |s: &Running| -> std::collections::BTreeSet<u64> {
        s.state.read().runners.keys().copied().collect()
    };
    assert_eq!(left(&h.sandbox), &all_a - &stale_a);
    assert_eq!(left(&b), &all_b - &stale_b);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refresh_that_fails_asks_to_sign_in_again_and_the_edit_survives_the_round_trip() {
    let h = oauth_harness(None).await;
    signed_in_with_gitlab(&h).await;
    h.open("/runners/3/edit").await;
    h.wait_for_text("h1", "Edit runner").await;
    h.fill("Description", "typed before the sign-in ended")
        .await;
    // The application's access is revoked: the token and its refresh both fail.
    h.sandbox.state.write().oauth.revoke_all();
    // The save meets the refusal, unless a request of the page's own did first.
    let save = h
        .wait_for(Locator::XPath(
            "//button[normalize-space(.)='Save changes']",
        ))
        .await;
    // (A click the open dialog intercepts: the page's own request came first.)
    let _ = save.click().await;
    h.wait_for_text("dialog[open]", "could not renew it").await;
    h.click_button("Sign in with GitLab again").await;
    authorize_as_root(&h).await;
    // Back on the same form, with what was typed.
    h.wait_for_url_ending("/runners/3/edit").await;
    h.wait_for_text("[role=status]", "Restored your unsaved changes")
        .await;
    assert_eq!(
        h.value_of("Description").await,
        "typed before the sign-in ended"
    );
    h.click_button("Save changes").await;
    h.wait_for_text("h1", "typed before the sign-in ended")
        .await;
    assert_eq!(
        h.sandbox.state.read().runners[&3].description.as_deref(),
        Some("typed before the sign-in ended")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn adding_with_gitlab_names_the_instances_kept_in_memory_that_the_round_trip_signs_out() {
    let h = Harness::start().await;
    sign_in_keeping(&h, "Only in this page's memory (gone on reload)").await;
    // Within the page: a reload would empty its memory already.
    h.click_link("Instances").await;
    h.wait_for_text("h1", "GitLab instances").await;
    h.field("Sign in with GitLab (OAuth)")
        .await
        .click()
        .await
        .unwrap();
    let note = h.wait_for_text(".add-instance [role=note]", "127").await;
    assert!(note.contains("will need signing in again"), "{note}");
    h.field("An access token").await.click().await.unwrap();
    assert!(h
        .browser
        .find(Locator::Css(".add-instance [role=note]"))
        .await
        .is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn signing_in_again_with_gitlab_names_the_instances_kept_in_memory() {
    let h = oauth_harness(None).await;
    signed_in_with_gitlab(&h).await;
    let b = second_gitlab().await;
    add_by_token_kept_in(&h, &b.url, "staging", "memory").await;
    // Within the page (staging lives in its memory): 127 signed out, then chosen.
    h.click_button("Sign out of 127").await;
    h.wait_for_text(".instances-table", "Signed out").await;
    h.select("GitLab instance", "127").await;
    h.wait_for_text("h1", "Sign in to 127").await;
    h.wait_for(Locator::XPath(
        "//button[normalize-space(.)='Sign in with GitLab']",
    ))
    .await;
    let note = h.wait_for_text(".oauth-offer [role=note]", "staging").await;
    assert!(note.contains("will need signing in again"), "{note}");
}

/// The whole story: one GitLab by token, another with Sign in with
/// GitLab, one list of both, one bulk pause reaching both, and a shared link
/// that opens the same runner on the same instance.
#[tokio::test(flavor = "multi_thread")]
async fn a_token_instance_and_an_oauth_instance_are_listed_and_paused_together() {
    let h = Harness::start().await;
    let b = second_gitlab().await;
    b.state.write().oauth.apps.push(OAuthApp::new(
        APP,
        format!("{}/oauth/callback", h.sandbox.url),
    ));
    mark_bulk_targets(&h, &b);
    h.sign_in(ADMIN_TOKEN).await;

    h.open("/instances").await;
    h.fill("GitLab URL", &b.url).await;
    h.fill("Label", "staging").await;
    h.field("Sign in with GitLab (OAuth)")
        .await
        .click()
        .await
        .unwrap();
    h.fill("OAuth application ID", APP).await;
    // The token instance is kept in this tab: the round trip keeps it.
    assert!(h
        .browser
        .find(Locator::Css(".add-instance [role=note]"))
        .await
        .is_err());
    h.click_button("Add instance").await;
    // On the other GitLab's consent page, then back.
    h.wait_for_text("h1, h2", &format!("Authorize {APP} to use your account?"))
        .await;
    assert!(h.current_url().await.starts_with(&b.url));
    authorize_as_root(&h).await;
    h.wait_for_url_ending("/i/staging/runners").await;
    h.wait_for(Locator::Css("table.runners")).await;
    assert_eq!(b.state.read().oauth.issued().len(), 1);
    let token = b.state.read().oauth.issued()[0].access_token.clone();

    h.open("/instances").await;
    let table = h
        .wait_for_text(".instances-table", "Signed in with GitLab")
        .await;
    assert!(table.contains("Signed in with a token"), "{table}");

    h.open("/i/all/runners?view=all&q=bulk+target").await;
    h.wait_for_text(".fleet .counts", "2 shown").await;
    pause_both_bulk_targets(&h, &b).await;

    // The link to staging's runner 7, opened in a browser that knows both.
    h.open("/").await;
    h.open("/i/staging/runners/7").await;
    h.wait_for_text("h1", "bulk target").await;
    h.wait_for_text("dl.runner-fields", "Yes: takes no new jobs")
        .await;
    let url = h.current_url().await;
    assert!(!url.contains(&token) && !url.contains(ADMIN_TOKEN), "{url}");
    assert!(!h.body_text().await.contains(&token));
}
