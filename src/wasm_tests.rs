//! Component tests in a real browser (wasm-bindgen-test in headless Chromium).

use std::cell::RefCell;
use std::rc::Rc;

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

/// Resolves after `ms` milliseconds, through the browser's timer.
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_resource_ends_on_the_newest_answer_and_aborts_its_request_when_the_page_goes() {
    use crate::api::client::abort_on_cleanup;
    use crate::components::loading::Loading;

    let root = container();
    let handed_out = Rc::new(RefCell::new(None::<RwSignal<u32>>));
    let signals = Rc::new(RefCell::new(Vec::<web_sys::AbortSignal>::new()));
    let (out, seen) = (handed_out.clone(), signals.clone());
    let handle = mount_to(root.clone(), move || {
        let wanted = RwSignal::new(1u32);
        *out.borrow_mut() = Some(wanted);
        let seen = seen.clone();
        // The pages' pattern: a LocalResource whose request is aborted on cleanup.
        let answer = LocalResource::new(move || {
            let n = wanted.get();
            let signal = abort_on_cleanup().expect("an abort signal");
            seen.borrow_mut().push(signal.clone());
            async move {
                // Like fetch, the request ends early (as aborted) once its signal fires.
                for _ in 0..(if n == 1 { 20 } else { 5 }) {
                    if signal.aborted() {
                        return Err(crate::api::ApiError::Aborted);
                    }
                    sleep(10).await;
                }
                Ok::<u32, crate::api::ApiError>(n)
            }
        });
        view! {
            <div id="answer">
                <Transition fallback=|| view! { <Loading text="Loading…" /> }>
                    {move || Suspend::new(async move {
                        match answer.await {
                            Ok(n) => format!("answer {n}"),
                            Err(e) => format!("failed: {e}"),
                        }
                    })}
                </Transition>
            </div>
        }
    });
    let text = || root.text_content().unwrap_or_default();
    sleep(50).await;
    assert_eq!(text(), "Loading…");
    // Asked again while the first request is out: Leptos runs the fetcher again once
    // that request has answered, and the page ends on the newest answer.
    handed_out.borrow().unwrap().set(2);
    sleep(500).await;
    assert_eq!(text(), "answer 2");
    assert_eq!(signals.borrow().len(), 2);
    assert!(!signals.borrow()[1].aborted());
    // Asked again, and the page goes before the answer: its request is aborted.
    handed_out.borrow().unwrap().set(3);
    sleep(20).await;
    assert_eq!(signals.borrow().len(), 3, "asked again");
    drop(handle);
    assert!(
        signals.borrow()[2].aborted(),
        "the left page's request is aborted"
    );
}
