//! The runner list: sources, filters in the URL, and row actions.

use gitlab_sandbox::model::{Runner, RunnerType};
use gitlab_sandbox::{ADMIN_TOKEN, MAINTAINER_TOKEN, READONLY_TOKEN, REPORTER_TOKEN};

use super::harness::Harness;

fn ids_where(h: &Harness, keep: impl Fn(&Runner) -> bool) -> Vec<u64> {
    h.sandbox
        .state
        .read()
        .runners
        .values()
        .filter(|r| keep(r))
        .map(|r| r.id)
        .take(20)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn filters_narrow_the_list_live_in_the_url_and_back_restores() {
    let h = Harness::start().await;
    h.sign_in(ADMIN_TOKEN).await;

    h.select("Type", "group_type").await;
    h.wait_for_ids(&ids_where(&h, |r| r.runner_type == RunnerType::Group))
        .await;
    assert!(h.current_url().await.contains("type=group_type"));

    h.select("Paused", "true").await;
    h.wait_for_ids(&ids_where(&h, |r| {
        r.runner_type == RunnerType::Group && !r.active
    }))
    .await;

    h.select("Type", "").await;
    h.select("Paused", "").await;
    h.fill("Tags (all of)", "docker, linux").await;
    h.click_button("Apply").await;
    let tagged = ids_where(&h, |r| {
        r.tag_list.contains(&"docker".to_string()) && r.tag_list.contains(&"linux".to_string())
    });
    assert!(
        tagged.contains(&1) && tagged.contains(&2),
        "fixed runners 1 and 2 have both tags"
    );
    h.wait_for_ids(&tagged).await;
    assert!(h.current_url().await.contains("tags=docker%2Clinux"));

    // Deprecated scope for older GitLab: `specific` = group and project runners.
    h.click_button("Clear filters").await;
    h.select("Scope (older GitLab)", "specific").await;
    h.wait_for_ids(&ids_where(&h, |r| r.runner_type != RunnerType::Instance))
        .await;

    h.browser.back().await.unwrap();
    h.wait_for_ids(&ids_where(&h, |_| true)).await;
    h.browser.back().await.unwrap();
    h.wait_for_ids(&tagged).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn group_and_project_sources_include_instance_runners() {
    let h = Harness::start().await;
    h.sign_in(MAINTAINER_TOKEN).await;

    h.select("Show", "group").await;
    h.select("Group", "1").await;
    h.wait_for_text("h1", "Runners of group 1").await;
    h.wait_for_ids(&ids_where(&h, |r| {
        r.runner_type == RunnerType::Instance || r.group_id == Some(1)
    }))
    .await;

    h.select("Show", "project").await;
    h.fill("or project ID or path", "platform/api").await;
    h.click_button("Show project").await;
    h.wait_for_text("h1", "Runners of project platform/api")
        .await;
    let expected = ids_where(&h, |r| {
        r.runner_type == RunnerType::Instance || r.projects.contains(&1)
    });
    assert!(expected.contains(&3) && expected.contains(&12));
    h.wait_for_ids(&expected).await;
    assert!(h.current_url().await.contains("project=platform%2Fapi"));
}

#[tokio::test(flavor = "multi_thread")]
async fn pause_resume_and_delete_from_a_row() {
    let h = Harness::start().await;
    h.sign_in(ADMIN_TOKEN).await;

    let name = {
        let world = h.sandbox.state.read();
        format!("#1 ({})", world.runners[&1].description.clone().unwrap())
    };
    h.click_named(&format!("Pause runner {name}")).await;
    h.wait_for_text("[role=status]", &format!("Runner {name} paused."))
        .await;
    assert!(!h.sandbox.state.read().runners[&1].active);
    h.wait_for_text("tr[data-runner-id='1']", "Paused").await;

    h.click_named(&format!("Resume runner {name}")).await;
    h.wait_for_text("[role=status]", &format!("Runner {name} resumed."))
        .await;
    assert!(h.sandbox.state.read().runners[&1].active);

    // Delete asks first, naming the runner; cancelling keeps it.
    let seven = {
        let world = h.sandbox.state.read();
        format!("#7 ({})", world.runners[&7].description.clone().unwrap())
    };
    h.click_named(&format!("Delete runner {seven}")).await;
    h.wait_for_text("dialog[open] h2", &format!("Delete runner {seven}?"))
        .await;
    h.click_button("Cancel").await;
    assert!(h.sandbox.state.read().runners.contains_key(&7));

    h.click_named(&format!("Delete runner {seven}")).await;
    h.click_named("Delete runner #7").await;
    h.wait_for_text("[role=status]", &format!("Runner {seven} deleted."))
        .await;
    assert!(!h.sandbox.state.read().runners.contains_key(&7));
    h.wait_for_ids(&ids_where(&h, |_| true)).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_role_or_scope_is_said_plainly() {
    let h = Harness::start().await;
    // A reporter asking for every runner of the instance.
    h.sign_in(REPORTER_TOKEN).await;
    h.open("/runners?source=all").await;
    let alert = h.wait_for_text("[role=alert]", "403 Forbidden").await;
    assert!(alert.contains("permission"), "{alert}");

    // A read_api token can list but not pause.
    let h = Harness::start().await;
    h.sign_in(READONLY_TOKEN).await;
    let name = {
        let world = h.sandbox.state.read();
        format!("#1 ({})", world.runners[&1].description.clone().unwrap())
    };
    h.click_named(&format!("Pause runner {name}")).await;
    let alert = h.wait_for_text("[role=alert]", "api").await;
    assert!(alert.contains("scope"), "{alert}");
    assert!(h.sandbox.state.read().runners[&1].active, "nothing changed");
}
