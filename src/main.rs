#[cfg(target_arch = "wasm32")]
fn main() {
    // Marks the benchmark reads: where the app starts, against its first rows.
    runner_console::perf::mark("app-start");
    // Before the first paint of the app, so a chosen theme does not flash.
    runner_console::theme::apply(runner_console::theme::remembered());
    runner_console::app::mount();
}

// Native builds exist only so `cargo test` can cover the pure modules.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}

// Talc instead of Rust's default dlmalloc: 3 KB gzip smaller, and
// faster (the console is single-threaded: no atomics).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
