//! A freshly issued token, shown once: copy button, expiry, and a close that wipes it.

use leptos::prelude::*;

use crate::components::relative_time::RelativeTime;

/// Puts `text` on the clipboard, then sets `copied` to whether that worked (the page
/// says so in words: a failed copy must be done by hand).
pub fn copy_to_clipboard(text: String, copied: RwSignal<Option<bool>>) {
    leptos::task::spawn_local(async move {
        let clipboard = window().navigator().clipboard();
        let ok = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text))
            .await
            .is_ok();
        copied.set(Some(ok));
    });
}

/// A token the user must copy now; `None` once dismissed (the text is dropped then).
#[component]
pub fn TokenReveal(
    token: RwSignal<Option<String>>,
    expires_at: Option<String>,
    #[prop(into)] heading: String,
) -> impl IntoView {
    let copied = RwSignal::new(None::<bool>);
    let copy = move |_| {
        if let Some(text) = token.get_untracked() {
            copy_to_clipboard(text, copied);
        }
    };
    let expiry = move || match expires_at.clone() {
        Some(at) => {
            view! { <p>"Expires " <RelativeTime iso=Some(at) none="" /> "."</p> }.into_any()
        }
        None => view! { <p>"This token does not expire."</p> }.into_any(),
    };
    view! {
        <Show when=move || { token.with(Option::is_some) }><section class="token-reveal" role="region" aria-label=heading.clone()>
                <h2>{heading.clone()}</h2>
                <p>
                    "Copy it now: it is shown only once and is not kept by this console."
                </p>
                <div class="token-line">
                    <label for="new-token" class="visually-hidden">"New token"</label>
                    <input id="new-token" class="mono" readonly prop:value=move || token.get().unwrap_or_default() />
                    <button type="button" on:click=copy>"Copy token"</button>
                </div>
                <p role="status" class="copy-status">
                    {move || match copied.get() {
                        Some(true) => "Copied to the clipboard.",
                        Some(false) => "Copying failed: select the token and copy it by hand.",
                        None => "",
                    }}
                </p>
                {expiry()}
                <button type="button" class="secondary" on:click=move |_| token.set(None)>
                    "Done, hide the token"
                </button>
            </section></Show>
    }
}
