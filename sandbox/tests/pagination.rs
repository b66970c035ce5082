//! GitLab's offset pagination: the X-* headers, `Link`, per_page capping, pages
//! past the end, and the disappearing counts above 10,000 records.

mod common;

use std::collections::BTreeMap;

use common::*;
use gitlab_sandbox::Config;
use reqwest::Method;
use serde_json::json;

/// `Link` as rel -> URL, asserting each part is `<url>; rel="x"`.
fn links(r: &Reply) -> BTreeMap<String, String> {
    let raw = r.header("link").expect("Link header");
    raw.split(", ")
        .map(|part| {
            let (url, rel) = part
                .split_once("; rel=")
                .unwrap_or_else(|| panic!("bad link {part}"));
            let url = url
                .strip_prefix('<')
                .and_then(|u| u.strip_suffix('>'))
                .expect("<url>");
            (rel.trim_matches('"').to_string(), url.to_string())
        })
        .collect()
}

fn rels(r: &Reply) -> Vec<String> {
    links(r).keys().cloned().collect()
}

/// Follows an absolute link with the admin token.
async fn follow(s: &Sandbox, url: &str) -> Reply {
    send(s.client.get(url).header("PRIVATE-TOKEN", ADMIN_TOKEN)).await
}

#[tokio::test]
async fn middle_page_headers_and_links_keep_other_parameters() {
    let s = Sandbox::fixed().await;
    // Not paused: 1 2 3 5 6 7 9 10 11 12, three a page.
    let r = s
        .get("/runners/all?paused=false&per_page=3&page=2", ADMIN_TOKEN)
        .await;
    assert_eq!(r.ids(), vec![5, 6, 7]);
    assert_eq!(r.header("x-page"), Some("2"));
    assert_eq!(r.header("x-per-page"), Some("3"));
    assert_eq!(r.header("x-total"), Some("10"));
    assert_eq!(r.header("x-total-pages"), Some("4"));
    assert_eq!(r.header("x-next-page"), Some("3"));
    assert_eq!(r.header("x-prev-page"), Some("1"));
    let base = format!("{}/api/v4/runners/all", s.running.url);
    let link = |page: u32| format!("{base}?page={page}&paused=false&per_page=3");
    assert_eq!(
        r.header("link"),
        Some(
            format!(
                r#"<{}>; rel="prev", <{}>; rel="next", <{}>; rel="first", <{}>; rel="last""#,
                link(1),
                link(3),
                link(1),
                link(4)
            )
            .as_str()
        )
    );
    // The links lead where they say.
    let l = links(&r);
    assert_eq!(follow(&s, &l["next"]).await.ids(), vec![9, 10, 11]);
    assert_eq!(follow(&s, &l["prev"]).await.ids(), vec![1, 2, 3]);
    assert_eq!(follow(&s, &l["last"]).await.ids(), vec![12]);
}

#[tokio::test]
async fn links_keep_array_and_filter_parameters() {
    let s = Sandbox::fixed().await;
    let r = s
        .get(
            "/runners/all?type=instance_type&tag_list[]=docker&per_page=1",
            ADMIN_TOKEN,
        )
        .await;
    assert_eq!(r.ids(), vec![1]);
    let l = links(&r);
    for (rel, url) in &l {
        assert!(
            url.starts_with(&format!("{}/api/v4/runners/all?", s.running.url)),
            "{rel}: {url}"
        );
        assert!(url.contains("type=instance_type"), "{rel}: {url}");
        assert!(url.contains("per_page=1"), "{rel}: {url}");
    }
    assert_eq!(rels(&r), ["first", "last"]);
    assert_eq!(follow(&s, &l["last"]).await.ids(), vec![1]);

    // Jobs paginate the same way, on their own path.
    let r = s
        .get("/runners/1/jobs?sort=asc&per_page=5&page=2", ADMIN_TOKEN)
        .await;
    assert_eq!(r.ids(), vec![6, 7, 8, 9, 10]);
    let l = links(&r);
    assert_eq!(
        l["next"],
        format!(
            "{}/api/v4/runners/1/jobs?page=3&per_page=5&sort=asc",
            s.running.url
        )
    );
    assert_eq!(follow(&s, &l["next"]).await.ids(), vec![11, 12, 13, 14, 15]);
}

#[tokio::test]
async fn first_and_last_pages() {
    let s = Sandbox::start().await;
    let first = s.get("/runners/all", ADMIN_TOKEN).await;
    assert_eq!(first.ids(), (1..=20).collect::<Vec<u64>>());
    assert_eq!(first.header("x-page"), Some("1"));
    assert_eq!(first.header("x-per-page"), Some("20"));
    assert_eq!(first.header("x-total"), Some("120"));
    assert_eq!(first.header("x-total-pages"), Some("6"));
    assert_eq!(first.header("x-next-page"), Some("2"));
    assert_eq!(first.header("x-prev-page"), Some(""));
    assert_eq!(rels(&first), ["first", "last", "next"]);
    assert!(links(&first)["last"].ends_with("/api/v4/runners/all?page=6&per_page=20"));

    let last = s.get("/runners/all?page=6", ADMIN_TOKEN).await;
    assert_eq!(last.ids(), (101..=120).collect::<Vec<u64>>());
    assert_eq!(last.header("x-next-page"), Some(""));
    assert_eq!(last.header("x-prev-page"), Some("5"));
    assert_eq!(rels(&last), ["first", "last", "prev"]);
}

