//! The table of runners every list shows.

use crate::api::Runner;
use std::rc::Rc;

use crate::components::status_badge::status_badge;
use crate::dom::{el, El};
use crate::links;

/// The columns every runner table starts with (the fleet view's too).
pub const COLUMNS: [&str; 7] = [
    "Status",
    "ID",
    "Description",
    "Type",
    "Tags",
    "Paused",
    "IP address",
];

/// The cells of `COLUMNS` for one runner, added to `row`.
pub fn runner_cells(row: El, r: &Runner) -> El {
    let cell = |text: &str| el("td").text(text);
    let tags = r
        .tag_list
        .iter()
        .flatten()
        .map(|t| el("span").class("tag").text(t));
    row.child(el("td").child(status_badge(&r.status)))
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
}

/// Renders the last cell of a row (buttons acting on that runner).
pub type RowActions = Rc<dyn Fn(&Runner) -> El>;

pub fn runner_table(runners: Vec<Runner>, caption: &str, actions: Option<RowActions>) -> El {
    if !runners.is_empty() {
        // After this render: the first time runners are on screen.
        crate::dom::effect_after(|| crate::perf::mark("runners-visible"));
    }
    let rows = runners.iter().map(|r| {
        runner_cells(el("tr").attr("data-runner-id", &r.id.to_string()), r)
            .child(el("td").text(if r.is_shared { "Yes" } else { "No" }))
            .maybe(
                actions
                    .as_ref()
                    .map(|render| el("td").class("actions").child(render(r))),
            )
    });
    let heads = COLUMNS
        .into_iter()
        .chain(["Shared"])
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
