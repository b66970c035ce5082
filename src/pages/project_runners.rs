//! `/project-runners?project=<id or path>`: a project's runners, enabling one of
//! the user's runners there and disabling one (GitLab refuses to disable a runner
//! in its only project: the page says so and points to deleting it instead).

use crate::prelude::*;
use std::rc::Rc;
use wasm_bindgen::JsValue;

use crate::api::{request, ApiError, Page, Project, ProjectRef, ProjectsQuery, Runner, RunnerKind};
use crate::api::{PageQuery, RunnerFilter, RunnerSource, RunnerType};
use crate::components::busy_line::busy_line;
use crate::components::confirm_dialog::confirm_dialog;
use crate::components::error_notice::error_notice;
use crate::components::load::load;
use crate::components::pager::{pager, PagerInfo};
use crate::components::refusal::refusal;
use crate::components::runner_table::{runner_table, RowActions};
use crate::dom::{button, el, label_for, option, value_of, El};
use crate::links;
use crate::project_runners_query::ProjectRunnersQuery;
use crate::refusals::{disable_refusal, enable_refusal, DisableRefusal};
use crate::router::{use_router, Router};
use crate::session::use_session;
use crate::task::Task;

/// Maintainer: the role GitLab needs for a project's runner settings.
const MAINTAINER: u32 = 40;

/// A select's option that only says why there is nothing to choose.
fn placeholder(text: &str) -> El {
    el("option")
        .attr("value", "")
        .attr("disabled", "")
        .text(text)
}

