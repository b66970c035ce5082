//! Form fields that recur across pages: a labelled token input and a labelled
//! line of text. One component each, so every page's fields read and behave
//! alike (and the wasm holds their markup once).

use leptos::prelude::*;

/// A token (or other secret) input: masked, never autocompleted or spell-checked.
#[component]
pub fn SecretField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] required: bool,
    /// Ids of the help and error texts that describe the field.
    #[prop(optional, into)]
    described_by: Option<&'static str>,
    /// Whether the value was refused, for `aria-invalid`.
    #[prop(optional, into)]
    invalid: Option<Signal<bool>>,
    /// Help and error texts, shown under the input.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                name=id
                type="password"
                autocomplete="off"
                spellcheck="false"
                required=required
                aria-describedby=described_by
                aria-invalid=move || invalid.map(|i| i.get().to_string())
                bind:value=value
            />
            {children.map(|c| c())}
        </div>
    }
}

/// A labelled single-line text input.
#[component]
pub fn TextField(
    #[prop(into)] id: String,
    label: &'static str,
    value: RwSignal<String>,
    /// An example value, shown greyed while empty (never the label).
    #[prop(optional)]
    placeholder: Option<&'static str>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id type="text" placeholder=placeholder bind:value=value />
        </div>
    }
}

/// `use:disabled_while=busy`: the control is disabled while `busy` is true, and gets
/// focus back afterwards if it had it (Chromium moves the focus of a control that
/// becomes disabled to the page, which would strand a keyboard user).
pub fn disabled_while(el: leptos::tachys::renderer::types::Element, busy: Signal<bool>) {
    use wasm_bindgen::JsCast;
    let had_focus = StoredValue::new(false);
    Effect::new(move || {
        if busy.get() {
            let focused = document().active_element().is_some_and(|a| a == el);
            had_focus.set_value(focused);
            let _ = el.set_attribute("disabled", "");
        } else {
            let _ = el.remove_attribute("disabled");
            if had_focus.get_value() {
                had_focus.set_value(false);
                if let Some(el) = el.dyn_ref::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        }
    });
}
