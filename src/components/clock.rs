//! One app-wide clock that ticks every 30 seconds, so every relative time on
//! the page ("5 minutes ago") stays true with a single interval, cleared when
//! the app goes away.

use std::time::Duration;

use leptos::prelude::*;

/// How often relative times are redrawn.
pub const TICK: Duration = Duration::from_secs(30);
/// Test hook: a shorter tick in milliseconds (250 at least), read from
/// localStorage at start, so a browser test can watch a time change without
/// waiting 30 seconds. Real time still has to pass.
const TICK_OVERRIDE_KEY: &str = "runner-console.clock-tick-ms";

#[derive(Clone, Copy)]
pub struct Clock {
    now: RwSignal<f64>,
}

impl Clock {
    /// Milliseconds since the epoch, as of the last tick (tracked).
    pub fn now(&self) -> f64 {
        self.now.get()
    }
}

fn tick() -> Duration {
    window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(TICK_OVERRIDE_KEY).ok().flatten())
        .and_then(|v| v.parse::<u64>().ok())
        .map(|ms| Duration::from_millis(ms.max(250)))
        .unwrap_or(TICK)
}

/// Starts the clock for this owner (the app) and provides it as context.
pub fn provide_clock() -> Clock {
    let clock = Clock {
        now: RwSignal::new(js_sys::Date::now()),
    };
    let handle = set_interval_with_handle(move || clock.now.set(js_sys::Date::now()), tick()).ok();
    on_cleanup(move || {
        if let Some(h) = handle {
            h.clear();
        }
    });
    provide_context(clock);
    clock
}

/// The current time: the app's clock (tracked) or, outside the app, now.
pub fn now(clock: Option<Clock>) -> f64 {
    clock.map_or_else(js_sys::Date::now, |c| c.now())
}
