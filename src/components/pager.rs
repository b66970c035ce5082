//! Previous / next and the page size, for lists whose total GitLab may not send.

use crate::dom::{el, option, value_of, El};
use crate::list_query::PAGE_SIZES;

#[derive(Clone, Debug, PartialEq)]
pub struct PagerInfo {
    pub page: u32,
    pub per_page: u32,
    pub total: Option<u64>,
    pub total_pages: Option<u32>,
    pub has_prev: bool,
    pub has_next: bool,
}

impl PagerInfo {
    pub fn of<T>(page: &crate::api::Page<T>) -> PagerInfo {
        PagerInfo {
            page: page.page,
            per_page: page.per_page,
            total: page.total,
            total_pages: page.total_pages,
            has_prev: page.has_prev(),
            has_next: page.has_next(),
        }
    }
}

/// `href_for(page)` gives the link to a page; `on_per_page` changes the page size.
pub fn pager(
    info: PagerInfo,
    noun: &str,
    href_for: impl Fn(u32) -> String,
    on_per_page: impl Fn(u32) + 'static,
) -> El {
    let position = match (info.total_pages, info.total) {
        (Some(pages), Some(total)) => format!("Page {} of {pages} · {total} {noun}", info.page),
        _ => format!(
            "Page {} · more than 10,000 {noun}, or a GitLab that does not count them",
            info.page
        ),
    };
    let step = |href: Option<String>, rel: &str, label: &str| match href {
        Some(href) => el("a").attr("href", &href).attr("rel", rel).text(label),
        None => el("span")
            .class("disabled")
            .attr("aria-disabled", "true")
            .text(label),
    };
    let sizes = PAGE_SIZES.iter().map(|n| {
        let option = option(&n.to_string(), &n.to_string());
        if *n == info.per_page {
            option.attr("selected", "")
        } else {
            option
        }
    });
    el("nav")
        .class("pager")
        .attr("aria-label", "Pages")
        .child(step(
            info.has_prev.then(|| href_for(info.page - 1)),
            "prev",
            "← Previous",
        ))
        .child(
            el("span")
                .class("position")
                .attr("aria-live", "polite")
                .text(&position),
        )
        .child(step(
            info.has_next.then(|| href_for(info.page + 1)),
            "next",
            "Next →",
        ))
        .child(el("label").class("per-page").text("Per page ").child(
            el("select").children(sizes).on("change", move |ev| {
                if let Ok(n) = value_of(&ev).parse() {
                    on_per_page(n);
                }
            }),
        ))
}
