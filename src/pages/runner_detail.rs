//! `/runners/:id`: every field GitLab gives for one runner, and what can be
//! done to it (pause/resume, edit, delete, reset its authentication token).

use leptos::either::Either;
use leptos::prelude::*;

use crate::api::client::abort_on_cleanup;
use crate::api::model::display_name;
use crate::api::request::PageQuery;
use crate::api::{request, ApiError, RunnerDetails, RunnerManager, TokenResponse};
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::error_notice::ErrorNotice;
use crate::components::fields::disabled_while;
use crate::components::loading::{Loading, Refreshing};
use crate::components::pager::{Pager, PagerInfo};
use crate::components::relative_time::RelativeTime;
use crate::components::runner_facts::machines_of;
use crate::components::runner_table::job_text;
use crate::components::status_badge::StatusBadge;
use crate::components::toasts::use_toasts;
use crate::components::token_reveal::TokenReveal;
use crate::gitlab_version::Feature;
use crate::links;
use crate::list_query::{page_from, PAGE_SIZES};
use crate::navigation::use_navigation;
use crate::runner_form::access_level_text;
use crate::session::use_session;
use crate::time_text;

/// `id` is the route's `:id` when it is a number; another id mounts the page anew.
#[component]
pub fn RunnerDetailPage(id: Option<u64>) -> impl IntoView {
    match id {
        Some(id) => Either::Left(view! { <RunnerDetail id=id /> }),
        None => Either::Right(view! {
            <h1>"No such runner"</h1>
            <p>"This address does not name a runner. " <BackToList /></p>
        }),
    }
}

#[component]
fn BackToList() -> impl IntoView {
    view! { <a href=links::href(links::RUNNERS)>"Back to the runners list"</a> }
}

/// A project as the page lists it: from the details' `projects` (older GitLab)
/// or from `GET /runners/:id/projects`. Newer GitLab adds each `web_url`.
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize)]
struct ProjectRow {
    id: u64,
    #[serde(default, deserialize_with = "crate::api::model::null_default")]
    name_with_namespace: String,
    #[serde(default, deserialize_with = "crate::api::model::null_default")]
    path_with_namespace: String,
    #[serde(default)]
    web_url: Option<String>,
}

/// The details' `projects`, read with their `web_url`s.
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize)]
struct DetailsProjects {
    #[serde(default, deserialize_with = "crate::api::model::null_default")]
    projects: Vec<ProjectRow>,
}

