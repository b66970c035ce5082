//! GitLab's offset pagination headers, including the >10,000 record cut-off.

use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::context::Ctx;

/// Above this many records GitLab stops counting: no `X-Total`, `X-Total-Pages` or `last`.
pub const COUNT_LIMIT: usize = 10_000;

pub fn respond<T>(
    ctx: &Ctx,
    all: &[T],
    page: u64,
    per_page: u64,
    render: impl Fn(&T) -> Value,
) -> Response {
    let total = all.len();
    let start = ((page - 1) * per_page) as usize;
    let items: Vec<Value> = all
        .iter()
        .skip(start)
        .take(per_page as usize)
        .map(render)
        .collect();
    let total_pages = (total as u64).div_ceil(per_page).max(1);
    let has_next = (start + per_page as usize) < total;
    // Kaminari's `prev_page` is nil on a page past the end (`out_of_range?`).
    let has_prev = page > 1 && !items.is_empty();
    let counted = total <= COUNT_LIMIT;

    let mut headers = HeaderMap::new();
    let mut set = |name: &'static str, value: String| {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(name, v);
        }
    };
    set("x-page", page.to_string());
    set("x-per-page", per_page.to_string());
    set(
        "x-next-page",
        if has_next {
            (page + 1).to_string()
        } else {
            String::new()
        },
    );
    set(
        "x-prev-page",
        if has_prev {
            (page - 1).to_string()
        } else {
            String::new()
        },
    );
    if counted {
        set("x-total", total.to_string());
        set("x-total-pages", total_pages.to_string());
    }

    let link = |p: u64, rel: &str| format!("<{}>; rel=\"{rel}\"", page_url(ctx, p, per_page));
    let mut links = vec![];
    if has_prev {
        links.push(link(page - 1, "prev"));
    }
    if has_next {
        links.push(link(page + 1, "next"));
    }
    links.push(link(1, "first"));
    if counted {
        links.push(link(total_pages, "last"));
    }
    set("link", links.join(", "));

    (headers, axum::Json(Value::Array(items))).into_response()
}

/// The request's URL with `page`/`per_page` replaced, keys sorted as Rails' `to_query` does.
fn page_url(ctx: &Ctx, page: u64, per_page: u64) -> String {
    let mut pairs: Vec<(String, String)> = ctx
        .query
        .as_deref()
        .map(|q| {
            form_urlencoded::parse(q.as_bytes())
                .filter(|(k, _)| {
                    !matches!(
                        k.as_ref(),
                        "page" | "per_page" | "private_token" | "access_token"
                    )
                })
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default();
    pairs.push(("page".into(), page.to_string()));
    pairs.push(("per_page".into(), per_page.to_string()));
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    format!("{}{}?{}", ctx.base_url, ctx.path, query)
}
