//! Where the access token is kept, that sign-out wipes it everywhere, and that
//! it shows nowhere after sign-in (page, URL).

use fantoccini::Locator;
use gitlab_sandbox::ADMIN_TOKEN;

use super::harness::Harness;

/// (sessionStorage, localStorage) as JSON text.
async fn storages(h: &Harness) -> (String, String) {
    let read = |what: &'static str| async move {
        h.browser
            .execute(&format!("return JSON.stringify({what});"), vec![])
            .await
            .expect("storage")
            .to_string()
    };
    (read("sessionStorage").await, read("localStorage").await)
}

pub(super) async fn sign_in_keeping(h: &Harness, choice: &str) {
    h.open("/").await;
    h.fill("GitLab URL", &h.sandbox.url).await;
    h.fill("Access token", ADMIN_TOKEN).await;
    // Double quotes: the labels contain apostrophes.
    let xpath = format!("//*[@id=//label[normalize-space(.)=\"{choice}\"]/@for]");
    h.wait_for(Locator::XPath(&xpath))
        .await
        .click()
        .await
        .expect("choose storage");
    h.click_button("Sign in").await;
    h.wait_for(Locator::Css("table.runners")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn memory_only_keeps_the_token_nowhere_and_a_reload_signs_out() {
    let h = Harness::start().await;
    sign_in_keeping(&h, "Only in this page's memory (gone on reload)").await;
    let (session, local) = storages(&h).await;
    assert!(!session.contains(ADMIN_TOKEN), "{session}");
    assert!(!local.contains(ADMIN_TOKEN), "{local}");
    h.browser.refresh().await.unwrap();
    assert_eq!(h.value_of("Access token").await, "");
    assert!(h.browser.find(Locator::Css("table.runners")).await.is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn this_tab_is_the_default_and_survives_a_reload() {
    let h = Harness::start().await;
    h.open("/").await;
    // The default choice, with its risk in words.
    let tab = h
        .field("This tab until it is closed (sessionStorage)")
        .await;
    assert_eq!(tab.prop("checked").await.unwrap().as_deref(), Some("true"));
    let risk = h
        .wait_for_text(".keep-token", "Scripts running on this page could read it")
        .await;
    assert!(risk.contains("until you sign out"), "{risk}");
    h.sign_in(ADMIN_TOKEN).await;
    let (session, local) = storages(&h).await;
    assert!(session.contains(ADMIN_TOKEN), "{session}");
    assert!(!local.contains(ADMIN_TOKEN), "{local}");
    h.browser.refresh().await.unwrap();
    h.wait_for(Locator::Css("table.runners")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn this_browser_keeps_it_in_local_storage_until_sign_out_wipes_both() {
    let h = Harness::start().await;
    sign_in_keeping(&h, "This browser (localStorage)").await;
    let (session, local) = storages(&h).await;
    assert!(!session.contains(ADMIN_TOKEN), "{session}");
    assert!(local.contains(ADMIN_TOKEN), "{local}");
    h.browser.refresh().await.unwrap();
    h.wait_for(Locator::Css("table.runners")).await;

    // Something left in the tab's storage too: sign-out wipes both.
    h.browser
        .execute(
            "sessionStorage.setItem('runner-console.session', \
             JSON.stringify({url: location.origin, token: arguments[0]}));",
            vec![serde_json::json!(ADMIN_TOKEN)],
        )
        .await
        .unwrap();
    h.click_button("Sign out").await;
    h.field("Access token").await;
    let (session, local) = storages(&h).await;
    assert!(!session.contains(ADMIN_TOKEN), "{session}");
    assert!(!local.contains(ADMIN_TOKEN), "{local}");
    h.browser.refresh().await.unwrap();
    assert_eq!(h.value_of("Access token").await, "");
}

#[tokio::test(flavor = "multi_thread")]
async fn after_sign_in_the_token_is_in_neither_the_page_nor_the_url() {
    let h = Harness::start().await;
    h.sign_in(ADMIN_TOKEN).await;
    for path in [
        "/runners",
        "/runners/3",
        "/runners/3/edit",
        "/tokens",
        "/register",
    ] {
        h.open(path).await;
        h.wait_for(Locator::Css("main h1")).await;
        let html: String = h
            .browser
            .execute("return document.documentElement.outerHTML;", vec![])
            .await
            .unwrap()
            .as_str()
            .unwrap()
            .to_string();
        assert!(!html.contains(ADMIN_TOKEN), "token in the page at {path}");
        // Nor in any input's current value.
        let values = h
            .browser
            .execute(
                "return [...document.querySelectorAll('input, textarea')].map(e => e.value).join('\\n');",
                vec![],
            )
            .await
            .unwrap()
            .to_string();
        assert!(!values.contains(ADMIN_TOKEN), "token in an input at {path}");
        assert!(!h.current_url().await.contains(ADMIN_TOKEN));
    }
}
