//! Keyboard shortcuts for the whole app (see `crate::shortcuts` for the keys)
//! and the dialog that lists them. Keys typed into fields are left alone.

use std::time::Duration;

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::confirm_dialog::modal;
use crate::links;
use crate::navigation::use_navigation;
use crate::shortcuts::{interpret, is_typing_target, Shortcut, HELP};

/// How long `g` waits for its second key.
const CHORD_WINDOW: Duration = Duration::from_millis(1500);

/// The list filter `/` focuses: the quick filter once a whole list is
/// loaded, else the tags filter.
fn focus_filter() -> bool {
    let doc = document();
    let target = doc
        .get_element_by_id("quick-filter")
        .or_else(|| doc.get_element_by_id("filter-tags"));
    match target.and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok()) {
        Some(input) => {
            let _ = input.focus();
            input.select();
            true
        }
        None => false,
    }
}

/// Listens for the shortcuts; renders the help dialog. Must sit inside the router.
#[component]
pub fn Shortcuts() -> impl IntoView {
    let help_open = RwSignal::new(false);
    let router = use_navigation();
    // When the last lone `g` was pressed.
    let pending_g = StoredValue::new(None::<f64>);
    let handle = window_event_listener(ev::keydown, move |e: web_sys::KeyboardEvent| {
        if e.default_prevented() || e.ctrl_key() || e.meta_key() || e.alt_key() {
            return;
        }
        let typing = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
            .is_some_and(|el| is_typing_target(&el.tag_name(), el.is_content_editable()));
        if typing {
            return;
        }
        let now = js_sys::Date::now();
        let chord = pending_g
            .get_value()
            .is_some_and(|at| now - at < CHORD_WINDOW.as_millis() as f64);
        let (shortcut, starts_chord) = interpret(&e.key(), chord);
        pending_g.set_value(starts_chord.then_some(now));
        let handled = match shortcut {
            Some(Shortcut::FocusFilter) => focus_filter(),
            Some(Shortcut::ShowHelp) => {
                help_open.set(true);
                true
            }
            Some(Shortcut::GoToRunners) => {
                router.navigate(links::RUNNERS);
                true
            }
            Some(Shortcut::GoToProjectRunners) => {
                router.navigate(links::PROJECT_RUNNERS);
                true
            }
            Some(Shortcut::GoToTokens) => {
                router.navigate(links::TOKENS);
                true
            }
            None => false,
        };
        if handled {
            e.prevent_default();
        }
    });
    on_cleanup(move || handle.remove());
    view! { <ShortcutsDialog open=help_open /> }
}

#[component]
fn ShortcutsDialog(open: RwSignal<bool>) -> impl IntoView {
    let (dialog, on_close) = modal(open);
    view! {
        <dialog node_ref=dialog class="confirm shortcuts" aria-labelledby="shortcuts-title" on:close=on_close>
            <h2 id="shortcuts-title">"Keyboard shortcuts"</h2>
            <table>
                <caption class="visually-hidden">"Keyboard shortcuts"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Keys"</th>
                        <th scope="col">"What they do"</th>
                    </tr>
                </thead>
                <tbody>
                    {HELP
                        .iter()
                        .map(|(keys, what)| view! {
                            <tr>
                                <td><kbd>{*keys}</kbd></td>
                                <td>{*what}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
            <p class="help">"Shortcuts are off while you type in a field."</p>
            <div class="confirm-actions">
                <button type="button" autofocus on:click=move |_| open.set(false)>
                    "Close"
                </button>
            </div>
        </dialog>
    }
}