#[component]
fn RunnerDetail(id: u64) -> impl IntoView {
    let session = use_session();
    let client = session.client.clone();
    // Where GitLab pages a runner's projects, the details leave them out: a
    // runner with thousands of projects would otherwise open slowly, or time out.
    let paged_projects = session.has(Feature::RunnerProjects);

    let runner = LocalResource::new({
        let client = client.clone();
        move || {
            let signal = abort_on_cleanup();
            let client = client.clone();
            async move {
                let req = if paged_projects {
                    request::get_runner_without_projects(id)
                } else {
                    request::get_runner(id)
                };
                let raw = client.send(&req, signal.as_ref()).await?;
                let details: RunnerDetails = raw.json()?;
                let projects = if paged_projects {
                    None
                } else {
                    Some(raw.json::<DetailsProjects>().unwrap_or_default().projects)
                };
                Ok::<_, ApiError>((details, projects))
            }
        }
    });

    // What the last successful action did, in words (a status region).
    let done = RwSignal::new(String::new());
    let toasts = use_toasts();

    let pause = Action::new_local({
        let client = client.clone();
        move |paused: &bool| {
            let (client, paused) = (client.clone(), *paused);
            async move {
                let saved = crate::runner_actions::set_paused(&client, id, paused).await?;
                toasts.success(format!(
                    "Runner #{id} {}",
                    if saved.is_paused() {
                        "paused"
                    } else {
                        "resumed"
                    }
                ));
                done.set(if saved.is_paused() {
                    "Runner paused: it takes no new jobs.".into()
                } else {
                    "Runner resumed: it takes jobs again.".into()
                });
                runner.refetch();
                Ok::<_, ApiError>(())
            }
        }
    });

    let router = use_navigation();
    let delete = Action::new_local({
        let client = client.clone();
        move |_: &()| {
            let client = client.clone();
            async move {
                client.empty(&request::delete_runner(id), None).await?;
                toasts.success(format!("Runner #{id} deleted"));
                router.navigate(links::RUNNERS);
                Ok::<_, ApiError>(())
            }
        }
    });

    let new_token = RwSignal::new(None::<String>);
    let new_token_expiry = RwSignal::new(None::<String>);
    let reset = Action::new_local({
        let client = client.clone();
        move |_: &()| {
            let client = client.clone();
            async move {
                let answer: TokenResponse = client
                    .json(&request::reset_runner_token_by_id(id), None)
                    .await?;
                new_token_expiry.set(answer.token_expires_at);
                new_token.set(Some(answer.token));
                done.set(String::new());
                toasts.success(format!("Authentication token of runner #{id} reset"));
                Ok::<_, ApiError>(())
            }
        }
    });

    let confirm_delete = RwSignal::new(false);
    let confirm_reset = RwSignal::new(false);
    // The newest runner GitLab sent, kept while a newer answer is on its way.
    let loaded = Memo::new(move |_| runner.get().and_then(Result::ok));

    view! {
        <section class="runner-detail" aria-labelledby="runner-title">
            {move || match runner.get() {
                None => Some(view! { <p class="loading" role="status">"Loading the runner…"</p> }.into_any()),
                Some(Err(error)) => Some(view! { <LoadFailed id=id error=error retry=Callback::new(move |_| runner.refetch()) /> }.into_any()),
                Some(Ok(_)) => None,
            }}
            // Built once the runner is there and kept while newer answers come: the
            // action buttons stay the same nodes (and keep focus) as the runner changes.
            <Show when=move || loaded.get().is_some()>
                {move || loaded.get().map(|(r, _)| view! { <RunnerHead runner=r /> })}
                <RunnerActions
                    name=loaded.get_untracked().map(|(r, _)| display_name(id, r.description.as_deref())).unwrap_or_default()
                    paused=Signal::derive(move || loaded.with(|l| l.as_ref().is_some_and(|(r, _)| r.is_paused())))
                    pause=pause
                    delete=delete
                    reset=reset
                    confirm_delete=confirm_delete
                    confirm_reset=confirm_reset
                />
                {move || loaded.get().map(|(r, projects)| view! { <RunnerFields runner=r projects=projects /> })}
            </Show>
            <p role="status" class="action-status">{move || done.get()}</p>
            {move || {
                let expires_at = new_token_expiry.get();
                view! {
                    <TokenReveal
                        token=new_token
                        expires_at=expires_at
                        heading=format!("New authentication token of runner #{id}")
                    />
                }
            }}
        </section>
    }
}

#[component]
fn LoadFailed(id: u64, error: ApiError, retry: Callback<()>) -> impl IntoView {
    let (title, words) = if error.is_not_found() {
        (
            format!("Runner #{id} is gone"),
            "GitLab has no runner with this id: it may have been deleted, or you cannot see it.",
        )
    } else if error.is_forbidden() {
        (
            format!("No access to runner #{id}"),
            "You do not have access to this runner. An administrator, or a maintainer of its \
             project or group, can open it.",
        )
    } else {
        (format!("Runner #{id}"), "The runner could not be loaded.")
    };
    let offer_retry = !(error.is_not_found() || error.is_forbidden());
    view! {
        <h1 id="runner-title">{title}</h1>
        <p>{words} " " <BackToList /></p>
        {if offer_retry {
            Either::Left(view! { <ErrorNotice error=error retry=retry /> })
        } else {
            Either::Right(view! { <ErrorNotice error=error /> })
        }}
    }
}

