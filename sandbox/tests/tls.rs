//! `Config::tls`: HTTPS with a self-signed certificate, HTTP/2 chosen by ALPN and
//! HTTP/1.1 for clients that only speak it, and answers (CORS included) the same
//! as over plain HTTP.

mod common;

use common::*;
use gitlab_sandbox::{Config, FaultKind, FaultRule};
use reqwest::{Method, Version};

/// A client that trusts the sandbox's certificate and nothing else (no built-in
/// roots: reqwest is built with `rustls-tls-manual-roots`).
fn trusting(running: &gitlab_sandbox::Running) -> reqwest::ClientBuilder {
    let pem = running
        .tls_cert_pem
        .as_deref()
        .expect("a TLS sandbox has a PEM");
    let cert = reqwest::Certificate::from_pem(pem.as_bytes()).expect("rcgen's PEM parses");
    reqwest::Client::builder()
        .no_proxy()
        .add_root_certificate(cert)
}

async fn tls_sandbox(client: impl Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder) -> Sandbox {
    let running = gitlab_sandbox::spawn(
        Config {
            runners: 12,
            tls: true,
            ..Default::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .expect("sandbox starts");
    let client = client(trusting(&running)).build().expect("client");
    Sandbox { running, client }
}

#[tokio::test]
async fn tls_answers_over_http2_by_alpn_and_gives_the_pin_and_pem() {
    // Normal negotiation, not prior knowledge: h2 must be what ALPN picked.
    let s = tls_sandbox(|b| b).await;
    assert!(
        s.running.url.starts_with("https://127.0.0.1:"),
        "{}",
        s.running.url
    );
    let pem = s.running.tls_cert_pem.as_deref().unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");
    // Base64 of a SHA-256 digest: 32 bytes, 44 characters with one `=`.
    let pin = s.running.tls_spki_sha256.as_deref().unwrap();
    assert_eq!((pin.len(), pin.ends_with('=')), (44, true), "{pin}");

    let res = s
        .req(Method::GET, "/version", Some(ADMIN_TOKEN))
        .send()
        .await
        .expect("TLS handshake with the trusted certificate");
    assert_eq!(res.status(), 200);
    assert_eq!(res.version(), Version::HTTP_2);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["version"], "18.11.0", "{body}");

    // Dropping `Running` shuts the TLS server down as it does the plain one.
    let fresh = trusting(&s.running).build().unwrap();
    let url = s.url("/version");
    drop(s);
    let started = std::time::Instant::now();
    while fresh.get(&url).send().await.is_ok() {
        assert!(
            started.elapsed().as_secs() < 5,
            "still answering after drop"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn tls_answers_an_http1_only_client_over_http11() {
    let s = tls_sandbox(|b| b.http1_only()).await;
    let res = s
        .req(Method::GET, "/version", Some(ADMIN_TOKEN))
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), 200);
    assert_eq!(res.version(), Version::HTTP_11);
}

#[tokio::test]
async fn tls_certificate_is_verified_not_waved_through() {
    let s = tls_sandbox(|b| b).await;
    // Another sandbox's certificate is not this one's.
    let other = tls_sandbox(|b| b).await;
    let err = other
        .client
        .get(s.url("/version"))
        .send()
        .await
        .expect_err("a certificate it does not trust");
    assert!(err.is_connect(), "{err:?}");
    // The names are matched too: `localhost` is in the certificate, another name is not.
    let port = s.running.addr.port();
    let by_name = trusting(&s.running)
        .resolve("sandbox.invalid", s.running.addr)
        .build()
        .unwrap();
    let ok = by_name
        .get(format!("https://localhost:{port}/api/v4/version"))
        .header("PRIVATE-TOKEN", ADMIN_TOKEN)
        .send()
        .await;
    assert_eq!(ok.expect("localhost is a SAN").status(), 200);
    let err = by_name
        .get(format!("https://sandbox.invalid:{port}/api/v4/version"))
        .send()
        .await
        .expect_err("a name the certificate does not carry");
    assert!(err.is_connect(), "{err:?}");
}

/// One world served twice, over plain HTTP and over TLS, so answers can be
/// compared whole (two sandboxes would stamp their worlds at different times).
struct Doors {
    plain: String,
    tls: String,
    plain_client: reqwest::Client,
    tls_client: reqwest::Client,
}

async fn doors(tls_client: impl Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder) -> Doors {
    let config = Config {
        runners: 12,
        ..Default::default()
    };
    let state = gitlab_sandbox::state(&config);
    let cert = gitlab_sandbox::SelfSigned::generate().unwrap();
    let mut urls = vec![];
    for tls in [None, Some(&cert)] {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let scheme = if tls.is_some() { "https" } else { "http" };
        urls.push(format!("{scheme}://{addr}"));
        let router = gitlab_sandbox::app(state.clone(), &config);
        let tls = tls.cloned();
        tokio::spawn(async move {
            gitlab_sandbox::serve(listener, router, tls.as_ref(), std::future::pending()).await
        });
    }
    let pem = reqwest::Certificate::from_pem(cert.cert_pem.as_bytes()).unwrap();
    let builder = reqwest::Client::builder().no_proxy();
    Doors {
        tls: urls.pop().unwrap(),
        plain: urls.pop().unwrap(),
        plain_client: builder.build().unwrap(),
        tls_client: tls_client(
            reqwest::Client::builder()
                .no_proxy()
                .add_root_certificate(pem),
        )
        .build()
        .unwrap(),
    }
}

/// Status, body and headers but the per-answer ones, with the TLS door's base URL
/// written as the plain one's (links and `web_url`s name the door they came by, so
/// the length differs by the `s` of `https`: the bodies are compared instead).
fn comparable(r: &Reply, base: &str, plain_base: &str) -> (u16, String, Vec<(String, String)>) {
    let mut headers: Vec<(String, String)> = r
        .headers
        .iter()
        .filter(|(name, _)| !matches!(name.as_str(), "date" | "x-request-id" | "content-length"))
        .map(|(name, value)| {
            let value = value.to_str().unwrap().replace(base, plain_base);
            (name.to_string(), value)
        })
        .collect();
    headers.sort();
    (r.status, r.text.replace(base, plain_base), headers)
}

#[tokio::test]
async fn tls_answers_and_cors_headers_are_those_of_plain_http() {
    for http1 in [false, true] {
        let d = doors(|b| if http1 { b.http1_only() } else { b }).await;
        let origin = "https://console.example.org";
        let requests = |client: &reqwest::Client, base: &str| {
            let req = |method: Method, path: &str, token: Option<&str>| {
                let rb = client
                    .request(method, format!("{base}/api/v4{path}"))
                    .header("Origin", origin);
                match token {
                    Some(t) => rb.header("PRIVATE-TOKEN", t),
                    None => rb,
                }
            };
            vec![
                req(Method::GET, "/runners/all", Some(ADMIN_TOKEN)),
                req(
                    Method::GET,
                    "/runners/all?per_page=5&page=2",
                    Some(ADMIN_TOKEN),
                ),
                req(Method::GET, "/runners/3", Some(ADMIN_TOKEN)),
                req(Method::GET, "/projects", Some(ADMIN_TOKEN)),
                req(Method::GET, "/runners/all", None),
                req(Method::GET, "/runners/all", Some(MAINTAINER_TOKEN)),
                req(Method::GET, "/runners/999", Some(ADMIN_TOKEN)),
                req(Method::GET, "/no/such/route", None),
                req(Method::PUT, "/runners/3", Some(ADMIN_TOKEN))
                    .form(&[("description", "over tls")]),
                req(Method::OPTIONS, "/runners/5", None)
                    .header("Access-Control-Request-Method", "PUT")
                    .header(
                        "Access-Control-Request-Headers",
                        "private-token, content-type",
                    ),
            ]
        };
        let plain = requests(&d.plain_client, &d.plain);
        let tls = requests(&d.tls_client, &d.tls);
        for (p, t) in plain.into_iter().zip(tls) {
            let (p, t) = (send(p).await, send(t).await);
            assert_eq!(
                comparable(&t, &d.tls, &d.plain),
                comparable(&p, &d.plain, &d.plain),
                "http1 {http1}"
            );
            assert_eq!(t.header("access-control-allow-origin"), Some("*"), "{t:?}");
        }
        // Links point back at the TLS door, over HTTP/2 (no `Host`) and HTTP/1.1.
        let page = send(
            d.tls_client
                .get(format!("{}/api/v4/runners/all?per_page=5", d.tls))
                .header("PRIVATE-TOKEN", ADMIN_TOKEN),
        )
        .await;
        let link = page.header("link").unwrap();
        assert!(
            link.starts_with(&format!("<{}/api/v4/runners/all?", d.tls)),
            "http1 {http1}: {link}"
        );
    }
}

#[tokio::test]
async fn tls_drop_fault_gives_no_answer_over_either_protocol() {
    for http1 in [false, true] {
        let s = tls_sandbox(|b| if http1 { b.http1_only() } else { b }).await;
        s.running.state.faults.push(FaultRule {
            kind: FaultKind::Drop,
            times: Some(1),
            path: "/api/v4/runners/1".into(),
            ..Default::default()
        });
        let err = s
            .req(Method::GET, "/runners/1", Some(ADMIN_TOKEN))
            .send()
            .await
            .expect_err("no answer");
        assert!(!err.is_status(), "http1 {http1}: {err}");
        s.get("/runners/1", ADMIN_TOKEN).await.ok(200);
    }
}
