//! Pick one of the user's own groups or projects from a list, or type its id/path:
//! one value, two ways to set it.

use crate::prelude::*;

use crate::api::ApiError;
use crate::dom::{el, label_for, option, value_of, El};

/// `(value, text)` options; `None` while loading.
pub type Choices = Option<Result<Vec<(String, String)>, ApiError>>;

/// The list's field and the typed field, as two siblings for the form they go in.
/// `id` prefixes the controls' ids; `what` names the list's items in the plural
/// ("groups you own").
#[allow(clippy::too_many_arguments)]
pub fn choose_or_type(
    id: &str,
    choose_label: &str,
    choose_help: &str,
    what: &'static str,
    type_label: &str,
    numeric: bool,
    value: RwSignal<String>,
    choices: Signal<Choices>,
) -> [El; 2] {
    let (select_id, help_id, input_id) = (
        format!("{id}-choice"),
        format!("{id}-choice-help"),
        format!("{id}-typed"),
    );
    let placeholder = |text: &str| {
        el("option")
            .attr("value", "")
            .attr("disabled", "")
            .text(text)
    };
    let options = move || match choices.get() {
        None => vec![placeholder("Loading…")],
        Some(Ok(list)) if list.is_empty() => vec![placeholder(&format!("No {what}"))],
        Some(Ok(list)) => list
            .into_iter()
            .map(|(value, text)| option(&value, &text))
            .collect(),
        Some(Err(e)) => vec![placeholder(&format!(
            "The list could not be loaded: {}",
            e.user_message()
        ))],
    };
    let input = if numeric {
        el("input")
            .id(&input_id)
            .attr("type", "number")
            .attr("min", "1")
            .attr("step", "1")
            .attr("inputmode", "numeric")
    } else {
        el("input")
            .id(&input_id)
            .attr("type", "text")
            .attr("autocomplete", "off")
            .attr("spellcheck", "false")
    };
    [
        el("div")
            .class("field")
            .child(label_for(&select_id, choose_label))
            .child(
                el("select")
                    .id(&select_id)
                    .attr("aria-describedby", &help_id)
                    .on("change", move |ev| value.set(value_of(&ev)))
                    .child(option("", "Choose…"))
                    .dyn_nodes(options),
            )
            .child(el("p").class("help").id(&help_id).text(choose_help)),
        el("div")
            .class("field")
            .child(label_for(&input_id, type_label))
            .child(input.bind_value(value)),
    ]
}
