//! Which runner list to show: mine, all (admins), a group's or a project's. Groups and
//! projects come from the user's own (maintainer or more), or are typed as id or path.

use crate::prelude::*;

use crate::components::busy_line::busy_line;
use crate::components::load::{load, Load};

use crate::api::request::{self, GroupsQuery, PageQuery, ProjectsQuery};
use crate::api::{Group, Project};
use crate::dom::{el, label_for, option, value_of, El};
use crate::list_query::SourceChoice;
use crate::session::use_session;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Owned,
    All,
    Group,
    Project,
}

fn kind_of(choice: &SourceChoice, is_admin: bool) -> Kind {
    match choice {
        SourceChoice::Default if is_admin => Kind::All,
        SourceChoice::Default | SourceChoice::Owned => Kind::Owned,
        SourceChoice::All => Kind::All,
        SourceChoice::Group(_) => Kind::Group,
        SourceChoice::Project(_) => Kind::Project,
    }
}

const MAINTAINER: u32 = 40;

pub fn source_picker(choice: Signal<SourceChoice>, on_change: Callback<SourceChoice>) -> El {
    let session = use_session();
    let is_admin = session.is_admin();
    let kind = RwSignal::new(kind_of(&choice.get_untracked(), is_admin));
    crate::dom::effect_after(move || kind.set(kind_of(&choice.get(), is_admin)));
    let typed = RwSignal::new(String::new());
    crate::dom::effect_after(move || {
        typed.set(match choice.get() {
            SourceChoice::Group(id) => id.to_string(),
            SourceChoice::Project(p) => p,
            _ => String::new(),
        })
    });

    // The user's groups and projects, fetched only when those kinds are picked.
    let client = session.client.clone();
    let groups = load(move |_| {
        let wanted = kind.get() == Kind::Group;
        let client = client.clone();
        async move {
            if !wanted {
                return Ok(vec![]);
            }
            let q = GroupsQuery {
                min_access_level: (!is_admin).then_some(MAINTAINER),
                ..Default::default()
            };
            client
                .page::<Group>(&request::list_groups(&q, PageQuery::new(1, 100)), None)
                .await
                .map(|p| p.items)
        }
    });
    let client = session.client.clone();
    let projects = load(move |_| {
        let wanted = kind.get() == Kind::Project;
        let client = client.clone();
        async move {
            if !wanted {
                return Ok(vec![]);
            }
            let q = ProjectsQuery {
                min_access_level: Some(MAINTAINER),
                simple: true,
                ..Default::default()
            };
            client
                .page::<Project>(&request::list_projects(&q, PageQuery::new(1, 100)), None)
                .await
                .map(|p| p.items)
        }
    });

    let on_kind = move |ev: web_sys::Event| match value_of(&ev).as_str() {
        "all" => on_change.run(SourceChoice::All),
        "group" => kind.set(Kind::Group),
        "project" => kind.set(Kind::Project),
        _ => on_change.run(SourceChoice::Owned),
    };
    let submit_typed = move |ev: web_sys::Event| {
        ev.prevent_default();
        let text = typed.get_untracked().trim().to_string();
        if text.is_empty() {
            return;
        }
        match kind.get_untracked() {
            Kind::Group => {
                if let Ok(id) = text.parse() {
                    on_change.run(SourceChoice::Group(id));
                }
            }
            _ => on_change.run(SourceChoice::Project(text)),
        }
    };
    let kind_value = move || {
        match kind.get() {
            Kind::Owned => "owned",
            Kind::All => "all",
            Kind::Group => "group",
            Kind::Project => "project",
        }
        .into()
    };
    let chosen_group = move || match choice.get() {
        SourceChoice::Group(id) => id.to_string(),
        _ => String::new(),
    };
    let chosen_project = move || match choice.get() {
        SourceChoice::Project(p) => p,
        _ => String::new(),
    };
    let group_options = move || {
        groups
            .get()
            .and_then(Result::ok)
            .into_iter()
            .flatten()
            .map(|g| {
                option(
                    &g.id.to_string(),
                    &format!("{} ({})", g.full_name, g.full_path),
                )
            })
            .collect()
    };
    let project_options = move || {
        projects
            .get()
            .and_then(Result::ok)
            .into_iter()
            .flatten()
            .map(|p| option(&p.path_with_namespace, &p.name_with_namespace))
            .collect()
    };

    let kinds = el("select")
        .id("runner-source")
        .child(option("owned", "My runners"))
        .maybe(is_admin.then(|| option("all", "All runners")))
        .child(option("group", "A group's runners"))
        .child(option("project", "A project's runners"))
        .prop_dyn("value", kind_value)
        .on("change", on_kind);

    el("form")
        .class("source")
        .on("submit", submit_typed)
        .child(
            el("div")
                .class("field")
                .child(label_for("runner-source", "Show"))
                .child(kinds),
        )
        .show(
            move || kind.get() == Kind::Group,
            move || {
                vec![
                    picked(
                        "source-group",
                        "Group",
                        "Choose a group…",
                        "Loading your groups…",
                        groups,
                        group_options,
                        chosen_group,
                        move |v| {
                            if let Ok(id) = v.parse() {
                                on_change.run(SourceChoice::Group(id));
                            }
                        },
                    ),
                    typed_field("source-typed", "or group ID", "Show group", typed, true),
                ]
            },
        )
        .show(
            move || kind.get() == Kind::Project,
            move || {
                vec![
                    picked(
                        "source-project",
                        "Project",
                        "Choose a project…",
                        "Loading your projects…",
                        projects,
                        project_options,
                        chosen_project,
                        move |v| {
                            if !v.is_empty() {
                                on_change.run(SourceChoice::Project(v));
                            }
                        },
                    ),
                    typed_field(
                        "source-typed-project",
                        "or project ID or path",
                        "Show project",
                        typed,
                        false,
                    ),
                ]
            },
        )
}

/// A select of the user's own groups or projects, with its loading and failure lines.
#[allow(clippy::too_many_arguments)]
fn picked<T: Clone + 'static>(
    id: &'static str,
    label: &'static str,
    prompt: &'static str,
    loading: &'static str,
    list: Load<Vec<T>>,
    options: impl Fn() -> Vec<El> + 'static,
    chosen: impl Fn() -> String + 'static,
    on_pick: impl Fn(String) + 'static,
) -> El {
    el("div")
        .class("field")
        .child(label_for(id, label))
        .child(
            el("select")
                .id(id)
                .child(option("", prompt))
                .dyn_nodes(options)
                // Again once the options arrive, or the choice has nothing to select.
                .prop_dyn("value", move || {
                    list.track_answer();
                    chosen().into()
                })
                .on("change", move |ev| on_pick(value_of(&ev))),
        )
        .dyn_child(move || match list.get() {
            None => Some(busy_line(loading)),
            Some(Err(e)) => Some(
                el("p")
                    .class("error-inline")
                    .attr("role", "alert")
                    .text(&e.user_message()),
            ),
            _ => None,
        })
}

/// An id or path typed by hand, with its button.
fn typed_field(
    id: &'static str,
    label: &'static str,
    button: &'static str,
    typed: RwSignal<String>,
    numeric: bool,
) -> El {
    let input = el("input").id(id).attr("type", "text");
    let input = if numeric {
        input.attr("inputmode", "numeric")
    } else {
        input
    };
    el("div").class("field").child(label_for(id, label)).child(
        el("div")
            .class("inline")
            .child(input.bind_value(typed))
            .child(
                el("button")
                    .attr("type", "submit")
                    .class("secondary")
                    .text(button),
            ),
    )
}
