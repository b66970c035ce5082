//! Performance marks for the benchmark (`cargo xtask bench` reads them).

/// Records `name` once; later calls keep the first time.
pub fn mark(name: &str) {
    let Some(perf) = web_sys::window().and_then(|w| w.performance()) else {
        return;
    };
    if perf.get_entries_by_name(name).length() == 0 {
        let _ = perf.mark(name);
    }
}
