//! A runner's detail page (fields, pause/resume, delete, token reset) and its edit
//! form (validation, GitLab's errors, unsaved-changes guard). Each test checks the
//! page and what the sandbox GitLab then holds.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use gitlab_sandbox::{Config, ADMIN_TOKEN, MAINTAINER_TOKEN};

use super::harness::{Harness, WAIT};

/// The text of the `<dd>` after the `<dt>` named `term` in the runner's fields.
async fn field_text(h: &Harness, term: &str) -> String {
    let xpath = format!(
        "//dl[contains(@class,'runner-fields')]/dt[normalize-space(.)='{term}']/following-sibling::dd[1]"
    );
    h.wait_for(Locator::XPath(&xpath))
        .await
        .text()
        .await
        .expect("text")
}

/// Signs in and opens `path` (a full load: the tab remembers the session).
async fn open_as(h: &Harness, token: &str, path: &str) {
    h.sign_in(token).await;
    h.open(path).await;
}

/// Waits for the edit form of runner `id` to be filled from GitLab.
async fn wait_for_edit_form(h: &Harness, id: u64) {
    let description = h.sandbox.state.read().runners[&id]
        .description
        .clone()
        .unwrap_or_default();
    let started = Instant::now();
    while h.value_of("Description").await != description {
        assert!(started.elapsed() < WAIT, "the edit form was not filled");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn wait_for_alert(h: &Harness) -> String {
    let started = Instant::now();
    loop {
        if let Ok(text) = h.browser.get_alert_text().await {
            return text;
        }
        assert!(started.elapsed() < WAIT, "no confirm appeared");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn attr(h: &Harness, css: &str, name: &str) -> Option<String> {
    h.wait_for(Locator::Css(css))
        .await
        .attr(name)
        .await
        .expect("attr")
}

#[tokio::test(flavor = "multi_thread")]
async fn detail_shows_every_field_of_runner_3() {
    let h = Harness::start().await;
    open_as(&h, ADMIN_TOKEN, "/runners/3").await;
    let r = h.sandbox.state.read().runners[&3].clone();
    let description = r.description.clone().unwrap();
    h.wait_for_text("h1", &format!("Runner #3 ({description})"))
        .await;

    assert_eq!(field_text(&h, "ID").await, "3");
    assert_eq!(field_text(&h, "Description").await, description);
    assert_eq!(field_text(&h, "Type").await, "Project");
    assert_eq!(field_text(&h, "Paused").await, "No");
    let tags = field_text(&h, "Tags").await;
    assert_eq!(
        tags.split_whitespace().collect::<Vec<_>>(),
        r.tag_list.iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert_eq!(r.tag_list, ["ruby", "postgres"]);
    assert_eq!(field_text(&h, "Locked to current projects").await, "Yes");
    assert!(r.locked);
    assert_eq!(
        field_text(&h, "Runs untagged jobs").await,
        if r.run_untagged { "Yes" } else { "No" }
    );
    assert_eq!(field_text(&h, "Protected").await, "Protected branches only");
    assert_eq!(
        field_text(&h, "Maximum job timeout").await,
        match r.maximum_timeout {
            Some(3600) => "1h 00m 00s (3600 seconds)".to_string(),
            None => "None".to_string(),
            Some(other) => panic!("unexpected timeout {other}"),
        }
    );
    assert_eq!(field_text(&h, "Version").await, r.version.clone().unwrap());
    assert_eq!(
        field_text(&h, "Revision").await,
        r.revision.clone().unwrap()
    );
    assert_eq!(
        field_text(&h, "Platform").await,
        r.platform.clone().unwrap()
    );
    assert_eq!(
        field_text(&h, "Architecture").await,
        r.architecture.clone().unwrap()
    );
    assert_eq!(
        field_text(&h, "IP address").await,
        r.ip_address.clone().unwrap()
    );
    assert_eq!(field_text(&h, "Maintenance note").await, "None");
    // Runner 3 is online: contacted minutes ago, exact time on hover.
    let contacted = field_text(&h, "Last contact").await;
    assert!(
        contacted.contains("ago") || contacted == "just now",
        "{contacted}"
    );
    let exact = attr(&h, ".runner-fields time[datetime]", "title").await;
    assert!(exact.is_some_and(|t| !t.is_empty()));
    assert!(field_text(&h, "Status").await.contains("Online"));

    // Its project, linked to the console's project view and to GitLab.
    assert_eq!(r.projects, [1]);
    let projects = field_text(&h, "Projects").await;
    assert!(projects.contains("Platform / API"), "{projects}");
    let href = attr(&h, ".runner-projects a", "href").await.unwrap();
    assert!(
        href.ends_with("/project-runners?project=platform%2Fapi"),
        "{href}"
    );
    let gitlab = attr(
        &h,
        ".runner-projects a[aria-label='Open Platform / API in GitLab']",
        "href",
    )
    .await
    .unwrap();
    assert_eq!(gitlab, format!("{}/platform/api", h.sandbox.url));
    assert_eq!(field_text(&h, "Groups").await, "None you can see");

    let edit = attr(&h, ".runner-links a[href$='/runners/3/edit']", "href").await;
    assert!(edit.is_some());
    let jobs = attr(&h, ".runner-links a[href$='/runners/3/jobs']", "href").await;
    assert!(jobs.is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_runner_says_it_is_gone_with_a_way_back() {
    let h = Harness::start().await;
    open_as(&h, ADMIN_TOKEN, "/runners/99999").await;
    h.wait_for_text("h1", "Runner #99999 is gone").await;
    h.wait_for_text("[role=alert]", "404 Runner Not Found")
        .await;
    h.click_link("Back to the runners list").await;
    h.wait_for(Locator::Css("table.runners")).await;
    assert!(!h.sandbox.state.read().runners.contains_key(&99999));
}

#[tokio::test(flavor = "multi_thread")]
async fn pause_then_resume_runner_1_from_the_detail_page() {
    pause_then_resume_runner_1_from_the_detail_page_on(super::harness::gitlab_16_11()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn pause_then_resume_runner_1_from_the_detail_page_on_todays_gitlab() {
    pause_then_resume_runner_1_from_the_detail_page_on(Config::default()).await;
}

async fn pause_then_resume_runner_1_from_the_detail_page_on(config: Config) {
    let h = Harness::with_config(config).await;
    open_as(&h, ADMIN_TOKEN, "/runners/1").await;
    assert!(h.sandbox.state.read().runners[&1].active);

    h.click_button("Pause").await;
    h.wait_for_text("[role=status]", "Runner paused").await;
    assert!(!h.sandbox.state.read().runners[&1].active);
    // The page reloaded the runner: it now says paused and offers Resume.
    h.wait_for_text(".runner-fields", "Yes: takes no new jobs")
        .await;

    h.click_button("Resume").await;
    h.wait_for_text("[role=status]", "Runner resumed").await;
    assert!(h.sandbox.state.read().runners[&1].active);
    h.wait_for(Locator::XPath("//button[normalize-space(.)='Pause']"))
        .await;
    assert_eq!(field_text(&h, "Paused").await, "No");
}

#[tokio::test(flavor = "multi_thread")]
async fn pause_falls_back_to_active_on_gitlab_before_14_8() {
    let h = Harness::with_config(Config {
        legacy_pause: true,
        ..super::harness::gitlab_16_11()
    })
    .await;
    open_as(&h, ADMIN_TOKEN, "/runners/1").await;

    h.click_button("Pause").await;
    h.wait_for_text("[role=status]", "Runner paused").await;
    assert!(!h.sandbox.state.read().runners[&1].active);
    assert!(h.browser.find(Locator::Css("[role=alert]")).await.is_err());

    h.click_button("Resume").await;
    h.wait_for_text("[role=status]", "Runner resumed").await;
    assert!(h.sandbox.state.read().runners[&1].active);
}

#[tokio::test(flavor = "multi_thread")]
async fn edit_changes_description_tags_and_timeout() {
    edit_changes_description_tags_and_timeout_on(super::harness::gitlab_16_11()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn edit_changes_description_tags_and_timeout_on_todays_gitlab() {
    edit_changes_description_tags_and_timeout_on(Config::default()).await;
}

async fn edit_changes_description_tags_and_timeout_on(config: Config) {
    let h = Harness::with_config(config).await;
    open_as(&h, ADMIN_TOKEN, "/runners/3/edit").await;
    wait_for_edit_form(&h, 3).await;
    let before = h.sandbox.state.read().runners[&3].clone();
    assert_eq!(h.value_of("Tags").await, "ruby, postgres");

    h.fill("Description", "api-db renamed").await;
    h.fill("Tags", "ruby, postgres, ruby , docker,").await;
    h.wait_for_text("#runner-tags-help", "Saved as: ruby, postgres, docker")
        .await;
    h.fill("Maximum job timeout", "7200").await;
    h.click_button("Save changes").await;

    h.wait_for_url_ending("/runners/3").await;
    h.wait_for_text("h1", "Runner #3 (api-db renamed)").await;
    let after = h.sandbox.state.read().runners[&3].clone();
    assert_eq!(after.description.as_deref(), Some("api-db renamed"));
    assert_eq!(after.tag_list, ["ruby", "postgres", "docker"]);
    assert_eq!(after.maximum_timeout, Some(7200));
    // Untouched fields stay as they were.
    assert_eq!(after.locked, before.locked);
    assert_eq!(after.run_untagged, before.run_untagged);
    assert_eq!(after.ref_protected, before.ref_protected);
    assert_eq!(after.active, before.active);
    assert_eq!(
        field_text(&h, "Maximum job timeout").await,
        "2h 00m 00s (7200 seconds)"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_timeout_under_ten_minutes_is_refused_before_sending() {
    let h = Harness::start().await;
    open_as(&h, ADMIN_TOKEN, "/runners/3/edit").await;
    wait_for_edit_form(&h, 3).await;
    let before = h.sandbox.state.read().runners[&3].clone();

    h.fill("Description", "should not be saved").await;
    h.fill("Maximum job timeout", "300").await;
    h.click_button("Save changes").await;

    let message = h
        .wait_for_text(
            "#runner-maximum-timeout-error",
            "needs to be at least 10 minutes",
        )
        .await;
    assert_eq!(message, "needs to be at least 10 minutes");
    let input = "#runner-maximum-timeout";
    assert_eq!(
        attr(&h, input, "aria-invalid").await.as_deref(),
        Some("true")
    );
    let described = attr(&h, input, "aria-describedby").await.unwrap();
    assert!(
        described.contains("runner-maximum-timeout-error"),
        "{described}"
    );
    // Nothing was sent: GitLab's runner is as it was, and the form keeps the text.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let after = h.sandbox.state.read().runners[&3].clone();
    assert_eq!(after.description, before.description);
    assert_eq!(after.maximum_timeout, before.maximum_timeout);
    assert_eq!(after.updated_at, before.updated_at);
    assert!(h.current_url().await.ends_with("/runners/3/edit"));
    assert_eq!(h.value_of("Maximum job timeout").await, "300");
    assert_eq!(h.value_of("Description").await, "should not be saved");
}

/// GitLab validates the runner as saved: when another user removed the tags after
/// the form was loaded, turning off untagged jobs fails there, not in the form.
#[tokio::test(flavor = "multi_thread")]
async fn gitlabs_field_error_is_shown_next_to_tags_and_the_form_keeps_its_values() {
    let h = Harness::start().await;
    open_as(&h, ADMIN_TOKEN, "/runners/1/edit").await;
    wait_for_edit_form(&h, 1).await;
    assert!(h.sandbox.state.read().runners[&1].run_untagged);
    // Meanwhile, someone else removes the runner's tags (valid while it runs untagged jobs).
    h.sandbox
        .state
        .write()
        .runners
        .get_mut(&1)
        .unwrap()
        .tag_list
        .clear();
    let before = h.sandbox.state.read().runners[&1].clone();

    h.fill("Description", "typed before the failure").await;
    h.field("Run untagged jobs").await.click().await.unwrap();
    h.click_button("Save changes").await;
    // The change made meanwhile is named first; saving anyway reaches GitLab.
    h.wait_for_text(".conflict", "Changed on GitLab meanwhile: Tags")
        .await;
    h.click_button("Save mine anyway").await;

    let message = h
        .wait_for_text(
            "#runner-tags-error",
            "can not be empty when runner is not allowed to pick untagged jobs",
        )
        .await;
    assert!(!message.is_empty());
    assert_eq!(
        attr(&h, "#runner-tags", "aria-invalid").await.as_deref(),
        Some("true")
    );
    h.wait_for_text("[role=alert]", "GitLab did not save the changes")
        .await;
    // Every typed value is still there.
    assert_eq!(h.value_of("Description").await, "typed before the failure");
    let checked = h
        .field("Run untagged jobs")
        .await
        .prop("checked")
        .await
        .unwrap();
    assert_eq!(checked.as_deref(), Some("false"));
    let after = h.sandbox.state.read().runners[&1].clone();
    assert!(after.run_untagged);
    assert_eq!(after.description, before.description);
}

#[tokio::test(flavor = "multi_thread")]
async fn maintainer_editing_an_instance_runner_sees_gitlabs_refusal_and_keeps_the_text() {
    let h = Harness::start().await;
    open_as(&h, MAINTAINER_TOKEN, "/runners/1/edit").await;
    wait_for_edit_form(&h, 1).await;
    let before = h.sandbox.state.read().runners[&1].clone();

    h.fill("Description", "maria was here").await;
    h.fill("Tags", "docker, linux, extra").await;
    h.click_button("Save changes").await;

    let alert = h.wait_for_text("[role=alert]", "No access granted").await;
    assert!(alert.contains("403"), "{alert}");
    assert_eq!(h.value_of("Description").await, "maria was here");
    assert_eq!(h.value_of("Tags").await, "docker, linux, extra");
    let after = h.sandbox.state.read().runners[&1].clone();
    assert_eq!(after.description, before.description);
    assert_eq!(after.tag_list, before.tag_list);
}

#[tokio::test(flavor = "multi_thread")]
async fn delete_asks_naming_the_runner_then_returns_to_the_list() {
    delete_asks_naming_the_runner_then_returns_to_the_list_on(super::harness::gitlab_16_11()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn delete_asks_naming_the_runner_then_returns_to_the_list_on_todays_gitlab() {
    delete_asks_naming_the_runner_then_returns_to_the_list_on(Config::default()).await;
}

async fn delete_asks_naming_the_runner_then_returns_to_the_list_on(config: Config) {
    let h = Harness::with_config(config).await;
    open_as(&h, ADMIN_TOKEN, "/runners/5").await;
    let description = h.sandbox.state.read().runners[&5]
        .description
        .clone()
        .unwrap();
    h.wait_for_text("h1", "Runner #5").await;

    h.click_button("Delete").await;
    let title = h.wait_for_text("dialog[open] h2", "Delete runner #5").await;
    assert_eq!(title, format!("Delete runner #5 ({description})?"));
    h.click_button("Delete runner").await;

    h.wait_for(Locator::Css("table.runners")).await;
    h.wait_for_url_ending("/runners").await;
    assert!(!h.sandbox.state.read().runners.contains_key(&5));
}

#[tokio::test(flavor = "multi_thread")]
async fn cancelling_delete_keeps_the_runner() {
    let h = Harness::start().await;
    open_as(&h, ADMIN_TOKEN, "/runners/5").await;
    h.wait_for_text("h1", "Runner #5").await;
    h.click_button("Delete").await;
    h.wait_for_text("dialog[open] h2", "Delete runner #5").await;
    h.click_button("Cancel").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(h.browser.find(Locator::Css("dialog[open]")).await.is_err());
    assert!(h.sandbox.state.read().runners.contains_key(&5));
    assert!(h.current_url().await.ends_with("/runners/5"));
}

#[tokio::test(flavor = "multi_thread")]
async fn maintainer_cannot_delete_a_runner_of_two_projects() {
    let h = Harness::start().await;
    open_as(&h, MAINTAINER_TOKEN, "/runners/6").await;
    h.wait_for_text("h1", "Runner #6").await;
    assert_eq!(h.sandbox.state.read().runners[&6].projects, [2, 3]);

    h.click_button("Delete").await;
    h.wait_for_text("dialog[open] h2", "Delete runner #6").await;
    h.click_button("Delete runner").await;

    h.wait_for_text(
        "[role=alert]",
        "Runner associated with more than one project",
    )
    .await;
    assert!(h.sandbox.state.read().runners.contains_key(&6));
    assert!(h.current_url().await.ends_with("/runners/6"));
}

#[tokio::test(flavor = "multi_thread")]
async fn reset_authentication_token_shows_the_new_token_once() {
    reset_authentication_token_shows_the_new_token_once_on(super::harness::gitlab_16_11()).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn reset_authentication_token_shows_the_new_token_once_on_todays_gitlab() {
    reset_authentication_token_shows_the_new_token_once_on(Config::default()).await;
}

async fn reset_authentication_token_shows_the_new_token_once_on(config: Config) {
    let h = Harness::with_config(config).await;
    open_as(&h, ADMIN_TOKEN, "/runners/3").await;
    h.wait_for_text("h1", "Runner #3").await;
    let old = h.sandbox.state.read().runners[&3].token.clone();

    h.click_button("Reset authentication token").await;
    let dialog = h
        .wait_for_text("dialog[open]", "stops working at once")
        .await;
    assert!(
        dialog.contains("Reset the authentication token of runner #3 ("),
        "{dialog}"
    );
    h.click_button("Reset token").await;

    h.wait_for_text(".token-reveal", "shown only once").await;
    let shown = h
        .wait_for(Locator::Css("#new-token"))
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    let now = h.sandbox.state.read().runners[&3].token.clone();
    assert_eq!(shown, now);
    assert_ne!(now, old);
    assert!(!h.current_url().await.contains(&now));
    h.wait_for_text(".token-reveal", "does not expire").await;

    h.click_button("Done, hide the token").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(h.browser.find(Locator::Css("#new-token")).await.is_err());
    assert!(!h.body_text().await.contains(&now));
}

#[tokio::test(flavor = "multi_thread")]
async fn leaving_the_edit_form_with_unsaved_changes_asks_first() {
    let h = Harness::start().await;
    // Reached inside the app, so Back stays in the page (a history entry of ours).
    open_as(&h, ADMIN_TOKEN, "/runners/3").await;
    h.click_link("Edit").await;
    wait_for_edit_form(&h, 3).await;
    let before = h.sandbox.state.read().runners[&3].description.clone();

    h.fill("Description", "half typed").await;
    h.click_link("Runners").await;
    let question = wait_for_alert(&h).await;
    assert!(question.contains("unsaved changes"), "{question}");
    h.browser.dismiss_alert().await.unwrap();

    // Still here, with the text.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(h.current_url().await.ends_with("/runners/3/edit"));
    assert_eq!(h.value_of("Description").await, "half typed");

    // Back asks too; staying keeps the page, its address and the text.
    h.browser.back().await.unwrap();
    let question = wait_for_alert(&h).await;
    assert!(question.contains("unsaved changes"), "{question}");
    h.browser.dismiss_alert().await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(h.current_url().await.ends_with("/runners/3/edit"));
    assert_eq!(h.value_of("Description").await, "half typed");

    // So does a keyboard shortcut (`g r`, the runner list).
    h.js("document.activeElement.blur(); return null").await;
    h.press(&['g', 'r']).await;
    wait_for_alert(&h).await;
    h.browser.dismiss_alert().await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(h.current_url().await.ends_with("/runners/3/edit"));
    assert_eq!(h.value_of("Description").await, "half typed");

    // Cancel asks too; accepting leaves without saving.
    h.click_link("Cancel").await;
    wait_for_alert(&h).await;
    h.browser.accept_alert().await.unwrap();
    h.wait_for_url_ending("/runners/3").await;
    h.wait_for_text("h1", "Runner #3").await;
    assert_eq!(h.sandbox.state.read().runners[&3].description, before);
}

#[tokio::test(flavor = "multi_thread")]
async fn saving_nothing_says_so_and_sends_nothing() {
    let h = Harness::start().await;
    open_as(&h, ADMIN_TOKEN, "/runners/3/edit").await;
    wait_for_edit_form(&h, 3).await;
    let before = h.sandbox.state.read().runners[&3].updated_at;
    // Re-spelled tags are the same tags.
    h.fill("Tags", "ruby,postgres,").await;
    h.click_button("Save changes").await;
    h.wait_for_text("[role=status]", "Nothing changed").await;
    assert_eq!(h.sandbox.state.read().runners[&3].updated_at, before);
    // Not dirty: leaving does not ask.
    h.click_link("Cancel").await;
    h.wait_for_url_ending("/runners/3").await;
    assert!(h.browser.get_alert_text().await.is_err());
}

/// On GitLab before 14.8 a save with other fields answers 200 but ignores
/// `paused`; the form sees it in the answer and pauses with `active`.
#[tokio::test(flavor = "multi_thread")]
async fn edit_pauses_with_other_changes_on_gitlab_before_14_8() {
    let h = Harness::with_config(Config {
        legacy_pause: true,
        ..super::harness::gitlab_16_11()
    })
    .await;
    open_as(&h, ADMIN_TOKEN, "/runners/3/edit").await;
    wait_for_edit_form(&h, 3).await;
    assert!(h.sandbox.state.read().runners[&3].active);

    h.fill("Description", "paused on an old GitLab").await;
    h.field("Paused").await.click().await.unwrap();
    h.click_button("Save changes").await;

    h.wait_for_url_ending("/runners/3").await;
    h.wait_for_text("h1", "paused on an old GitLab").await;
    let after = h.sandbox.state.read().runners[&3].clone();
    assert_eq!(
        after.description.as_deref(),
        Some("paused on an old GitLab")
    );
    assert!(!after.active);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_runner_of_someone_elses_projects_says_you_lack_access() {
    let h = Harness::start().await;
    // Runner 9 belongs to data/warehouse and data/etl: not maria's.
    assert_eq!(h.sandbox.state.read().runners[&9].projects, [4, 5]);
    open_as(&h, MAINTAINER_TOKEN, "/runners/9").await;
    h.wait_for_text("h1", "No access to runner #9").await;
    h.wait_for_text("[role=alert]", "No access granted").await;
    assert!(h
        .browser
        .find(Locator::XPath("//button[normalize-space(.)='Delete']"))
        .await
        .is_err());

    h.open("/runners/9/edit").await;
    h.wait_for_text(".runner-edit", "You do not have access to this runner")
        .await;
    assert!(h
        .browser
        .find(Locator::Css("form.runner-form"))
        .await
        .is_err());
    assert!(h.sandbox.state.read().runners.contains_key(&9));
}
