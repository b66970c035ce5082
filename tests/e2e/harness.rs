//! One sandbox GitLab serving the release build, one chromedriver and one headless
//! Chromium per test, so tests never share state.

use std::time::{Duration, Instant};

use console_testkit::{console_dist, Browser};
use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use gitlab_sandbox::{Config, GitLabVersion, Running};

pub const WAIT: Duration = Duration::from_secs(15);

pub struct Harness {
    pub sandbox: Running,
    pub browser: Client,
    _chromium: Browser,
}

/// The sandbox's defaults, but answering like GitLab 16.11.
pub fn gitlab_16_11() -> Config {
    Config {
        gitlab_version: GitLabVersion::new(16, 11),
        ..Config::default()
    }
}

/// A sandbox GitLab on a free port of 127.0.0.1.
pub async fn spawn(config: Config) -> Running {
    gitlab_sandbox::spawn(config, "127.0.0.1:0".parse().unwrap())
        .await
        .expect("sandbox starts")
}

impl Harness {
    /// The default sandbox world (120 runners), answering like GitLab 16.11:
    /// the suite written before the sandbox had versions keeps the GitLab it
    /// was written against (registration tokens on, 3-month stale, runner IPs).
    /// Newer GitLab is tested with `with_config` (tests/e2e/new_runner.rs).
    pub async fn start() -> Harness {
        Self::with_config(gitlab_16_11()).await
    }

    /// The release build (CONSOLE_DIST) unless `config.dist` names another.
    pub async fn with_config(config: Config) -> Harness {
        Self::trusting(Self::spawn_serving(config).await, &[]).await
    }

    /// `with_config`, and a second GitLab (`other`, another origin) whose
    /// certificate the browser trusts too when it speaks TLS.
    pub async fn with_second(config: Config, other: Config) -> (Harness, Running) {
        let sandbox = Self::spawn_serving(config).await;
        let second = spawn(other).await;
        let h = Self::trusting(sandbox, &[&second]).await;
        (h, second)
    }

    async fn spawn_serving(config: Config) -> Running {
        spawn(Config {
            dist: config.dist.clone().or_else(|| Some(console_dist())),
            ..config
        })
        .await
    }

    /// A browser for `sandbox`: its TLS certificate and `others'`, and no other, are trusted.
    async fn trusting(sandbox: Running, others: &[&Running]) -> Harness {
        let pins: Vec<&str> = std::iter::once(&sandbox)
            .chain(others.iter().copied())
            .filter_map(|s| s.tls_spki_sha256.as_deref())
            .collect();
        let chromium = if pins.is_empty() {
            Browser::launch().await
        } else {
            Browser::launch_trusting(&pins).await
        };
        Harness {
            sandbox,
            browser: chromium.client.clone(),
            _chromium: chromium,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sandbox.url)
    }

    pub async fn open(&self, path: &str) {
        self.browser
            .goto(&self.url(path))
            .await
            .expect("navigation");
    }

    /// The input a visible `<label>` names.
    pub async fn field(&self, label: &str) -> Element {
        let xpath = format!("//*[@id=//label[normalize-space(.)='{label}']/@for]");
        self.wait_for(Locator::XPath(&xpath)).await
    }

    pub async fn fill(&self, label: &str, text: &str) {
        let field = self.field(label).await;
        field.clear().await.expect("clear");
        field.send_keys(text).await.expect("typing");
    }

    /// Empties a field as a person does (select all, Backspace), so the page
    /// hears an `input` event; WebDriver's own clear sends none.
    pub async fn erase(&self, label: &str) {
        let field = self.field(label).await;
        field
            .send_keys("\u{E009}a\u{E000}\u{E003}")
            .await
            .expect("erasing");
    }

    pub async fn value_of(&self, label: &str) -> String {
        self.field(label)
            .await
            .prop("value")
            .await
            .expect("value")
            .unwrap_or_default()
    }

