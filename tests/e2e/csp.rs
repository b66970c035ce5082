//! The Content-Security-Policy of the build: strict, and nothing the console does
//! trips it (a violation would mean a feature silently broken in production).

use fantoccini::Locator;
use gitlab_sandbox::ADMIN_TOKEN;
use serde_json::Value;

use super::harness::Harness;

#[tokio::test(flavor = "multi_thread")]
async fn the_policy_is_strict_and_no_page_violates_it() {
    let h = Harness::start().await;
    h.open("/").await;
    h.field("Access token").await;
    let policy: Value = h
        .browser
        .execute(
            "const m = document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]'); return m && m.content;",
            vec![],
        )
        .await
        .unwrap();
    let policy = policy.as_str().expect("a CSP meta").to_string();
    for directive in [
        "default-src 'none'",
        "object-src 'none'",
        "base-uri 'self'",
        "'wasm-unsafe-eval'",
        "script-src 'self' 'sha256-",
    ] {
        assert!(
            policy.contains(directive),
            "{directive} missing from {policy}"
        );
    }
    assert!(
        !policy.contains("'unsafe-inline'") && !policy.contains("'unsafe-eval'"),
        "{policy}"
    );

    // Record every violation from here on; the app runs without reloads below.
    h.browser
        .execute(
            "window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));",
            vec![],
        )
        .await
        .unwrap();
    h.fill("Access token", ADMIN_TOKEN).await;
    h.click_button("Sign in").await;
    h.wait_for(Locator::Css("table.runners tbody tr")).await;
    for link in [
        "Project runners",
        "Register a runner",
        "Token tools",
        "Runners",
    ] {
        h.click_link(link).await;
        h.wait_for_text("h1", "").await;
    }
    h.wait_for(Locator::Css("table.runners tbody tr")).await;
    h.click_button("Load every page").await;
    h.wait_for_text(".counts", "120 shown of 120 loaded").await;
    h.browser
        .execute(
            "document.querySelector('.virtual').scrollTop = 2000;",
            vec![],
        )
        .await
        .unwrap();
    h.wait_for(Locator::Css("tr[data-runner-id='60']")).await;
    h.click_link("#60").await;
    h.wait_for(Locator::Css("dl")).await;
    let violations: Value = h
        .browser
        .execute("return window.__csp;", vec![])
        .await
        .unwrap();
    assert_eq!(violations, serde_json::json!([]), "CSP violations");
}
