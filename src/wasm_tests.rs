//! Component tests in a real browser (wasm-bindgen-test in headless Chromium).

use std::cell::RefCell;
use std::rc::Rc;

use crate::prelude::*;
use wasm_bindgen_test::*;

use crate::api::{Runner, RunnerKind};
use crate::components::runner_table::runner_table;
use crate::dom::{el, El};

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> web_sys::Element {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    root
}

/// Builds `view` under a new owner into `root`; dropping the owner cleans it up.
fn mount(root: &web_sys::Element, view: impl FnOnce() -> El) -> Owner {
    let owner = Owner::new();
    let node = owner.with(view).into_element();
    root.append_child(&node).unwrap();
    owner
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
    let _owner = mount(&root, move || runner_table(vec![hostile], "Test", None));
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
async fn load_shows_the_newest_answer_and_aborts_and_drops_the_one_before() {
    use crate::components::load::load;

    let root = container();
    let handed_out = Rc::new(RefCell::new(None::<RwSignal<u32>>));
    let signals = Rc::new(RefCell::new(Vec::<web_sys::AbortSignal>::new()));
    let (out, seen) = (handed_out.clone(), signals.clone());
    let _owner = mount(&root, move || {
        let wanted = RwSignal::new(1u32);
        *out.borrow_mut() = Some(wanted);
        let seen = seen.clone();
        let answer = load(move |signal| {
            let n = wanted.get();
            seen.borrow_mut().push(signal.expect("an abort signal"));
            async move {
                // The first request answers last.
                sleep(if n == 1 { 300 } else { 20 }).await;
                Ok::<u32, crate::api::ApiError>(n)
            }
        });
        el("div")
            .id("answer")
            .dyn_nodes(answer.shown("Loading…", |n| el("p").text(&format!("answer {n}"))))
    });
    let text = || root.text_content().unwrap_or_default();
    sleep(50).await;
    assert_eq!(text(), "Loading…");
    handed_out.borrow().unwrap().set(2);
    sleep(100).await;
    assert_eq!(text(), "answer 2");
    assert_eq!(signals.borrow().len(), 2);
    assert!(
        signals.borrow()[0].aborted(),
        "the older request is aborted"
    );
    assert!(!signals.borrow()[1].aborted());
    // The first request's late answer does not replace the newer one.
    sleep(400).await;
    assert_eq!(text(), "answer 2");
}

#[wasm_bindgen_test]
async fn a_task_keeps_the_newest_runs_outcome_and_says_when_it_is_done() {
    use crate::task::Task;

    let root = container();
    let task = Rc::new(RefCell::new(None::<Task<u32, u32>>));
    let out = task.clone();
    let _owner = mount(&root, move || {
        let t = Task::new(|n: &u32| {
            let n = *n;
            async move {
                sleep(if n == 1 { 200 } else { 20 }).await;
                n * 10
            }
        });
        *out.borrow_mut() = Some(t);
        el("div")
    });
    let t = task.borrow().unwrap();
    assert!(!t.pending().get_untracked());
    t.dispatch(1);
    t.dispatch(2);
    assert!(t.pending().get_untracked());
    sleep(80).await;
    assert_eq!(t.value().get_untracked(), Some(20));
    assert!(!t.pending().get_untracked());
    sleep(250).await;
    assert_eq!(
        t.value().get_untracked(),
        Some(20),
        "the older run's outcome is dropped"
    );
}

#[wasm_bindgen_test]
async fn regions_follow_signals_and_stop_with_their_owner() {
    let root = container();
    let (count, shown, clicks) = (
        RwSignal::new(1u32),
        RwSignal::new(true),
        Rc::new(RefCell::new(0u32)),
    );
    let seen = clicks.clone();
    // Counts how often `show` builds its body.
    let builds = Rc::new(RefCell::new(0u32));
    let built = builds.clone();
    let owner = mount(&root, move || {
        el("div")
            .child(
                el("span")
                    .id("count")
                    .text_dyn(move || count.get().to_string()),
            )
            .dyn_nodes(move || {
                (0..count.get())
                    .map(|i| el("i").text(&i.to_string()))
                    .collect()
            })
            .show(
                move || shown.get(),
                move || {
                    *built.borrow_mut() += 1;
                    let seen = seen.clone();
                    el("button")
                        .id("b")
                        .text_dyn(move || format!("{} items", count.get()))
                        .on("click", move |_| *seen.borrow_mut() += 1)
                },
            )
    });
    let q = |sel: &str| root.query_selector_all(sel).unwrap().length();
    let count_text = || {
        root.query_selector("#count")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
    };
    assert_eq!(q("i"), 1);
    count.set(3);
    // Effects run again on the executor, right after the change.
    sleep(10).await;
    assert_eq!(
        q("i"),
        3,
        "the region holds the new nodes, not the old ones too"
    );
    assert_eq!(count_text(), "3");
    let button = root.query_selector("#b").unwrap().unwrap();
    assert_eq!(button.text_content().unwrap(), "3 items");
    assert_eq!(
        *builds.borrow(),
        1,
        "a change inside `show` updates in place"
    );
    wasm_bindgen::JsCast::unchecked_ref::<web_sys::HtmlElement>(&button).click();
    assert_eq!(*clicks.borrow(), 1);
    shown.set(false);
    sleep(10).await;
    assert_eq!(q("#b"), 0);
    shown.set(true);
    sleep(10).await;
    assert_eq!(*builds.borrow(), 2);
    // Cleaned up: effects stop following signals and listeners are removed.
    let button = root.query_selector("#b").unwrap().unwrap();
    drop(owner);
    count.try_set(5);
    sleep(10).await;
    assert_eq!(count_text(), "3");
    wasm_bindgen::JsCast::unchecked_ref::<web_sys::HtmlElement>(&button).click();
    assert_eq!(*clicks.borrow(), 1, "no listener after cleanup");
}
