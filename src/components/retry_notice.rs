//! Reads waiting before they are tried again (429, 5xx, network), with a
//! countdown. The API client decides and waits; this only shows it.

use leptos::prelude::*;
use leptos_use_interval_fn::use_interval_fn;

use crate::api::hooks::{self, WaitEvent, Waiting};
use crate::api::retry::waiting_text;

#[component]
pub fn RetryNotice() -> impl IntoView {
    let waits = RwSignal::new(Vec::<Waiting>::new());
    let now = RwSignal::new(js_sys::Date::now());
    hooks::on_wait(move |event| match event {
        WaitEvent::Started(w) => {
            now.set(js_sys::Date::now());
            waits.update(|ws| ws.push(w));
        }
        WaitEvent::Ended(id) => waits.update(|ws| ws.retain(|w| w.id != id)),
    });
    // A quarter-second tick is enough for a seconds countdown.
    use_interval_fn(
        move || {
            if waits.with_untracked(|w| !w.is_empty()) {
                now.set(js_sys::Date::now());
            }
        },
        250,
    );
    let text = move || {
        let now = now.get();
        waits.with(|ws| {
            // The longest wait speaks for all.
            ws.iter()
                .max_by(|a, b| a.until_ms.total_cmp(&b.until_ms))
                .map(|w| {
                    let left = ((w.until_ms - now) / 1000.0).ceil().max(0.0) as u64;
                    waiting_text(w.reason, left)
                })
        })
    };
    view! {
        <div class="retry-notice" role="status" aria-live="polite">
            {move || text().map(|t| view! { <p class="warning">{t}</p> })}
        </div>
    }
}
