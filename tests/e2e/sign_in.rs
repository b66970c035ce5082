//! Signing in, and the first page of runners.

use fantoccini::Locator;
use gitlab_sandbox::{ADMIN_TOKEN, MAINTAINER_TOKEN};

use super::harness::Harness;

#[tokio::test(flavor = "multi_thread")]
async fn admin_signs_in_and_sees_the_first_page_of_all_runners() {
    let h = Harness::start().await;
    h.open("/").await;
    // The GitLab URL is pre-filled with where the console is served from.
    assert_eq!(h.value_of("GitLab URL").await, h.sandbox.url);
    h.fill("Access token", ADMIN_TOKEN).await;
    h.click_button("Sign in").await;

    h.wait_for_text("h1", "All runners").await;
    let expected: Vec<u64> = h
        .sandbox
        .state
        .read()
        .runners
        .keys()
        .take(20)
        .copied()
        .collect();
    h.wait_for_ids(&expected).await;

    let headers = h
        .browser
        .find_all(Locator::Css("table.runners thead th"))
        .await
        .unwrap();
    let mut names = vec![];
    for th in headers {
        names.push(th.text().await.unwrap());
    }
    assert_eq!(
        names,
        [
            "Status",
            "ID",
            "Description",
            "Type",
            "Tags",
            "Paused",
            "IP address",
            // Not in GitLab's list entity: read per runner (from its details on
            // 16.11, which has no machines list).
            "Version",
            "Last contact",
            "Shared",
            "Actions",
        ]
    );
    // Runner 1 is an online instance runner; its row says so in words.
    let row = h.wait_for_text("tr[data-runner-id='1']", "Online").await;
    assert!(row.contains("Instance"), "{row}");
    assert!(row.contains("shared-"), "{row}");
    // Runner 4 is paused and offline.
    let row = h.wait_for_text("tr[data-runner-id='4']", "Offline").await;
    assert!(row.contains("Paused"), "{row}");
    h.wait_for_text(".pager", "Page 1 of 6 · 120 runners").await;
    h.wait_for_text(".who", "root").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_token_shows_gitlabs_401_and_keeps_what_was_typed() {
    let h = Harness::start().await;
    h.open("/").await;
    h.fill("Access token", "glpat-not-a-real-token").await;
    h.click_button("Sign in").await;

    let alert = h.wait_for_text("[role=alert]", "401 Unauthorized").await;
    assert!(alert.contains("did not accept the access token"), "{alert}");
    assert!(
        !alert.contains("glpat-not-a-real-token"),
        "the token must not be echoed"
    );
    assert_eq!(h.value_of("Access token").await, "glpat-not-a-real-token");
    assert_eq!(h.value_of("GitLab URL").await, h.sandbox.url);
    assert!(h.browser.find(Locator::Css("table.runners")).await.is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn maintainer_sees_only_own_runners_and_pages_follow_the_url() {
    let h = Harness::start().await;
    h.sign_in(MAINTAINER_TOKEN).await;
    h.wait_for_text("h1", "My runners").await;
    // No "All runners" choice for a non-admin.
    let options = h
        .browser
        .find_all(Locator::Css("#runner-source option"))
        .await
        .unwrap();
    let mut values = vec![];
    for o in options {
        values.push(o.attr("value").await.unwrap().unwrap_or_default());
    }
    assert_eq!(values, ["owned", "group", "project"]);

    let owned: Vec<u64> = {
        let world = h.sandbox.state.read();
        let maria = world
            .users
            .iter()
            .find(|u| u.token == MAINTAINER_TOKEN)
            .unwrap()
            .clone();
        world
            .runners
            .values()
            .filter(|r| world.owns_runner(&maria, r))
            .map(|r| r.id)
            .collect()
    };
    assert!(
        owned.len() > 20,
        "the default world gives maria more than a page"
    );
    h.wait_for_ids(&owned[..20]).await;

    h.click_link("Next →").await;
    let end = owned.len().min(40);
    h.wait_for_ids(&owned[20..end]).await;
    assert!(h.current_url().await.contains("page=2"));

    h.browser.back().await.unwrap();
    h.wait_for_ids(&owned[..20]).await;

    // A reload keeps the page and the sign-in (this tab remembers the session).
    h.browser.refresh().await.unwrap();
    h.wait_for_ids(&owned[..20]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_out_forgets_the_token() {
    let h = Harness::start().await;
    h.sign_in(ADMIN_TOKEN).await;
    h.wait_for_text(".who", "administrator").await;
    h.click_button("Sign out").await;
    h.field("Access token").await;
    assert!(h.browser.find(Locator::Css("table.runners")).await.is_err());
    // Nothing of the session is left in this tab: a reload stays signed out.
    let stored = h
        .browser
        .execute(
            "return JSON.stringify(Object.assign({}, sessionStorage, localStorage));",
            vec![],
        )
        .await
        .unwrap();
    assert!(!stored.to_string().contains(ADMIN_TOKEN), "{stored}");
    h.browser.refresh().await.unwrap();
    assert_eq!(h.value_of("Access token").await, "");
    assert!(h.browser.find(Locator::Css("table.runners")).await.is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reload_shows_the_page_at_once_and_a_revoked_token_asks_to_sign_in_again() {
    let h = Harness::start().await;
    h.sign_in(ADMIN_TOKEN).await;
    h.open("/runners/3").await;
    h.wait_for(Locator::Css("dl")).await;
    // The token is revoked while the tab is away; the reload still opens this page
    // and GitLab's 401 brings up the sign-in-again dialog over it.
    h.sandbox
        .state
        .write()
        .users
        .iter_mut()
        .find(|u| u.token == ADMIN_TOKEN)
        .unwrap()
        .token = "glpat-rotated".into();
    h.browser.refresh().await.unwrap();
    h.wait_for_text("dialog[open] h2", "Sign in again").await;
    assert!(h.current_url().await.ends_with("/runners/3"));
}
