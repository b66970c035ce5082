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

/// `modal` for a hand-built `<dialog>`: shows it while `open`, and on closing (any
/// way) sets `open` false and puts focus back where it was.
pub fn modal_el(open: RwSignal<bool>, dialog: &crate::dom::El) {
    use wasm_bindgen::JsCast;
    let node: web_sys::HtmlDialogElement = dialog.element().unchecked_into();
    let opener = std::rc::Rc::new(std::cell::RefCell::new(None::<web_sys::HtmlElement>));
    let remembered = opener.clone();
    let shown = node.clone();
    // After mounting: `showModal` needs the dialog in the document.
    let shown = send_wrapper::SendWrapper::new(shown);
    let remembered = send_wrapper::SendWrapper::new(remembered);
    Effect::new(move || {
        if open.get() {
            if !shown.open() {
                *remembered.borrow_mut() = document()
                    .active_element()
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
                let _ = shown.show_modal();
            }
        } else if shown.open() {
            shown.close();
        }
    });
    crate::dom::listen(&node, "close", move |_| {
        open.set(false);
        if let Some(el) = opener.borrow().as_ref() {
            let _ = el.focus();
        }
    });
}

/// `ConfirmDialog` as a hand-built view: `title` and `confirm_label` follow signals.
pub fn confirm_dialog(
    open: RwSignal<bool>,
    title: impl Fn() -> String + 'static,
    confirm_label: impl Fn() -> String + 'static,
    on_confirm: impl Fn() + 'static,
    danger: bool,
    body: crate::dom::El,
) -> crate::dom::El {
    use crate::dom::el;
    let title_id = format!("confirm-title-{}", next_id());
    let confirm = el("button").attr("type", "button");
    let confirm = if danger {
        confirm.class("danger")
    } else {
        confirm
    };
    let dialog = el("dialog")
        .class("confirm")
        .attr("aria-labelledby", &title_id)
        .child(el("h2").id(&title_id).text_dyn(title))
        .child(el("div").class("confirm-body").child(body))
        .child(
            el("div")
                .class("confirm-actions")
                .child(
                    el("button")
                        .attr("type", "button")
                        .class("secondary")
                        .attr("autofocus", "")
                        .text("Cancel")
                        .on("click", move |_| open.set(false)),
                )
                .child(confirm.text_dyn(confirm_label).on("click", move |_| {
                    open.set(false);
                    on_confirm();
                })),
        );
    modal_el(open, &dialog);
    dialog
}
