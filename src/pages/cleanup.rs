//! `/cleanup`: find dead runners by criteria kept in the URL, see how many match
//! and why, export them, and delete them a few at a time with progress, cancel
//! and a result for each. GitLab filters what it can (status, type, paused,
//! tags); last contact, age and version are checked here, reading a runner's
//! details only where its list entry cannot tell.

use std::collections::HashMap;

use futures::stream::{self, StreamExt};
use leptos::prelude::*;

use crate::api::request::{self, PageQuery, RunnerType};
use crate::api::{ApiError, Client, Runner, RunnerDetails};
use crate::cleanup::{
    refusal_text, status_label, Criteria, Draft, FieldError, Match, Outcome, Seen, Verdict,
    STATUSES,
};
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::download::ExportButtons;
use crate::components::error_notice::ErrorNotice;
use crate::components::fleet_view::CONCURRENCY;
use crate::components::progress_run::{
    cancel_run, each, load_every, new_run, Progress, Run, RunControl, RunStatus,
};
use crate::components::relative_time::{parse_ms, RelativeTime};
use crate::components::toasts::use_toasts;
use crate::fleet;
use crate::links;
use crate::list_query::ListQuery;
use crate::navigation::use_navigation;
use crate::session::{use_session, Session};

const ROW_HEIGHT: f64 = 40.0;
const VIEWPORT: f64 = 480.0;
const OVERSCAN: usize = 8;

#[component]
pub fn CleanupPage(
    /// Every runner of these instances at once, instead of the pages' one.
    #[prop(optional)]
    across: Option<Vec<Session>>,
) -> impl IntoView {
    let several = across.is_some();
    let sessions = across.unwrap_or_else(|| vec![use_session()]);
    let is_admin = sessions.iter().all(Session::is_admin);
    let router = use_navigation();
    let query_map = leptos_router::hooks::use_query_map();
    let criteria = Memo::new(move |_| Criteria::from_lookup(|k| query_map.read().get(k)));
    let apply = Callback::new(move |c: Criteria| router.navigate(&links::cleanup(&c)));
    let lead = if several {
        "Find the dead runners of every signed-in instance (an administrator's every runner, your own elsewhere) by status, last contact, age, type, tags or version; keep a copy; delete them, each at its own instance."
    } else if is_admin {
        "Find the dead runners of this GitLab by status, last contact, age, type, tags or version; keep a copy; delete them."
    } else {
        "Find the dead runners among those you manage (your projects' and groups') by status, last contact, age, type, tags or version; keep a copy; delete them."
    };
    view! {
        <section class="cleanup-page" aria-labelledby="cleanup-title">
            <h1 id="cleanup-title">"Clean up runners"</h1>
            <p class="lead">{lead}</p>
            {(!is_admin).then(|| view! {
                <p class="note">
                    "GitLab lets you delete a project runner only while no other project uses it. "
                    "A runner shared with other projects is refused, and the result says so: an administrator can delete it, "
                    "or you can disable it in your project on the Project runners page."
                </p>
            })}
            <CriteriaForm criteria=criteria on_apply=apply />
            {move || {
                let c = criteria.get();
                if c.is_empty() {
                    view! {
                        <p class="note" role="status">
                            "Choose at least one criterion and press Find runners. The console never offers to delete every runner at once."
                        </p>
                    }.into_any()
                } else {
                    view! { <Preview criteria=c sessions=sessions.clone() /> }.into_any()
                }
            }}
        </section>
    }
}

