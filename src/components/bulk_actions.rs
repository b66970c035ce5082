//! Bulk pause, resume, tag and delete over the selected runners: a bounded number
//! of requests at once, a progress bar, cancel, and a result per runner with the
//! failures retryable.

use crate::concurrent::{Bounded, LocalFuture};
use crate::prelude::*;

use crate::api::request::{self, RunnerUpdate};
use crate::api::{ApiError, Client, RunnerDetails};
use crate::components::confirm_dialog::confirm_dialog;
use crate::components::fleet_view::{Fleet, CONCURRENCY};
use crate::dom::{button, el, label_for, El};
use crate::fleet;
use crate::runner_actions;
use crate::session::use_session;

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
    let details: RunnerDetails = client.json(&request::get_runner(id), None).await?;
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

async fn perform(client: &Client, fleet: Fleet, op: &BulkOp, id: u64) -> Outcome {
    let result = match op {
        BulkOp::Pause | BulkOp::Resume => {
            let paused = *op == BulkOp::Pause;
            runner_actions::set_paused(client, id, paused)
                .await
                .map(|_| {
                    fleet.update(id, |r| {
                        r.paused = Some(paused);
                        r.active = Some(!paused);
                    });
                    true
                })
        }
        BulkOp::AddTags(add) => change_tags(client, id, |cur| fleet::with_tags(cur, add))
            .await
            .map(|tags| apply_tags(fleet, id, tags)),
        BulkOp::RemoveTags(remove) => {
            change_tags(client, id, |cur| fleet::without_tags(cur, remove))
                .await
                .map(|tags| apply_tags(fleet, id, tags))
        }
        BulkOp::Delete => client
            .empty(&request::delete_runner(id), None)
            .await
            .map(|_| {
                fleet.remove(id);
                true
            }),
    };
    match result {
        Ok(true) => Outcome::Changed,
        Ok(false) => Outcome::Unchanged,
        Err(e) => Outcome::Failed(e),
    }
}

fn apply_tags(fleet: Fleet, id: u64, tags: Option<Vec<String>>) -> bool {
    match tags {
        Some(tags) => {
            fleet.update(id, |r| r.tag_list = Some(tags));
            true
        }
        None => false,
    }
}

