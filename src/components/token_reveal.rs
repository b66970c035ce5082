//! A freshly issued token, shown once: copy button, expiry, and a close that wipes it.

use crate::prelude::*;

/// Writes `text` to the clipboard; `copied` says how it went.
pub fn copy_to_clipboard(text: String, copied: RwSignal<Option<bool>>) {
    crate::browser::spawn_local(async move {
        let clipboard = window().navigator().clipboard();
        let ok = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text))
            .await
            .is_ok();
        copied.set(Some(ok));
    });
}

/// The line that says whether copying worked; `what` names what to copy by hand.
pub fn copy_status(copied: RwSignal<Option<bool>>, what: &'static str) -> crate::dom::El {
    crate::dom::el("p")
        .attr("role", "status")
        .class("copy-status")
        .text_dyn(move || match copied.get() {
            Some(true) => "Copied to the clipboard.".to_string(),
            Some(false) => format!("Copying failed: select {what} and copy it by hand."),
            None => String::new(),
        })
}

/// A token the user must copy now; `None` once dismissed (the text is dropped then).
pub fn token_reveal(
    token: RwSignal<Option<String>>,
    expires_at: Option<String>,
    heading: String,
) -> crate::dom::El {
    use crate::components::relative_time::relative_time;
    use crate::dom::{button, el};
    let copied = RwSignal::new(None::<bool>);
    el("div").show(
        move || token.with(Option::is_some),
        move || {
            let expiry = match expires_at.clone() {
                Some(at) => el("p")
                    .text("Expires ")
                    .child(relative_time(Some(at), ""))
                    .text("."),
                None => el("p").text("This token does not expire."),
            };
            el("section")
                .class("token-reveal")
                .attr("role", "region")
                .attr("aria-label", &heading)
                .child(el("h2").text(&heading))
                .child(
                    el("p").text(
                        "Copy it now: it is shown only once and is not kept by this console.",
                    ),
                )
                .child(
                    el("div")
                        .class("token-line")
                        .child(
                            el("label")
                                .attr("for", "new-token")
                                .class("visually-hidden")
                                .text("New token"),
                        )
                        .child(
                            el("input")
                                .id("new-token")
                                .class("mono")
                                .attr("readonly", "")
                                .prop_dyn("value", move || token.get().unwrap_or_default().into()),
                        )
                        .child(button().text("Copy token").on("click", move |_| {
                            if let Some(text) = token.get_untracked() {
                                copy_to_clipboard(text, copied);
                            }
                        })),
                )
                .child(copy_status(copied, "the token"))
                .child(expiry)
                .child(
                    button()
                        .class("secondary")
                        .text("Done, hide the token")
                        .on("click", move |_| token.set(None)),
                )
        },
    )
}
