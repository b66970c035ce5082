//! Every fault and bad answer of docs/errors.md, made by the sandbox's fault
//! rules (or a second sandbox without CORS), and what the console then shows
//! and keeps. Each test checks the page and what the sandbox then holds.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use fantoccini::Locator;
use gitlab_sandbox::{Config, FaultKind, FaultRule, ADMIN_TOKEN, MAINTAINER_TOKEN, READONLY_TOKEN};

use super::harness::{Harness, WAIT};

fn rule(method: &str, path: &str) -> FaultRule {
    FaultRule {
        method: Some(method.into()),
        path: path.into(),
        ..Default::default()
    }
}

fn json_error(status: u16, body: &str) -> FaultRule {
    FaultRule {
        status: Some(status),
        body: Some(body.into()),
        ..Default::default()
    }
}

/// How many more requests the first rule still catches (`None` once spent).
fn times_left(h: &Harness) -> Option<u32> {
    h.sandbox.state.faults.rules().first().and_then(|r| r.times)
}

/// Changes the route without reloading, so `window` overrides survive.
async fn go(h: &Harness, path: &str) {
    h.browser
        .execute(
            "history.pushState(null, '', arguments[0]); \
             window.dispatchEvent(new PopStateEvent('popstate'));",
            vec![serde_json::json!(path)],
        )
        .await
        .expect("pushState");
}

async fn set_window(h: &Harness, name: &str, value: u64) {
    h.browser
        .execute(
            "window[arguments[0]] = arguments[1];",
            vec![serde_json::json!(name), serde_json::json!(value)],
        )
        .await
        .expect("set window value");
}

async fn fill_sign_in(h: &Harness, url: &str, token: &str) {
    h.open("/").await;
    h.fill("GitLab URL", url).await;
    h.fill("Access token", token).await;
    h.click_button("Sign in").await;
}

