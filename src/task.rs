//! Something the user set off (save, delete, pause…): whether it is running and what
//! it gave. Leptos' `Action` does the same at several KB of wasm per use; this is two
//! signals and a boxed closure.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

type Work<I, O> = Rc<dyn Fn(&I) -> Pin<Box<dyn Future<Output = O>>>>;

pub struct Task<I: 'static, O: 'static> {
    pending: RwSignal<bool>,
    value: RwSignal<Option<O>>,
    /// Runs started; only the newest one's outcome is kept.
    started: StoredValue<u64>,
    work: StoredValue<Work<I, O>, LocalStorage>,
}

impl<I, O> Clone for Task<I, O> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<I, O> Copy for Task<I, O> {}

impl<I: 'static, O: Send + Sync + 'static> Task<I, O> {
    pub fn new<F, Fut>(work: F) -> Self
    where
        F: Fn(&I) -> Fut + 'static,
        Fut: Future<Output = O> + 'static,
    {
        let work: Work<I, O> = Rc::new(move |input| Box::pin(work(input)));
        Task {
            pending: RwSignal::new(false),
            value: RwSignal::new(None),
            started: StoredValue::new(0),
            work: StoredValue::new_local(work),
        }
    }

    pub fn dispatch(self, input: I) {
        let Some(work) = self.work.try_get_value() else {
            return;
        };
        self.started.update_value(|n| *n += 1);
        let run = self.started.get_value();
        self.pending.set(true);
        let future = work(&input);
        spawn_local(async move {
            let out = future.await;
            // The page may be gone, or a newer run started meanwhile.
            if self.started.try_get_value() == Some(run) {
                self.value.set(Some(out));
                self.pending.set(false);
            }
        });
    }

    /// Whether the newest run is still going.
    pub fn pending(self) -> RwSignal<bool> {
        self.pending
    }

    /// What the newest finished run gave; settable, to clear it.
    pub fn value(self) -> RwSignal<Option<O>> {
        self.value
    }
}
