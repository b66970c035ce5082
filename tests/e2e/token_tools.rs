//! Registering a runner, and the token tools.

use fantoccini::Locator;
use gitlab_sandbox::{ADMIN_TOKEN, MAINTAINER_TOKEN};

use super::harness::Harness;

async fn check(h: &Harness, label: &str) {
    h.field(label)
        .await
        .click()
        .await
        .expect("click a checkbox");
}

#[tokio::test(flavor = "multi_thread")]
async fn register_with_the_instance_token_shows_the_new_token_once() {
    let h = Harness::start().await;
    h.sign_in(MAINTAINER_TOKEN).await;
    let (registration_token, id) = {
        let w = h.sandbox.state.read();
        (w.instance_registration_token.clone(), w.next_runner_id)
    };
    h.open("/register").await;
    h.fill("Registration token", &registration_token).await;
    let kind = h
        .field("Registration token")
        .await
        .attr("type")
        .await
        .unwrap();
    assert_eq!(kind.as_deref(), Some("password"));
    h.fill("Description", "e2e-builder").await;
    h.fill("Tags", "docker, e2e").await;
    check(&h, "Paused").await;
    h.fill("Maximum job timeout (seconds)", "3600").await;
    h.click_button("Register runner").await;

    h.wait_for_text("h2", &format!("Runner #{id} is registered"))
        .await;
    h.wait_for_text(".toasts .toast", &format!("Runner #{id} registered"))
        .await;
    let shown = h.value_of("New token").await;
    let snippet = h.wait_for_text(".config-snippet pre", "[[runners]]").await;
    {
        let w = h.sandbox.state.read();
        let r = &w.runners[&id];
        assert_eq!(shown, r.token);
        assert_eq!(r.description.as_deref(), Some("e2e-builder"));
        assert_eq!(r.tag_list, ["docker", "e2e"]);
        assert!(!r.active, "registered paused");
        assert_eq!(r.maximum_timeout, Some(3600));
        assert_eq!(r.runner_type, gitlab_sandbox::model::RunnerType::Instance);
    }
    assert!(
        snippet.contains(&format!("token = \"{shown}\"")),
        "{snippet}"
    );
    assert!(
        snippet.contains(&format!("url = \"{}\"", h.sandbox.url)),
        "{snippet}"
    );
    assert!(snippet.contains("name = \"e2e-builder\""), "{snippet}");

    // Dismissing drops the token and the snippet that holds it.
    h.click_button("Done, hide the token").await;
    let started = std::time::Instant::now();
    while h.body_text().await.contains(&shown) {
        assert!(
            started.elapsed() < super::harness::WAIT,
            "token still shown"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(h
        .browser
        .find(Locator::Css(".config-snippet"))
        .await
        .is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_registration_token_is_refused_and_the_form_kept() {
    let h = Harness::start().await;
    h.sign_in(MAINTAINER_TOKEN).await;
    let before = h.sandbox.state.read().runners.len();
    h.open("/register").await;
    h.fill("Registration token", "GR1348941-not-a-token").await;
    h.fill("Description", "keep me").await;

    // A timeout GitLab would refuse is caught before sending.
    h.fill("Maximum job timeout (seconds)", "300").await;
    h.click_button("Register runner").await;
    h.wait_for_text(".field-error", "at least 600 seconds")
        .await;

    // Erased with keys as a user would (WebDriver's clear sends no input event).
    let timeout = h.field("Maximum job timeout (seconds)").await;
    let backspaces: String =
        std::iter::repeat_n(char::from(fantoccini::key::Key::Backspace), 3).collect();
    timeout.send_keys(&backspaces).await.unwrap();
    h.click_button("Register runner").await;
    let alert = h
        .wait_for_text("[role=alert]", "did not accept this registration token")
        .await;
    assert!(alert.contains("403"), "{alert}");
    assert!(!alert.contains("GR1348941-not-a-token"), "{alert}");
    assert_eq!(
        h.value_of("Registration token").await,
        "GR1348941-not-a-token"
    );
    assert_eq!(h.value_of("Description").await, "keep me");
    assert_eq!(h.sandbox.state.read().runners.len(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn verify_and_delete_runners_by_token() {
    let h = Harness::start().await;
    h.sign_in(MAINTAINER_TOKEN).await;
    let (token5, token7) = {
        let w = h.sandbox.state.read();
        (w.runners[&5].token.clone(), w.runners[&7].token.clone())
    };
    h.open("/tokens").await;

    h.fill("Token to verify", &token5).await;
    h.click_button("Verify token").await;
    h.wait_for_text(".success", "authentication token of runner #5")
        .await;
    assert_eq!(h.value_of("Token to verify").await, "", "cleared after use");

    h.fill("Token to verify", "glrt-not-a-token").await;
    h.click_button("Verify token").await;
    h.wait_for_text(
        "[role=alert]",
        "does not know this runner authentication token",
    )
    .await;
    assert_eq!(h.value_of("Token to verify").await, "glrt-not-a-token");

    h.fill("Token of the runner to delete", &token7).await;
    h.click_button("Delete the runner…").await;
    h.wait_for_text("dialog[open] h2", "Delete runner #7?")
        .await;
    assert!(
        h.sandbox.state.read().runners.contains_key(&7),
        "asks first"
    );
    h.click_button("Delete runner #7").await;
    h.wait_for_text(".success", "Runner #7 is deleted.").await;
    assert!(!h.sandbox.state.read().runners.contains_key(&7));
    assert_eq!(h.value_of("Token of the runner to delete").await, "");
}

#[tokio::test(flavor = "multi_thread")]
async fn reset_a_runner_token_with_the_current_one() {
    let h = Harness::start().await;
    h.sign_in(ADMIN_TOKEN).await;
    let old = h.sandbox.state.read().runners[&10].token.clone();
    h.open("/tokens").await;
    h.fill("Current authentication token", &old).await;
    h.click_button("Reset this token…").await;
    h.wait_for_text("dialog[open]", "stops working at once")
        .await;
    h.click_button("Reset the runner token now").await;
    h.wait_for_text(".token-reveal", "shown only once").await;
    let shown = h.value_of("New token").await;
    let now = h.sandbox.state.read().runners[&10].token.clone();
    assert_eq!(shown, now);
    assert_ne!(now, old);
    assert_eq!(h.value_of("Current authentication token").await, "");

    // The old token is dead at once.
    h.fill("Token to verify", &old).await;
    h.click_button("Verify token").await;
    h.wait_for_text("[role=alert]", "does not know").await;
    h.fill("Token to verify", &now).await;
    h.click_button("Verify token").await;
    h.wait_for_text(".success", "runner #10").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn maintainer_resets_a_project_registration_token_not_the_instances() {
    let h = Harness::start().await;
    h.sign_in(MAINTAINER_TOKEN).await;
    let (old, instance_before) = {
        let w = h.sandbox.state.read();
        (
            w.projects[0].registration_token.clone(),
            w.instance_registration_token.clone(),
        )
    };
    h.open("/tokens").await;
    h.wait_for_text(".note", "Only GitLab administrators can reset the instance")
        .await;
    assert!(h
        .browser
        .find(Locator::XPath(
            "//button[normalize-space(.)='Reset instance registration token…']"
        ))
        .await
        .is_err());

    h.wait_for(Locator::Css("#project-choice option[value='platform/api']"))
        .await;
    h.field("Your projects")
        .await
        .select_by_value("platform/api")
        .await
        .unwrap();
    assert_eq!(h.value_of("Project ID or path").await, "platform/api");
    h.click_button("Reset project registration token…").await;
    h.wait_for_text("dialog[open] h2", "project platform/api")
        .await;
    assert_eq!(h.sandbox.state.read().projects[0].registration_token, old);
    h.click_button("Reset the token of project platform/api")
        .await;
    h.wait_for_text(".token-reveal", "shown only once").await;
    let shown = h.value_of("New token").await;
    let w = h.sandbox.state.read();
    assert_ne!(w.projects[0].registration_token, old);
    assert_eq!(shown, w.projects[0].registration_token);
    assert_eq!(w.instance_registration_token, instance_before);
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_resets_a_runner_token_by_id_and_the_instance_registration_token() {
    let h = Harness::start().await;
    h.sign_in(ADMIN_TOKEN).await;
    let (old_runner, old_instance) = {
        let w = h.sandbox.state.read();
        (
            w.runners[&4].token.clone(),
            w.instance_registration_token.clone(),
        )
    };
    h.open("/tokens").await;
    h.fill("Runner ID", "4").await;
    h.click_button("Reset token by ID…").await;
    h.wait_for_text("dialog[open] h2", "runner #4").await;
    h.click_button("Reset the token of runner #4").await;
    h.wait_for_text(".token-reveal h2", "runner #4").await;
    let shown = h.value_of("New token").await;
    {
        let w = h.sandbox.state.read();
        assert_ne!(w.runners[&4].token, old_runner);
        assert_eq!(shown, w.runners[&4].token);
        assert_eq!(w.instance_registration_token, old_instance);
    }
    assert_eq!(h.value_of("Runner ID").await, "");

    h.click_button("Reset instance registration token…").await;
    h.click_button("Reset the instance token now").await;
    h.wait_for_text(".token-reveal h2", "of the instance").await;
    let shown = h.value_of("New token").await;
    let w = h.sandbox.state.read();
    assert_ne!(w.instance_registration_token, old_instance);
    assert_eq!(shown, w.instance_registration_token);
}

#[tokio::test(flavor = "multi_thread")]
async fn group_registration_token_reset_by_an_owner_and_refused_to_a_maintainer() {
    // Maria maintains group 1 but does not own it: GitLab refuses her.
    let h = Harness::start().await;
    h.sign_in(MAINTAINER_TOKEN).await;
    let old = h.sandbox.state.read().groups[0].registration_token.clone();
    h.open("/tokens").await;
    h.fill("Group ID", "1").await;
    h.click_button("Reset group registration token…").await;
    h.click_button("Reset the token of group 1").await;
    let alert = h.wait_for_text("[role=alert]", "403").await;
    assert!(!alert.is_empty());
    assert_eq!(h.sandbox.state.read().groups[0].registration_token, old);

    // The administrator may.
    let h = Harness::start().await;
    h.sign_in(ADMIN_TOKEN).await;
    let old = h.sandbox.state.read().groups[0].registration_token.clone();
    h.open("/tokens").await;
    h.wait_for(Locator::Css("#group-choice option[value='1']"))
        .await;
    h.select("Your groups", "1").await;
    h.click_button("Reset group registration token…").await;
    h.wait_for_text("dialog[open] h2", "group 1").await;
    h.click_button("Reset the token of group 1").await;
    h.wait_for_text(".token-reveal", "shown only once").await;
    let shown = h.value_of("New token").await;
    let w = h.sandbox.state.read();
    assert_ne!(w.groups[0].registration_token, old);
    assert_eq!(shown, w.groups[0].registration_token);
}