#[component]
fn CriteriaForm(criteria: Memo<Criteria>, on_apply: Callback<Criteria>) -> impl IntoView {
    let draft = RwSignal::new(Draft::default());
    // The URL decides (a link, Back): the form shows what it holds.
    Effect::new(move || draft.set(Draft::from_criteria(&criteria.get())));
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let error_of = move |field: &'static str| {
        move || {
            errors.with(|e| {
                e.iter()
                    .find(|(f, _)| *f == field)
                    .map(|(_, why)| why.clone())
            })
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match draft.get_untracked().check() {
            Ok(c) => {
                errors.set(vec![]);
                on_apply.run(c);
            }
            // What was typed stays; each refused field says why.
            Err(e) => errors.set(e),
        }
    };
    // One field of the draft as a getter and a setter.
    macro_rules! field {
        ($name:ident) => {
            (
                move || draft.read().$name.clone(),
                move |ev: leptos::ev::Event| {
                    let v = event_target_value(&ev);
                    draft.update(|d| d.$name = v);
                },
            )
        };
    }
    let (status, set_status) = field!(status);
    let (idle, set_idle) = field!(idle_days);
    let (age, set_age) = field!(age_days);
    let (kind, set_kind) = field!(runner_type);
    let (paused, set_paused) = field!(paused);
    let (tags, set_tags) = field!(tags);
    let (older, set_older) = field!(older_than);
    let invalid = move |field: &'static str| move || error_of(field)().is_some().to_string();
    let field_error = move |id: &'static str, field: &'static str| {
        move || error_of(field)().map(|why| view! { <p class="field-error" id=id>{why}</p> })
    };

    view! {
        <form class="cleanup-criteria" on:submit=submit novalidate>
            <fieldset>
                <legend>"Runners to clean up"</legend>
                <div class="field">
                    <label for="cleanup-status">"Status"</label>
                    <select id="cleanup-status" prop:value=status on:change=set_status>
                        <option value="">"Any status"</option>
                        {STATUSES.map(|s| view! { <option value=s.as_str()>{status_label(s)}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="cleanup-idle">"Not contacted for at least (days)"</label>
                    <input id="cleanup-idle" type="text" inputmode="numeric" prop:value=idle on:input=set_idle
                        aria-invalid=invalid("idle_days") aria-describedby="cleanup-idle-help cleanup-idle-error" />
                    <p class="help" id="cleanup-idle-help">"Never contacted counts as not contacted."</p>
                    {field_error("cleanup-idle-error", "idle_days")}
                </div>
                <div class="field">
                    <label for="cleanup-age">"Created more than (days ago)"</label>
                    <input id="cleanup-age" type="text" inputmode="numeric" prop:value=age on:input=set_age
                        aria-invalid=invalid("age_days") aria-describedby="cleanup-age-error" />
                    {field_error("cleanup-age-error", "age_days")}
                </div>
                <div class="field">
                    <label for="cleanup-type">"Type"</label>
                    <select id="cleanup-type" prop:value=kind on:change=set_kind>
                        <option value="">"Any type"</option>
                        {RunnerType::ALL.iter().map(|t| view! {
                            <option value=t.as_str()>{crate::dashboard::column_label(Some(*t))}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="cleanup-paused">"Paused"</label>
                    <select id="cleanup-paused" prop:value=paused on:change=set_paused>
                        <option value="">"Paused or not"</option>
                        <option value="true">"Paused"</option>
                        <option value="false">"Not paused"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="cleanup-tags">"Tags"</label>
                    <input id="cleanup-tags" type="text" prop:value=tags on:input=set_tags aria-describedby="cleanup-tags-help" />
                    <p class="help" id="cleanup-tags-help">"Runners with all of these, comma-separated."</p>
                </div>
                <div class="field">
                    <label for="cleanup-older">"Version older than"</label>
                    <input id="cleanup-older" type="text" prop:value=older on:input=set_older
                        aria-invalid=invalid("older_than") aria-describedby="cleanup-older-help cleanup-older-error" />
                    <p class="help" id="cleanup-older-help">"For example 16.0. A runner that never reported a version does not match."</p>
                    {field_error("cleanup-older-error", "older_than")}
                </div>
            </fieldset>
            <button type="submit">"Find runners"</button>
        </form>
    }
}

/// What GitLab answered a runner's details, for `keep`: `None` when it is gone.
type DetailsRead = Option<(Runner, Seen)>;

/// The runners matching `criteria`, their export, and their deletion.
#[component]
fn Preview(criteria: Criteria, sessions: Vec<Session>) -> impl IntoView {
    let several = sessions.len() > 1;
    let clients: Vec<Client> = sessions.iter().map(|s| s.client.clone()).collect();
    let gitlab_url = crate::export::origin_of(sessions.iter().map(|s| s.gitlab_url.as_str()));
    // An instance that could not be searched, named in place; the others' matches stay.
    let instance_failures = RwSignal::new(Vec::<(String, ApiError)>::new());
    let toasts = use_toasts();
    let found = RwSignal::new(Vec::<Match>::new());
    let listed = RwSignal::new(None::<usize>);
    let run = RwSignal::new(Run::Idle);
    let phase = RwSignal::new("Loading the runners GitLab lists");
    let failed = RwSignal::new(None::<ApiError>);
    let finding = RunControl::new();
    let outcomes = RwSignal::new(HashMap::<u64, Outcome>::new());
    let deleting = RwSignal::new(Run::Idle);
    let stopping = RunControl::new();

    let find = {
        let (criteria, sessions) = (criteria.clone(), sessions.clone());
        move || {
            let signal = new_run(finding);
            found.set(vec![]);
            listed.set(None);
            failed.set(None);
            instance_failures.set(vec![]);
            outcomes.set(HashMap::new());
            deleting.set(Run::Idle);
            phase.set("Loading the runners GitLab lists");
            run.set(Run::Working { done: 0, of: None });
            let (criteria, sessions) = (criteria.clone(), sessions.clone());
            leptos::task::spawn_local(async move {
                let mut listed_total = 0;
                for (i, s) in sessions.iter().enumerate() {
                    // One instance's search; its failure stops only it when several are searched.
                    let failed_here = if several { RwSignal::new(None) } else { failed };
                    let label = several.then(|| s.label.clone());
                    let done = search(
                        i as u16,
                        label,
                        s,
                        &criteria,
                        signal.as_ref(),
                        (run, phase, failed_here, found),
                    )
                    .await;
                    match done {
                        Some(n) => listed_total += n,
                        None if matches!(run.try_get_untracked(), Some(Run::Cancelled { .. })) => {
                            return
                        }
                        None if several => {
                            if let Some(e) = failed_here.try_get_untracked().flatten() {
                                instance_failures.try_update(|f| {
                                    f.push((format!("{} ({})", s.label, s.gitlab_url), e))
                                });
                            }
                        }
                        None => return,
                    }
                }
                listed.try_set(Some(listed_total));
                // Instance by instance, each in GitLab's order: newest first.
                found.try_update(|f| {
                    f.sort_by_key(|m| {
                        (
                            fleet::split_key(key_of(m)).0,
                            std::cmp::Reverse(m.runner.id),
                        )
                    })
                });
                run.try_set(Run::Done);
            });
        }
    };
    let find = StoredValue::new_local(find);
    Effect::new(move |_| find.with_value(|f| f()));
    on_cleanup(move || {
        cancel_run(finding);
        cancel_run(stopping);
    });

    // Not deleted yet (or refused, or failed): what "Delete N runners" deletes.
    let remaining = Memo::new(move |_| {
        found.with(|f| {
            outcomes.with(|o| {
                f.iter()
                    .map(key_of)
                    .filter(|id| {
                        !matches!(o.get(id), Some(Outcome::Deleted | Outcome::AlreadyGone))
                    })
                    .collect::<Vec<u64>>()
            })
        })
    });
    let delete = Callback::new(move |ids: Vec<u64>| {
        if ids.is_empty() || matches!(deleting.get_untracked(), Run::Working { .. }) {
            return;
        }
        let signal = new_run(stopping);
        let total = ids.len();
        let of = Some(total);
        deleting.set(Run::Working { done: 0, of });
        outcomes.update(|o| ids.iter().for_each(|id| drop(o.remove(id))));
        let clients = clients.clone();
        leptos::task::spawn_local(async move {
            // A cancel stops new deletes; those on their way finish, so each
            // runner's result is known.
            let stopped = || signal.as_ref().is_some_and(|s| s.aborted());
            let mut results = stream::iter(ids)
                .take_while(|_| std::future::ready(!stopped()))
                .map(|key| {
                    // Each at its own instance, with its credentials.
                    let (instance, id) = fleet::split_key(key);
                    let client = clients.get(usize::from(instance)).cloned();
                    async move {
                        let outcome = match client {
                            Some(client) => delete_one(&client, id).await,
                            None => Outcome::Failed("its instance is not listed".into()),
                        };
                        (key, outcome)
                    }
                })
                .buffer_unordered(CONCURRENCY);
            let (mut done, mut deleted) = (0, 0);
            while let Some((id, outcome)) = results.next().await {
                done += 1;
                deleted += usize::from(outcome == Outcome::Deleted);
                outcomes.try_update(|o| o.insert(id, outcome));
                deleting.try_set(Run::Working { done, of });
            }
            let cancelled = stopped();
            deleting.try_set(if cancelled {
                Run::Cancelled { done }
            } else {
                Run::Done
            });
            let text = format!("Cleanup: {deleted} of {total} runners deleted");
            if deleted == total {
                toasts.success(text);
            } else {
                toasts.failure(if cancelled {
                    format!("{text}, cancelled")
                } else {
                    text
                });
            }
        });
    });

    let count = move || found.read().len();
    let finding_now = move || matches!(run.get(), Run::Working { .. });
    let deleting_now = move || matches!(deleting.get(), Run::Working { .. });
    // Offered once the search is over and something matched.
    let offer = move || !finding_now() && count() != 0;
    let confirm_open = RwSignal::new(false);
    let typed = RwSignal::new(String::new());
    let to_delete = move || remaining.read().len();
    let name = criteria.name();
    let export = {
        let (gitlab_url, name) = (gitlab_url.clone(), name.clone());
        move || {
            view! {
                <ExportButtons
                    rows=move || found.with(|f| f.iter().map(Match::export_row).collect::<Vec<_>>())
                    what="cleanup"
                    filter=Signal::stored(name.clone())
                    label=Signal::derive(move || format!("the {} matching runners", count()))
                    gitlab_url=gitlab_url.clone()
                />
            }
        }
    };
    let export_in_dialog = export.clone();
    let host = sessions
        .iter()
        .map(|s| {
            s.gitlab_url
                .split_once("://")
                .map_or(s.gitlab_url.clone(), |(_, h)| {
                    h.trim_end_matches('/').to_string()
                })
        })
        .collect::<Vec<_>>()
        .join(", ");

    view! {
        <section class="cleanup-preview" aria-labelledby="cleanup-preview-title">
            <h2 id="cleanup-preview-title">"Preview"</h2>
            <RunStatus run=run what=Signal::derive(move || phase.get().to_string()) control=finding failed=failed retry=Callback::new(move |_| find.with_value(|f| f())) />
            {move || instance_failures.get().into_iter().map(|(name, e)| view! {
                <div class="instance-failed" role="group" aria-label=format!("{name} failed")>
                    <p class="error-title">{format!("{name} could not be searched; the other instances' matches are shown.")}</p>
                    <ErrorNotice error=e retry=Callback::new(move |_| find.with_value(|f| f())) />
                </div>
            }).collect_view()}
            <p class="match-count" role="status">
                {move || {
                    let n = count();
                    let what = if n == 1 { "1 runner matches".to_string() } else { format!("{n} runners match") };
                    match run.get() {
                        Run::Working { .. } => format!("{what} so far"),
                        Run::Cancelled { .. } => format!("{what} among those checked before the search was cancelled"),
                        _ => match listed.get() {
                            Some(l) => format!("{what} (GitLab listed {l} with its own filters)"),
                            None => what,
                        },
                    }
                }}
            </p>
            {move || matches!(run.get(), Run::Cancelled { .. }).then(|| view! {
                <button type="button" class="secondary" on:click=move |_| find.with_value(|f| f())>"Search again"</button>
            })}
            <Show when=offer>
                <div class="cleanup-actions">
                    <p class="help">"Keep a copy of what you delete: every field GitLab gave, and why each runner matched."</p>
                    {export()}
                    <button type="button" class="danger" disabled=move || deleting_now() || to_delete() == 0
                        on:click=move |_| { typed.set(String::new()); confirm_open.set(true); }>
                        {move || format!("Delete {} runners", to_delete())}
                    </button>
                </div>
            </Show>
            <Progress run=deleting what=Signal::stored("Deleting runners".to_string()) on_cancel=Callback::new(move |_| cancel_run(stopping)) />
            <Results found=found outcomes=outcomes deleting=deleting retry=delete find=Callback::new(move |_| find.with_value(|f| f())) />
            <MatchTable found=found outcomes=outcomes several=several />
            <ConfirmDialog
                open=confirm_open
                danger=true
                title=Signal::derive(move || format!("Delete {} runners?", to_delete()))
                confirm_label=Signal::derive(move || format!("Delete {} runners", to_delete()))
                ready=Signal::derive(move || typed.read().trim() == to_delete().to_string())
                on_confirm=Callback::new(move |_| delete.run(remaining.get_untracked()))
            >
                <p>{format!("Each runner of the preview is removed from {host} and its token stops working. This cannot be undone.")}</p>
                <p>"Keep a copy first:"</p>
                {export_in_dialog()}
                <div class="field">
                    <label for="cleanup-confirm">{move || format!("Type {} to confirm", to_delete())}</label>
                    <input id="cleanup-confirm" type="text" inputmode="numeric" autocomplete="off" bind:value=typed />
                </div>
            </ConfirmDialog>
        </section>
    }
}

fn key_of(m: &Match) -> u64 {
    m.key
}

/// What a search reports to the page: its progress, phase, failure and matches.
type SearchView = (
    RwSignal<Run>,
    RwSignal<&'static str>,
    RwSignal<Option<ApiError>>,
    RwSignal<Vec<Match>>,
);

/// One instance's search: its list with GitLab's filters, judged here, and the
/// details of the runners whose list entry cannot tell. How many GitLab
/// listed, or `None` when it failed (in `failed`) or was cancelled.
async fn search(
    instance: u16,
    label: Option<String>,
    session: &Session,
    criteria: &Criteria,
    signal: Option<&web_sys::AbortSignal>,
    (run, phase, failed, found): SearchView,
) -> Option<usize> {
    let client = session.client.clone();
    let source = ListQuery::default().api_source(session.is_admin());
    phase.try_set("Loading the runners GitLab lists");
    let req = request::list_runners(
        &source,
        &criteria.server_filter(),
        PageQuery::new(1, PageQuery::MAX_PER_PAGE),
    );
    let all = load_every::<Runner>(&client, &req, signal, run, failed).await?;
    let listed = all.len();
    let now = js_sys::Date::now();
    let matched = |runner: Runner, seen: Option<&Seen>, why: Vec<String>| Match {
        key: fleet::row_key(instance, runner.id),
        instance: label.clone(),
        contacted_at: seen.and_then(|s| s.contacted_at.clone()),
        version: seen.and_then(|s| s.version.clone()),
        matched_because: why,
        runner,
    };
    let mut to_read = vec![];
    for r in all {
        match criteria.judge(&r, None, now, parse_ms) {
            Verdict::Matches(why) => {
                let m = matched(r, None, why);
                found.try_update(|f| f.push(m));
            }
            Verdict::NeedsDetails => to_read.push(r),
            Verdict::NoMatch => {}
        }
    }
    if !to_read.is_empty() {
        phase.try_set("Reading last contact, age and version");
        let read = |r: Runner| {
            let client = client.clone();
            async move {
                let req = request::get_runner_without_projects(r.id);
                match client.json::<RunnerDetails>(&req, signal).await {
                    Ok(d) => Ok(Some((r, Seen::from_details(&d)))),
                    // Deleted meanwhile: nothing to clean up.
                    Err(e) if e.is_not_found() => Ok(None),
                    Err(e) => Err(e),
                }
            }
        };
        let keep = |read: DetailsRead| {
            let Some((r, seen)) = read else { return };
            if let Verdict::Matches(why) = criteria.judge(&r, Some(&seen), now, parse_ms) {
                let m = matched(r, Some(&seen), why);
                found.try_update(|f| f.push(m));
            }
        };
        if !each(to_read, read, keep, run, failed).await {
            return None;
        }
    }
    Some(listed)
}

/// `DELETE /runners/:id`, and what its answer means.
async fn delete_one(client: &Client, id: u64) -> Outcome {
    match client.empty(&request::delete_runner(id), None).await {
        Ok(_) => Outcome::Deleted,
        Err(e) if e.is_not_found() => Outcome::AlreadyGone,
        Err(e) if matches!(e.status(), Some(400..=499)) => Outcome::Refused(
            e.gitlab_words()
                .map(|w| refusal_text(&w))
                .unwrap_or_else(|| e.user_message()),
        ),
        Err(e) => Outcome::Failed(e.user_message()),
    }
}

/// How the deletion went: counts, the runners not deleted with why, and Retry.
#[component]
fn Results(
    found: RwSignal<Vec<Match>>,
    outcomes: RwSignal<HashMap<u64, Outcome>>,
    deleting: RwSignal<Run>,
    retry: Callback<Vec<u64>>,
    find: Callback<()>,
) -> impl IntoView {
    let counts = Memo::new(move |_| {
        outcomes.with(|o| {
            let n = |f: fn(&Outcome) -> bool| o.values().filter(|x| f(x)).count();
            (
                n(|x| *x == Outcome::Deleted),
                n(|x| *x == Outcome::AlreadyGone),
                n(|x| matches!(x, Outcome::Refused(_))),
                n(|x| matches!(x, Outcome::Failed(_))),
            )
        })
    });
    let not_deleted = Memo::new(move |_| {
        outcomes.with(|o| {
            let mut ids: Vec<u64> = o
                .iter()
                .filter(|(_, x)| x.retryable())
                .map(|(id, _)| *id)
                .collect();
            ids.sort_unstable_by_key(|key| {
                let (instance, id) = fleet::split_key(*key);
                (instance, std::cmp::Reverse(id))
            });
            ids
        })
    });
    let name_of = move |key: u64| {
        found.with_untracked(|f| {
            f.iter()
                .find(|m| m.key == key)
                .map(|m| match &m.instance {
                    Some(label) => format!("{} on {label}", m.runner.display_name()),
                    None => m.runner.display_name(),
                })
                .unwrap_or_else(|| format!("#{}", fleet::split_key(key).1))
        })
    };
    let ended = move || matches!(deleting.get(), Run::Done | Run::Cancelled { .. });
    view! {
        <Show when=ended>
            <div class="cleanup-results" role="status">
                <p>
                    {move || {
                        let (deleted, gone, refused, failed) = counts.get();
                        let head = match deleting.get() {
                            Run::Cancelled { done } => format!("Deleting cancelled after {done} runners."),
                            _ => "Deleting finished.".to_string(),
                        };
                        format!("{head} {deleted} deleted, {gone} already gone, {refused} refused, {failed} failed.")
                    }}
                </p>
                {move || {
                    let ids = not_deleted.get();
                    (!ids.is_empty()).then(|| view! {
                        <div class="bulk-failures">
                            <p class="error-title">"These runners were not deleted:"</p>
                            <ul>
                                {ids.iter().map(|id| {
                                    let why = outcomes.with_untracked(|o| o.get(id).map(Outcome::label).unwrap_or_default());
                                    view! { <li><strong>{name_of(*id)}</strong> ": " {why}</li> }
                                }).collect_view()}
                            </ul>
                            <button type="button" on:click=move |_| retry.run(not_deleted.get_untracked())>"Retry failed"</button>
                        </div>
                    })
                }}
                <button type="button" class="secondary" on:click=move |_| find.run(())>"Search again"</button>
            </div>
        </Show>
    }
}

/// The matching runners, virtualised: the DOM holds only the rows in view.
#[component]
fn MatchTable(
    found: RwSignal<Vec<Match>>,
    outcomes: RwSignal<HashMap<u64, Outcome>>,
    /// An Instance column: the runners of several instances.
    several: bool,
) -> impl IntoView {
    let scroll_top = RwSignal::new(0.0f64);
    let len = Memo::new(move |_| found.read().len());
    let window = Memo::new(move |_| {
        fleet::window(scroll_top.get(), VIEWPORT, ROW_HEIGHT, len.get(), OVERSCAN)
    });
    let visible = move || {
        let (start, end) = window.get();
        found.with(|f| {
            (start..end.min(f.len()))
                .map(|i| (i, f[i].key))
                .collect::<Vec<_>>()
        })
    };
    let row = move |(i, key): (usize, u64)| {
        let Some(m) = found.with_untracked(|f| f.get(i).cloned()) else {
            return ().into_any();
        };
        let r = &m.runner;
        let id = r.id;
        let href = match &m.instance {
            Some(label) => links::href(&links::on(label, &links::runner(id))),
            None => links::href(&links::runner(id)),
        };
        let contact = match (&m.contacted_at, r.online) {
            (Some(at), _) => {
                view! { <RelativeTime iso=Some(at.clone()) none="Never" /> }.into_any()
            }
            (None, None) => view! { <span>"Never"</span> }.into_any(),
            // Not read: the list entry answered every criterion.
            (None, Some(_)) => view! { <span class="muted">"Not read"</span> }.into_any(),
        };
        let result = move || outcomes.with(|o| o.get(&key).map(Outcome::label).unwrap_or_default());
        view! {
            <tr data-runner-id=id.to_string() data-instance=m.instance.clone() aria-rowindex=(i + 2).to_string()>
                <th scope="row"><a href=href>{r.display_name()}</a></th>
                {m.instance.clone().map(|l| view! { <td class="instance">{l}</td> })}
                <td>{r.runner_type.label().to_string()}</td>
                <td>{r.status.replace('_', " ")}</td>
                <td>{contact}</td>
                <td class="version">{m.version.clone().unwrap_or_else(|| "—".into())}</td>
                <td class="why">{m.matched_because.join("; ")}</td>
                <td class="result">{result}</td>
            </tr>
        }
        .into_any()
    };
    let spacer = move |top: bool| {
        move || {
            let (start, end) = window.get();
            let rows = if top {
                start
            } else {
                len.get().saturating_sub(end)
            };
            format!("{}px", rows as f64 * ROW_HEIGHT)
        }
    };
    view! {
        <Show when=move || { len.get() > 0 }>
            <div class="virtual" style:height=format!("{VIEWPORT}px") on:scroll=move |ev| {
                let el: web_sys::Element = event_target(&ev);
                scroll_top.set(el.scroll_top() as f64);
            }>
                <table class="runners fleet-table cleanup-table" aria-rowcount=move || (len.get() + 1).to_string()>
                    <caption>"Runners that match, and why"</caption>
                    <thead>
                        <tr aria-rowindex="1">
                            <th scope="col">"Runner"</th>
                            {several.then(|| view! { <th scope="col">"Instance"</th> })}
                            <th scope="col">"Type"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Last contact"</th>
                            <th scope="col">"Version"</th>
                            <th scope="col">"Why it matches"</th>
                            <th scope="col">"Result"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <tr class="spacer" aria-hidden="true" style:height=spacer(true)></tr>
                        <For each=visible key=|k| *k children=row />
                        <tr class="spacer" aria-hidden="true" style:height=spacer(false)></tr>
                    </tbody>
                </table>
            </div>
        </Show>
    }
}
