//! A whole runner list loaded at once: progress and cancel while loading, a quick
//! filter, a virtualised table (the DOM holds only the rows in view), selection with
//! Shift-click ranges, and bulk actions.

use leptos::prelude::*;

use crate::api::request::{self, PageQuery, RunnerFilter, RunnerSource};
use crate::api::{ApiError, Runner};
use crate::components::bulk_actions::BulkActions;
use crate::components::error_notice::ErrorNotice;
use crate::components::status_badge::StatusBadge;
use crate::components::when::when;
use crate::fleet::{self, Indexed, Selection};
use crate::links;
use crate::session::use_session;

/// Pages fetched at once; browsers allow six connections per host over HTTP/1.1.
pub const CONCURRENCY: usize = 6;
const ROW_HEIGHT: f64 = 40.0;
const VIEWPORT: f64 = 560.0;
const OVERSCAN: usize = 8;

#[derive(Clone, Debug, PartialEq)]
enum Load {
    Loading { loaded: usize, total: Option<u64> },
    Cancelled { loaded: usize },
    Failed(ApiError),
    Done,
}

/// The loaded runners and what the table shows of them; shared with bulk actions.
#[derive(Clone, Copy)]
pub struct Fleet {
    pub runners: RwSignal<Vec<Indexed>>,
    pub selection: RwSignal<Selection>,
}

impl Fleet {
    /// Applies `change` to one loaded runner (ids are ascending, as GitLab lists them).
    pub fn update(&self, id: u64, change: impl FnOnce(&mut Runner)) {
        self.runners.update(|all| {
            let pos = all
                .binary_search_by_key(&id, |r| r.runner.id)
                .ok()
                .or_else(|| all.iter().position(|r| r.runner.id == id));
            if let Some(pos) = pos {
                let mut runner = all[pos].runner.clone();
                change(&mut runner);
                all[pos] = Indexed::new(runner);
            }
        });
    }

    pub fn remove(&self, id: u64) {
        self.runners.update(|all| all.retain(|r| r.runner.id != id));
        self.selection.update(|s| s.retain(|x| x != id));
    }

    pub fn name_of(&self, id: u64) -> String {
        self.runners.with(|all| {
            all.iter()
                .find(|r| r.runner.id == id)
                .map(|r| r.runner.display_name())
                .unwrap_or_else(|| format!("#{id}"))
        })
    }
}

