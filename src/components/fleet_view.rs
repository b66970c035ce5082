//! A whole runner list loaded at once: progress and cancel while loading, a quick
//! filter, a virtualised table (the DOM holds only the rows in view), selection with
//! Shift-click ranges, and bulk actions.

use crate::prelude::*;

use crate::api::request::{self, PageQuery, RunnerFilter, RunnerSource};
use crate::api::{ApiError, Runner};
use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::components::bulk_actions::bulk_actions;
use crate::components::error_notice::error_notice;
use crate::components::runner_table::{runner_cells, COLUMNS};
use crate::dom::{button, effect, el, label_for, El};
use crate::fleet::{self, Indexed, Selection};
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
    let abort: StoredValue<Option<web_sys::AbortController>> = StoredValue::new(None);
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
        crate::browser::spawn_local(async move {
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
                    // `try_`: aborted because the view went away, the signal may be gone.
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
    // The URL follows the quick filter once typing pauses, so it never slows a keystroke.
    let pending_url: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
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
    // The view may go before the timer fires (another list, another page).
    on_cleanup(move || {
        if let Some(Some(h)) = pending_url.try_get_value() {
            h.clear();
        }
    });

    let shown = Memo::new(move |_| {
        fleet
            .runners
            .with(|all| quick.with(|q| fleet::filter(all, q)))
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
            shown.with(Vec::len),
            OVERSCAN,
        )
    });

    // Which block shows; the loading block then follows the counts in place, so
    // "Cancel loading" keeps focus while pages arrive.
    let phase = Memo::new(move |_| match load.get() {
        Load::Loading { .. } => 0,
        Load::Cancelled { .. } => 1,
        Load::Failed(_) => 2,
        Load::Done => 3,
    });
    let counts = move || match load.get() {
        Load::Loading { loaded, total } => (loaded, total),
        _ => (0, None),
    };
    let loading =
        move || {
            el("div")
            .class("progress-block")
            .attr("role", "status")
            .child(label_for("load-progress", "").text_dyn(move || match counts() {
                (loaded, Some(t)) => format!("Loading runners: {loaded} of {t}"),
                (loaded, None) => {
                    format!("Loading runners: {loaded} so far (GitLab does not count above 10,000)")
                }
            }))
            // Without a total the bar is indeterminate (no max, no value).
            .child(
                el("progress")
                    .id("load-progress")
                    .attr_dyn("max", move || counts().1.map(|t| t.to_string()))
                    .attr_dyn("value", move || {
                        let (loaded, total) = counts();
                        total.map(|_| loaded.to_string())
                    }),
            )
            .child(secondary("Cancel loading").on("click", move |_| cancel()))
        };
    let cancelled = move || {
        let loaded = match load.get_untracked() {
            Load::Cancelled { loaded } => loaded,
            _ => 0,
        };
        el("div")
            .class("progress-block")
            .attr("role", "status")
            .child(el("p").text(&format!("Loading cancelled after {loaded} runners.")))
            .child(secondary("Load again").on("click", move |_| reload.update(|n| *n += 1)))
    };
    let failed = move || match load.get_untracked() {
        Load::Failed(e) => {
            error_notice(&e, Some(Callback::new(move |_| reload.update(|n| *n += 1))))
        }
        _ => el("div"),
    };

    let all_shown_selected = move || {
        fleet.selection.with(|sel| {
            shown_ids.with(|ids| !ids.is_empty() && ids.iter().all(|id| sel.ids.contains(id)))
        })
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

    let spacer = move |top: bool| {
        el("tr")
            .class("spacer")
            .attr("aria-hidden", "true")
            .style_dyn("height", move || {
                let (start, end) = window.get();
                let rows = if top {
                    start
                } else {
                    shown.with(Vec::len) - end
                };
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
                    shown.with(Vec::len),
                    fleet.runners.with(Vec::len),
                    fleet.selection.with(|s| s.ids.len()),
                )
            }))];
        els.extend(bulk_actions(fleet));
        els.push(el("div").dyn_child(move || {
            let empty = el("p").class("empty").attr("role", "status");
            if fleet.runners.with(Vec::is_empty) {
                Some(
                    empty.text("No runners match the filters. Clear them, or choose another list."),
                )
            } else if shown.with(Vec::is_empty) {
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
        .show(move || phase.get() == 0, loading)
        .show(move || phase.get() == 1, cancelled)
        .show(move || phase.get() == 2, failed)
        .show(move || phase.get() == 3, ready)
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
                            Some((shown.with(Vec::len) + 1).to_string())
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
                        .child(rows(fleet, shown, shown_ids, window, spacer)),
                ),
        )
}

/// A drawn row of the virtual table: its place among the shown runners and the
/// runner as drawn.
struct Drawn {
    place: usize,
    runner: Runner,
    element: Element,
}

/// The table body: the rows in view between two spacers. Rows that stay in view
/// stay the same nodes (a focused checkbox or link keeps its focus while the
/// table scrolls); only rows that come into view, or whose runner changed, are
/// built. Rows hold no listeners or effects of their own: one click listener and
/// one effect for the selection serve them all.
fn rows(
    fleet: Fleet,
    shown: Memo<Vec<usize>>,
    shown_ids: Memo<Vec<u64>>,
    window: Memo<(usize, usize)>,
    spacer: impl Fn(bool) -> El,
) -> El {
    let bottom = spacer(false);
    let end = bottom.element();
    let body = el("tbody").child(spacer(true));
    let parent = body.element();
    let drawn = Rc::new(RefCell::new(Vec::<Drawn>::new()));

    let rows = drawn.clone();
    effect(move || {
        let (start, stop) = window.get();
        fleet.runners.with(|all| {
            shown.with(|shown| {
                fleet.selection.with_untracked(|selected| {
                    let wanted: Vec<(usize, &Runner)> = (start..stop.min(shown.len()))
                        .map(|i| (i, &all[shown[i]].runner))
                        .collect();
                    let mut rows = rows.borrow_mut();
                    rows.retain(|d| {
                        let keep = wanted.iter().any(|(i, r)| *i == d.place && **r == d.runner);
                        if !keep {
                            d.element.remove();
                        }
                        keep
                    });
                    // Places only grow, so the kept rows are in order: new ones go in before
                    // the next kept row (or the bottom spacer).
                    let mut kept = std::mem::take(&mut *rows).into_iter().peekable();
                    for (place, runner) in wanted {
                        if kept.peek().is_some_and(|d| d.place == place) {
                            rows.extend(kept.next());
                            continue;
                        }
                        let element =
                            row(runner, place, selected.ids.contains(&runner.id)).into_element();
                        let before = kept.peek().map_or(&end, |d| &d.element);
                        let _ = parent.insert_before(&element, Some(before));
                        rows.push(Drawn {
                            place,
                            runner: runner.clone(),
                            element,
                        });
                    }
                })
            })
        });
    });

    let rows = drawn;
    effect(move || {
        fleet.selection.with(|selected| {
            for d in rows.borrow().iter() {
                mark(&d.element, selected.ids.contains(&d.runner.id));
            }
        });
    });

    body.child(bottom).on("click", move |ev| {
        let Some(id) = ev
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|e| e.get_attribute("data-select"))
            .and_then(|v| v.parse::<u64>().ok())
        else {
            return;
        };
        let shift = ev
            .dyn_ref::<web_sys::MouseEvent>()
            .is_some_and(|m| m.shift_key());
        if shift {
            let ids = shown_ids.get_untracked();
            fleet.selection.update(|s| s.extend_to(id, &ids));
        } else {
            fleet.selection.update(|s| s.toggle(id));
        }
    })
}

/// Shows whether a drawn row is selected: its checkbox, and a class for colour.
fn mark(row: &Element, selected: bool) {
    let _ = if selected {
        row.set_attribute("class", "selected")
    } else {
        row.remove_attribute("class")
    };
    if let Some(input) = row
        .query_selector("input")
        .ok()
        .flatten()
        .and_then(|i| i.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        input.set_checked(selected);
    }
}

/// One row of the virtual table; `place` is its place among the shown runners.
fn row(r: &Runner, place: usize, selected: bool) -> El {
    let id = r.id;
    let row = el("tr")
        .attr("data-runner-id", &id.to_string())
        .attr("aria-rowindex", &(place + 2).to_string())
        .child(
            el("td").child(
                el("input")
                    .attr("type", "checkbox")
                    .attr("aria-label", &format!("Select runner #{id}"))
                    .attr("data-select", &id.to_string()),
            ),
        );
    let row = runner_cells(row, r);
    mark(&row.element(), selected);
    row
}

/// The view's secondary buttons.
fn secondary(text: &str) -> El {
    button().class("secondary").text(text)
}
