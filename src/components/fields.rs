//! Form fields that recur across pages: a labelled token input, a labelled line
//! of text, and a submit button that says when its work is running. One component each, so every page's fields read and behave
//! alike (and the wasm holds their markup once).

use crate::prelude::*;

use crate::dom::{el, label_for, El};

/// A token (or other secret) input: masked, never autocompleted or spell-checked.
/// `described_by` names its help and error texts, which `extra` holds.
pub fn secret_field(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    required: bool,
    described_by: Option<&'static str>,
    invalid: Option<Signal<bool>>,
    extra: Vec<El>,
) -> El {
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
        .child(label_for(id, label))
        .child(input)
        .children(extra)
}

/// A labelled single-line text input; `placeholder` is an example value, never the label.
pub fn text_field(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    placeholder: Option<&'static str>,
) -> El {
    let mut input = el("input").id(id).attr("type", "text").bind_value(value);
    if let Some(p) = placeholder {
        input = input.attr("placeholder", p);
    }
    el("div")
        .class("field")
        .child(label_for(id, label))
        .child(input)
}

/// A form's submit button, disabled and `aria-busy` while `busy`.
pub fn busy_submit(text: &str, busy: RwSignal<bool>) -> El {
    el("button")
        .attr("type", "submit")
        .attr_dyn("aria-busy", move || Some(busy.get().to_string()))
        .disabled_while(move || busy.get())
        .text(text)
}
