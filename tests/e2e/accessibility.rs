//! axe-core (the npm package `cargo xtask test` installs; `AXE_CORE_JS`) run in
//! every route signed in as an administrator, in light and in dark colours,
//! with dialogs and a revealed token open too: zero violations. And keyboard
//! use of the delete dialog: focus goes back where it came from.

use std::path::PathBuf;

use fantoccini::key::Key;
use fantoccini::Locator;
use gitlab_sandbox::ADMIN_TOKEN;
use serde_json::Value;

use super::harness::Harness;

fn axe_source() -> String {
    let path = std::env::var_os("AXE_CORE_JS").map(PathBuf::from).expect(
        "AXE_CORE_JS is not set: `cargo xtask test` installs axe-core and points it at axe.min.js",
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Runs axe on the page as it is; returns the violations in words.
async fn violations(h: &Harness, axe: &str, what: &str) -> Vec<String> {
    if h.js("return typeof window.axe").await != "object" {
        h.js(&format!("{axe}\n;return true;")).await;
    }
    let found = h
        .browser
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
               .then(r => done(r.violations.map(v => ({
                   id: v.id, impact: v.impact, help: v.help,
                   nodes: v.nodes.map(n => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary })),
               }))))
               .catch(e => done({ error: String(e) }));",
            vec![],
        )
        .await
        .expect("axe.run");
    if let Some(error) = found.get("error") {
        panic!("axe failed on {what}: {error}");
    }
    let mut out = vec![];
    for v in found.as_array().cloned().unwrap_or_default() {
        let mut text = format!(
            "{what}: [{}] {} ({})",
            v["impact"].as_str().unwrap_or("?"),
            v["help"].as_str().unwrap_or(""),
            v["id"].as_str().unwrap_or("")
        );
        for n in v["nodes"].as_array().cloned().unwrap_or_default() {
            text += &format!(
                "\n    at {}\n       {}\n       {}",
                n["target"].as_str().unwrap_or(""),
                n["html"].as_str().unwrap_or(""),
                n["summary"]
                    .as_str()
                    .unwrap_or("")
                    .replace('\n', "\n       ")
            );
        }
        out.push(text);
    }
    out
}

/// Opens `path` and waits until `ready` (CSS) shows up.
async fn visit(h: &Harness, path: &str, ready: &str) {
    h.open(path).await;
    h.wait_for(Locator::Css(ready)).await;
    // Loading notices gone: the page has settled.
    h.wait_until_js("!document.querySelector('main .loading')")
        .await;
}

