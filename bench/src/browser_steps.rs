//! The console's figures, measured inside the page with `performance.now()`.

use std::time::Duration;

use console_testkit::fantoccini::{Client, Locator};
use serde_json::{json, Value};

#[derive(Debug, Default)]
pub struct ConsoleFigures {
    /// Navigation start to the first rows of runners in the table.
    pub nav_to_first_page_ms: f64,
    /// The app's own start (`app-start` mark) to the first rows.
    pub app_to_first_page_ms: f64,
    pub load_all_ms: f64,
    pub loaded: u64,
    pub keystrokes_ms: Vec<f64>,
    pub bulk_pause_ms: f64,
    pub bulk_count: u64,
    /// `nextHopProtocol` of the API's answers (`http/1.1`, `h2`).
    pub protocol: String,
    /// Pages in flight the page was told to keep (`None`: its own choice).
    pub read_ahead: Option<usize>,
    /// The wasm module's memory after loading every runner.
    pub wasm_bytes: f64,
}

/// What a run measures beyond loading every runner.
#[derive(Clone, Copy, Debug)]
pub struct Steps {
    /// Tell the page how many pages to keep in flight (`window.__runnerConsoleReadAhead`).
    pub read_ahead: Option<usize>,
    /// Also select 1,000 runners and pause them.
    pub bulk: bool,
}

const LOAD_ALL: &str = r#"
const [want, done] = [arguments[0], arguments[arguments.length - 1]];
const button = [...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Load every page');
const t0 = performance.now();
button.click();
const poll = () => {
  const c = document.querySelector('.counts');
  if (c && c.textContent.includes(want)) done(performance.now() - t0); else setTimeout(poll, 2);
};
poll();
"#;

// Each keystroke: set the value, fire `input`, and take the time once the work it
// started (signals, effects, the rows) has run: the next macrotask.
const KEYSTROKES: &str = r#"
const [text, done] = [arguments[0], arguments[arguments.length - 1]];
const input = document.getElementById('quick-filter');
const times = [];
let i = 0;
const next = () => {
  if (i >= text.length) { done(times); return; }
  input.value = text.slice(0, ++i);
  const t0 = performance.now();
  input.dispatchEvent(new Event('input', { bubbles: true }));
  setTimeout(() => { times.push(performance.now() - t0); setTimeout(next, 30); }, 0);
};
next();
"#;

const SELECT_RANGE: &str = r#"
const [n, done] = [arguments[0], arguments[arguments.length - 1]];
const box = id => document.querySelector(`tr[aria-rowindex='${id}'] input[type=checkbox]`);
box(2).click();
document.querySelector('.virtual').scrollTop = 40 * (n - 10);
const poll = () => {
  const last = box(n + 1);
  if (!last) { setTimeout(poll, 10); return; }
  last.dispatchEvent(new MouseEvent('click', { bubbles: true, shiftKey: true }));
  setTimeout(() => done(document.querySelector('.counts').textContent), 50);
};
poll();
"#;

const BULK_PAUSE: &str = r#"
const done = arguments[arguments.length - 1];
const button = [...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Pause selected');
const t0 = performance.now();
button.click();
const poll = () => {
  const r = document.querySelector('.bulk-run');
  if (r && r.textContent.includes('Pausing finished')) done(performance.now() - t0); else setTimeout(poll, 2);
};
poll();
"#;

async fn script(client: &Client, js: &str, args: Vec<Value>) -> Value {
    client
        .execute_async(js, args)
        .await
        .unwrap_or_else(|e| panic!("script failed: {e}"))
}

pub async fn run(
    client: &Client,
    url: &str,
    token: &str,
    runners: u64,
    steps: Steps,
) -> ConsoleFigures {
    client
        .update_timeouts(console_testkit::fantoccini::wd::TimeoutConfiguration::new(
            Some(Duration::from_secs(120)),
            Some(Duration::from_secs(60)),
            Some(Duration::from_secs(0)),
        ))
        .await
        .expect("timeouts");
    let mut figures = ConsoleFigures::default();

    // A returning user: signed in once in this tab, then opening the list again
    // (a full page load, so the app starts from scratch and restores the session).
    client.goto(&format!("{url}/")).await.expect("open");
    let token_field = client
        .wait()
        .for_element(Locator::Id("access-token"))
        .await
        .expect("sign-in form");
    token_field.send_keys(token).await.expect("type the token");
    client
        .find(Locator::XPath("//button[normalize-space(.)='Sign in']"))
        .await
        .expect("sign-in button")
        .click()
        .await
        .expect("sign in");
    client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css("table.runners tbody tr[data-runner-id]"))
        .await
        .expect("signed in");
    client
        .goto(&format!("{url}/runners?source=all"))
        .await
        .expect("open list");
    client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css("table.runners tbody tr[data-runner-id]"))
        .await
        .expect("first page");
    let marks = client
        .execute(
            "const m = n => (performance.getEntriesByName(n)[0] || {}).startTime; return [m('app-start'), m('runners-visible')];",
            vec![],
        )
        .await
        .expect("marks");
    let start = marks[0].as_f64().unwrap_or(f64::NAN);
    let visible = marks[1].as_f64().unwrap_or(f64::NAN);
    figures.nav_to_first_page_ms = visible;
    figures.app_to_first_page_ms = visible - start;

    if let Some(n) = steps.read_ahead {
        client
            .execute(
                "window.__runnerConsoleReadAhead = arguments[0];",
                vec![json!(n)],
            )
            .await
            .expect("set the read-ahead depth");
    }
    figures.read_ahead = steps.read_ahead;
    let want = format!("{runners} shown of {runners} loaded");
    figures.load_all_ms = script(client, LOAD_ALL, vec![json!(want)])
        .await
        .as_f64()
        .unwrap_or(f64::NAN);
    figures.loaded = runners;
    let after = client
        .execute(
            "return [window.wasmBindings.wasm_memory_bytes(), performance.getEntriesByType('resource').filter(e => e.name.includes('/api/v4/')).map(e => e.nextHopProtocol).pop() || ''];",
            vec![],
        )
        .await
        .expect("memory and protocol");
    figures.wasm_bytes = after[0].as_f64().unwrap_or(f64::NAN);
    figures.protocol = after[1].as_str().unwrap_or_default().to_string();

    let times = script(client, KEYSTROKES, vec![json!("shared docker")]).await;
    figures.keystrokes_ms = times
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default();
    // Back to every runner before selecting.
    script(client, KEYSTROKES, vec![json!("")]).await;
    client
        .execute(
            "const i = document.getElementById('quick-filter'); i.value = ''; i.dispatchEvent(new Event('input', {bubbles: true}));",
            vec![],
        )
        .await
        .expect("clear filter");
    tokio::time::sleep(Duration::from_millis(200)).await;
    if !steps.bulk {
        return figures;
    }

    let count = 1000.min(runners);
    let selected = script(client, SELECT_RANGE, vec![json!(count)]).await;
    let selected = selected.as_str().unwrap_or_default().to_string();
    assert!(
        selected.contains(&format!("{count} selected")),
        "selection: {selected}"
    );
    figures.bulk_pause_ms = script(client, BULK_PAUSE, vec![])
        .await
        .as_f64()
        .unwrap_or(f64::NAN);
    figures.bulk_count = count;
    figures
}
