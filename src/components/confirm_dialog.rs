//! A modal confirmation for destructive actions. The native `<dialog>` opened with
//! `showModal()` traps focus, closes on Escape and is announced as a dialog.

use leptos::html;
use leptos::prelude::*;

/// Wires a `<dialog>` to `open`: shown modal while true, closed when false, and on
/// closing (any way: button, Escape) `open` turns false and focus goes back where
/// it was. Returns the dialog's node ref and its `on:close` handler.
pub fn modal(
    open: RwSignal<bool>,
) -> (
    NodeRef<html::Dialog>,
    impl Fn(leptos::ev::Event) + Copy + 'static,
) {
    let dialog = NodeRef::<html::Dialog>::new();
    let opener: StoredValue<Option<web_sys::HtmlElement>, LocalStorage> =
        StoredValue::new_local(None);
    Effect::new(move || {
        let Some(el) = dialog.get() else { return };
        if open.get() {
            if !el.open() {
                opener.set_value(
                    document().active_element().and_then(|e| {
                        wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok()
                    }),
                );
                let _ = el.show_modal();
            }
        } else if el.open() {
            el.close();
        }
    });
    let on_close = move |_| {
        open.set(false);
        if let Some(el) = opener.get_value() {
            let _ = el.focus();
        }
    };
    (dialog, on_close)
}

#[component]
pub fn ConfirmDialog(
    /// Open while true; set to false on cancel.
    open: RwSignal<bool>,
    #[prop(into)] title: Signal<String>,
    /// The button that confirms, e.g. "Delete runner #12".
    #[prop(into)]
    confirm_label: Signal<String>,
    #[prop(into)] on_confirm: Callback<()>,
    #[prop(optional)] danger: bool,
    /// While false the confirm button is disabled (e.g. until a count is typed).
    #[prop(optional, into)]
    ready: Option<Signal<bool>>,
    children: Children,
) -> impl IntoView {
    let (dialog, on_close) = modal(open);
    let title_id = format!("confirm-title-{}", next_id());
    let labelled_by = title_id.clone();
    view! {
        <dialog node_ref=dialog class="confirm" aria-labelledby=labelled_by on:close=on_close>
            <h2 id=title_id>{move || title.get()}</h2>
            <div class="confirm-body">{children()}</div>
            <div class="confirm-actions">
                <button type="button" class="secondary" autofocus on:click=move |_| open.set(false)>
                    "Cancel"
                </button>
                <button
                    type="button"
                    class:danger=danger
                    disabled=move || ready.is_some_and(|r| !r.get())
                    on:click=move |_| {
                        open.set(false);
                        on_confirm.run(());
                    }
                >
                    {move || confirm_label.get()}
                </button>
            </div>
        </dialog>
    }
}

/// Unique ids for ARIA references.
pub fn next_id() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
