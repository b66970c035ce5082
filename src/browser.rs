//! The window, its timers and its event listeners, for the UI modules (what
//! `leptos_dom`'s helpers gave before the console left Leptos).

use std::time::Duration;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

pub use wasm_bindgen_futures::spawn_local;

pub fn window() -> web_sys::Window {
    web_sys::window().expect("a window")
}

/// Listening on the window until `remove`.
pub struct WindowListenerHandle(Box<dyn FnOnce()>);

impl WindowListenerHandle {
    pub fn remove(self) {
        (self.0)()
    }
}

/// Calls `f` with each `event` on the window, as the event type `E`.
pub fn window_event_listener<E: JsCast>(
    event: &'static str,
    mut f: impl FnMut(E) + 'static,
) -> WindowListenerHandle {
    listen_on_window(event, Box::new(move |ev| f(ev.unchecked_into())))
}

fn listen_on_window(event: &'static str, f: Box<dyn FnMut(JsValue)>) -> WindowListenerHandle {
    // Owned by JS: a handle dropped without `remove` leaves a working listener.
    let callback = Closure::wrap(f).into_js_value();
    let _ = window().add_event_listener_with_callback(event, callback.unchecked_ref());
    WindowListenerHandle(Box::new(move || {
        let _ = window().remove_event_listener_with_callback(event, callback.unchecked_ref());
    }))
}

/// A pending `set_timeout_with_handle`.
#[derive(Clone, Copy)]
pub struct TimeoutHandle(i32);

impl TimeoutHandle {
    pub fn clear(self) {
        window().clear_timeout_with_handle(self.0);
    }
}

/// A running `set_interval_with_handle`.
#[derive(Clone, Copy)]
pub struct IntervalHandle(i32);

impl IntervalHandle {
    pub fn clear(self) {
        window().clear_interval_with_handle(self.0);
    }
}

pub fn set_timeout(f: impl FnOnce() + 'static, after: Duration) {
    let _ = set_timeout_with_handle(f, after);
}

pub fn set_timeout_with_handle(
    f: impl FnOnce() + 'static,
    after: Duration,
) -> Result<TimeoutHandle, JsValue> {
    timeout(Box::new(f), after).map(TimeoutHandle)
}

fn timeout(f: Box<dyn FnOnce()>, after: Duration) -> Result<i32, JsValue> {
    let callback = Closure::once_into_js(f);
    window().set_timeout_with_callback_and_timeout_and_arguments_0(
        callback.unchecked_ref(),
        after.as_millis() as i32,
    )
}

pub fn set_interval_with_handle(
    f: impl Fn() + 'static,
    every: Duration,
) -> Result<IntervalHandle, JsValue> {
    interval(Box::new(f), every).map(IntervalHandle)
}

fn interval(f: Box<dyn Fn()>, every: Duration) -> Result<i32, JsValue> {
    // Kept for the page's life: an interval of the app's runs until the page goes.
    let callback = Closure::wrap(f).into_js_value();
    window().set_interval_with_callback_and_timeout_and_arguments_0(
        callback.unchecked_ref(),
        every.as_millis() as i32,
    )
}
