//! A whole runner list loaded at once: progress and cancel while loading, a quick
//! filter, a virtualised table (the DOM holds only the rows in view), selection with
//! Shift-click ranges, and bulk actions.

use leptos::prelude::*;

use crate::api::request::{self, PageQuery, RunnerFilter, RunnerSource};
use crate::api::{ApiError, Runner};
use wasm_bindgen::JsCast;

use crate::components::bulk_actions::bulk_actions;
use crate::components::error_notice::error_notice;
use crate::components::runner_table::COLUMNS;
use crate::components::status_badge::status_badge;
use crate::dom::{button, el, label_for, El};
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

/// `initial_quick` is the quick filter as the URL had it; `on_quick` is called
/// (debounced) with the quick filter, to keep it in the URL.
pub fn fleet_view(
    source: Memo<RunnerSource>,
    filter: Memo<RunnerFilter>,
    initial_quick: String,
    on_quick: Callback<String>,
) -> El {
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

    crate::dom::effect_after(move || {
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
    // Not on the first run: the URL has the text already.
    let first = std::cell::Cell::new(true);
    crate::dom::effect_after(move || {
        let text = quick.get();
        if first.replace(false) {
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

    let again = move |_| reload.update(|n| *n += 1);
    let progress = move || match load.get() {
        Load::Loading { loaded, total } => {
            let text = match total {
                Some(t) => format!("Loading runners: {loaded} of {t}"),
                None => {
                    format!("Loading runners: {loaded} so far (GitLab does not count above 10,000)")
                }
            };
            let bar = el("progress").id("load-progress");
            let bar = match total {
                Some(t) => bar
                    .attr("max", &t.to_string())
                    .attr("value", &loaded.to_string()),
                None => bar,
            };
            Some(
                el("div")
                    .class("progress-block")
                    .attr("role", "status")
                    .child(label_for("load-progress", &text))
                    .child(bar)
                    .child(secondary("Cancel loading").on("click", move |_| cancel())),
            )
        }
        Load::Cancelled { loaded } => Some(
            el("div")
                .class("progress-block")
                .attr("role", "status")
                .child(el("p").text(&format!("Loading cancelled after {loaded} runners.")))
                .child(secondary("Load again").on("click", again)),
        ),
        Load::Failed(e) => Some(error_notice(
            &e,
            Some(Callback::new(move |_| reload.update(|n| *n += 1))),
        )),
        Load::Done => None,
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
            .map(|i| row(&all[shown[i]].runner, ids[i], i, fleet, shown_ids))
            .collect()
    };
    let spacer = move |top: bool| {
        el("tr")
            .class("spacer")
            .attr("aria-hidden", "true")
            .style_dyn("height", move || {
                let (start, end) = window.get();
                let rows = if top { start } else { shown.read().len() - end };
                // Whole pixels: integer printing only (no float formatting in the wasm).
                format!("{}px", rows * ROW_HEIGHT as usize)
            })
    };
    let heads = COLUMNS
        .into_iter()
        .map(|h| el("th").attr("scope", "col").text(h));

    let ready = move || {
        let mut els =
            vec![el("div")
            .class("fleet-bar")
            .child(
                el("div")
                    .class("field")
                    .child(label_for("quick-filter", "Quick filter"))
                    .child(
                        el("input")
                            .id("quick-filter")
                            .attr("type", "search")
                            .attr("aria-describedby", "quick-filter-help")
                            .bind_value(quick),
                    )
                    .child(el("p").class("help").id("quick-filter-help").text(
                        "ID, description, tags, IP address, type or status; every word must match.",
                    )),
            )
            .child(el("p").class("counts").attr("role", "status").text_dyn(move || {
                format!(
                    "{} shown of {} loaded · {} selected",
                    shown.read().len(),
                    fleet.runners.read().len(),
                    fleet.selection.read().ids.len(),
                )
            }))];
        els.extend(bulk_actions(fleet));
        els.push(el("div").dyn_child(move || {
            let empty = el("p").class("empty").attr("role", "status");
            if fleet.runners.read().is_empty() {
                Some(
                    empty.text("No runners match the filters. Clear them, or choose another list."),
                )
            } else if shown.read().is_empty() {
                Some(
                    empty
                        .text("No loaded runner matches the quick filter. ")
                        .child(
                            secondary("Clear the quick filter")
                                .on("click", move |_| quick.set(String::new())),
                        ),
                )
            } else {
                None
            }
        }));
        els
    };

    el("section")
        .class("fleet")
        .attr("aria-label", "All loaded runners")
        .dyn_child(progress)
        .show(move || load.get() == Load::Done, ready)
        .child(
            el("div")
                .class("virtual")
                .style("height", &format!("{}px", VIEWPORT as u32))
                .on("scroll", move |ev| {
                    if let Some(el) = ev
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    {
                        scroll_top.set(el.scroll_top() as f64);
                    }
                })
                .child(
                    el("table")
                        .class("runners fleet-table")
                        .attr_dyn("aria-rowcount", move || {
                            Some((shown.read().len() + 1).to_string())
                        })
                        .child(
                            el("thead").child(
                                el("tr")
                                    .attr("aria-rowindex", "1")
                                    .child(
                                        el("th").attr("scope", "col").child(
                                            el("input")
                                                .attr("type", "checkbox")
                                                .attr("aria-label", "Select all shown runners")
                                                .prop_dyn("checked", move || {
                                                    all_shown_selected().into()
                                                })
                                                .on("click", toggle_all),
                                        ),
                                    )
                                    .children(heads),
                            ),
                        )
                        .child(
                            el("tbody")
                                .child(spacer(true))
                                .dyn_nodes(rows)
                                .child(spacer(false)),
                        ),
                ),
        )
}

/// One row of the virtual table; `i` is its place among the shown runners.
fn row(r: &Runner, id: u64, i: usize, fleet: Fleet, shown_ids: Memo<Vec<u64>>) -> El {
    let checked = move || fleet.selection.read().ids.contains(&id);
    let on_click = move |ev: web_sys::Event| {
        let shift = ev
            .dyn_ref::<web_sys::MouseEvent>()
            .is_some_and(|m| m.shift_key());
        if shift {
            let ids = shown_ids.get_untracked();
            fleet.selection.update(|s| s.extend_to(id, &ids));
        } else {
            fleet.selection.update(|s| s.toggle(id));
        }
    };
    let cell = |text: &str| el("td").text(text);
    let tags = r
        .tag_list
        .iter()
        .flatten()
        .map(|t| el("span").class("tag").text(t));
    el("tr")
        .attr("data-runner-id", &id.to_string())
        .attr("aria-rowindex", &(i + 2).to_string())
        .attr_dyn("class", move || checked().then(|| "selected".to_string()))
        .child(
            el("td").child(
                el("input")
                    .attr("type", "checkbox")
                    .attr("aria-label", &format!("Select runner #{id}"))
                    .prop_dyn("checked", move || checked().into())
                    .on("click", on_click),
            ),
        )
        .child(el("td").child(status_badge(&r.status)))
        .child(
            el("td").class("num").child(
                el("a")
                    .attr("href", &links::href(&links::runner(id)))
                    .text(&format!("#{id}")),
            ),
        )
        .child(
            el("td")
                .class("description")
                .text(r.description.as_deref().unwrap_or_default()),
        )
        .child(cell(r.runner_type.label()))
        .child(el("td").class("tags").children(tags))
        .child(cell(if r.is_paused() { "Paused" } else { "No" }))
        .child(
            el("td")
                .class("mono")
                .text(r.ip_address.as_deref().unwrap_or_default()),
        )
}

/// The view's secondary buttons.
fn secondary(text: &str) -> El {
    button().class("secondary").text(text)
}
