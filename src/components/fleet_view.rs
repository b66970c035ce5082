//! A whole runner list loaded at once: progress and cancel while loading, a quick
//! filter, a virtualised table (the DOM holds only the rows in view), selection with
//! Shift-click ranges, and bulk actions. Of one instance, or of several at once
//! (an Instance column, a progress bar per instance, a failing one named in place).

use leptos::prelude::*;
use leptos_use_fn_debounce_throttle::use_debounce_fn_with_arg;

use crate::api::request::{self, PageQuery, RunnerFilter, RunnerSource};
use crate::api::{ApiError, Client, Runner};
use crate::components::bulk_actions::BulkActions;
use crate::components::download::ExportButtons;
use crate::components::error_notice::ErrorNotice;
use crate::components::runner_table::{RunnerCells, RunnerHeaderCells};
use crate::export::{on_instance, origin_of};
use crate::fleet::{self, Indexed, Selection};
use crate::session::{use_session, Session};

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
/// Runners are found by their key (`fleet::row_key`: the id on one instance).
#[derive(Clone, Copy)]
pub struct Fleet {
    pub runners: RwSignal<Vec<Indexed>>,
    pub selection: RwSignal<Selection>,
    /// The instances listed, in key order: label and client.
    instances: StoredValue<Vec<(String, Client)>>,
}

impl Fleet {
    fn new(instances: Vec<(String, Client)>) -> Fleet {
        Fleet {
            runners: RwSignal::new(vec![]),
            selection: RwSignal::new(Selection::default()),
            instances: StoredValue::new(instances),
        }
    }

    // `try_`: a bulk run goes on after its page (and this) is gone.
    /// Whether runners of several instances are listed.
    pub fn several(&self) -> bool {
        self.instances.try_with_value(|i| i.len() > 1) == Some(true)
    }

    /// The instances' clients, in key order, for work that may outlive the page.
    pub fn clients(&self) -> Vec<Client> {
        self.instances
            .try_with_value(|i| i.iter().map(|(_, c)| c.clone()).collect())
            .unwrap_or_default()
    }

    /// The label of a runner's instance, when several are listed.
    pub fn label_of(&self, key: u64) -> Option<String> {
        let instance = usize::from(fleet::split_key(key).0);
        self.several()
            .then(|| {
                self.instances
                    .try_with_value(|i| i.get(instance).map(|(l, _)| l.clone()))
                    .flatten()
            })
            .flatten()
    }

    fn position(all: &[Indexed], key: u64) -> Option<usize> {
        // Keys are ascending (instances in order, ids as GitLab lists them).
        all.binary_search_by_key(&key, |r| r.key)
            .ok()
            .or_else(|| all.iter().position(|r| r.key == key))
    }

    /// Applies `change` to one loaded runner.
    pub fn update(&self, key: u64, change: impl FnOnce(&mut Runner)) {
        let label = self.label_of(key);
        self.runners.update(|all| {
            if let Some(pos) = Self::position(all, key) {
                let mut runner = all[pos].runner.clone();
                change(&mut runner);
                all[pos] = Indexed::on(runner, fleet::split_key(key).0, label.as_deref());
            }
        });
    }

    pub fn remove(&self, key: u64) {
        self.runners.update(|all| all.retain(|r| r.key != key));
        self.selection.update(|s| s.retain(|x| x != key));
    }

