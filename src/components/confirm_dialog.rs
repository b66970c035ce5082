//! A modal confirmation for destructive actions. The native `<dialog>` opened with
//! `showModal()` traps focus, closes on Escape and is announced as a dialog.

use crate::prelude::*;

/// Unique ids for ARIA references.
pub fn next_id() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Wires a `<dialog>` to `open`: shows it while `open`, and on closing (any
/// way) sets `open` false and puts focus back where it was.
pub fn modal(open: RwSignal<bool>, dialog: &crate::dom::El) {
    use wasm_bindgen::JsCast;
    let node: web_sys::HtmlDialogElement = dialog.element().unchecked_into();
    let opener = std::rc::Rc::new(std::cell::RefCell::new(None::<web_sys::HtmlElement>));
    let remembered = opener.clone();
    let shown = node.clone();
    // After mounting: `showModal` needs the dialog in the document.
    crate::dom::effect_after(move || {
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

/// A confirmation dialog; `title` and `confirm_label` follow signals.
pub fn confirm_dialog(
    open: RwSignal<bool>,
    title: impl Fn() -> String + 'static,
    confirm_label: impl Fn() -> String + 'static,
    on_confirm: impl Fn() + 'static,
    danger: bool,
    body: crate::dom::El,
) -> crate::dom::El {
    use crate::dom::{button, el};
    let title_id = format!("confirm-title-{}", next_id());
    let confirm = button();
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
                    button()
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
    modal(open, &dialog);
    dialog
}
