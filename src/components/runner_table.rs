//! The table of runners every list shows.

use std::sync::Arc;

use leptos::prelude::*;

use crate::api::Runner;
use crate::components::runner_facts::{FactsCells, FactsHeaderCells, FactsStore};
use crate::components::status_badge::StatusBadge;
use crate::links;

/// Renders the last cell of a row (buttons acting on that runner). The runner is a
/// signal: the row stays while its runner changes, so the buttons keep focus.
pub type RowActions = Arc<dyn Fn(Memo<Runner>) -> AnyView + Send + Sync>;

/// Columns beyond the list entity's, by what the server has.
#[derive(Clone, Copy, Default)]
pub struct ExtraColumns {
    /// "Job": running a job or idle (`job_execution_status`, GitLab 18.8+).
    pub job: bool,
    /// Version, machines and last contact, loaded for each shown runner.
    pub facts: Option<FactsStore>,
}

/// The runners' table. Rows are keyed by id: an answer that changes a runner updates
/// its row in place (focus stays where it was), and only new runners get new rows.
#[component]
pub fn RunnerTable(
    #[prop(into)] runners: Signal<Vec<Runner>>,
    #[prop(into)] caption: Signal<String>,
    /// An "Actions" column when given.
    #[prop(optional)]
    actions: Option<RowActions>,
    #[prop(optional)] extra: ExtraColumns,
) -> impl IntoView {
    let has_actions = actions.is_some();
    // After this render: the first time runners are on screen.
    Effect::new(move || {
        if runners.with(|r| !r.is_empty()) {
            crate::perf::mark("runners-visible");
        }
    });
    let row = move |first: Runner| {
        let id = first.id;
        // This row's runner in the newest answer (the For drops the row when it goes).
        let r = Memo::new(move |_| {
            runners
                .with(|all| all.iter().find(|x| x.id == id).cloned())
                .unwrap_or_else(|| first.clone())
        });
        let action_cell = actions
            .clone()
            .map(|render| view! { <td class="actions">{render(r)}</td> });
        view! {
            <tr data-runner-id=id.to_string()>
                <RunnerCells runner=r job=extra.job />
                {extra.facts.map(|store| view! { <FactsCells store=store id=id /> })}
                <td>{move || if r.read().is_shared { "Yes" } else { "No" }}</td>
                {action_cell}
            </tr>
        }
    };
    view! {
        <div class="table-wrap">
            <table class="runners">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <RunnerHeaderCells job=extra.job />
                        {extra.facts.map(|store| view! { <FactsHeaderCells store=store /> })}
                        <th scope="col">"Shared"</th>
                        {has_actions.then(|| view! { <th scope="col">"Actions"</th> })}
                    </tr>
                </thead>
                <tbody>
                    <For each=move || runners.get() key=|r| r.id children=row />
                </tbody>
            </table>
        </div>
    }
}

/// The header cells of `RunnerCells`.
#[component]
pub fn RunnerHeaderCells(#[prop(optional)] job: bool) -> impl IntoView {
    view! {
        <th scope="col">"Status"</th>
        {job.then(|| view! { <th scope="col">"Job"</th> })}
        <th scope="col">"ID"</th>
        <th scope="col">"Description"</th>
        <th scope="col">"Type"</th>
        <th scope="col">"Tags"</th>
        <th scope="col">"Paused"</th>
        <th scope="col">"IP address"</th>
    }
}

/// The cells every list of runners shows (status, ID, description, type, tags,
/// paused, IP address), following the runner as it changes.
#[component]
pub fn RunnerCells(
    runner: Memo<Runner>,
    #[prop(optional)] job: bool,
    /// The runner's instance, when a list shows several: its link goes there.
    #[prop(default = None)]
    instance: Option<String>,
) -> impl IntoView {
    let r = runner;
    let id = r.read_untracked().id;
    let (href, name) = match &instance {
        Some(label) => (
            links::href(&links::on(label, &links::runner(id))),
            format!("Runner #{id} on {label}"),
        ),
        None => (links::href(&links::runner(id)), format!("Runner #{id}")),
    };
    view! {
        <td>{move || view! { <StatusBadge status=r.read().status.clone() /> }}</td>
        {job.then(|| view! { <td>{move || job_text(r.read().job_execution_status.as_deref())}</td> })}
        <td class="num">
            <a href=href aria-label=name>
                {format!("#{id}")}
            </a>
        </td>
        <td class="description">
            {move || r.read().description.clone().filter(|d| !d.is_empty()).unwrap_or_else(|| "(no description)".into())}
        </td>
        <td>{move || r.read().runner_type.label().to_string()}</td>
        <td class="tags">
            {move || r.read().tag_list.clone().unwrap_or_default().into_iter().map(|t| view! { <span class="tag">{t}</span> }).collect_view()}
        </td>
        <td>{move || if r.read().is_paused() { "Paused" } else { "No" }}</td>
        <td class="mono">{move || r.read().ip_address.clone().unwrap_or_default()}</td>
    }
}

/// `job_execution_status` in words (GitLab 18.8+ sends `active` or `idle`).
pub fn job_text(status: Option<&str>) -> &'static str {
    match status {
        Some("active") => "Running a job",
        Some("idle") => "Idle",
        _ => "Unknown",
    }
}
