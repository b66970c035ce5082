//! A status line for work in progress.

/// A status line ("Saving…"), to show while something runs.
pub fn busy_line(text: &'static str) -> crate::dom::El {
    crate::dom::el("p")
        .class("loading")
        .attr("role", "status")
        .text(text)
}