async fn check_every_route(scheme: &str) {
    let axe = axe_source();
    let h = Harness::start().await;
    h.emulate_color_scheme(scheme).await;
    let mut found = vec![];

    h.open("/").await;
    h.field("Access token").await;
    found.extend(violations(&h, &axe, "sign-in page").await);

    h.sign_in(ADMIN_TOKEN).await;
    let routes = [
        ("/runners", ".summary-chart"),
        ("/runners?view=all", "#quick-filter"),
        ("/runners/1", "dl.runner-fields"),
        ("/runners/1/edit", "form"),
        ("/runners/1/jobs", "table.jobs"),
        ("/project-runners?project=platform%2Fapi", "table.runners"),
        ("/register", "form"),
        ("/tokens", "form"),
        ("/runners/new", "form"),
        ("/runners/outdated", "table.outdated"),
        ("/dashboard", "table.dashboard-counts a"),
        ("/cleanup", "form.cleanup-criteria"),
        (
            "/cleanup?status=stale",
            "table.cleanup-table tbody tr[data-runner-id]",
        ),
        ("/instances", "table.instances-table"),
        ("/i/127/runners/1", "dl.runner-fields"),
        (
            "/i/all/runners",
            "table.fleet-table tbody tr[data-runner-id]",
        ),
        ("/i/all/dashboard", "table.all-instances a"),
        (
            "/i/all/runners/outdated",
            "section[data-instance] table.outdated",
        ),
        ("/i/all/tokens", "h1"),
        ("/i/nowhere/runners", "h1"),
        ("/no-such-page", "h1"),
        // An error notice, and an empty list with its way out.
        ("/runners/99999", ".error"),
        ("/runners?page=99", "p.empty"),
    ];
    for (path, ready) in routes {
        visit(&h, path, ready).await;
        found.extend(violations(&h, &axe, path).await);
    }

    // An open confirmation dialog.
    visit(&h, "/runners/1", "dl.runner-fields").await;
    h.click_button("Delete").await;
    h.wait_for(Locator::Css("dialog[open]")).await;
    found.extend(violations(&h, &axe, "delete dialog on /runners/1").await);
    h.click_button("Cancel").await;

    // A token shown once.
    h.click_button("Reset authentication token").await;
    h.click_button("Reset token").await;
    h.wait_for(Locator::Css(".token-reveal")).await;
    found.extend(violations(&h, &axe, "revealed token on /runners/1").await);

    // A toast after an action.
    h.click_button("Pause").await;
    h.wait_for(Locator::Css(".toasts .toast")).await;
    found.extend(violations(&h, &axe, "toast on /runners/1").await);

    // The shortcuts dialog.
    h.js("document.activeElement.blur()").await;
    h.press(&['?']).await;
    h.wait_for(Locator::Css("dialog.shortcuts[open]")).await;
    found.extend(violations(&h, &axe, "shortcuts dialog").await);

    assert!(
        found.is_empty(),
        "axe found {} violation(s) with prefers-color-scheme: {scheme}:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn axe_finds_nothing_on_any_route_in_light_colours() {
    check_every_route("light").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn axe_finds_nothing_on_any_route_in_dark_colours() {
    check_every_route("dark").await;
}

/// Tab to Delete, Enter opens the dialog on Cancel, Escape closes it, and focus
/// is back on Delete; the runner is still there.
#[tokio::test(flavor = "multi_thread")]
async fn delete_dialog_by_keyboard_returns_focus_to_its_opener() {
    let h = Harness::start().await;
    h.sign_in(ADMIN_TOKEN).await;
    visit(&h, "/runners/2", "dl.runner-fields").await;

    // From the page's start, Tab until the Delete button has focus.
    h.js("document.activeElement.blur(); window.scrollTo(0, 0)")
        .await;
    let mut reached = false;
    for _ in 0..40 {
        h.press(&[Key::Tab.into()]).await;
        let focused = h.focused().await;
        if focused.starts_with("button#|") && focused.ends_with("|Delete") {
            reached = true;
            break;
        }
    }
    assert!(
        reached,
        "Tab never reached Delete; last: {}",
        h.focused().await
    );
    // Focus is visible: the outline the stylesheet draws for :focus-visible.
    let outline = h
        .js("return getComputedStyle(document.activeElement).outlineStyle")
        .await;
    assert_eq!(outline, "solid");

    h.press(&[Key::Enter.into()]).await;
    h.wait_for(Locator::Css("dialog[open]")).await;
    // Focus is inside the dialog (on Cancel, the safe choice).
    let inside = h
        .js("return !!document.activeElement.closest('dialog[open]')")
        .await;
    assert_eq!(inside, Value::Bool(true), "focus: {}", h.focused().await);
    assert!(
        h.focused().await.ends_with("|Cancel"),
        "{}",
        h.focused().await
    );
    // Tab never reaches the page behind the modal dialog (past its last
    // button, Chromium may hand focus to the browser itself: `body`).
    for _ in 0..3 {
        h.press(&[Key::Tab.into()]).await;
        let inside = h
            .js("const e = document.activeElement; return e === document.body || !!e.closest('dialog[open]')")
            .await;
        assert_eq!(
            inside,
            Value::Bool(true),
            "focus left the dialog: {}",
            h.focused().await
        );
    }

    h.press(&[Key::Escape.into()]).await;
    h.wait_until_js("!document.querySelector('dialog[open]')")
        .await;
    let focused = h.focused().await;
    assert!(focused.ends_with("|Delete"), "focus went to {focused}");
    assert!(h.sandbox.state.read().runners.contains_key(&2));
}

/// Where focus is, as a selector-free description: the element's focus key,
/// aria-label, or text.
async fn focused_is(h: &Harness, script_condition: &str) -> bool {
    h.js(&format!(
        "const e = document.activeElement; return !!(e && e !== document.body && ({script_condition}));"
    ))
    .await
        == Value::Bool(true)
}

#[tokio::test(flavor = "multi_thread")]
async fn focus_stays_on_a_control_while_its_view_updates() {
    let h = Harness::with_config(gitlab_sandbox::Config {
        runners: 3000,
        latency: std::time::Duration::from_millis(150),
        ..super::harness::gitlab_16_11()
    })
    .await;
    h.sign_in(ADMIN_TOKEN).await;

    // Pausing a runner from its row by keyboard: the list is loaded again, and
    // focus is on the same row's button, which now says Resume.
    let pause = "tr[data-runner-id='1'] button[aria-label^='Pause runner']";
    h.wait_for(Locator::Css(pause)).await;
    h.js(&format!("document.querySelector(\"{pause}\").focus()"))
        .await;
    h.press(&[Key::Enter.into()]).await;
    h.wait_for(Locator::Css(
        "tr[data-runner-id='1'] button[aria-label^='Resume runner']",
    ))
    .await;
    h.wait_until_js(
        "(document.activeElement.getAttribute('aria-label') || '').startsWith('Resume runner')",
    )
    .await;
    assert!(
        focused_is(&h, "e.closest(\"tr[data-runner-id='1']\")").await,
        "focus: {}",
        h.focused().await
    );

    // The same on the runner's own page.
    visit(&h, "/runners/1", "dl.runner-fields").await;
    h.js("document.querySelector('.runner-actions button').focus()")
        .await;
    assert!(
        h.focused().await.ends_with("|Resume"),
        "{}",
        h.focused().await
    );
    h.press(&[Key::Enter.into()]).await;
    h.wait_for_text(".runner-actions", "Pause").await;
    h.wait_until_js("(document.activeElement.textContent || '').trim() === 'Pause'")
        .await;

    // While every page loads, "Cancel loading" stays the same button (keeps
    // focus, takes the click) as the counts go up.
    visit(&h, "/runners", "table.runners tbody tr").await;
    h.click_button("Load every page").await;
    h.wait_for_text("[role=status]", "Loading runners:").await;
    h.js("window.__cancel = [...document.querySelectorAll('button')].find(b => b.textContent === 'Cancel loading'); window.__cancel.focus();")
        .await;
    let first = h.wait_for_text(".progress-block", "Loading runners:").await;
    h.wait_until_js(&format!(
        "document.querySelector('.progress-block label').textContent !== {first:?}.split('\\n')[0]"
    ))
    .await;
    assert!(
        focused_is(&h, "e === window.__cancel && e.isConnected").await,
        "focus: {}",
        h.focused().await
    );
    h.wait_for_text(".counts", "3000 shown of 3000 loaded")
        .await;

    // A row's checkbox keeps focus while the table scrolls a little (the rows in
    // view stay the same nodes).
    h.js("document.querySelector(\"input[aria-label='Select runner #5']\").focus()")
        .await;
    h.js("document.querySelector('.virtual').scrollTop = 40 * 10;")
        .await;
    h.wait_for(Locator::Css("tr[data-runner-id='30']")).await;
    h.wait_until_js("!document.querySelector(\"tr[data-runner-id='1']\")")
        .await;
    assert!(
        focused_is(
            &h,
            "e.getAttribute('aria-label') === 'Select runner #5' && e.isConnected"
        )
        .await,
        "focus: {}",
        h.focused().await
    );
}