/// The action bar, the run's progress and results, and the delete confirmation.
pub fn bulk_actions(fleet: Fleet) -> Vec<El> {
    let client = use_session().client;
    let toasts = crate::components::toasts::use_toasts();
    let run = RwSignal::new(None::<Run>);
    let stop: StoredValue<Option<web_sys::AbortController>> = StoredValue::new(None);
    let tags_text = RwSignal::new(String::new());
    let confirm_delete = RwSignal::new(false);
    let selected_count = move || fleet.selection.with(|s| s.ids.len());
    let busy = move || run.with(|r| r.as_ref().is_some_and(|r| r.running));

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
        let client = client.clone();
        let (total, verb) = (ids.len(), op.verb());
        crate::browser::spawn_local(async move {
            let cancelled = || signal.as_ref().is_some_and(|s| s.aborted());
            // Taken one by one as places free up: after a cancel none is started.
            let jobs = ids.into_iter().take_while(move |_| !cancelled()).map(|id| {
                let (client, op) = (client.clone(), op.clone());
                let job: LocalFuture<'static, _> =
                    Box::pin(async move { (id, perform(&client, fleet, &op, id).await) });
                job
            });
            let mut done = Bounded::new(jobs, CONCURRENCY);
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
    let selected = move || fleet.selection.with_untracked(|s| s.ids.to_vec());
    let tags = move || fleet::parse_tags(&tags_text.get_untracked());

    // Built once per page and updated in place as results come in, so the Cancel
    // button keeps focus and the status is not rebuilt a thousand times.
    let summary = move || {
        // Counted once per result, for the four places that show them.
        let counts = Memo::new(move |_| {
            run.with(|r| {
                let r = r.as_ref()?;
                Some((
                    r.count(|o| *o == Outcome::Changed),
                    r.count(|o| *o == Outcome::Unchanged),
                    r.count(|o| matches!(o, Outcome::Failed(_))),
                    r.results.len(),
                    r.total,
                ))
            })
            .unwrap_or_default()
        });
        let counts = move || counts.get();
        let status = move || {
            run.with(|r| {
                let Some(r) = r else { return String::new() };
                let (verb, finished, total) = (r.op.verb(), r.results.len(), r.total);
                if r.running {
                    format!("{verb} runners: {finished} of {total} done")
                } else if r.cancelled {
                    format!("{verb} cancelled after {finished} of {total} runners.")
                } else {
                    format!("{verb} finished: {finished} of {total} runners.")
                }
            })
        };
        let failures = move || {
            run.with(|r| {
                r.iter()
                    .flat_map(|r| &r.results)
                    .filter_map(|(id, o)| match o {
                        Outcome::Failed(e) => Some(
                            el("li")
                                .child(el("strong").text(&untrack(|| fleet.name_of(*id))))
                                .text(": ")
                                .text(&e.user_message()),
                        ),
                        _ => None,
                    })
                    .collect()
            })
        };
        let retry = move |_| {
            if let Some(r) = run.get_untracked() {
                start.run((r.op.clone(), r.failed_ids()));
            }
        };
        el("div")
            .class("bulk-run")
            .attr("role", "status")
            .child(label_for("bulk-progress", "").text_dyn(status))
            .child(
                el("progress")
                    .id("bulk-progress")
                    .attr_dyn("max", move || Some(counts().4.to_string()))
                    .attr_dyn("value", move || Some(counts().3.to_string())),
            )
            .child(el("p").text_dyn(move || {
                let (changed, unchanged, failed, ..) = counts();
                format!("{changed} changed, {unchanged} already as asked, {failed} failed.")
            }))
            .show(busy, move || {
                button()
                    .class("secondary")
                    .text("Cancel")
                    .on("click", move |_| {
                        if let Some(c) = stop.get_value() {
                            c.abort();
                        }
                    })
            })
            .show(
                move || counts().2 > 0,
                move || {
                    el("div")
                        .class("bulk-failures")
                        .child(
                            el("p")
                                .class("error-title")
                                .text("These runners were not changed:"),
                        )
                        .child(el("ul").dyn_nodes(failures))
                        .child(
                            button()
                                .disabled_while(busy)
                                .text("Retry failed")
                                .on("click", retry),
                        )
                },
            )
    };
    // Every action needs a selection and no run going.
    let action = move |label: &str, class: &str| {
        button()
            .class(class)
            .text(label)
            .disabled_while(move || busy() || selected_count() == 0)
    };
    let with_tags = move |make: fn(Vec<String>) -> BulkOp| {
        move |_| {
            let t = tags();
            if !t.is_empty() {
                start.run((make(t), selected()));
            }
        }
    };

    vec![
        el("div")
            .class("bulk")
            .attr("role", "group")
            .attr("aria-label", "Bulk actions on selected runners")
            .child(
                action("Pause selected", "secondary")
                    .on("click", move |_| start.run((BulkOp::Pause, selected()))),
            )
            .child(
                action("Resume selected", "secondary")
                    .on("click", move |_| start.run((BulkOp::Resume, selected()))),
            )
            .child(label_for("bulk-tags", "Tags"))
            .child(
                el("input")
                    .id("bulk-tags")
                    .attr("type", "text")
                    .attr("aria-describedby", "bulk-tags-help")
                    .bind_value(tags_text),
            )
            .child(action("Add tags", "secondary").on("click", with_tags(BulkOp::AddTags)))
            .child(action("Remove tags", "secondary").on("click", with_tags(BulkOp::RemoveTags)))
            .child(el("span").class("help").id("bulk-tags-help").text("comma-separated"))
            .child(
                action("Delete selected", "danger-text secondary")
                    .on("click", move |_| confirm_delete.set(true)),
            ),
        el("div").show(move || run.with(Option::is_some), summary),
        confirm_dialog(
            confirm_delete,
            move || format!("Delete {} runners?", selected_count()),
            move || format!("Delete {} runners", selected_count()),
            move || start.run((BulkOp::Delete, selected())),
            true,
            el("p").text("Each selected runner is removed from GitLab and its token stops working. This cannot be undone."),
        ),
    ]
}
