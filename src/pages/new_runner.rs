//! `/runners/new`: create a runner the GitLab 15.11+ way (`POST /user/runners`).
//! An instance runner (admins), a group runner (group Owner) or a project runner
//! (Maintainer); its `glrt-` token is shown once with the `gitlab-runner register`
//! command. Older GitLab gets the registration-token form instead.

use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api::{request, ApiError, Client, Group, Project, RegisteredRunner, RunnerOwner};
use crate::components::choose_or_type::{group_choices, project_choices, ChooseOrType};
use crate::components::copy_block::CopyBlock;
use crate::components::loading::Loading;
use crate::components::refusal::Refusal;
use crate::components::relative_time::RelativeTime;
use crate::components::runner_settings::{RunnerSettingsFields, SettingsInputs};
use crate::components::token_reveal::TokenReveal;
use crate::gitlab_version::Feature;
use crate::links;
use crate::new_runner_form::{register_command, Kind, NewRunnerForm, Target};
use crate::register_form::{field_message, Field};
use crate::session::use_session;

/// Group Owner and project Maintainer: what GitLab asks to create their runners.
const OWNER: u32 = 50;
const MAINTAINER: u32 = 40;

#[component]
pub fn NewRunnerPage() -> impl IntoView {
    let session = use_session();
    let has_create = session.has(Feature::CreateRunner);
    view! {
        <section class="new-runner-page" aria-labelledby="new-runner-title">
            <h1 id="new-runner-title">"New runner"</h1>
            {if has_create {
                Either::Left(view! { <NewRunnerForm /> })
            } else {
                Either::Right(view! { <NeedsNewerGitLab /> })
            }}
        </section>
    }
}

/// What an older GitLab offers instead.
#[component]
fn NeedsNewerGitLab() -> impl IntoView {
    let version = use_session()
        .version
        .map(|v| v.to_string())
        .unwrap_or_default();
    view! {
        <p class="note">
            {format!(
                "Creating a runner here {} (this GitLab is {version}). On this GitLab, runners are registered with a registration token.",
                Feature::CreateRunner.needs()
            )}
        </p>
        <p><a href=links::href(links::REGISTER)>"Register a runner with a registration token"</a></p>
    }
}

/// The group or project id, looked up by path when a path was typed (GitLab
/// takes integer ids only).
async fn owner_of(client: &Client, target: &Target) -> Result<RunnerOwner, ApiError> {
    if let Some(owner) = target.known_owner() {
        return Ok(owner);
    }
    match target {
        Target::Group(group) => {
            let g: Group = client.json(&request::find_group(group), None).await?;
            Ok(RunnerOwner::Group(g.id))
        }
        Target::Project(project) => {
            let p: Project = client.json(&request::get_project(project), None).await?;
            Ok(RunnerOwner::Project(p.id))
        }
        Target::Instance => Ok(RunnerOwner::Instance),
    }
}

/// GitLab's refusal in plain words.
fn create_refusal(e: &ApiError, form: &NewRunnerForm) -> String {
    let what = match form.kind {
        Kind::Instance => "an instance runner",
        Kind::Group => "a runner of this group",
        Kind::Project => "a runner of this project",
    };
    if e.is_missing_route() {
        return format!("Creating a runner {}.", Feature::CreateRunner.needs());
    }
    match e.status() {
        Some(403) => format!(
            "You cannot create {what}: instance runners need an administrator, group runners the group's Owner role, project runners the Maintainer role."
        ),
        Some(404) => match form.kind {
            Kind::Group => format!("There is no group “{}”, or you cannot see it.", form.group.trim()),
            _ => format!("There is no project “{}”, or you cannot see it.", form.project.trim()),
        },
        Some(400) => format!("GitLab did not accept the runner: {}", e.user_message()),
        _ => e.user_message(),
    }
}

