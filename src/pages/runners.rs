//! `/runners`: one page of a runner list. Source, filters and page live in the URL;
//! rows can be paused, resumed and deleted.

use std::rc::Rc;

use crate::prelude::*;

use crate::api::request::{self, RunnerSource};
use crate::api::{ApiError, Runner};
use crate::components::confirm_dialog::confirm_dialog;
use crate::components::error_notice::error_notice;
use crate::components::fleet_view::fleet_view;
use crate::components::load::{load, Load};
use crate::components::pager::{pager, PagerInfo};
use crate::components::runner_filters::runner_filters;
use crate::components::runner_table::{runner_table, RowActions};
use crate::components::source_picker::source_picker;
use crate::components::status_summary::status_summary;
use crate::components::toasts::use_toasts;
use crate::dom::{button, el, El, FOCUS_KEY};
use crate::links;
use crate::list_query::ListQuery;
use crate::router::use_router;
use crate::runner_actions;
use crate::session::use_session;
use crate::task::Task;

fn title_of(source: &RunnerSource) -> String {
    match source {
        RunnerSource::All => "All runners".into(),
        RunnerSource::Owned => "My runners".into(),
        RunnerSource::Group(id) => format!("Runners of group {id}"),
        RunnerSource::Project(p) => format!("Runners of project {p}"),
    }
}

/// The outcome of the last row action, for the status line.
#[derive(Clone)]
enum Outcome {
    Done(String),
    Failed(String, ApiError),
}

pub fn runners_page() -> El {
    let session = use_session();
    let is_admin = session.is_admin();
    let client = session.client.clone();
    let router = use_router();
    let query_map = router.query();
    let query = Memo::new(move |_| query_map.with(|m| ListQuery::from_lookup(|k| m.get(k))));
    let source = Memo::new(move |_| query.with(|q| q.api_source(is_admin)));
    let go = Callback::new(move |q: ListQuery| router.navigate(&links::runners(&q)));

    let list_client = client.clone();
    let runners = load(move |signal| {
        let q = query.get();
        let req = request::list_runners(&source.get(), &q.filter, q.page_query());
        let client = list_client.clone();
        async move { client.page::<Runner>(&req, signal.as_ref()).await }
    });

    let outcome = RwSignal::new(None::<Outcome>);
    let toasts = use_toasts();
    // Counted again after an action changes the list.
    let counts_reload = RwSignal::new(0u32);
    crate::dom::effect_after(move || match outcome.get() {
        Some(Outcome::Done(text)) => {
            toasts.success(text);
            counts_reload.update(|n| *n += 1);
        }
        Some(Outcome::Failed(what, _)) => toasts.failure(what),
        None => {}
    });
    let busy = RwSignal::new(None::<u64>);
    let pause_client = client.clone();
    let toggle_pause = Task::new(move |r: &Runner| {
        let (client, r) = (pause_client.clone(), r.clone());
        async move {
            busy.set(Some(r.id));
            let pause = !r.is_paused();
            let result = runner_actions::set_paused(&client, r.id, pause).await;
            busy.set(None);
            outcome.set(Some(match result {
                Ok(_) => Outcome::Done(format!(
                    "Runner {} {}.",
                    r.display_name(),
                    if pause { "paused" } else { "resumed" }
                )),
                // Someone else deleted it: the refetch below drops the row.
                Err(e) if e.is_not_found() => Outcome::Failed(
                    format!(
                        "Could not {} runner {}: it was already gone (deleted meanwhile). The list is refreshed.",
                        if pause { "pause" } else { "resume" },
                        r.display_name()
                    ),
                    e,
                ),
                Err(e) => Outcome::Failed(
                    format!(
                        "Could not {} runner {}.",
                        if pause { "pause" } else { "resume" },
                        r.display_name()
                    ),
                    e,
                ),
            }));
            runners.refetch();
        }
    });

    let to_delete = RwSignal::new(None::<Runner>);
    let confirm_open = RwSignal::new(false);
    let delete_client = client.clone();
    let delete = Task::new(move |r: &Runner| {
        let (client, r) = (delete_client.clone(), r.clone());
        async move {
            busy.set(Some(r.id));
            let result = client.empty(&request::delete_runner(r.id), None).await;
            busy.set(None);
            outcome.set(Some(match result {
                Ok(()) => Outcome::Done(format!("Runner {} deleted.", r.display_name())),
                // What the person wanted is true already; say so rather than fail.
                Err(e) if e.is_not_found() => Outcome::Done(format!(
                    "Runner {} was already gone: someone deleted it meanwhile. The list is refreshed.",
                    r.display_name()
                )),
                Err(e) => {
                    Outcome::Failed(format!("Could not delete runner {}.", r.display_name()), e)
                }
            }));
            runners.refetch();
        }
    });

    let actions: RowActions = Rc::new(move |r: &Runner| {
        let (for_pause, for_delete) = (r.clone(), r.clone());
        let id = r.id;
        let name = r.display_name();
        let disabled = move || busy.get() == Some(id);
        let pause_label = if r.is_paused() { "Resume" } else { "Pause" };
        el("span")
            .child(
                button()
                    .class("secondary")
                    .attr("aria-label", &format!("{pause_label} runner {name}"))
                    // The list is loaded again after pausing: focus stays on this button.
                    .attr(FOCUS_KEY, &format!("pause-{id}"))
                    .disabled_while(disabled)
                    .text(pause_label)
                    .on("click", move |_| toggle_pause.dispatch(for_pause.clone())),
            )
            .child(
                button()
                    .class("secondary danger-text")
                    .attr("aria-label", &format!("Delete runner {name}"))
                    .disabled_while(disabled)
                    .text("Delete")
                    .on("click", move |_| {
                        to_delete.set(Some(for_delete.clone()));
                        confirm_open.set(true);
                    }),
            )
    });

    let title = move || title_of(&source.get());
    let filter = Memo::new(move |_| query.with(|q| q.filter.clone()));
    let all_mode = Memo::new(move |_| query.with(|q| q.all));
    let on_filter = Callback::new(move |filter| {
        go.run(ListQuery {
            filter,
            page: 1,
            ..query.get_untracked()
        })
    });
    let on_source = Callback::new(move |source| {
        go.run(ListQuery {
            source,
            ..Default::default()
        })
    });

    let mode = move || {
        let button = button().class("secondary");
        if all_mode.get() {
            vec![button.text("Back to pages").on("click", move |_| {
                go.run(ListQuery {
                    all: false,
                    quick: String::new(),
                    ..query.get_untracked()
                })
            })]
        } else {
            vec![
                button.text("Load every page").on("click", move |_| {
                    go.run(ListQuery {
                        all: true,
                        page: 1,
                        ..query.get_untracked()
                    })
                }),
                el("span")
                    .class("help")
                    .text(" to filter as you type and act on many runners at once"),
            ]
        }
    };

    el("section")
        .class("runners-page")
        .attr("aria-labelledby", "runners-title")
        .child(
            el("div")
                .class("page-head")
                .child(el("h1").id("runners-title").text_dyn(title))
                .child(source_picker(
                    Signal::derive(move || query.with(|q| q.source.clone())),
                    on_source,
                )),
        )
        .child(runner_filters(filter, source, on_filter))
        .child(status_summary(source, query, filter, counts_reload))
        .child(el("div").class("mode").dyn_nodes(mode))
        .child(
            el("div")
                .class("status-line")
                .attr("role", "status")
                .attr("aria-live", "polite")
                .dyn_child(move || match outcome.get() {
                    Some(Outcome::Done(text)) => Some(el("p").class("ok").text(&text)),
                    _ => None,
                }),
        )
        .dyn_child(move || match outcome.get() {
            Some(Outcome::Failed(what, error)) => Some(
                el("div")
                    .class("failed-action")
                    .child(el("p").class("error-title").text(&what))
                    .child(error_notice(&error, None)),
            ),
            _ => None,
        })
        .show(
            move || all_mode.get(),
            move || {
                fleet_view(
                    source,
                    filter,
                    query.get_untracked().quick,
                    Callback::new(move |quick: String| {
                        let q = ListQuery {
                            quick,
                            ..query.get_untracked()
                        };
                        router.replace(&links::runners(&q));
                    }),
                )
            },
        )
        .show(
            move || !all_mode.get(),
            move || paged_list(runners, query, source, go, actions.clone()),
        )
        .child(confirm_dialog(
            confirm_open,
            move || {
                to_delete
                    .get()
                    .map(|r| format!("Delete runner {}?", r.display_name()))
                    .unwrap_or_default()
            },
            move || {
                to_delete
                    .get()
                    .map(|r| format!("Delete runner #{}", r.id))
                    .unwrap_or_default()
            },
            move || {
                if let Some(r) = to_delete.get_untracked() {
                    delete.dispatch(r);
                }
            },
            true,
            el("p").text(
                "The runner is removed from GitLab with its configuration. It stops taking jobs, and its authentication token stops working. This cannot be undone.",
            ),
        ))
}