/// The last failure of an action, if its last run failed.
fn failure<I: 'static>(action: Action<I, Result<(), ApiError>>) -> impl IntoView {
    move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| view! { <ErrorNotice error=e /> })
    }
}

/// Only web links GitLab sent as http(s) become links.
fn is_web_url(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

fn yes_no(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "Yes",
        Some(false) => "No",
        None => "Unknown",
    }
}

/// A text field, or a muted word when GitLab sent nothing.
fn text_or(value: Option<String>, none: &'static str) -> impl IntoView {
    match value.filter(|v| !v.trim().is_empty()) {
        Some(v) => Either::Left(view! { <span>{v}</span> }),
        None => Either::Right(view! { <span class="muted">{none}</span> }),
    }
}

/// The title and the links of the runner's page.
#[component]
fn RunnerHead(runner: RunnerDetails) -> impl IntoView {
    let id = runner.id;
    let name = display_name(id, runner.description.as_deref());
    view! {
        <div class="page-head">
            <h1 id="runner-title">"Runner " {name}</h1>
            <nav class="runner-links" aria-label="This runner">
                <a href=links::href(&links::runner_edit(id))>"Edit"</a>
                <a href=links::href(&links::runner_jobs(id, ""))>"Jobs"</a>
                <a href=links::href(links::RUNNERS)>"All runners"</a>
            </nav>
        </div>
    }
}

/// Pause/Resume, token reset and delete, with their failures and confirmations.
#[component]
fn RunnerActions(
    name: String,
    #[prop(into)] paused: Signal<bool>,
    pause: Action<bool, Result<(), ApiError>>,
    delete: Action<(), Result<(), ApiError>>,
    reset: Action<(), Result<(), ApiError>>,
    confirm_delete: RwSignal<bool>,
    confirm_reset: RwSignal<bool>,
) -> impl IntoView {
    let pause_pending = pause.pending();
    let delete_pending = delete.pending();
    let reset_pending = reset.pending();

    view! {
        <div class="runner-actions" role="group" aria-label="Actions">
            <button
                type="button"
                use:disabled_while=Signal::derive(move || pause_pending.get())
                on:click=move |_| {
                    pause.dispatch(!paused.get_untracked());
                }
            >
                {move || if paused.get() { "Resume" } else { "Pause" }}
            </button>
            <button
                type="button"
                class="secondary"
                disabled=move || reset_pending.get()
                on:click=move |_| confirm_reset.set(true)
            >
                "Reset authentication token"
            </button>
            <button
                type="button"
                class="danger"
                disabled=move || delete_pending.get()
                on:click=move |_| confirm_delete.set(true)
            >
                "Delete"
            </button>
            <Show when=move || { pause_pending.get() || delete_pending.get() || reset_pending.get() }><span class="loading inline" role="status">"Working…"</span></Show>
        </div>
        {failure(pause)}
        {failure(delete)}
        {failure(reset)}
        <ConfirmDialog
            open=confirm_delete
            title=format!("Delete runner {name}?")
            confirm_label="Delete runner".to_string()
            on_confirm=Callback::new(move |_| {
                delete.dispatch(());
            })
            danger=true
        >
            <p>
                "GitLab removes the runner and its registration. Jobs waiting for it are not "
                "picked up, and the runner process can no longer connect. This cannot be undone."
            </p>
        </ConfirmDialog>
        <ConfirmDialog
            open=confirm_reset
            title=format!("Reset the authentication token of runner {name}?")
            confirm_label="Reset token".to_string()
            on_confirm=Callback::new(move |_| {
                reset.dispatch(());
            })
            danger=true
        >
            <p>
                "The current token stops working at once: the runner cannot take jobs until "
                "its configuration (config.toml) holds the new token, which is shown only once."
            </p>
        </ConfirmDialog>
    }
}

