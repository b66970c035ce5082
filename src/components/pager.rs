//! Previous / next and the page size, for lists whose total GitLab may not send.

use leptos::prelude::*;

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
#[component]
pub fn Pager(
    info: PagerInfo,
    #[prop(into)] noun: String,
    href_for: impl Fn(u32) -> String + 'static,
    #[prop(into)] on_per_page: Callback<u32>,
) -> impl IntoView {
    let position = match (info.total_pages, info.total) {
        (Some(pages), Some(total)) => format!("Page {} of {pages} · {total} {noun}", info.page),
        _ => format!(
            "Page {} · more than 10,000 {noun}, or a GitLab that does not count them",
            info.page
        ),
    };
    let prev = info.has_prev.then(|| href_for(info.page - 1));
    let next = info.has_next.then(|| href_for(info.page + 1));
    let per_page = info.per_page;
    view! {
        <nav class="pager" aria-label="Pages">
            {match prev {
                Some(href) => view! { <a href=href rel="prev">"← Previous"</a> }.into_any(),
                None => view! { <span class="disabled" aria-disabled="true">"← Previous"</span> }.into_any(),
            }}
            <span class="position" aria-live="polite">{position}</span>
            {match next {
                Some(href) => view! { <a href=href rel="next">"Next →"</a> }.into_any(),
                None => view! { <span class="disabled" aria-disabled="true">"Next →"</span> }.into_any(),
            }}
            <label class="per-page">
                "Per page "
                <select on:change=move |ev| {
                    if let Ok(n) = event_target_value(&ev).parse() {
                        on_per_page.run(n);
                    }
                }>
                    {PAGE_SIZES
                        .iter()
                        .map(|n| {
                            view! {
                                <option value=n.to_string() selected=*n == per_page>
                                    {n.to_string()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
        </nav>
    }
}