/// One page of the list, with its pager.
fn paged_list(
    runners: Load<crate::api::Page<Runner>>,
    query: Memo<ListQuery>,
    source: Memo<RunnerSource>,
    go: Callback<ListQuery>,
    actions: RowActions,
) -> Vec<El> {
    let page = runners.shown("Loading runners…", move |page| {
        let q = query.get_untracked();
        let info = PagerInfo::of(&page);
        let href_q = q.clone();
        let empty = page.items.is_empty().then(|| empty_state(&q));
        let table = runner_table(
            page.items,
            &title_of(&source.get_untracked()),
            Some(actions.clone()),
        );
        let pages = pager(
            info,
            "runners",
            move |p| links::href(&links::runners(&href_q.with_page(p))),
            move |n| {
                go.run(ListQuery {
                    per_page: n,
                    page: 1,
                    ..q.clone()
                })
            },
        );
        empty.into_iter().chain([table, pages]).collect::<Vec<El>>()
    });
    vec![
        el("div").dyn_child(runners.refreshing_line()),
        el("div").class("paged").dyn_nodes(page),
    ]
}

/// What to do when a page of the list is empty: say why, and offer the way out.
fn empty_state(q: &ListQuery) -> El {
    let filtered = q.filter != crate::api::request::RunnerFilter::default();
    let (words, link_text, target) = if q.page > 1 {
        (
            "This page is past the end of the list.",
            "Go to the first page",
            links::runners(&q.with_page(1)),
        )
    } else if filtered {
        (
            "No runners match these filters.",
            "Clear the filters",
            links::runners(&ListQuery {
                filter: Default::default(),
                ..q.clone()
            }),
        )
    } else {
        (
            "This list has no runners yet. Register one, or choose another list above.",
            "Register a runner",
            links::REGISTER.to_string(),
        )
    };
    el("p")
        .class("empty")
        .attr("role", "status")
        .text(words)
        .text(" ")
        .child(el("a").attr("href", &links::href(&target)).text(link_text))
}
