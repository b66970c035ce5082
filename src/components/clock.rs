//! One app-wide clock that ticks every 30 seconds, so every relative time on
//! the page ("5 minutes ago") stays true with a single interval, cleared when
//! the app goes away.

use std::time::Duration;

use codee::string::FromToStringCodec;
use leptos::prelude::*;
use leptos_use_interval_fn::use_interval_fn;
use leptos_use_storage::use_local_storage;

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

/// The tick in milliseconds: the test override when set (0 when absent), else 30 s.
fn tick_ms() -> u64 {
    let (override_ms, _, _) = use_local_storage::<u64, FromToStringCodec>(TICK_OVERRIDE_KEY);
    match override_ms.get_untracked() {
        0 => TICK.as_millis() as u64,
        ms => ms.max(250),
    }
}

/// Starts the clock for this owner (the app) and provides it as context.
pub fn provide_clock() -> Clock {
    let clock = Clock {
        now: RwSignal::new(js_sys::Date::now()),
    };
    // Cleared with the owner (the app) by leptos-use.
    use_interval_fn(move || clock.now.set(js_sys::Date::now()), tick_ms());
    provide_context(clock);
    clock
}

/// The current time: the app's clock (tracked) or, outside the app, now.
pub fn now(clock: Option<Clock>) -> f64 {
    clock.map_or_else(js_sys::Date::now, |c| c.now())
}
