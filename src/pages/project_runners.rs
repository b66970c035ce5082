//! `/project-runners?project=<id or path>`: a project's runners, enabling one of
//! the user's runners there and disabling one (GitLab refuses to disable a runner
//! in its only project: the page says so and points to deleting it instead).

use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use std::sync::Arc;

use crate::api::client::abort_on_cleanup;
use crate::api::{request, ApiError, Project, ProjectRef, ProjectsQuery, Runner, RunnerKind};
use crate::api::{PageQuery, RunnerFilter, RunnerSource, RunnerType};
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::error_notice::ErrorNotice;
use crate::components::loading::{Loading, Refreshing};
use crate::components::pager::{Pager, PagerInfo};
use crate::components::refusal::Refusal;
use crate::components::runner_table::{RowActions, RunnerTable};
use crate::links;
use crate::navigation::use_navigation;
use crate::project_runners_query::ProjectRunnersQuery;
use crate::refusals::{disable_refusal, enable_refusal, DisableRefusal};
use crate::session::use_session;

/// Maintainer: the role GitLab needs for a project's runner settings.
const MAINTAINER: u32 = 40;

#[component]
pub fn ProjectRunnersPage() -> impl IntoView {
    let session = use_session();
    let client = session.client.clone();
    let router = use_navigation();
    let query_map = leptos_router::hooks::use_query_map();
    let query = Memo::new(move |_| ProjectRunnersQuery::from_lookup(|k| query_map.read().get(k)));
    let project = Memo::new(move |_| query.read().project.clone());
    let go_project =
        move |p: ProjectRef| router.navigate(&ProjectRunnersQuery::for_project(p).path());

    let my_projects = LocalResource::new(move || {
        let client = client.clone();
        let req = request::list_projects(
            &ProjectsQuery {
                min_access_level: Some(MAINTAINER),
                order_by: Some("path".into()),
                sort: Some(request::SortOrder::Asc),
                ..Default::default()
            },
            PageQuery::new(1, 100),
        );
        async move { client.page::<Project>(&req, None).await.map(|p| p.items) }
    });

    let typed = RwSignal::new(
        project
            .get_untracked()
            .map(|p| p.to_string())
            .unwrap_or_default(),
    );
    // Back and Forward change the project: the text field follows.
    Effect::new(move || {
        if let Some(p) = project.get() {
            typed.set(p.to_string());
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if let Some(p) = ProjectRef::parse(&typed.get_untracked()) {
            go_project(p);
        }
    };
    let on_choose = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if let Some(p) = ProjectRef::parse(&value) {
            typed.set(p.to_string());
            go_project(p);
        }
    };
    let chosen_value = move || match project.get() {
        Some(ProjectRef::Id(id)) => id.to_string(),
        _ => String::new(),
    };
    let project_options = move || match my_projects.get() {
        None => Either::Left(view! { <option value="" disabled>"Loading your projects…"</option> }),
        Some(Ok(list)) => Either::Right(
            list.into_iter()
                .map(|p| view! { <option value=p.id.to_string()>{p.path_with_namespace}</option> })
                .collect_view(),
        ),
        Some(Err(_)) => Either::Left(
            view! { <option value="" disabled>"Your projects could not be loaded"</option> },
        ),
    };
    let projects_error = move || match my_projects.get() {
        Some(Err(e)) => Some(
            view! { <ErrorNotice error=e retry=Callback::new(move |_| my_projects.refetch()) /> },
        ),
        _ => None,
    };

    view! {
        <section class="project-runners-page" aria-labelledby="project-runners-title">
            <h1 id="project-runners-title">"Project runners"</h1>
            <form class="project-picker" on:submit=on_submit>
                <div class="field">
                    <label for="project-choice">"Your projects"</label>
                    <select id="project-choice" on:change=on_choose prop:value=chosen_value aria-describedby="project-choice-help">
                        <option value="">"Choose a project…"</option>
                        {project_options}
                    </select>
                    <p class="help" id="project-choice-help">"Projects where you are a maintainer."</p>
                </div>
                <div class="field">
                    <label for="project-typed">"Project ID or path"</label>
                    <input id="project-typed" type="text" autocomplete="off" spellcheck="false" placeholder="42 or group/project" bind:value=typed />
                </div>
                <button type="submit">"Show runners"</button>
            </form>
            {projects_error}
            {move || match project.get() {
                Some(p) => Either::Left(view! { <ProjectRunners project=p query=query /> }),
                None => Either::Right(view! {
                    <p class="empty">"Choose one of your projects, or type a project's ID or full path, to see its runners."</p>
                }),
            }}
        </section>
    }
}

/// What the last enable or disable did.
#[derive(Clone)]
enum Outcome {
    Done(String),
    Refused {
        words: String,
        error: ApiError,
        /// Set when GitLab suggests deleting this runner instead.
        delete_instead: Option<u64>,
    },
}

#[component]
fn ProjectRunners(project: ProjectRef, query: Memo<ProjectRunnersQuery>) -> impl IntoView {
    let session = use_session();
    let is_admin = session.is_admin();
    let client = session.client.clone();
    let router = use_navigation();
    let refresh = RwSignal::new(0u32);

    let info = LocalResource::new({
        let client = client.clone();
        let project = project.clone();
        move || {
            let client = client.clone();
            let req = request::get_project(&project);
            async move { client.json::<Project>(&req, None).await }
        }
    });
    let label = {
        let project = project.clone();
        Memo::new(move |_| match info.get() {
            Some(Ok(p)) if !p.path_with_namespace.is_empty() => p.path_with_namespace,
            _ => project.to_string(),
        })
    };

    let runners = LocalResource::new({
        let client = client.clone();
        let project = project.clone();
        move || {
            let signal = abort_on_cleanup();
            refresh.track();
            let q = query.get();
            let client = client.clone();
            let req = request::project_runners(&project, &RunnerFilter::default(), q.page_query());
            async move { client.page::<Runner>(&req, signal.as_ref()).await }
        }
    });
    let refreshing = RwSignal::new(false);

    // Project runners the user may enable here: theirs (or, for admins, any)
    // minus those already enabled. The first 100 of each are enough to choose from;
    // any other runner can be enabled by its id.
    let candidates = LocalResource::new({
        let client = client.clone();
        let project = project.clone();
        move || {
            refresh.track();
            let client = client.clone();
            let only_project_runners = RunnerFilter {
                runner_type: Some(RunnerType::ProjectType),
                ..Default::default()
            };
            let source = if is_admin {
                RunnerSource::All
            } else {
                RunnerSource::Owned
            };
            let mine =
                request::list_runners(&source, &only_project_runners, PageQuery::new(1, 100));
            let here =
                request::project_runners(&project, &only_project_runners, PageQuery::new(1, 100));
            async move {
                let here: Vec<Runner> = client.page::<Runner>(&here, None).await?.items;
                let mine: Vec<Runner> = client.page::<Runner>(&mine, None).await?.items;
                Ok::<_, ApiError>(
                    mine.into_iter()
                        .filter(|r| !here.iter().any(|h| h.id == r.id))
                        .collect::<Vec<_>>(),
                )
            }
        }
    });

    let outcome = RwSignal::new(None::<Outcome>);
    let toasts = crate::components::toasts::use_toasts();

    // Disable, after confirming.
    let target = RwSignal::new(None::<Runner>);
    let confirm_open = RwSignal::new(false);
    let disable = Action::new_local({
        let client = client.clone();
        let project = project.clone();
        move |runner_id: &u64| {
            let client = client.clone();
            let req = request::disable_project_runner(&project, *runner_id);
            async move { client.empty(&req, None).await }
        }
    });
    Effect::new(move || {
        let Some(result) = disable.value().get() else {
            return;
        };
        let Some(id) = target.get_untracked().map(|r| r.id) else {
            return;
        };
        let project = label.get_untracked();
        outcome.set(Some(match result {
            Ok(()) => {
                refresh.update(|n| *n += 1);
                toasts.success(format!("Runner #{id} disabled in {project}"));
                Outcome::Done(format!("Runner #{id} is disabled in {project}: it no longer takes this project's jobs."))
            }
            Err(error) => match disable_refusal(&error, id, &project) {
                DisableRefusal::OnlyProject(words) => Outcome::Refused { words, error, delete_instead: Some(id) },
                DisableRefusal::Other(words) => Outcome::Refused { words, error, delete_instead: None },
            },
        }));
    });

    // Enable, by choosing a runner or typing its id.
    let chosen = RwSignal::new(String::new());
    let typed_id = RwSignal::new(String::new());
    let id_problem = RwSignal::new(None::<String>);
    let last_enabled_id = RwSignal::new(0u64);
    let enable = Action::new_local({
        let client = client.clone();
        let project = project.clone();
        move |runner_id: &u64| {
            let client = client.clone();
            let req = request::enable_project_runner(&project, *runner_id);
            async move { client.json::<Runner>(&req, None).await }
        }
    });
    Effect::new(move || {
        let Some(result) = enable.value().get() else {
            return;
        };
        let project = label.get_untracked();
        outcome.set(Some(match result {
            Ok(runner) => {
                refresh.update(|n| *n += 1);
                chosen.set(String::new());
                typed_id.set(String::new());
                toasts.success(format!("Runner #{} enabled in {project}", runner.id));
                Outcome::Done(format!("Runner #{} is enabled in {project}.", runner.id))
            }
            Err(error) => {
                let id = last_enabled_id.get_untracked();
                Outcome::Refused {
                    words: enable_refusal(&error, id, &project),
                    error,
                    delete_instead: None,
                }
            }
        }));
    });
    let start_enable = move |id: u64| {
        last_enabled_id.set(id);
        outcome.set(None);
        enable.dispatch(id);
    };
    let on_enable_chosen = move |ev: SubmitEvent| {
        ev.prevent_default();
        match chosen.get_untracked().parse::<u64>() {
            Ok(id) => start_enable(id),
            Err(_) => id_problem.set(Some("Choose a runner first.".into())),
        }
    };
    let on_enable_typed = move |ev: SubmitEvent| {
        ev.prevent_default();
        match typed_id.get_untracked().trim().parse::<u64>() {
            Ok(id) if id > 0 => {
                id_problem.set(None);
                start_enable(id);
            }
            _ => id_problem.set(Some("Enter a runner's numeric ID.".into())),
        }
    };

    // A runner's type never changes, so its cell is built once.
    let actions: RowActions = Arc::new(move |r: Memo<Runner>| {
        let runner = r.get_untracked();
        let id = runner.id;
        match runner.runner_type {
            RunnerKind::ProjectType => view! {
                <button
                    type="button"
                    class="secondary"
                    aria-label=format!("Disable runner #{id} in this project")
                    on:click=move |_| {
                        target.set(Some(runner.clone()));
                        confirm_open.set(true);
                    }
                >
                    "Disable"
                </button>
            }
            .into_any(),
            RunnerKind::InstanceType => view! {
                <span class="muted">"Instance runner: serves every project; only an administrator can pause it."</span>
            }
            .into_any(),
            _ => view! { <span class="muted">"Managed in its group"</span> }.into_any(),
        }
    });

    let dialog_title = move || match target.get() {
        Some(r) => format!("Disable runner #{} in {}?", r.id, label.get()),
        None => "Disable runner".into(),
    };
    let confirm_label = move || match target.get() {
        Some(r) => format!("Disable runner #{}", r.id),
        None => "Disable".into(),
    };
    let on_confirm = Callback::new(move |_| {
        if let Some(r) = target.get_untracked() {
            outcome.set(None);
            disable.dispatch(r.id);
        }
    });

    let outcome_view = move || {
        outcome.get().map(|o| match o {
            Outcome::Done(text) => Either::Left(view! { <p class="success" role="status">{text}</p> }),
            Outcome::Refused { words, error, delete_instead } => Either::Right(view! {
                <Refusal words=words error=error>
                    {delete_instead.map(|id| view! {
                        <p>
                            <a href=links::href(&links::runner(id))>{format!("Open runner #{id} to delete it")}</a>
                        </p>
                    })}
                </Refusal>
            }),
        })
    };

    let candidate_options = move || match candidates.get() {
        None => Either::Left(view! { <option value="" disabled>"Loading runners…"</option> }),
        Some(Ok(list)) if list.is_empty() => Either::Left(view! {
            <option value="" disabled>"No other project runners you can enable"</option>
        }),
        Some(Ok(list)) => Either::Right(
            list.into_iter()
                .map(|r| {
                    let text = format!(
                        "#{} {}",
                        r.id,
                        r.description
                            .clone()
                            .filter(|d| !d.is_empty())
                            .unwrap_or_else(|| "(no description)".into())
                    );
                    view! { <option value=r.id.to_string()>{text}</option> }
                })
                .collect_view(),
        ),
        Some(Err(_)) => Either::Left(
            view! { <option value="" disabled>"The runner list could not be loaded"</option> },
        ),
    };
    let candidates_error = move || match candidates.get() {
        Some(Err(e)) => Some(
            view! { <ErrorNotice error=e retry=Callback::new(move |_| candidates.refetch()) /> },
        ),
        _ => None,
    };
    let enable_pending = enable.pending();
    let disable_pending = disable.pending();

    view! {
        <h2>{move || format!("Runners of {}", label.get())}</h2>
        <p class="help">
            "GitLab lists the project's own runners and the instance runners every project may use. Group runners of the project's group are not listed here."
        </p>
        <div aria-live="polite">
            <Show when=move || { disable_pending.get() }><Loading text="Disabling the runner…" /></Show>
            <Show when=move || { enable_pending.get() }><p class="loading" role="status">{move || format!("Enabling runner #{}…", last_enabled_id.get())}</p></Show>
        </div>
        {outcome_view}
        <Refreshing pending=refreshing />
        <Transition fallback=|| view! { <Loading text="Loading runners…" /> } set_pending=refreshing>
        {move || {
            let actions = actions.clone();
            Suspend::new(async move {
                            let page = match runners.await {
                                Ok(page) => page,
                                Err(error) => return view! { <ErrorNotice error=error retry=Callback::new(move |_| runners.refetch()) /> }.into_any(),
                            };
                            let q = query.get_untracked();
                            let info = PagerInfo::of(&page);
                            let empty = page.items.is_empty();
                            let href_q = q.clone();
                            let caption = format!("Runners of {}", label.get_untracked());
                            view! {
                                {empty.then(|| view! { <p class="empty" role="status">"No runners in this project yet: enable one below."</p> })}
                                <RunnerTable runners=page.items caption=caption actions=actions.clone() />
                                <Pager
                                    info=info
                                    noun="runners"
                                    href_for=move |p| links::href(&href_q.with_page(p).path())
                                    on_per_page=Callback::new(move |n| {
                                        router.navigate(&ProjectRunnersQuery { per_page: n, page: 1, ..q.clone() }.path())
                                    })
                                />
                            }.into_any()
        })}}
        </Transition>

        <section class="enable-runner" aria-labelledby="enable-title">
            <h2 id="enable-title">"Enable a runner in this project"</h2>
            <p class="help">
                {if is_admin {
                    "Any project runner can be enabled here. Group runners and instance runners cannot: they serve their projects already."
                } else {
                    "You can enable project runners of other projects you maintain, unless they are locked to their projects."
                }}
            </p>
            <div class="enable-forms">
                <form on:submit=on_enable_chosen>
                    <div class="field">
                        <label for="enable-choice">"Runner to enable"</label>
                        <select id="enable-choice" prop:value=move || chosen.get() on:change=move |ev| chosen.set(event_target_value(&ev))>
                            <option value="">"Choose a runner…"</option>
                            {candidate_options}
                        </select>
                    </div>
                    <button type="submit" disabled=move || enable_pending.get()>"Enable selected runner"</button>
                </form>
                <form on:submit=on_enable_typed>
                    <div class="field">
                        <label for="enable-id">"Runner ID"</label>
                        <input id="enable-id" type="number" min="1" step="1" inputmode="numeric" bind:value=typed_id />
                    </div>
                    <button type="submit" disabled=move || enable_pending.get()>"Enable by ID"</button>
                </form>
            </div>
            {move || id_problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
            {candidates_error}
        </section>

        <ConfirmDialog
            open=confirm_open
            title=Signal::derive(dialog_title)
            confirm_label=Signal::derive(confirm_label)
            on_confirm=on_confirm
            danger=true
        >
            <p>
                {move || target.get().map(|r| format!(
                    "Runner #{} ({}) will stop taking jobs from {}. It stays enabled in its other projects, and you can enable it here again later.",
                    r.id,
                    r.description.unwrap_or_default(),
                    label.get(),
                ))}
            </p>
        </ConfirmDialog>
    }
}
