//! Exports as files: a CSV and a JSON button that make the file in the page (a
//! Blob) and hand it to the browser as a download.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::export;

/// Saves `text` as a file called `name`; `Err` says why the browser refused.
fn save(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser could not make the file".to_string())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser could not make the file".to_string())?;
    let link: web_sys::HtmlAnchorElement = document()
        .create_element("a")
        .map_err(|_| "the browser could not start the download".to_string())?
        .unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // The download has its own copy once started; the URL is only freed later so a
    // slow browser still finds it.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(60),
    );
    Ok(())
}

/// Today in UTC, `2026-12-01`, for file names.
fn today() -> String {
    let iso: String = js_sys::Date::new_0().to_iso_string().into();
    iso.chars().take(10).collect()
}

/// "Export CSV" and "Export JSON" of what `rows` gives when clicked. `what` and
/// `filter` name the file (with the GitLab host and the date); `label` says
/// what is exported, for screen readers ("the 20 runners of this page").
#[component]
pub fn ExportButtons<T, F>(
    rows: F,
    #[prop(into)] what: String,
    #[prop(into)] filter: Signal<String>,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] gitlab_url: String,
) -> impl IntoView
where
    T: serde::Serialize + 'static,
    F: Fn() -> Vec<T> + Clone + Send + Sync + 'static,
{
    let failed = RwSignal::new(None::<String>);
    let export = move |ext: &'static str| {
        let (rows, what, gitlab_url) = (rows.clone(), what.clone(), gitlab_url.clone());
        move |_| {
            let items = rows();
            let (text, mime) = match ext {
                "csv" => (export::to_csv(&items), "text/csv;charset=utf-8"),
                _ => (export::to_json(&items), "application/json"),
            };
            let name =
                export::file_name(&what, &gitlab_url, &filter.get_untracked(), &today(), ext);
            failed.set(save(&name, mime, &text).err());
        }
    };
    view! {
        <div class="export" role="group" aria-label=move || format!("Export {}", label.get())>
            <button type="button" class="secondary" on:click=export("csv")>"Export CSV"</button>
            <button type="button" class="secondary" on:click=export("json")>"Export JSON"</button>
            {move || failed.get().map(|why| view! { <p class="error-inline" role="alert">{format!("Export failed: {why}.")}</p> })}
        </div>
    }
}