#[component]
fn NewRunnerForm() -> impl IntoView {
    let session = use_session();
    let is_admin = session.is_admin();
    let gitlab_url = session.gitlab_url.clone();
    let client = StoredValue::new(session.client.clone());

    let kind = RwSignal::new(Kind::default());
    let group = RwSignal::new(String::new());
    let project = RwSignal::new(String::new());
    let settings = SettingsInputs::default();
    let form = move || NewRunnerForm {
        kind: kind.get_untracked(),
        group: group.get_untracked(),
        project: project.get_untracked(),
        settings: settings.read(),
    };

    let problems = RwSignal::new(Vec::<(Field, String)>::new());
    // GitLab's refusal, with the words for the form it refused.
    let failure = RwSignal::new(None::<(String, ApiError)>);
    // The token lives only in `new_token` until dismissed.
    let new_token = RwSignal::new(None::<String>);
    let created = RwSignal::new(None::<(u64, Option<String>)>);

    let create = Action::new_local(move |form: &NewRunnerForm| {
        let (c, form) = (client.get_value(), form.clone());
        async move {
            let target = form.target().unwrap_or(Target::Instance);
            let answer = match owner_of(&c, &target).await {
                Ok(owner) => {
                    let req = request::create_user_runner(&form.to_request(owner));
                    c.json::<RegisteredRunner>(&req, None).await
                }
                Err(e) => Err(e),
            };
            answer.map_err(|e| (create_refusal(&e, &form), e))
        }
    });
    let pending = create.pending();
    let toasts = crate::components::toasts::use_toasts();
    Effect::new(move || match create.value().get() {
        Some(Ok(runner)) => {
            failure.set(None);
            toasts.success(format!("Runner #{} created", runner.id));
            created.set(Some((runner.id, runner.token_expires_at.clone())));
            new_token.set(Some(runner.token));
            // Keep the token in `new_token` only.
            create.clear();
        }
        Some(Err(refusal)) => failure.set(Some(refusal)),
        None => {}
    });

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let f = form();
        let found = f.problems();
        problems.set(found.clone());
        if found.is_empty() {
            failure.set(None);
            create.dispatch(f);
        }
    };
    let field_message = move |field: Field| {
        let refused = failure.read();
        field_message(&problems.read(), refused.as_ref().map(|(_, e)| e), field)
    };
    let owner_error = move || {
        field_message(Field::Owner)
            .map(|m| view! { <p class="field-error" id="new-owner-error" role="alert">{m}</p> })
    };

    let groups = group_choices(client, (!is_admin).then_some(OWNER));
    let projects = project_choices(client, MAINTAINER);

    let result = move || {
        created.get().map(|(id, expires)| {
            let gitlab_url = gitlab_url.clone();
            view! {
                <section class="create-result" aria-labelledby="create-result-title">
                    <h2 id="create-result-title">{format!("Runner #{id} is created")}</h2>
                    <p>
                        <a href=links::href(&links::runner(id))>{format!("Open runner #{id}")}</a>
                        {match expires.clone() {
                            Some(at) => view! { " · its token expires " <RelativeTime iso=Some(at) none="" /> }.into_any(),
                            None => view! { " · its token does not expire" }.into_any(),
                        }}
                    </p>
                    <TokenReveal token=new_token expires_at=expires heading=format!("Authentication token of runner #{id}") />
                    {move || new_token.get().map(|t| view! {
                        <CopyBlock
                            id="register-command"
                            title="Register the runner"
                            intro="Run this on the machine that runs the jobs (gitlab-runner 15.10 or newer):"
                            text=register_command(&gitlab_url, &t)
                            button="Copy register command"
                        />
                    })}
                </section>
            }
        })
    };

    view! {
        <p class="lead">
            "Creates a runner and gives it its own authentication token. Then run gitlab-runner register with that token on the machine that runs the jobs."
        </p>
        {result}
        <form class="new-runner-form" on:submit=submit novalidate>
            <div class="field">
                <label for="new-kind">"Runner type"</label>
                <select
                    id="new-kind"
                    aria-describedby="new-kind-help"
                    prop:value=move || kind.get().as_str()
                    on:change=move |ev| kind.set(Kind::parse(&event_target_value(&ev)).unwrap_or_default())
                >
                    {is_admin.then(|| view! { <option value="instance_type">"Instance: any project can use it"</option> })}
                    <option value="group_type">"Group: the projects of one group"</option>
                    <option value="project_type">"Project: one project (others can be enabled later)"</option>
                </select>
                <p class="help" id="new-kind-help">
                    {if is_admin {
                        "Group runners need the group's Owner role, project runners the Maintainer role."
                    } else {
                        "Instance runners are for administrators. Group runners need the group's Owner role, project runners the Maintainer role."
                    }}
                </p>
            </div>
            <Show when=move || kind.get() == Kind::Group>
                <ChooseOrType
                    id="new-group"
                    choose_label="Your groups"
                    choose_help="Groups you own."
                    what="groups you own"
                    type_label="Group ID or path"
                    value=group
                    choices=groups
                />
            </Show>
            <Show when=move || kind.get() == Kind::Project>
                <ChooseOrType
                    id="new-project"
                    choose_label="Your projects"
                    choose_help="Projects you maintain."
                    what="projects you maintain"
                    type_label="Project ID or path"
                    value=project
                    choices=projects
                />
            </Show>
            {owner_error}
            <RunnerSettingsFields prefix="new" inputs=settings message=Callback::new(field_message) />
            <button type="submit" aria-busy=move || pending.get().to_string() disabled=move || pending.get()>
                "Create runner"
            </button>
            <Show when=move || { pending.get() }><Loading text="Creating the runner…" /></Show>
            {move || (!problems.read().is_empty()).then(|| view! {
                <p class="error" role="alert">"Some fields need a change before GitLab would accept them (see above)."</p>
            })}
            {move || failure.get().map(|(words, e)| view! { <Refusal words=words error=e /> })}
        </form>
    }
}
