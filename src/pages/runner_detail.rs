//! `/runners/:id`: every field GitLab gives for one runner, and what can be
//! done to it (pause/resume, edit, delete, reset its authentication token).

use leptos::either::Either;
use leptos::prelude::*;

use crate::api::client::abort_on_cleanup;
use crate::api::model::display_name;
use crate::api::{request, ApiError, RunnerDetails, TokenResponse};
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::error_notice::ErrorNotice;
use crate::components::fields::disabled_while;
use crate::components::relative_time::RelativeTime;
use crate::components::status_badge::StatusBadge;
use crate::components::toasts::use_toasts;
use crate::components::token_reveal::TokenReveal;
use crate::links;
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

/// The `web_url` of each project in a details answer, when GitLab sends it.
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize)]
struct ProjectWebUrls {
    #[serde(default)]
    projects: Vec<ProjectWebUrl>,
}

#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize)]
struct ProjectWebUrl {
    id: u64,
    #[serde(default)]
    web_url: Option<String>,
}

impl ProjectWebUrls {
    fn of(&self, id: u64) -> Option<String> {
        self.projects
            .iter()
            .find(|p| p.id == id)
            .and_then(|p| p.web_url.clone())
            .filter(|u| is_web_url(u))
    }
}

#[component]
fn RunnerDetail(id: u64) -> impl IntoView {
    let session = use_session();
    let client = session.client.clone();

    let runner = LocalResource::new({
        let client = client.clone();
        move || {
            let signal = abort_on_cleanup();
            let client = client.clone();
            async move {
                let raw = client
                    .send(&request::get_runner(id), signal.as_ref())
                    .await?;
                let details: RunnerDetails = raw.json()?;
                // Newer GitLab adds each project's web_url; older ones don't.
                let links = raw.json::<ProjectWebUrls>().unwrap_or_default();
                Ok::<_, ApiError>((details, links))
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
                {move || loaded.get().map(|(r, web_urls)| view! { <RunnerFields runner=r web_urls=web_urls /> })}
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
fn RunnerFields(runner: RunnerDetails, web_urls: ProjectWebUrls) -> impl IntoView {
    let r = runner;
    let id = r.id;
    let paused = r.is_paused();
    let timeout = r
        .maximum_timeout
        .map(|t| format!("{} ({t} seconds)", time_text::duration(t as f64)));
    let tags = r.tag_list.clone();
    let projects = r.projects.clone();
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
                {if projects.is_empty() {
                    Either::Left(view! { <span class="muted">"None you can see"</span> })
                } else {
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
                                let web = web_urls.of(p.id).map(|url| view! {
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

/// The machines behind the runner (`GET /runners/:id/managers`, GitLab 15.11+).
/// Older GitLab has no such endpoint: that is said, not shown as an error.
#[component]
fn Machines(id: u64) -> impl IntoView {
    let client = use_session().client;
    let machines = LocalResource::new(move || {
        let client = client.clone();
        async move {
            client
                .json::<Vec<crate::api::RunnerManager>>(&request::runner_managers(id), None)
                .await
        }
    });
    let body = move || {
        match machines.get() {
        None => view! { <p class="loading" role="status">"Loading the machines…"</p> }.into_any(),
        Some(Err(e)) if e.is_not_found() => view! {
            <p class="muted">"This GitLab does not list the machines behind a runner (GitLab 15.10 and older)."</p>
        }
        .into_any(),
        Some(Err(e)) => view! { <ErrorNotice error=e retry=Callback::new(move |_| machines.refetch()) /> }.into_any(),
        Some(Ok(list)) if list.is_empty() => view! {
            <p class="muted">"No machine has connected with this runner's token yet."</p>
        }
        .into_any(),
        Some(Ok(list)) => view! {
            <div class="table-wrap">
                <table class="machines">
                    <caption>{format!("{} machine(s) use this runner's token", list.len())}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"System ID"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Version"</th>
                            <th scope="col">"Platform"</th>
                            <th scope="col">"IP address"</th>
                            <th scope="col">"Last contact"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {list
                            .into_iter()
                            .map(|m| {
                                let platform = [m.platform.clone(), m.architecture.clone()]
                                    .into_iter()
                                    .flatten()
                                    .collect::<Vec<_>>()
                                    .join(" / ");
                                view! {
                                    <tr>
                                        <td class="mono">{m.system_id.clone().unwrap_or_default()}</td>
                                        <td><StatusBadge status=m.status.clone() /></td>
                                        <td>{m.version.clone().unwrap_or_default()}</td>
                                        <td>{platform}</td>
                                        <td class="mono">{m.ip_address.clone().unwrap_or_default()}</td>
                                        <td><RelativeTime iso=m.contacted_at.clone() none="Never" /></td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any(),
    }
    };
    view! {
        <section class="machines-section" aria-labelledby="machines-title">
            <h2 id="machines-title">"Machines"</h2>
            {body}
        </section>
    }
}
