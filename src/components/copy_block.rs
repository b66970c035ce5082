//! A text to paste somewhere else (a config.toml entry, a command), with its
//! own copy button and a plain-words result of the copy.

use leptos::prelude::*;

use crate::components::token_reveal::copy_to_clipboard;

#[component]
pub fn CopyBlock(
    /// Prefix of the block's element ids.
    id: &'static str,
    title: &'static str,
    intro: &'static str,
    text: String,
    button: &'static str,
) -> impl IntoView {
    let copied = RwSignal::new(None::<bool>);
    let value = StoredValue::new(text.clone());
    let copy = move |_| copy_to_clipboard(value.get_value(), copied);
    let title_id = format!("{id}-title");
    view! {
        <div class=format!("copy-block {id}")>
            <h3 id=title_id.clone()>{title}</h3>
            <p>{intro}</p>
            <pre aria-labelledby=title_id tabindex="0"><code>{text}</code></pre>
            <button type="button" on:click=copy>{button}</button>
            <p role="status" class="copy-status">
                {move || match copied.get() {
                    Some(true) => "Copied to the clipboard.",
                    Some(false) => "Copying failed: select the text and copy it by hand.",
                    None => "",
                }}
            </p>
        </div>
    }
}
