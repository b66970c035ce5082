//! `/runners/:id`: every field GitLab gives for one runner, and what can be
//! done to it (pause/resume, edit, delete, reset its authentication token).

use crate::json::Value;
use crate::prelude::*;

use crate::api::json::{Fields, FromJson};
use crate::api::model::display_name;
use crate::api::{request, ApiError, RunnerDetails, TokenResponse};
use crate::components::confirm_dialog::confirm_dialog;
use crate::components::error_notice::error_notice;
use crate::components::load::load;
use crate::components::relative_time::relative_time;
use crate::components::status_badge::status_badge;
use crate::components::toasts::use_toasts;
use crate::components::token_reveal::token_reveal;
use crate::dom::{button, el, El, FOCUS_KEY};
use crate::links;
use crate::router::use_router;
use crate::runner_form::access_level_text;
use crate::session::use_session;
use crate::task::Task;
use crate::time_text;

/// `id` is the route's `:id` when it is a number; another id mounts the page anew.
pub fn runner_detail_page(id: Option<u64>) -> El {
    match id {
        Some(id) => runner_detail(id),
        // One element to host: a plain div around the heading and its words.
        None => el("div").child(el("h1").text("No such runner")).child(
            el("p")
                .text("This address does not name a runner. ")
                .child(back_to_list()),
        ),
    }
}

fn back_to_list() -> El {
    el("a")
        .attr("href", &links::href(links::RUNNERS))
        .text("Back to the runners list")
}

/// The `web_url` of each project in a details answer, when GitLab sends it.
#[derive(Clone, Debug, Default)]
struct ProjectWebUrls {
    projects: Vec<ProjectWebUrl>,
}

#[derive(Clone, Debug, Default)]
struct ProjectWebUrl {
    id: u64,
    web_url: Option<String>,
}

impl FromJson for ProjectWebUrls {
    fn from_json(v: &Value) -> Result<Self, String> {
        let f = Fields::of(v)?;
        let projects = f.list("projects");
        f.done(ProjectWebUrls { projects })
    }
}

impl FromJson for ProjectWebUrl {
    fn from_json(v: &Value) -> Result<Self, String> {
        let f = Fields::of(v)?;
        f.done(ProjectWebUrl {
            id: f.id("id"),
            web_url: f.opt_string("web_url"),
        })
    }
}

impl ProjectWebUrls {
    fn of(&self, id: u64) -> Option<String> {
        self.projects
            .iter()
            .find(|p| p.id == id)
            .and_then(|p| p.web_url.clone())
            .filter(|u| links::is_web_url(u))
    }
}

