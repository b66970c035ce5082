//! Keyboard shortcuts as a pure function of a key press, so native tests
//! cover which key does what; the listener lives in components/shortcuts.rs.

/// What a key press asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shortcut {
    /// `/`: focus the list's filter.
    FocusFilter,
    /// `?`: show the shortcuts.
    ShowHelp,
    /// `g` then `r`: go to the runners.
    GoToRunners,
    /// `g` then `p`: go to project runners.
    GoToProjectRunners,
    /// `g` then `t`: go to the token tools.
    GoToTokens,
}

/// Every shortcut with its keys, for the help dialog.
pub const HELP: [(&str, &str); 5] = [
    ("/", "Focus the filter of a runner list"),
    ("?", "Show these shortcuts"),
    ("g then r", "Go to the runners"),
    ("g then p", "Go to project runners"),
    ("g then t", "Go to the token tools"),
];

/// `key` is the DOM `KeyboardEvent.key`; `pending_g` says the previous key was
/// a lone `g`. Returns the shortcut, and whether this key starts a `g` chord.
pub fn interpret(key: &str, pending_g: bool) -> (Option<Shortcut>, bool) {
    if pending_g {
        let chord = match key {
            "r" => Some(Shortcut::GoToRunners),
            "p" => Some(Shortcut::GoToProjectRunners),
            "t" => Some(Shortcut::GoToTokens),
            _ => None,
        };
        if chord.is_some() {
            return (chord, false);
        }
    }
    match key {
        "/" => (Some(Shortcut::FocusFilter), false),
        "?" => (Some(Shortcut::ShowHelp), false),
        "g" => (None, true),
        _ => (None, false),
    }
}

/// Keys typed into these elements are text, never shortcuts.
pub fn is_typing_target(tag_name: &str, content_editable: bool) -> bool {
    content_editable
        || matches!(
            tag_name.to_ascii_uppercase().as_str(),
            "INPUT" | "TEXTAREA" | "SELECT"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_keys_and_chords() {
        assert_eq!(interpret("/", false), (Some(Shortcut::FocusFilter), false));
        assert_eq!(interpret("?", false), (Some(Shortcut::ShowHelp), false));
        assert_eq!(interpret("g", false), (None, true));
        assert_eq!(interpret("r", true), (Some(Shortcut::GoToRunners), false));
        assert_eq!(interpret("t", true), (Some(Shortcut::GoToTokens), false));
        // `r` alone does nothing; `g x` cancels the chord.
        assert_eq!(interpret("r", false), (None, false));
        assert_eq!(interpret("x", true), (None, false));
        assert_eq!(interpret("/", true), (Some(Shortcut::FocusFilter), false));
    }

    #[test]
    fn typing_in_fields_is_not_a_shortcut() {
        assert!(is_typing_target("input", false));
        assert!(is_typing_target("TEXTAREA", false));
        assert!(is_typing_target("SELECT", false));
        assert!(is_typing_target("DIV", true));
        assert!(!is_typing_target("BUTTON", false));
        assert!(!is_typing_target("BODY", false));
    }
}
