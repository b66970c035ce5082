//! The browser's `fetch`, as the client needs it: one request, its status, headers
//! and text. (gloo-net did this before; its builder and error types were more code
//! than the few calls below.)

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, RequestCache, RequestInit, RequestMode, Response};

/// A request to send.
pub struct Fetch<'a> {
    pub method: &'a str,
    pub url: &'a str,
    pub headers: &'a [(&'a str, &'a str)],
    pub body: Option<&'a str>,
    pub signal: Option<&'a AbortSignal>,
    pub mode: Option<RequestMode>,
    pub cache: Option<RequestCache>,
}

impl<'a> Fetch<'a> {
    pub fn get(url: &'a str) -> Self {
        Fetch {
            method: "GET",
            url,
            headers: &[],
            body: None,
            signal: None,
            mode: None,
            cache: None,
        }
    }
}

/// What `fetch` threw: the error's name (`AbortError`, `TypeError`…) and message.
#[derive(Debug)]
pub struct FetchError {
    pub name: String,
    pub message: String,
}

fn fetch_error(thrown: JsValue) -> FetchError {
    match thrown.dyn_into::<js_sys::Error>() {
        Ok(e) => FetchError {
            name: e.name().into(),
            message: e.message().into(),
        },
        Err(other) => FetchError {
            name: "Error".into(),
            message: other.as_string().unwrap_or_default(),
        },
    }
}

/// Sends the request; any answer (also 4xx/5xx) is `Ok`.
pub async fn send(req: &Fetch<'_>) -> Result<Response, FetchError> {
    let init = RequestInit::new();
    init.set_method(req.method);
    let headers = web_sys::Headers::new().map_err(fetch_error)?;
    for (name, value) in req.headers {
        headers.set(name, value).map_err(fetch_error)?;
    }
    init.set_headers(&headers);
    if let Some(body) = req.body {
        init.set_body(&JsValue::from_str(body));
    }
    init.set_signal(req.signal);
    if let Some(mode) = req.mode {
        init.set_mode(mode);
    }
    if let Some(cache) = req.cache {
        init.set_cache(cache);
    }
    let window = web_sys::window().expect("a window");
    let answer = JsFuture::from(window.fetch_with_str_and_init(req.url, &init))
        .await
        .map_err(fetch_error)?;
    Ok(answer.unchecked_into())
}

/// The body as text.
pub async fn text(response: &Response) -> Result<String, FetchError> {
    let promise = response.text().map_err(fetch_error)?;
    let text = JsFuture::from(promise).await.map_err(fetch_error)?;
    Ok(text.as_string().unwrap_or_default())
}
