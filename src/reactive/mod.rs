//! Signals, memos, effects and owners: the console's reactive core.
//!
//! It replaced Leptos' `reactive_graph` for size: Leptos compiled its graph code
//! again for every value type (each signal type its own subscriber set, reads and
//! writes): replacing it took 38 of the 275 KB gzip. Here the graph is non-generic
//! (`runtime.rs`) and the typed handles are thin (`handles.rs`). The names and
//! behaviour follow Leptos', so the pages read the same: `Copy` handles owned by the
//! scope that made them, memos that pass a change on only when their value differs,
//! effects that run after the current work and stop with their owner.

mod handles;
mod runtime;

pub use handles::{
    effect_after, expect_context, has_owner, provide_context, render_effect, use_context, Callback,
    Memo, Owner, Read, RwSignal, Signal, StoredValue,
};
pub use runtime::{flush, on_cleanup, untrack};

#[cfg(test)]
mod tests;