/// Everything GitLab says about the runner.
#[component]
/// `projects`: the details' own list, or `None` where GitLab pages them.
fn RunnerFields(runner: RunnerDetails, projects: Option<Vec<ProjectRow>>) -> impl IntoView {
    let r = runner;
    let id = r.id;
    let paused = r.is_paused();
    let timeout = r
        .maximum_timeout
        .map(|t| format!("{} ({t} seconds)", time_text::duration(t as f64)));
    let tags = r.tag_list.clone();
    let groups = r.groups.clone();

    view! {
        <dl class="runner-fields">
            <dt>"Status"</dt>
            <dd><StatusBadge status=r.status.clone() /></dd>
            <dt>"ID"</dt>
            <dd>{id}</dd>
            <dt>"Description"</dt>
            <dd>{text_or(r.description.clone(), "None")}</dd>
            <dt>"Type"</dt>
            <dd>{r.runner_type.label().to_string()} {r.is_shared.then_some(" (shared with every project)")}</dd>
            <dt>"Paused"</dt>
            <dd>{if paused { "Yes: takes no new jobs" } else { "No" }}</dd>
            <dt>"Tags"</dt>
            <dd>
                {if tags.is_empty() {
                    Either::Left(view! { <span class="muted">"None"</span> })
                } else {
                    Either::Right(view! {
                        <ul class="tags" aria-label="Tags">
                            {tags.into_iter().map(|t| view! { <li class="tag">{t}</li> }).collect_view()}
                        </ul>
                    })
                }}
            </dd>
            <dt>"Runs untagged jobs"</dt>
            <dd>{yes_no(r.run_untagged)}</dd>
            <dt>"Locked to current projects"</dt>
            <dd>{yes_no(r.locked)}</dd>
            <dt>"Protected"</dt>
            <dd>{access_level_text(r.access_level.as_deref())}</dd>
            <dt>"Maximum job timeout"</dt>
            <dd>{text_or(timeout, "None")}</dd>
            <dt>"Name"</dt>
            <dd>{text_or(r.name.clone(), "Unknown")}</dd>
            <dt>"Version"</dt>
            <dd>{text_or(r.version.clone(), "Unknown")}</dd>
            <dt>"Revision"</dt>
            <dd class="mono">{text_or(r.revision.clone(), "Unknown")}</dd>
            <dt>"Platform"</dt>
            <dd>{text_or(r.platform.clone(), "Unknown")}</dd>
            <dt>"Architecture"</dt>
            <dd>{text_or(r.architecture.clone(), "Unknown")}</dd>
            <dt>"IP address"</dt>
            <dd>{text_or(r.ip_address.clone(), "Unknown")}</dd>
            <dt>"Last contact"</dt>
            <dd><RelativeTime iso=r.contacted_at.clone() none="Never" /></dd>
            <dt>"Created"</dt>
            <dd><RelativeTime iso=r.created_at.clone() none="Unknown" /></dd>
            <dt>"Maintenance note"</dt>
            <dd class="note">{text_or(r.note().map(str::to_string), "None")}</dd>
            <dt>"Projects"</dt>
            <dd>
                {match projects {
                    Some(list) => Either::Left(view! { <ProjectList projects=list /> }),
                    None => Either::Right(view! { <PagedProjects id=id /> }),
                }}
            </dd>
            <dt>"Groups"</dt>
            <dd>
                {if groups.is_empty() {
                    Either::Left(view! { <span class="muted">"None you can see"</span> })
                } else {
                    Either::Right(view! {
                        <ul class="runner-groups">
                            {groups.into_iter().map(|g| {
                                let name = g.name.clone();
                                match g.web_url.clone().filter(|u| is_web_url(u)) {
                                    Some(url) => Either::Left(view! {
                                        <li>
                                            <a href=url target="_blank" rel="noopener noreferrer">
                                                {name} " (opens in GitLab)"
                                            </a>
                                        </li>
                                    }),
                                    None => Either::Right(view! { <li>{name}</li> }),
                                }
                            }).collect_view()}
                        </ul>
                    })
                }}
            </dd>
        </dl>
        <Machines id=id />
    }
}

