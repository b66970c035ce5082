//! Text from the API is always text: 100+ XSS payloads seeded as runner descriptions,
//! tags, names, notes, job names, user, group and project names; every page is opened
//! and neither a script ran nor an element was injected.

use fantoccini::Locator;
use gitlab_sandbox::ADMIN_TOKEN;
use serde_json::Value;

use super::harness::Harness;

/// Each vector either runs script (setting `window.__xss`) or injects an element
/// marked `data-xss`, if it is ever parsed as HTML.
const VECTORS: [&str; 26] = [
    r#"<img src=x onerror="window.__xss=1" data-xss>"#,
    r#"<script data-xss>window.__xss=1</script>"#,
    r#"<svg/onload=window.__xss=1 data-xss>"#,
    r#""><b data-xss>quote-break</b>"#,
    r#"'><b data-xss>apos-break</b>"#,
    r#"</td></tr><tr data-xss><td>row</td></tr>"#,
    r#"</option></select><b data-xss>select-break</b>"#,
    r#"</textarea><b data-xss>textarea-break</b>"#,
    r#"<iframe data-xss srcdoc="<script>parent.__xss=1</script>"></iframe>"#,
    r#"<a data-xss href="javascript:window.__xss=1">link</a>"#,
    r#"javascript:window.__xss=1"#,
    r#"<details data-xss open ontoggle=window.__xss=1>"#,
    r#"<input data-xss autofocus onfocus=window.__xss=1>"#,
    r#"<math><mtext><table><mglyph><style><img data-xss src=x onerror=window.__xss=1>"#,
    r#"<style>*{display:none}</style><b data-xss>style</b>"#,
    r#"<object data-xss data="javascript:window.__xss=1"></object>"#,
    r#"<embed data-xss src="javascript:window.__xss=1">"#,
    r#"<body data-xss onload=window.__xss=1>"#,
    r#"<meta data-xss http-equiv="refresh" content="0;url=javascript:window.__xss=1">"#,
    r#"<base data-xss href="javascript:/">"#,
    r#"{{constructor.constructor('window.__xss=1')()}}"#,
    r#"${window.__xss=1}"#,
    r#"<!--<b data-xss>--><b data-xss>comment</b>"#,
    "\u{202e}<b data-xss>rtl</b>",
    r#"&lt;b data-xss&gt;entity&lt;/b&gt;"#,
    r#"<template><b data-xss>t</b></template><b data-xss>after</b>"#,
];

fn payloads() -> Vec<String> {
    (0..130)
        .map(|i| format!("{} #{i}", VECTORS[i % VECTORS.len()]))
        .collect()
}

fn seed(h: &Harness) -> Vec<String> {
    let p = payloads();
    let at = |i: usize| p[i % p.len()].clone();
    let mut world = h.sandbox.state.write();
    for (i, r) in world.runners.values_mut().enumerate() {
        r.description = Some(at(i));
        r.tag_list = vec![at(i + 1), at(i + 2)];
        r.name = Some(at(i + 3));
        r.maintenance_note = Some(at(i + 4));
        r.version = r.version.as_ref().map(|_| at(i + 5));
        r.platform = r.platform.as_ref().map(|_| at(i + 6));
        r.architecture = r.architecture.as_ref().map(|_| at(i + 7));
    }
    for (i, project) in world.projects.iter_mut().enumerate() {
        project.name = at(i + 40);
        project.description = Some(at(i + 50));
    }
    for (i, group) in world.groups.iter_mut().enumerate() {
        group.name = at(i + 60);
        group.description = at(i + 70);
    }
    for (i, user) in world.users.iter_mut().enumerate() {
        user.name = at(i + 80);
    }
    world.job_names = (0..40).map(|i| at(i + 90)).collect();
    p
}

/// Neither a script ran nor an element arrived from API text.
async fn assert_clean(h: &Harness, page: &str) {
    let found: Value = h
        .browser
        .execute(
            "return [window.__xss === undefined, document.querySelectorAll('[data-xss]').length];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(found, serde_json::json!([true, 0]), "on {page}");
}

#[tokio::test(flavor = "multi_thread")]
async fn api_text_is_rendered_as_text_on_every_page() {
    let h = Harness::start().await;
    let p = seed(&h);
    h.sign_in(ADMIN_TOKEN).await;
    // The first runner's description, literally.
    h.wait_for_text("tr[data-runner-id='1']", &p[0]).await;
    assert_clean(&h, "/runners").await;

    let pages: [(&str, &str); 8] = [
        ("/runners/1", "dl"),
        ("/runners/1/edit", "form"),
        ("/runners/1/jobs", "table"),
        ("/project-runners?project=1", "table.runners"),
        ("/runners?source=group&group=1", "table.runners"),
        ("/register", "form"),
        ("/tokens", "form"),
        ("/runners?view=all", ".fleet-table tbody tr[data-runner-id]"),
    ];
    for (path, ready) in pages {
        h.open(path).await;
        h.wait_for(Locator::Css(ready)).await;
        // Let the page's requests land and render.
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        assert_clean(&h, path).await;
    }
    // The group picker lists hostile group names as option text.
    h.open("/runners").await;
    h.select("Show", "group").await;
    h.wait_for_text("#source-group", &p[60]).await;
    // The quick filter searches hostile text without interpreting it.
    h.open("/runners?view=all").await;
    h.wait_for(Locator::Css(".fleet-table tbody tr[data-runner-id]"))
        .await;
    h.fill("Quick filter", "data-xss").await;
    h.wait_for_text(".counts", "shown of").await;
    assert_clean(&h, "quick filter").await;
    // Detail page shows the maintenance note and tags as text.
    h.open("/runners/1").await;
    h.wait_for_text("main", &p[4]).await;
    assert_clean(&h, "detail again").await;
}