    /// Picks the option with `value` in the select a label names.
    pub async fn select(&self, label: &str, value: &str) {
        self.field(label)
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("select {value:?} in {label:?}: {e}"));
    }

    /// Clicks the button whose accessible name (`aria-label`, else text) is `name`.
    pub async fn click_named(&self, name: &str) {
        let xpath = format!(
            "//button[@aria-label='{name}' or (not(@aria-label) and normalize-space(.)='{name}')]"
        );
        self.wait_for(Locator::XPath(&xpath))
            .await
            .click()
            .await
            .expect("click");
    }

    pub async fn click_button(&self, name: &str) {
        let xpath = format!("//button[normalize-space(.)='{name}']");
        self.wait_for(Locator::XPath(&xpath))
            .await
            .click()
            .await
            .expect("click");
    }

    pub async fn click_link(&self, text: &str) {
        let xpath = format!("//a[normalize-space(.)='{text}']");
        self.wait_for(Locator::XPath(&xpath))
            .await
            .click()
            .await
            .expect("click");
    }

    pub async fn wait_for(&self, locator: Locator<'_>) -> Element {
        self.browser
            .wait()
            .at_most(WAIT)
            .for_element(locator)
            .await
            .unwrap_or_else(|e| panic!("waited for {locator:?}: {e}"))
    }

    /// Waits until an element matching `css` contains `text`; returns its full text.
    pub async fn wait_for_text(&self, css: &str, text: &str) -> String {
        let started = Instant::now();
        loop {
            if let Ok(elements) = self.browser.find_all(Locator::Css(css)).await {
                for e in elements {
                    if let Ok(t) = e.text().await {
                        if t.contains(text) {
                            return t;
                        }
                    }
                }
            }
            if started.elapsed() > WAIT {
                let body = self.body_text().await;
                panic!("no `{css}` containing {text:?}; the page says:\n{body}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn body_text(&self) -> String {
        match self.browser.find(Locator::Css("body")).await {
            Ok(b) => b.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Runner ids of the rows of the runner table, in order.
    pub async fn table_ids(&self) -> Vec<u64> {
        self.table_ids_in("table.runners").await
    }

    /// Runner ids of the rows drawn in the table matching `table_css`.
    pub async fn table_ids_in(&self, table_css: &str) -> Vec<u64> {
        // One script reads every row at once, so a re-render mid-read cannot leave
        // stale element references.
        let ids = self
            .browser
            .execute(
                "return [...document.querySelectorAll(arguments[0] + ' tbody tr[data-runner-id]')].map(r => r.dataset.runnerId);",
                vec![serde_json::json!(table_css)],
            )
            .await
            .expect("rows");
        ids.as_array()
            .expect("an array")
            .iter()
            .map(|v| {
                v.as_str()
                    .and_then(|s| s.parse().ok())
                    .expect("a runner id")
            })
            .collect()
    }

    /// Waits until the runner table shows exactly `expected`.
    pub async fn wait_for_ids(&self, expected: &[u64]) {
        let started = Instant::now();
        loop {
            let ids = self.table_ids().await;
            if ids == expected {
                return;
            }
            if started.elapsed() > WAIT {
                panic!("table shows {ids:?}, expected {expected:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn current_url(&self) -> String {
        self.browser.current_url().await.expect("url").to_string()
    }

    /// Waits until the address ends with `end`.
    pub async fn wait_for_url_ending(&self, end: &str) {
        let started = Instant::now();
        loop {
            let url = self.current_url().await;
            if url.ends_with(end) {
                return;
            }
            assert!(started.elapsed() < WAIT, "url is {url}, expected …{end}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Opens the console, signs in with `token` and waits for the runner table.
    pub async fn sign_in(&self, token: &str) {
        self.open("/").await;
        self.fill("GitLab URL", &self.sandbox.url).await;
        self.fill("Access token", token).await;
        self.click_button("Sign in").await;
        self.wait_for(Locator::Css("table.runners")).await;
    }
}

/// Chromium's DevTools protocol through chromedriver (`goog/cdp/execute`).
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

impl Harness {
    /// Makes the page see `prefers-color-scheme: dark` or `light` (CDP emulation).
    pub async fn emulate_color_scheme(&self, scheme: &str) {
        self.browser
            .issue_cmd(Cdp {
                cmd: "Emulation.setEmulatedMedia",
                params: serde_json::json!({
                    "features": [{ "name": "prefers-color-scheme", "value": scheme }]
                }),
            })
            .await
            .expect("CDP Emulation.setEmulatedMedia");
    }

    /// Runs a script in the page and returns its value.
    pub async fn js(&self, script: &str) -> serde_json::Value {
        self.browser
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// The focused element's tag, accessible name hints and text, for focus assertions.
    pub async fn focused(&self) -> String {
        let v = self
            .js(
                "const e = document.activeElement; \
                 return e ? `${e.tagName.toLowerCase()}#${e.id}|${e.getAttribute('aria-label') || ''}|${(e.textContent || '').trim()}` : '';",
            )
            .await;
        v.as_str().unwrap_or_default().to_string()
    }

    /// Presses keys one after another wherever focus is, as a user would
    /// (characters, or `fantoccini::key::Key` values as chars).
    pub async fn press(&self, keys: &[char]) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut actions = KeyActions::new("keyboard".into());
        for &value in keys {
            actions = actions
                .then(KeyAction::Down { value })
                .then(KeyAction::Up { value });
        }
        self.browser
            .perform_actions(actions)
            .await
            .expect("key presses");
    }

    /// Waits until `check` on the page (a JS expression) is true.
    pub async fn wait_until_js(&self, expression: &str) {
        let started = Instant::now();
        loop {
            let v = self.js(&format!("return !!({expression});")).await;
            if v == serde_json::Value::Bool(true) {
                return;
            }
            if started.elapsed() > WAIT {
                let body = self.body_text().await;
                panic!("waited for `{expression}`; the page says:\n{body}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Harness {
    /// Lets the page use the clipboard (headless Chromium asks otherwise).
    pub async fn grant_clipboard(&self) {
        self.browser
            .issue_cmd(Cdp {
                cmd: "Browser.grantPermissions",
                params: serde_json::json!({
                    "origin": self.sandbox.url,
                    "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]
                }),
            })
            .await
            .expect("CDP Browser.grantPermissions");
    }

    /// What the clipboard holds now.
    pub async fn clipboard_text(&self) -> String {
        let v = self
            .browser
            .execute_async(
                "const done = arguments[arguments.length - 1]; \
                 navigator.clipboard.readText().then(done, e => done('clipboard error: ' + e));",
                vec![],
            )
            .await
            .expect("read the clipboard");
        v.as_str().unwrap_or_default().to_string()
    }
}

impl Harness {
    /// The API requests the sandbox answered whose line (`GET /api/v4/…?…`)
    /// contains `needle`: proof that the console did, or did not, ask.
    pub fn requests_with(&self, needle: &str) -> Vec<String> {
        self.sandbox
            .state
            .requests
            .lines()
            .into_iter()
            .filter(|l| l.contains(needle))
            .collect()
    }
}

impl Harness {
    /// Lets the page download files into a fresh folder, and returns it.
    pub async fn downloads_to(&self) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "runner-console-downloads-{}-{}",
            std::process::id(),
            self.sandbox.addr.port()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("download folder");
        self.browser
            .issue_cmd(Cdp {
                cmd: "Browser.setDownloadBehavior",
                params: serde_json::json!({
                    "behavior": "allow",
                    "downloadPath": dir.to_string_lossy(),
                    "eventsEnabled": false
                }),
            })
            .await
            .expect("CDP Browser.setDownloadBehavior");
        dir
    }

    /// Waits for a finished download whose name ends with `suffix` in `dir`:
    /// its name and content.
    pub async fn downloaded(&self, dir: &std::path::Path, suffix: &str) -> (String, String) {
        let started = Instant::now();
        loop {
            let found = std::fs::read_dir(dir).ok().and_then(|entries| {
                entries.flatten().find_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    (name.ends_with(suffix)).then_some((name, e.path()))
                })
            });
            // Chromium writes into `*.crdownload` and renames it when done; the
            // named file can still be empty a moment before its bytes land.
            let writing = std::fs::read_dir(dir).ok().is_some_and(|entries| {
                entries
                    .flatten()
                    .any(|e| e.file_name().to_string_lossy().ends_with(".crdownload"))
            });
            if let (Some((name, path)), false) = (found, writing) {
                match std::fs::read_to_string(&path) {
                    Ok(text) if !text.is_empty() => return (name, text),
                    _ => {}
                }
            }
            if started.elapsed() > WAIT {
                panic!("no download ending in {suffix} in {}", dir.display());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
