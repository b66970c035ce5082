//! `/runners`: one page of a runner list. Source, filters and page live in the URL;
//! rows can be paused, resumed and deleted.

use std::sync::Arc;

use leptos::prelude::*;

use crate::api::client::abort_on_cleanup;
use crate::api::request::{self, RunnerSource};
use crate::api::{ApiError, Runner};
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::download::ExportButtons;
use crate::components::error_notice::ErrorNotice;
use crate::components::fields::disabled_while;
use crate::components::fleet_view::FleetView;
use crate::components::loading::{Loading, Refreshing};
use crate::components::pager::{Pager, PagerInfo};
use crate::components::runner_facts::FactsStore;
use crate::components::runner_filters::RunnerFilters;
use crate::components::runner_table::{ExtraColumns, RowActions, RunnerTable};
use crate::components::source_picker::SourcePicker;
use crate::components::status_summary::StatusSummary;
use crate::components::toasts::use_toasts;
use crate::gitlab_version::Feature;
use crate::links;
use crate::list_query::ListQuery;
use crate::navigation::use_navigation;
use crate::runner_actions;
use crate::runner_facts::RunnerOrder;
use crate::session::use_session;

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

#[component]
pub fn RunnersPage() -> impl IntoView {
    let session = use_session();
    let is_admin = session.is_admin();
    let client = session.client.clone();
    let router = use_navigation();
    let query_map = leptos_router::hooks::use_query_map();
    let by_version = session.has(Feature::VersionPrefix);
    let query = Memo::new(move |_| {
        let mut q = ListQuery::from_lookup(|k| query_map.read().get(k));
        // A GitLab before 16.6 ignores `version_prefix`: a link with one must not
        // claim a filter the list does not have.
        if !by_version {
            q.filter.version_prefix = None;
        }
        q
    });
    let source = Memo::new(move |_| query.read().api_source(is_admin));
    let go = Callback::new(move |q: ListQuery| router.navigate(&links::runners(&q)));

    // Only what GitLab is asked: another order or quick filter needs no new answer.
    let asked = Memo::new(move |_| {
        let q = query.read();
        (q.filter.clone(), q.page_query())
    });
    let list_client = client.clone();
    let runners = LocalResource::new(move || {
        let signal = abort_on_cleanup();
        let (filter, page) = asked.get();
        let req = request::list_runners(&source.get(), &filter, page);
        let client = list_client.clone();
        async move { client.page::<Runner>(&req, signal.as_ref()).await }
    });

    let outcome = RwSignal::new(None::<Outcome>);
    let toasts = use_toasts();
    // Counted again after an action changes the list.
    let counts_reload = RwSignal::new(0u32);
    Effect::new(move || match outcome.get() {
        Some(Outcome::Done(text)) => {
            toasts.success(text);
            counts_reload.update(|n| *n += 1);
        }
        Some(Outcome::Failed(what, _)) => toasts.failure(what),
        None => {}
    });
    let busy = RwSignal::new(None::<u64>);
    let pause_client = client.clone();
    let toggle_pause = Action::new_local(move |r: &Runner| {
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
    let delete = Action::new_local(move |r: &Runner| {
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

    let actions: RowActions = Arc::new(move |r: Memo<Runner>| {
        let id = r.read_untracked().id;
        let name = move || r.read().display_name();
        let disabled = move || busy.get() == Some(id);
        let pause_label = move || {
            if r.read().is_paused() {
                "Resume"
            } else {
                "Pause"
            }
        };
        view! {
            <button
                type="button"
                class="secondary"
                aria-label=move || format!("{} runner {}", pause_label(), name())
                use:disabled_while=Signal::derive(disabled)
                on:click=move |_| {
                    toggle_pause.dispatch(r.get_untracked());
                }
            >
                {pause_label}
            </button>
            <button
                type="button"
                class="secondary danger-text"
                aria-label=move || format!("Delete runner {}", name())
                disabled=disabled
                on:click=move |_| {
                    to_delete.set(Some(r.get_untracked()));
                    confirm_open.set(true);
                }
            >
                "Delete"
            </button>
        }
        .into_any()
    });

    let title = move || title_of(&source.get());
    let filter = Memo::new(move |_| query.read().filter.clone());
    let all_mode = Memo::new(move |_| query.read().all);
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

    let stale_cleanup = links::cleanup(&crate::cleanup::Criteria {
        status: Some(crate::api::request::StatusFilter::Stale),
        ..Default::default()
    });
    view! {
        <section class="runners-page" aria-labelledby="runners-title">
            <div class="page-head">
                <h1 id="runners-title">{title}</h1>
                <SourcePicker choice=Signal::derive(move || query.read().source.clone()) on_change=on_source />
                <a class="button" href=links::href(links::NEW_RUNNER)>"Create a runner"</a>
            </div>
            <RunnerFilters filter=filter source=source on_change=on_filter />
            <StatusSummary source=source query=query reload=counts_reload />
            <div class="mode">
                {move || if all_mode.get() {
                    view! {
                        <button type="button" class="secondary" on:click=move |_| go.run(ListQuery { all: false, quick: String::new(), ..query.get_untracked() })>
                            "Back to pages"
                        </button>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" class="secondary" on:click=move |_| go.run(ListQuery { all: true, page: 1, ..query.get_untracked() })>
                            "Load every page"
                        </button>
                        <span class="help">" to filter as you type and act on many runners at once"</span>
                    }.into_any()
                }}
                <a href=links::href(&stale_cleanup)>"Clean up stale runners"</a>
            </div>
            <div class="status-line" role="status" aria-live="polite">
                {move || match outcome.get() {
                    Some(Outcome::Done(text)) => Some(view! { <p class="ok">{text}</p> }.into_any()),
                    _ => None,
                }}
            </div>
            {move || match outcome.get() {
                Some(Outcome::Failed(what, error)) => Some(view! {
                    <div class="failed-action">
                        <p class="error-title">{what}</p>
                        <ErrorNotice error=error />
                    </div>
                }),
                _ => None,
            }}
            <Show when=move || { all_mode.get() }><FleetView
                    source=source
                    filter=filter
                    initial_quick=query.get_untracked().quick
                    on_quick=Callback::new(move |quick: String| {
                        let q = ListQuery { quick, ..query.get_untracked() };
                        router.replace(&links::runners(&q));
                    })
                /></Show>
            <Show when=move || { !all_mode.get() }><PagedList runners=runners query=query source=source go=go actions=actions.clone() /></Show>
            <ConfirmDialog
                open=confirm_open
                danger=true
                title=Signal::derive(move || {
                    to_delete.get().map(|r| format!("Delete runner {}?", r.display_name())).unwrap_or_default()
                })
                confirm_label=Signal::derive(move || {
                    to_delete.get().map(|r| format!("Delete runner #{}", r.id)).unwrap_or_default()
                })
                on_confirm=Callback::new(move |_| {
                    if let Some(r) = to_delete.get_untracked() {
                        delete.dispatch(r);
                    }
                })
            >
                <p>
                    "The runner is removed from GitLab with its configuration. It stops taking jobs, and "
                    "its authentication token stops working. This cannot be undone."
                </p>
            </ConfirmDialog>
        </section>
    }
}

/// One page of the list, with its pager. The table stays while newer answers come
/// (after an action, or another page): its rows update in place and keep focus.
#[component]
fn PagedList(
    runners: LocalResource<Result<crate::api::Page<Runner>, ApiError>>,
    query: Memo<ListQuery>,
    source: Memo<RunnerSource>,
    go: Callback<ListQuery>,
    actions: RowActions,
) -> impl IntoView {
    let refreshing = RwSignal::new(false);
    let page = Memo::new(move |_| runners.get().and_then(Result::ok));
    let session = use_session();
    let store = FactsStore::new(session.has(Feature::RunnerManagers));
    store.follow(
        session.client.clone(),
        Signal::derive(move || {
            page.with(|p| p.as_ref().map(|p| p.items.iter().map(|r| r.id).collect()))
                .unwrap_or_default()
        }),
    );
    let order = Memo::new(move |_| query.read().order);
    let items = Signal::derive(move || {
        let mut list = page
            .with(|p| p.as_ref().map(|p| p.items.clone()))
            .unwrap_or_default();
        if let Some(o) = order.get() {
            o.sort(&mut list, |r| store.contacted_at(r.id));
        }
        list
    });
    let caption = Signal::derive(move || title_of(&source.get()));
    let extra = ExtraColumns {
        job: session.has(Feature::JobExecutionStatus),
        facts: Some(store),
    };
    let on_order = move |ev: leptos::ev::Event| {
        let order = RunnerOrder::parse(&event_target_value(&ev));
        go.run(ListQuery {
            order,
            ..query.get_untracked()
        });
    };
    view! {
        <div class="list-order">
            <label for="runner-order">"Order"</label>
            <select id="runner-order" on:change=on_order>
                <option value="" selected=move || order.get().is_none()>"GitLab's order (newest first)"</option>
                {RunnerOrder::ALL.iter().map(|o| {
                    let o = *o;
                    view! { <option value=o.as_str() selected=move || order.get() == Some(o)>{o.label()}</option> }
                }).collect_view()}
            </select>
            <Show when=move || order.get().is_some()>
                <p class="help" role="status">
                    "Sorted here, over the runners of this page: GitLab's runner API does not sort by last contact."
                </p>
            </Show>
        </div>
        <Refreshing pending=refreshing />
        <Transition fallback=|| view! { <Loading text="Loading runners…" /> } set_pending=refreshing>
            {move || runners.get().and_then(Result::err).map(|error| view! {
                <ErrorNotice error=error retry=Callback::new(move |_| runners.refetch()) />
            })}
            <Show when=move || page.with(Option::is_some)>
                {move || page.with(|p| p.as_ref().is_some_and(|p| p.items.is_empty())).then(|| empty_state(&query.get_untracked()))}
                <RunnerTable runners=items caption=caption actions=actions.clone() extra=extra />
                <ExportButtons
                    rows=move || page.with(|p| p.as_ref().map(|p| p.items.clone())).unwrap_or_default()
                    what="runners"
                    filter=Signal::derive(move || format!("{}-page-{}", crate::export::list_name(&source.get(), &query.read().filter), query.read().page))
                    label=Signal::derive(move || format!("the {} runners of this page", page.with(|p| p.as_ref().map_or(0, |p| p.items.len()))))
                    gitlab_url=session.gitlab_url.clone()
                />
                {move || page.get().map(|page| {
                    let q = query.get_untracked();
                    let href_q = q.clone();
                    view! {
                        <Pager
                            info=PagerInfo::of(&page)
                            noun="runners"
                            href_for=move |p| links::href(&links::runners(&href_q.with_page(p)))
                            on_per_page=Callback::new(move |n| go.run(ListQuery { per_page: n, page: 1, ..q.clone() }))
                        />
                    }
                })}
            </Show>
        </Transition>
    }
}

/// What to do when a page of the list is empty: say why, and offer the way out.
fn empty_state(q: &ListQuery) -> impl IntoView {
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
    view! {
        <p class="empty" role="status">
            {words} " " <a href=links::href(&target)>{link_text}</a>
        </p>
    }
}
