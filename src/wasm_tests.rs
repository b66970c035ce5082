//! Component tests in a real browser (wasm-bindgen-test in headless Chromium).

use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use crate::api::{Runner, RunnerKind};
use crate::components::runner_table::RunnerTable;

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> web_sys::HtmlElement {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    root.unchecked_into()
}

#[wasm_bindgen_test]
fn runner_table_renders_api_text_as_text() {
    let root = container();
    let hostile = Runner {
        id: 7,
        description: Some("<img src=x onerror=\"window.__pwned=1\">".into()),
        runner_type: RunnerKind::ProjectType,
        status: "not_connected".into(),
        paused: Some(true),
        tag_list: Some(vec!["<b>bold</b>".into()]),
        ..Default::default()
    };
    let _handle = mount_to(root.clone(), move || {
        view! { <RunnerTable runners=vec![hostile.clone()] caption="Test" /> }
    });
    assert!(
        root.query_selector("img").unwrap().is_none(),
        "no element injected"
    );
    assert!(
        root.query_selector("td b").unwrap().is_none(),
        "no element injected"
    );
    let row = root
        .query_selector("tr[data-runner-id='7']")
        .unwrap()
        .expect("a row for the runner");
    let text = row.text_content().unwrap();
    assert!(text.contains("<img src=x"), "{text}");
    assert!(text.contains("<b>bold</b>"), "{text}");
    // An unknown status from an older GitLab is shown as it comes, in words.
    assert!(text.contains("not connected"), "{text}");
    assert!(text.contains("Paused"), "{text}");
    assert!(text.contains("Project"), "{text}");
}
