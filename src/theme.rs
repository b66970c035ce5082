//! The colour theme: the system's (default), or light or dark as chosen in the
//! header. Remembered in localStorage (leptos-use's `use_local_storage`); applied as `data-theme` on `<html>`,
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

/// Storage round trip (leptos-use's `FromToStringCodec`): never fails, as `parse`.
impl std::str::FromStr for Theme {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Theme, Self::Err> {
        Ok(Theme::parse(s))
    }
}

impl std::fmt::Display for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where the choice is remembered (localStorage).
pub const STORAGE_KEY: &str = "runner-console.theme";

/// Sets `data-theme` on `<html>`.
#[cfg(target_arch = "wasm32")]
pub fn apply(theme: Theme) {
    if let Some(html) = leptos::prelude::document().document_element() {
        let _ = html.set_attribute("data-theme", theme.as_str());
    }
}

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