async fn wait_for_value(h: &Harness, label: &str, want: &str) {
    let started = Instant::now();
    loop {
        let got = h.value_of(label).await;
        if got == want {
            return;
        }
        assert!(
            started.elapsed() < WAIT,
            "{label} is {got:?}, expected {want:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn open_edit(h: &Harness, id: u64) {
    h.sign_in(ADMIN_TOKEN).await;
    h.open(&format!("/runners/{id}/edit")).await;
    let description = h.sandbox.state.read().runners[&id]
        .description
        .clone()
        .unwrap_or_default();
    wait_for_value(h, "Description", &description).await;
}

// --- Reaching GitLab -------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_or_malformed_gitlab_url_is_explained() {
    let h = Harness::start().await;
    // A port nothing listens on.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{closed}");
    fill_sign_in(&h, &url, ADMIN_TOKEN).await;
    let alert = h
        .wait_for_text("[role=alert]", "Could not reach GitLab")
        .await;
    assert!(alert.contains("GitLab URL"), "{alert}");
    assert!(!alert.contains(ADMIN_TOKEN));
    // What was typed is kept.
    assert_eq!(h.value_of("GitLab URL").await, url);
    assert_eq!(h.value_of("Access token").await, ADMIN_TOKEN);

    h.fill("GitLab URL", "ftp://gitlab.example.com").await;
    h.click_button("Sign in").await;
    h.wait_for_text("#sign-in-error", "must start with https:// or http://")
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_host_that_is_not_gitlab_is_named_as_such() {
    let h = Harness::start().await;
    h.sandbox.state.faults.push(FaultRule {
        status: Some(200),
        body: Some("<!doctype html><html><title>Welcome</title><h1>It works</h1></html>".into()),
        content_type: Some("text/html".into()),
        ..rule("GET", "/api/v4/user")
    });
    fill_sign_in(&h, &h.sandbox.url, ADMIN_TOKEN).await;
    let alert = h
        .wait_for_text("[role=alert]", "This does not look like GitLab")
        .await;
    assert!(alert.contains("Check the GitLab URL"), "{alert}");
    assert!(h.browser.find(Locator::Css("table.runners")).await.is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cors_refusal_explains_how_to_allow_the_console() {
    let h = Harness::start().await;
    // Another GitLab on another origin whose API answers lack CORS headers.
    let other = gitlab_sandbox::spawn(
        Config {
            runners: 12,
            faults: vec![FaultRule {
                kind: FaultKind::Pass,
                cors: Some(false),
                ..rule("GET", "/api/v4/")
            }],
            ..super::harness::gitlab_16_11()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let other_url = other.url.replace("127.0.0.1", "localhost");
    fill_sign_in(&h, &other_url, ADMIN_TOKEN).await;
    let alert = h.wait_for_text("[role=alert]", "CORS").await;
    assert!(alert.contains("Access-Control-Allow-Origin"), "{alert}");
    assert!(alert.contains("browser blocked the answer"), "{alert}");
    assert!(h.browser.find(Locator::Css("table.runners")).await.is_err());
}

// --- Token and permissions ---------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_token_asks_to_sign_in_again_and_the_edit_goes_on() {
    let h = Harness::start().await;
    open_edit(&h, 3).await;
    h.fill("Description", "kept through a re-sign-in").await;
    // The token is revoked and a new one issued to the same user.
    let renewed = "glpat-sandbox-admin-renewed";
    {
        let mut world = h.sandbox.state.write();
        let admin = world
            .users
            .iter_mut()
            .find(|u| u.token == ADMIN_TOKEN)
            .unwrap();
        admin.token = renewed.into();
    }
    h.click_button("Save changes").await;
    h.wait_for_text("dialog[open] h2", "Sign in again").await;
    // The page underneath is kept: same route, same typing.
    assert!(h.current_url().await.ends_with("/runners/3/edit"));
    assert_eq!(h.value_of("Description").await, "kept through a re-sign-in");
    // The old token again: refused, still asking.
    h.fill("Access token", ADMIN_TOKEN).await;
    h.click_button("Sign in again").await;
    h.wait_for_text(
        "dialog[open] [role=alert]",
        "did not accept the access token",
    )
    .await;
    h.fill("Access token", renewed).await;
    h.click_button("Sign in again").await;
    // The save goes on by itself with the new token.
    h.wait_for_url_ending("/runners/3").await;
    h.wait_for_text("h1", "Runner #3 (kept through a re-sign-in)")
        .await;
    assert_eq!(
        h.sandbox.state.read().runners[&3].description.as_deref(),
        Some("kept through a re-sign-in")
    );
    // The renewed token is what this tab keeps now.
    let stored = h
        .browser
        .execute("return JSON.stringify(sessionStorage);", vec![])
        .await
        .unwrap()
        .to_string();
    assert!(
        stored.contains(renewed) && !stored.contains(&format!("{ADMIN_TOKEN}\\\"")),
        "{stored}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_without_the_api_scope_is_told_which_scope_is_missing() {
    let h = Harness::start().await;
    h.sign_in(READONLY_TOKEN).await;
    h.open("/runners/3/edit").await;
    let description = h.sandbox.state.read().runners[&3]
        .description
        .clone()
        .unwrap();
    wait_for_value(&h, "Description", &description).await;
    h.fill("Description", "not allowed").await;
    h.click_button("Save changes").await;
    let alert = h.wait_for_text("[role=alert]", "\"api\" scope").await;
    assert!(
        alert.contains("insufficient_scope") || alert.contains("HTTP 403"),
        "{alert}"
    );
    assert_eq!(h.value_of("Description").await, "not allowed");
    assert_eq!(
        h.sandbox.state.read().runners[&3].description.as_deref(),
        Some(description.as_str())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_runner_deleted_meanwhile_leaves_the_list_consistent() {
    let h = Harness::start().await;
    h.sign_in(ADMIN_TOKEN).await;
    let (one, seven) = {
        let w = h.sandbox.state.read();
        (
            format!("#1 ({})", w.runners[&1].description.clone().unwrap()),
            format!("#7 ({})", w.runners[&7].description.clone().unwrap()),
        )
    };
    h.wait_for(Locator::Css("tr[data-runner-id='7']")).await;
    // Someone else deletes runner 1 while the list is open.
    h.sandbox.state.write().runners.remove(&1);
    h.click_named(&format!("Pause runner {one}")).await;
    h.wait_for_text(".failed-action", "it was already gone")
        .await;
    // Then runner 7.
    h.wait_for(Locator::Css("tr[data-runner-id='7']")).await;
    h.sandbox.state.write().runners.remove(&7);
    h.click_named(&format!("Delete runner {seven}")).await;
    h.click_named("Delete runner #7").await;
    h.wait_for_text("[role=status]", &format!("Runner {seven} was already gone"))
        .await;
    let started = Instant::now();
    loop {
        let ids = h.table_ids().await;
        if !ids.contains(&1) && !ids.contains(&7) && !ids.is_empty() {
            break;
        }
        assert!(started.elapsed() < WAIT, "rows still shown: {ids:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

// --- GitLab's refusals -------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn gitlabs_field_messages_land_next_to_their_fields() {
    let h = Harness::start().await;
    open_edit(&h, 3).await;
    h.sandbox.state.faults.push(FaultRule {
        times: Some(1),
        ..rule("PUT", "/api/v4/runners/3").with(json_error(
            400,
            r#"{"message":{"description":["is too long (maximum is 255 characters)"]}}"#,
        ))
    });
    h.fill("Description", "a very long description").await;
    h.click_button("Save changes").await;
    h.wait_for_text(
        "#runner-description-error",
        "is too long (maximum is 255 characters)",
    )
    .await;
    h.wait_for_text("[role=alert]", "see the messages next to the fields")
        .await;
    assert_eq!(h.value_of("Description").await, "a very long description");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_conflict_is_said_in_plain_words_with_gitlabs_message() {
    let h = Harness::start().await;
    open_edit(&h, 3).await;
    h.sandbox.state.faults.push(FaultRule {
        times: Some(1),
        ..rule("PUT", "/api/v4/runners/3").with(json_error(
            409,
            r#"{"message":"Runner was changed by another request"}"#,
        ))
    });
    h.fill("Description", "conflicting").await;
    h.click_button("Save changes").await;
    let alert = h
        .wait_for_text("[role=alert]", "conflicts with the current state")
        .await;
    assert!(
        alert.contains("Runner was changed by another request"),
        "{alert}"
    );
    assert!(alert.contains("HTTP 409"), "{alert}");
    assert_eq!(h.value_of("Description").await, "conflicting");
}

// --- Rate limits, server errors, drops, timeouts -------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn a_rate_limited_read_counts_down_then_loads_by_itself() {
    let h = Harness::start().await;
    h.sign_in(ADMIN_TOKEN).await;
    h.sandbox.state.faults.push(FaultRule {
        status: Some(429),
        body: Some("Retry later\n".into()),
        content_type: Some("text/plain".into()),
        headers: BTreeMap::from([("Retry-After".into(), "3".into())]),
        times: Some(1),
        ..rule("GET", "/api/v4/runners/all")
    });
    go(&h, "/runners?page=2").await;
    let notice = h
        .wait_for_text(".retry-notice", "limiting the request rate")
        .await;
    assert!(notice.contains("Loading again in"), "{notice}");
    let started = Instant::now();
    h.wait_for_ids(&(21..=40).collect::<Vec<_>>()).await;
    assert!(started.elapsed() >= Duration::from_secs(1));
    h.wait_for_text(".retry-notice", "").await;
    assert_eq!(
        h.browser
            .find(Locator::Css(".retry-notice"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        ""
    );

    // Without a readable Retry-After (GitLab does not expose it cross-origin),
    // the default wait applies; tests shorten it.
    set_window(&h, "__runnerConsoleRateLimitSecs", 2).await;
    h.sandbox.state.faults.push(FaultRule {
        status: Some(429),
        body: Some("Retry later".into()),
        times: Some(1),
        ..rule("GET", "/api/v4/runners/all")
    });
    go(&h, "/runners?page=3").await;
    h.wait_for_text(".retry-notice", "Loading again in 2 seconds")
        .await;
    h.wait_for_ids(&(41..=60).collect::<Vec<_>>()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn server_errors_on_reads_are_retried_three_times_then_reported() {
    let h = Harness::start().await;
    h.sign_in(ADMIN_TOKEN).await;
    // Two failures: the third try succeeds without anyone noticing more than a notice.
    h.sandbox.state.faults.push(FaultRule {
        times: Some(2),
        ..rule("GET", "/api/v4/runners/all")
            .with(json_error(503, r#"{"message":"503 Service Unavailable"}"#))
    });
    go(&h, "/runners?page=2").await;
    h.wait_for_text(".retry-notice", "GitLab answered 503")
        .await;
    h.wait_for_ids(&(21..=40).collect::<Vec<_>>()).await;
    assert_eq!(times_left(&h), None);

    // A lasting failure: 1 try + 3 retries, then the error with a manual retry.
    h.sandbox.state.faults.push(FaultRule {
        times: Some(10),
        status: Some(502),
        body: Some("<html><h1>502 Bad Gateway</h1></html>".into()),
        content_type: Some("text/html".into()),
        ..rule("GET", "/api/v4/runners/all")
    });
    go(&h, "/runners?page=3").await;
    let alert = h
        .wait_for_text("[role=alert]", "GitLab had a problem (502 Bad Gateway)")
        .await;
    assert!(alert.contains("Try again"), "{alert}");
    assert_eq!(times_left(&h), Some(6));
    h.sandbox.state.faults.clear();
    h.click_button("Try again").await;
    h.wait_for_ids(&(41..=60).collect::<Vec<_>>()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dropped_connection_on_a_read_is_retried() {
    let h = Harness::start().await;
    h.sign_in(ADMIN_TOKEN).await;
    // Every try dropped: the console retries (with its notice), then reports;
    // once GitLab answers again, "Try again" loads the page.
    h.sandbox.state.faults.push(FaultRule {
        kind: FaultKind::Drop,
        ..rule("GET", "/api/v4/runners/all")
    });
    go(&h, "/runners?page=2").await;
    h.wait_for_text(".retry-notice", "GitLab could not be reached")
        .await;
    h.wait_for_text("[role=alert]", "Could not reach GitLab")
        .await;
    h.sandbox.state.faults.clear();
    h.click_button("Try again").await;
    h.wait_for_ids(&(21..=40).collect::<Vec<_>>()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_write_is_never_repeated_and_offers_a_manual_retry() {
    let h = Harness::start().await;
    open_edit(&h, 3).await;
    h.sandbox.state.faults.push(FaultRule {
        times: Some(5),
        ..rule("PUT", "/api/v4/runners/3")
            .with(json_error(503, r#"{"message":"503 Service Unavailable"}"#))
    });
    h.fill("Description", "saved on the second click").await;
    h.click_button("Save changes").await;
    let alert = h.wait_for_text("[role=alert]", "Not saved").await;
    assert!(alert.contains("still in the form"), "{alert}");
    // Sent once, not retried behind the person's back.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(times_left(&h), Some(4));
    assert_eq!(h.value_of("Description").await, "saved on the second click");

    // A dropped connection: the outcome is unknown, and said so. (Chromium
    // itself resends a request when a kept-alive connection closes before
    // any answer, so the rule drops every try until cleared.)
    h.sandbox.state.faults.clear();
    h.sandbox.state.faults.push(FaultRule {
        kind: FaultKind::Drop,
        ..rule("PUT", "/api/v4/runners/3")
    });
    h.click_button("Try again").await;
    h.wait_for_text("[role=alert]", "GitLab may have made part of the change")
        .await;
    h.sandbox.state.faults.clear();
    assert_eq!(h.value_of("Description").await, "saved on the second click");

    h.click_button("Try again").await;
    h.wait_for_url_ending("/runners/3").await;
    assert_eq!(
        h.sandbox.state.read().runners[&3].description.as_deref(),
        Some("saved on the second click")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_that_hangs_is_stopped_and_reported_as_a_timeout() {
    let h = Harness::start().await;
    h.sign_in(ADMIN_TOKEN).await;
    set_window(&h, "__runnerConsoleTimeoutMs", 2000).await;
    h.sandbox.state.faults.push(FaultRule {
        kind: FaultKind::Pass,
        delay_ms: 6_000,
        times: Some(1),
        ..rule("GET", "/api/v4/runners/3")
    });
    let started = Instant::now();
    go(&h, "/runners/3").await;
    let alert = h
        .wait_for_text("[role=alert]", "did not answer within 2 seconds")
        .await;
    assert!(started.elapsed() < Duration::from_secs(6), "{alert}");
    h.click_button("Try again").await;
    h.wait_for_text("h1", "Runner #3").await;
}

// --- Bad answers ------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn malformed_json_is_reported_in_plain_words() {
    let h = Harness::start().await;
    h.sign_in(ADMIN_TOKEN).await;
    h.sandbox.state.faults.push(FaultRule {
        status: Some(200),
        body: Some(r#"[{"id": 1, "description": "#.into()),
        times: Some(1),
        ..rule("GET", "/api/v4/runners/all")
    });
    go(&h, "/runners?page=2").await;
    let alert = h
        .wait_for_text("[role=alert]", "GitLab's answer could not be read")
        .await;
    assert!(alert.contains("not the data GitLab's API sends"), "{alert}");
    h.click_button("Try again").await;
    h.wait_for_ids(&(21..=40).collect::<Vec<_>>()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_without_x_total_still_page_and_say_the_total_is_unknown() {
    let h = Harness::start().await;
    h.sandbox.state.faults.push(FaultRule {
        kind: FaultKind::Pass,
        strip_headers: vec!["X-Total".into(), "X-Total-Pages".into()],
        ..rule("GET", "/api/v4/runners/all")
    });
    h.sign_in(ADMIN_TOKEN).await;
    h.wait_for_ids(&(1..=20).collect::<Vec<_>>()).await;
    h.wait_for_text(".pager .position", "does not count them")
        .await;
    h.click_link("Next →").await;
    h.wait_for_ids(&(21..=40).collect::<Vec<_>>()).await;
    let position = h.wait_for_text(".pager .position", "Page 2").await;
    assert!(!position.contains(" of "), "{position}");
}

// --- Nothing lost -----------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn a_reload_during_an_edit_restores_the_draft_until_discarded() {
    let h = Harness::start().await;
    open_edit(&h, 3).await;
    let original = h.sandbox.state.read().runners[&3]
        .description
        .clone()
        .unwrap();
    h.fill("Description", "draft kept over a reload").await;
    h.fill("Tags", "ruby, gpu").await;
    h.browser.refresh().await.unwrap();
    h.wait_for_text("[role=status]", "Restored your unsaved changes")
        .await;
    wait_for_value(&h, "Description", "draft kept over a reload").await;
    assert_eq!(h.value_of("Tags").await, "ruby, gpu");
    // Nothing reached GitLab.
    assert_eq!(
        h.sandbox.state.read().runners[&3].description.as_deref(),
        Some(original.as_str())
    );

    h.click_button("Discard changes").await;
    wait_for_value(&h, "Description", &original).await;
    let drafts = h
        .browser
        .execute("return JSON.stringify(sessionStorage);", vec![])
        .await
        .unwrap()
        .to_string();
    assert!(!drafts.contains("runner-console.draft."), "{drafts}");
    h.browser.refresh().await.unwrap();
    wait_for_value(&h, "Description", &original).await;
    assert!(!h
        .body_text()
        .await
        .contains("Restored your unsaved changes"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_change_made_meanwhile_is_named_before_saving_over_it() {
    let h = Harness::start().await;
    open_edit(&h, 3).await;
    h.fill("Description", "mine").await;
    // Someone else changes the description and the tags meanwhile.
    {
        let mut w = h.sandbox.state.write();
        let r = w.runners.get_mut(&3).unwrap();
        r.description = Some("theirs".into());
        r.tag_list = vec!["theirs".into()];
    }
    h.click_button("Save changes").await;
    let warning = h
        .wait_for_text(
            ".conflict",
            "Someone changed this runner since you opened it",
        )
        .await;
    assert!(warning.contains("Description and Tags"), "{warning}");
    // Nothing was sent yet.
    assert_eq!(
        h.sandbox.state.read().runners[&3].description.as_deref(),
        Some("theirs")
    );
    h.click_button("Save mine anyway").await;
    h.wait_for_url_ending("/runners/3").await;
    let r = h.sandbox.state.read().runners[&3].clone();
    assert_eq!(r.description.as_deref(), Some("mine"));
    // Only what I changed was sent: their tags stay.
    assert_eq!(r.tag_list, ["theirs"]);

    // The other choice: take theirs.
    h.open("/runners/3/edit").await;
    wait_for_value(&h, "Description", "mine").await;
    h.fill("Description", "mine again").await;
    h.sandbox
        .state
        .write()
        .runners
        .get_mut(&3)
        .unwrap()
        .description = Some("theirs again".into());
    h.click_button("Save changes").await;
    h.wait_for_text(".conflict", "Description").await;
    h.click_button("Reload the runner").await;
    wait_for_value(&h, "Description", "theirs again").await;
    assert_eq!(
        h.sandbox.state.read().runners[&3].description.as_deref(),
        Some("theirs again")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_register_form_keeps_its_input_when_gitlab_fails() {
    let h = Harness::start().await;
    h.sign_in(MAINTAINER_TOKEN).await;
    h.open("/register").await;
    let token = h.sandbox.state.read().instance_registration_token.clone();
    let before = h.sandbox.state.read().runners.len();
    // Every try dropped (Chromium itself resends on a kept-alive connection).
    h.sandbox.state.faults.push(FaultRule {
        kind: FaultKind::Drop,
        ..rule("POST", "/api/v4/runners")
    });
    h.fill("Registration token", &token).await;
    h.fill("Description", "kept after a drop").await;
    h.click_button("Register runner").await;
    h.wait_for_text("[role=alert]", "Could not reach GitLab")
        .await;
    assert_eq!(h.value_of("Description").await, "kept after a drop");
    assert_eq!(h.value_of("Registration token").await, token);
    assert_eq!(h.sandbox.state.read().runners.len(), before);
}

trait With {
    fn with(self, answer: FaultRule) -> FaultRule;
}

impl With for FaultRule {
    /// This rule's method and path with `answer`'s status and body.
    fn with(self, answer: FaultRule) -> FaultRule {
        FaultRule {
            status: answer.status,
            body: answer.body,
            ..self
        }
    }
}
