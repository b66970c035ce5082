//! Offset pagination as GitLab does it: `X-*` headers, else the `Link`
//! header, and nothing at all above 10,000 records for the totals.

use serde::de::DeserializeOwned;

use super::error::ApiError;
use super::model::decode;
use super::request::PageQuery;

/// Pagination read from one response's headers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageInfo {
    pub page: Option<u32>,
    pub per_page: Option<u32>,
    /// Absent above 10,000 records.
    pub total: Option<u64>,
    /// Absent above 10,000 records.
    pub total_pages: Option<u32>,
    pub next_page: Option<u32>,
    pub prev_page: Option<u32>,
    /// Whether any pagination header was there at all (a server or proxy
    /// that hides them leaves us guessing from the item count).
    pub present: bool,
    /// Keyset pagination: the `cursor` of the `rel="next"` link, decoded.
    pub next_cursor: Option<String>,
}

impl PageInfo {
    /// Reads `X-Page`, `X-Per-Page`, `X-Total`, `X-Total-Pages`,
    /// `X-Next-Page`, `X-Prev-Page` (empty means none), filling what is
    /// missing from `Link` (`rel="next"`, `"prev"`, `"last"`).
    pub fn from_headers(get: impl Fn(&str) -> Option<String>) -> PageInfo {
        let raw = |name: &str| get(name).map(|v| v.trim().to_string());
        let num = |name: &str| raw(name).and_then(|v| v.parse::<u64>().ok());
        let num32 = |name: &str| num(name).and_then(|v| u32::try_from(v).ok());
        let names = [
            "X-Page",
            "X-Per-Page",
            "X-Total",
            "X-Total-Pages",
            "X-Next-Page",
            "X-Prev-Page",
        ];
        let x_present = names.iter().any(|n| raw(n).is_some());

        let mut info = PageInfo {
            page: num32("X-Page"),
            per_page: num32("X-Per-Page"),
            total: num("X-Total"),
            total_pages: num32("X-Total-Pages"),
            next_page: num32("X-Next-Page"),
            prev_page: num32("X-Prev-Page"),
            present: x_present,
            next_cursor: None,
        };

        if let Some(link) = raw("Link").filter(|l| !l.is_empty()) {
            let links = parse_link_header(&link);
            let page_of = |rel: &str| {
                links
                    .iter()
                    .find(|(r, _)| r == rel)
                    .and_then(|(_, url)| query_param(url, "page"))
                    .and_then(|p| p.parse::<u32>().ok())
            };
            let per_page_of = |rel: &str| {
                links
                    .iter()
                    .find(|(r, _)| r == rel)
                    .and_then(|(_, url)| query_param(url, "per_page"))
                    .and_then(|p| p.parse::<u32>().ok())
            };
            // Only when X-Next-Page/X-Prev-Page were not sent: an empty one
            // is a definite "none" that Link must not override.
            if raw("X-Next-Page").is_none() {
                info.next_page = page_of("next");
            }
            if raw("X-Prev-Page").is_none() {
                info.prev_page = page_of("prev");
            }
            if info.total_pages.is_none() {
                info.total_pages = page_of("last");
            }
            info.next_cursor = links
                .iter()
                .find(|(r, _)| r == "next")
                .and_then(|(_, url)| decoded_param(url, "cursor"));
            if info.next_cursor.is_some() {
                // A keyset link says `page=1` whatever the page: it is no page number.
                info.next_page = None;
                info.page = None;
            }
            if info.per_page.is_none() {
                info.per_page = ["first", "next", "prev", "last"]
                    .iter()
                    .find_map(|r| per_page_of(r));
            }
            if info.page.is_none() {
                info.page = info
                    .next_page
                    .map(|n| n.saturating_sub(1))
                    .or(info.prev_page.map(|p| p.saturating_add(1)))
                    .filter(|p| *p >= 1);
            }
            info.present |= !links.is_empty();
        }
        info
    }
}

