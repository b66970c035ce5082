//! The table of runners every list shows.

use std::sync::Arc;

use leptos::prelude::*;

use crate::api::Runner;
use crate::components::status_badge::StatusBadge;
use crate::links;

/// Renders the last cell of a row (buttons acting on that runner).
pub type RowActions = Arc<dyn Fn(&Runner) -> AnyView + Send + Sync>;

#[component]
pub fn RunnerTable(
    runners: Vec<Runner>,
    #[prop(into)] caption: String,
    /// An "Actions" column when given.
    #[prop(optional)]
    actions: Option<RowActions>,
) -> impl IntoView {
    let has_actions = actions.is_some();
    if !runners.is_empty() {
        // After this render: the first time runners are on screen.
        Effect::new(|| crate::perf::mark("runners-visible"));
    }
    let rows = runners
        .into_iter()
        .map(|r| {
            let action_cell = actions.as_ref().map(|render| view! { <td class="actions">{render(&r)}</td> });
            let paused = r.is_paused();
            let tags = r.tag_list.clone().unwrap_or_default();
            view! {
                <tr data-runner-id=r.id.to_string()>
                    <td>
                        <StatusBadge status=r.status.clone() />
                    </td>
                    <td class="num">
                        <a href=links::href(&links::runner(r.id)) aria-label=format!("Runner #{}", r.id)>
                            {format!("#{}", r.id)}
                        </a>
                    </td>
                    <td class="description">
                        {r.description.clone().filter(|d| !d.is_empty()).unwrap_or_else(|| "(no description)".into())}
                    </td>
                    <td>{r.runner_type.label().to_string()}</td>
                    <td class="tags">
                        {tags.into_iter().map(|t| view! { <span class="tag">{t}</span> }).collect_view()}
                    </td>
                    <td>{if paused { "Paused" } else { "No" }}</td>
                    <td class="mono">{r.ip_address.clone().unwrap_or_default()}</td>
                    <td>{if r.is_shared { "Yes" } else { "No" }}</td>
                    {action_cell}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="runners">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Status"</th>
                        <th scope="col">"ID"</th>
                        <th scope="col">"Description"</th>
                        <th scope="col">"Type"</th>
                        <th scope="col">"Tags"</th>
                        <th scope="col">"Paused"</th>
                        <th scope="col">"IP address"</th>
                        <th scope="col">"Shared"</th>
                        {has_actions.then(|| view! { <th scope="col">"Actions"</th> })}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