pub fn project_runners_page() -> El {
    let session = use_session();
    let client = session.client.clone();
    let router = use_router();
    let query_map = router.query();
    let query =
        Memo::new(move |_| query_map.with(|m| ProjectRunnersQuery::from_lookup(|k| m.get(k))));
    let project = Memo::new(move |_| query.with(|q| q.project.clone()));
    let go_project =
        move |p: ProjectRef| router.navigate(&ProjectRunnersQuery::for_project(p).path());

    let my_projects = load(move |_| {
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
    crate::dom::effect_after(move || {
        if let Some(p) = project.get() {
            typed.set(p.to_string());
        }
    });
    let on_submit = move |ev: web_sys::Event| {
        ev.prevent_default();
        if let Some(p) = ProjectRef::parse(&typed.get_untracked()) {
            go_project(p);
        }
    };
    let on_choose = move |ev: web_sys::Event| {
        let value = value_of(&ev);
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
        None => vec![placeholder("Loading your projects…")],
        Some(Ok(list)) => list
            .iter()
            .map(|p| option(&p.id.to_string(), &p.path_with_namespace))
            .collect(),
        Some(Err(_)) => vec![placeholder("Your projects could not be loaded")],
    };
    let projects_error = move || match my_projects.get() {
        Some(Err(e)) => Some(error_notice(&e, Some(my_projects.retry()))),
        _ => None,
    };

    el("section")
        .class("project-runners-page")
        .attr("aria-labelledby", "project-runners-title")
        .child(el("h1").id("project-runners-title").text("Project runners"))
        .child(
            el("form")
                .class("project-picker")
                .on("submit", on_submit)
                .child(
                    el("div")
                        .class("field")
                        .child(label_for("project-choice", "Your projects"))
                        .child(
                            el("select")
                                .id("project-choice")
                                .on("change", on_choose)
                                .attr("aria-describedby", "project-choice-help")
                                .child(option("", "Choose a project…"))
                                .dyn_nodes(project_options)
                                // Again once the options arrive.
                                .prop_dyn("value", move || {
                                    my_projects.track_answer();
                                    JsValue::from_str(&chosen_value())
                                }),
                        )
                        .child(
                            el("p")
                                .class("help")
                                .id("project-choice-help")
                                .text("Projects where you are a maintainer."),
                        ),
                )
                .child(
                    el("div")
                        .class("field")
                        .child(label_for("project-typed", "Project ID or path"))
                        .child(
                            el("input")
                                .id("project-typed")
                                .attr("type", "text")
                                .attr("autocomplete", "off")
                                .attr("spellcheck", "false")
                                .attr("placeholder", "42 or group/project")
                                .bind_value(typed),
                        ),
                )
                .child(el("button").attr("type", "submit").text("Show runners")),
        )
        .dyn_child(projects_error)
        .dyn_child(move || {
            Some(match project.get() {
                Some(p) => project_runners(p, query),
                None => el("p").class("empty").text(
                    "Choose one of your projects, or type a project's ID or full path, to see its runners.",
                ),
            })
        })
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

/// One project's runners, in a plain `div` so the region above holds one element.
fn project_runners(project: ProjectRef, query: Memo<ProjectRunnersQuery>) -> El {
    let session = use_session();
    let is_admin = session.is_admin();
    let client = session.client.clone();
    let router = use_router();
    let refresh = RwSignal::new(0u32);

    let info = load({
        let client = client.clone();
        let project = project.clone();
        move |_| {
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

    let runners = load({
        let client = client.clone();
        let project = project.clone();
        move |signal| {
            refresh.track();
            let q = query.get();
            let client = client.clone();
            let req = request::project_runners(&project, &RunnerFilter::default(), q.page_query());
            async move { client.page::<Runner>(&req, signal.as_ref()).await }
        }
    });

    // Project runners the user may enable here: theirs (or, for admins, any)
    // minus those already enabled. The first 100 of each are enough to choose from;
    // any other runner can be enabled by its id.
    let candidates = load({
        let client = client.clone();
        let project = project.clone();
        move |_| {
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
    let disable = Task::new({
        let client = client.clone();
        let project = project.clone();
        move |runner_id: &u64| {
            let client = client.clone();
            let req = request::disable_project_runner(&project, *runner_id);
            async move { client.empty(&req, None).await }
        }
    });
    crate::dom::effect_after(move || {
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
    // A reloaded list may lack the runner chosen before: then nothing is chosen,
    // as the select shows, and "Enable" cannot act on a runner out of sight.
    crate::dom::effect_after(move || {
        if let Some(Ok(list)) = candidates.get() {
            let id = chosen.get_untracked();
            if !id.is_empty() && !list.iter().any(|r| r.id.to_string() == id) {
                chosen.set(String::new());
            }
        }
    });
    let typed_id = RwSignal::new(String::new());
    let id_problem = RwSignal::new(None::<String>);
    let last_enabled_id = RwSignal::new(0u64);
    let enable = Task::new({
        let client = client.clone();
        let project = project.clone();
        move |runner_id: &u64| {
            let client = client.clone();
            let req = request::enable_project_runner(&project, *runner_id);
            async move { client.json::<Runner>(&req, None).await }
        }
    });
    crate::dom::effect_after(move || {
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
    let on_enable_chosen = move |ev: web_sys::Event| {
        ev.prevent_default();
        match chosen.get_untracked().parse::<u64>() {
            Ok(id) => start_enable(id),
            Err(_) => id_problem.set(Some("Choose a runner first.".into())),
        }
    };
    let on_enable_typed = move |ev: web_sys::Event| {
        ev.prevent_default();
        match typed_id.get_untracked().trim().parse::<u64>() {
            Ok(id) if id > 0 => {
                id_problem.set(None);
                start_enable(id);
            }
            _ => id_problem.set(Some("Enter a runner's numeric ID.".into())),
        }
    };

    let actions: RowActions = Rc::new(move |r: &Runner| {
        let runner = r.clone();
        let id = r.id;
        match r.runner_type {
            RunnerKind::ProjectType => button()
                .class("secondary")
                .attr(
                    "aria-label",
                    &format!("Disable runner #{id} in this project"),
                )
                .on("click", move |_| {
                    target.set(Some(runner.clone()));
                    confirm_open.set(true);
                })
                .text("Disable"),
            RunnerKind::InstanceType => el("span")
                .class("muted")
                .text("Instance runner: serves every project; only an administrator can pause it."),
            _ => el("span").class("muted").text("Managed in its group"),
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
    let on_confirm = move || {
        if let Some(r) = target.get_untracked() {
            outcome.set(None);
            disable.dispatch(r.id);
        }
    };

    let outcome_view = move || {
        outcome.get().map(|o| match o {
            Outcome::Done(text) => el("p").class("success").attr("role", "status").text(&text),
            Outcome::Refused {
                words,
                error,
                delete_instead,
            } => refusal(
                &words,
                &error,
                delete_instead.map(|id| {
                    el("p").child(
                        el("a")
                            .attr("href", &links::href(&links::runner(id)))
                            .text(&format!("Open runner #{id} to delete it")),
                    )
                }),
            ),
        })
    };

    // The page of runners: loading, failed, or the table with its pager.
    let listing = runners.shown("Loading runners…", move |page| {
        runners_page(page, query, label, actions.clone(), router)
    });

    let candidate_options = move || match candidates.get() {
        None => vec![placeholder("Loading runners…")],
        Some(Ok(list)) if list.is_empty() => {
            vec![placeholder("No other project runners you can enable")]
        }
        Some(Ok(list)) => list
            .iter()
            .map(|r| {
                let text = format!(
                    "#{} {}",
                    r.id,
                    r.description
                        .as_deref()
                        .filter(|d| !d.is_empty())
                        .unwrap_or("(no description)")
                );
                option(&r.id.to_string(), &text)
            })
            .collect(),
        Some(Err(_)) => vec![placeholder("The runner list could not be loaded")],
    };
    let candidates_error = move || match candidates.get() {
        Some(Err(e)) => Some(error_notice(&e, Some(candidates.retry()))),
        _ => None,
    };
    let enable_pending = enable.pending();
    let disable_pending = disable.pending();

    let enable_section = el("section")
        .class("enable-runner")
        .attr("aria-labelledby", "enable-title")
        .child(el("h2").id("enable-title").text("Enable a runner in this project"))
        .child(el("p").class("help").text(if is_admin {
            "Any project runner can be enabled here. Group runners and instance runners cannot: they serve their projects already."
        } else {
            "You can enable project runners of other projects you maintain, unless they are locked to their projects."
        }))
        .child(
            el("div")
                .class("enable-forms")
                .child(
                    el("form")
                        .on("submit", on_enable_chosen)
                        .child(
                            el("div")
                                .class("field")
                                .child(label_for("enable-choice", "Runner to enable"))
                                .child(
                                    el("select")
                                        .id("enable-choice")
                                        .child(option("", "Choose a runner…"))
                                        .dyn_nodes(candidate_options)
                                        // Again once the options arrive.
                                        .prop_dyn("value", move || {
                                            candidates.track_answer();
                                            JsValue::from_str(&chosen.get())
                                        })
                                        .on("change", move |ev| chosen.set(value_of(&ev))),
                                ),
                        )
                        .child(
                            el("button")
                                .attr("type", "submit")
                                .disabled_while(move || enable_pending.get())
                                .text("Enable selected runner"),
                        ),
                )
                .child(
                    el("form")
                        .on("submit", on_enable_typed)
                        .child(
                            el("div")
                                .class("field")
                                .child(label_for("enable-id", "Runner ID"))
                                .child(
                                    el("input")
                                        .id("enable-id")
                                        .attr("type", "number")
                                        .attr("min", "1")
                                        .attr("step", "1")
                                        .attr("inputmode", "numeric")
                                        .bind_value(typed_id),
                                ),
                        )
                        .child(
                            el("button")
                                .attr("type", "submit")
                                .disabled_while(move || enable_pending.get())
                                .text("Enable by ID"),
                        ),
                ),
        )
        .dyn_child(move || {
            id_problem
                .get()
                .map(|p| el("p").class("error").attr("role", "alert").text(&p))
        })
        .dyn_child(candidates_error);

    let dialog_body = el("p").text_dyn(move || {
        target
            .get()
            .map(|r| {
                format!(
                    "Runner #{} ({}) will stop taking jobs from {}. It stays enabled in its other projects, and you can enable it here again later.",
                    r.id,
                    r.description.unwrap_or_default(),
                    label.get(),
                )
            })
            .unwrap_or_default()
    });

    el("div")
        .child(el("h2").text_dyn(move || format!("Runners of {}", label.get())))
        .child(el("p").class("help").text(
            "GitLab lists the project's own runners and the instance runners every project may use. Group runners of the project's group are not listed here.",
        ))
        .child(
            el("div")
                .attr("aria-live", "polite")
                .show(
                    move || disable_pending.get(),
                    || busy_line("Disabling the runner…"),
                )
                .show(
                    move || enable_pending.get(),
                    move || {
                        el("p")
                            .class("loading")
                            .attr("role", "status")
                            .text_dyn(move || format!("Enabling runner #{}…", last_enabled_id.get()))
                    },
                ),
        )
        .dyn_child(outcome_view)
        .dyn_child(runners.refreshing_line())
        .dyn_nodes(listing)
        .child(enable_section)
        .child(confirm_dialog(
            confirm_open,
            dialog_title,
            confirm_label,
            on_confirm,
            true,
            dialog_body,
        ))
}

/// A loaded page of runners: a word when it is empty, the table, the pager.
fn runners_page(
    page: Page<Runner>,
    query: Memo<ProjectRunnersQuery>,
    label: Memo<String>,
    actions: RowActions,
    router: Router,
) -> Vec<El> {
    let q = query.get_untracked();
    let info = PagerInfo::of(&page);
    let empty = page.items.is_empty().then(|| {
        el("p")
            .class("empty")
            .attr("role", "status")
            .text("No runners in this project yet: enable one below.")
    });
    let caption = format!("Runners of {}", label.get_untracked());
    let href_q = q.clone();
    empty
        .into_iter()
        .chain([
            runner_table(page.items, &caption, Some(actions)),
            pager(
                info,
                "runners",
                move |p| links::href(&href_q.with_page(p).path()),
                move |n| {
                    router.navigate(
                        &ProjectRunnersQuery {
                            per_page: n,
                            page: 1,
                            ..q.clone()
                        }
                        .path(),
                    )
                },
            ),
        ])
        .collect()
}