impl PageInfo {
    pub fn has_next(&self) -> bool {
        self.next_page.is_some()
    }
}

/// `<url>; rel="next", <url>; rel="last"` -> `[("next", url), ("last", url)]`.
/// Scans by angle brackets, since URLs in it may contain commas.
pub fn parse_link_header(value: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = value;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('>') else { break };
        let url = after[..end].trim();
        let tail = &after[end + 1..];
        let params_end = tail.find('<').unwrap_or(tail.len());
        let params = &tail[..params_end];
        for param in params.split(';') {
            let param = param.trim().trim_end_matches(',').trim();
            let Some((key, value)) = param.split_once('=') else {
                continue;
            };
            if key.trim().eq_ignore_ascii_case("rel") {
                let value = value.trim().trim_matches('"');
                // rel may list several space-separated relations.
                for rel in value.split_whitespace() {
                    out.push((rel.to_ascii_lowercase(), url.to_string()));
                }
            }
        }
        rest = &tail[params_end..];
    }
    out
}

/// A query parameter of a URL, percent-decoded (a cursor may carry `%3D`).
fn decoded_param(url: &str, key: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty())
}

/// Raw value of a query parameter of a URL (page numbers need no decoding).
fn query_param<'a>(url: &'a str, key: &str) -> Option<&'a str> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
}

/// One page of a list.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    /// `None` above 10,000 records (GitLab omits it).
    pub total: Option<u64>,
    pub total_pages: Option<u32>,
    pub next_page: Option<u32>,
    pub prev_page: Option<u32>,
    /// Keyset pagination: where the next page starts (GitLab sends no page numbers).
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Combines items with the headers; `requested` fills in what the
    /// headers do not say.
    pub fn from_parts(items: Vec<T>, info: PageInfo, requested: PageQuery) -> Page<T> {
        let page = info.page.unwrap_or(requested.page).max(1);
        let per_page = info.per_page.unwrap_or(requested.per_page).max(1);
        let mut next_page = info.next_page;
        let mut prev_page = info.prev_page;
        if !info.present && info.next_cursor.is_none() {
            // No pagination headers at all: a full page may have a next one.
            if items.len() >= per_page as usize && !items.is_empty() {
                next_page = Some(page + 1);
            }
            if page > 1 {
                prev_page = Some(page - 1);
            }
        }
        Page {
            items,
            page,
            per_page,
            total: info.total,
            total_pages: info.total_pages,
            next_page,
            prev_page,
            next_cursor: info.next_cursor,
        }
    }

    pub fn has_next(&self) -> bool {
        self.next_page.is_some() || self.next_cursor.is_some()
    }

    /// The pages after this one, when GitLab counted them (`X-Total-Pages`), so they
    /// can be fetched at once; `None` means follow `next_page` one by one. GitLab
    /// counts only up to 10,000 records, so a larger count is not believed (a broken
    /// proxy's header must not make the console plan millions of requests).
    pub fn remaining_pages(&self) -> Option<Vec<u32>> {
        const MOST_COUNTED: u32 = 10_000;
        let last = self
            .total_pages
            .filter(|l| l.saturating_sub(self.page) <= MOST_COUNTED)?;
        Some((self.page + 1..=last).collect())
    }

    pub fn has_prev(&self) -> bool {
        self.prev_page.is_some()
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            page: self.page,
            per_page: self.per_page,
            total: self.total,
            total_pages: self.total_pages,
            next_page: self.next_page,
            prev_page: self.prev_page,
            next_cursor: self.next_cursor,
        }
    }
}

/// A successful answer as the client got it: status, pagination, body text.
#[derive(Clone, Debug, PartialEq)]
pub struct RawResponse {
    pub status: u16,
    pub page_info: PageInfo,
    pub text: String,
}

