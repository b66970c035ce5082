//! Bulk pause, resume, tag and delete over the selected runners: a bounded number
//! of requests at once, a progress bar, cancel, and a result per runner with the
//! failures retryable.

use futures::stream::{self, StreamExt};
use leptos::prelude::*;

use crate::api::request::{self, RunnerUpdate};
use crate::api::{ApiError, Client, RunnerDetails};
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::fleet_view::{Fleet, CONCURRENCY};
use crate::fleet;
use crate::runner_actions;

#[derive(Clone, Debug, PartialEq)]
pub enum BulkOp {
    Pause,
    Resume,
    AddTags(Vec<String>),
    RemoveTags(Vec<String>),
    Delete,
}

impl BulkOp {
    fn verb(&self) -> String {
        match self {
            BulkOp::Pause => "Pausing".into(),
            BulkOp::Resume => "Resuming".into(),
            BulkOp::AddTags(t) => format!("Adding tags {}", t.join(", ")),
            BulkOp::RemoveTags(t) => format!("Removing tags {}", t.join(", ")),
            BulkOp::Delete => "Deleting".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Changed,
    Unchanged,
    Failed(ApiError),
}

#[derive(Clone, Debug, PartialEq)]
struct Run {
    op: BulkOp,
    total: usize,
    /// (runner id, outcome) in the order they finished.
    results: Vec<(u64, Outcome)>,
    running: bool,
    cancelled: bool,
}

impl Run {
    fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.results.iter().filter(|(_, o)| f(o)).count()
    }

    fn failed_ids(&self) -> Vec<u64> {
        self.results
            .iter()
            .filter(|(_, o)| matches!(o, Outcome::Failed(_)))
            .map(|(id, _)| *id)
            .collect()
    }
}

/// A tag change reads the runner first: lists don't carry tags on every GitLab,
/// and `tag_list` replaces the whole list.
async fn change_tags(
    client: &Client,
    id: u64,
    change: impl Fn(&[String]) -> Option<Vec<String>>,
) -> Result<Option<Vec<String>>, ApiError> {
    let details: RunnerDetails = client
        .json(&request::get_runner_without_projects(id), None)
        .await?;
    let Some(tags) = change(&details.tag_list) else {
        return Ok(None);
    };
    let update = RunnerUpdate {
        tag_list: Some(tags.clone()),
        ..Default::default()
    };
    let _: RunnerDetails = client
        .json(&request::update_runner(id, &update), None)
        .await?;
    Ok(Some(tags))
}

/// `op` on the runner `key`, at its own instance with that instance's credentials.
async fn perform(fleet: Fleet, clients: &[Client], op: &BulkOp, key: u64) -> Outcome {
    let (instance, id) = fleet::split_key(key);
    let Some(client) = clients.get(usize::from(instance)) else {
        return Outcome::Failed(ApiError::Network("its instance is no longer listed".into()));
    };
    let result = match op {
        BulkOp::Pause | BulkOp::Resume => {
            let paused = *op == BulkOp::Pause;
            runner_actions::set_paused(client, id, paused)
                .await
                .map(|_| {
                    fleet.update(key, |r| {
                        r.paused = Some(paused);
                        r.active = Some(!paused);
                    });
                    true
                })
        }
        BulkOp::AddTags(add) => change_tags(client, id, |cur| fleet::with_tags(cur, add))
            .await
            .map(|tags| apply_tags(fleet, key, tags)),
        BulkOp::RemoveTags(remove) => {
            change_tags(client, id, |cur| fleet::without_tags(cur, remove))
                .await
                .map(|tags| apply_tags(fleet, key, tags))
        }
        BulkOp::Delete => client
            .empty(&request::delete_runner(id), None)
            .await
            .map(|_| {
                fleet.remove(key);
                true
            }),
    };
    match result {
        Ok(true) => Outcome::Changed,
        Ok(false) => Outcome::Unchanged,
        Err(e) => Outcome::Failed(e),
    }
}

fn apply_tags(fleet: Fleet, key: u64, tags: Option<Vec<String>>) -> bool {
    match tags {
        Some(tags) => {
            fleet.update(key, |r| r.tag_list = Some(tags));
            true
        }
        None => false,
    }
}

#[component]
pub fn BulkActions(fleet: Fleet) -> impl IntoView {
    let toasts = crate::components::toasts::use_toasts();
    let run = RwSignal::new(None::<Run>);
    let stop: StoredValue<Option<web_sys::AbortController>, LocalStorage> =
        StoredValue::new_local(None);
    let tags_text = RwSignal::new(String::new());
    let confirm_delete = RwSignal::new(false);
    let selected_count = move || fleet.selection.read().ids.len();
    let busy = move || run.read().as_ref().is_some_and(|r| r.running);

    let start = Callback::new(move |(op, ids): (BulkOp, Vec<u64>)| {
        if ids.is_empty() || busy() {
            return;
        }
        let controller = web_sys::AbortController::new().ok();
        let signal = controller.as_ref().map(|c| c.signal());
        stop.set_value(controller);
        run.set(Some(Run {
            op: op.clone(),
            total: ids.len(),
            results: vec![],
            running: true,
            cancelled: false,
        }));
        let (total, verb) = (ids.len(), op.verb());
        let clients = fleet.clients();
        leptos::task::spawn_local(async move {
            let cancelled = || signal.as_ref().is_some_and(|s| s.aborted());
            let mut done = stream::iter(ids)
                .take_while(|_| std::future::ready(!cancelled()))
                .map(|key| {
                    let (op, clients) = (op.clone(), clients.clone());
                    async move { (key, perform(fleet, &clients, &op, key).await) }
                })
                // In flight at once, over all instances: each instance gets at most this.
                .buffer_unordered(CONCURRENCY);
            // Counted here too: the page (and `run` with it) may go while the run goes
            // on, and its toast still says how it ended.
            let (mut finished, mut failed) = (0, 0);
            while let Some((id, outcome)) = done.next().await {
                finished += 1;
                failed += usize::from(matches!(outcome, Outcome::Failed(_)));
                run.update(|r| {
                    if let Some(r) = r {
                        r.results.push((id, outcome));
                    }
                });
            }
            let cancelled = cancelled();
            run.update(|r| {
                if let Some(r) = r {
                    r.running = false;
                    r.cancelled = cancelled;
                }
            });
            let done = format!("{verb}: {} of {total} runners done", finished - failed);
            if failed == 0 && !cancelled {
                toasts.success(done);
            } else {
                toasts.failure(format!("{done}, {failed} failed"));
            }
        });
    });
    let selected = move || {
        fleet
            .selection
            .get_untracked()
            .ids
            .into_iter()
            .collect::<Vec<u64>>()
    };
    let tags = move || fleet::parse_tags(&tags_text.get_untracked());

    // The summary stays while the run goes on: its words and bar update in place (one
    // runner's outcome at a time, without copying the run), so "Cancel" stays the same
    // button, and the failures list is built again only when a failure comes.
    let counts = Memo::new(move |_| {
        run.with(|r| {
            r.as_ref().map(|r| {
                (
                    r.results.len(),
                    r.count(|o| *o == Outcome::Changed),
                    r.count(|o| *o == Outcome::Unchanged),
                )
            })
        })
    });
    let failed =
        Memo::new(move |_| run.with(|r| r.as_ref().map(Run::failed_ids).unwrap_or_default()));
    let status = move || {
        run.with(|r| {
            let Some(r) = r else { return String::new() };
            let finished = r.results.len();
            if r.running {
                format!("{} runners: {finished} of {} done", r.op.verb(), r.total)
            } else if r.cancelled {
                format!(
                    "{} cancelled after {finished} of {} runners.",
                    r.op.verb(),
                    r.total
                )
            } else {
                format!(
                    "{} finished: {finished} of {} runners.",
                    r.op.verb(),
                    r.total
                )
            }
        })
    };
    let total = move || run.with(|r| r.as_ref().map_or(0, |r| r.total));
    let failures = move || {
        let ids = failed.get();
        (!ids.is_empty()).then(|| {
            let items = run.with_untracked(|r| {
                r.as_ref()
                    .map(|r| {
                        r.results
                            .iter()
                            .filter_map(|(id, o)| match o {
                                Outcome::Failed(e) => Some((*id, e.user_message())),
                                _ => None,
                            })
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
            });
            let op = run.with_untracked(|r| r.as_ref().map(|r| r.op.clone()));
            view! {
                <div class="bulk-failures">
                    <p class="error-title">"These runners were not changed:"</p>
                    <ul>
                        {items.into_iter().map(|(id, message)| view! {
                            <li><strong>{fleet.name_of(id)}</strong> ": " {message}</li>
                        }).collect_view()}
                    </ul>
                    <button type="button" disabled=busy on:click=move |_| {
                        if let Some(op) = op.clone() {
                            start.run((op, failed.get_untracked()));
                        }
                    }>
                        "Retry failed"
                    </button>
                </div>
            }
        })
    };
    let summary = view! {
        <Show when=move || run.with(Option::is_some)>
            <div class="bulk-run" role="status">
                <label for="bulk-progress">{status}</label>
                <progress
                    id="bulk-progress"
                    max=move || total().to_string()
                    value=move || counts.get().map_or(0, |c| c.0).to_string()
                ></progress>
                <p>
                    {move || {
                        let (_, changed, unchanged) = counts.get().unwrap_or_default();
                        format!("{changed} changed, {unchanged} already as asked, {} failed.", failed.read().len())
                    }}
                </p>
                <Show when=busy>
                    <button type="button" class="secondary" on:click=move |_| {
                        if let Some(c) = stop.get_value() { c.abort(); }
                    }>"Cancel"</button>
                </Show>
                {failures}
            </div>
        </Show>
    };

    view! {
        <div class="bulk" role="group" aria-label="Bulk actions on selected runners">
            <button type="button" class="secondary" disabled=move || busy() || selected_count() == 0 on:click=move |_| start.run((BulkOp::Pause, selected()))>
                "Pause selected"
            </button>
            <button type="button" class="secondary" disabled=move || busy() || selected_count() == 0 on:click=move |_| start.run((BulkOp::Resume, selected()))>
                "Resume selected"
            </button>
            <label for="bulk-tags">"Tags"</label>
            <input id="bulk-tags" type="text" aria-describedby="bulk-tags-help" bind:value=tags_text />
            <button type="button" class="secondary" disabled=move || busy() || selected_count() == 0 on:click=move |_| {
                let t = tags();
                if !t.is_empty() { start.run((BulkOp::AddTags(t), selected())); }
            }>"Add tags"</button>
            <button type="button" class="secondary" disabled=move || busy() || selected_count() == 0 on:click=move |_| {
                let t = tags();
                if !t.is_empty() { start.run((BulkOp::RemoveTags(t), selected())); }
            }>"Remove tags"</button>
            <span class="help" id="bulk-tags-help">"comma-separated"</span>
            <button type="button" class="danger-text secondary" disabled=move || busy() || selected_count() == 0 on:click=move |_| confirm_delete.set(true)>
                "Delete selected"
            </button>
        </div>
        {summary}
        <ConfirmDialog
            open=confirm_delete
            danger=true
            title=Signal::derive(move || format!("Delete {} runners?", selected_count()))
            confirm_label=Signal::derive(move || format!("Delete {} runners", selected_count()))
            on_confirm=Callback::new(move |_| start.run((BulkOp::Delete, selected())))
        >
            <p>"Each selected runner is removed from GitLab and its token stops working. This cannot be undone."</p>
        </ConfirmDialog>
    }
}
