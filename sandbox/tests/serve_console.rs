//! Serving a built console: at `/` or under a sub-path, with index.html for deep links.

mod common;

use common::*;
use gitlab_sandbox::Config;

/// A stand-in dist: an index.html and one asset.
fn fake_dist(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("sandbox-dist-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><p>console</p>").unwrap();
    std::fs::write(dir.join("app.js"), "console.log(1)").unwrap();
    dir
}

async fn get_text(s: &Sandbox, path: &str) -> (u16, String) {
    let res = s
        .client
        .get(format!("{}{path}", s.running.url))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

#[tokio::test]
async fn serves_the_console_at_the_root_with_deep_link_fallback() {
    let s = Sandbox::with(Config {
        dist: Some(fake_dist("root")),
        ..Default::default()
    })
    .await;
    assert_eq!(
        get_text(&s, "/app.js").await,
        (200, "console.log(1)".into())
    );
    let (status, body) = get_text(&s, "/runners/3/edit").await;
    assert_eq!(status, 200);
    assert!(body.contains("console"), "{body}");
}

#[tokio::test]
async fn serves_the_console_under_a_base_path_and_the_api_at_api_v4() {
    let s = Sandbox::with(Config {
        dist: Some(fake_dist("sub")),
        base_path: "/tools/runners/".into(),
        ..Default::default()
    })
    .await;
    assert_eq!(
        get_text(&s, "/tools/runners/app.js").await,
        (200, "console.log(1)".into())
    );
    for deep in [
        "/tools/runners/",
        "/tools/runners/runners/3",
        "/tools/runners/tokens?x=1",
    ] {
        let (status, body) = get_text(&s, deep).await;
        assert_eq!(status, 200, "{deep}");
        assert!(body.contains("console"), "{deep}: {body}");
    }
    // Outside the base path there is no console.
    assert_eq!(get_text(&s, "/runners/3").await.0, 404);
    assert_eq!(get_text(&s, "/app.js").await.0, 404);
    // Without the slash, the browser is sent to the base with it.
    let no_redirects = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = no_redirects
        .get(format!("{}/tools/runners", s.running.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 308);
    assert_eq!(res.headers()["location"], "/tools/runners/");
    // The API is where GitLab has it.
    s.get("/user", ADMIN_TOKEN).await.ok(200);
}

#[test]
fn base_paths_are_normalized() {
    use gitlab_sandbox::normalize_base_path;
    assert_eq!(normalize_base_path("/"), "/");
    assert_eq!(normalize_base_path(""), "/");
    assert_eq!(normalize_base_path("tools/runners"), "/tools/runners");
    assert_eq!(normalize_base_path("/tools/runners/"), "/tools/runners");
}

#[tokio::test]
async fn compressed_files_beside_the_assets_go_to_browsers_that_accept_them() {
    let dist = fake_dist("gzip");
    // Stand-ins: which file was sent shows in the bytes.
    std::fs::write(dist.join("app.js.gz"), b"gzip of app.js").unwrap();
    std::fs::write(dist.join("app.js.br"), b"brotli of app.js").unwrap();
    std::fs::write(dist.join("index.html.gz"), b"gzip of index.html").unwrap();
    let s = Sandbox::with(Config {
        dist: Some(dist),
        ..Default::default()
    })
    .await;
    let get = |path: &str, accept: Option<&str>| {
        let mut req = s.client.get(format!("{}{path}", s.running.url));
        if let Some(accept) = accept {
            req = req.header("accept-encoding", accept);
        }
        async move {
            let res = req.send().await.unwrap();
            let header = |name: &str| {
                res.headers()
                    .get(name)
                    .map(|v| v.to_str().unwrap().to_string())
            };
            let (encoding, kind) = (header("content-encoding"), header("content-type"));
            (encoding, kind, res.bytes().await.unwrap().to_vec())
        }
    };

    let (encoding, kind, body) = get("/app.js", Some("gzip, deflate")).await;
    assert_eq!(encoding.as_deref(), Some("gzip"));
    assert_eq!(kind.as_deref(), Some("text/javascript"));
    assert_eq!(body, b"gzip of app.js");
    // Brotli is preferred where accepted, as Chromium's "gzip, deflate, br, zstd".
    let (encoding, kind, body) = get("/app.js", Some("gzip, deflate, br, zstd")).await;
    assert_eq!(encoding.as_deref(), Some("br"));
    assert_eq!(kind.as_deref(), Some("text/javascript"));
    assert_eq!(body, b"brotli of app.js");
    // A deep link gets the app's page, compressed too.
    let (encoding, kind, body) = get("/runners/3", Some("gzip")).await;
    assert_eq!(encoding.as_deref(), Some("gzip"));
    assert_eq!(kind.as_deref(), Some("text/html"));
    assert_eq!(body, b"gzip of index.html");
    // Clients that do not accept gzip get the file itself.
    let (encoding, _, body) = get("/app.js", None).await;
    assert_eq!(encoding, None);
    assert_eq!(body, b"console.log(1)");
}

#[tokio::test]
async fn a_console_config_is_served_as_config_json_over_the_one_in_dist() {
    let config = serde_json::json!({
        "gitlab_url": "http://127.0.0.1:8080",
        "oauth_client_id": "runner-console-demo",
    });
    for (base, at) in [
        ("/", "/config.json"),
        ("/tools/runners/", "/tools/runners/config.json"),
    ] {
        let dist = fake_dist(&format!("config-{}", base.len()));
        std::fs::write(
            dist.join("config.json"),
            r#"{"gitlab_url":"https://from.dist"}"#,
        )
        .unwrap();
        let s = Sandbox::with(Config {
            dist: Some(dist),
            base_path: base.into(),
            console_config: Some(config.clone()),
            ..Default::default()
        })
        .await;
        let res = s
            .client
            .get(format!("{}{at}", s.running.url))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200, "{at}");
        assert_eq!(res.headers()["cache-control"], "no-cache");
        let served: serde_json::Value = res.json().await.unwrap();
        assert_eq!(served, config, "{at}");
        // The rest of the console is still served beside it.
        let deep = format!("{}runners/3", base);
        let (status, body) = get_text(&s, &deep).await;
        assert_eq!(status, 200, "{deep}");
        assert!(body.contains("console"), "{deep}: {body}");
    }
    // Without one, the dist's own file is served as before.
    let dist = fake_dist("config-file");
    std::fs::write(
        dist.join("config.json"),
        r#"{"gitlab_url":"https://from.dist"}"#,
    )
    .unwrap();
    let s = Sandbox::with(Config {
        dist: Some(dist),
        ..Default::default()
    })
    .await;
    assert_eq!(
        get_text(&s, "/config.json").await,
        (200, r#"{"gitlab_url":"https://from.dist"}"#.into())
    );
}
