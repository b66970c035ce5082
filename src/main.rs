#[cfg(target_arch = "wasm32")]
fn main() {
    // Marks the benchmark reads: where the app starts, against its first rows.
    runner_console::perf::mark("app-start");
    // index.html's static shell stood in for the app until now.
    if let Some(shell) = leptos::prelude::document().get_element_by_id("app-shell") {
        shell.remove();
    }
    leptos::mount::mount_to_body(runner_console::app::App);
}

// Native builds exist only so `cargo test` can cover the pure modules.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
