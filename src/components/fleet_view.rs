//! A whole runner list loaded at once: progress and cancel while loading, a quick
//! filter, a virtualised table (the DOM holds only the rows in view), selection with
//! Shift-click ranges, and bulk actions.

use leptos::prelude::*;
use leptos_use_fn_debounce_throttle::use_debounce_fn_with_arg;

use crate::api::request::{self, PageQuery, RunnerFilter, RunnerSource};
use crate::api::{ApiError, Runner};
use crate::components::bulk_actions::BulkActions;
use crate::components::download::ExportButtons;
use crate::components::error_notice::ErrorNotice;
use crate::components::runner_table::{RunnerCells, RunnerHeaderCells};
use crate::fleet::{self, Indexed, Selection};
use crate::session::use_session;

/// Per-runner requests at once (details, deletes, bulk changes): what a browser
/// sends at once over HTTP/1.1, and gentle on GitLab. Loading pages picks its own
/// depth by protocol (`api::ahead::depth_for`).
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
    let job = session.has(crate::gitlab_version::Feature::JobExecutionStatus);
    let gitlab_url = session.gitlab_url.clone();
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
                .load_all::<Runner>(&req, signal.as_ref(), |loaded, total| {
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
                    // `try_`: a cancel also comes when the page is left, and `load` with it.
                    let loaded = match load.try_get_untracked() {
                        Some(Load::Loading { loaded, .. }) => loaded,
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
    // The URL follows the quick filter once typing pauses, so it never slows a
    // keystroke. leptos-use drops a pending call when the page goes.
    let update_url = use_debounce_fn_with_arg(move |text: String| on_quick.run(text), 400.0);
    Effect::new(move |first: Option<()>| {
        let text = quick.get();
        if first.is_some() {
            update_url(text);
        }
    });

    // Changes whenever the loaded runners do (a load, a bulk change), so the
    // quick filter only refines its last result over the same list.
    let revision = Memo::new(move |prev: Option<&u64>| {
        fleet.runners.track();
        prev.map_or(0, |p| p + 1)
    });
    let last = StoredValue::new(None::<(u64, String, Vec<usize>)>);
    let shown = Memo::new(move |_| {
        let (rev, query) = (revision.get(), quick.get());
        let kept = fleet.runners.with(|all| {
            last.with_value(|l| {
                let earlier = l
                    .as_ref()
                    .filter(|(r, _, _)| *r == rev)
                    .map(|(_, q, kept)| (q.as_str(), kept.as_slice()));
                fleet::filter_from(all, &query, earlier)
            })
        });
        last.set_value(Some((rev, query, kept.clone())));
        kept
    });
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

    // The progress block stays while the counts go up, so "Cancel loading" stays
    // the same button (it keeps focus and takes the click).
    let loading = Memo::new(move |_| match load.get() {
        Load::Loading { loaded, total } => Some((loaded, total)),
        _ => None,
    });
    let progress = view! {
        <Show when=move || loading.with(Option::is_some)>
            <div class="progress-block" role="status">
                <label for="load-progress">
                    {move || match loading.get() {
                        Some((loaded, Some(t))) => format!("Loading runners: {loaded} of {t}"),
                        Some((loaded, None)) => format!("Loading runners: {loaded} so far (GitLab does not count above 10,000)"),
                        None => String::new(),
                    }}
                </label>
                // Without a total the bar is indeterminate: no value at all.
                <progress
                    id="load-progress"
                    max=move || loading.get().and_then(|(_, t)| t).map(|t| t.to_string())
                    value=move || loading.get().and_then(|(loaded, t)| t.map(|_| loaded.to_string()))
                ></progress>
                <button type="button" class="secondary" on:click=move |_| cancel()>"Cancel loading"</button>
            </div>
        </Show>
        {move || match load.get() {
            Load::Cancelled { loaded } => Some(view! {
                <div class="progress-block" role="status">
                    <p>{format!("Loading cancelled after {loaded} runners.")}</p>
                    <button type="button" class="secondary" on:click=move |_| reload.update(|n| *n += 1)>"Load again"</button>
                </div>
            }
            .into_any()),
            Load::Failed(e) => Some(view! { <ErrorNotice error=e retry=Callback::new(move |_| reload.update(|n| *n += 1)) /> }.into_any()),
            _ => None,
        }}
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

    // Rows in view, keyed by position and id: scrolling keeps the rows still in view
    // (focus on a checkbox stays), and each row follows its runner as it changes.
    let visible = move || {
        let (start, end) = window.get();
        let ids = shown_ids.read();
        (start..end).map(|i| (i, ids[i])).collect::<Vec<_>>()
    };
    let row = move |(i, id): (usize, u64)| {
        // This row's runner, as it changes (a bulk action updates it in place): at its
        // place in the shown list, so each row finds it at once among 10,000.
        let lookup = move || {
            fleet.runners.with(|all| {
                shown
                    .with(|s| s.get(i).copied())
                    .and_then(|at| all.get(at))
                    .filter(|r| r.runner.id == id)
                    .or_else(|| all.iter().find(|r| r.runner.id == id))
                    .map(|r| r.runner.clone())
            })
        };
        let first = untrack(lookup).unwrap_or_default();
        let r = Memo::new(move |_| lookup().unwrap_or_else(|| first.clone()));
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
                <RunnerCells runner=r job=job />
            </tr>
        }
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
            <Show when=move || { load.get() == Load::Done }><div class="fleet-bar">
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
                    <ExportButtons
                        rows=move || fleet.runners.with(|all| all.iter().map(|i| i.runner.clone()).collect::<Vec<Runner>>())
                        what="runners"
                        filter=Signal::derive(move || crate::export::list_name(&source.get(), &filter.get()))
                        label=Signal::derive(move || format!("the {} loaded runners", fleet.runners.read().len()))
                        gitlab_url=gitlab_url.clone()
                    />
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
                }}</Show>
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
                            <RunnerHeaderCells job=job />
                        </tr>
                    </thead>
                    <tbody>
                        <tr class="spacer" aria-hidden="true" style:height=spacer(true)></tr>
                        <For each=visible key=|k| *k children=row />
                        <tr class="spacer" aria-hidden="true" style:height=spacer(false)></tr>
                    </tbody>
                </table>
            </div>
        </section>
    }
}