#[tokio::test]
async fn per_page_above_100_is_served_as_100() {
    let s = Sandbox::start().await;
    let r = s.get("/runners/all?per_page=500", ADMIN_TOKEN).await;
    assert_eq!(r.ids(), (1..=100).collect::<Vec<u64>>());
    assert_eq!(r.header("x-per-page"), Some("100"));
    assert_eq!(r.header("x-total-pages"), Some("2"));
    assert_eq!(r.header("x-next-page"), Some("2"));
    // The next link leads to the rest, whichever per_page it repeats.
    let next = follow(&s, &links(&r)["next"]).await;
    assert_eq!(next.ids(), (101..=120).collect::<Vec<u64>>());
    let exact = s.get("/runners/all?per_page=500&page=2", ADMIN_TOKEN).await;
    assert_eq!(exact.ids(), (101..=120).collect::<Vec<u64>>());
}

#[tokio::test]
async fn page_past_the_end_is_an_empty_list() {
    let s = Sandbox::start().await;
    let r = s.get("/runners/all?page=99", ADMIN_TOKEN).await;
    assert_eq!(r.ok(200), &json!([]));
    assert_eq!(r.header("x-page"), Some("99"));
    assert_eq!(r.header("x-total"), Some("120"));
    assert_eq!(r.header("x-total-pages"), Some("6"));
    assert_eq!(r.header("x-next-page"), Some(""));
    // Kaminari has no previous page for a page out of range.
    assert_eq!(r.header("x-prev-page"), Some(""));
    assert_eq!(rels(&r), ["first", "last"]);
    // The same for an empty list.
    let empty = s.get("/runners?page=2", REPORTER_TOKEN).await;
    assert_eq!(empty.ok(200), &json!([]));
    assert_eq!(empty.header("x-total"), Some("0"));
    assert_eq!(empty.header("x-total-pages"), Some("1"));
    assert_eq!(empty.header("x-prev-page"), Some(""));
    assert_eq!(empty.header("x-next-page"), Some(""));
}

#[tokio::test]
async fn above_ten_thousand_the_counts_disappear() {
    let s = Sandbox::with(Config {
        runners: 10_050,
        jobs_per_runner: 1,
        ..Default::default()
    })
    .await;
    let first = s.get("/runners/all", ADMIN_TOKEN).await;
    assert_eq!(first.ids(), (1..=20).collect::<Vec<u64>>());
    assert_eq!(first.header("x-total"), None);
    assert_eq!(first.header("x-total-pages"), None);
    assert_eq!(first.header("x-page"), Some("1"));
    assert_eq!(first.header("x-next-page"), Some("2"));
    assert_eq!(first.header("x-prev-page"), Some(""));
    assert_eq!(rels(&first), ["first", "next"]);
    // Following X-Next-Page / Link still works.
    let second = follow(&s, &links(&first)["next"]).await;
    assert_eq!(second.ids(), (21..=40).collect::<Vec<u64>>());
    assert_eq!(second.header("x-next-page"), Some("3"));
    assert_eq!(second.header("x-prev-page"), Some("1"));
    assert_eq!(rels(&second), ["first", "next", "prev"]);

    // 10,050 / 20: page 503 holds the last ten.
    let last = s.get("/runners/all?page=503", ADMIN_TOKEN).await;
    assert_eq!(last.ids(), (10_041..=10_050).collect::<Vec<u64>>());
    assert_eq!(last.header("x-next-page"), Some(""));
    assert_eq!(last.header("x-prev-page"), Some("502"));
    assert_eq!(last.header("x-total"), None);
    assert_eq!(rels(&last), ["first", "prev"]);
    let past = s.get("/runners/all?page=504", ADMIN_TOKEN).await;
    assert_eq!(past.ok(200), &json!([]));
    assert_eq!(past.header("x-next-page"), Some(""));

    // A filter that matches fewer than 10,000 brings the counts back.
    let instance = s
        .get("/runners/all?type=instance_type&per_page=100", ADMIN_TOKEN)
        .await;
    let total: u64 = instance
        .header("x-total")
        .expect("x-total")
        .parse()
        .unwrap();
    assert!(total > 100 && total < 10_000, "{total}");
    assert_eq!(
        instance.header("x-total-pages"),
        Some(total.div_ceil(100).to_string().as_str())
    );
    assert!(rels(&instance).contains(&"last".to_string()));
}

#[tokio::test]
async fn exactly_ten_thousand_are_still_counted() {
    let s = Sandbox::with(Config {
        runners: 10_000,
        jobs_per_runner: 1,
        ..Default::default()
    })
    .await;
    let r = s.get("/runners/all?per_page=100", ADMIN_TOKEN).await;
    assert_eq!(r.header("x-total"), Some("10000"));
    assert_eq!(r.header("x-total-pages"), Some("100"));
    assert!(links(&r)["last"].ends_with("page=100&per_page=100"));
}

#[tokio::test]
async fn pagination_on_every_list() {
    let s = Sandbox::fixed().await;
    for (path, token, total) in [
        ("/runners?per_page=2", MAINTAINER_TOKEN, "5"),
        ("/projects/1/runners?per_page=2", MAINTAINER_TOKEN, "6"),
        ("/groups/1/runners?per_page=2", MAINTAINER_TOKEN, "6"),
        ("/runners/1/jobs?per_page=2", ADMIN_TOKEN, "15"),
        ("/projects?per_page=2", ADMIN_TOKEN, "10"),
        ("/groups?per_page=2", ADMIN_TOKEN, "5"),
    ] {
        let r = send(s.req(Method::GET, path, Some(token))).await;
        assert_eq!(r.ok(200).as_array().unwrap().len(), 2, "{path}");
        assert_eq!(r.header("x-total"), Some(total), "{path}");
        assert_eq!(r.header("x-per-page"), Some("2"), "{path}");
        assert_eq!(r.header("x-next-page"), Some("2"), "{path}");
        assert_eq!(rels(&r), ["first", "last", "next"], "{path}");
    }
}
