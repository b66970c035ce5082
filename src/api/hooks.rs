//! How the client reaches the app without depending on it: the shell registers
//! a listener for "waiting before a retry" and a re-sign-in prompt for 401s.
//! Also the test and bench overrides read from `window` (kept to three numbers).

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;

use super::retry::{RetryReason, RATE_LIMIT_DEFAULT_SECS, TIMEOUT_MS};

/// A read waiting before it is tried again.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Waiting {
    pub id: u64,
    pub reason: RetryReason,
    /// `Date.now()` when the retry goes out.
    pub until_ms: f64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum WaitEvent {
    Started(Waiting),
    Ended(u64),
}

type Listener = Box<dyn Fn(WaitEvent)>;
/// Given the refused client's id, resolves to the new token, or `None` when
/// the person chose not to sign in again.
pub type Reauth = Box<dyn Fn(u32) -> Pin<Box<dyn Future<Output = Option<String>>>>>;

thread_local! {
    static WAIT_LISTENER: RefCell<Option<Listener>> = const { RefCell::new(None) };
    static REAUTH: RefCell<Option<Reauth>> = const { RefCell::new(None) };
    static NEXT_WAIT: RefCell<u64> = const { RefCell::new(1) };
}

pub fn on_wait(listener: impl Fn(WaitEvent) + 'static) {
    WAIT_LISTENER.with(|l| *l.borrow_mut() = Some(Box::new(listener)));
}

pub fn on_unauthorized(reauth: Reauth) {
    REAUTH.with(|r| *r.borrow_mut() = Some(reauth));
}

pub(crate) fn wait_started(reason: RetryReason, after_ms: u64) -> u64 {
    let id = NEXT_WAIT.with(|n| {
        let mut n = n.borrow_mut();
        *n += 1;
        *n
    });
    let event = WaitEvent::Started(Waiting {
        id,
        reason,
        until_ms: js_sys::Date::now() + after_ms as f64,
    });
    WAIT_LISTENER.with(|l| {
        if let Some(l) = l.borrow().as_ref() {
            l(event)
        }
    });
    id
}

pub(crate) fn wait_ended(id: u64) {
    WAIT_LISTENER.with(|l| {
        if let Some(l) = l.borrow().as_ref() {
            l(WaitEvent::Ended(id))
        }
    });
}

/// The prompt's future, when the shell registered one.
pub(crate) fn reauthenticate(client: u32) -> Option<Pin<Box<dyn Future<Output = Option<String>>>>> {
    REAUTH.with(|r| r.borrow().as_ref().map(|f| f(client)))
}

fn window_number(name: &str) -> Option<f64> {
    let window = web_sys::window()?;
    js_sys::Reflect::get(&window, &name.into())
        .ok()?
        .as_f64()
        .filter(|n| n.is_finite() && *n > 0.0)
}

/// Tests shorten the 30 s timeout with `window.__runnerConsoleTimeoutMs`.
pub(crate) fn timeout_ms() -> u32 {
    window_number("__runnerConsoleTimeoutMs")
        .map(|n| n as u32)
        .unwrap_or(TIMEOUT_MS)
}

/// Tests shorten the 60 s rate-limit default with `window.__runnerConsoleRateLimitSecs`.
pub(crate) fn rate_limit_default_secs() -> u64 {
    window_number("__runnerConsoleRateLimitSecs")
        .map(|n| n as u64)
        .unwrap_or(RATE_LIMIT_DEFAULT_SECS)
}

/// The bench measures other read-ahead depths with `window.__runnerConsoleReadAhead`.
pub(crate) fn read_ahead_depth() -> Option<usize> {
    window_number("__runnerConsoleReadAhead").map(|n| n as usize)
}
