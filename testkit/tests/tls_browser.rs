//! `Browser::launch_trusting`: Chromium loads pages from a TLS sandbox over HTTP/2,
//! trusting that sandbox's certificate and no other.

use console_testkit::Browser;
use gitlab_sandbox::{Config, Running, ADMIN_TOKEN};
use serde_json::Value;

async fn tls_sandbox() -> Running {
    gitlab_sandbox::spawn(
        Config {
            runners: 12,
            tls: true,
            ..Default::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .expect("sandbox starts")
}

/// The page's text, or None when Chromium refused to load it (chromedriver
/// reports a certificate error as a failed navigation, or shows its error page).
async fn page_text(browser: &Browser, url: &str) -> Option<String> {
    browser.client.goto(url).await.ok()?;
    let text = browser
        .client
        .execute(
            "return document.body ? document.body.innerText : ''",
            vec![],
        )
        .await
        .expect("script runs");
    Some(text.as_str().unwrap_or_default().to_string())
}

#[tokio::test(flavor = "multi_thread")]
async fn chromium_trusts_the_pinned_sandbox_over_http2_and_no_other() {
    let sandbox = tls_sandbox().await;
    let other = tls_sandbox().await;
    let pin = sandbox
        .tls_spki_sha256
        .as_deref()
        .expect("a TLS sandbox has a pin");
    let browser = Browser::launch_trusting(&[pin]).await;

    let url = format!("{}/api/v4/version?private_token={ADMIN_TOKEN}", sandbox.url);
    let text = page_text(&browser, &url).await.expect("the page loads");
    let version: Value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("{text}"));
    assert_eq!(version["version"], "18.11.0", "{text}");

    // The page itself and a fetch from it both came over HTTP/2.
    let protocols = browser
        .client
        .execute_async(
            r#"
            const done = arguments[arguments.length - 1];
            fetch('/api/v4/runners/all', { headers: { 'PRIVATE-TOKEN': arguments[0] } })
              .then(r => r.json())
              .then(list => {
                const fetched = performance.getEntriesByType('resource')
                  .find(e => e.name.includes('/api/v4/runners/all'));
                done({
                  runners: list.length,
                  navigation: performance.getEntriesByType('navigation')[0].nextHopProtocol,
                  fetch: fetched ? fetched.nextHopProtocol : null,
                });
              }, e => done({ error: String(e) }));
            "#,
            vec![ADMIN_TOKEN.into()],
        )
        .await
        .expect("script runs");
    assert_eq!(protocols["runners"], 12, "{protocols}");
    assert_eq!(protocols["navigation"], "h2", "{protocols}");
    assert_eq!(protocols["fetch"], "h2", "{protocols}");

    // Another sandbox's certificate is not trusted.
    let url = format!("{}/api/v4/version?private_token={ADMIN_TOKEN}", other.url);
    if let Some(text) = page_text(&browser, &url).await {
        assert!(
            !text.contains("18.11.0"),
            "an untrusted certificate: {text}"
        );
    }
}
