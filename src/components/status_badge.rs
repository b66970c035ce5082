//! A runner's status as text plus colour and shape, so colour is never the only signal.

use leptos::prelude::*;

/// Label and CSS modifier for a status as GitLab sends it; unknown values (older
/// GitLab's `not_connected`, say) are shown as they come.
pub fn describe(status: &str) -> (String, &'static str) {
    match status {
        "online" => ("Online".into(), "online"),
        "offline" => ("Offline".into(), "offline"),
        "stale" => ("Stale".into(), "stale"),
        "never_contacted" => ("Never contacted".into(), "never"),
        "paused" => ("Paused".into(), "paused"),
        "" => ("Unknown".into(), "unknown"),
        other => (other.replace('_', " "), "unknown"),
    }
}

#[component]
pub fn StatusBadge(#[prop(into)] status: String) -> impl IntoView {
    let (label, modifier) = describe(&status);
    view! {
        <span class=format!("status status-{modifier}")>
            <span class="status-icon" aria-hidden="true"></span>
            {label}
        </span>
    }
}
