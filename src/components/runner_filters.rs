//! The filters of a runner list. Selects apply at once; tags and version apply on
//! Enter or "Apply".
//! The parent owns the state (it lives in the URL) and gets the new filter.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api::request::{RunnerFilter, RunnerSource, RunnerType, Scope, StatusFilter};
use crate::gitlab_version::Feature;
use crate::runner_rules::version_prefix_valid;
use crate::session::use_session;

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

#[component]
pub fn RunnerFilters(
    #[prop(into)] filter: Signal<RunnerFilter>,
    #[prop(into)] source: Signal<RunnerSource>,
    #[prop(into)] on_change: Callback<RunnerFilter>,
) -> impl IntoView {
    let update = move |change: &dyn Fn(&mut RunnerFilter)| {
        let mut next = filter.get_untracked();
        change(&mut next);
        on_change.run(next);
    };
    let by_version = use_session().has(Feature::VersionPrefix);
    let tags_text = RwSignal::new(String::new());
    Effect::new(move || tags_text.set(filter.read().tag_list.join(", ")));
    let version_text = RwSignal::new(String::new());
    Effect::new(move || version_text.set(filter.read().version_prefix.clone().unwrap_or_default()));
    let version_error = RwSignal::new(false);
    let apply_tags = move |ev: SubmitEvent| {
        ev.prevent_default();
        let tags: Vec<String> = tags_text
            .get_untracked()
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(String::from)
            .collect();
        let version = version_text.get_untracked().trim().to_string();
        // GitLab would answer 400; say why here and keep what was typed.
        let bad = by_version && !version.is_empty() && !version_prefix_valid(&version);
        version_error.set(bad);
        if bad {
            return;
        }
        update(&|f| {
            f.tag_list = tags.clone();
            if by_version {
                f.version_prefix = Some(version.clone()).filter(|v| !v.is_empty());
            }
        });
    };
    let current = move |get: fn(&RunnerFilter) -> String| move || get(&filter.read());
    let has_filters = move || *filter.read() != RunnerFilter::default();

    view! {
        <form class="filters" role="search" aria-label="Filter runners" on:submit=apply_tags>
            <div class="field">
                <label for="filter-type">"Type"</label>
                <select
                    id="filter-type"
                    prop:value=current(|f| f.runner_type.map(|t| t.as_str().to_string()).unwrap_or_default())
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        update(&|f| f.runner_type = parse_or_none(&v, RunnerType::parse));
                    }
                >
                    <option value="">"Any type"</option>
                    {RunnerType::ALL
                        .iter()
                        .map(|t| view! { <option value=t.as_str()>{type_label(*t)}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-status">"Status"</label>
                <select
                    id="filter-status"
                    prop:value=current(|f| f.status.map(|s| s.as_str().to_string()).unwrap_or_default())
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        update(&|f| f.status = parse_or_none(&v, StatusFilter::parse));
                    }
                >
                    <option value="">"Any status"</option>
                    {StatusFilter::ALL
                        .iter()
                        .filter(|s| !s.is_deprecated())
                        .map(|s| view! { <option value=s.as_str()>{status_label(*s)}</option> })
                        .collect_view()}
                    <optgroup label="Older GitLab (before 16.0)">
                        {StatusFilter::ALL
                            .iter()
                            .filter(|s| s.is_deprecated())
                            .map(|s| view! { <option value=s.as_str()>{status_label(*s)}</option> })
                            .collect_view()}
                    </optgroup>
                </select>
            </div>
            <div class="field">
                <label for="filter-paused">"Paused"</label>
                <select
                    id="filter-paused"
                    prop:value=current(|f| f.paused.map(|p| p.to_string()).unwrap_or_default())
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        update(&|f| f.paused = parse_or_none(&v, |s| s.parse().ok()));
                    }
                >
                    <option value="">"Paused or not"</option>
                    <option value="true">"Paused only"</option>
                    <option value="false">"Not paused"</option>
                </select>
            </div>
            // `scope` is deprecated and groups don't take it; offered for old servers only.
            <Show when=move || { !source.read().scopes().is_empty() }><div class="field">
                    <label for="filter-scope">"Scope (older GitLab)"</label>
                    <select
                        id="filter-scope"
                        prop:value=current(|f| f.scope.map(|s| s.as_str().to_string()).unwrap_or_default())
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            update(&|f| f.scope = parse_or_none(&v, Scope::parse));
                        }
                    >
                        <option value="">"No scope"</option>
                        {move || {
                            source
                                .read()
                                .scopes()
                                .iter()
                                .map(|s| view! { <option value=s.as_str()>{s.as_str().replace('_', " ")}</option> })
                                .collect_view()
                        }}
                    </select>
                </div></Show>
            <div class="field tags-field">
                <label for="filter-tags">"Tags (all of)"</label>
                <div class="inline">
                    <input
                        id="filter-tags"
                        type="text"
                        aria-describedby="filter-tags-help"
                        bind:value=tags_text
                    />
                </div>
                <p class="help" id="filter-tags-help">"Comma-separated; runners having every tag."</p>
            </div>
            <div class="field version-field">
                <label for="filter-version">"Version starts with"</label>
                <input
                    id="filter-version"
                    type="text"
                    inputmode="decimal"
                    aria-describedby="filter-version-help"
                    aria-invalid=move || version_error.get().then_some("true")
                    disabled=!by_version
                    bind:value=version_text
                />
                <p class="help" id="filter-version-help">
                    {if by_version {
                        "Such as 17. or 16.11.: runners with a machine on that version.".to_string()
                    } else {
                        format!("Filtering by version {}.", Feature::VersionPrefix.needs())
                    }}
                </p>
                <Show when=move || version_error.get()>
                    <p class="field-error" role="alert">"A version starts with a digit, such as 17. or 16.11."</p>
                </Show>
            </div>
            <button type="submit" class="secondary apply">"Apply"</button>
            <Show when=has_filters><button type="button" class="secondary clear" on:click=move |_| on_change.run(RunnerFilter::default())>
                    "Clear filters"
                </button></Show>
        </form>
    }
}
