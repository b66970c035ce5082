//! The filters of a runner list. Selects apply at once; tags apply on Enter or "Apply".
//! The parent owns the state (it lives in the URL) and gets the new filter.

use crate::prelude::*;

use crate::api::request::{RunnerFilter, RunnerSource, RunnerType, Scope, StatusFilter};
use crate::dom::{button, el, label_for, option, value_of, El};

fn status_label(s: StatusFilter) -> &'static str {
    match s {
        StatusFilter::Online => "Online",
        StatusFilter::Offline => "Offline",
        StatusFilter::Stale => "Stale",
        StatusFilter::NeverContacted => "Never contacted",
        StatusFilter::Active => "Active (not paused)",
        StatusFilter::Paused => "Paused",
    }
}

fn type_label(t: RunnerType) -> &'static str {
    match t {
        RunnerType::InstanceType => "Instance",
        RunnerType::GroupType => "Group",
        RunnerType::ProjectType => "Project",
    }
}

/// `""` means "any" in every select.
fn parse_or_none<T>(value: &str, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
    (!value.is_empty()).then(|| parse(value)).flatten()
}

/// A labelled select whose value follows `value` and whose change goes to `on_change`.
fn select_field(
    id: &'static str,
    label: &'static str,
    options: Vec<El>,
    value: impl Fn() -> String + 'static,
    on_change: impl Fn(String) + 'static,
) -> El {
    el("div").class("field").child(label_for(id, label)).child(
        el("select")
            .id(id)
            .children(options)
            .prop_dyn("value", move || value().into())
            .on("change", move |ev| on_change(value_of(&ev))),
    )
}

pub fn runner_filters(
    filter: Memo<RunnerFilter>,
    source: Memo<RunnerSource>,
    on_change: Callback<RunnerFilter>,
) -> El {
    let update = move |change: &dyn Fn(&mut RunnerFilter)| {
        let mut next = filter.get_untracked();
        change(&mut next);
        on_change.run(next);
    };
    let tags_text = RwSignal::new(String::new());
    crate::dom::effect_after(move || tags_text.set(filter.with(|f| f.tag_list.join(", "))));
    let apply_tags = move |ev: web_sys::Event| {
        ev.prevent_default();
        let tags: Vec<String> = tags_text
            .get_untracked()
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(String::from)
            .collect();
        update(&|f| f.tag_list = tags.clone());
    };
    let current = move |get: fn(&RunnerFilter) -> String| move || filter.with(get);
    let has_filters = move || filter.with(|f| *f != RunnerFilter::default());

    let types = std::iter::once(option("", "Any type"))
        .chain(
            RunnerType::ALL
                .iter()
                .map(|t| option(t.as_str(), type_label(*t))),
        )
        .collect();
    let statuses = |deprecated: bool| {
        StatusFilter::ALL
            .iter()
            .filter(move |s| s.is_deprecated() == deprecated)
            .map(|s| option(s.as_str(), status_label(*s)))
    };
    let statuses = std::iter::once(option("", "Any status"))
        .chain(statuses(false))
        .chain(std::iter::once(
            el("optgroup")
                .attr("label", "Older GitLab (before 16.0)")
                .children(statuses(true)),
        ))
        .collect();
    let paused = vec![
        option("", "Paused or not"),
        option("true", "Paused only"),
        option("false", "Not paused"),
    ];

    el("form")
        .class("filters")
        .attr("role", "search")
        .attr("aria-label", "Filter runners")
        .on("submit", apply_tags)
        .child(select_field(
            "filter-type",
            "Type",
            types,
            current(|f| {
                f.runner_type
                    .map(|t| t.as_str().to_string())
                    .unwrap_or_default()
            }),
            move |v| update(&|f| f.runner_type = parse_or_none(&v, RunnerType::parse)),
        ))
        .child(select_field(
            "filter-status",
            "Status",
            statuses,
            current(|f| f.status.map(|s| s.as_str().to_string()).unwrap_or_default()),
            move |v| update(&|f| f.status = parse_or_none(&v, StatusFilter::parse)),
        ))
        .child(select_field(
            "filter-paused",
            "Paused",
            paused,
            current(|f| f.paused.map(|p| p.to_string()).unwrap_or_default()),
            move |v| update(&|f| f.paused = parse_or_none(&v, |s| s.parse().ok())),
        ))
        // `scope` is deprecated and groups don't take it; offered for old servers only.
        .dyn_child(move || {
            let scopes = source.with(|s| s.scopes());
            (!scopes.is_empty()).then(|| {
                let options = std::iter::once(option("", "No scope"))
                    .chain(
                        scopes
                            .iter()
                            .map(|s| option(s.as_str(), &s.as_str().replace('_', " "))),
                    )
                    .collect();
                select_field(
                    "filter-scope",
                    "Scope (older GitLab)",
                    options,
                    current(|f| f.scope.map(|s| s.as_str().to_string()).unwrap_or_default()),
                    move |v| update(&|f| f.scope = parse_or_none(&v, Scope::parse)),
                )
            })
        })
        .child(
            el("div")
                .class("field tags-field")
                .child(label_for("filter-tags", "Tags (all of)"))
                .child(
                    el("div")
                        .class("inline")
                        .child(
                            el("input")
                                .id("filter-tags")
                                .attr("type", "text")
                                .attr("aria-describedby", "filter-tags-help")
                                .bind_value(tags_text),
                        )
                        .child(
                            el("button")
                                .attr("type", "submit")
                                .class("secondary")
                                .text("Apply tags"),
                        ),
                )
                .child(
                    el("p")
                        .class("help")
                        .id("filter-tags-help")
                        .text("Comma-separated; runners having every tag."),
                ),
        )
        .show(has_filters, move || {
            button()
                .class("secondary clear")
                .text("Clear filters")
                .on("click", move |_| on_change.run(RunnerFilter::default()))
        })
}
