//! Pick one of the user's own groups or projects from a list, or type its id/path:
//! one value, two ways to set it.

use leptos::prelude::*;

use crate::api::ApiError;

/// `(value, text)` options; `None` while loading.
pub type Choices = Option<Result<Vec<(String, String)>, ApiError>>;

#[component]
pub fn ChooseOrType(
    /// Prefix of the controls' ids.
    #[prop(into)]
    id: String,
    #[prop(into)] choose_label: String,
    #[prop(into)] choose_help: String,
    /// What the list is of, in the plural ("groups you own").
    #[prop(into)]
    what: String,
    #[prop(into)] type_label: String,
    #[prop(optional)] numeric: bool,
    value: RwSignal<String>,
    #[prop(into)] choices: Signal<Choices>,
) -> impl IntoView {
    let (select_id, help_id, input_id) = (
        format!("{id}-choice"),
        format!("{id}-choice-help"),
        format!("{id}-typed"),
    );
    let options = move || {
        match choices.get() {
        None => view! { <option value="" disabled>"Loading…"</option> }.into_any(),
        Some(Ok(list)) if list.is_empty() => {
            view! { <option value="" disabled>{format!("No {what}")}</option> }.into_any()
        }
        Some(Ok(list)) => list
            .into_iter()
            .map(|(value, text)| view! { <option value=value>{text}</option> })
            .collect_view()
            .into_any(),
        Some(Err(e)) => view! {
            <option value="" disabled>{format!("The list could not be loaded: {}", e.user_message())}</option>
        }
        .into_any(),
    }
    };
    view! {
        <div class="field">
            <label for=select_id.clone()>{choose_label}</label>
            <select id=select_id aria-describedby=help_id.clone() on:change=move |ev| value.set(event_target_value(&ev))>
                <option value="">"Choose…"</option>
                {options}
            </select>
            <p class="help" id=help_id>{choose_help}</p>
        </div>
        <div class="field">
            <label for=input_id.clone()>{type_label}</label>
            {if numeric {
                view! { <input id=input_id type="number" min="1" step="1" inputmode="numeric" bind:value=value /> }.into_any()
            } else {
                view! { <input id=input_id type="text" autocomplete="off" spellcheck="false" bind:value=value /> }.into_any()
            }}
        </div>
    }
}