/// The projects GitLab sent, each linked to its runners page (and to GitLab).
#[component]
fn ProjectList(projects: Vec<ProjectRow>) -> impl IntoView {
    if projects.is_empty() {
        return Either::Left(view! { <span class="muted">"None you can see"</span> });
    }
    Either::Right(view! {
        <ul class="runner-projects">
            {projects.into_iter().map(|p| {
                let label = if p.name_with_namespace.is_empty() {
                    p.path_with_namespace.clone()
                } else {
                    p.name_with_namespace.clone()
                };
                let path = if p.path_with_namespace.is_empty() {
                    p.id.to_string()
                } else {
                    p.path_with_namespace.clone()
                };
                let open_label = format!("Open {label} in GitLab");
                let web = p.web_url.clone().filter(|u| is_web_url(u)).map(|url| view! {
                    " · "
                    <a href=url target="_blank" rel="noopener noreferrer" aria-label=open_label>
                        "Open in GitLab"
                    </a>
                });
                view! {
                    <li>
                        <a href=links::href(&links::project_runners(&path))>{label}</a>
                        " " <span class="muted mono">{path.clone()}</span>
                        {web}
                    </li>
                }
            }).collect_view()}
        </ul>
    })
}

fn projects_page_query(page: PageQuery) -> String {
    let mut pairs = vec![];
    if page.page > 1 {
        pairs.push(("projects_page", page.page.to_string()));
    }
    if page.per_page != PAGE_SIZES[0] {
        pairs.push(("projects_per_page", page.per_page.to_string()));
    }
    if pairs.is_empty() {
        return String::new();
    }
    format!(
        "?{}",
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    )
}

/// The runner's projects a page at a time (`GET /runners/:id/projects`, GitLab 18.4+).
#[component]
fn PagedProjects(id: u64) -> impl IntoView {
    let client = use_session().client;
    let router = use_navigation();
    let query_map = leptos_router::hooks::use_query_map();
    // In the URL (`projects_page`, `projects_per_page`), so Back and shared links keep it.
    let wanted = Memo::new(move |_| {
        page_from(
            |k| query_map.read().get(k),
            "projects_page",
            "projects_per_page",
        )
    });
    let projects = LocalResource::new(move || {
        let page = wanted.get();
        let client = client.clone();
        let signal = abort_on_cleanup();
        async move {
            client
                .page::<ProjectRow>(&request::runner_projects(id, page), signal.as_ref())
                .await
        }
    });
    let refreshing = RwSignal::new(false);
    view! {
        <Refreshing pending=refreshing />
        <Transition fallback=|| view! { <Loading text="Loading the projects…" /> } set_pending=refreshing>
            {move || Suspend::new(async move {
                let page = match projects.await {
                    Ok(page) => page,
                    Err(error) => return view! {
                        <ErrorNotice error=error retry=Callback::new(move |_| projects.refetch()) />
                    }.into_any(),
                };
                let info = PagerInfo::of(&page);
                let per_page = page.per_page;
                view! {
                    <ProjectList projects=page.items />
                    <Pager
                        info=info
                        noun="projects"
                        href_for=move |p| links::href(&format!(
                            "{}{}", links::runner(id), projects_page_query(PageQuery::new(p, per_page))
                        ))
                        on_per_page=Callback::new(move |n| router.navigate(&format!(
                            "{}{}", links::runner(id), projects_page_query(PageQuery::new(1, n))
                        )))
                    />
                }.into_any()
            })}
        </Transition>
    }
}

