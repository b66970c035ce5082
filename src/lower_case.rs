//! Unicode lower case for case-insensitive matching.

/// `text` in lower case. In the browser it is JavaScript's `toLowerCase`: the same
/// Unicode default mapping as `str::to_lowercase`, without Rust's case tables in
/// the wasm.
#[cfg(target_arch = "wasm32")]
pub fn lower(text: &str) -> String {
    js_sys::JsString::from(text).to_lower_case().into()
}

#[cfg(not(target_arch = "wasm32"))]
pub fn lower(text: &str) -> String {
    text.to_lowercase()
}
