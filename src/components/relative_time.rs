//! A timestamp shown as relative time, with the exact time on hover and focus.

use crate::prelude::*;

use crate::components::clock::{self, Clock};
use crate::time_text;

/// Milliseconds since the epoch of an ISO-8601 time, if the browser can read it.
pub fn parse_ms(iso: &str) -> Option<f64> {
    let ms = js_sys::Date::parse(iso);
    (!ms.is_nan()).then_some(ms)
}

/// `iso` as "5 minutes ago" (title: the exact local time); `none` when absent.
/// Redrawn on every tick of the app's clock.
pub fn relative_time(iso: Option<String>, none: &str) -> crate::dom::El {
    use crate::dom::el;
    let Some(iso) = iso else {
        return el("span").class("muted").text(none);
    };
    let Some(ms) = parse_ms(&iso) else {
        return el("span").text(&iso);
    };
    let exact = js_sys::Date::new(&ms.into())
        .to_locale_string("default", &js_sys::Object::new())
        .as_string()
        .unwrap_or_else(|| iso.clone());
    let clock = use_context::<Clock>();
    let text = Memo::new(move |_| time_text::relative(clock::now(clock), ms));
    el("time")
        .attr("datetime", &iso)
        .attr("title", &exact)
        .attr("tabindex", "0")
        .attr_dyn("aria-label", move || {
            Some(format!("{} ({exact})", text.get()))
        })
        .text_dyn(move || text.get())
}