/// The machines behind the runner (`GET /runners/:id/managers`, GitLab 17.1+).
/// Where the server lacks the route, that is said, and nothing is requested.
#[component]
fn Machines(id: u64) -> impl IntoView {
    let session = use_session();
    let body = if session.has(Feature::RunnerManagers) {
        Either::Left(view! { <MachineList id=id /> })
    } else {
        Either::Right(view! { <MachinesNeed /> })
    };
    view! {
        <section class="machines-section" aria-labelledby="machines-title">
            <h2 id="machines-title">"Machines"</h2>
            {body}
        </section>
    }
}

#[component]
fn MachinesNeed() -> impl IntoView {
    view! {
        <p class="note">
            "The list of the machines behind a runner " {Feature::RunnerManagers.needs()} "."
        </p>
    }
}

#[component]
fn MachineList(id: u64) -> impl IntoView {
    let session = use_session();
    let client = session.client.clone();
    let by_machine = session.has(Feature::JobsByMachine);
    let machines = machines_of(client, id);
    move || match machines.get() {
        None => view! { <p class="loading" role="status">"Loading the machines…"</p> }.into_any(),
        // A GitLab whose version could not be read, behind a proxy: its 404 for
        // an unknown route means the same as a known old version.
        Some(Err(e)) if e.is_missing_route() => view! { <MachinesNeed /> }.into_any(),
        Some(Err(e)) => {
            view! { <ErrorNotice error=e retry=Callback::new(move |_| machines.refetch()) /> }
                .into_any()
        }
        Some(Ok(list)) if list.is_empty() => view! {
            <p class="muted">"No machine has connected with this runner's token yet."</p>
        }
        .into_any(),
        Some(Ok(list)) => {
            view! { <MachineTable id=id machines=list by_machine=by_machine /> }.into_any()
        }
    }
}

#[component]
fn MachineTable(id: u64, machines: Vec<RunnerManager>, by_machine: bool) -> impl IntoView {
    let with_execution = machines.iter().any(|m| m.job_execution_status.is_some());
    let count = machines.len();
    let rows = machines
        .into_iter()
        .map(|m| {
            let system_id = m.system_id.clone().unwrap_or_default();
            let jobs = (by_machine && !system_id.is_empty()).then(|| {
                let q = serde_urlencoded::to_string([("system_id", system_id.as_str())])
                    .unwrap_or_default();
                view! {
                    <a href=links::href(&links::runner_jobs(id, &format!("?{q}")))
                        aria-label=format!("Jobs of machine {system_id}")>"Jobs"</a>
                }
            });
            let execution = with_execution.then(|| {
                view! {
                    <td>{job_text(m.job_execution_status.as_deref())}</td>
                }
            });
            view! {
                <tr>
                    <td class="mono">{system_id.clone()}</td>
                    <td><StatusBadge status=m.status.clone() /></td>
                    {execution}
                    <td>{text_or(m.version.clone(), "Unknown")}</td>
                    <td class="mono">{text_or(m.revision.clone(), "Unknown")}</td>
                    <td>{text_or(m.platform.clone(), "Unknown")}</td>
                    <td>{text_or(m.architecture.clone(), "Unknown")}</td>
                    <td class="mono">{text_or(m.ip_address.clone(), "Unknown")}</td>
                    <td><RelativeTime iso=m.contacted_at.clone() none="Never" /></td>
                    <td>{jobs}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="machines">
                <caption>{format!("{count} machine(s) use this runner's token")}</caption>
                <thead>
                    <tr>
                        <th scope="col">"System ID"</th>
                        <th scope="col">"Status"</th>
                        {with_execution.then(|| view! { <th scope="col">"Job"</th> })}
                        <th scope="col">"Version"</th>
                        <th scope="col">"Revision"</th>
                        <th scope="col">"Platform"</th>
                        <th scope="col">"Architecture"</th>
                        <th scope="col">"IP address"</th>
                        <th scope="col">"Last contact"</th>
                        <th scope="col"><span class="visually-hidden">"Jobs"</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
