//! The colour theme: the system's (default), or light or dark as chosen in the
//! header. Remembered in localStorage; applied as `data-theme` on `<html>`,
//! which style/main.css reads.

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Theme::System => "System",
            Theme::Light => "Light",
            Theme::Dark => "Dark",
        }
    }

    /// Unknown or missing values mean the system's theme.
    pub fn parse(s: &str) -> Theme {
        Theme::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .unwrap_or_default()
    }
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::Theme;
    use leptos::prelude::*;

    const STORAGE_KEY: &str = "runner-console.theme";

    fn storage() -> Option<web_sys::Storage> {
        window().local_storage().ok().flatten()
    }

    pub fn remembered() -> Theme {
        storage()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
            .map(|v| Theme::parse(&v))
            .unwrap_or_default()
    }

    pub fn apply(theme: Theme) {
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("data-theme", theme.as_str());
        }
    }

    pub fn remember(theme: Theme) {
        if let Some(s) = storage() {
            let _ = s.set_item(STORAGE_KEY, theme.as_str());
        }
    }
}

#[cfg(target_arch = "wasm32")]
pub use browser::{apply, remember, remembered};

#[cfg(test)]
mod tests {
    use super::Theme;

    #[test]
    fn round_trips_and_defaults_to_system() {
        for t in Theme::ALL {
            assert_eq!(Theme::parse(t.as_str()), t);
        }
        assert_eq!(Theme::parse(""), Theme::System);
        assert_eq!(Theme::parse("sepia"), Theme::System);
    }
}
