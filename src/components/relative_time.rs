//! A timestamp shown as relative time, with the exact time on hover and focus.

use leptos::prelude::*;

use crate::components::clock::{self, Clock};
use crate::time_text;

/// Milliseconds since the epoch of an ISO-8601 time, if the browser can read it.
pub fn parse_ms(iso: &str) -> Option<f64> {
    let ms = js_sys::Date::parse(iso);
    (!ms.is_nan()).then_some(ms)
}

/// `iso` as "5 minutes ago" (title: the exact local time); `none` when absent.
/// Redrawn on every tick of the app's clock.
#[component]
pub fn RelativeTime(iso: Option<String>, #[prop(into)] none: String) -> impl IntoView {
    let Some(iso) = iso else {
        return view! { <span class="muted">{none}</span> }.into_any();
    };
    match parse_ms(&iso) {
        Some(ms) => {
            let exact = js_sys::Date::new(&ms.into())
                .to_locale_string("default", &js_sys::Object::new())
                .as_string()
                .unwrap_or_else(|| iso.clone());
            let clock = use_context::<Clock>();
            let text = Memo::new(move |_| time_text::relative(clock::now(clock), ms));
            let title = exact.clone();
            let label = move || format!("{} ({exact})", text.get());
            view! {
                <time datetime=iso title=title tabindex="0" aria-label=label>
                    {text}
                </time>
            }
            .into_any()
        }
        None => view! { <span>{iso}</span> }.into_any(),
    }
}