impl RawResponse {
    /// The body as `T`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        decode(&self.text)
    }

    /// The body as one page of `T`; `requested` is the page that was asked for.
    pub fn to_page<T: DeserializeOwned>(&self, requested: PageQuery) -> Result<Page<T>, ApiError> {
        let items: Vec<T> = decode(&self.text)?;
        Ok(Page::from_parts(items, self.page_info.clone(), requested))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::Runner;

    fn headers<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        // Header names are case-insensitive, as in the browser.
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.to_string())
        }
    }

    const LINK: &str = "<https://gitlab.example.com/api/v4/runners/all?id=1&page=1&per_page=20&tag_list=a,b>; rel=\"prev\", \
        <https://gitlab.example.com/api/v4/runners/all?id=1&page=3&per_page=20&tag_list=a,b>; rel=\"next\", \
        <https://gitlab.example.com/api/v4/runners/all?id=1&page=1&per_page=20&tag_list=a,b>; rel=\"first\", \
        <https://gitlab.example.com/api/v4/runners/all?id=1&page=8&per_page=20&tag_list=a,b>; rel=\"last\"";

    #[test]
    fn full_x_headers() {
        let info = PageInfo::from_headers(headers(&[
            ("x-page", "2"),
            ("x-per-page", "20"),
            ("x-total", "150"),
            ("x-total-pages", "8"),
            ("x-next-page", "3"),
            ("x-prev-page", "1"),
            ("link", LINK),
        ]));
        assert_eq!(
            info,
            PageInfo {
                page: Some(2),
                per_page: Some(20),
                total: Some(150),
                total_pages: Some(8),
                next_page: Some(3),
                prev_page: Some(1),
                present: true,
                next_cursor: None,
            }
        );
    }

    #[test]
    fn last_page_empty_next() {
        let info = PageInfo::from_headers(headers(&[
            ("X-Page", "8"),
            ("X-Per-Page", "20"),
            ("X-Total", "150"),
            ("X-Total-Pages", "8"),
            ("X-Next-Page", ""),
            ("X-Prev-Page", "7"),
        ]));
        assert_eq!(info.next_page, None);
        assert_eq!(info.prev_page, Some(7));
        let page = Page::from_parts(vec![1, 2], info, PageQuery::new(8, 20));
        assert!(!page.has_next());
        assert!(page.has_prev());
        assert_eq!(page.total, Some(150));
    }

    #[test]
    fn first_page_empty_prev() {
        let info = PageInfo::from_headers(headers(&[
            ("X-Page", "1"),
            ("X-Per-Page", "20"),
            ("X-Total", "21"),
            ("X-Total-Pages", "2"),
            ("X-Next-Page", "2"),
            ("X-Prev-Page", ""),
        ]));
        assert_eq!((info.prev_page, info.next_page), (None, Some(2)));
    }

    #[test]
    fn without_x_total_above_10000() {
        // GitLab drops X-Total, X-Total-Pages and rel="last".
        let link = "<https://gl/api/v4/runners/all?page=4&per_page=100>; rel=\"prev\", \
                    <https://gl/api/v4/runners/all?page=6&per_page=100>; rel=\"next\", \
                    <https://gl/api/v4/runners/all?page=1&per_page=100>; rel=\"first\"";
        let info = PageInfo::from_headers(headers(&[
            ("X-Page", "5"),
            ("X-Per-Page", "100"),
            ("X-Next-Page", "6"),
            ("X-Prev-Page", "4"),
            ("Link", link),
        ]));
        assert_eq!(info.total, None);
        assert_eq!(info.total_pages, None);
        assert!(info.has_next());
        assert_eq!(info.page, Some(5));
        assert_eq!(info.next_page, Some(6));
        let page = Page::from_parts(vec![0u8; 100], info, PageQuery::new(5, 100));
        assert!(page.has_next());
        assert_eq!(page.total, None);
        assert_eq!(page.next_page, Some(6));
        assert_eq!((page.page, page.per_page), (5, 100));
    }

    #[test]
    fn only_link_header() {
        let info = PageInfo::from_headers(headers(&[("Link", LINK)]));
        assert_eq!(
            info,
            PageInfo {
                page: Some(2),
                per_page: Some(20),
                total: None,
                total_pages: Some(8),
                next_page: Some(3),
                prev_page: Some(1),
                present: true,
                next_cursor: None,
            }
        );

        // Last page: only prev, first and last links; page derived from prev.
        let info = PageInfo::from_headers(headers(&[(
            "Link",
            "<https://gl/api/v4/groups?page=3&per_page=50>; rel=\"prev\", \
             <https://gl/api/v4/groups?page=1&per_page=50>; rel=\"first\", \
             <https://gl/api/v4/groups?page=4&per_page=50>; rel=\"last\"",
        )]));
        assert_eq!(info.next_page, None);
        assert_eq!(info.prev_page, Some(3));
        assert_eq!(info.page, Some(4));
        assert_eq!(info.total_pages, Some(4));
        assert_eq!(info.per_page, Some(50));
        let page = Page::from_parts(vec!['a'; 10], info, PageQuery::new(4, 50));
        assert!(!page.has_next());
    }

    #[test]
    fn x_headers_win_over_link() {
        // An empty X-Next-Page is a definite "no next page".
        let info = PageInfo::from_headers(headers(&[("X-Next-Page", ""), ("Link", LINK)]));
        assert_eq!(info.next_page, None);
        assert_eq!(info.prev_page, Some(1));
        assert_eq!(info.total_pages, Some(8));
    }

    #[test]
    fn no_headers_guesses_from_count() {
        let info = PageInfo::from_headers(|_| None);
        assert_eq!(info, PageInfo::default());
        assert!(!info.present);
        let full = Page::from_parts(vec![0; 20], info.clone(), PageQuery::new(2, 20));
        assert_eq!((full.page, full.per_page), (2, 20));
        assert_eq!(full.next_page, Some(3));
        assert_eq!(full.prev_page, Some(1));
        let short = Page::from_parts(vec![0; 5], info.clone(), PageQuery::new(1, 20));
        assert!(!short.has_next() && !short.has_prev());
        let empty: Page<u8> = Page::from_parts(vec![], info, PageQuery::new(1, 20));
        assert!(!empty.has_next());
    }

    #[test]
    fn garbage_values_are_none() {
        let info = PageInfo::from_headers(headers(&[
            ("X-Page", " 3 "),
            ("X-Per-Page", "abc"),
            ("X-Total", "-1"),
            ("X-Total-Pages", "99999999999"),
        ]));
        assert_eq!(info.page, Some(3));
        assert_eq!(info.per_page, None);
        assert_eq!(info.total, None);
        assert_eq!(info.total_pages, None);
        assert!(info.present);
    }

    #[test]
    fn link_header_parsing() {
        let links = parse_link_header(LINK);
        assert_eq!(links.len(), 4);
        assert_eq!(links[1].0, "next");
        assert_eq!(
            links[1].1,
            "https://gitlab.example.com/api/v4/runners/all?id=1&page=3&per_page=20&tag_list=a,b"
        );
        // Unquoted rel, several relations, odd spacing.
        let links = parse_link_header(
            "<http://x/?per_page=5&page=2>;rel=next ,<http://x/?page=9>; rel=\"last  LAST2\"",
        );
        assert_eq!(
            links[0],
            ("next".into(), "http://x/?per_page=5&page=2".into())
        );
        assert_eq!(links[1].0, "last");
        assert_eq!(links[2].0, "last2");
        assert_eq!(query_param(&links[0].1, "page"), Some("2"));
        assert_eq!(query_param(&links[0].1, "per_page"), Some("5"));
        assert!(parse_link_header("").is_empty());
        assert!(parse_link_header("<broken").is_empty());
    }

    #[test]
    fn raw_response_into_page() {
        let raw = RawResponse {
            status: 200,
            page_info: PageInfo::from_headers(headers(&[
                ("X-Page", "1"),
                ("X-Per-Page", "2"),
                ("X-Total", "3"),
                ("X-Total-Pages", "2"),
                ("X-Next-Page", "2"),
                ("X-Prev-Page", ""),
            ])),
            text: r#"[{"id":1,"status":"online","runner_type":"instance_type"},
                      {"id":2,"status":"stale","runner_type":"project_type","extra":true}]"#
                .into(),
        };
        let page: Page<Runner> = raw.to_page(PageQuery::new(1, 2)).unwrap();
        assert_eq!(page.items.len(), 2);
        assert_eq!(page.items[1].status, "stale");
        assert_eq!(page.total, Some(3));
        assert_eq!(page.total_pages, Some(2));
        assert!(page.has_next());
        assert!(!page.has_prev());
        let ids = page.map(|r| r.id);
        assert_eq!(ids.items, vec![1, 2]);

        // Past the end: 200 with [].
        let raw = RawResponse {
            status: 200,
            page_info: PageInfo::from_headers(headers(&[("X-Page", "9"), ("X-Next-Page", "")])),
            text: "[]".into(),
        };
        let page: Page<Runner> = raw.to_page(PageQuery::new(9, 20)).unwrap();
        assert!(page.items.is_empty() && !page.has_next());

        let bad = RawResponse {
            status: 200,
            page_info: PageInfo::default(),
            text: r#"{"message":"not a list"}"#.into(),
        };
        assert!(matches!(
            bad.to_page::<Runner>(PageQuery::default()),
            Err(ApiError::Decode(_))
        ));
        let one: Runner = RawResponse {
            status: 200,
            page_info: PageInfo::default(),
            text: r#"{"id":5}"#.into(),
        }
        .json()
        .unwrap();
        assert_eq!(one.id, 5);
    }

    #[test]
    fn keyset_answers_give_the_next_cursor_and_no_page_numbers() {
        // GitLab's keyset answer for runner jobs: no X-* headers, a next link only.
        let link = "<https://gitlab.example.com/api/v4/runners/3/jobs?cursor=eyJpZCI6IjQyIiwiX2tkIjoibiJ9%3D%3D&id=3&order_by=id&page=1&pagination=keyset&per_page=20&sort=desc>; rel=\"next\"";
        let info = PageInfo::from_headers(headers(&[("Link", link)]));
        assert_eq!(
            info.next_cursor.as_deref(),
            Some("eyJpZCI6IjQyIiwiX2tkIjoibiJ9==")
        );
        assert_eq!((info.next_page, info.page), (None, None));
        let page = Page::from_parts(vec![0u8; 20], info, PageQuery::new(1, 20));
        assert!(page.has_next());
        assert_eq!(page.next_page, None);
        // The last keyset page has no next link, so no next page at all, even when full.
        let last = PageInfo::from_headers(headers(&[("Link", "")]));
        let page = Page::from_parts(vec![0u8; 20], last, PageQuery::new(1, 20));
        assert_eq!(page.next_cursor, None);
    }

    #[test]
    fn remaining_pages_only_when_counted() {
        let counted = PageInfo {
            page: Some(1),
            per_page: Some(100),
            total: Some(250),
            total_pages: Some(3),
            next_page: Some(2),
            prev_page: None,
            present: true,
            next_cursor: None,
        };
        let page: Page<u8> =
            Page::from_parts(vec![0; 100], counted.clone(), PageQuery::new(1, 100));
        assert_eq!(page.remaining_pages(), Some(vec![2, 3]));
        let uncounted = PageInfo {
            total: None,
            total_pages: None,
            ..counted.clone()
        };
        let page: Page<u8> = Page::from_parts(vec![0; 100], uncounted, PageQuery::new(1, 100));
        assert_eq!(page.remaining_pages(), None);
        assert!(page.has_next());
        let absurd = PageInfo {
            total_pages: Some(50_000_000),
            ..counted
        };
        let page: Page<u8> = Page::from_parts(vec![0; 100], absurd, PageQuery::new(1, 100));
        assert_eq!(
            page.remaining_pages(),
            None,
            "followed page by page instead"
        );
    }
}
