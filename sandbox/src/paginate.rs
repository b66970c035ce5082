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
    respond_counting(ctx, all, page, per_page, true, render)
}

/// Offset pagination; with `count` false (Kaminari's `without_count`, as GitLab
/// pages a runner's jobs filtered by `system_id`) there is no `X-Total`,
/// `X-Total-Pages` or `rel="last"`.
pub fn respond_counting<T>(
    ctx: &Ctx,
    all: &[T],
    page: u64,
    per_page: u64,
    count: bool,
    render: impl Fn(&T) -> Value,
) -> Response {
    let start = ((page - 1) * per_page) as usize;
    let on_page: Vec<&T> = all.iter().skip(start).take(per_page as usize).collect();
    respond_page(ctx, &on_page, all.len(), page, per_page, count, render)
}

/// One page of a list of `total` records, given the records on it (the caller
/// found them without walking the whole list, as an indexed query would).
pub fn respond_page<T>(
    ctx: &Ctx,
    on_page: &[&T],
    total: usize,
    page: u64,
    per_page: u64,
    count: bool,
    render: impl Fn(&T) -> Value,
) -> Response {
    let start = ((page - 1) * per_page) as usize;
    let items: Vec<Value> = on_page.iter().map(|t| render(t)).collect();
    let total_pages = (total as u64).div_ceil(per_page).max(1);
    let has_next = (start + per_page as usize) < total;
    // Kaminari's `prev_page` is nil on a page past the end (`out_of_range?`).
    let has_prev = page > 1 && !items.is_empty();
    let counted = count && total <= COUNT_LIMIT;

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

// ---- Keyset (cursor) pagination: `Gitlab::Pagination::Keyset::CursorPager` ----

/// A keyset cursor: `Base64.urlsafe_encode64({"id":"15","_kd":"n"}.to_json)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub id: Option<u64>,
    /// `n` (forward, the next page) or `p` (backward).
    pub forward: bool,
}

impl Cursor {
    pub fn encode(self) -> String {
        // Written by hand to keep Ruby's key order (serde_json's map sorts keys).
        let kd = if self.forward { "n" } else { "p" };
        let json = match self.id {
            Some(id) => format!(r#"{{"id":"{id}","_kd":"{kd}"}}"#),
            None => format!(r#"{{"_kd":"{kd}"}}"#),
        };
        base64_url(json.as_bytes())
    }

    /// None when the text is not a cursor GitLab could have made.
    pub fn decode(text: &str) -> Option<Self> {
        let raw = unbase64_url(text)?;
        let Value::Object(map) = serde_json::from_slice::<Value>(&raw).ok()? else {
            return None;
        };
        let id = match map.get("id") {
            None => None,
            Some(Value::String(s)) => Some(s.parse().ok()?),
            Some(Value::Number(n)) => Some(n.as_u64()?),
            Some(_) => return None,
        };
        let forward = match map.get("_kd").and_then(Value::as_str) {
            None | Some("n") => true,
            Some("p") => false,
            Some(_) => return None,
        };
        Some(Cursor { id, forward })
    }
}

/// One page of `all` (ordered by id descending) after `cursor`, with only a
/// `Link: <...cursor=...>; rel="next"` header when more follow: no `X-*` headers.
/// `params` are the request's parameters as Grape holds them (defaults included);
/// the link repeats them with the next cursor, sorted as Rails' `to_query` does.
pub fn respond_keyset<T>(
    ctx: &Ctx,
    all: &[T],
    id_of: impl Fn(&T) -> u64,
    cursor: Option<Cursor>,
    per_page: u64,
    params: Vec<(String, String)>,
    render: impl Fn(&T) -> Value,
) -> Response {
    let per_page = per_page as usize;
    let (items, has_next): (Vec<&T>, bool) = match cursor {
        None
        | Some(Cursor {
            id: None,
            forward: true,
        }) => (all.iter().take(per_page).collect(), all.len() > per_page),
        Some(Cursor {
            id: Some(after),
            forward: true,
        }) => {
            let rest: Vec<&T> = all.iter().filter(|t| id_of(t) < after).collect();
            let more = rest.len() > per_page;
            (rest.into_iter().take(per_page).collect(), more)
        }
        Some(Cursor { id, forward: false }) => {
            // Backward: the page just before `id` (the last page without one);
            // there is always a next page after it.
            let before: Vec<&T> = all
                .iter()
                .filter(|t| id.is_none_or(|b| id_of(t) > b))
                .collect();
            let start = before.len().saturating_sub(per_page);
            (before[start..].to_vec(), id.is_some())
        }
    };
    let mut headers = HeaderMap::new();
    if has_next {
        if let Some(last) = items.last() {
            let next = Cursor {
                id: Some(id_of(last)),
                forward: true,
            };
            let mut pairs: Vec<(String, String)> =
                params.into_iter().filter(|(k, _)| k != "cursor").collect();
            pairs.push(("cursor".into(), next.encode()));
            let mut encoded: Vec<String> = pairs
                .iter()
                .map(|(k, v)| {
                    form_urlencoded::Serializer::new(String::new())
                        .append_pair(k, v)
                        .finish()
                })
                .collect();
            encoded.sort();
            let link = format!(
                "<{}{}?{}>; rel=\"next\"",
                ctx.base_url,
                ctx.path,
                encoded.join("&")
            );
            if let Ok(v) = HeaderValue::from_str(&link) {
                headers.insert("link", v);
            }
        }
    }
    let body: Vec<Value> = items.into_iter().map(render).collect();
    (headers, axum::Json(Value::Array(body))).into_response()
}

/// The request's query parameters, without the token ones (never echoed in links).
pub fn query_pairs(ctx: &Ctx) -> Vec<(String, String)> {
    ctx.query
        .as_deref()
        .map(|q| {
            form_urlencoded::parse(q.as_bytes())
                .filter(|(k, _)| !matches!(k.as_ref(), "private_token" | "access_token"))
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default()
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Ruby's `Base64.urlsafe_encode64` (with `=` padding).
fn base64_url(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `Base64.urlsafe_decode64`: padding optional, the standard alphabet's `+/` too.
fn unbase64_url(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut bits = 0u32;
    let mut held = 0;
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        bits = bits << 6 | v as u32;
        held += 6;
        if held >= 8 {
            held -= 8;
            out.push((bits >> held & 0xff) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_as_gitlab_writes_them() {
        let c = Cursor {
            id: Some(15),
            forward: true,
        };
        // Base64.urlsafe_encode64('{"id":"15","_kd":"n"}')
        assert_eq!(c.encode(), "eyJpZCI6IjE1IiwiX2tkIjoibiJ9");
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(base64_url(b"a"), "YQ==");
        assert_eq!(base64_url(b"ab"), "YWI=");
        assert_eq!(unbase64_url("YWI=").unwrap(), b"ab");
        assert_eq!(Cursor::decode("not base64!"), None);
        assert_eq!(Cursor::decode(&base64_url(b"[1]")), None);
    }
}
