//! The table of runners every list shows.

use std::sync::Arc;

use leptos::prelude::*;

use crate::api::Runner;
use std::rc::Rc;

use crate::components::status_badge::{status_badge, StatusBadge};
use crate::dom::{el, El};
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

/// Renders the last cell of a row (buttons acting on that runner), hand-built.
pub type RowActionsEl = Rc<dyn Fn(&Runner) -> El>;

/// `RunnerTable` as a hand-built view.
pub fn runner_table(runners: Vec<Runner>, caption: &str, actions: Option<RowActionsEl>) -> El {
    if !runners.is_empty() {
        // After this render: the first time runners are on screen.
        Effect::new(|| crate::perf::mark("runners-visible"));
    }
    let cell = |text: &str| el("td").text(text);
    let rows = runners.iter().map(|r| {
        let tags = r
            .tag_list
            .iter()
            .flatten()
            .map(|t| el("span").class("tag").text(t));
        el("tr")
            .attr("data-runner-id", &r.id.to_string())
            .child(el("td").child(status_badge(&r.status)))
            .child(
                el("td").class("num").child(
                    el("a")
                        .attr("href", &links::href(&links::runner(r.id)))
                        .attr("aria-label", &format!("Runner #{}", r.id))
                        .text(&format!("#{}", r.id)),
                ),
            )
            .child(
                el("td").class("description").text(
                    r.description
                        .as_deref()
                        .filter(|d| !d.is_empty())
                        .unwrap_or("(no description)"),
                ),
            )
            .child(cell(r.runner_type.label()))
            .child(el("td").class("tags").children(tags))
            .child(cell(if r.is_paused() { "Paused" } else { "No" }))
            .child(
                el("td")
                    .class("mono")
                    .text(r.ip_address.as_deref().unwrap_or_default()),
            )
            .child(cell(if r.is_shared { "Yes" } else { "No" }))
            .maybe(
                actions
                    .as_ref()
                    .map(|render| el("td").class("actions").child(render(r))),
            )
    });
    let heads = [
        "Status",
        "ID",
        "Description",
        "Type",
        "Tags",
        "Paused",
        "IP address",
        "Shared",
    ]
    .into_iter()
    .chain(actions.is_some().then_some("Actions"))
    .map(|h| el("th").attr("scope", "col").text(h));
    el("div").class("table-wrap").child(
        el("table")
            .class("runners")
            .child(el("caption").text(caption))
            .child(el("thead").child(el("tr").children(heads)))
            .child(el("tbody").children(rows)),
    )
}
