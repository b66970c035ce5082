//! One chromedriver and one headless Chromium with a fresh profile, closed on drop.
//! Used by the end-to-end tests and by `cargo xtask bench`.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use serde_json::json;

pub use fantoccini;

pub struct Browser {
    pub client: Client,
    driver: Child,
    profile: PathBuf,
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The release build to serve: `CONSOLE_DIST`, checked to hold an index.html.
pub fn console_dist() -> PathBuf {
    let dist = std::env::var_os("CONSOLE_DIST").map(PathBuf::from).expect(
        "CONSOLE_DIST is not set: run the browser tests with `cargo xtask test`, which builds the console first",
    );
    assert!(
        dist.join("index.html").is_file(),
        "CONSOLE_DIST={} holds no index.html: build with `cargo xtask build`",
        dist.display()
    );
    dist
}

impl Browser {
    /// Starts chromedriver (`CHROMEDRIVER`, default `chromedriver`) on a free port and
    /// opens a session in headless Chromium (`CHROME`, default `/usr/bin/chromium`).
    pub async fn launch() -> Browser {
        Self::launch_with(&[]).await
    }

    /// `launch`, trusting the certificates whose SubjectPublicKeyInfo hashes
    /// (SHA-256, base64) to one of `spki_sha256`, such as TLS sandboxes'
    /// `Running::tls_spki_sha256`; any other bad certificate is still refused.
    pub async fn launch_trusting(spki_sha256: &[&str]) -> Browser {
        // Chromium reads this list only alongside --user-data-dir, which every
        // session here has (tests/tls_browser.rs proves it is honoured).
        Self::launch_with(&[format!(
            "--ignore-certificate-errors-spki-list={}",
            spki_sha256.join(",")
        )])
        .await
    }

    async fn launch_with(extra_args: &[String]) -> Browser {
        // A free port can be taken by another test between choosing and binding it;
        // then chromedriver fails to start or the session is refused: try afresh.
        let mut last_error = String::new();
        for _ in 0..3 {
            match Self::try_launch(extra_args).await {
                Ok(browser) => return browser,
                Err(e) => last_error = e,
            }
        }
        panic!("cannot start a WebDriver session: {last_error}");
    }

    async fn try_launch(extra_args: &[String]) -> Result<Browser, String> {
        let port = free_port();
        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let mut driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {chromedriver}: {e}"))?;
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().expect("address");
        let started = Instant::now();
        while TcpStream::connect(addr).is_err() {
            if let Ok(Some(status)) = driver.try_wait() {
                return Err(format!("chromedriver exited: {status}"));
            }
            if started.elapsed() > Duration::from_secs(15) {
                let _ = driver.kill();
                return Err("chromedriver did not start".into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        let profile = std::env::temp_dir().join(format!("runner-console-chromium-{port}"));
        let chrome = std::env::var("CHROME").unwrap_or_else(|_| "/usr/bin/chromium".into());
        // The network here is closed: background services would only hammer refused connections.
        let mut args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--window-size=1280,900".into(),
            format!("--user-data-dir={}", profile.display()),
        ];
        args.extend_from_slice(extra_args);
        let caps = json!({
            "goog:chromeOptions": {
                "binary": chrome,
                "args": args,
            }
        });
        let caps = caps.as_object().cloned().expect("object");
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://{addr}"))
            .await;
        match client {
            Ok(client) => Ok(Browser {
                client,
                driver,
                profile,
            }),
            Err(e) => {
                let _ = driver.kill();
                let _ = driver.wait();
                let _ = std::fs::remove_dir_all(&profile);
                Err(format!("no WebDriver session: {e}"))
            }
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Close the session so Chromium exits with its driver; works from a panicking test too.
        let client = self.client.clone();
        let _ = tokio::task::block_in_place(|| {
            tokio::runtime::Handle::current().block_on(async {
                tokio::time::timeout(Duration::from_secs(5), client.close()).await
            })
        });
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