#[component]
pub fn FleetView(
    #[prop(into)] source: Signal<RunnerSource>,
    #[prop(into)] filter: Signal<RunnerFilter>,
    /// The quick filter as the URL had it.
    initial_quick: String,
    /// Called (debounced) with the quick filter, to keep it in the URL.
    #[prop(into)]
    on_quick: Callback<String>,
) -> impl IntoView {
    let session = use_session();
    let client = session.client.clone();
    let fleet = Fleet {
        runners: RwSignal::new(vec![]),
        selection: RwSignal::new(Selection::default()),
    };
    let load = RwSignal::new(Load::Loading {
        loaded: 0,
        total: None,
    });
    let abort: StoredValue<Option<web_sys::AbortController>, LocalStorage> =
        StoredValue::new_local(None);
    let cancel = move || {
        if let Some(c) = abort.get_value() {
            c.abort();
        }
    };
    let reload = RwSignal::new(0u32);

    Effect::new(move || {
        let (source, filter) = (source.get(), filter.get());
        reload.track();
        cancel();
        let controller = web_sys::AbortController::new().ok();
        let signal = controller.as_ref().map(|c| c.signal());
        abort.set_value(controller);
        fleet.runners.set(vec![]);
        fleet.selection.update(Selection::clear);
        load.set(Load::Loading {
            loaded: 0,
            total: None,
        });
        let req =
            request::list_runners(&source, &filter, PageQuery::new(1, PageQuery::MAX_PER_PAGE));
        let client = client.clone();
        leptos::task::spawn_local(async move {
            let result = client
                .load_all::<Runner>(&req, signal.as_ref(), CONCURRENCY, |loaded, total| {
                    load.set(Load::Loading { loaded, total })
                })
                .await;
            match result {
                Ok(items) => {
                    fleet
                        .runners
                        .set(items.into_iter().map(Indexed::new).collect());
                    load.set(Load::Done);
                }
                Err(ApiError::Aborted) => {
                    let loaded = match load.get_untracked() {
                        Load::Loading { loaded, .. } => loaded,
                        _ => 0,
                    };
                    load.set(Load::Cancelled { loaded });
                }
                Err(e) => load.set(Load::Failed(e)),
            }
        });
    });
    on_cleanup(cancel);

    let quick = RwSignal::new(initial_quick);
    // The URL follows the quick filter once typing pauses, so it never slows a keystroke.
    let pending_url: StoredValue<Option<TimeoutHandle>, LocalStorage> =
        StoredValue::new_local(None);
    Effect::new(move |first: Option<()>| {
        let text = quick.get();
        if first.is_none() {
            return;
        }
        if let Some(h) = pending_url.get_value() {
            h.clear();
        }
        let handle = set_timeout_with_handle(
            move || on_quick.run(text),
            std::time::Duration::from_millis(400),
        )
        .ok();
        pending_url.set_value(handle);
    });

    let shown = Memo::new(move |_| fleet.runners.with(|all| fleet::filter(all, &quick.read())));
    let shown_ids = Memo::new(move |_| {
        fleet
            .runners
            .with(|all| shown.with(|s| s.iter().map(|i| all[*i].runner.id).collect::<Vec<u64>>()))
    });
    let scroll_top = RwSignal::new(0.0f64);
    let window = Memo::new(move |_| {
        fleet::window(
            scroll_top.get(),
            VIEWPORT,
            ROW_HEIGHT,
            shown.read().len(),
            OVERSCAN,
        )
    });

    let progress = move || {
        match load.get() {
        Load::Loading { loaded, total } => {
            let text = match total {
                Some(t) => format!("Loading runners: {loaded} of {t}"),
                None => format!("Loading runners: {loaded} so far (GitLab does not count above 10,000)"),
            };
            view! {
                <div class="progress-block" role="status">
                    <label for="load-progress">{text}</label>
                    {match total {
                        Some(t) => view! { <progress id="load-progress" max=t.to_string() value=loaded.to_string()></progress> }.into_any(),
                        None => view! { <progress id="load-progress"></progress> }.into_any(),
                    }}
                    <button type="button" class="secondary" on:click=move |_| cancel()>"Cancel loading"</button>
                </div>
            }
            .into_any()
        }
        Load::Cancelled { loaded } => view! {
            <div class="progress-block" role="status">
                <p>{format!("Loading cancelled after {loaded} runners.")}</p>
                <button type="button" class="secondary" on:click=move |_| reload.update(|n| *n += 1)>"Load again"</button>
            </div>
        }
        .into_any(),
        Load::Failed(e) => view! { <ErrorNotice error=e retry=Callback::new(move |_| reload.update(|n| *n += 1)) /> }.into_any(),
        Load::Done => ().into_any(),
    }
    };

    let all_shown_selected = move || {
        let sel = fleet.selection.read();
        let ids = shown_ids.read();
        !ids.is_empty() && ids.iter().all(|id| sel.ids.contains(id))
    };
    let toggle_all = move |_| {
        let ids = shown_ids.get_untracked();
        if all_shown_selected() {
            fleet
                .selection
                .update(|s| s.ids.retain(|id| !ids.contains(id)));
        } else {
            fleet.selection.update(|s| s.select_all(&ids));
        }
    };

    let rows = move || {
        let (start, end) = window.get();
        let ids = shown_ids.read();
        let all = fleet.runners.read();
        let shown = shown.read();
        (start..end)
            .map(|i| {
                let r = all[shown[i]].runner.clone();
                let id = ids[i];
                let checked = move || fleet.selection.read().ids.contains(&id);
                let on_click = move |ev: leptos::ev::MouseEvent| {
                    if ev.shift_key() {
                        let ids = shown_ids.get_untracked();
                        fleet.selection.update(|s| s.extend_to(id, &ids));
                    } else {
                        fleet.selection.update(|s| s.toggle(id));
                    }
                };
                view! {
                    <tr data-runner-id=id.to_string() aria-rowindex=(i + 2).to_string() class:selected=checked>
                        <td>
                            <input type="checkbox" aria-label=format!("Select runner #{id}") prop:checked=checked on:click=on_click />
                        </td>
                        <td>
                            <StatusBadge status=r.status.clone() />
                        </td>
                        <td class="num">
                            <a href=links::href(&links::runner(id))>{format!("#{id}")}</a>
                        </td>
                        <td class="description">{r.description.clone().unwrap_or_default()}</td>
                        <td>{r.runner_type.label().to_string()}</td>
                        <td class="tags">
                            {r.tag_list.clone().unwrap_or_default().into_iter().map(|t| view! { <span class="tag">{t}</span> }).collect_view()}
                        </td>
                        <td>{if r.is_paused() { "Paused" } else { "No" }}</td>
                        <td class="mono">{r.ip_address.clone().unwrap_or_default()}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    // `style:` sets CSSOM properties, which the Content-Security-Policy allows
    // (a `style` attribute would need 'unsafe-inline').
    let spacer = move |top: bool| {
        move || {
            let (start, end) = window.get();
            let rows = if top { start } else { shown.read().len() - end };
            format!("{}px", rows as f64 * ROW_HEIGHT)
        }
    };

    view! {
        <section class="fleet" aria-label="All loaded runners">
            {progress}
            {when(move || load.get() == Load::Done, move || view! {
                <div class="fleet-bar">
                    <div class="field">
                        <label for="quick-filter">"Quick filter"</label>
                        <input
                            id="quick-filter"
                            type="search"
                            aria-describedby="quick-filter-help"
                            bind:value=quick
                        />
                        <p class="help" id="quick-filter-help">
                            "ID, description, tags, IP address, type or status; every word must match."
                        </p>
                    </div>
                    <p class="counts" role="status">
                        {move || {
                            format!(
                                "{} shown of {} loaded · {} selected",
                                shown.read().len(),
                                fleet.runners.read().len(),
                                fleet.selection.read().ids.len(),
                            )
                        }}
                    </p>
                </div>
                <BulkActions fleet=fleet />
                {move || {
                    let loaded = fleet.runners.read().len();
                    if loaded == 0 {
                        Some(view! {
                            <p class="empty" role="status">
                                "No runners match the filters. Clear them, or choose another list."
                            </p>
                        }.into_any())
                    } else if shown.read().is_empty() {
                        Some(view! {
                            <p class="empty" role="status">
                                "No loaded runner matches the quick filter. "
                                <button type="button" class="secondary" on:click=move |_| quick.set(String::new())>
                                    "Clear the quick filter"
                                </button>
                            </p>
                        }.into_any())
                    } else {
                        None
                    }
                }}
            })}
            <div
                class="virtual"
                style:height=format!("{VIEWPORT}px")
                on:scroll=move |ev| {
                    let el: web_sys::Element = event_target(&ev);
                    scroll_top.set(el.scroll_top() as f64);
                }
            >
                <table class="runners fleet-table" aria-rowcount=move || (shown.read().len() + 1).to_string()>
                    <thead>
                        <tr aria-rowindex="1">
                            <th scope="col">
                                <input
                                    type="checkbox"
                                    aria-label="Select all shown runners"
                                    prop:checked=all_shown_selected
                                    on:click=toggle_all
                                />
                            </th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"ID"</th>
                            <th scope="col">"Description"</th>
                            <th scope="col">"Type"</th>
                            <th scope="col">"Tags"</th>
                            <th scope="col">"Paused"</th>
                            <th scope="col">"IP address"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <tr class="spacer" aria-hidden="true" style:height=spacer(true)></tr>
                        {rows}
                        <tr class="spacer" aria-hidden="true" style:height=spacer(false)></tr>
                    </tbody>
                </table>
            </div>
        </section>
    }
}
