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
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    /// An example value, shown greyed while empty (never the label).
    #[prop(optional)]
    placeholder: Option<&'static str>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id type="text" placeholder=placeholder bind:value=value />
        </div>
    }
}

/// `SecretField` as a hand-built view; `extra` holds its help and error texts.
pub fn secret_field(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    required: bool,
    described_by: Option<&'static str>,
    invalid: Option<Signal<bool>>,
    extra: Vec<crate::dom::El>,
) -> crate::dom::El {
    use crate::dom::el;
    let mut input = el("input")
        .id(id)
        .attr("name", id)
        .attr("type", "password")
        .attr("autocomplete", "off")
        .attr("spellcheck", "false")
        .bind_value(value);
    if required {
        input = input.attr("required", "");
    }
    if let Some(ids) = described_by {
        input = input.attr("aria-describedby", ids);
    }
    if let Some(invalid) = invalid {
        input = input.attr_dyn("aria-invalid", move || Some(invalid.get().to_string()));
    }
    el("div")
        .class("field")
        .child(el("label").attr("for", id).text(label))
        .child(input)
        .children(extra)
}

/// `TextField` as a hand-built view.
pub fn text_field(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    placeholder: Option<&'static str>,
) -> crate::dom::El {
    use crate::dom::el;
    let mut input = el("input").id(id).attr("type", "text").bind_value(value);
    if let Some(p) = placeholder {
        input = input.attr("placeholder", p);
    }
    el("div")
        .class("field")
        .child(el("label").attr("for", id).text(label))
        .child(input)
}