    pub fn name_of(&self, key: u64) -> String {
        let name = self.runners.with(|all| {
            Self::position(all, key)
                .map(|p| all[p].runner.display_name())
                .unwrap_or_else(|| format!("#{}", fleet::split_key(key).1))
        });
        match self.label_of(key) {
            Some(label) => format!("{name} on {label}"),
            None => name,
        }
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
    /// The runners of these instances together (each administrator's every
    /// runner, each other user's own), instead of the pages' one instance.
    #[prop(optional)]
    across: Option<Vec<Session>>,
) -> impl IntoView {
    let sessions = across.unwrap_or_else(|| vec![use_session()]);
    let several = sessions.len() > 1;
    let job = sessions
        .iter()
        .any(|s| s.has(crate::gitlab_version::Feature::JobExecutionStatus));
    let export_origin = origin_of(sessions.iter().map(|s| s.gitlab_url.as_str()));
    // At most 6 pages in flight per instance when several load at once.
    let clients: Vec<(String, Client)> = sessions
        .iter()
        .map(|s| {
            let client = if several {
                s.client.clone().at_most(CONCURRENCY)
            } else {
                s.client.clone()
            };
            (s.label.clone(), client)
        })
        .collect();
    let admins: Vec<bool> = sessions.iter().map(Session::is_admin).collect();
    let fleet = Fleet::new(clients.clone());
    let count = clients.len();
    let loads = RwSignal::new(vec![
        Load::Loading {
            loaded: 0,
            total: None,
        };
        count
    ]);
    // Each instance's runners once loaded, in instance order.
    let parts: StoredValue<Vec<Vec<Indexed>>> = StoredValue::new(vec![vec![]; count]);
    let abort: StoredValue<Vec<Option<web_sys::AbortController>>, LocalStorage> =
        StoredValue::new_local((0..count).map(|_| None).collect());
    let cancel = move || {
        abort.with_value(|all| all.iter().flatten().for_each(|c| c.abort()));
    };
    let reload = RwSignal::new(0u32);
    let set_load = move |i: usize, state: Load| {
        loads.update(|l| {
            if let Some(l) = l.get_mut(i) {
                *l = state;
            }
        })
    };
    // Loads instance `i`; the others keep what they have.
    let load_one = StoredValue::new(move |i: usize| {
        let (label, client) = clients[i].clone();
        let source = match (several, admins[i]) {
            (true, false) => RunnerSource::Owned,
            (true, true) => RunnerSource::All,
            (false, _) => source.get_untracked(),
        };
        let controller = web_sys::AbortController::new().ok();
        let signal = controller.as_ref().map(|c| c.signal());
        abort.update_value(|all| {
            if let Some(old) = all[i].replace(controller.clone().unwrap()) {
                old.abort();
            }
        });
        set_load(
            i,
            Load::Loading {
                loaded: 0,
                total: None,
            },
        );
        let req = request::list_runners(
            &source,
            &filter.get_untracked(),
            PageQuery::new(1, PageQuery::MAX_PER_PAGE),
        );
        leptos::task::spawn_local(async move {
            let result = client
                .load_all::<Runner>(&req, signal.as_ref(), |loaded, total| {
                    set_load(i, Load::Loading { loaded, total })
                })
                .await;
            match result {
                Ok(items) => {
                    let label = several.then_some(label.as_str());
                    let rows = items
                        .into_iter()
                        .map(|r| Indexed::on(r, i as u16, label))
                        .collect();
                    parts.update_value(|p| p[i] = rows);
                    fleet.runners.set(parts.with_value(|p| p.concat()));
                    set_load(i, Load::Done);
                }
                Err(ApiError::Aborted) => {
                    // `try_`: a cancel also comes when the page is left, and `loads` with it.
                    let loaded = match loads.try_with_untracked(|l| l.get(i).cloned()).flatten() {
                        Some(Load::Loading { loaded, .. }) => loaded,
                        _ => 0,
                    };
                    set_load(i, Load::Cancelled { loaded });
                }
                Err(e) => set_load(i, Load::Failed(e)),
            }
        });
    });

    Effect::new(move || {
        source.track();
        filter.track();
        reload.track();
        cancel();
        parts.update_value(|p| p.iter_mut().for_each(Vec::clear));
        fleet.runners.set(vec![]);
        fleet.selection.update(Selection::clear);
        for i in 0..count {
            load_one.with_value(|f| f(i));
        }
    });
    on_cleanup(cancel);
    let settled =
        Memo::new(move |_| loads.with(|l| !l.iter().any(|l| matches!(l, Load::Loading { .. }))));

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
            .with(|all| shown.with(|s| s.iter().map(|i| all[*i].key).collect::<Vec<u64>>()))
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
    let loading =
        Memo::new(move |_| loads.with(|l| l.iter().any(|l| matches!(l, Load::Loading { .. }))));
    let labels: Vec<String> = sessions.iter().map(|s| s.label.clone()).collect();
    // (before a message, in a sentence): "staging: ", "staging (https://…)".
    let names: Vec<(String, String)> = sessions
        .iter()
        .map(|s| {
            let prefix = if several {
                format!("{}: ", s.label)
            } else {
                String::new()
            };
            (prefix, format!("{} ({})", s.label, s.gitlab_url))
        })
        .collect();
    let bar = move |i: usize| {
        let labels = labels.clone();
        let (id, name) = if several {
            (format!("load-progress-{i}"), format!("{}: ", labels[i]))
        } else {
            ("load-progress".to_string(), String::new())
        };
        let state = Memo::new(move |_| loads.with(|l| l.get(i).cloned()));
        let counts = Memo::new(move |_| match state.get() {
            Some(Load::Loading { loaded, total }) => Some((loaded, total)),
            _ => None,
        });
        let words = move || match (counts.get(), state.get()) {
            (Some((loaded, Some(t))), _) => format!("{name}Loading runners: {loaded} of {t}"),
            (Some((loaded, None)), _) => format!(
                "{name}Loading runners: {loaded} so far (GitLab does not count above 10,000)"
            ),
            (None, Some(Load::Done)) => format!("{name}loaded"),
            _ => name.clone(),
        };
        view! {
            <label for=id.clone()>{words}</label>
            // Without a total the bar is indeterminate: no value at all.
            <progress
                id=id
                max=move || counts.get().and_then(|(_, t)| t).map(|t| t.to_string())
                value=move || counts.get().and_then(|(loaded, t)| t.map(|_| loaded.to_string()))
            ></progress>
        }
    };
    // An instance that failed or was cancelled, named in place; the others' runners stay.
    let settled_problem = move |i: usize| {
        let label = names[i].clone();
        move || {
            let label = label.clone();
            let retry = Callback::new(move |_| load_one.with_value(|f| f(i)));
            match loads.with(|l| l.get(i).cloned()) {
                Some(Load::Cancelled { loaded }) => Some(view! {
                    <div class="progress-block" role="status">
                        <p>{format!("{}Loading cancelled after {loaded} runners.", label.0)}</p>
                        <button type="button" class="secondary" on:click=move |_| retry.run(())>"Load again"</button>
                    </div>
                }
                .into_any()),
                Some(Load::Failed(e)) if several => Some(view! {
                    <div class="instance-failed" role="group" aria-label=format!("{} failed", label.1)>
                        <p class="error-title">{format!("{} could not be listed; the other instances are shown.", label.1)}</p>
                        <ErrorNotice error=e retry=retry />
                    </div>
                }
                .into_any()),
                Some(Load::Failed(e)) => Some(view! { <ErrorNotice error=e retry=retry /> }.into_any()),
                _ => None,
            }
        }
    };
    let problems = (0..count).map(settled_problem).collect_view();
    let progress = view! {
        <Show when=move || loading.get()>
            <div class="progress-block" role="status">
                {(0..count).map(bar.clone()).collect_view()}
                <button type="button" class="secondary" on:click=move |_| cancel()>"Cancel loading"</button>
            </div>
        </Show>
        {problems}
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
    let row = move |(i, key): (usize, u64)| {
        let id = fleet::split_key(key).1;
        let label = fleet.label_of(key);
        // This row's runner, as it changes (a bulk action updates it in place): at its
        // place in the shown list, so each row finds it at once among 10,000.
        let lookup = move || {
            fleet.runners.with(|all| {
                shown
                    .with(|s| s.get(i).copied())
                    .and_then(|at| all.get(at))
                    .filter(|r| r.key == key)
                    .or_else(|| all.iter().find(|r| r.key == key))
                    .map(|r| r.runner.clone())
            })
        };
        let first = untrack(lookup).unwrap_or_default();
        let r = Memo::new(move |_| lookup().unwrap_or_else(|| first.clone()));
        let checked = move || fleet.selection.read().ids.contains(&key);
        let on_click = move |ev: leptos::ev::MouseEvent| {
            if ev.shift_key() {
                let keys = shown_ids.get_untracked();
                fleet.selection.update(|s| s.extend_to(key, &keys));
            } else {
                fleet.selection.update(|s| s.toggle(key));
            }
        };
        let select_label = match &label {
            Some(l) => format!("Select runner #{id} on {l}"),
            None => format!("Select runner #{id}"),
        };
        let (data_instance, cell) = (label.clone(), label.clone());
        view! {
            <tr data-runner-id=id.to_string() data-instance=data_instance aria-rowindex=(i + 2).to_string() class:selected=checked>
                <td>
                    <input type="checkbox" aria-label=select_label prop:checked=checked on:click=on_click />
                </td>
                {cell.map(|l| view! { <td class="instance">{l}</td> })}
                <RunnerCells runner=r job=job instance=label />
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
            <Show when=move || settled.get()><div class="fleet-bar">
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
                        rows=move || fleet.runners.with(|all| {
                            all.iter()
                                .map(|i| on_instance(&i.runner, fleet.label_of(i.key).as_deref()))
                                .collect::<Vec<_>>()
                        })
                        what="runners"
                        filter=Signal::derive(move || crate::export::list_name(&source.get(), &filter.get()))
                        label=Signal::derive(move || format!("the {} loaded runners", fleet.runners.read().len()))
                        gitlab_url=export_origin.clone()
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
                            {several.then(|| view! { <th scope="col">"Instance"</th> })}
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
