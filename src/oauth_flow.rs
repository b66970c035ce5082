//! "Sign in with GitLab" in the browser: the PKCE verifier and state from
//! `crypto.getRandomValues`, the challenge from `crypto.subtle.digest`, kept in
//! `sessionStorage` only between leaving for GitLab's consent page and the
//! callback, which takes them out again whatever GitLab answered.

use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;

use crate::instances::{Instance, SignInWith};
use crate::oauth::{self, Authorize};
use crate::session::{self, TokenStorage};

const PENDING_KEY: &str = "runner-console.oauth-pending";

/// A sign-in under way in this tab.
#[derive(Serialize, Deserialize)]
pub struct Pending {
    pub instance: Instance,
    pub kept_in: TokenStorage,
    pub verifier: String,
    pub state: String,
    pub redirect_uri: String,
    /// Where to go once signed in (a route below the base).
    pub then: String,
}

fn crypto() -> Result<web_sys::Crypto, String> {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .ok_or_else(|| "This browser offers no Web Crypto, which the sign-in needs.".to_string())
}

fn random<const N: usize>() -> Result<[u8; N], String> {
    let mut bytes = [0u8; N];
    crypto()?
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(|_| "The browser gave no random numbers for the sign-in.".to_string())?;
    Ok(bytes)
}

async fn sha256(text: &str) -> Result<Vec<u8>, String> {
    let refused = |_| {
        "The browser could not compute the sign-in's SHA-256 (it needs a secure page: https or localhost).".to_string()
    };
    let promise = crypto()?
        .subtle()
        .digest_with_str_and_u8_array("SHA-256", text.as_bytes())
        .map_err(refused)?;
    let digest = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(refused)?;
    Ok(js_sys::Uint8Array::new(&digest).to_vec())
}

/// Leaves for GitLab's consent page; comes back at `/oauth/callback`. `Err`
/// says in words why it could not start.
pub async fn start(
    instance: Instance,
    kept_in: TokenStorage,
    read_only: bool,
    then: String,
) -> Result<(), String> {
    let SignInWith::OAuth { client_id } = &instance.sign_in else {
        return Err("This instance signs in with a token.".into());
    };
    let verifier = oauth::verifier(&random()?);
    let state = oauth::state(&random()?);
    let challenge = oauth::challenge(&sha256(&verifier).await?);
    let redirect_uri = session::redirect_uri();
    let url = oauth::authorize_url(&Authorize {
        gitlab_url: instance.gitlab_url.clone(),
        client_id: client_id.clone(),
        redirect_uri: redirect_uri.clone(),
        state: state.clone(),
        challenge,
        scope: if read_only { "read_api" } else { "api" }.into(),
    });
    let pending = Pending {
        instance,
        kept_in,
        verifier,
        state,
        redirect_uri,
        then,
    };
    let storage = web_sys::window()
        .and_then(|w| w.session_storage().ok().flatten())
        .ok_or("This browser keeps no sessionStorage, which the sign-in needs.")?;
    let json = serde_json::to_string(&pending).map_err(|e| e.to_string())?;
    storage
        .set_item(PENDING_KEY, &json)
        .map_err(|_| "The browser refused to keep the sign-in's state.".to_string())?;
    web_sys::window()
        .ok_or("no window")?
        .location()
        .assign(&url)
        .map_err(|e| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_else(|| "The browser did not go to GitLab.".into())
        })
}

/// Where to come back to from GitLab: the page shown now, below the base and
/// without its instance (the callback puts the signed-in instance's in front).
pub fn return_route() -> String {
    let here = leptos::prelude::window().location();
    let path = format!(
        "{}{}",
        here.pathname().unwrap_or_default(),
        here.search().unwrap_or_default()
    );
    let path = path
        .strip_prefix(crate::links::base())
        .map(str::to_string)
        .unwrap_or(path);
    crate::instances::split_route(&path).1.to_string()
}

/// The sign-in this tab started, taken out of `sessionStorage` (used once).
pub fn take_pending() -> Option<Pending> {
    let storage = web_sys::window()?.session_storage().ok().flatten()?;
    let raw = storage.get_item(PENDING_KEY).ok().flatten();
    let _ = storage.remove_item(PENDING_KEY);
    serde_json::from_str(&raw?).ok()
}