fn runner_detail(id: u64) -> El {
    let session = use_session();
    let client = session.client.clone();

    let runner = load({
        let client = client.clone();
        move |signal| {
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

    let pause = Task::new({
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

    let router = use_router();
    let delete = Task::new({
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
    let reset = Task::new({
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

    let actions = RunnerActions {
        pause,
        delete,
        reset,
        confirm_delete,
        confirm_reset,
    };

    el("section")
        .class("runner-detail")
        .attr("aria-labelledby", "runner-title")
        // Several siblings per state (heading, actions, fields…), so a region of nodes.
        .dyn_nodes(runner.shown_or(
            "Loading the runner…",
            move |(r, web_urls)| runner_view(r, web_urls, actions),
            move |error| load_failed(id, &error, runner.retry()),
        ))
        .child(
            el("p")
                .attr("role", "status")
                .class("action-status")
                .text_dyn(move || done.get()),
        )
        .dyn_child(move || {
            Some(token_reveal(
                new_token,
                new_token_expiry.get(),
                format!("New authentication token of runner #{id}"),
            ))
        })
}

/// What can be done to the runner, and the confirmations asked first.
#[derive(Clone, Copy)]
struct RunnerActions {
    pause: Task<bool, Result<(), ApiError>>,
    delete: Task<(), Result<(), ApiError>>,
    reset: Task<(), Result<(), ApiError>>,
    confirm_delete: RwSignal<bool>,
    confirm_reset: RwSignal<bool>,
}

fn load_failed(id: u64, error: &ApiError, retry: Callback<()>) -> Vec<El> {
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
    vec![
        el("h1").id("runner-title").text(&title),
        el("p").text(words).text(" ").child(back_to_list()),
        error_notice(error, offer_retry.then_some(retry)),
    ]
}

/// The last failure of an action, if its last run failed.
fn failure<I: 'static>(action: Task<I, Result<(), ApiError>>) -> impl Fn() -> Option<El> {
    move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| error_notice(&e, None))
    }
}

fn yes_no(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "Yes",
        Some(false) => "No",
        None => "Unknown",
    }
}

/// A text field, or a muted word when GitLab sent nothing.
fn text_or(value: Option<String>, none: &'static str) -> El {
    match value.filter(|v| !v.trim().is_empty()) {
        Some(v) => el("span").text(&v),
        None => el("span").class("muted").text(none),
    }
}

fn runner_view(r: RunnerDetails, web_urls: ProjectWebUrls, actions: RunnerActions) -> Vec<El> {
    let RunnerActions {
        pause,
        delete,
        reset,
        confirm_delete,
        confirm_reset,
    } = actions;
    let id = r.id;
    let name = display_name(id, r.description.as_deref());
    let paused = r.is_paused();
    let timeout = r
        .maximum_timeout
        .map(|t| format!("{} ({t} seconds)", time_text::duration(t as f64)));

    let pause_label = if paused { "Resume" } else { "Pause" };
    let pause_pending = pause.pending();
    let delete_pending = delete.pending();
    let reset_pending = reset.pending();

    let head = el("div")
        .class("page-head")
        .child(el("h1").id("runner-title").text("Runner ").text(&name))
        .child(
            el("nav")
                .class("runner-links")
                .attr("aria-label", "This runner")
                .child(
                    el("a")
                        .attr("href", &links::href(&links::runner_edit(id)))
                        .text("Edit"),
                )
                .child(
                    el("a")
                        .attr("href", &links::href(&links::runner_jobs(id, "")))
                        .text("Jobs"),
                )
                .child(
                    el("a")
                        .attr("href", &links::href(links::RUNNERS))
                        .text("All runners"),
                ),
        );

    let buttons = el("div")
        .class("runner-actions")
        .attr("role", "group")
        .attr("aria-label", "Actions")
        .child(
            // The runner is loaded again after pausing: focus stays on this button.
            button()
                .attr(FOCUS_KEY, "pause")
                .disabled_while(move || pause_pending.get())
                .on("click", move |_| pause.dispatch(!paused))
                .text(pause_label),
        )
        .child(
            button()
                .class("secondary")
                .attr(FOCUS_KEY, "reset")
                .disabled_while(move || reset_pending.get())
                .on("click", move |_| confirm_reset.set(true))
                .text("Reset authentication token"),
        )
        .child(
            button()
                .class("danger")
                .disabled_while(move || delete_pending.get())
                .on("click", move |_| confirm_delete.set(true))
                .text("Delete"),
        )
        .show(
            move || pause_pending.get() || delete_pending.get() || reset_pending.get(),
            || {
                el("span")
                    .class("loading inline")
                    .attr("role", "status")
                    .text("Working…")
            },
        );

    // A region needs a parent element: one plain div holds the three failures.
    let failures = el("div")
        .dyn_child(failure(pause))
        .dyn_child(failure(delete))
        .dyn_child(failure(reset));

    let delete_title = format!("Delete runner {name}?");
    let delete_dialog = confirm_dialog(
        confirm_delete,
        move || delete_title.clone(),
        || "Delete runner".to_string(),
        move || delete.dispatch(()),
        true,
        el("p").text(
            "GitLab removes the runner and its registration. Jobs waiting for it are not \
             picked up, and the runner process can no longer connect. This cannot be undone.",
        ),
    );
    let reset_title = format!("Reset the authentication token of runner {name}?");
    let reset_dialog = confirm_dialog(
        confirm_reset,
        move || reset_title.clone(),
        || "Reset token".to_string(),
        move || reset.dispatch(()),
        true,
        el("p").text(
            "The current token stops working at once: the runner cannot take jobs until \
             its configuration (config.toml) holds the new token, which is shown only once.",
        ),
    );

    let kind = el("dd").text(r.runner_type.label());
    let kind = if r.is_shared {
        kind.text(" (shared with every project)")
    } else {
        kind
    };
    let tags = if r.tag_list.is_empty() {
        el("span").class("muted").text("None")
    } else {
        el("ul")
            .class("tags")
            .attr("aria-label", "Tags")
            .children(r.tag_list.iter().map(|t| el("li").class("tag").text(t)))
    };
    let projects = if r.projects.is_empty() {
        el("span").class("muted").text("None you can see")
    } else {
        el("ul")
            .class("runner-projects")
            .children(r.projects.iter().map(|p| {
                let label = if p.name_with_namespace.is_empty() {
                    &p.path_with_namespace
                } else {
                    &p.name_with_namespace
                };
                let path = if p.path_with_namespace.is_empty() {
                    p.id.to_string()
                } else {
                    p.path_with_namespace.clone()
                };
                let item = el("li")
                    .child(
                        el("a")
                            .attr("href", &links::href(&links::project_runners(&path)))
                            .text(label),
                    )
                    .text(" ")
                    .child(el("span").class("muted mono").text(&path));
                match web_urls.of(p.id) {
                    Some(url) => item.text(" · ").child(
                        el("a")
                            .attr("href", &url)
                            .attr("target", "_blank")
                            .attr("rel", "noopener noreferrer")
                            .attr("aria-label", &format!("Open {label} in GitLab"))
                            .text("Open in GitLab"),
                    ),
                    None => item,
                }
            }))
    };
    let groups = if r.groups.is_empty() {
        el("span").class("muted").text("None you can see")
    } else {
        el("ul")
            .class("runner-groups")
            .children(r.groups.iter().map(|g| {
                match g.web_url.as_deref().filter(|u| links::is_web_url(u)) {
                    Some(url) => el("li").child(
                        el("a")
                            .attr("href", url)
                            .attr("target", "_blank")
                            .attr("rel", "noopener noreferrer")
                            .text(&g.name)
                            .text(" (opens in GitLab)"),
                    ),
                    None => el("li").text(&g.name),
                }
            }))
    };

    let dd = |content: El| el("dd").child(content);
    let fields = [
        ("Status", dd(status_badge(&r.status))),
        ("ID", el("dd").text(&id.to_string())),
        ("Description", dd(text_or(r.description.clone(), "None"))),
        ("Type", kind),
        (
            "Paused",
            el("dd").text(if paused {
                "Yes: takes no new jobs"
            } else {
                "No"
            }),
        ),
        ("Tags", dd(tags)),
        ("Runs untagged jobs", el("dd").text(yes_no(r.run_untagged))),
        (
            "Locked to current projects",
            el("dd").text(yes_no(r.locked)),
        ),
        (
            "Protected",
            el("dd").text(&access_level_text(r.access_level.as_deref())),
        ),
        ("Maximum job timeout", dd(text_or(timeout, "None"))),
        ("Name", dd(text_or(r.name.clone(), "Unknown"))),
        ("Version", dd(text_or(r.version.clone(), "Unknown"))),
        (
            "Revision",
            dd(text_or(r.revision.clone(), "Unknown")).class("mono"),
        ),
        ("Platform", dd(text_or(r.platform.clone(), "Unknown"))),
        (
            "Architecture",
            dd(text_or(r.architecture.clone(), "Unknown")),
        ),
        ("IP address", dd(text_or(r.ip_address.clone(), "Unknown"))),
        (
            "Last contact",
            dd(relative_time(r.contacted_at.clone(), "Never")),
        ),
        (
            "Created",
            dd(relative_time(r.created_at.clone(), "Unknown")),
        ),
        (
            "Maintenance note",
            dd(text_or(r.note().map(str::to_string), "None")).class("note"),
        ),
        ("Projects", dd(projects)),
        ("Groups", dd(groups)),
    ];
    let fields = el("dl").class("runner-fields").children(
        fields
            .into_iter()
            .flat_map(|(term, value)| [el("dt").text(term), value]),
    );

    vec![
        head,
        buttons,
        failures,
        delete_dialog,
        reset_dialog,
        fields,
        machines(id),
    ]
}

/// The machines behind the runner (`GET /runners/:id/managers`, GitLab 15.11+).
/// Older GitLab has no such endpoint: that is said, not shown as an error.
fn machines(id: u64) -> El {
    let client = use_session().client;
    let machines = load(move |_| {
        let client = client.clone();
        async move {
            client
                .json::<Vec<crate::api::RunnerManager>>(&request::runner_managers(id), None)
                .await
        }
    });
    el("section")
        .class("machines-section")
        .attr("aria-labelledby", "machines-title")
        .child(el("h2").id("machines-title").text("Machines"))
        .dyn_nodes(machines.shown_or(
            "Loading the machines…",
            machines_table,
            move |e| {
                if e.is_not_found() {
                    el("p").class("muted").text(
                        "This GitLab does not list the machines behind a runner (GitLab 15.10 and older).",
                    )
                } else {
                    error_notice(&e, Some(machines.retry()))
                }
            },
        ))
}

fn machines_table(list: Vec<crate::api::RunnerManager>) -> El {
    if list.is_empty() {
        return el("p")
            .class("muted")
            .text("No machine has connected with this runner's token yet.");
    }
    let head = [
        "System ID",
        "Status",
        "Version",
        "Platform",
        "IP address",
        "Last contact",
    ]
    .map(|h| el("th").attr("scope", "col").text(h));
    let rows = list.iter().map(|m| {
        let platform = [m.platform.clone(), m.architecture.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" / ");
        el("tr")
            .child(
                el("td")
                    .class("mono")
                    .text(m.system_id.as_deref().unwrap_or_default()),
            )
            .child(el("td").child(status_badge(&m.status)))
            .child(el("td").text(m.version.as_deref().unwrap_or_default()))
            .child(el("td").text(&platform))
            .child(
                el("td")
                    .class("mono")
                    .text(m.ip_address.as_deref().unwrap_or_default()),
            )
            .child(el("td").child(relative_time(m.contacted_at.clone(), "Never")))
    });
    el("div").class("table-wrap").child(
        el("table")
            .class("machines")
            .child(el("caption").text(&format!(
                "{} machine(s) use this runner's token",
                list.len()
            )))
            .child(el("thead").child(el("tr").children(head)))
            .child(el("tbody").children(rows)),
    )
}
