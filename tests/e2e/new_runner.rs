//! Creating runners the GitLab 15.11+ way (`/runners/new`, `POST /user/runners`),
//! and what the console says on a GitLab that lacks it or has registration tokens off.

use gitlab_sandbox::model::RunnerType;
use gitlab_sandbox::{Config, GitLabVersion, ADMIN_TOKEN, MAINTAINER_TOKEN};

use super::harness::Harness;

fn at_version(major: u32, minor: u32) -> Config {
    Config {
        gitlab_version: GitLabVersion::new(major, minor),
        ..Config::default()
    }
}

/// The full path of a project the maintainer maintains (through group 1).
fn maintained_project(h: &Harness) -> (u64, String) {
    let w = h.sandbox.state.read();
    let p = w
        .projects
        .iter()
        .find(|p| p.group_id == 1)
        .expect("group 1 has projects");
    (p.id, w.project_full_path(p))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_maintainer_creates_a_project_runner_and_copies_its_token_and_register_command() {
    let h = Harness::with_config(Config::default()).await;
    h.sign_in(MAINTAINER_TOKEN).await;
    h.grant_clipboard().await;
    let (project_id, project_path) = maintained_project(&h);
    h.click_link("New runner").await;
    h.wait_for_text("h1", "New runner").await;
    // Maintainers are not offered instance runners.
    let kinds = h
        .js("return [...document.querySelectorAll('#new-kind option')].map(o => o.value).join(',')")
        .await;
    assert_eq!(kinds, "group_type,project_type");
    h.select("Runner type", "project_type").await;
    h.fill("Project ID or path", &project_path).await;
    h.fill("Description", "e2e-created").await;
    h.fill("Tags", "docker, e2e").await;
    h.fill("Maintenance note", "rack 7").await;
    h.click_button("Create runner").await;

    let heading = h.wait_for_text("h2", "is created").await;
    let shown = h.value_of("New token").await;
    assert!(shown.starts_with("glrt-"), "{shown}");
    let id: u64 = heading
        .trim_start_matches("Runner #")
        .trim_end_matches(" is created")
        .parse()
        .expect("runner id in the heading");
    {
        let w = h.sandbox.state.read();
        let r = &w.runners[&id];
        assert_eq!(r.token, shown);
        assert_eq!(r.runner_type, RunnerType::Project);
        assert_eq!(r.projects, [project_id]);
        assert_eq!(r.description.as_deref(), Some("e2e-created"));
        assert_eq!(r.tag_list, ["docker", "e2e"]);
        assert_eq!(r.maintenance_note.as_deref(), Some("rack 7"));
    }
    let command = format!(
        "gitlab-runner register --url {} --token {shown}",
        h.sandbox.url
    );
    h.wait_for_text(".register-command pre", &command).await;
    h.click_button("Copy register command").await;
    h.wait_for_text(".register-command .copy-status", "Copied to the clipboard.")
        .await;
    assert_eq!(h.clipboard_text().await, command);
    h.click_button("Copy token").await;
    h.wait_for_text(".token-reveal .copy-status", "Copied to the clipboard.")
        .await;
    assert_eq!(h.clipboard_text().await, shown);

    // The new runner is in the list, and its page opens from the result.
    h.click_link(&format!("Open runner #{id}")).await;
    h.wait_for_text("h1", "e2e-created").await;
    h.open("/runners?tags=e2e").await;
    h.wait_for_ids(&[id]).await;
    h.wait_for_text("table.runners tbody tr", "Never").await;

    // The machine runs `gitlab-runner register` with the copied command, then asks
    // for jobs, as `gitlab-runner run` does: the runner and its machine are in the list.
    let system_id = "s_e2e0c0ffee01";
    runner_process_connects(&h, &shown, system_id, "18.11.0").await;
    h.open("/runners?tags=e2e").await;
    h.wait_for_ids(&[id]).await;
    let row = h.wait_for_text("table.runners tbody tr", "18.11.0").await;
    assert!(row.to_lowercase().contains("online"), "{row}");
    assert!(!row.contains("Never"), "{row}");
    let machines = h
        .js(&format!(
            "const t = document.querySelector('table.runners'); \
             const i = [...t.querySelectorAll('thead th')].findIndex(h => h.textContent.trim() == 'Machines'); \
             return t.querySelector('tr[data-runner-id=\"{id}\"]').children[i].textContent.trim();"
        ))
        .await;
    assert_eq!(machines, "1");
    h.open(&format!("/runners/{id}")).await;
    let machine = h.wait_for_text("table.machines tbody tr", system_id).await;
    assert!(
        machine.contains("18.11.0") && machine.contains("linux"),
        "{machine}"
    );
}

/// What `gitlab-runner register --token …` and then `gitlab-runner run` send
/// first: `POST /runners/verify`, and `POST /jobs/request` with the machine's info.
async fn runner_process_connects(h: &Harness, token: &str, system_id: &str, version: &str) {
    let done = h
        .browser
        .execute_async(
            "const [token, systemId, version, done] = arguments; \
             const form = (pairs) => new URLSearchParams(pairs); \
             fetch('/api/v4/runners/verify', {method: 'POST', body: form({token, system_id: systemId})}) \
               .then(r => fetch('/api/v4/jobs/request', {method: 'POST', body: form({token, system_id: systemId, \
                 'info[name]': 'gitlab-runner', 'info[version]': version, 'info[revision]': 'e2e0c0ff', \
                 'info[platform]': 'linux', 'info[architecture]': 'amd64'})})) \
               .then(r => done(r.status), e => done(String(e)));",
            vec![token.into(), system_id.into(), version.into()],
        )
        .await
        .expect("the runner's requests");
    assert_eq!(done, serde_json::json!(204));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_creates_an_instance_runner_and_a_group_runner_by_path() {
    let h = Harness::with_config(Config::default()).await;
    h.sign_in(ADMIN_TOKEN).await;
    h.open("/runners/new").await;
    h.select("Runner type", "instance_type").await;
    h.fill("Description", "e2e-instance").await;
    h.click_button("Create runner").await;
    let heading = h.wait_for_text("h2", "is created").await;
    let id: u64 = heading
        .trim_start_matches("Runner #")
        .trim_end_matches(" is created")
        .parse()
        .unwrap();
    assert_eq!(
        h.sandbox.state.read().runners[&id].runner_type,
        RunnerType::Instance
    );
    h.click_button("Done, hide the token").await;

    let (group_id, group_path) = {
        let w = h.sandbox.state.read();
        (w.groups[1].id, w.groups[1].path.clone())
    };
    h.select("Runner type", "group_type").await;
    h.fill("Group ID or path", &group_path).await;
    h.fill("Description", "e2e-group").await;
    h.click_button("Create runner").await;
    h.wait_for_text("h2", &format!("Runner #{} is created", id + 1))
        .await;
    let w = h.sandbox.state.read();
    let r = &w.runners[&(id + 1)];
    assert_eq!(r.runner_type, RunnerType::Group);
    assert_eq!(r.group_id, Some(group_id));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_group_runner_is_said_in_plain_words_and_the_form_keeps_its_input() {
    let h = Harness::with_config(Config::default()).await;
    // The maintainer is a Maintainer (not an Owner) of group 1.
    h.sign_in(MAINTAINER_TOKEN).await;
    let before = h.sandbox.state.read().runners.len();
    h.open("/runners/new").await;
    h.select("Runner type", "group_type").await;
    h.fill("Group ID or path", "1").await;
    h.fill("Description", "kept after refusal").await;
    h.click_button("Create runner").await;
    let alert = h
        .wait_for_text("[role=alert]", "You cannot create a runner of this group")
        .await;
    assert!(alert.contains("Insufficient permissions"), "{alert}");
    assert_eq!(h.value_of("Description").await, "kept after refusal");
    assert_eq!(h.value_of("Group ID or path").await, "1");
    assert_eq!(h.sandbox.state.read().runners.len(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_instance_runner_gitlab_refuses_is_said_in_plain_words_and_the_form_keeps_its_input() {
    let h = Harness::with_config(Config::default()).await;
    h.sign_in(ADMIN_TOKEN).await;
    h.open("/runners/new").await;
    h.wait_for_text("h1", "New runner").await;
    // No longer an administrator since signing in: the page still offers
    // instance runners, and GitLab refuses, as it refuses every non-admin.
    h.sandbox
        .state
        .write()
        .users
        .iter_mut()
        .find(|u| u.token == ADMIN_TOKEN)
        .expect("the admin")
        .is_admin = false;
    let before = h.sandbox.state.read().runners.len();
    h.select("Runner type", "instance_type").await;
    h.fill("Description", "needs an administrator").await;
    h.click_button("Create runner").await;
    let alert = h
        .wait_for_text("[role=alert]", "You cannot create an instance runner")
        .await;
    assert!(
        alert.contains("instance runners need an administrator"),
        "{alert}"
    );
    assert!(alert.contains("Insufficient permissions"), "{alert}");
    assert_eq!(h.value_of("Description").await, "needs an administrator");
    assert_eq!(h.sandbox.state.read().runners.len(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn with_registration_tokens_off_the_register_page_points_to_new_runner() {
    // GitLab 17.0 and newer: registration tokens are off unless turned on.
    let h = Harness::with_config(at_version(17, 5)).await;
    h.sign_in(MAINTAINER_TOKEN).await;
    let registration_token = h.sandbox.state.read().instance_registration_token.clone();
    h.open("/register").await;
    h.fill("Registration token", &registration_token).await;
    h.fill("Description", "never registered").await;
    h.click_button("Register runner").await;
    let alert = h
        .wait_for_text("[role=alert]", "registration tokens turned off")
        .await;
    assert!(alert.contains("runner registration disallowed"), "{alert}");
    assert_eq!(h.value_of("Description").await, "never registered");
    h.click_link("Create a runner on the New runner page").await;
    h.wait_for_text("h1", "New runner").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn on_gitlab_15_the_console_registers_with_a_token_and_says_creating_needs_15_11() {
    let h = Harness::with_config(at_version(15, 4)).await;
    h.sign_in(MAINTAINER_TOKEN).await;
    h.click_link("New runner").await;
    h.wait_for_text(".note", "needs GitLab 15.11 or newer (this GitLab is 15.4)")
        .await;
    assert!(
        h.browser
            .find(fantoccini::Locator::Id("new-kind"))
            .await
            .is_err(),
        "no form that GitLab 15.4 cannot answer"
    );
    h.click_link("Register a runner with a registration token")
        .await;
    let (registration_token, id) = {
        let w = h.sandbox.state.read();
        (w.instance_registration_token.clone(), w.next_runner_id)
    };
    h.fill("Registration token", &registration_token).await;
    h.fill("Description", "old-way").await;
    h.click_button("Register runner").await;
    h.wait_for_text("h2", &format!("Runner #{id} is registered"))
        .await;
    let token = h.value_of("New token").await;
    assert!(!token.is_empty());
    assert_eq!(h.sandbox.state.read().runners[&id].token, token);
}
